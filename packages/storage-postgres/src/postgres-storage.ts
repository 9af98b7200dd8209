import pg from 'pg';
import type { Pool, QueryResult, QueryResultRow } from 'pg';
import {
  type CareEvent,
  CareRelayError,
  describeIssues,
  emptyDirectory,
  issuesFromZod,
} from '@carerelay/core';
import type {
  CareRelayStorage,
  CaseClaim,
  CaseCommit,
  CommitResult,
  DeliveryFailure,
  InboxMessage,
  InboxMessageInput,
  OutboxEntry,
  OutboxMessageRef,
  OutboxStats,
  QuarantineInput,
  QuarantineRecord,
  StoredEvent,
} from '@carerelay/engine';
import { adapterFailure } from './adapter-error.js';
import { duplicatesOf, eventColumns, uniqueEvents } from './event-batch.js';
import { applyMigrations } from './migrate.js';
import { type PostgresStorageOptions, PostgresStorageOptionsSchema } from './options.js';
import {
  type CaseClaimRow,
  type CaseRow,
  type InboxRow,
  type OutboxRow,
  type QuarantineRow,
  caseClaimOf,
  caseRecordOf,
  directoryOf,
  inboxMessageOf,
  instantOf,
  jsonOf,
  outboxEntryOf,
  quarantineRecordOf,
} from './row-mapping.js';
import { quoteIdentifier, wakeChannelFor } from './schema-name.js';
import { type Statement, statementsFor } from './statements.js';
import { type ListenConnection, type WakeHandler, WakeListener } from './wake-listener.js';

/**
 * The PostgreSQL storage adapter: {@link CareRelayStorage} (with its optional `listCaseIds`) plus the optional
 * capabilities a worker uses when present — `markDeliveredMany` (a delivered digest marked in one statement),
 * `assignMessage` (a digest's members recorded before its first send) and `subscribe` (LISTEN/NOTIFY wake-ups, so a
 * sleeping worker starts at once when another process enqueues work).
 */
export interface PostgresStorage extends CareRelayStorage {
  /** The tenant's case ids in byte order, at most `limit` after `afterCaseId` (keyset paging on the primary key). */
  listCaseIds(tenantId: string, options?: { afterCaseId?: string; limit?: number }): Promise<string[]>;
  /** The schema holding the tables. */
  readonly schema: string;
  /** The pool the adapter queries (yours, or the one it made from `connectionString`). */
  readonly pool: Pool;
  /**
   * Marks many claimed entries delivered in one statement; returns the ids it marked. Ids the worker no longer
   * holds (or that are not pending) are skipped, as {@link CareRelayStorage.markDelivered} would refuse them.
   */
  markDeliveredMany(tenantId: string, ids: readonly string[], workerId: string, at: string): Promise<string[]>;
  /**
   * Records the message that carries the given entries (`message.notificationIds`) on each of them, in one
   * statement, all or nothing: only when every one is pending, leased to `workerId` and unassigned or already on
   * `message.id`; otherwise changes nothing and returns false. Never cleared; read back as `OutboxEntry.message`.
   */
  assignMessage(tenantId: string, message: OutboxMessageRef, workerId: string): Promise<boolean>;
  /**
   * Calls `onWake` when another process (or this one) commits an outbox entry or moves a case's wake-up
   * earlier for `tenantId`, and once whenever the LISTEN connection is (re-)established. Wake-ups are hints:
   * keep polling at `earliestWakeAt` too. Returns the function that unsubscribes. Holds one connection while
   * anybody is subscribed (its own with `connectionString`, one of the pool's with `pool`). The committing side
   * needs `notify` (the default).
   */
  subscribe(tenantId: string, onWake: WakeHandler): () => void;
}

/**
 * Creates the PostgreSQL storage adapter. Give a `connectionString` (the adapter owns its pool and ends it
 * on `close()`) or a `pool` you manage. Call `migrate()` once at start (safe from many processes at once).
 * Every failure is a `CareRelayError` with code `adapter_failure`, a message starting `postgres: `, and the
 * driver's error as `cause`.
 *
 * @example
 * ```ts
 * const storage = createPostgresStorage({ connectionString: process.env.DATABASE_URL, schema: 'carerelay' });
 * await storage.migrate();
 * const coordinator = createCoordinator({ storage });
 * ```
 * @throws CareRelayError `invalid_configuration` when the options are invalid.
 */
