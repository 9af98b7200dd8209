/**
 * A tiny HTML well-formedness checker for the report: every non-void element is closed in order, attributes are
 * quoted, entities are known, and nothing loads from outside the page. Returns the problems found (empty when fine).
 */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SVG_SELF_CLOSING = new Set(['line', 'polyline', 'rect', 'circle', 'path']);

export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (!html.startsWith('<!DOCTYPE html>')) problems.push('missing <!DOCTYPE html>');
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*(?:="[^"]*")?)*)\s*(\/?)>|<!DOCTYPE html>|<(?!\/?[a-zA-Z!])/g;
  let last = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    checkText(html.slice(last, m.index), problems);
    last = m.index + m[0].length;
    if (m[0] === '<!DOCTYPE html>') continue;
    if (m[2] === undefined) {
      problems.push(`stray "<" at ${m.index}`);
      continue;
    }
    const [, closing, rawName, attributes = '', selfClosing] = m;
    const name = rawName!.toLowerCase();
    if (/\s(src|href)="https?:/i.test(attributes)) problems.push(`external asset in <${name}${attributes}>`);
    if (name === 'script' || name === 'link' || name === 'img' || name === 'iframe') problems.push(`<${name}> is not expected in a self-contained report`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else if (!VOID.has(name) && !(selfClosing && SVG_SELF_CLOSING.has(name))) {
      stack.push(name);
    }
  }
  checkText(html.slice(last), problems);
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

function checkText(text: string, problems: string[]): void {
  if (text.includes('>')) problems.push(`unescaped ">" in text near "${text.slice(0, 40)}"`);
  for (const m of text.matchAll(/&([^;\s]*);?/g)) {
    if (!/^(amp|lt|gt|quot|#39|#\d+)$/.test(m[1] ?? '') || !m[0].endsWith(';')) problems.push(`bad entity "${m[0]}"`);
  }
}
