import type { CareEvent, CaseState, Directory, Issue, Notification } from '@carerelay/core';

/**
 * The storage contract. Every method is scoped to one tenant: an adapter must never read, claim or change a
 * record of another tenant, whatever ids it is given. Adapters: memory (reference, in `@carerelay/engine`),
 * `@carerelay/storage-sqlite`, `@carerelay/storage-postgres`. Each proves itself with
 * `runStorageConformance()` from `@carerelay/testkit`.
 *
 * Times are ISO 8601 UTC instants (`2026-11-26T16:00:00.000Z`); they compare as strings.
 */
export interface CareRelayStorage {
  /** Adapter name, used as the prefix of its error messages (`sqlite: …`). */
  readonly name: string;

  /** Creates or upgrades the schema. Versioned and idempotent: safe to call on every start, from many processes. */
  migrate(): Promise<void>;

  /** Releases connections and handles. */
  close(): Promise<void>;

  // ── Event log and case state ───────────────────────────────────────────────────────────────────────────

  /** A case's current record (state, version, next wake-up), or undefined when the case has no events yet. */
  loadCase(tenantId: string, caseId: string): Promise<CaseRecord | undefined>;

  /**
   * Atomically appends events to a case's log, replaces its state and next wake-up, enqueues outbox entries
   * (idempotently by id: an id already present is left as it is) and releases the caller's case lease.
   * Optimistic concurrency: fails with `{ ok: false, reason: 'conflict' }` and changes nothing when the stored
   * version is not `expectedVersion` (0 for a new case). Events whose id the tenant has already stored are
   * skipped and listed in `duplicates`.
   */
  commitCase(tenantId: string, caseId: string, expectedVersion: number, commit: CaseCommit): Promise<CommitResult>;

  /** A case's events in append order, after sequence number `afterSeq` (0 for all). */
  readEvents(tenantId: string, caseId: string, afterSeq?: number): Promise<StoredEvent[]>;

  /** Whether the tenant already stored an event with this id (idempotent ingestion). */
  hasEvent(tenantId: string, eventId: string): Promise<boolean>;

  /**
   * Optional capability: the ids of the tenant's cases, sorted, at most `limit` after `afterCaseId` (keyset
   * paging). The coordinator's `worklist()` uses it to find an owner's cases; without it, `worklist()` sees only
   * the cases this process has touched.
   */
  listCaseIds?(tenantId: string, options?: { afterCaseId?: string; limit?: number }): Promise<string[]>;

  // ── Directory (owners) ─────────────────────────────────────────────────────────────────────────────────

  /** The tenant's directory and its version (version 0 and an empty directory when none is stored). */
  loadDirectory(tenantId: string): Promise<{ version: number; directory: Directory }>;

  /** Replaces the directory and appends its events, with the same optimistic concurrency as {@link commitCase}. */
  commitDirectory(tenantId: string, expectedVersion: number, directory: Directory, events: readonly CareEvent[]): Promise<CommitResult>;

  // ── Schedule: each case's next wake-up, claimed with a lease ──────────────────────────────────────────

  /**
   * Claims up to `limit` cases whose `nextWakeAt` ≤ `now` and whose lease is free or expired, leasing them to
   * `workerId` for `leaseMs`. A case is never held by two workers at once. Earliest wake-ups first.
   */
  claimDueCases(tenantId: string, now: string, limit: number, leaseMs: number, workerId: string): Promise<CaseClaim[]>;

  /** Gives a claimed case back without committing (e.g. on error), so another worker may take it at once. */
  releaseCase(tenantId: string, caseId: string, workerId: string): Promise<void>;

  /** The earliest `nextWakeAt` over the tenant's cases (leased or not), or null when none is scheduled. */
  earliestWakeAt(tenantId: string): Promise<string | null>;

  // ── Transactional outbox ───────────────────────────────────────────────────────────────────────────────

  /**
   * Claims up to `limit` pending outbox entries with `deliverAt` ≤ `now` whose lease is free or expired,
   * leasing them to `workerId` for `leaseMs`. Each claim increments `attempts`.
   *
   * Order: the claim takes the first `limit` eligible entries in `(deliverAt, recipientId, id)` order (ids and
   * instants compared as strings, byte-wise) and returns them in that order. So one recipient's entries at one
   * instant — which the engine sends as one digest — are adjacent, and only the last of them can continue past a
   * full claim: the engine relies on this to never send a digest cut in two.
   */
  claimOutbox(tenantId: string, now: string, limit: number, leaseMs: number, workerId: string): Promise<OutboxEntry[]>;