export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const parsed = PostgresStorageOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    throw new CareRelayError('invalid_configuration', `postgres: invalid options: ${describeIssues(issues)}`, { issues });
  }
  const config = parsed.data;
  const schemaSql = quoteIdentifier(config.schema);
  const ownsPool = config.pool === undefined;
  const pool: Pool =
    config.pool ??
    new pg.Pool({
      connectionString: config.connectionString,
      application_name: 'carerelay',
      keepAlive: true,
      ...(config.poolSize === undefined ? {} : { max: config.poolSize }),
    });
  if (ownsPool) {
    // An idle client's connection error would otherwise crash the process; the next query reports it.
    pool.on('error', (error) => config.onError?.(adapterFailure('idle connection', error)));
  }
  const sql = statementsFor(schemaSql);
  const channel = wakeChannelFor(config.schema);
  const notifyChannel = config.notify ? channel : null;
  // LISTEN needs a connection of its own for as long as anybody is subscribed. With a connection string it is a
  // separate client, so it never takes a slot of the pool; with your pool it is one of the pool's connections.
  const connectListener = async (): Promise<ListenConnection> => {
    if (config.connectionString !== undefined) {
      const client = new pg.Client({ connectionString: config.connectionString, application_name: 'carerelay', keepAlive: true });
      try {
        await client.connect();
      } catch (error) {
        client.end().catch(() => undefined);
        throw error;
      }
      return { client, release: () => void client.end().catch(() => undefined) };
    }
    const client = await pool.connect();
    // Closed, not returned: a connection that LISTENed is not handed to other queries.
    return { client, release: (error) => client.release(error ?? true) };
  };
  const listener = new WakeListener(connectListener, channel, config.onError);
  let closed = false;

  const execute = async <R extends QueryResultRow>(operation: string, stmt: Statement, values: unknown[]): Promise<QueryResult<R>> => {
    if (closed) throw new CareRelayError('adapter_failure', `postgres: ${operation} failed: storage is closed`);
    try {
      return await pool.query<R>({ name: stmt.name, text: stmt.text, values });
    } catch (error) {
      throw adapterFailure(operation, error);
    }
  };
  const query = async <R extends QueryResultRow>(operation: string, stmt: Statement, values: unknown[]): Promise<R[]> =>
    (await execute<R>(operation, stmt, values)).rows;
  /** The number of rows a statement changed. */
  const changed = async (operation: string, stmt: Statement, values: unknown[]): Promise<number> =>
    (await execute(operation, stmt, values)).rowCount ?? 0;

  const plus = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

  interface CommitRow {
    version: number;
    inserted: string[];
  }

  const storage: PostgresStorage = {
    name: 'postgres',
    schema: config.schema,
    pool,

    async migrate() {
      if (closed) throw new CareRelayError('adapter_failure', 'postgres: migrate failed: storage is closed');
      try {
        await applyMigrations(pool, config.schema);
      } catch (error) {
        throw adapterFailure('migrate', error);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      listener.close();
      if (ownsPool) {
        try {
          await pool.end();
        } catch (error) {
          throw adapterFailure('close', error);
        }
      }
    },

    async loadCase(tenantId, caseId) {
      const [row] = await query<CaseRow>('loadCase', sql.loadCase, [tenantId, caseId]);
      return row ? caseRecordOf(tenantId, row) : undefined;
    },

    async commitCase(tenantId, caseId, expectedVersion, commit: CaseCommit): Promise<CommitResult> {
      const events = uniqueEvents(commit.events);
      const shared = [
        tenantId,
        caseId,
        ...eventColumns(events),
        JSON.stringify(commit.state),
        commit.nextWakeAt,
        commit.outbox.map((entry) => entry.id),
        commit.outbox.map((entry) => entry.caseId),
        commit.outbox.map((entry) => entry.recipientId),
        commit.outbox.map((entry) => entry.deliverAt),
        commit.outbox.map((entry) => JSON.stringify(entry.notification)),
        notifyChannel,
      ];
      const rows =
        expectedVersion === 0
          ? await query<CommitRow>('commitCase', sql.createCase, shared)
          : await query<CommitRow>('commitCase', sql.updateCase, [...shared, expectedVersion, commit.workerId ?? null]);
      const [row] = rows;
      if (!row) {
        const [current] = await query<{ version: number }>('commitCase', sql.caseVersion, [tenantId, caseId]);
        return { ok: false, reason: 'conflict', currentVersion: current?.version ?? 0 };
      }
      return { ok: true, version: row.version, duplicates: duplicatesOf(commit.events, row.inserted) };
    },

    async readEvents(tenantId, caseId, afterSeq = 0): Promise<StoredEvent[]> {
      const rows = await query<{ seq: number; event: unknown }>('readEvents', sql.readEvents, [tenantId, caseId, afterSeq]);
      return rows.map((row) => ({ tenantId, caseId, seq: row.seq, event: jsonOf<CareEvent>(row.event) }));
    },

    async listCaseIds(tenantId, listOptions = {}) {
      const rows = await query<{ case_id: string }>('listCaseIds', sql.listCaseIds, [
        tenantId,
        listOptions.afterCaseId ?? '',
        listOptions.limit ?? null,
      ]);
      return rows.map((row) => row.case_id);
    },

    async hasEvent(tenantId, eventId) {
      const [row] = await query<{ found: boolean }>('hasEvent', sql.hasEvent, [tenantId, eventId]);
      return row?.found === true;
    },

    async loadDirectory(tenantId) {
      const [row] = await query<{ version: number; directory: unknown }>('loadDirectory', sql.loadDirectory, [tenantId]);
      return row ? { version: row.version, directory: directoryOf(row.directory) } : { version: 0, directory: emptyDirectory(tenantId) };
    },

    async commitDirectory(tenantId, expectedVersion, directory, events): Promise<CommitResult> {
      const shared = [tenantId, ...eventColumns(uniqueEvents(events)), JSON.stringify(directory)];
      const rows =
        expectedVersion === 0
          ? await query<CommitRow>('commitDirectory', sql.createDirectory, shared)
          : await query<CommitRow>('commitDirectory', sql.updateDirectory, [...shared, expectedVersion]);
      const [row] = rows;
      if (!row) {
        const [current] = await query<{ version: number }>('commitDirectory', sql.directoryVersion, [tenantId]);
        return { ok: false, reason: 'conflict', currentVersion: current?.version ?? 0 };
      }
      return { ok: true, version: row.version, duplicates: duplicatesOf(events, row.inserted) };
    },

    async claimDueCases(tenantId, now, limit, leaseMs, workerId): Promise<CaseClaim[]> {
      if (limit <= 0) return [];
      const rows = await query<CaseClaimRow>('claimDueCases', sql.claimDueCases, [tenantId, now, limit, workerId, plus(now, leaseMs)]);
      return rows.map(caseClaimOf).sort((a, b) => compare(a.nextWakeAt, b.nextWakeAt) || compare(a.caseId, b.caseId));
    },

    async releaseCase(tenantId, caseId, workerId) {
      await query('releaseCase', sql.releaseCase, [tenantId, caseId, workerId]);
    },

    async earliestWakeAt(tenantId) {
      const [row] = await query<{ earliest: unknown }>('earliestWakeAt', sql.earliestWakeAt, [tenantId]);
      return row?.earliest === null || row?.earliest === undefined ? null : instantOf(row.earliest);
    },

    async claimOutbox(tenantId, now, limit, leaseMs, workerId): Promise<OutboxEntry[]> {
      if (limit <= 0) return [];
      const rows = await query<OutboxRow>('claimOutbox', sql.claimOutbox, [tenantId, now, limit, workerId, plus(now, leaseMs)]);
      return rows.map(outboxEntryOf).sort((a, b) => compare(a.deliverAt, b.deliverAt) || compare(a.recipientId, b.recipientId) || compare(a.id, b.id));
    },

    async markDelivered(tenantId, id, workerId, at) {
      return (await changed('markDelivered', sql.markDelivered, [tenantId, id, workerId, at])) === 1;
    },

    async markDeliveredMany(tenantId, ids, workerId, at) {
      if (ids.length === 0) return [];
      const rows = await query<{ id: string }>('markDeliveredMany', sql.markDeliveredMany, [tenantId, [...ids], workerId, at]);
      return rows.map((row) => row.id);
    },

    async assignMessage(tenantId, message, workerId) {
      const ids = [...new Set(message.notificationIds)];
      if (ids.length === 0) return false;
      const rows = await query<{ id: string }>('assignMessage', sql.assignMessage, [
        tenantId,
        ids,
        workerId,
        message.id,
        message.notificationIds,
      ]);
      return rows.length === ids.length;
    },

    async markFailed(tenantId, id, workerId, failure: DeliveryFailure) {
      const count = await changed('markFailed', sql.markFailed, [
        tenantId,
        id,
        workerId,
        failure.error,
        failure.retryAt ?? null,
        failure.deferred === true,
        config.maxAttempts,
      ]);
      return count === 1;
    },

    async getOutboxEntry(tenantId, id) {
      const [row] = await query<OutboxRow>('getOutboxEntry', sql.getOutboxEntry, [tenantId, id]);
      return row ? outboxEntryOf(row) : undefined;
    },

    async outboxStats(tenantId, now): Promise<OutboxStats> {
      const [row] = await query<{
        pending: number;
        due: number;
        leased: number;
        delivered: number;
        dead: number;
        oldest_due_at: unknown;
      }>('outboxStats', sql.outboxStats, [tenantId, now]);
      return {
        pending: row?.pending ?? 0,
        due: row?.due ?? 0,
        leased: row?.leased ?? 0,
        delivered: row?.delivered ?? 0,
        dead: row?.dead ?? 0,
        oldestDueAt: row?.oldest_due_at === null || row?.oldest_due_at === undefined ? null : instantOf(row.oldest_due_at),
      };
    },

    async appendInbox(tenantId, message: InboxMessageInput) {
      await query('appendInbox', sql.appendInbox, [
        tenantId,
        message.id,
        message.ownerId,
        message.createdAt,
        message.level,
        message.critical,
        displayText(message.subject),
        displayText(message.text),
        message.notificationIds,
        message.taskIds,
        message.patientIds,
      ]);
    },

    async listInbox(tenantId, ownerId, listOptions = {}): Promise<InboxMessage[]> {
      const rows = await query<InboxRow>('listInbox', sql.listInbox, [
        tenantId,
        ownerId,
        listOptions.unreadOnly === true,
        listOptions.limit ?? null,
      ]);
      return rows.map(inboxMessageOf);
    },

    async unreadCount(tenantId, ownerId) {
      const [row] = await query<{ unread: number }>('unreadCount', sql.unreadCount, [tenantId, ownerId]);
      return row?.unread ?? 0;
    },

    async markInbox(tenantId, ownerId, messageId, update) {
      const [row] = await query<InboxRow>('markInbox', sql.markInbox, [
        tenantId,
        ownerId,
        messageId,
        update.readAt,
        update.acknowledgedAt ?? null,
      ]);
      return row ? inboxMessageOf(row) : undefined;
    },

    async quarantine(tenantId, record: QuarantineInput) {
      await query('quarantine', sql.quarantine, [
        tenantId,
        record.id,
        record.receivedAt,
        record.source,
        record.code,
        record.message,
        JSON.stringify(record.issues),
        record.raw,
      ]);
    },

    async listQuarantine(tenantId, limit): Promise<QuarantineRecord[]> {
      const rows = await query<QuarantineRow>('listQuarantine', sql.listQuarantine, [tenantId, limit ?? null]);
      return rows.map(quarantineRecordOf);
    },

    subscribe(tenantId, onWake) {
      return listener.subscribe(tenantId, onWake);
    },
  };

  return storage;
}

/**
 * PostgreSQL text cannot hold NUL characters: in display text (an inbox message's subject and body) each is
 * replaced by U+FFFD rather than failing the delivery. Payload columns are JSON and keep them escaped.
 */
function displayText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
