import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { type CareEvent, type CaseState, type Directory, emptyDirectory } from '@carerelay/core';
import type {
  CareRelayStorage,
  CaseClaim,
  CaseCommit,
  CaseRecord,
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
import { applyMigrations } from './migrations.js';
import { type ResolvedSqliteTuning, type SqliteStorageOptions, resolveSqliteOptions } from './options.js';
import { caseRecordFrom, inboxMessageFrom, outboxEntryFrom, quarantineRecordFrom, storedEventFrom } from './rows.js';
import { sqliteFailure } from './sqlite-error.js';
import { type SqliteStatements, prepareStatements } from './statements.js';

/** The SQLite storage adapter: a {@link CareRelayStorage} with access to its database for operators and tests. */
export interface SqliteStorage extends CareRelayStorage {
  readonly name: 'sqlite';
  /** The underlying better-sqlite3 connection (for backups, inspection and tests; do not write to it). */
  readonly database: BetterSqlite3.Database;
  /** The tenant's case ids in order, keyset-paged after `afterCaseId` (one index range per page). */
  listCaseIds(tenantId: string, options?: { afterCaseId?: string; limit?: number }): Promise<string[]>;
  /** Marks a message's claimed entries delivered in one transaction; returns the ids marked. */
  markDeliveredMany(tenantId: string, ids: readonly string[], workerId: string, at: string): Promise<string[]>;
  /** Records the message that carries the given claimed entries, in one transaction, all or nothing. */
  assignMessage(tenantId: string, message: OutboxMessageRef, workerId: string): Promise<boolean>;
}

/**
 * Creates the durable embedded storage adapter on SQLite (better-sqlite3).
 *
 * The connection runs in WAL mode with `synchronous=NORMAL` (see `SqliteTuning.synchronous` for the
 * durability trade-off, and `FULL` to sync every commit), foreign keys on, and a busy timeout so several
 * processes can share one file. Call `migrate()` before use (the engine does on start).
 *
 * Every write that must be atomic runs in one `BEGIN IMMEDIATE` transaction; claims are single
 * `UPDATE … WHERE rowid IN (SELECT … LIMIT ?) RETURNING` statements, so a case or outbox entry is never leased to
 * two workers. Failures surface as `CareRelayError` with code `adapter_failure`, a `sqlite: ` prefix and a `cause`.
 * better-sqlite3 is synchronous: every method does its work at once and returns a settled promise.
 *
 * @example
 * ```ts
 * import { createSqliteStorage } from '@carerelay/storage-sqlite';
 * const storage = createSqliteStorage({ filename: './carerelay.db' });
 * await storage.migrate();
 * ```
 */
export function createSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const tuning = resolveSqliteOptions(options);
  const owned = 'filename' in options && typeof options.filename === 'string';
  let db: BetterSqlite3.Database;
  try {
    db = owned ? new Database((options as { filename: string }).filename) : (options as { database: BetterSqlite3.Database }).database;
    configureConnection(db, tuning, owned || ('busyTimeoutMs' in options && options.busyTimeoutMs !== undefined));
  } catch (error) {
    throw sqliteFailure('open', error);
  }
  return new SqliteStorageAdapter(db, tuning, owned);
}

/** Applies the connection settings every adapter relies on. */
function configureConnection(db: BetterSqlite3.Database, tuning: ResolvedSqliteTuning, setBusyTimeout: boolean): void {
  // The busy timeout first: switching to WAL needs a lock another process may hold while it starts too.
  if (setBusyTimeout) db.pragma(`busy_timeout = ${tuning.busyTimeoutMs}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${tuning.synchronous}`);
  db.pragma('foreign_keys = ON');
}

/** Adds milliseconds to an ISO instant. */
function plus(instant: string, ms: number): string {
  const millis = Date.parse(instant) + ms;
  if (!Number.isFinite(millis)) throw new RangeError('invalid instant or lease duration');
  return new Date(millis).toISOString();
}

/** SQLite's "no limit". */
const NO_LIMIT = -1;

class SqliteStorageAdapter implements SqliteStorage {
  readonly name = 'sqlite' as const;
  readonly database: BetterSqlite3.Database;
  readonly #tuning: ResolvedSqliteTuning;
  readonly #owned: boolean;
  #statements: SqliteStatements | undefined;
  readonly #commitCase: BetterSqlite3.Transaction<(tenantId: string, caseId: string, expected: number, commit: CaseCommit) => CommitResult>;
  readonly #commitDirectory: BetterSqlite3.Transaction<
    (tenantId: string, expected: number, directory: Directory, events: readonly CareEvent[]) => CommitResult
  >;
  readonly #markDeliveredMany: BetterSqlite3.Transaction<(tenantId: string, ids: readonly string[], workerId: string, at: string) => string[]>;
  readonly #assignMessage: BetterSqlite3.Transaction<(tenantId: string, message: OutboxMessageRef, workerId: string) => boolean>;

