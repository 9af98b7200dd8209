import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';
import { POLICY_LABELS } from '../src/messages.js';
import { htmlProblems } from './html-validator.js';

const quiet = { stdout: () => {}, stderr: () => {} };

describe('the HTML report', async () => {
  const { html, outcomes } = await runDemo({ days: 10, patients: 60, seed: 3, out: null }, quiet);

  it('is well-formed, self-contained HTML', () => {
    expect(htmlProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('holds the comparison table with a column per policy and the metrics as rows', () => {
    const table = html.slice(html.indexOf('<table id="comparison">'), html.indexOf('</table>'));
    for (const policy of outcomes.map((o) => o.policy)) expect(table).toContain(POLICY_LABELS[policy].replace(/&/g, '&amp;'));
    for (const label of ['Alerts per clinician per working day: mean', 'Actionable share of alerts', 'Deadline hit rate', 'Treatment-interruption rate', 'First-time-right documentation', 'Time from referral to an owner', 'Unassigned items', '7-day follow-up after discharge']) {
      expect(table).toContain(label);
    }
    expect(table.match(/<tr/g)?.length).toBeGreaterThan(15);
  });

  it('charts alerts per clinician per day with one line per policy', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('aria-label="Alerts per clinician per working day, per policy"');
  });

  it('the validator itself catches broken markup', () => {
    expect(htmlProblems('<!DOCTYPE html><html><body><p>x</body></html>')).not.toEqual([]);
    expect(htmlProblems('<!DOCTYPE html><html><body><p>a > b</p></body></html>')).not.toEqual([]);
    expect(htmlProblems('<!DOCTYPE html><html><head><link href="https://cdn.example/x.css"></head></html>')).not.toEqual([]);
  });
});
