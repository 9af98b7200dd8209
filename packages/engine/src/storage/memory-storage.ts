import { type CareEvent, type Directory, emptyDirectory } from '@carerelay/core';
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
} from './contract.js';
import { MinHeap } from './min-heap.js';

/** Options of {@link createMemoryStorage}. */
export interface MemoryStorageOptions {
  /** Attempts after which a failing outbox entry is dead-lettered (default 5). */
  maxAttempts?: number;
}

interface CaseSlot {
  version: number;
  record: CaseRecord;
  /** Bumped whenever `nextWakeAt` changes, so stale schedule entries are recognised. */
  gen: number;
  leaseOwner?: string;
  leaseUntil?: string;
}

interface OutboxSlot {
  entry: OutboxEntry;
  gen: number;
}

interface HeapEntry {
  /** Heap order (with `id`): the wake-up instant, or for the outbox `deliverAt` NUL `recipientId`. */
  key: string;
  /** When the entry is due. */
  at: string;
  id: string;
  gen: number;
}

interface TenantData {
  cases: Map<string, CaseSlot>;
  events: Map<string, StoredEvent[]>;
  eventIds: Set<string>;
  directory: { version: number; directory: Directory };
  schedule: MinHeap<HeapEntry>;
  outbox: Map<string, OutboxSlot>;
  outboxQueue: MinHeap<HeapEntry>;
  pendingIds: Set<string>;
  delivered: number;
  dead: number;
  inbox: Map<string, InboxMessage>;
  quarantine: QuarantineRecord[];
  quarantineIds: Set<string>;
}

const clone = <T>(value: T): T => structuredClone(value);

