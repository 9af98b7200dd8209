import pg from 'pg';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { CareRelayError, emptyCase } from '@carerelay/core';
import type { OutboxInput } from '@carerelay/engine';
import { MIGRATIONS, type PostgresStorage, createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';
import { statementsFor } from '../src/statements.ts';
import { freePort } from './support/embedded-database.ts';
import { dropSchema, uniqueSchema } from './support/test-schema.ts';

const url = inject('databaseUrl');
const T0 = '2026-11-23T14:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

const admin = new pg.Pool({ connectionString: url, max: 2 });
const opened: PostgresStorage[] = [];
const schemas = new Set<string>();
afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
  await Promise.all([...schemas].map((schema) => dropSchema(url, schema)));
  schemas.clear();
});
afterAll(() => admin.end());

function open(schema: string, extra: { notify?: boolean; maxAttempts?: number } = {}): PostgresStorage {
  const storage = createPostgresStorage({ connectionString: url, schema, poolSize: 3, ...extra });
  opened.push(storage);
  schemas.add(schema);
  return storage;
}

function outboxEntry(id: string, caseId: string, deliverAt: string): OutboxInput {
  return {
    id,
    caseId,
    recipientId: 'owner-1',
    deliverAt,
    notification: {
      id,
      tenantId: 'tenant-a',
      patientId: caseId,
      displayToken: 'T.K. ·0001',
      recipientId: 'owner-1',
      level: 'reminder',
      critical: false,
      deliverAt,
      taskId: 'task-1',
      stepId: 'reminder',
      repeat: 0,
      milestoneId: 'm-1',
      milestoneKind: 'authorization_review',
      deadline: at(86_400_000),
      channels: ['in_app'],
      items: [],
      phiClass: 'phi-free',
    },
  };
}

async function commitOutbox(storage: PostgresStorage, tenantId: string, caseId: string, version: number, entries: OutboxInput[], nextWakeAt: string | null = null) {
  const result = await storage.commitCase(tenantId, caseId, version, {
    events: [],
    state: emptyCase(tenantId, caseId),
    nextWakeAt,
    outbox: entries,
  });
  expect(result.ok).toBe(true);
}

/** Resolves with how many wake-ups arrived within `ms` (notifications travel through the server). */
function collectWakes(storage: PostgresStorage, tenantId: string) {
  let count = 0;
  let waiter: (() => void) | undefined;
  const unsubscribe = storage.subscribe(tenantId, () => {
    count += 1;
    waiter?.();
  });
  return {
    get count() {
      return count;
    },
    /** Waits until at least `n` wake-ups arrived, or `ms` passed. */
    async until(n: number, ms = 3000) {
      const deadline = Date.now() + ms;
      while (count < n && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 50);
        });
      }
      return count;
    },
    unsubscribe,
  };
}