  constructor(db: BetterSqlite3.Database, tuning: ResolvedSqliteTuning, owned: boolean) {
    this.database = db;
    this.#tuning = tuning;
    this.#owned = owned;
    this.#commitCase = db.transaction((tenantId, caseId, expected, commit) => this.#commitCaseIn(tenantId, caseId, expected, commit));
    this.#commitDirectory = db.transaction((tenantId, expected, directory, events) =>
      this.#commitDirectoryIn(tenantId, expected, directory, events),
    );
    this.#markDeliveredMany = db.transaction((tenantId, ids, workerId, at) =>
      [...new Set(ids)].filter((id) => this.#sql.markDelivered.run({ tenant_id: tenantId, id, worker_id: workerId, at }).changes === 1),
    );
    this.#assignMessage = db.transaction((tenantId, message, workerId) => {
      const sql = this.#sql;
      const ids = [...new Set(message.notificationIds)];
      const assignable = (id: string) => sql.assignableOutbox.get({ tenant_id: tenantId, id, worker_id: workerId, message_id: message.id }) !== undefined;
      if (ids.length === 0 || !ids.every(assignable)) return false;
      const notificationIds = JSON.stringify(message.notificationIds);
      for (const id of ids) sql.assignMessage.run({ tenant_id: tenantId, id, message_id: message.id, notification_ids: notificationIds });
      return true;
    });
  }

  /** Prepared statements, made on first use (after the schema exists). */
  get #sql(): SqliteStatements {
    this.#statements ??= prepareStatements(this.database);
    return this.#statements;
  }

  /** Runs one operation, turning a throw into a rejected promise with an `adapter_failure`. */
  #run<T>(operation: string, work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(sqliteFailure(operation, error));
    }
  }

  migrate(): Promise<void> {
    return this.#run('migrate', () => {
      applyMigrations(this.database);
      this.#statements ??= prepareStatements(this.database);
    });
  }

  close(): Promise<void> {
    return this.#run('close', () => {
      this.#statements = undefined;
      if (this.#owned && this.database.open) this.database.close();
    });
  }

  // ── Event log and case state ─────────────────────────────────────────────────────────────────────────────

  loadCase(tenantId: string, caseId: string): Promise<CaseRecord | undefined> {
    return this.#run('loadCase', () => {
      const row = this.#sql.loadCase.get(tenantId, caseId);
      return row === undefined ? undefined : caseRecordFrom(row);
    });
  }

  commitCase(tenantId: string, caseId: string, expectedVersion: number, commit: CaseCommit): Promise<CommitResult> {
    return this.#run('commitCase', () => this.#commitCase.immediate(tenantId, caseId, expectedVersion, commit));
  }

  /** The body of `commitCase`, inside its `BEGIN IMMEDIATE` transaction. */
  #commitCaseIn(tenantId: string, caseId: string, expectedVersion: number, commit: CaseCommit): CommitResult {
    const sql = this.#sql;
    const current = sql.loadCase.get(tenantId, caseId);
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== expectedVersion) return { ok: false, reason: 'conflict', currentVersion };
    const write = {
      tenant_id: tenantId,
      case_id: caseId,
      version: currentVersion + 1,
      last_seq: current?.last_seq ?? 0,
      state: JSON.stringify(commit.state satisfies CaseState),
      next_wake_at: commit.nextWakeAt,
    };
    // The case row first: events reference it.
    if (current === undefined) sql.insertCase.run(write);
    const duplicates: string[] = [];
    let seq = write.last_seq;
    for (const event of commit.events) {
      const inserted = sql.insertEvent.run({
        tenant_id: tenantId,
        event_id: event.id,
        case_id: caseId,
        seq: seq + 1,
        type: event.type,
        at: event.at,
        event: JSON.stringify(event),
      });
      if (inserted.changes === 0) duplicates.push(event.id);
      else seq += 1;
    }
    sql.updateCase.run({ ...write, last_seq: seq, worker_id: commit.workerId ?? null });
    for (const entry of commit.outbox) {
      sql.enqueueOutbox.run({
        tenant_id: tenantId,
        id: entry.id,
        case_id: entry.caseId,
        recipient_id: entry.recipientId,
        deliver_at: entry.deliverAt,
        notification: JSON.stringify(entry.notification),
      });
    }
    return { ok: true, version: write.version, duplicates };
  }

  readEvents(tenantId: string, caseId: string, afterSeq = 0): Promise<StoredEvent[]> {
    return this.#run('readEvents', () => this.#sql.readEvents.all(tenantId, caseId, afterSeq).map(storedEventFrom));
  }

  hasEvent(tenantId: string, eventId: string): Promise<boolean> {
    return this.#run('hasEvent', () => this.#sql.hasEvent.get(tenantId, eventId) !== undefined);
  }

  listCaseIds(tenantId: string, options: { afterCaseId?: string; limit?: number } = {}): Promise<string[]> {
    return this.#run('listCaseIds', () =>
      this.#sql.listCaseIds.all(tenantId, options.afterCaseId ?? '', options.limit ?? NO_LIMIT).map((row) => row.case_id),
    );
  }

  // ── Directory ────────────────────────────────────────────────────────────────────────────────────────────

  loadDirectory(tenantId: string): Promise<{ version: number; directory: Directory }> {
    return this.#run('loadDirectory', () => {
      const row = this.#sql.loadDirectory.get(tenantId);
      if (row === undefined) return { version: 0, directory: emptyDirectory(tenantId) };
      return { version: row.version, directory: JSON.parse(row.directory) as Directory };
    });
  }

  commitDirectory(tenantId: string, expectedVersion: number, directory: Directory, events: readonly CareEvent[]): Promise<CommitResult> {
    return this.#run('commitDirectory', () => this.#commitDirectory.immediate(tenantId, expectedVersion, directory, events));
  }

  /** The body of `commitDirectory`, inside its `BEGIN IMMEDIATE` transaction. */
  #commitDirectoryIn(tenantId: string, expectedVersion: number, directory: Directory, events: readonly CareEvent[]): CommitResult {
    const sql = this.#sql;
    const current = sql.loadDirectory.get(tenantId);
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== expectedVersion) return { ok: false, reason: 'conflict', currentVersion };
    const duplicates: string[] = [];
    let seq = current?.last_seq ?? 0;
    for (const event of events) {
      const inserted = sql.insertEvent.run({
        tenant_id: tenantId,
        event_id: event.id,
        case_id: null,
        seq: seq + 1,
        type: event.type,
        at: event.at,
        event: JSON.stringify(event),
      });
      if (inserted.changes === 0) duplicates.push(event.id);
      else seq += 1;
    }
    const version = currentVersion + 1;
    sql.upsertDirectory.run({ tenant_id: tenantId, version, last_seq: seq, directory: JSON.stringify(directory) });
    return { ok: true, version, duplicates };
  }

  // ── Schedule ─────────────────────────────────────────────────────────────────────────────────────────────

  claimDueCases(tenantId: string, now: string, limit: number, leaseMs: number, workerId: string): Promise<CaseClaim[]> {
    return this.#run('claimDueCases', () => {
      const rows = this.#sql.claimDueCases.all({ tenant_id: tenantId, now, lease_until: plus(now, leaseMs), worker_id: workerId, limit });
      // RETURNING gives rows in storage order: put them back in wake-up order.
      return rows
        .map((row) => ({ caseId: row.case_id, nextWakeAt: row.next_wake_at as string, leaseUntil: row.lease_until as string }))
        .sort((a, b) => compare(a.nextWakeAt, b.nextWakeAt) || compare(a.caseId, b.caseId));
    });
  }

  releaseCase(tenantId: string, caseId: string, workerId: string): Promise<void> {
    return this.#run('releaseCase', () => {
      this.#sql.releaseCase.run(tenantId, caseId, workerId);
    });
  }

  earliestWakeAt(tenantId: string): Promise<string | null> {
    return this.#run('earliestWakeAt', () => this.#sql.earliestWakeAt.get(tenantId)?.earliest ?? null);
  }

  // ── Transactional outbox ─────────────────────────────────────────────────────────────────────────────────

  claimOutbox(tenantId: string, now: string, limit: number, leaseMs: number, workerId: string): Promise<OutboxEntry[]> {
    return this.#run('claimOutbox', () => {
      const rows = this.#sql.claimOutbox.all({ tenant_id: tenantId, now, lease_until: plus(now, leaseMs), worker_id: workerId, limit });
      // RETURNING gives rows in storage order: put them back in claim order (BINARY collation: UTF-8 bytes).
      return rows
        .map(outboxEntryFrom)
        .sort((a, b) => compareBytes(a.deliverAt, b.deliverAt) || compareBytes(a.recipientId, b.recipientId) || compareBytes(a.id, b.id));
    });
  }

  markDelivered(tenantId: string, id: string, workerId: string, at: string): Promise<boolean> {
    return this.#run('markDelivered', () => this.#sql.markDelivered.run({ tenant_id: tenantId, id, worker_id: workerId, at }).changes === 1);
  }

  markDeliveredMany(tenantId: string, ids: readonly string[], workerId: string, at: string): Promise<string[]> {
    return this.#run('markDeliveredMany', () => this.#markDeliveredMany.immediate(tenantId, ids, workerId, at));
  }

  assignMessage(tenantId: string, message: OutboxMessageRef, workerId: string): Promise<boolean> {
    return this.#run('assignMessage', () => this.#assignMessage.immediate(tenantId, message, workerId));
  }

  markFailed(tenantId: string, id: string, workerId: string, failure: DeliveryFailure): Promise<boolean> {
    return this.#run('markFailed', () => {
      const result = this.#sql.markFailed.run({
        tenant_id: tenantId,
        id,
        worker_id: workerId,
        error: failure.error,
        retry_at: failure.retryAt ?? null,
        deferred: failure.deferred === true ? 1 : 0,
        max_attempts: this.#tuning.maxAttempts,
      });
      return result.changes === 1;
    });
  }

  getOutboxEntry(tenantId: string, id: string): Promise<OutboxEntry | undefined> {
    return this.#run('getOutboxEntry', () => {
      const row = this.#sql.getOutboxEntry.get(tenantId, id);
      return row === undefined ? undefined : outboxEntryFrom(row);
    });
  }

  outboxStats(tenantId: string, now: string): Promise<OutboxStats> {
    return this.#run('outboxStats', () => {
      const counts = new Map(this.#sql.outboxStatusCounts.all(tenantId).map((row) => [row.status, row.n]));
      const due = this.#sql.outboxDueStats.get({ tenant_id: tenantId, now });
      return {
        pending: counts.get('pending') ?? 0,
        due: due?.due ?? 0,
        leased: due?.leased ?? 0,
        delivered: counts.get('delivered') ?? 0,
        dead: counts.get('dead') ?? 0,
        oldestDueAt: due?.oldest ?? null,
      };
    });
  }

  // ── In-app inbox ─────────────────────────────────────────────────────────────────────────────────────────

  appendInbox(tenantId: string, message: InboxMessageInput): Promise<void> {
    return this.#run('appendInbox', () => {
      this.#sql.appendInbox.run({
        tenant_id: tenantId,
        id: message.id,
        owner_id: message.ownerId,
        created_at: message.createdAt,
        level: message.level,
        critical: message.critical ? 1 : 0,
        subject: message.subject,
        text: message.text,
        notification_ids: JSON.stringify(message.notificationIds),
        task_ids: JSON.stringify(message.taskIds),
        patient_ids: JSON.stringify(message.patientIds),
        read_at: null,
        acknowledged_at: null,
      });
    });
  }

  listInbox(tenantId: string, ownerId: string, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<InboxMessage[]> {
    return this.#run('listInbox', () => {
      const statement = options.unreadOnly === true ? this.#sql.listUnreadInbox : this.#sql.listInbox;
      return statement.all(tenantId, ownerId, options.limit ?? NO_LIMIT).map(inboxMessageFrom);
    });
  }

  unreadCount(tenantId: string, ownerId: string): Promise<number> {
    return this.#run('unreadCount', () => this.#sql.unreadCount.get(tenantId, ownerId)?.n ?? 0);
  }

  markInbox(
    tenantId: string,
    ownerId: string,
    messageId: string,
    update: { readAt: string; acknowledgedAt?: string },
  ): Promise<InboxMessage | undefined> {
    return this.#run('markInbox', () => {
      const row = this.#sql.markInbox.get({
        tenant_id: tenantId,
        owner_id: ownerId,
        id: messageId,
        read_at: update.readAt,
        acknowledged_at: update.acknowledgedAt ?? null,
      });
      return row === undefined ? undefined : inboxMessageFrom(row);
    });
  }

  // ── Quarantine ───────────────────────────────────────────────────────────────────────────────────────────

  quarantine(tenantId: string, record: QuarantineInput): Promise<void> {
    return this.#run('quarantine', () => {
      this.#sql.quarantine.run({
        tenant_id: tenantId,
        id: record.id,
        received_at: record.receivedAt,
        source: record.source,
        code: record.code,
        message: record.message,
        issues: JSON.stringify(record.issues),
        raw: record.raw,
      });
    });
  }

  listQuarantine(tenantId: string, limit?: number): Promise<QuarantineRecord[]> {
    return this.#run('listQuarantine', () => this.#sql.listQuarantine.all(tenantId, limit ?? NO_LIMIT).map(quarantineRecordFrom));
  }
}

/** SQLite's BINARY order: UTF-8 bytes (differs from `<` only for characters beyond U+FFFF). */
function compareBytes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** String order (instants compare as strings). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
