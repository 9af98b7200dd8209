import { createHash } from 'node:crypto';

/** A SQL statement with a stable name, so pg prepares it once per connection and reuses the plan. */
export interface Statement {
  name: string;
  text: string;
}

const statement = (text: string): Statement => ({
  name: `carerelay_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
  text,
});

/** The outbox columns read back; the message's ids as `json`, which parses the same whatever the pool's type parsers. */
const OUTBOX_COLUMNS =
  'tenant_id, id, case_id, recipient_id, deliver_at, notification, status, attempts, lease_owner, lease_until, delivered_at, last_error, ' +
  'message_id, to_json(message_notification_ids) AS message_notification_ids';
const INBOX_COLUMNS =
  'tenant_id, id, owner_id, created_at, level, critical, subject, body, notification_ids, task_ids, patient_ids, read_at, acknowledged_at';

/**
 * The events of a commit not yet stored for the tenant, numbered in input order. `$1` is the tenant; the three
 * parameters from `first` on are the events' ids, types and JSON texts (free of repeats within the batch).
 * Payloads travel as `json[]` and are never parsed by a JSON function, so strings holding `\u0000` (which
 * PostgreSQL cannot turn into text) are stored as they are.
 */
const freshEvents = (s: string, first: number) => `
input AS (
  SELECT e.event_id, e.event_type, e.event, e.ord
  FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::json[]) WITH ORDINALITY AS e(event_id, event_type, event, ord)
),
fresh AS (
  SELECT i.event_id, i.event_type, i.event, row_number() OVER (ORDER BY i.ord)::int AS n
  FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM ${s}.events x WHERE x.tenant_id = $1 AND x.event_id = i.event_id)
)`;

/**
 * The tail shared by both case-commit variants (`c` is the case row written, or nothing on a conflict):
 * append the fresh events after the case's last sequence number, enqueue the outbox entries (first id wins),
 * and NOTIFY `$13` (when not null) if an entry was enqueued or the wake-up moved earlier.
 *
 * Parameters: $1 tenant, $2 case, $3–$5 events (ids, types, JSON), $6 state, $7 next wake-up,
 * $8–$12 outbox (ids, case ids, recipients, deliver-at instants, notifications), $13 channel.
 */
const commitCaseTail = (s: string) => `,
ev AS (
  INSERT INTO ${s}.events (tenant_id, case_id, seq, event_id, event_type, event)
  SELECT $1, $2, c.last_seq - (SELECT count(*) FROM fresh)::int + f.n, f.event_id, f.event_type, f.event
  FROM c CROSS JOIN fresh f
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING event_id
),
ob AS (
  INSERT INTO ${s}.outbox (tenant_id, id, case_id, recipient_id, deliver_at, notification)
  SELECT $1, o.id, o.case_id, o.recipient_id, o.deliver_at, o.notification
  FROM c CROSS JOIN unnest($8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::json[]) AS o(id, case_id, recipient_id, deliver_at, notification)
  ON CONFLICT (tenant_id, id) DO NOTHING
  RETURNING 1
)
SELECT c.version,
       ARRAY(SELECT event_id FROM ev) AS inserted,
       CASE WHEN $13::text IS NOT NULL AND (
              EXISTS (SELECT 1 FROM ob)
              OR ($7::timestamptz IS NOT NULL AND NOT EXISTS (SELECT 1 FROM prev WHERE prev.next_wake_at <= $7::timestamptz))
            )
            THEN pg_notify($13::text, $1::text) END AS notified
FROM c`;

/** Every statement of the adapter for one (quoted) schema. Each filters on the tenant, always `$1`. */
export function statementsFor(s: string) {
  return {
    loadCase: statement(`SELECT case_id, version, state, next_wake_at FROM ${s}.cases WHERE tenant_id = $1 AND case_id = $2`),

    caseVersion: statement(`SELECT version FROM ${s}.cases WHERE tenant_id = $1 AND case_id = $2`),

    /** A new case: inserted unless another commit created it first. */
    createCase: statement(`WITH ${freshEvents(s, 3)},
