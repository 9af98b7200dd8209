import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createCoordinator, createManualClock } from '@carerelay/engine';
import { type PostgresStorage, createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';
import { staffEvents } from './support/care-fixture.ts';
import { dropSchema, uniqueSchema } from './support/test-schema.ts';
import { type WorkerProcess, bundleWorker, startWorker } from './support/worker-process.ts';

/**
 * Four worker processes run the engine on one PostgreSQL schema. 1,000 cases (two authorization milestones each,
 * three owners, four escalation steps: 12 notifications per case) are ingested by the workers; then simulated time
 * is moved forward in 12-hour steps (never more than one escalation step of a task falls due in one), each step only once the database shows no due work left at the current instant, and
 * the workers plan and deliver whatever falls due. Every notification must reach the recording channel exactly
 * once, and no case may be held by two workers at once.
 */
const url = inject('databaseUrl');
const TENANT = 'sim';
const CASES = Number(process.env.CARERELAY_PG_CASES ?? 1000);
const WORKERS = 4;
const T0 = '2026-11-02T00:00:00.000Z';
const HOUR = 3_600_000;
const STEP = 12 * HOUR;
/** The whole run (ingest, simulation, checks) must finish within this much real time. */
const BUDGET_MS = 90_000;

const instant = (ms: number) => new Date(ms).toISOString();

let storage: PostgresStorage;
let schema: string;
let outDir: string;
let bundle: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  schema = uniqueSchema('concurrency');
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carerelay-pg-concurrency-'));
  storage = createPostgresStorage({ connectionString: url, schema, poolSize: 4 });
  await storage.migrate();
  bundle = await bundleWorker();
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await storage.close();
  await dropSchema(url, schema);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
});

