import { EventEmitter } from 'node:events';
import pg from 'pg';
import { Logger, run, runMigrations } from 'graphile-worker';
import { emptyCase } from '@carerelay/core';
import type { Channel, OutboundMessage, OutboxInput } from '@carerelay/engine';
import { createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';

const T0 = '2026-11-23T14:00:00.000Z';
const TENANT = 'bench';

/** A channel that accepts everything and does nothing: the cost measured is the outbox's. */
const noopChannel: Channel = {
  name: 'noop',
  trust: 'phi-minimal',
  async send() {
    return { status: 'delivered' };
  },
};

function entry(i: number): OutboxInput {
  const id = `n-${i}`;
  const caseId = `case-${i % 500}`;
  return {
    id,
    caseId,
    recipientId: `owner-${i % 50}`,
    deliverAt: T0,
    notification: {
      id,
      tenantId: TENANT,
      patientId: caseId,
      displayToken: 'B.K. ·0001',
      recipientId: `owner-${i % 50}`,
      level: 'reminder',
      critical: false,
      deliverAt: T0,
      taskId: `task-${i}`,
      stepId: 'reminder',
      repeat: 0,
      milestoneId: 'm-1',
      milestoneKind: 'authorization_review',
      deadline: '2026-11-26T16:00:00.000Z',
      channels: ['noop'],
      items: [],
      phiClass: 'phi-free',
    },
  };
}

/** Options of one outbox run. */
export interface OutboxRunOptions {
  url: string;
  schema: string;
  jobs: number;
  /** Concurrent worker loops. */
  workers: number;
  /** Entries claimed per round trip. */
  batch: number;
  /** Mark each entry with `markDelivered` (one round trip each, as the coordinator does today) instead of one `markDeliveredMany`. */
  perEntryMark?: boolean;
}

/**
 * CareRelay: `workers` loops, each claiming `batch` due entries in one round trip, sending each to a no-op
 * channel, and marking the batch delivered in one more round trip. Returns jobs per second.
 */
export async function careRelayOutboxRate(options: OutboxRunOptions): Promise<number> {
  const storage = createPostgresStorage({ connectionString: options.url, schema: options.schema, poolSize: options.workers + 1, notify: false });
  await storage.migrate();
  // Enqueue through the adapter's own commit path (not timed), 100 entries per case commit.
  const perCase = 100;
  for (let start = 0, c = 0; start < options.jobs; start += perCase, c++) {
    const outbox = Array.from({ length: Math.min(perCase, options.jobs - start) }, (_, k) => entry(start + k));
    const result = await storage.commitCase(TENANT, `case-${c}`, 0, { events: [], state: emptyCase(TENANT, `case-${c}`), nextWakeAt: null, outbox });
    if (!result.ok) throw new Error('bench enqueue conflicted');
  }
  await storage.pool.query(`VACUUM ANALYZE ${quoteIdentifier(options.schema)}.outbox`);

  const message = (e: ReturnType<typeof entry>): OutboundMessage => ({
    id: e.id,
    tenantId: TENANT,
    recipientId: e.recipientId,
    level: 'reminder',
    critical: false,
    trust: 'phi-minimal',
    subject: 'Items due',
    text: 'Items due',
    digest: { id: e.id } as unknown as OutboundMessage['digest'],
  });
  let delivered = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.workers }, async (_, w) => {
      const workerId = `bench-worker-${w}`;
      for (;;) {
        const claimed = await storage.claimOutbox(TENANT, T0, options.batch, 30_000, workerId);
        if (claimed.length === 0) return;
        const done: string[] = [];
        for (const item of claimed) {
          const result = await noopChannel.send(message(item), { idempotencyKey: item.id });
          if (result.status === 'delivered') done.push(item.id);
        }
        if (options.perEntryMark) {
          for (const id of done) if (await storage.markDelivered(TENANT, id, workerId, T0)) delivered += 1;
        } else {
          const marked = await storage.markDeliveredMany(TENANT, done, workerId, T0);
          delivered += marked.length;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await storage.close();
  if (delivered !== options.jobs) throw new Error(`delivered ${delivered} of ${options.jobs}`);
  return options.jobs / seconds;
}

/**
 * graphile-worker 0.16 on the same server: `jobs` no-op jobs added in one statement (not timed), then a runner
 * with `concurrency` until every job has completed (its `job:complete` event fires after the job row is gone).
 */
export async function graphileWorkerRate(options: { url: string; schema: string; jobs: number; concurrency: number }): Promise<number> {
  process.env.NO_LOG_SUCCESS = '1';
  const logger = new Logger(() => () => {});
  const pool = new pg.Pool({ connectionString: options.url, max: options.concurrency + 2 });
  try {
    await runMigrations({ pgPool: pool, schema: options.schema, logger });
    const s = quoteIdentifier(options.schema);
    await pool.query(
      `SELECT count(*) FROM ${s}.add_jobs(
         (SELECT array_agg(ROW('noop', json_build_object('n', g), NULL, NULL, NULL, NULL, NULL, NULL)::${s}.job_spec)
          FROM generate_series(1, $1::int) g))`,
      [options.jobs],
    );
    await pool.query(`VACUUM ANALYZE ${s}._private_jobs`);
    const events = new EventEmitter();
    let completed = 0;
    const finished = new Promise<void>((resolve) => {
      events.on('job:complete', () => {
        completed += 1;
        if (completed === options.jobs) resolve();
      });
    });
    const started = performance.now();
    const runner = await run({
      pgPool: pool,
      schema: options.schema,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger,
      events: events as never,
      taskList: { noop: async () => {} },
    });
    await finished;
    const seconds = (performance.now() - started) / 1000;
    await runner.stop();
    return options.jobs / seconds;
  } finally {
    await pool.end();
  }
}