prev AS (SELECT NULL::timestamptz AS next_wake_at WHERE false),
c AS (
  INSERT INTO ${s}.cases (tenant_id, case_id, version, last_seq, state, next_wake_at)
  VALUES ($1, $2, 1, (SELECT count(*) FROM fresh)::int, $6::json, $7::timestamptz)
  ON CONFLICT (tenant_id, case_id) DO NOTHING
  RETURNING version, last_seq
)${commitCaseTail(s)}`),

    /** An existing case at version `$14`: bumped, and the lease of worker `$15` released. */
    updateCase: statement(`WITH ${freshEvents(s, 3)},
prev AS (SELECT next_wake_at FROM ${s}.cases WHERE tenant_id = $1 AND case_id = $2),
c AS (
  UPDATE ${s}.cases
  SET version = version + 1,
      state = $6::json,
      next_wake_at = $7::timestamptz,
      last_seq = last_seq + (SELECT count(*) FROM fresh)::int,
      lease_owner = CASE WHEN lease_owner = $15::text THEN NULL ELSE lease_owner END,
      lease_until = CASE WHEN lease_owner = $15::text THEN NULL ELSE lease_until END,
      updated_at = now()
  WHERE tenant_id = $1 AND case_id = $2 AND version = $14::int
  RETURNING version, last_seq
)${commitCaseTail(s)}`),

    readEvents: statement(
      `SELECT seq, event FROM ${s}.events WHERE tenant_id = $1 AND case_id = $2 AND seq > $3::int ORDER BY seq`,
    ),

    /** Keyset paging over the primary key (byte order, `C` collation). */
    listCaseIds: statement(
      `SELECT case_id FROM ${s}.cases WHERE tenant_id = $1 AND case_id > $2 ORDER BY case_id LIMIT $3::int`,
    ),

    hasEvent: statement(`SELECT EXISTS (SELECT 1 FROM ${s}.events WHERE tenant_id = $1 AND event_id = $2) AS found`),

    loadDirectory: statement(`SELECT version, directory FROM ${s}.directories WHERE tenant_id = $1`),

    directoryVersion: statement(`SELECT version FROM ${s}.directories WHERE tenant_id = $1`),

    /** Parameters: $1 tenant, $2–$4 events (ids, types, JSON), $5 directory. Directory events use case id `''`. */
    createDirectory: statement(`WITH ${freshEvents(s, 2)},
d AS (
  INSERT INTO ${s}.directories (tenant_id, version, last_seq, directory)
  VALUES ($1, 1, (SELECT count(*) FROM fresh)::int, $5::json)
  ON CONFLICT (tenant_id) DO NOTHING
  RETURNING version, last_seq
),
ev AS (
  INSERT INTO ${s}.events (tenant_id, case_id, seq, event_id, event_type, event)
  SELECT $1, '', d.last_seq - (SELECT count(*) FROM fresh)::int + f.n, f.event_id, f.event_type, f.event
  FROM d CROSS JOIN fresh f
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING event_id
)
SELECT d.version, ARRAY(SELECT event_id FROM ev) AS inserted FROM d`),

    /** As `createDirectory`, for an existing directory at version `$6`. */
    updateDirectory: statement(`WITH ${freshEvents(s, 2)},
