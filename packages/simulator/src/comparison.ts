import type { OutcomeMetrics } from '@carerelay/core';
import { POLICY_SHORT, type PolicyName } from './messages.js';

/** One row of the comparison: a label and one cell per policy (already formatted), with an optional note. */
export interface ComparisonRow {
  label: string;
  cells: Record<PolicyName, string>;
  /** Indented detail rows render with a leading "…". */
  detail?: boolean;
}

/** What a comparison is made of: each policy's metrics and message count. */
export interface PolicyOutcome {
  policy: PolicyName;
  metrics: OutcomeMetrics;
  /** Distinct messages delivered to clinicians over the run. */
  messages: number;
  clinicians: number;
}

const ROLE_LABELS: Record<string, string> = {
  therapist: 'therapists',
  prescriber: 'prescribers',
  case_manager: 'case managers',
  ur_coordinator: 'UR coordinators',
  peer_specialist: 'peer specialists',
  supervisor: 'supervisors',
};

const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);
const num = (value: number | null, digits = 2) => (value === null ? '—' : value.toFixed(digits));
const int = (value: number) => value.toLocaleString('en-US');
const hours = (value: number | null) => (value === null ? 'not reached' : `${value.toFixed(0)} h`);

/**
 * The rows of the comparison table, in order. Pure formatting of the metrics: the same outcomes always give the
 * same strings (numbers use fixed decimals and en-US grouping).
 */
export function comparisonRows(outcomes: readonly PolicyOutcome[]): ComparisonRow[] {
  const by = Object.fromEntries(outcomes.map((o) => [o.policy, o])) as Record<PolicyName, PolicyOutcome>;
  const policies = outcomes.map((o) => o.policy);
  const row = (label: string, cell: (o: PolicyOutcome) => string, detail = false): ComparisonRow => ({
    label,
    cells: Object.fromEntries(policies.map((p) => [p, cell(by[p])])) as Record<PolicyName, string>,
    ...(detail ? { detail } : {}),
  });
  const perClinician = (o: PolicyOutcome) => o.messages / Math.max(1, o.clinicians);
  const broadcast = by.broadcast;
  const rows: ComparisonRow[] = [
    row('Alerts per clinician per working day: mean', (o) => num(o.metrics.alertsPerClinicianDay.mean)),
    row('p90', (o) => num(o.metrics.alertsPerClinicianDay.p90, 0), true),
    row('max', (o) => num(o.metrics.alertsPerClinicianDay.max, 0), true),
  ];
  const roles = Object.keys(outcomes[0]?.metrics.alertsPerClinicianDay.byRole ?? {});
  for (const role of roles) rows.push(row(`mean, ${ROLE_LABELS[role] ?? role}`, (o) => num(o.metrics.alertsPerClinicianDay.byRole[role]?.mean ?? null), true));
  rows.push(
    row('Messages per clinician over the run', (o) => perClinician(o).toFixed(1)),
    row('fewer than broadcast', (o) => (broadcast && perClinician(o) > 0 ? `${(perClinician(broadcast) / perClinician(o)).toFixed(1)}×` : '—'), true),
    row('Actionable share of alerts', (o) => pct(o.metrics.actionable.share)),
    row('Deadline hit rate (work done by the deadline)', (o) => pct(o.metrics.deadlines.rate)),
    row('deadlines missed', (o) => `${int(o.metrics.deadlines.missed)} of ${int(o.metrics.deadlines.milestones)}`, true),
    row('Treatment-interruption rate (authorizations lapsed)', (o) => pct(o.metrics.treatmentInterruption.rate)),
    row('authorizations lapsed', (o) => `${int(o.metrics.treatmentInterruption.interrupted)} of ${int(o.metrics.treatmentInterruption.authorizations)}`, true),
    row('First-time-right documentation', (o) => pct(o.metrics.firstTimeRight.rate)),
    row('reopened for rework', (o) => int(o.metrics.firstTimeRight.reopened), true),
    row('Time from referral to an owner: median', (o) => hours(o.metrics.timeToOwner.medianHours)),
    row('p90', (o) => hours(o.metrics.timeToOwner.p90Hours), true),
    row('Unassigned items (role unfilled on the team)', (o) => `${int(o.metrics.unassigned.unassigned)} (${pct(o.metrics.unassigned.share)})`),
    row('7-day follow-up after discharge (HEDIS FUH)', (o) => `${pct(o.metrics.followUpAfterDischarge.rate)} (n = ${o.metrics.followUpAfterDischarge.discharges})`),
  );
  return rows;
}

/** The comparison as a fixed-width text table (for standard output). */
export function comparisonText(outcomes: readonly PolicyOutcome[]): string {
  const rows = comparisonRows(outcomes);
  const policies = outcomes.map((o) => o.policy);
  const label = (r: ComparisonRow) => (r.detail ? `  … ${r.label}` : r.label);
  const labelWidth = Math.max('Metric'.length, ...rows.map((r) => label(r).length));
  const widths = policies.map((p) => Math.max(POLICY_SHORT[p].length, ...rows.map((r) => r.cells[p].length)));
  const line = (first: string, cells: string[]) => [first.padEnd(labelWidth), ...cells.map((c, i) => c.padStart(widths[i]!))].join('   ').trimEnd();
  const out = [line('Metric', policies.map((p) => POLICY_SHORT[p])), '-'.repeat(labelWidth + widths.reduce((s, w) => s + w + 3, 0))];
  for (const r of rows) out.push(line(label(r), policies.map((p) => r.cells[p])));
  return out.join('\n');
}
