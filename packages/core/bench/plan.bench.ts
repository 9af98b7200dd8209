/**
 * Planner scaling benchmark (not a test): full `plan` over 10 k / 100 k / 1 M open requirements on one core,
 * incremental re-plan of one case after one event (p50/p99), and memory per open requirement.
 * Run: `npm run bench -w @carerelay/core` (add `-- --max 100000` to stop earlier).
 */
import {
  type CoordinationState,
  type CaseState,
  type Owner,
  CalendarCache,
  PlanMemo,
  EventSchema,
  createCoreConfig,
  emptyCase,
  emptyState,
  plan,
  planCase,
  reduceCase,
} from '../src/index.js';

const config = createCoreConfig();
const TENANT = 'bench';
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
const REQUIREMENTS_PER_CASE = 4; // two for the therapist, two for the prescriber

function owners(count: number): Record<string, Owner> {
  const result: Record<string, Owner> = {};
  for (let i = 0; i < count; i++) {
    const id = `o${i}`;
    result[id] = {
      tenantId: TENANT, id, role: i % 2 === 0 ? 'therapist' : 'prescriber', timeZone: ZONES[i % ZONES.length]!,
      workingHours: [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '09:00', durationMinutes: 480 }],
      onCall: [], absences: [], channels: {}, contact: {}, supervisorId: 'o0',
    };
  }
  return result;
}

/** A case like scenario B: adolescent in therapy and medication management, review due in 1–10 days. */
function buildCase(index: number, ownerCount: number, base: number): CaseState {
  const patientId = `p${index}`;
  const therapist = `o${(index * 2) % ownerCount}`;
  const prescriber = `o${((index * 2) % ownerCount) + 1}`;
  const at = '2026-11-01T14:00:00Z';
  const events = [
    { type: 'patient.registered', patient: { tenantId: TENANT, id: patientId, displayToken: `P·${index}`, timeZone: 'America/New_York', age: 15 } },
    { type: 'careteam.assigned', member: { ownerId: therapist, role: 'therapist' } },
    { type: 'careteam.assigned', member: { ownerId: prescriber, role: 'prescriber' } },
    { type: 'fact.recorded', fact: { kind: 'service', service: 'individual_therapy' } },
    { type: 'fact.recorded', fact: { kind: 'service', service: 'medication_management' } },
    { type: 'fact.recorded', fact: { kind: 'medication_change', medication: 'escitalopram', change: 'start', toDose: '10 mg' } },
    { type: 'milestone.scheduled', milestone: { id: `m${index}`, kind: 'authorization_review', dueAt: new Date(base + (1 + (index % 10)) * 86_400_000).toISOString() } },
  ];
  let state = emptyCase(TENANT, patientId);
  events.forEach((e, n) => {
    state = reduceCase(state, EventSchema.parse({ id: `${patientId}-${n}`, tenantId: TENANT, patientId, at, ...e }) as never, config);
  });
  return state;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

const maxFlag = process.argv.indexOf('--max');
const max = maxFlag > 0 ? Number(process.argv[maxFlag + 1]) : 1_000_000;
const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= max);
if (process.env.BENCH_ONLY) sizes.splice(0, sizes.length, Number(process.env.BENCH_ONLY));
const now = '2026-11-23T15:00:00.000Z';
const base = Date.parse('2026-11-20T20:00:00Z');
const ownerCount = 40;
const rows: string[] = [];

// Build one template case per due-day variant and share its immutable parts: states are plain data.
for (const size of sizes) {
  const cases = size / REQUIREMENTS_PER_CASE;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const state: CoordinationState = { ...emptyState(TENANT), directory: { tenantId: TENANT, owners: owners(ownerCount) } };
  for (let i = 0; i < cases; i++) state.cases[`p${i}`] = buildCase(i, ownerCount, base);
  global.gc?.();
  const bytesPerRequirement = (process.memoryUsage().heapUsed - heapBefore) / size;

  const calendars = new CalendarCache();
  plan(state, now, config, { calendars }); // warm calendars and JIT
  // Cold: every case evaluated from scratch (routing, step times, due steps) — the same state planned 5 times.
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    plan(state, now, config, { calendars });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const seconds = median(runs);
  // Steady state: the state fed back, re-planned later the same day with a memo (what a long-running planner does).
  const memo = new PlanMemo();
  const first = plan(state, now, config, { calendars, memo });
  const warmRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    const later = new Date(Date.parse(now) + (r + 1) * 60_000).toISOString();
    const t0 = process.hrtime.bigint();
    plan(first.state, later, config, { calendars, memo });
    warmRuns.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const warmSeconds = median(warmRuns);

  // Incremental: one event on one case, then re-plan that case only.
  const latencies: number[] = [];
  for (let k = 0; k < 2000; k++) {
    const id = `p${(k * 7919) % cases}`;
    const current = state.cases[id]!;
    // Validation happens once at ingestion, outside the planner: parse before timing.
    const event = EventSchema.parse({ id: `w${k}`, tenantId: TENANT, patientId: id, at: now, type: 'fact.recorded', fact: { kind: 'measure_score', instrument: 'GAD-7', score: 9 } });
    const t0 = process.hrtime.bigint();
    const next = reduceCase(current, event as never, config);
    planCase(state.directory, next, now, config, { calendars });
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  rows.push(`| ${size.toLocaleString('en-US')} | ${(size / seconds / 1e6).toFixed(2)} M/s (${(seconds * 1000).toFixed(0)} ms) | ${(size / warmSeconds / 1e6).toFixed(2)} M/s (${(warmSeconds * 1000).toFixed(0)} ms) | ${percentile(latencies, 50).toFixed(1)} µs | ${percentile(latencies, 99).toFixed(1)} µs | ${bytesPerRequirement.toFixed(0)} B |`);
  console.error(`done ${size}`);
}

console.log('| open requirements | full plan, cold (median of 5) | full plan, steady state with PlanMemo (median of 5) | re-plan one case after one event p50 | p99 | heap per open requirement |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