/** Due cases plus due pending outbox entries at `now` (claimed ones included: they are still due). */
async function dueWork(now: string): Promise<number> {
  const s = quoteIdentifier(schema);
  const { rows } = await storage.pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM ${s}.cases WHERE tenant_id = $1 AND next_wake_at <= $2)
          + (SELECT count(*) FROM ${s}.outbox WHERE tenant_id = $1 AND status = 'pending' AND deliver_at <= $2) AS n`,
    [TENANT, now],
  );
  return Number(rows[0]!.n);
}

/** The next instant anything is scheduled for: a case wake-up or a pending delivery. */
async function nextEvent(): Promise<string | null> {
  const s = quoteIdentifier(schema);
  const { rows } = await storage.pool.query<{ next: Date | null }>(
    `SELECT least((SELECT min(next_wake_at) FROM ${s}.cases WHERE tenant_id = $1),
                  (SELECT min(deliver_at) FROM ${s}.outbox WHERE tenant_id = $1 AND status = 'pending')) AS next`,
    [TENANT],
  );
  return rows[0]!.next === null ? null : rows[0]!.next.toISOString();
}

function readLines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

it(`${WORKERS} worker processes deliver ≥ 10,000 notifications of ${CASES} cases exactly once, never planning one case twice at a time`, async () => {
  const started = Date.now();
  const overBudget = () => Date.now() - started > BUDGET_MS;

  // The parent ingests the staff; each worker then ingests a quarter of the cases at T0 (scheduled, none due).
  const ingestor = createCoordinator({ storage, clock: createManualClock(T0), tenantId: TENANT });
  const staff = staffEvents(TENANT);
  expect(await ingestor.ingest(staff)).toMatchObject({ applied: staff.length, quarantined: 0, failed: 0 });

  for (let w = 0; w < WORKERS; w++) {
    workers.push(
      startWorker(bundle, {
        url,
        schema,
        tenantId: TENANT,
        workerId: `worker-${w}`,
        mode: 'sim',
        start: T0,
        outDir,
        deliveredFile: path.join(outDir, `delivered-worker-${w}.log`),
        dedupe: false,
        caseLeaseMs: 60_000,
        outboxLeaseMs: 60_000,
        audit: true,
        ingest: { from: Math.floor((CASES * w) / WORKERS), to: Math.floor((CASES * (w + 1)) / WORKERS) },
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.printed('ready')));
  const ingestSeconds = (Date.now() - started) / 1000;
  expect(await storage.pool.query(`SELECT count(*)::int AS n FROM ${quoteIdentifier(schema)}.cases`)).toMatchObject({ rows: [{ n: CASES }] });
  expect((await storage.outboxStats(TENANT, T0)).pending).toBe(0);

  // Simulated time moves only when nothing is due at the current instant, so no lease outlives a step.
  let now = T0;
  let steps = 0;
  for (;;) {
    while ((await dueWork(now)) > 0) {
      if (overBudget()) throw new Error(`over ${BUDGET_MS} ms at ${now}: ${workers.map((w) => w.stderr().slice(-500)).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const next = await nextEvent();
    if (next === null) break;
    now = instant(Math.max(Date.parse(now) + STEP, Date.parse(next)));
    steps += 1;
    for (const worker of workers) worker.send(`t ${now}`);
  }
  for (const worker of workers) worker.send('stop');
  const simSeconds = (Date.now() - started) / 1000 - ingestSeconds;
  const exits = await Promise.all(workers.map((worker) => worker.exited));
  expect(exits.map((exit) => exit.code), workers.map((w) => w.stderr()).join('\n')).toEqual(workers.map(() => 0));

  // Every outbox entry delivered, each exactly once, and nothing delivered that was never enqueued.
  const { rows: outbox } = await storage.pool.query<{ id: string; status: string }>(
    `SELECT id, status FROM ${quoteIdentifier(schema)}.outbox WHERE tenant_id = $1`,
    [TENANT],
  );
  expect(outbox.length).toBeGreaterThanOrEqual(CASES * 10);
  expect(outbox.filter((row) => row.status !== 'delivered')).toEqual([]);
  const perWorker = workers.map((_, w) => readLines(path.join(outDir, `delivered-worker-${w}.log`)));
  const delivered = perWorker.flat();
  const counts = new Map<string, number>();
  for (const id of delivered) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  expect(new Set(delivered)).toEqual(new Set(outbox.map((row) => row.id)));

  // The lease audit: per case, the claim → release intervals of different workers never overlap.
  const intervals = new Map<string, Array<{ worker: number; from: number; to: number }>>();
  const claimsPerWorker = workers.map(() => 0);
  workers.forEach((_, w) => {
    const open = new Map<string, number>();
    for (const line of readLines(path.join(outDir, `audit-worker-${w}.log`))) {
      const [kind, caseId, at] = line.split('\t') as [string, string, string];
      if (kind === 'claim') {
        open.set(caseId, Number(at));
        claimsPerWorker[w]! += 1;
      } else if (open.has(caseId)) {
        let list = intervals.get(caseId);
        if (!list) intervals.set(caseId, (list = []));
        list.push({ worker: w, from: open.get(caseId)!, to: Number(at) });
        open.delete(caseId);
      }
    }
    expect([...open.keys()], `worker-${w} ended holding cases`).toEqual([]);
  });
  const overlaps: string[] = [];
  for (const [caseId, list] of intervals) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.from < list[i - 1]!.to) overlaps.push(`${caseId}: worker-${list[i - 1]!.worker} and worker-${list[i]!.worker}`);
    }
  }
  expect(overlaps).toEqual([]);
  expect(intervals.size).toBeGreaterThanOrEqual(CASES);
  // The work was shared: more than one process planned cases and delivered notifications.
  expect(claimsPerWorker.filter((n) => n > 0).length).toBeGreaterThan(1);
  expect(perWorker.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
  console.info(
    `concurrency: ${outbox.length} notifications of ${CASES} cases in ${steps} steps, ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(ingest ${ingestSeconds.toFixed(1)} s, simulation ${simSeconds.toFixed(1)} s); ` +
      `claims per worker ${claimsPerWorker.join('/')}, deliveries per worker ${perWorker.map((ids) => ids.length).join('/')}; ` +
      workers.map((w) => w.stdout().trim().split('\n').at(-1)).join(', '),
  );
}, 120_000);