d AS (
  UPDATE ${s}.directories
  SET version = version + 1, directory = $5::json, last_seq = last_seq + (SELECT count(*) FROM fresh)::int, updated_at = now()
  WHERE tenant_id = $1 AND version = $6::int
  RETURNING version, last_seq
),
ev AS (
  INSERT INTO ${s}.events (tenant_id, case_id, seq, event_id, event_type, event)
  SELECT $1, '', d.last_seq - (SELECT count(*) FROM fresh)::int + f.n, f.event_id, f.event_type, f.event
  FROM d CROSS JOIN fresh f
  ON CONFLICT (tenant_id, event_id) DO NOTHING
  RETURNING event_id
)
SELECT d.version, ARRAY(SELECT event_id FROM ev) AS inserted FROM d`),

    /**
     * One round trip: lock up to `$3` due cases with a free or expired lease (skipping rows other workers are
     * locking right now), earliest first, and lease them to `$4` until `$5`. Uses `cases_due_idx`. The ids are
     * collected by an `ARRAY(…)` sub-select, which runs once: a joined `LIMIT … SKIP LOCKED` sub-query may be
     * re-scanned by the plan and hand out more than `$3` rows.
     */
    claimDueCases: statement(`UPDATE ${s}.cases
SET lease_owner = $4::text, lease_until = $5::timestamptz
WHERE tenant_id = $1 AND case_id = ANY (ARRAY (
  SELECT case_id FROM ${s}.cases
  WHERE tenant_id = $1 AND next_wake_at <= $2::timestamptz AND (lease_until IS NULL OR lease_until <= $2::timestamptz)
  ORDER BY next_wake_at
  LIMIT $3::int
  FOR UPDATE SKIP LOCKED
))
RETURNING case_id, next_wake_at, lease_until`),

    releaseCase: statement(
      `UPDATE ${s}.cases SET lease_owner = NULL, lease_until = NULL WHERE tenant_id = $1 AND case_id = $2 AND lease_owner = $3`,
    ),

    earliestWakeAt: statement(
      `SELECT min(next_wake_at) AS earliest FROM ${s}.cases WHERE tenant_id = $1 AND next_wake_at IS NOT NULL`,
    ),

    /**
     * As `claimDueCases`, for pending outbox entries, in `(deliver_at, recipient_id, id)` order; counts the
     * attempt. `outbox_due_idx` holds exactly that order, so the plan reads the first rows without a sort.
     */
    claimOutbox: statement(`UPDATE ${s}.outbox
SET lease_owner = $4::text, lease_until = $5::timestamptz, attempts = attempts + 1
WHERE tenant_id = $1 AND id = ANY (ARRAY (
  SELECT id FROM ${s}.outbox
  WHERE tenant_id = $1 AND status = 'pending' AND deliver_at <= $2::timestamptz
    AND (lease_until IS NULL OR lease_until <= $2::timestamptz)
  ORDER BY deliver_at, recipient_id, id
  LIMIT $3::int
  FOR UPDATE SKIP LOCKED
))
RETURNING ${OUTBOX_COLUMNS}`),

    markDelivered: statement(`UPDATE ${s}.outbox
SET status = 'delivered', delivered_at = $4::timestamptz, lease_owner = NULL, lease_until = NULL
WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND status = 'pending'`),

    markDeliveredMany: statement(`UPDATE ${s}.outbox
SET status = 'delivered', delivered_at = $4::timestamptz, lease_owner = NULL, lease_until = NULL
WHERE tenant_id = $1 AND id = ANY($2::text[]) AND lease_owner = $3 AND status = 'pending'
RETURNING id`),

    /**
     * Parameters: $1 tenant, $2 entry ids (distinct, not empty), $3 worker, $4 message id, $5 the message's
     * notification ids as given. All or nothing in one statement: `target` locks (in id order) the entries that
     * are pending, leased to `$3` and unassigned or already on `$4` — re-checking each against its newest version
     * if another transaction changed it meanwhile — and the update runs only if every id is among them.
     */
    assignMessage: statement(`WITH wanted AS (
  SELECT DISTINCT w.id FROM unnest($2::text[]) AS w(id)
),
target AS (
  SELECT o.id FROM ${s}.outbox o
  WHERE o.tenant_id = $1 AND o.id IN (SELECT id FROM wanted) AND o.status = 'pending' AND o.lease_owner = $3
    AND (o.message_id IS NULL OR o.message_id = $4)
  ORDER BY o.id
  FOR UPDATE
)
UPDATE ${s}.outbox
SET message_id = $4, message_notification_ids = $5::text[]
WHERE tenant_id = $1 AND id IN (SELECT id FROM target)
  AND (SELECT count(*) FROM target) = (SELECT count(*) FROM wanted)
