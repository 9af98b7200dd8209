import type BetterSqlite3 from 'better-sqlite3';
import type { CaseRow, EventRow, InboxRow, OutboxRow, QuarantineRow } from './rows.js';

/**
 * Every SQL statement the adapter runs, prepared once. Each one names `tenant_id` in its WHERE clause (or
 * writes it), so no statement can reach another tenant's rows.
 */
export interface SqliteStatements {
  loadCase: BetterSqlite3.Statement<[string, string], CaseRow>;
  insertCase: BetterSqlite3.Statement<[CaseWrite]>;
  updateCase: BetterSqlite3.Statement<[CaseWrite & { worker_id: string | null }]>;
  insertEvent: BetterSqlite3.Statement<[EventWrite]>;
  readEvents: BetterSqlite3.Statement<[string, string, number], EventRow>;
  hasEvent: BetterSqlite3.Statement<[string, string], { found: number }>;
  listCaseIds: BetterSqlite3.Statement<[string, string, number], { case_id: string }>;
  loadDirectory: BetterSqlite3.Statement<[string], { version: number; last_seq: number; directory: string }>;
  upsertDirectory: BetterSqlite3.Statement<[{ tenant_id: string; version: number; last_seq: number; directory: string }]>;
  claimDueCases: BetterSqlite3.Statement<[ClaimParams], Pick<CaseRow, 'case_id' | 'next_wake_at' | 'lease_until'>>;
  releaseCase: BetterSqlite3.Statement<[string, string, string]>;
  earliestWakeAt: BetterSqlite3.Statement<[string], { earliest: string | null }>;
  enqueueOutbox: BetterSqlite3.Statement<[OutboxWrite]>;
  claimOutbox: BetterSqlite3.Statement<[ClaimParams], OutboxRow>;
  markDelivered: BetterSqlite3.Statement<[{ tenant_id: string; id: string; worker_id: string; at: string }]>;
  assignableOutbox: BetterSqlite3.Statement<[{ tenant_id: string; id: string; worker_id: string; message_id: string }], { found: number }>;
  assignMessage: BetterSqlite3.Statement<[{ tenant_id: string; id: string; message_id: string; notification_ids: string }]>;
  markFailed: BetterSqlite3.Statement<[FailureWrite]>;
  getOutboxEntry: BetterSqlite3.Statement<[string, string], OutboxRow>;
  outboxStatusCounts: BetterSqlite3.Statement<[string], { status: string; n: number }>;
  outboxDueStats: BetterSqlite3.Statement<[{ tenant_id: string; now: string }], { due: number; leased: number; oldest: string | null }>;
  appendInbox: BetterSqlite3.Statement<[InboxRow]>;
  listInbox: BetterSqlite3.Statement<[string, string, number], InboxRow>;
  listUnreadInbox: BetterSqlite3.Statement<[string, string, number], InboxRow>;
  unreadCount: BetterSqlite3.Statement<[string, string], { n: number }>;
  markInbox: BetterSqlite3.Statement<[{ tenant_id: string; owner_id: string; id: string; read_at: string; acknowledged_at: string | null }], InboxRow>;
  quarantine: BetterSqlite3.Statement<[QuarantineRow]>;
  listQuarantine: BetterSqlite3.Statement<[string, number], QuarantineRow>;
}

/** Parameters of a case insert or update. */
export interface CaseWrite {
  tenant_id: string;
  case_id: string;
  version: number;
  last_seq: number;
  state: string;
  next_wake_at: string | null;
}

/** Parameters of an event insert. */
export interface EventWrite {
  tenant_id: string;
  event_id: string;
  case_id: string | null;
  seq: number;
  type: string;
  at: string;
  event: string;
}

/** Parameters of an outbox insert. */
export interface OutboxWrite {
  tenant_id: string;
  id: string;
  case_id: string;
  recipient_id: string;
  deliver_at: string;
  notification: string;
}

/** Parameters of a claim. */
export interface ClaimParams {
  tenant_id: string;
  now: string;
  lease_until: string;
  worker_id: string;
  limit: number;
}

/** Parameters of `markFailed`. */
export interface FailureWrite {
  tenant_id: string;
  id: string;
  worker_id: string;
  error: string;
  retry_at: string | null;
  deferred: number;
  max_attempts: number;
}

