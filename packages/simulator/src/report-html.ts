import { escapeHtml } from '@carerelay/engine';
import { type ComparisonRow, type PolicyOutcome, comparisonRows } from './comparison.js';
import { POLICY_LABELS, type PolicyName } from './messages.js';

/** Everything the HTML report shows. */
export interface ReportInput {
  title: string;
  /** One line describing the run (seed, days, clinic size). */
  summary: string;
  outcomes: PolicyOutcome[];
  /** Alerts per working clinician per day, per policy (null on days nobody worked). */
  daily: Record<PolicyName, Array<number | null>>;
  /** ISO date of day 0. */
  startDate: string;
  walkthrough: string[];
}

const COLORS: Record<PolicyName, string> = { broadcast: '#c0392b', silent: '#7f8c8d', carerelay: '#1f6feb' };

/** A self-contained HTML page (inline CSS and SVG, no external assets) with the chart and the comparison table. */
export function reportHtml(input: ReportInput): string {
  const rows = comparisonRows(input.outcomes);
  const policies = input.outcomes.map((o) => o.policy);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    '<style>',
    'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#1b1f23}',
    'h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}',
    'table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{padding:.35rem .6rem;border-bottom:1px solid #e1e4e8;text-align:right}',
    'th:first-child,td:first-child{text-align:left}tr.detail td:first-child{padding-left:1.6rem;color:#57606a}',
    'pre{background:#f6f8fa;padding:1rem;overflow-x:auto;font-size:.8rem;line-height:1.45}',
    '.legend span{display:inline-block;margin-right:1.2rem}.swatch{display:inline-block;width:1.6rem;height:.25rem;vertical-align:middle;margin-right:.4rem}',
    'figure{margin:0}figcaption{color:#57606a;font-size:.85rem}',
    '</style>',
    '</head>',
    '<body>',
    `<h1>${escapeHtml(input.title)}</h1>`,
    `<p>${escapeHtml(input.summary)}</p>`,
    '<h2>Alerts per clinician per working day</h2>',
    '<figure>',
    chart(input.daily, policies, input.startDate),
    `<figcaption class="legend">${policies.map((p) => `<span><span class="swatch" style="background:${COLORS[p]}"></span>${escapeHtml(POLICY_LABELS[p])}</span>`).join('')}</figcaption>`,
    '</figure>',
    '<h2>Outcomes per policy</h2>',
    table(rows, policies),
    '<p>Definitions of every metric: <code>docs/metrics.md</code>. The clinic, the behaviour model and its parameters: <code>docs/simulation.md</code>.</p>',
    '<h2>Scenarios A and B through the engine</h2>',
    `<pre>${escapeHtml(input.walkthrough.join('\n'))}</pre>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function table(rows: readonly ComparisonRow[], policies: readonly PolicyName[]): string {
  const head = `<tr><th scope="col">Metric</th>${policies.map((p) => `<th scope="col">${escapeHtml(POLICY_LABELS[p])}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr${r.detail ? ' class="detail"' : ''}><td>${escapeHtml(r.detail ? `… ${r.label}` : r.label)}</td>${policies.map((p) => `<td>${escapeHtml(r.cells[p])}</td>`).join('')}</tr>`);
  return ['<table id="comparison">', `<thead>${head}</thead>`, '<tbody>', ...body, '</tbody>', '</table>'].join('\n');
}

/** An inline SVG line chart: one line per policy, days on x, alerts per working clinician on y. */
function chart(daily: Record<PolicyName, Array<number | null>>, policies: readonly PolicyName[], startDate: string): string {
  const width = 920;
  const height = 320;
  const left = 48;
  const right = 16;
  const top = 16;
  const bottom = 40;
  const days = Math.max(...policies.map((p) => daily[p].length), 1);
  const max = Math.max(1, ...policies.flatMap((p) => daily[p].filter((v): v is number => v !== null)));
  const step = niceStep(max / 5);
  const yMax = Math.ceil(max / step) * step;
  const x = (i: number) => left + (days <= 1 ? 0 : (i * (width - left - right)) / (days - 1));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / yMax);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Alerts per clinician per working day, per policy">`];
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    out.push(`<line x1="${left}" x2="${width - right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e1e4e8"/>`);
    out.push(`<text x="${left - 6}" y="${f(y(v) + 4)}" font-size="11" text-anchor="end" fill="#57606a">${trim(v)}</text>`);
  }
  const start = Date.parse(`${startDate}T00:00:00Z`);
  for (let i = 0; i < days; i += 7) {
    const label = new Date(start + i * 86_400_000).toISOString().slice(5, 10);
    out.push(`<line x1="${f(x(i))}" x2="${f(x(i))}" y1="${top}" y2="${height - bottom}" stroke="#f0f2f4"/>`);
    out.push(`<text x="${f(x(i))}" y="${height - bottom + 16}" font-size="11" text-anchor="middle" fill="#57606a">${label}</text>`);
  }
  out.push(`<text x="${f((left + width - right) / 2)}" y="${height - 6}" font-size="11" text-anchor="middle" fill="#57606a">day of the run (weekends and days nobody worked are skipped)</text>`);
  for (const p of policies) {
    const points = daily[p].map((v, i) => (v === null ? null : `${f(x(i))},${f(y(v))}`)).filter((s): s is string => s !== null);
    out.push(`<polyline fill="none" stroke="${COLORS[p]}" stroke-width="2" points="${points.join(' ')}"><title>${escapeHtml(POLICY_LABELS[p])}</title></polyline>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

const f = (n: number) => n.toFixed(1);
const trim = (n: number) => String(Number(n.toFixed(2)));
