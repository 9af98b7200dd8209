import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createCoordinator, createManualClock } from '@carerelay/engine';
import { type PostgresStorage, createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';
import { caseEvents, staffEvents } from './support/care-fixture.ts';
import { dropSchema, uniqueSchema } from './support/test-schema.ts';
import { type WorkerProcess, bundleWorker, seededRandom, startWorker } from './support/worker-process.ts';

/**
 * A worker process planning and delivering on PostgreSQL is killed with SIGKILL at seeded random instants, again
 * and again, each time a fresh worker taking over; then one last worker runs to the end. Every due notification
 * must be delivered, none twice at the receiver, and a notification may only have been *sent* twice when a
 * killed worker's lease on it lapsed (its attempts show the re-claim).
 *
 * The receiver is the recording channel acting as an idempotent endpoint (it records an idempotency key once,
 * as a webhook receiver dedupes on `webhook-id`): the engine sends before it marks delivered, so a kill between
 * the two can only be made harmless by the key. `npm run soak` raises the number of kills
 * (`CARERELAY_CRASH_KILLS`); `CARERELAY_CRASH_SEED` picks other kill points.
 */
const url = inject('databaseUrl');
const KILLS = Number(process.env.CARERELAY_CRASH_KILLS ?? 50);
const SEED = Number(process.env.CARERELAY_CRASH_SEED ?? 20261123);
/** Cases planned at ingest (their notifications wait in the outbox) and cases left for the workers to plan. */
const CASES = 400;
const CASES_TO_PLAN = 30;
/** When fewer deliveries than this are left and kills are still to come, another TOP_UP cases are ingested. */
const LOW_WATER = 300;
const TOP_UP = 100;
const TENANT = 'crash';
const LEASE_MS = 500;
const HOUR = 3_600_000;
/** Longest time a kill waits after the worker is ready (the work itself starts right then). */
const MAX_KILL_DELAY_MS = 80;

let storage: PostgresStorage;
let schema: string;
let outDir: string;
let bundle: string;
let current: WorkerProcess | undefined;

beforeAll(async () => {
  schema = uniqueSchema('crash');
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carerelay-pg-crash-'));
  storage = createPostgresStorage({ connectionString: url, schema, poolSize: 3 });
  await storage.migrate();
  bundle = await bundleWorker();
});

afterAll(async () => {
  current?.child.kill('SIGKILL');
  await current?.exited;
  await storage.close();
  await dropSchema(url, schema);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
});

/** Work left at the real present: due cases, and pending outbox entries (leased or not). */
async function workLeft(): Promise<{ dueCases: number; pending: number }> {
  const s = quoteIdentifier(schema);
  const now = new Date().toISOString();
  const { rows } = await storage.pool.query<{ due_cases: number; pending: number }>(
    `SELECT (SELECT count(*)::int FROM ${s}.cases WHERE tenant_id = $1 AND next_wake_at <= $2) AS due_cases,
            (SELECT count(*)::int FROM ${s}.outbox WHERE tenant_id = $1 AND status = 'pending') AS pending`,
    [TENANT, now],
  );
  return { dueCases: rows[0]!.due_cases, pending: rows[0]!.pending };
}

function lines(file: string): string[] {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

it(`survives ${KILLS}+ SIGKILLs during delivery (and some during planning): every due notification delivered, none twice`, async () => {
  // CASES cases are ingested at the present, whose review deadline passed an hour ago and whose expiry is
  // tomorrow: each queues three due notifications at once. CASES_TO_PLAN more were ingested "ten days ago" (nothing
  // due then) and are due for planning now: the first workers are killed while planning them.
  const realNow = Date.now();
  const past = new Date(realNow - 10 * 24 * HOUR).toISOString();
  const dueAt = new Date(realNow - HOUR).toISOString();
  const staff = staffEvents(TENANT, undefined, past);
  const ingestAt = async (clockAt: string, from: number, to: number) => {
    const ingestor = createCoordinator({ storage, clock: createManualClock(clockAt), tenantId: TENANT });
    const events = Array.from({ length: to - from }, (_, k) => caseEvents(TENANT, from + k, dueAt, undefined, past)).flat();
    expect(await ingestor.ingest(events)).toMatchObject({ applied: events.length, quarantined: 0, failed: 0 });
  };
  const directory = createCoordinator({ storage, clock: createManualClock(past), tenantId: TENANT });
  expect(await directory.ingest(staff)).toMatchObject({ applied: staff.length, failed: 0 });
  const present = new Date(realNow).toISOString();
  /** Ingests `count` more cases at the present, in four concurrent slices. */
  let ingested = CASES_TO_PLAN;
  const ingestNow = async (count: number) => {
    const from = ingested;
    ingested += count;
    await Promise.all([0, 1, 2, 3].map((k) => ingestAt(present, from + Math.floor((count * k) / 4), from + Math.floor((count * (k + 1)) / 4))));
  };
  await ingestAt(past, 0, CASES_TO_PLAN);
  await ingestNow(CASES);
  expect(await workLeft()).toEqual({ dueCases: CASES_TO_PLAN, pending: CASES * 3 });

  const deliveredFile = path.join(outDir, 'delivered.log');
  const config = (n: number) => ({
    url,
    schema,
    tenantId: TENANT,
    workerId: `crash-${n}`,
    mode: 'real' as const,
    outDir,
    deliveredFile,
    dedupe: true,
    caseLeaseMs: LEASE_MS,
    outboxLeaseMs: LEASE_MS,
    audit: false,
  });
  const random = seededRandom(SEED);
  let kills = 0;
  let killsWhilePlanning = 0;
  let killsWhileDelivering = 0;
  for (let n = 0; killsWhileDelivering < KILLS; n++) {
    if (n >= KILLS * 3 + 60) throw new Error(`only ${killsWhileDelivering} of ${n} kills found deliveries left`);
    // However fast the workers are here, keep enough deliveries queued for the kills still to come.
    if ((await workLeft()).pending < LOW_WATER) await ingestNow(TOP_UP);
    current = startWorker(bundle, config(n));
    await current.printed('ready');
    await new Promise((resolve) => setTimeout(resolve, random() * MAX_KILL_DELAY_MS));
    current.child.kill('SIGKILL');
    const exit = await current.exited;
    expect(exit.signal, current.stderr()).toBe('SIGKILL');
    kills += 1;
    // Planning comes first in a tick: with due cases left the worker was planning; without, delivering.
    const left = await workLeft();
    if (left.dueCases > 0) killsWhilePlanning += 1;
    else if (left.pending > 0) killsWhileDelivering += 1;
  }
  // Kills while planning depend on how fast this machine plans the queued cases; they are reported, not required.
  console.info(`PostgreSQL crash test: ${kills} kills, ${killsWhileDelivering} during delivery, ${killsWhilePlanning} during planning`);

  // A last worker takes over once the dead workers' leases lapse, and finishes the work.
  current = startWorker(bundle, config(kills));
  await current.printed('ready');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const left = await workLeft();
    if (left.dueCases + left.pending === 0) break;
    if (Date.now() > deadline) throw new Error(`work left after the last restart: ${JSON.stringify(left)}\n${current.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  current.send('stop');
  expect((await current.exited).code, current.stderr()).toBe(0);

  // Every notification is delivered, and recorded exactly once by the receiver.
  const { rows: outbox } = await storage.pool.query<{ id: string; status: string; attempts: number }>(
    `SELECT id, status, attempts FROM ${quoteIdentifier(schema)}.outbox WHERE tenant_id = $1`,
    [TENANT],
  );
  expect(outbox.length).toBe(ingested * 3);
  expect(outbox.filter((row) => row.status !== 'delivered')).toEqual([]);
  const delivered = lines(deliveredFile);
  expect(delivered.length).toBe(new Set(delivered).size);
  expect(new Set(delivered)).toEqual(new Set(outbox.map((row) => row.id)));

  // A notification was sent more than once only after a kill took its lease: its row counts the re-claim.
  const attempts = new Map<string, number>();
  for (const file of fs.readdirSync(outDir).filter((name) => name.startsWith('attempts-'))) {
    for (const id of lines(path.join(outDir, file))) attempts.set(id, (attempts.get(id) ?? 0) + 1);
  }
  const claims = new Map(outbox.map((row) => [row.id, row.attempts]));
  const resent = [...attempts].filter(([, sends]) => sends > 1);
  expect(resent.filter(([id, sends]) => (claims.get(id) ?? 0) < sends)).toEqual([]);
  console.info(
    `crash: ${kills} kills (${killsWhilePlanning} while planning, ${killsWhileDelivering} while delivering; seed ${SEED}), ` +
      `${outbox.length} notifications of ${ingested} cases delivered once; ` +
      `${resent.length} re-sent after a kill and absorbed by the idempotency key`,
  );
}, 120_000 + KILLS * 2_000);