  /**
   * Marks a claimed entry delivered (clearing its lease). A no-op returning false when the entry is not pending
   * or `workerId` no longer holds its lease (another worker claimed it after the lease expired).
   */
  markDelivered(tenantId: string, id: string, workerId: string, at: string): Promise<boolean>;

  /**
   * Optional capability: marks many claimed entries delivered in one transaction (a crash leaves all of its
   * marks or none of them), skipping those {@link markDelivered} would refuse (not pending, or `workerId` no longer holds the
   * lease). Returns the ids it marked. The engine marks all the entries one message carried this way, so a crash
   * cannot leave part of a sent digest marked and the rest pending.
   */
  markDeliveredMany?(tenantId: string, ids: readonly string[], workerId: string, at: string): Promise<string[]>;

  /**
   * Optional capability: records, before a message is sent, which message carries the given entries
   * (`message.notificationIds`, each an outbox entry id), in one transaction and all or nothing. It succeeds
   * only when every one of them is pending, leased to `workerId`, and not yet assigned to another message (an
   * entry already assigned to this same message id is fine: the call is idempotent); otherwise it changes
   * nothing and returns false. The assignment is never cleared — claims, retries and deferrals keep it — and is
   * read back as {@link OutboxEntry.message}.
   *
   * With it the engine re-sends a digest after a crash, a lost lease or a retry with exactly the same
   * notifications under the same id, whatever else became due for that recipient meanwhile; without it, a
   * re-send regroups what is pending (the same notifications in the common case, but not always under
   * concurrency).
   */
  assignMessage?(tenantId: string, message: OutboxMessageRef, workerId: string): Promise<boolean>;

  /**
   * Records a failed attempt and clears the lease: with `retryAt` the entry becomes pending again with
   * `deliverAt` set to `retryAt` (its `notification.deliverAt` keeps the planned instant); without it (or once
   * `attempts` reached the adapter's `maxAttempts`, default 5) it is dead-lettered. With `deferred: true` the
   * claim is not counted as an attempt (`attempts` goes back down by one) and the entry is never dead-lettered:
   * the engine defers this way when a daily budget holds a message. A no-op returning false when the entry is not
   * pending or `workerId` no longer holds the lease.
   */
  markFailed(tenantId: string, id: string, workerId: string, failure: DeliveryFailure): Promise<boolean>;

  /** Reads one outbox entry (any status). */
  getOutboxEntry(tenantId: string, id: string): Promise<OutboxEntry | undefined>;

  /**
   * Counts for operators: `pending` (status pending, leased or not), `due` (pending, `deliverAt` ≤ `now`, lease free
   * or expired), `leased` (pending with a lease after `now`), `delivered`, `dead`, and `oldestDueAt` (the earliest
   * `deliverAt` among the due ones).
   */
  outboxStats(tenantId: string, now: string): Promise<OutboxStats>;

  // ── In-app inbox (the default channel) ─────────────────────────────────────────────────────────────────

  /** Stores a message in an owner's inbox; idempotent by message id (a second append of one id is ignored). */
  appendInbox(tenantId: string, message: InboxMessageInput): Promise<void>;

  /** An owner's inbox messages, newest first. */
  listInbox(tenantId: string, ownerId: string, options?: { unreadOnly?: boolean; limit?: number }): Promise<InboxMessage[]>;

  /** Number of unread messages in an owner's inbox. */
  unreadCount(tenantId: string, ownerId: string): Promise<number>;

  /**
   * Marks an owner's message read (and acknowledged, when `acknowledged` is set). Returns the updated message,
   * or undefined when the owner has no such message (another owner's message is never touched).
   */
  markInbox(tenantId: string, ownerId: string, messageId: string, update: { readAt: string; acknowledgedAt?: string }): Promise<InboxMessage | undefined>;

  // ── Quarantine ─────────────────────────────────────────────────────────────────────────────────────────

