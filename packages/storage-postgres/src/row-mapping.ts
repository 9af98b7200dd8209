import type { CaseState, Directory, Issue, Notification } from '@carerelay/core';
import type {
  CaseClaim,
  CaseRecord,
  InboxMessage,
  OutboxEntry,
  OutboxStatus,
  QuarantineRecord,
} from '@carerelay/engine';

/**
 * Turns a `timestamptz` value into a normalised instant (`2026-11-26T16:00:00.000Z`). pg returns a `Date`
 * by default, or a string when the pool's type parsers were changed; both are accepted.
 */
export function instantOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

/** Like {@link instantOf}, keeping null and undefined as undefined. */
export function optionalInstantOf(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : instantOf(value);
}

/** A `json` column: parsed by pg's default parser, or text when the pool's type parsers were changed. */
export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A row of `cases`. */
export interface CaseRow {
  case_id: string;
  version: number;
  state: unknown;
  next_wake_at: unknown;
}

/** Maps a `cases` row to a {@link CaseRecord}. */
export function caseRecordOf(tenantId: string, row: CaseRow): CaseRecord {
  return {
    tenantId,
    caseId: row.case_id,
    version: row.version,
    state: jsonOf<CaseState>(row.state),
    nextWakeAt: row.next_wake_at === null ? null : instantOf(row.next_wake_at),
  };
}

/** A claimed `cases` row. */
export interface CaseClaimRow {
  case_id: string;
  next_wake_at: unknown;
  lease_until: unknown;
}

/** Maps a claimed `cases` row to a {@link CaseClaim}. */
export function caseClaimOf(row: CaseClaimRow): CaseClaim {
  return { caseId: row.case_id, nextWakeAt: instantOf(row.next_wake_at), leaseUntil: instantOf(row.lease_until) };
}

/** A row of `outbox`. */
export interface OutboxRow {
  tenant_id: string;
  id: string;
  case_id: string;
  recipient_id: string;
  deliver_at: unknown;
  notification: unknown;
  status: OutboxStatus;
  attempts: number;
  lease_owner: string | null;
  lease_until: unknown;
  delivered_at: unknown;
  last_error: string | null;
  message_id: string | null;
  /** The assigned message's notification ids: the `text[]` column selected as `json` (see `OUTBOX_COLUMNS`). */
  message_notification_ids: unknown;
}

/** Maps an `outbox` row to an {@link OutboxEntry}; absent optional fields are left out, not undefined. */
export function outboxEntryOf(row: OutboxRow): OutboxEntry {
  const entry: OutboxEntry = {
    tenantId: row.tenant_id,
    id: row.id,
    caseId: row.case_id,
    recipientId: row.recipient_id,
    deliverAt: instantOf(row.deliver_at),
    notification: jsonOf<Notification>(row.notification),
    status: row.status,
    attempts: row.attempts,
  };
  if (row.lease_owner !== null) entry.leaseOwner = row.lease_owner;
  const leaseUntil = optionalInstantOf(row.lease_until);
  if (leaseUntil !== undefined) entry.leaseUntil = leaseUntil;
  const deliveredAt = optionalInstantOf(row.delivered_at);
  if (deliveredAt !== undefined) entry.deliveredAt = deliveredAt;
  if (row.last_error !== null) entry.lastError = row.last_error;
  if (row.message_id !== null && row.message_notification_ids !== null) {
    entry.message = { id: row.message_id, notificationIds: jsonOf<string[]>(row.message_notification_ids) };
  }
  return entry;
}

/** A row of `inbox`. */
export interface InboxRow {
  tenant_id: string;
  id: string;
  owner_id: string;
  created_at: unknown;
  level: InboxMessage['level'];
  critical: boolean;
  subject: string;
  body: string;
  notification_ids: string[];
  task_ids: string[];
  patient_ids: string[];
  read_at: unknown;
  acknowledged_at: unknown;
}

/** Maps an `inbox` row to an {@link InboxMessage}. */
export function inboxMessageOf(row: InboxRow): InboxMessage {
  const message: InboxMessage = {
    tenantId: row.tenant_id,
    id: row.id,
    ownerId: row.owner_id,
    createdAt: instantOf(row.created_at),
    level: row.level,
    critical: row.critical,
    subject: row.subject,
    text: row.body,
    notificationIds: row.notification_ids,
    taskIds: row.task_ids,
    patientIds: row.patient_ids,
  };
  const readAt = optionalInstantOf(row.read_at);
  if (readAt !== undefined) message.readAt = readAt;
  const acknowledgedAt = optionalInstantOf(row.acknowledged_at);
  if (acknowledgedAt !== undefined) message.acknowledgedAt = acknowledgedAt;
  return message;
}

/** A row of `quarantine`. */
export interface QuarantineRow {
  tenant_id: string;
  id: string;
  received_at: unknown;
  source: string;
  code: string;
  message: string;
  issues: unknown;
  raw: string;
}

/** Maps a `quarantine` row to a {@link QuarantineRecord}. */
export function quarantineRecordOf(row: QuarantineRow): QuarantineRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    receivedAt: instantOf(row.received_at),
    source: row.source,
    code: row.code,
    message: row.message,
    issues: jsonOf<Issue[]>(row.issues),
    raw: row.raw,
  };
}

/** Parses a stored directory. */
export function directoryOf(value: unknown): Directory {
  return jsonOf<Directory>(value);
}
