import type { CareEvent, CaseState, Issue, Notification } from '@carerelay/core';
import type { CaseRecord, InboxMessage, OutboxEntry, OutboxStatus, QuarantineRecord, StoredEvent } from '@carerelay/engine';

/** A row of `carerelay_cases`. */
export interface CaseRow {
  tenant_id: string;
  case_id: string;
  version: number;
  last_seq: number;
  state: string;
  next_wake_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
}

/** A row of `carerelay_events`. */
export interface EventRow {
  tenant_id: string;
  case_id: string;
  seq: number;
  event: string;
}

/** A row of `carerelay_outbox`. */
export interface OutboxRow {
  tenant_id: string;
  id: string;
  case_id: string;
  recipient_id: string;
  deliver_at: string;
  notification: string;
  status: OutboxStatus;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  delivered_at: string | null;
  last_error: string | null;
  message_id: string | null;
  /** JSON array of the notification ids the assigned message carries. */
  message_notification_ids: string | null;
}

/** A row of `carerelay_inbox`. */
export interface InboxRow {
  tenant_id: string;
  id: string;
  owner_id: string;
  created_at: string;
  level: InboxMessage['level'];
  critical: number;
  subject: string;
  text: string;
  notification_ids: string;
  task_ids: string;
  patient_ids: string;
  read_at: string | null;
  acknowledged_at: string | null;
}

/** A row of `carerelay_quarantine`. */
export interface QuarantineRow {
  tenant_id: string;
  id: string;
  received_at: string;
  source: string;
  code: string;
  message: string;
  issues: string;
  raw: string;
}

/** Maps a case row to the contract's record. */
export function caseRecordFrom(row: CaseRow): CaseRecord {
  return {
    tenantId: row.tenant_id,
    caseId: row.case_id,
    version: row.version,
    state: JSON.parse(row.state) as CaseState,
    nextWakeAt: row.next_wake_at,
  };
}

/** Maps an event row to the contract's stored event. */
export function storedEventFrom(row: EventRow): StoredEvent {
  return { tenantId: row.tenant_id, caseId: row.case_id, seq: row.seq, event: JSON.parse(row.event) as CareEvent };
}

/** Maps an outbox row to the contract's entry; absent optional fields are left out, not `undefined`. */
export function outboxEntryFrom(row: OutboxRow): OutboxEntry {
  const entry: OutboxEntry = {
    tenantId: row.tenant_id,
    id: row.id,
    caseId: row.case_id,
    recipientId: row.recipient_id,
    deliverAt: row.deliver_at,
    notification: JSON.parse(row.notification) as Notification,
    status: row.status,
    attempts: row.attempts,
  };
  if (row.lease_owner !== null) entry.leaseOwner = row.lease_owner;
  if (row.lease_until !== null) entry.leaseUntil = row.lease_until;
  if (row.delivered_at !== null) entry.deliveredAt = row.delivered_at;
  if (row.last_error !== null) entry.lastError = row.last_error;
  if (row.message_id !== null && row.message_notification_ids !== null) {
    entry.message = { id: row.message_id, notificationIds: JSON.parse(row.message_notification_ids) as string[] };
  }
  return entry;
}

/** Maps an inbox row to the contract's message. */
export function inboxMessageFrom(row: InboxRow): InboxMessage {
  const message: InboxMessage = {
    tenantId: row.tenant_id,
    id: row.id,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    level: row.level,
    critical: row.critical === 1,
    subject: row.subject,
    text: row.text,
    notificationIds: JSON.parse(row.notification_ids) as string[],
    taskIds: JSON.parse(row.task_ids) as string[],
    patientIds: JSON.parse(row.patient_ids) as string[],
  };
  if (row.read_at !== null) message.readAt = row.read_at;
  if (row.acknowledged_at !== null) message.acknowledgedAt = row.acknowledged_at;
  return message;
}

/** Maps a quarantine row to the contract's record. */
export function quarantineRecordFrom(row: QuarantineRow): QuarantineRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    receivedAt: row.received_at,
    source: row.source,
    code: row.code,
    message: row.message,
    issues: JSON.parse(row.issues) as Issue[],
    raw: row.raw,
  };
}