describe('schema', () => {
  it('works under a schema name that needs quoting, isolated from another schema', async () => {
    const odd = open(`Care "Relay"; DROP SCHEMA public -- ${uniqueSchema('q')}`.slice(0, 63));
    const plain = open(uniqueSchema('plain'));
    await odd.migrate();
    await plain.migrate();
    await commitOutbox(odd, 'tenant-a', 'c1', 0, [outboxEntry('n1', 'c1', T0)], T0);
    expect((await odd.getOutboxEntry('tenant-a', 'n1'))?.status).toBe('pending');
    expect(await plain.getOutboxEntry('tenant-a', 'n1')).toBeUndefined();
    expect(await plain.loadCase('tenant-a', 'c1')).toBeUndefined();
    const { rows } = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', ['public']);
    expect(rows).toHaveLength(1);
  });

  it('records each migration once, even when many processes migrate at the same time', async () => {
    const schema = uniqueSchema('migrate');
    const storages = Array.from({ length: 5 }, () => open(schema));
    await Promise.all(storages.map((storage) => storage.migrate()));
    const { rows } = await admin.query<{ version: number }>(`SELECT version FROM ${quoteIdentifier(schema)}.migrations ORDER BY version`);
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
    await storages[0]!.migrate();
    const again = await admin.query(`SELECT version FROM ${quoteIdentifier(schema)}.migrations`);
    expect(again.rowCount).toBe(2);
  });

  it('upgrades a version-1 schema in place: pending entries stay claimable and can then be assigned to a message', async () => {
    const schema = uniqueSchema('upgrade');
    const s = quoteIdentifier(schema);
    const [first] = MIGRATIONS;
    const client = await admin.connect();
    try {
      await client.query(`CREATE SCHEMA ${s}`);
      await client.query(`CREATE TABLE ${s}.migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      await client.query(first!.sql(s));
      await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES (1, $1)`, [first!.name]);
      await client.query(
        `INSERT INTO ${s}.outbox (tenant_id, id, case_id, recipient_id, deliver_at, notification) VALUES ('tenant-a', 'n1', 'c1', 'owner-1', $1, $2)`,
        [T0, JSON.stringify(outboxEntry('n1', 'c1', T0).notification)],
      );
    } finally {
      client.release();
    }
    const storage = open(schema);
    await storage.migrate();
    const { rows } = await admin.query<{ def: string }>('SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND indexname = $2', [schema, 'outbox_due_idx']);
    expect(rows[0]?.def).toMatch(/\(tenant_id, deliver_at, recipient_id, id\) WHERE \(status = 'pending'::text\)$/);
    const [claimed] = await storage.claimOutbox('tenant-a', T0, 10, 60_000, 'w1');
    expect(claimed).toMatchObject({ id: 'n1', attempts: 1 });
    expect(claimed?.message).toBeUndefined();
    expect(await storage.assignMessage('tenant-a', { id: 'dig-1', notificationIds: ['n1'] }, 'w1')).toBe(true);
    expect((await storage.getOutboxEntry('tenant-a', 'n1'))?.message).toEqual({ id: 'dig-1', notificationIds: ['n1'] });
  });

  it('rejects a schema name PostgreSQL would truncate', () => {
    expect(() => createPostgresStorage({ connectionString: url, schema: 'x'.repeat(64) })).toThrow(CareRelayError);
  });
});