RETURNING id`),

    /**
     * Parameters: $1 tenant, $2 id, $3 worker, $4 error, $5 retryAt (or null), $6 deferred, $7 maxAttempts.
     * A retry moves `deliver_at`; a deferral gives the attempt back; otherwise `maxAttempts` dead-letters.
     */
    markFailed: statement(`UPDATE ${s}.outbox
SET attempts = CASE WHEN $6::boolean AND $5::timestamptz IS NOT NULL THEN greatest(attempts - 1, 0) ELSE attempts END,
    status = CASE WHEN $5::timestamptz IS NOT NULL AND ($6::boolean OR attempts < $7::int) THEN 'pending' ELSE 'dead' END,
    deliver_at = CASE WHEN $5::timestamptz IS NOT NULL AND ($6::boolean OR attempts < $7::int) THEN $5::timestamptz ELSE deliver_at END,
    last_error = $4::text,
    lease_owner = NULL,
    lease_until = NULL
WHERE tenant_id = $1 AND id = $2 AND lease_owner = $3 AND status = 'pending'`),

    getOutboxEntry: statement(`SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE tenant_id = $1 AND id = $2`),

    outboxStats: statement(`SELECT
  count(*) FILTER (WHERE status = 'pending')::int AS pending,
  count(*) FILTER (WHERE status = 'pending' AND deliver_at <= $2::timestamptz AND (lease_until IS NULL OR lease_until <= $2::timestamptz))::int AS due,
  count(*) FILTER (WHERE status = 'pending' AND lease_until > $2::timestamptz)::int AS leased,
  count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
  count(*) FILTER (WHERE status = 'dead')::int AS dead,
  min(deliver_at) FILTER (WHERE status = 'pending' AND deliver_at <= $2::timestamptz AND (lease_until IS NULL OR lease_until <= $2::timestamptz)) AS oldest_due_at
FROM ${s}.outbox WHERE tenant_id = $1`),

    appendInbox: statement(`INSERT INTO ${s}.inbox
  (tenant_id, id, owner_id, created_at, level, critical, subject, body, notification_ids, task_ids, patient_ids)
VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9::text[], $10::text[], $11::text[])
ON CONFLICT (tenant_id, id) DO NOTHING`),

    listInbox: statement(`SELECT ${INBOX_COLUMNS} FROM ${s}.inbox
WHERE tenant_id = $1 AND owner_id = $2 AND (NOT $3::boolean OR read_at IS NULL)
ORDER BY created_at DESC, id DESC
LIMIT $4::int`),

    unreadCount: statement(
      `SELECT count(*)::int AS unread FROM ${s}.inbox WHERE tenant_id = $1 AND owner_id = $2 AND read_at IS NULL`,
    ),

    markInbox: statement(`UPDATE ${s}.inbox
SET read_at = coalesce(read_at, $4::timestamptz), acknowledged_at = coalesce(acknowledged_at, $5::timestamptz)
WHERE tenant_id = $1 AND owner_id = $2 AND id = $3
RETURNING ${INBOX_COLUMNS}`),

    quarantine: statement(`INSERT INTO ${s}.quarantine (tenant_id, id, received_at, source, code, message, issues, raw)
VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7::json, $8)
ON CONFLICT (tenant_id, id) DO NOTHING`),

    listQuarantine: statement(`SELECT tenant_id, id, received_at, source, code, message, issues, raw FROM ${s}.quarantine
WHERE tenant_id = $1 ORDER BY received_at, seq LIMIT $2::int`),
  };
}

/** The statements of one schema. */
export type Statements = ReturnType<typeof statementsFor>;