  /** Stores input that failed validation, with the typed error, so nothing is lost and the rest goes on. */
  quarantine(tenantId: string, record: QuarantineInput): Promise<void>;

  /** The tenant's quarantined records, oldest first. */
  listQuarantine(tenantId: string, limit?: number): Promise<QuarantineRecord[]>;
}

/** A case as stored. */
export interface CaseRecord {
  tenantId: string;
  caseId: string;
  /** Number of commits applied (optimistic-concurrency token). */
  version: number;
  state: CaseState;
  nextWakeAt: string | null;
}

/** What one commit writes. */
export interface CaseCommit {
  events: readonly CareEvent[];
  state: CaseState;
  nextWakeAt: string | null;
  outbox: readonly OutboxInput[];
  /** The worker committing; its lease on the case is released. */
  workerId?: string;
}

/** The result of a commit. */
export type CommitResult =
  | { ok: true; version: number; duplicates: string[] }
  | { ok: false; reason: 'conflict'; currentVersion: number };

/** An event in a case's log. */
export interface StoredEvent {
  tenantId: string;
  caseId: string;
  /** 1-based position in the case's log. */
  seq: number;
  event: CareEvent;
}

/** A claimed case. */
export interface CaseClaim {
  caseId: string;
  nextWakeAt: string;
  leaseUntil: string;
}

/** An outbox entry to enqueue: one notification, to be delivered at `deliverAt`. */
export interface OutboxInput {
  /** The notification id: enqueueing the same id twice keeps the first. */
  id: string;
  caseId: string;
  recipientId: string;
  deliverAt: string;
  notification: Notification;
}

/** The message an outbox entry was assigned to before it was first sent (see {@link CareRelayStorage.assignMessage}). */
export interface OutboxMessageRef {
  /** The message id (the channels' idempotency key). */
  id: string;
  /** Every notification (outbox entry) id the message carries, the entry's own included. */
  notificationIds: string[];
}

/** Outbox statuses. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** An outbox entry as stored. */
export interface OutboxEntry extends OutboxInput {
  tenantId: string;
  status: OutboxStatus;
  attempts: number;
  leaseOwner?: string;
  leaseUntil?: string;
  deliveredAt?: string;
  lastError?: string;
  /** The message the entry was assigned to before its first send (adapters with `assignMessage` only). */
  message?: OutboxMessageRef;
}

/** A failed delivery attempt. */
export interface DeliveryFailure {
  /** A PHI-free error message. */
  error: string;
  /** When to try again; absent means permanent failure (dead letter). */
  retryAt?: string;
  /**
   * A hold rather than a failure (e.g. the recipient's daily budget is spent): the claim does not count as an
   * attempt and never dead-letters. Needs `retryAt`.
   */
  deferred?: boolean;
}

/** Outbox counts for health checks. */
export interface OutboxStats {
  pending: number;
  due: number;
  leased: number;
  delivered: number;
  dead: number;
  oldestDueAt: string | null;
}

/** Bad input to keep. */
export interface QuarantineInput {
  /** The input's id when it had one, else a digest of it. */
  id: string;
  receivedAt: string;
  /** Where it came from (`ingest`, `fhir`, `hl7v2`, …). */
  source: string;
  code: string;
  /** PHI-free description naming the fields and reasons. */
  message: string;
  issues: readonly Issue[];
  /** The raw input as JSON text (may hold PHI: stored, never logged). */
  raw: string;
}

/** A quarantined record. */
export interface QuarantineRecord extends QuarantineInput {
  tenantId: string;
}

/** A message for an owner's in-app inbox. */
export interface InboxMessageInput {
  id: string;
  ownerId: string;
  createdAt: string;
  level: Notification['level'];
  critical: boolean;
  subject: string;
  text: string;
  /** Notification ids the message carries (a digest carries several). */
  notificationIds: string[];
  /** Task ids they belong to (acknowledging stops those tasks' repeats). */
  taskIds: string[];
  /** Patient ids, for acknowledgement events back into the engine. */
  patientIds: string[];
}

/** A message in an owner's inbox. */
export interface InboxMessage extends InboxMessageInput {
  tenantId: string;
  readAt?: string;
  acknowledgedAt?: string;
}