/** Prepares {@link SqliteStatements} (the schema must exist). */
export function prepareStatements(db: BetterSqlite3.Database): SqliteStatements {
  return {
    loadCase: db.prepare('SELECT * FROM carerelay_cases WHERE tenant_id = ? AND case_id = ?'),
    insertCase: db.prepare(
      `INSERT INTO carerelay_cases (tenant_id, case_id, version, last_seq, state, next_wake_at)
       VALUES (@tenant_id, @case_id, @version, @last_seq, @state, @next_wake_at)`,
    ),
    updateCase: db.prepare(
      `UPDATE carerelay_cases
          SET version = @version, last_seq = @last_seq, state = @state, next_wake_at = @next_wake_at,
              lease_until = CASE WHEN lease_owner = @worker_id THEN NULL ELSE lease_until END,
              lease_owner = CASE WHEN lease_owner = @worker_id THEN NULL ELSE lease_owner END
        WHERE tenant_id = @tenant_id AND case_id = @case_id`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO carerelay_events (tenant_id, event_id, case_id, seq, type, at, event)
       VALUES (@tenant_id, @event_id, @case_id, @seq, @type, @at, @event)
       ON CONFLICT (tenant_id, event_id) DO NOTHING`,
    ),
    readEvents: db.prepare(
      'SELECT tenant_id, case_id, seq, event FROM carerelay_events WHERE tenant_id = ? AND case_id = ? AND seq > ? ORDER BY seq',
    ),
    hasEvent: db.prepare('SELECT 1 AS found FROM carerelay_events WHERE tenant_id = ? AND event_id = ?'),
    // Keyset paging over the primary key: each page is one index range, whatever the page number.
    listCaseIds: db.prepare('SELECT case_id FROM carerelay_cases WHERE tenant_id = ? AND case_id > ? ORDER BY case_id LIMIT ?'),
    loadDirectory: db.prepare('SELECT version, last_seq, directory FROM carerelay_directories WHERE tenant_id = ?'),
    upsertDirectory: db.prepare(
      `INSERT INTO carerelay_directories (tenant_id, version, last_seq, directory)
       VALUES (@tenant_id, @version, @last_seq, @directory)
       ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version, last_seq = excluded.last_seq, directory = excluded.directory`,
    ),
    // One statement: the due rows are picked through the (tenant_id, next_wake_at) index and leased in the same
    // write, so two workers can never take the same case.
    claimDueCases: db.prepare(
      `UPDATE carerelay_cases SET lease_owner = @worker_id, lease_until = @lease_until
        WHERE rowid IN (
          SELECT rowid FROM carerelay_cases
           WHERE tenant_id = @tenant_id AND next_wake_at IS NOT NULL AND next_wake_at <= @now
             AND (lease_until IS NULL OR lease_until <= @now)
           ORDER BY next_wake_at, case_id
           LIMIT @limit)
        RETURNING case_id, next_wake_at, lease_until`,
    ),
    releaseCase: db.prepare(
      'UPDATE carerelay_cases SET lease_owner = NULL, lease_until = NULL WHERE tenant_id = ? AND case_id = ? AND lease_owner = ?',
    ),
    earliestWakeAt: db.prepare('SELECT MIN(next_wake_at) AS earliest FROM carerelay_cases WHERE tenant_id = ? AND next_wake_at IS NOT NULL'),
    enqueueOutbox: db.prepare(
      `INSERT INTO carerelay_outbox (tenant_id, id, case_id, recipient_id, deliver_at, notification)
       VALUES (@tenant_id, @id, @case_id, @recipient_id, @deliver_at, @notification)
       ON CONFLICT (tenant_id, id) DO NOTHING`,
    ),
    claimOutbox: db.prepare(
      `UPDATE carerelay_outbox SET lease_owner = @worker_id, lease_until = @lease_until, attempts = attempts + 1
        WHERE rowid IN (
          SELECT rowid FROM carerelay_outbox
           WHERE tenant_id = @tenant_id AND status = 'pending' AND deliver_at <= @now
             AND (lease_until IS NULL OR lease_until <= @now)
           ORDER BY deliver_at, recipient_id, id
           LIMIT @limit)
        RETURNING *`,
    ),
    markDelivered: db.prepare(
      `UPDATE carerelay_outbox SET status = 'delivered', delivered_at = @at, lease_owner = NULL, lease_until = NULL
        WHERE tenant_id = @tenant_id AND id = @id AND status = 'pending' AND lease_owner = @worker_id`,
    ),
    assignableOutbox: db.prepare(
      `SELECT 1 AS found FROM carerelay_outbox
        WHERE tenant_id = @tenant_id AND id = @id AND status = 'pending' AND lease_owner = @worker_id
          AND (message_id IS NULL OR message_id = @message_id)`,
    ),
    assignMessage: db.prepare(
      `UPDATE carerelay_outbox SET message_id = @message_id, message_notification_ids = @notification_ids
        WHERE tenant_id = @tenant_id AND id = @id`,
    ),
    markFailed: db.prepare(
      `UPDATE carerelay_outbox
          SET status = CASE
                WHEN @deferred = 1 AND @retry_at IS NOT NULL THEN 'pending'
                WHEN @retry_at IS NULL OR attempts >= @max_attempts THEN 'dead'
                ELSE 'pending' END,
              attempts = CASE WHEN @deferred = 1 AND @retry_at IS NOT NULL THEN MAX(attempts - 1, 0) ELSE attempts END,
              deliver_at = COALESCE(@retry_at, deliver_at),
              last_error = @error, lease_owner = NULL, lease_until = NULL
        WHERE tenant_id = @tenant_id AND id = @id AND status = 'pending' AND lease_owner = @worker_id`,
    ),
    getOutboxEntry: db.prepare('SELECT * FROM carerelay_outbox WHERE tenant_id = ? AND id = ?'),
    outboxStatusCounts: db.prepare('SELECT status, COUNT(*) AS n FROM carerelay_outbox WHERE tenant_id = ? GROUP BY status'),
    // Walks only the pending index range up to now (plus the leased ones after it).
    outboxDueStats: db.prepare(
      `SELECT
         COALESCE(SUM(deliver_at <= @now AND (lease_until IS NULL OR lease_until <= @now)), 0) AS due,
         COALESCE(SUM(lease_until > @now), 0) AS leased,
         MIN(CASE WHEN deliver_at <= @now AND (lease_until IS NULL OR lease_until <= @now) THEN deliver_at END) AS oldest
       FROM carerelay_outbox
       WHERE tenant_id = @tenant_id AND status = 'pending' AND (deliver_at <= @now OR lease_until > @now)`,
    ),
    appendInbox: db.prepare(
      `INSERT INTO carerelay_inbox (tenant_id, id, owner_id, created_at, level, critical, subject, text,
                                    notification_ids, task_ids, patient_ids, read_at, acknowledged_at)
       VALUES (@tenant_id, @id, @owner_id, @created_at, @level, @critical, @subject, @text,
               @notification_ids, @task_ids, @patient_ids, @read_at, @acknowledged_at)
       ON CONFLICT (tenant_id, id) DO NOTHING`,
    ),
    listInbox: db.prepare(
      'SELECT * FROM carerelay_inbox WHERE tenant_id = ? AND owner_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    listUnreadInbox: db.prepare(
      'SELECT * FROM carerelay_inbox WHERE tenant_id = ? AND owner_id = ? AND read_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT ?',
    ),
    unreadCount: db.prepare('SELECT COUNT(*) AS n FROM carerelay_inbox WHERE tenant_id = ? AND owner_id = ? AND read_at IS NULL'),
    markInbox: db.prepare(
      `UPDATE carerelay_inbox SET read_at = @read_at, acknowledged_at = COALESCE(@acknowledged_at, acknowledged_at)
        WHERE tenant_id = @tenant_id AND owner_id = @owner_id AND id = @id
        RETURNING *`,
    ),
    quarantine: db.prepare(
      `INSERT INTO carerelay_quarantine (tenant_id, id, received_at, source, code, message, issues, raw)
       VALUES (@tenant_id, @id, @received_at, @source, @code, @message, @issues, @raw)`,
    ),
    listQuarantine: db.prepare('SELECT * FROM carerelay_quarantine WHERE tenant_id = ? ORDER BY received_at, seq LIMIT ?'),
  };
}
