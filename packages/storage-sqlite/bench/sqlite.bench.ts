/**
 * SQLite storage benchmarks: outbox throughput and tick cost against schedule size. Prints markdown tables.
 * Run: `npm run bench -w @carerelay/storage-sqlite` (or `npm run bench` at the root).
 * Env: CARERELAY_BENCH_RUNS (default 7), CARERELAY_BENCH_MAX_CASES (default 1000000), CARERELAY_BENCH_OUTBOX (default 10000).
 */
import os from 'node:os';
import { freshFileStorage, median } from './bench-fixtures.js';
import { outboxRun } from './outbox-throughput.js';
import { DUE_PER_TICK, growSchedule, makeDue, storageTick } from './tick-cost.js';

const RUNS = Number(process.env.CARERELAY_BENCH_RUNS ?? 7);
const MAX_CASES = Number(process.env.CARERELAY_BENCH_MAX_CASES ?? 1_000_000);
const OUTBOX = Number(process.env.CARERELAY_BENCH_OUTBOX ?? 10_000);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

console.log(`# @carerelay/storage-sqlite benchmarks\n`);
console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}; file database in ${os.tmpdir()} (WAL, synchronous=NORMAL); median of ${RUNS} runs.\n`);

// ── Outbox throughput ───────────────────────────────────────────────────────────────────────────────────
const outboxRows: string[] = [];
for (const batch of [1, 100]) {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) rates.push(await outboxRun(OUTBOX, batch));
  outboxRows.push(`| ${batch} | ${fmt(OUTBOX)} | ${fmt(median(rates))} | ${fmt(Math.min(...rates))} – ${fmt(Math.max(...rates))} |`);
}
console.log('## Outbox throughput (claim batch → no-op channel → markDelivered)\n');
console.log('| claim batch | entries per run | deliveries/s (median) | range |');
console.log('|---:|---:|---:|---:|');
for (const row of outboxRows) console.log(row);
console.log();

// ── Tick cost ───────────────────────────────────────────────────────────────────────────────────────────
const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= MAX_CASES);
const { storage, dispose } = await freshFileStorage('tick');
const tickRows: string[] = [];
const medians = new Map<number, number>();
let scheduled = 0;
try {
  for (const size of sizes) {
    growSchedule(storage, scheduled, size);
    scheduled = size;
    storage.database.exec('ANALYZE');
    const times: number[] = [];
    // One warm-up round, then the measured ones.
    for (let round = 0; round <= RUNS; round++) {
      makeDue(storage, size, DUE_PER_TICK, round);
      const { ms, handled } = await storageTick(storage);
      if (handled !== DUE_PER_TICK) throw new Error(`tick handled ${handled} cases, expected ${DUE_PER_TICK}`);
      if (round > 0) times.push(ms);
    }
    medians.set(size, median(times));
    tickRows.push(`| ${fmt(size)} | ${DUE_PER_TICK} | ${fmt(median(times), 2)} | ${fmt(Math.min(...times), 2)} – ${fmt(Math.max(...times), 2)} |`);
  }
} finally {
  await dispose();
}
console.log(`## Tick cost (claim ${DUE_PER_TICK} due cases → load → commit, storage only)\n`);
console.log('| scheduled cases | due | ms per tick (median) | range |');
console.log('|---:|---:|---:|---:|');
for (const row of tickRows) console.log(row);
const small = medians.get(10_000);
const large = medians.get(sizes[sizes.length - 1]!);
if (small !== undefined && large !== undefined && sizes.length > 1) {
  const ratio = large / small;
  console.log(`\nRatio ${fmt(sizes[sizes.length - 1]!)} / 10,000: **${fmt(ratio, 2)}** (target ≤ 2: ${ratio <= 2 ? 'met' : 'missed'})`);
}
