import type { Hl7Delimiters } from './delimiters.js';

const FORMATTING_BREAK = new Set(['.br', '.sp']);

/** Decodes `\Xhh..\` bytes: UTF-8 when they form valid UTF-8, otherwise Latin-1. Returns undefined for odd hex. */
function decodeHex(hex: string): string | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const bytes = Uint8Array.from(hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/**
 * Replaces HL7 escape sequences in one leaf value (a component or sub-component):
 * `\F\ \S\ \T\ \R\ \E\ \P\` become the delimiters they stand for; `\.br\` and `\.sp\` become a line break;
 * `\Xhh…\` becomes the characters its bytes encode; highlighting (`\H\ \N\`), character-set (`\C…\ \M…\`) and other
 * formatting sequences (`\.in\`, `\.ce\`…) are dropped. An unknown or unterminated sequence is kept as written.
 */
export function unescapeHl7(value: string, delimiters: Hl7Delimiters): string {
  const esc = delimiters.escape;
  if (!value.includes(esc)) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const c = value.charAt(i);
    if (c !== esc) {
      out += c;
      i += 1;
      continue;
    }
    const close = value.indexOf(esc, i + 1);
    if (close === -1) {
      out += value.slice(i);
      break;
    }
    const body = value.slice(i + 1, close);
    const replacement = escapeReplacement(body, delimiters);
    if (replacement === undefined) {
      // Not an escape sequence we know: keep the escape character literally and go on after it.
      out += c;
      i += 1;
      continue;
    }
    out += replacement;
    i = close + 1;
  }
  return out;
}

function escapeReplacement(body: string, d: Hl7Delimiters): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation ?? '#';
    case 'H':
    case 'N':
      return '';
  }
  if (FORMATTING_BREAK.has(body)) return '\n';
  if (/^\.(in|ti|sk)[+-]?\d*$/.test(body) || body === '.fi' || body === '.nf' || body === '.ce') return '';
  if (/^\.sp\d*$/.test(body)) return '\n';
  if (body.startsWith('X')) return decodeHex(body.slice(1));
  if (/^[CM][0-9A-Fa-f]{4,6}$/.test(body)) return '';
  if (/^Z/.test(body)) return '';
  return undefined;
}

/** Escapes text so it can be written into one HL7 leaf value (used for ACK text). */
export function escapeHl7(value: string, delimiters: Hl7Delimiters): string {
  const d = delimiters;
  let out = '';
  for (const c of value) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (c === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (d.truncation !== undefined && c === d.truncation) out += `${d.escape}P${d.escape}`;
    else if (c === '\r' || c === '\n') out += `${d.escape}.br${d.escape}`;
    else out += c;
  }
  return out;
}
