import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CareRelayError, type Notification, emptyCase } from '@carerelay/core';
import type { OutboxInput } from '@carerelay/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION, createSqliteStorage } from '../src/index.js';
import { exited, printed, spawnWorker } from './worker-process.js';

const T0 = '2026-11-23T14:00:00.000Z';
const TENANT = 'clinic-north';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'carerelay-sqlite-'));
  file = path.join(dir, 'carerelay.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function outboxEntry(id: string, caseId: string, deliverAt = T0): OutboxInput {
  const notification = { id, tenantId: TENANT, patientId: caseId, recipientId: 'ther-1', deliverAt } as Notification;
  return { id, caseId, recipientId: 'ther-1', deliverAt, notification };
}

/** Captures the rejection of a promise that must fail. */
async function failureOf(promise: Promise<unknown>): Promise<CareRelayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CareRelayError);
  return error as CareRelayError;
}

describe('connection settings', () => {
  it('opens a file in WAL mode with synchronous=NORMAL and foreign keys on', async () => {
    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    expect(storage.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(storage.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(storage.database.pragma('foreign_keys', { simple: true })).toBe(1);
    await storage.close();
  });

  it('syncs every commit with synchronous=FULL when asked', async () => {
    const storage = createSqliteStorage({ filename: file, synchronous: 'FULL', busyTimeoutMs: 250 });
    expect(storage.database.pragma('synchronous', { simple: true })).toBe(2);
    expect(storage.database.pragma('busy_timeout', { simple: true })).toBe(250);
    await storage.close();
  });

  it('rejects bad options with invalid_configuration naming each field', () => {
    let error: unknown;
    try {
      createSqliteStorage({ filename: '', maxAttempts: 0, busyTimeoutMs: -1 } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CareRelayError);
    expect((error as CareRelayError).code).toBe('invalid_configuration');
    expect((error as CareRelayError).issues.map((i) => i.path)).toEqual(['filename', 'maxAttempts', 'busyTimeoutMs']);
  });

  it('leaves a database the caller opened open on close()', async () => {
    const db = new Database(file);
    const storage = createSqliteStorage({ database: db });
    await storage.migrate();
    await storage.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM carerelay_migrations').get()).toEqual({ n: SQLITE_SCHEMA_VERSION });
    db.close();
  });
});

describe('migrations', () => {
  it('records each applied version once, however often migrate() runs', async () => {
    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    await storage.migrate();
    const rows = storage.database.prepare('SELECT version, name FROM carerelay_migrations ORDER BY version').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => i + 1));
    await storage.close();
  });

  it('four processes upgrading one file at the same moment all succeed and apply each version once', async () => {
    // A file whose migrations table exists but lacks our versions: every process reads "not applied" and must
    // then wait for the first one's write lock rather than fail or apply a version twice.
    const seed = new Database(file);
    seed.pragma('journal_mode = WAL');
    seed.exec('CREATE TABLE carerelay_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    seed.close();
    const workers = Array.from({ length: 4 }, () => spawnWorker('migrate', [file]));
    const results = workers.map(exited);
    await Promise.all(workers.map((w) => printed(w, 'ready')));
    for (const w of workers) w.stdin?.write('go\n');
    for (const result of await Promise.all(results)) expect(result, result.stderr).toMatchObject({ code: 0 });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT version FROM carerelay_migrations ORDER BY version').all()).toEqual(Array.from({ length: SQLITE_SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
    db.close();
  }, 30_000);

  it('refuses a database migrated by a newer adapter instead of corrupting it', async () => {
    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    storage.database.prepare("INSERT INTO carerelay_migrations VALUES (99, 'from the future', ?)").run(T0);
    const error = await failureOf(storage.migrate());
    expect(error.code).toBe('adapter_failure');
    expect(error.message).toMatch(/^sqlite: .*version 99/);
    await storage.close();
  });
});

describe('durability and errors', () => {
  it('a committed case, its events and its outbox survive closing and reopening the file', async () => {
    const first = createSqliteStorage({ filename: file });
    await first.migrate();
    const state = { ...emptyCase(TENANT, 'pat-1'), version: 1 };
    const event = { id: 'e1', tenantId: TENANT, patientId: 'pat-1', type: 'milestone.met', at: T0, milestoneId: 'm1' } as const;
    await first.commitCase(TENANT, 'pat-1', 0, { events: [event], state, nextWakeAt: T0, outbox: [outboxEntry('n1', 'pat-1')] });
    await first.close();

    const second = createSqliteStorage({ filename: file });
    await second.migrate();
    expect(await second.loadCase(TENANT, 'pat-1')).toEqual({ tenantId: TENANT, caseId: 'pat-1', version: 1, state, nextWakeAt: T0 });
    expect((await second.readEvents(TENANT, 'pat-1')).map((e) => e.event)).toEqual([event]);
    expect((await second.claimOutbox(TENANT, T0, 10, 1000, 'w')).map((e) => e.id)).toEqual(['n1']);
    await second.close();
  });

  it('using the store before migrate() fails as adapter_failure with a hint and the SQLite cause', async () => {
    const storage = createSqliteStorage({ filename: ':memory:' });
    const error = await failureOf(storage.loadCase(TENANT, 'pat-1'));
    expect(error.code).toBe('adapter_failure');
    expect(error.message).toMatch(/^sqlite: loadCase failed: no such table: carerelay_cases \(call migrate\(\) first\)$/);
    expect(error.cause).toBeInstanceOf(Database.SqliteError);
    await storage.close();
  });

  it('a commit blocked by another process’s write lock fails after the busy timeout and changes nothing', async () => {
    const storage = createSqliteStorage({ filename: file, busyTimeoutMs: 50 });
    await storage.migrate();
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const state = { ...emptyCase(TENANT, 'pat-1'), version: 1 };
    const error = await failureOf(storage.commitCase(TENANT, 'pat-1', 0, { events: [], state, nextWakeAt: T0, outbox: [] }));
    expect(error.code).toBe('adapter_failure');
    expect(error.message).toBe('sqlite: commitCase failed: database is locked');
    other.exec('ROLLBACK');
    other.close();
    expect(await storage.loadCase(TENANT, 'pat-1')).toBeUndefined();
    expect((await storage.commitCase(TENANT, 'pat-1', 0, { events: [], state, nextWakeAt: T0, outbox: [] })).ok).toBe(true);
    await storage.close();
  });

  it('a commit that fails half-way rolls back entirely (events, state and outbox)', async () => {
    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    const state = { ...emptyCase(TENANT, 'pat-1'), version: 1 };
    // The notification cannot be serialised (a BigInt): the failure comes after the case row and events were written.
    const poisoned = { ...outboxEntry('n1', 'pat-1'), notification: { bad: 1n } as unknown as Notification };
    const event = { id: 'e1', tenantId: TENANT, patientId: 'pat-1', type: 'milestone.met', at: T0, milestoneId: 'm1' } as const;
    const error = await failureOf(storage.commitCase(TENANT, 'pat-1', 0, { events: [event], state, nextWakeAt: T0, outbox: [poisoned] }));
    expect(error.code).toBe('adapter_failure');
    expect(error.message).toMatch(/^sqlite: commitCase failed: /);
    expect(await storage.loadCase(TENANT, 'pat-1')).toBeUndefined();
    expect(await storage.hasEvent(TENANT, 'e1')).toBe(false);
    await storage.close();
  });
});

describe('case listing', () => {
  it('listCaseIds pages through one tenant’s cases in order and never lists another tenant’s', async () => {
    const storage = createSqliteStorage({ filename: ':memory:' });
    await storage.migrate();
    for (const [tenant, caseId] of [[TENANT, 'pat-b'], ['other', 'pat-a'], [TENANT, 'pat-c'], [TENANT, 'pat-a']] as const) {
      await storage.commitCase(tenant, caseId, 0, { events: [], state: emptyCase(tenant, caseId), nextWakeAt: null, outbox: [] });
    }
    expect(await storage.listCaseIds(TENANT)).toEqual(['pat-a', 'pat-b', 'pat-c']);
    expect(await storage.listCaseIds(TENANT, { limit: 2 })).toEqual(['pat-a', 'pat-b']);
    expect(await storage.listCaseIds(TENANT, { afterCaseId: 'pat-b', limit: 2 })).toEqual(['pat-c']);
    expect(await storage.listCaseIds('other')).toEqual(['pat-a']);
    expect(await storage.listCaseIds('nobody')).toEqual([]);
    await storage.close();
  });
});

describe('claims', () => {
  it('three processes claiming one shared outbox deliver every entry exactly once', async () => {
    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    const ids: string[] = [];
    for (let c = 0; c < 30; c++) {
      const caseId = `pat-${c}`;
      const entries = Array.from({ length: 40 }, (_, i) => outboxEntry(`n-${c}-${i}`, caseId, new Date(Date.parse(T0) - i * 1000).toISOString()));
      ids.push(...entries.map((e) => e.id));
      await storage.commitCase(TENANT, caseId, 0, { events: [], state: emptyCase(TENANT, caseId), nextWakeAt: null, outbox: entries });
    }
    await storage.close();

    const workers = ['w1', 'w2', 'w3'].map((w) => spawnWorker('claim-outbox', [file, TENANT, w, T0]));
    const results = workers.map(exited);
    await Promise.all(workers.map((w) => printed(w, 'ready')));
    for (const w of workers) w.stdin?.write('go\n');
    const claimed = (await Promise.all(results)).flatMap((r) => {
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').filter((line) => line.startsWith('n-'));
    });
    expect(claimed).toHaveLength(ids.length);
    expect(new Set(claimed)).toEqual(new Set(ids));
  }, 30_000);

  it('claims walk the wake-up and due indexes, never the whole table', async () => {
    const storage = createSqliteStorage({ filename: ':memory:' });
    await storage.migrate();
    const plan = (sql: string) =>
      (storage.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ tenant_id: TENANT, now: T0, lease_until: T0, worker_id: 'w', limit: 10 }) as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
    const cases = plan(`SELECT rowid FROM carerelay_cases WHERE tenant_id = @tenant_id AND next_wake_at IS NOT NULL AND next_wake_at <= @now
      AND (lease_until IS NULL OR lease_until <= @now) ORDER BY next_wake_at, case_id LIMIT @limit`);
    expect(cases).toMatch(/SEARCH carerelay_cases USING INDEX carerelay_cases_wake \(tenant_id=\? AND next_wake_at>\? AND next_wake_at<\?\)/);
    expect(cases).not.toMatch(/SCAN|TEMP B-TREE/);
    const outbox = plan(`SELECT rowid FROM carerelay_outbox WHERE tenant_id = @tenant_id AND status = 'pending' AND deliver_at <= @now
      AND (lease_until IS NULL OR lease_until <= @now) ORDER BY deliver_at, recipient_id, id LIMIT @limit`);
    expect(outbox).toMatch(/SEARCH carerelay_outbox USING INDEX carerelay_outbox_due \(tenant_id=\? AND deliver_at<\?\)/);
    expect(outbox).not.toMatch(/SCAN|TEMP B-TREE/);
    await storage.close();
  });
});