describe('options and errors', () => {
  it('rejects options with neither or both of connectionString and pool', () => {
    const neither = () => createPostgresStorage({} as never);
    expect(neither).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    const pool = new pg.Pool({ connectionString: url });
    expect(() => createPostgresStorage({ connectionString: url, pool })).toThrow(/exactly one of connectionString or pool/);
    return pool.end();
  });

  it('reports driver failures as adapter_failure, prefixed postgres:, with the driver error as cause', async () => {
    const port = await freePort();
    const storage = createPostgresStorage({ connectionString: `postgres://nobody:nothing@127.0.0.1:${port}/none` });
    opened.push(storage);
    const error = await storage.loadCase('tenant-a', 'c1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CareRelayError);
    expect(error).toMatchObject({ code: 'adapter_failure' });
    expect((error as CareRelayError).message).toMatch(/^postgres: loadCase failed: /);
    expect((error as CareRelayError).cause).toBeInstanceOf(Error);
  });

  it('reports a missing schema (migrate not called) as adapter_failure with the SQLSTATE', async () => {
    const storage = open(uniqueSchema('unmigrated'));
    await expect(storage.claimOutbox('tenant-a', T0, 10, 1000, 'w1')).rejects.toMatchObject({
      code: 'adapter_failure',
      message: expect.stringMatching(/^postgres: claimOutbox failed: .*\[42P01\]$/),
    });
  });

  it('refuses calls after close, and leaves a pool it was given open', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const schema = uniqueSchema('given_pool');
    schemas.add(schema);
    const storage = createPostgresStorage({ pool, schema });
    await storage.migrate();
    await storage.close();
    await expect(storage.loadCase('tenant-a', 'c1')).rejects.toMatchObject({ code: 'adapter_failure', message: /storage is closed/ });
    expect((await pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    await pool.end();
  });
});

describe('payloads', () => {
  it('stores case state, events and notifications byte for byte, NUL characters and astral symbols included', async () => {
    const storage = open(uniqueSchema('payloads'));
    await storage.migrate();
    const state = { ...emptyCase('tenant-a', 'c1'), facts: [{ id: 'f', at: T0, fact: { kind: 'service', service: 'odd \u0000 text 🧠 "quoted" \\ back' } }] };
    const entry = outboxEntry('n1', 'c1', T0);
    entry.notification.items = [{ requirementId: 'r', ownerId: 'o', summary: 'nul \u0000 here', text: '🧠', reason: 'r', deadline: T0, milestoneId: 'm', milestoneKind: 'authorization_review' }];
    const event = { id: 'e1', tenantId: 'tenant-a', patientId: 'c1', type: 'fact.recorded' as const, at: T0, fact: { kind: 'service' as const, service: 'x \u0000 y' } };
    const result = await storage.commitCase('tenant-a', 'c1', 0, { events: [event as never], state: state as never, nextWakeAt: T0, outbox: [entry] });
    expect(result.ok).toBe(true);
    expect((await storage.loadCase('tenant-a', 'c1'))?.state).toEqual(state);
    expect((await storage.readEvents('tenant-a', 'c1'))[0]?.event).toEqual(event);
    expect((await storage.getOutboxEntry('tenant-a', 'n1'))?.notification).toEqual(entry.notification);
  });

  it('keeps an inbox message whose text holds a NUL character, shown as U+FFFD', async () => {
    const storage = open(uniqueSchema('inbox_nul'));
    await storage.migrate();
    const message = { id: 'm1', ownerId: 'o1', createdAt: T0, level: 'reminder' as const, critical: false, subject: 'Items due', text: 'a\u0000b', notificationIds: ['n1'], taskIds: ['t1'], patientIds: ['p1'] };
    await storage.appendInbox('tenant-a', message);
    expect((await storage.listInbox('tenant-a', 'o1'))[0]?.text).toBe('a\uFFFDb');
  });
});

describe('markDeliveredMany', () => {
  it('marks a claimed batch in one call, skipping entries the worker does not hold', async () => {
    const storage = open(uniqueSchema('many'));
    await storage.migrate();
    await commitOutbox(storage, 'tenant-a', 'c1', 0, ['n1', 'n2', 'n3', 'n4'].map((id) => outboxEntry(id, 'c1', T0)));
    const mine = await storage.claimOutbox('tenant-a', T0, 3, 60_000, 'w1');
    expect(mine.map((entry) => entry.id)).toHaveLength(3);
    const [other] = await storage.claimOutbox('tenant-a', T0, 3, 60_000, 'w2');
    const marked = await storage.markDeliveredMany('tenant-a', [...mine.map((entry) => entry.id), other!.id, 'missing'], 'w1', at(1000));
    expect(marked.sort()).toEqual(mine.map((entry) => entry.id).sort());
    expect(await storage.markDeliveredMany('tenant-b', [other!.id], 'w2', at(1000))).toEqual([]);
    expect((await storage.getOutboxEntry('tenant-a', other!.id))?.status).toBe('pending');
    const stats = await storage.outboxStats('tenant-a', at(1000));
    expect(stats).toMatchObject({ delivered: 3, pending: 1, leased: 1 });
    expect(await storage.markDeliveredMany('tenant-a', [], 'w1', at(1000))).toEqual([]);
  });
});

describe('claim order', () => {
  it('reads the first due entries from outbox_due_idx in (deliver_at, recipient_id, id) order, without a sort', async () => {
    const schema = uniqueSchema('claim_plan');
    const storage = open(schema);
    await storage.migrate();
    const s = quoteIdentifier(schema);
    // 20,000 pending entries over 200 instants and 50 recipients, in two tenants, inserted out of order.
    await admin.query(
      `INSERT INTO ${s}.outbox (tenant_id, id, case_id, recipient_id, deliver_at, notification)
       SELECT CASE WHEN i % 2 = 0 THEN 'tenant-a' ELSE 'tenant-b' END, 'n' || lpad((i * 7919 % 20000)::text, 5, '0'), 'c' || (i % 300),
              'owner-' || (i * 31 % 50), $1::timestamptz + ((i * 13 % 200) || ' seconds')::interval, '{}'::json
       FROM generate_series(1, 20000) AS i`,
      [T0],
    );
    await admin.query(`ANALYZE ${s}.outbox`);
    const claim = statementsFor(s).claimOutbox;
    const { rows } = await admin.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${claim.text}`, ['tenant-a', at(60_000), 100, 'w1', at(120_000)]);
    const plan = JSON.stringify(rows[0]?.['QUERY PLAN']);
    expect(plan).toContain('"Index Name":"outbox_due_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
    expect(plan).not.toContain('"Node Type":"Incremental Sort"');
    const claimed = await storage.claimOutbox('tenant-a', at(60_000), 100, 60_000, 'w1');
    const keys = claimed.map((entry) => [entry.deliverAt, entry.recipientId, entry.id].join(' '));
    expect(claimed).toHaveLength(100);
    expect(keys).toEqual([...keys].sort());
    expect(claimed[0]?.deliverAt).toBe(T0);
  });
});

describe('assignMessage', () => {
  it('changes nothing when another worker takes an entry over while the assignment waits for its row lock', async () => {
    const schema = uniqueSchema('assign_race');
    const storage = open(schema);
    await storage.migrate();
    await commitOutbox(storage, 'tenant-a', 'c1', 0, ['n1', 'n2'].map((id) => outboxEntry(id, 'c1', T0)));
    expect(await storage.claimOutbox('tenant-a', T0, 10, 60_000, 'w1')).toHaveLength(2);
    // Another transaction moves n2 to w2 (as a claim after a lapsed lease would) and holds its row lock.
    const other = await admin.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE ${quoteIdentifier(schema)}.outbox SET lease_owner = 'w2' WHERE tenant_id = 'tenant-a' AND id = 'n2'`);
      const assigning = storage.assignMessage('tenant-a', { id: 'dig-1', notificationIds: ['n1', 'n2'] }, 'w1');
      await waitForLockWait(schema);
      await other.query('COMMIT');
      expect(await assigning).toBe(false);
    } finally {
      other.release();
    }
    expect((await storage.getOutboxEntry('tenant-a', 'n1'))?.message).toBeUndefined();
    expect((await storage.getOutboxEntry('tenant-a', 'n2'))?.message).toBeUndefined();
    expect(await storage.assignMessage('tenant-a', { id: 'dig-1', notificationIds: ['n1'] }, 'w1')).toBe(true);
  });

  it('keeps the notification ids as given, repeats included, and refuses an empty message', async () => {
    const storage = open(uniqueSchema('assign_ids'));
    await storage.migrate();
    await commitOutbox(storage, 'tenant-a', 'c1', 0, ['n2', 'n1'].map((id) => outboxEntry(id, 'c1', T0)));
    await storage.claimOutbox('tenant-a', T0, 10, 60_000, 'w1');
    expect(await storage.assignMessage('tenant-a', { id: 'dig-1', notificationIds: [] }, 'w1')).toBe(false);
    const message = { id: 'dig-1', notificationIds: ['n2', 'n1', 'n2'] };
    expect(await storage.assignMessage('tenant-a', message, 'w1')).toBe(true);
    expect((await storage.getOutboxEntry('tenant-a', 'n1'))?.message).toEqual(message);
    expect((await storage.getOutboxEntry('tenant-a', 'n2'))?.message).toEqual(message);
  });
});