function plus(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

function leaseFree(leaseUntil: string | undefined, now: string): boolean {
  return leaseUntil === undefined || leaseUntil <= now;
}

/**
 * The reference storage adapter: everything in process memory, lost on exit. The default of
 * `createCoordinator()`, and the adapter the conformance suite is written against. Claims use heaps ordered by
 * due instant (the outbox's by `(deliverAt, recipientId, id)`, as the contract orders claims), so claiming costs
 * O(due work), not O(scheduled cases). Offers `markDeliveredMany` and `assignMessage`. Values are copied in and
 * out, as a database would serialise them.
 *
 * @example
 * ```ts
 * const storage = createMemoryStorage({ maxAttempts: 5 });
 * await storage.migrate();
 * ```
 */
export function createMemoryStorage(options: MemoryStorageOptions = {}): CareRelayStorage {
  const maxAttempts = options.maxAttempts ?? 5;
  const tenants = new Map<string, TenantData>();

  const tenant = (tenantId: string): TenantData => {
    let data = tenants.get(tenantId);
    if (!data) {
      data = {
        cases: new Map(),
        events: new Map(),
        eventIds: new Set(),
        directory: { version: 0, directory: emptyDirectory(tenantId) },
        schedule: new MinHeap(),
        outbox: new Map(),
        outboxQueue: new MinHeap(),
        pendingIds: new Set(),
        delivered: 0,
        dead: 0,
        inbox: new Map(),
        quarantine: [],
        quarantineIds: new Set(),
      };
      tenants.set(tenantId, data);
    }
    return data;
  };

  /** Appends events not yet stored; returns the ids skipped as duplicates. */
  const appendEvents = (data: TenantData, tenantId: string, caseId: string | undefined, events: readonly CareEvent[]): string[] => {
    const duplicates: string[] = [];
    for (const event of events) {
      if (data.eventIds.has(event.id)) {
        duplicates.push(event.id);
        continue;
      }
      data.eventIds.add(event.id);
      if (caseId === undefined) continue;
      let log = data.events.get(caseId);
      if (!log) data.events.set(caseId, (log = []));
      log.push({ tenantId, caseId, seq: log.length + 1, event: clone(event) });
    }
    return duplicates;
  };

  const schedule = (data: TenantData, caseId: string, slot: CaseSlot) => {
    slot.gen += 1;
    if (slot.record.nextWakeAt !== null) data.schedule.push({ key: slot.record.nextWakeAt, at: slot.record.nextWakeAt, id: caseId, gen: slot.gen });
  };

  const queue = (data: TenantData, slot: OutboxSlot) => {
    slot.gen += 1;
    // NUL sorts before every other character, so the key orders as the pair (deliverAt, recipientId).
    data.outboxQueue.push({ key: `${slot.entry.deliverAt}\u0000${slot.entry.recipientId}`, at: slot.entry.deliverAt, id: slot.entry.id, gen: slot.gen });
  };

  /** Pops due heap entries, offering each live one to `take`; every live entry is pushed back afterwards. */
  const drain = (heap: MinHeap<HeapEntry>, now: string, limit: number, live: (e: HeapEntry) => boolean, take: (e: HeapEntry) => boolean) => {
    const kept: HeapEntry[] = [];
    let taken = 0;
    while (taken < limit) {
      const top = heap.peek();
      if (!top || top.at > now) break;
      heap.pop();
      if (!live(top)) continue;
      kept.push(top);
      if (take(top)) taken += 1;
    }
    for (const entry of kept) heap.push(entry);
  };

  /** Marks one entry delivered when `workerId` holds its lease; false (and no change) otherwise. */
  const deliver = (data: TenantData, id: string, workerId: string, at: string): boolean => {
    const entry = data.outbox.get(id)?.entry;
    if (!entry || entry.status !== 'pending' || entry.leaseOwner !== workerId) return false;
    entry.status = 'delivered';
    entry.deliveredAt = at;
    delete entry.leaseOwner;
    delete entry.leaseUntil;
    data.pendingIds.delete(id);
    data.delivered += 1;
    return true;
  };

  const storage: CareRelayStorage = {
    name: 'memory',

    async migrate() {},

    async close() {},

    async loadCase(tenantId, caseId) {
      const slot = tenants.get(tenantId)?.cases.get(caseId);
      return slot ? clone(slot.record) : undefined;
    },

    async commitCase(tenantId, caseId, expectedVersion, commit: CaseCommit): Promise<CommitResult> {
      const data = tenant(tenantId);
      const slot = data.cases.get(caseId);
      const current = slot?.version ?? 0;
      if (current !== expectedVersion) return { ok: false, reason: 'conflict', currentVersion: current };
      const duplicates = appendEvents(data, tenantId, caseId, commit.events);
      const version = current + 1;
      const record: CaseRecord = { tenantId, caseId, version, state: clone(commit.state), nextWakeAt: commit.nextWakeAt };
      const next: CaseSlot = slot ?? { version, record, gen: 0 };
      const wakeChanged = !slot || slot.record.nextWakeAt !== commit.nextWakeAt;
      next.version = version;
      next.record = record;
      if (slot && commit.workerId !== undefined && slot.leaseOwner === commit.workerId) {
        delete next.leaseOwner;
        delete next.leaseUntil;
      }
      data.cases.set(caseId, next);
      if (wakeChanged) schedule(data, caseId, next);
      for (const input of commit.outbox) {
        if (data.outbox.has(input.id)) continue;
        const entry: OutboxEntry = { ...clone(input), tenantId, status: 'pending', attempts: 0 };
        const outboxSlot: OutboxSlot = { entry, gen: 0 };
        data.outbox.set(input.id, outboxSlot);
        data.pendingIds.add(input.id);
        queue(data, outboxSlot);
      }
      return { ok: true, version, duplicates };
    },

    async readEvents(tenantId, caseId, afterSeq = 0) {
      const log = tenants.get(tenantId)?.events.get(caseId) ?? [];
      return clone(log.filter((e) => e.seq > afterSeq));
    },

    async hasEvent(tenantId, eventId) {
      return tenants.get(tenantId)?.eventIds.has(eventId) ?? false;
    },

    async listCaseIds(tenantId, page = {}) {
      const ids = [...(tenants.get(tenantId)?.cases.keys() ?? [])].sort();
      const after = page.afterCaseId;
      const from = after === undefined ? ids : ids.filter((id) => id > after);
      return from.slice(0, page.limit ?? from.length);
    },

    async loadDirectory(tenantId) {
      const stored = tenants.get(tenantId)?.directory;
      return stored ? clone(stored) : { version: 0, directory: emptyDirectory(tenantId) };
    },

    async commitDirectory(tenantId, expectedVersion, directory, events) {
      const data = tenant(tenantId);
      const current = data.directory.version;
      if (current !== expectedVersion) return { ok: false, reason: 'conflict', currentVersion: current };
      const duplicates = appendEvents(data, tenantId, undefined, events);
      data.directory = { version: current + 1, directory: clone(directory) };
      return { ok: true, version: current + 1, duplicates };
    },

    async claimDueCases(tenantId, now, limit, leaseMs, workerId) {
      const data = tenants.get(tenantId);
      if (!data) return [];
      const claims: CaseClaim[] = [];
      drain(
        data.schedule,
        now,
        limit,
        (e) => data.cases.get(e.id)?.gen === e.gen,
        (e) => {
          const slot = data.cases.get(e.id)!;
          if (!leaseFree(slot.leaseUntil, now)) return false;
          slot.leaseOwner = workerId;
          slot.leaseUntil = plus(now, leaseMs);
          claims.push({ caseId: e.id, nextWakeAt: e.key, leaseUntil: slot.leaseUntil });
          return true;
        },
      );
      return claims;
    },

    async releaseCase(tenantId, caseId, workerId) {
      const slot = tenants.get(tenantId)?.cases.get(caseId);
      if (!slot || slot.leaseOwner !== workerId) return;
      delete slot.leaseOwner;
      delete slot.leaseUntil;
    },

    async earliestWakeAt(tenantId) {
      const data = tenants.get(tenantId);
      if (!data) return null;
      for (;;) {
        const top = data.schedule.peek();
        if (!top) return null;
        if (data.cases.get(top.id)?.gen === top.gen) return top.key;
        data.schedule.pop();
      }
    },

    async claimOutbox(tenantId, now, limit, leaseMs, workerId) {
      const data = tenants.get(tenantId);
      if (!data) return [];
      const claimed: OutboxEntry[] = [];
      drain(
        data.outboxQueue,
        now,
        limit,
        (e) => {
          const slot = data.outbox.get(e.id);
          return slot?.gen === e.gen && slot.entry.status === 'pending';
        },
        (e) => {
          const entry = data.outbox.get(e.id)!.entry;
          if (!leaseFree(entry.leaseUntil, now)) return false;
          entry.attempts += 1;
          entry.leaseOwner = workerId;
          entry.leaseUntil = plus(now, leaseMs);
          claimed.push(clone(entry));
          return true;
        },
      );
      return claimed;
    },

    async markDelivered(tenantId, id, workerId, at) {
      const data = tenants.get(tenantId);
      return data !== undefined && deliver(data, id, workerId, at);
    },

    async markDeliveredMany(tenantId, ids, workerId, at) {
      const data = tenants.get(tenantId);
      if (!data) return [];
      return [...new Set(ids)].filter((id) => deliver(data, id, workerId, at));
    },

    async assignMessage(tenantId, message: OutboxMessageRef, workerId) {
      const entries = message.notificationIds.map((id) => tenants.get(tenantId)?.outbox.get(id)?.entry);
      const assignable = (entry: OutboxEntry | undefined): entry is OutboxEntry =>
        entry !== undefined && entry.status === 'pending' && entry.leaseOwner === workerId && (entry.message === undefined || entry.message.id === message.id);
      if (entries.length === 0 || !entries.every(assignable)) return false;
      for (const entry of entries) entry.message = { id: message.id, notificationIds: [...message.notificationIds] };
      return true;
    },

    async markFailed(tenantId, id, workerId, failure: DeliveryFailure) {
      const data = tenants.get(tenantId);
      const slot = data?.outbox.get(id);
      if (!data || !slot || slot.entry.status !== 'pending' || slot.entry.leaseOwner !== workerId) return false;
      const entry = slot.entry;
      delete entry.leaseOwner;
      delete entry.leaseUntil;
      entry.lastError = failure.error;
      if (failure.deferred && failure.retryAt !== undefined) entry.attempts = Math.max(0, entry.attempts - 1);
      const retry = failure.retryAt !== undefined && (failure.deferred || entry.attempts < maxAttempts);
      if (retry) {
        entry.deliverAt = failure.retryAt!;
        queue(data, slot);
        return true;
      }
      entry.status = 'dead';
      data.pendingIds.delete(id);
      data.dead += 1;
      return true;
    },

    async getOutboxEntry(tenantId, id) {
      const slot = tenants.get(tenantId)?.outbox.get(id);
      return slot ? clone(slot.entry) : undefined;
    },

    async outboxStats(tenantId, now): Promise<OutboxStats> {
      const data = tenants.get(tenantId);
      const stats: OutboxStats = { pending: 0, due: 0, leased: 0, delivered: data?.delivered ?? 0, dead: data?.dead ?? 0, oldestDueAt: null };
      if (!data) return stats;
      for (const id of data.pendingIds) {
        const entry = data.outbox.get(id)!.entry;
        stats.pending += 1;
        if (!leaseFree(entry.leaseUntil, now)) stats.leased += 1;
        else if (entry.deliverAt <= now) {
          stats.due += 1;
          if (stats.oldestDueAt === null || entry.deliverAt < stats.oldestDueAt) stats.oldestDueAt = entry.deliverAt;
        }
      }
      return stats;
    },

    async appendInbox(tenantId, message: InboxMessageInput) {
      const data = tenant(tenantId);
      if (data.inbox.has(message.id)) return;
      data.inbox.set(message.id, { ...clone(message), tenantId });
    },

    async listInbox(tenantId, ownerId, listOptions = {}) {
      const data = tenants.get(tenantId);
      if (!data) return [];
      const messages = [...data.inbox.values()]
        .filter((m) => m.ownerId === ownerId && (!listOptions.unreadOnly || m.readAt === undefined))
        .sort((a, b) => (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
      return clone(listOptions.limit === undefined ? messages : messages.slice(0, listOptions.limit));
    },

    async unreadCount(tenantId, ownerId) {
      const data = tenants.get(tenantId);
      if (!data) return 0;
      let count = 0;
      for (const m of data.inbox.values()) if (m.ownerId === ownerId && m.readAt === undefined) count += 1;
      return count;
    },

    async markInbox(tenantId, ownerId, messageId, update) {
      const message = tenants.get(tenantId)?.inbox.get(messageId);
      if (!message || message.ownerId !== ownerId) return undefined;
      message.readAt ??= update.readAt;
      if (update.acknowledgedAt !== undefined) message.acknowledgedAt ??= update.acknowledgedAt;
      return clone(message);
    },

    async quarantine(tenantId, record: QuarantineInput) {
      const data = tenant(tenantId);
      if (data.quarantineIds.has(record.id)) return;
      data.quarantineIds.add(record.id);
      data.quarantine.push({ ...clone(record), tenantId });
    },

    async listQuarantine(tenantId, limit) {
      const records = [...(tenants.get(tenantId)?.quarantine ?? [])].sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
      return clone(limit === undefined ? records : records.slice(0, limit));
    },
  };
  return storage;
}
