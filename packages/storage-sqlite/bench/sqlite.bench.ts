/**
 * SQLite storage benchmarks: outbox throughput, and tick cost against the number of scheduled cases.
 * Prints markdown tables. Run: `npm run bench -w @carerelay/storage-sqlite` (or `npm run bench` at the root).
 * Env: CARERELAY_BENCH_RUNS (default 7), CARERELAY_BENCH_MAX_CASES (default 1000000), CARERELAY_BENCH_OUTBOX (default 10000).
 */
import os from 'node:os';
import { freshFileStorage, median } from './bench-fixtures.js';
import { coordinatorOutboxRun, storageOutboxRun } from './outbox-throughput.js';
import { DUE_PER_TICK, backgroundCases, clinicCoordinator, coordinatorTick, growSchedule, makeDue, storageTick } from './tick-cost.js';

const RUNS = Number(process.env.CARERELAY_BENCH_RUNS ?? 7);
const MAX_CASES = Number(process.env.CARERELAY_BENCH_MAX_CASES ?? 1_000_000);
const OUTBOX = Number(process.env.CARERELAY_BENCH_OUTBOX ?? 10_000);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const range = (values: number[], digits = 0) => `${fmt(Math.min(...values), digits)} – ${fmt(Math.max(...values), digits)}`;

console.log('# @carerelay/storage-sqlite benchmarks\n');
console.log(
  `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; file database in ${os.tmpdir()} ` +
    `(WAL, synchronous=NORMAL); median of ${RUNS} runs after one warm-up; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.\n`,
);

// ── Outbox throughput ───────────────────────────────────────────────────────────────────────────────────
const outbox: [string, () => Promise<number>][] = [
  ['storage API, claim batch 1', () => storageOutboxRun(OUTBOX, 1)],
  ['storage API, claim batch 100', () => storageOutboxRun(OUTBOX, 100)],
  ['coordinator.tick() (batch 100, render, one message each)', () => coordinatorOutboxRun(OUTBOX)],
];
console.log(`## Outbox throughput: claim → no-op channel → markDelivered (${fmt(OUTBOX)} due entries per run)\n`);
console.log('| path | deliveries/s (median) | range |');
console.log('|---|---:|---:|');
for (const [label, run] of outbox) {
  await run(); // warm-up
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) rates.push(await run());
  console.log(`| ${label} | ${fmt(median(rates))} | ${range(rates)} |`);
}
console.log();

// ── Tick cost ───────────────────────────────────────────────────────────────────────────────────────────
const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= MAX_CASES);
const { storage, dispose } = await freshFileStorage('tick');
const { coordinator, patients } = await clinicCoordinator(storage);
const rows: string[] = [];
const medians = { storage: new Map<number, number>(), engine: new Map<number, number>() };
try {
  let scheduled = 0;
  for (const size of sizes) {
    growSchedule(storage, scheduled, size);
    scheduled = size;
    storage.database.exec('ANALYZE');
    const storageTimes: number[] = [];
    const engineTimes: number[] = [];
    for (let round = 0; round <= RUNS; round++) {
      makeDue(storage, patients);
      const e = await coordinatorTick(coordinator);
      makeDue(storage, backgroundCases(size, round));
      const s = await storageTick(storage);
      if (s.handled !== DUE_PER_TICK || e.handled !== DUE_PER_TICK) throw new Error(`ticks handled ${s.handled} and ${e.handled} cases, expected ${DUE_PER_TICK}`);
      if (round === 0) continue; // warm-up
      storageTimes.push(s.ms);
      engineTimes.push(e.ms);
    }
    medians.storage.set(size, median(storageTimes));
    medians.engine.set(size, median(engineTimes));
    rows.push(`| ${fmt(size + DUE_PER_TICK)} | ${fmt(median(storageTimes), 2)} (${range(storageTimes, 1)}) | ${fmt(median(engineTimes), 2)} (${range(engineTimes, 1)}) |`);
  }
} finally {
  await dispose();
}
console.log(`## Tick cost: ${DUE_PER_TICK} due cases among many scheduled\n`);
console.log('Storage tick: claim the due cases → load → commit (lease released). `coordinator.tick()`: the same through the');
console.log(`engine, re-planning ${DUE_PER_TICK} real patients (three care-team members, two authorization milestones) with the core.\n`);
console.log('| scheduled cases | storage tick, ms (median, range) | coordinator.tick(), ms (median, range) |');
console.log('|---:|---:|---:|');
for (const row of rows) console.log(row);
const largest = sizes[sizes.length - 1]!;
if (sizes.length > 1) {
  for (const [label, map] of [['storage tick', medians.storage], ['coordinator.tick()', medians.engine]] as const) {
    const ratio = map.get(largest)! / map.get(10_000)!;
    console.log(`\n${label}: ratio ${fmt(largest)} / 10,000 = **${fmt(ratio, 2)}** (target ≤ 2: ${ratio <= 2 ? 'met' : 'missed'})`);
  }
}