/** Waits until a statement on the schema's outbox is waiting for a row lock. */
async function waitForLockWait(schema: string) {
  for (let tries = 0; tries < 200; tries += 1) {
    const { rows } = await admin.query(
      `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'`,
      [`${quoteIdentifier(schema)}.outbox`],
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the assignment never waited for the row lock');
}

describe('LISTEN/NOTIFY wake-ups', () => {
  it('wakes a subscriber in another process-like pool when work is enqueued for its tenant, and not for others', async () => {
    const schema = uniqueSchema('wake');
    const worker = open(schema);
    const writer = open(schema);
    await writer.migrate();
    const tenantA = collectWakes(worker, 'tenant-a');
    const tenantB = collectWakes(worker, 'tenant-b');
    // The first wake-up arrives when LISTEN is established (notifications before it would be lost).
    expect(await tenantA.until(1)).toBe(1);
    await tenantB.until(1);
    const baseB = tenantB.count;

    await commitOutbox(writer, 'tenant-a', 'c1', 0, [outboxEntry('n1', 'c1', at(60_000))]);
    expect(await tenantA.until(2)).toBe(2);
    // Re-enqueueing an id already present adds nothing, so nobody is woken.
    await commitOutbox(writer, 'tenant-a', 'c1', 1, [outboxEntry('n1', 'c1', at(60_000))]);
    // A wake-up moved earlier wakes; one moved later does not.
    await commitOutbox(writer, 'tenant-a', 'c2', 0, [], at(5000));
    expect(await tenantA.until(3)).toBe(3);
    await commitOutbox(writer, 'tenant-a', 'c2', 1, [], at(9000));
    await commitOutbox(writer, 'tenant-a', 'c2', 2, [], at(1000));
    expect(await tenantA.until(4)).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tenantA.count).toBe(4);
    expect(tenantB.count).toBe(baseB);

    tenantA.unsubscribe();
    await commitOutbox(writer, 'tenant-a', 'c3', 0, [outboxEntry('n9', 'c3', T0)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tenantA.count).toBe(4);
    tenantB.unsubscribe();
  });

  it('sends nothing when notify is off', async () => {
    const schema = uniqueSchema('quiet');
    const worker = open(schema);
    const writer = open(schema, { notify: false });
    await writer.migrate();
    const wakes = collectWakes(worker, 'tenant-a');
    await wakes.until(1);
    await commitOutbox(writer, 'tenant-a', 'c1', 0, [outboxEntry('n1', 'c1', T0)], T0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wakes.count).toBe(1);
    wakes.unsubscribe();
  });

  it('listens on a connection of its own (a pool of one still serves queries) or on one of a pool it was given', async () => {
    const schema = uniqueSchema('listen_conn');
    const tiny = createPostgresStorage({ connectionString: url, schema, poolSize: 1 });
    opened.push(tiny);
    schemas.add(schema);
    await tiny.migrate();
    const wakes = collectWakes(tiny, 'tenant-a');
    await wakes.until(1);
    await commitOutbox(tiny, 'tenant-a', 'c1', 0, [outboxEntry('n1', 'c1', T0)]);
    expect(await wakes.until(2)).toBe(2);
    wakes.unsubscribe();

    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const given = createPostgresStorage({ pool, schema });
    const viaPool = collectWakes(given, 'tenant-a');
    await viaPool.until(1);
    await commitOutbox(tiny, 'tenant-a', 'c2', 0, [outboxEntry('n2', 'c2', T0)]);
    expect(await viaPool.until(2)).toBe(2);
    viaPool.unsubscribe();
    await given.close();
    await pool.end();
  });

  it('re-establishes LISTEN after its connection is killed, and wakes subscribers when it does', async () => {
    const schema = uniqueSchema('relisten');
    const worker = open(schema);
    const writer = open(schema);
    await writer.migrate();
    const wakes = collectWakes(worker, 'tenant-a');
    await wakes.until(1);
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND application_name = 'carerelay'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    await Promise.all(rows.map((row) => admin.query('SELECT pg_terminate_backend($1)', [row.pid])));
    // Reconnected (after the first backoff step) and woke everyone, then hears commits again.
    expect(await wakes.until(2, 5000)).toBe(2);
    await commitOutbox(writer, 'tenant-a', 'c1', 0, [outboxEntry('n1', 'c1', T0)]);
    expect(await wakes.until(3)).toBe(3);
    wakes.unsubscribe();
  });
});

describe('claims', () => {
  it('claims the earliest due cases first across many cases, each once, in one batch per call', async () => {
    const storage = open(uniqueSchema('claims'));
    await storage.migrate();
    for (let i = 0; i < 30; i++) {
      await storage.commitCase('tenant-a', `c${i}`, 0, { events: [], state: emptyCase('tenant-a', `c${i}`), nextWakeAt: at(i < 20 ? -i * 1000 : 60_000), outbox: [] });
    }
    const batches = await Promise.all(Array.from({ length: 4 }, (_, w) => storage.claimDueCases('tenant-a', T0, 8, 30_000, `w${w}`)));
    const ids = batches.flat().map((claim) => claim.caseId);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    for (const batch of batches) {
      const wakes = batch.map((claim) => claim.nextWakeAt);
      expect(wakes).toEqual([...wakes].sort());
    }
  });
});
