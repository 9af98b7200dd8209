import type { Notification } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import {
  type CareRelayStorage,
  type Channel,
  type OutboxInput,
  createCoordinator,
  createManualClock,
  createMemoryStorage,
} from '../src/index.js';

/**
 * Exactly one message per notification, with digests on: whatever claim batches, crashes, lost leases and
 * concurrent workers do, every notification reaches its recipient under one message id (the idempotency key a
 * receiver dedupes by), and each recipient's entries of one instant leave together.
 */
const TENANT = 'clinic-digests';
const T = '2026-11-25T20:00:00.000Z';
const LEASE_MS = 1_000;

const plus = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

function notification(id: string, recipientId: string, deliverAt: string): Notification {
  const deadline = plus(deliverAt, 3 * 86_400_000);
  return {
    id,
    tenantId: TENANT,
    patientId: `pat-${id}`,
    displayToken: 'T.K. ·0001',
    recipientId,
    level: 'reminder',
    critical: false,
    deliverAt,
    taskId: `task-${id}`,
    stepId: 'reminder',
    repeat: 0,
    milestoneId: `m-${id}`,
    milestoneKind: 'authorization_review',
    deadline,
    channels: ['in_app'],
    items: [{ requirementId: `m-${id}:r`, ownerId: recipientId, summary: 'Progress note', text: 'Document progress', reason: 'Payer criterion', deadline, milestoneId: `m-${id}`, milestoneKind: 'authorization_review' }],
    phiClass: 'phi',
  };
}

/** Enqueues notifications `${recipient}-${i}` for each recipient, all due at `at` (as the planner's commit would). */
async function enqueue(storage: CareRelayStorage, caseId: string, entries: Array<[recipientId: string, count: number, at?: string]>): Promise<string[]> {
  const outbox: OutboxInput[] = entries.flatMap(([recipientId, count, at = T]) =>
    Array.from({ length: count }, (_, i) => {
      const id = `${recipientId}-${caseId}-${String(i).padStart(2, '0')}`;
      return { id, caseId, recipientId, deliverAt: at, notification: notification(id, recipientId, at) };
    }),
  );
  const version = (await storage.loadCase(TENANT, caseId))?.version ?? 0;
  const state = { tenantId: TENANT, caseId, version: version + 1 } as never;
  const result = await storage.commitCase(TENANT, caseId, version, { events: [], state, nextWakeAt: null, outbox });
  expect(result.ok).toBe(true);
  return outbox.map((o) => o.id);
}

/** A receiver that dedupes by idempotency key, as Message-ID and webhook-id receivers do. */
function receiver() {
  const accepted = new Map<string, string[]>();
  const sends: string[] = [];
  const channel = (options: { beforeSend?: () => Promise<void> } = {}): Channel => ({
    name: 'in_app',
    trust: 'phi-allowed',
    async send(message, { idempotencyKey }) {
      await options.beforeSend?.();
      sends.push(idempotencyKey);
      if (!accepted.has(idempotencyKey)) accepted.set(idempotencyKey, message.digest.notifications.map((n) => n.id));
      return { status: 'delivered' };
    },
  });
  /** Notification ids carried by more than one message id. */
  const carriedTwice = () => {
    const seen = new Map<string, number>();
    for (const ids of accepted.values()) for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  };
  const messages = () => [...accepted.values()].map((ids) => [...ids].sort());
  return { accepted, sends, channel, carriedTwice, messages };
}

/** The storage as a worker that dies between sending a message and marking it sees it: the marks never land. */
function diesBeforeMarking(inner: CareRelayStorage): CareRelayStorage {
  const lost = () => Promise.reject(new Error('process killed'));
  return new Proxy(inner, {
    get(target, property, receiverObject) {
      if (property === 'markDelivered' || property === 'markDeliveredMany') return lost;
      const value = Reflect.get(target, property, receiverObject) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The storage without an optional capability (as an adapter that does not offer it). */
function without(inner: CareRelayStorage, ...capabilities: Array<'assignMessage' | 'markDeliveredMany'>): CareRelayStorage {
  return new Proxy(inner, {
    get(target, property, receiverObject) {
      if ((capabilities as readonly PropertyKey[]).includes(property)) return undefined;
      const value = Reflect.get(target, property, receiverObject) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function worker(storage: CareRelayStorage, channel: Channel, workerId: string, now: string, batch = 4) {
  const clock = createManualClock(now);
  const coordinator = createCoordinator({ storage, channels: [channel], clock, tenantId: TENANT, workerId, outboxLeaseMs: LEASE_MS, outboxBatchSize: batch, digestWindowMinutes: 60, dailyBudget: 1000 });
  return { coordinator, clock };
}

/** Ticks until nothing is left to do. */
async function drain(coordinator: ReturnType<typeof createCoordinator>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const result = await coordinator.tick();
    if (!result.more && result.messagesSent === 0 && result.delivered === 0 && result.deferred === 0) return;
  }
  throw new Error('delivery did not settle');
}

describe('digests and claim batches', () => {
  it('a claim that cuts a recipient’s digest gives it back, and it leaves whole in the next round', async () => {
    const storage = createMemoryStorage();
    const ids = await enqueue(storage, 'c1', [['ther-1', 3], ['ther-2', 3], ['ther-3', 3]]);
    const r = receiver();
    const { coordinator } = worker(storage, r.channel(), 'w1', T, 4);
    await drain(coordinator);
    expect(r.messages()).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6, 9)]);
    expect(r.sends).toHaveLength(3);
  });

  it('a digest larger than the claim batch is claimed whole and leaves as one message', async () => {
    const storage = createMemoryStorage();
    const ids = await enqueue(storage, 'c1', [['ur-1', 11], ['ur-2', 2]]);
    const r = receiver();
    const { coordinator } = worker(storage, r.channel(), 'w1', T, 4);
    await drain(coordinator);
    expect(r.messages()).toEqual([ids.slice(0, 11), ids.slice(11)]);
    const entries = await Promise.all(ids.map((id) => storage.getOutboxEntry(TENANT, id)));
    expect(entries.every((e) => e?.status === 'delivered' && e.attempts === 1)).toBe(true);
  });
});

describe('a worker killed between sending a digest and marking it', () => {
  it('is followed by a re-send of the same notifications under the same id, while what became due meanwhile leaves apart', async () => {
    const storage = createMemoryStorage();
    const first = await enqueue(storage, 'c1', [['ther-1', 3]]);
    const r = receiver();
    await worker(diesBeforeMarking(storage), r.channel(), 'w1', T).coordinator.tick();
    expect(r.sends).toHaveLength(1);
    // Another case's commit queues one more notification for the recipient at the same outbox instant.
    const later = await enqueue(storage, 'c2', [['ther-1', 1]]);
    await drain(worker(storage, r.channel(), 'w2', plus(T, 2 * LEASE_MS)).coordinator);
    expect(r.carriedTwice()).toEqual([]);
    expect(r.messages()).toEqual([first, later]);
    expect(r.sends).toEqual([r.sends[0], r.sends[0], later[0]]);
    expect((await storage.outboxStats(TENANT, plus(T, 3 * LEASE_MS))).delivered).toBe(4);
  });

  it('without assignMessage (storage that lacks it), the same digest is still re-sent whole when the claim batch had cut it', async () => {
    const storage = createMemoryStorage();
    const ids = await enqueue(storage, 'c1', [['ther-1', 3], ['ther-2', 3]]);
    const r = receiver();
    const bare = without(storage, 'assignMessage');
    // Batch 4: ther-1's three leave, ther-2's are cut and given back; the kill loses the marks of ther-1's.
    await worker(diesBeforeMarking(bare), r.channel(), 'w1', T).coordinator.tick();
    await drain(worker(bare, r.channel(), 'w2', plus(T, 2 * LEASE_MS)).coordinator);
    expect(r.carriedTwice()).toEqual([]);
    expect(r.messages()).toEqual([ids.slice(0, 3), ids.slice(3)]);
  });

  it('marks every entry of a sent digest in one storage call when the storage offers markDeliveredMany', async () => {
    const storage = createMemoryStorage();
    await enqueue(storage, 'c1', [['ther-1', 3], ['ther-2', 2]]);
    const calls: string[] = [];
    const counted = new Proxy(storage, {
      get(target, property, receiverObject) {
        const value = Reflect.get(target, property, receiverObject) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(property));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    await drain(worker(counted, receiver().channel(), 'w1', T, 10).coordinator);
    expect(calls.filter((c) => c === 'markDeliveredMany')).toHaveLength(2);
    expect(calls).not.toContain('markDelivered');
  });
});

describe('concurrent workers', () => {
  it('a worker whose lease expired mid-send and the worker that took over send one message id between them', async () => {
    const storage = createMemoryStorage();
    const first = await enqueue(storage, 'c1', [['ther-1', 3]]);
    const r = receiver();
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const stalled = worker(storage, r.channel({ beforeSend: () => slow }), 'w1', T).coordinator.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The lease ran out while w1 was still sending; one more notification became due for the recipient.
    const later = await enqueue(storage, 'c2', [['ther-1', 1]]);
    await drain(worker(storage, r.channel(), 'w2', plus(T, 2 * LEASE_MS)).coordinator);
    release();
    const late = await stalled;
    expect(late.delivered).toBe(0);
    expect(r.carriedTwice()).toEqual([]);
    expect(r.messages().sort()).toEqual([first, later].sort());
  });

  it('a digest split between two workers’ claims, one of which dies after sending its part, reaches the recipient once', async () => {
    const storage = createMemoryStorage();
    const ids = await enqueue(storage, 'c1', [['ther-1', 4]]);
    const r = receiver();
    // w0 holds the first two entries (a claim of two), as a concurrent worker's full claim would.
    const held = await storage.claimOutbox(TENANT, T, 2, LEASE_MS, 'w0');
    expect(held.map((e) => e.id)).toEqual(ids.slice(0, 2));
    // w1 claims the other two, sends them as one digest and dies before marking it.
    await worker(diesBeforeMarking(storage), r.channel(), 'w1', T).coordinator.tick();
    // w0 gives its cut part back whole, as the engine does.
    for (const e of held) await storage.markFailed(TENANT, e.id, 'w0', { error: 'digest cut by the claim limit', retryAt: e.deliverAt, deferred: true });
    await drain(worker(storage, r.channel(), 'w2', plus(T, 2 * LEASE_MS)).coordinator);
    expect(r.carriedTwice()).toEqual([]);
    expect(r.messages().flat().sort()).toEqual(ids);
    expect((await storage.outboxStats(TENANT, plus(T, 3 * LEASE_MS))).delivered).toBe(4);
  });
});

describe('an assigned digest only part of which is claimed', () => {
  /** ther-1's three notifications, sent as one digest by a worker that died before marking it; returns its id. */
  async function sentAndUnmarked(storage: CareRelayStorage, r: ReturnType<typeof receiver>): Promise<{ ids: string[]; messageId: string }> {
    const ids = await enqueue(storage, 'c1', [['ther-1', 3]]);
    await worker(diesBeforeMarking(storage), r.channel(), 'w1', T).coordinator.tick();
    const messageId = (await storage.getOutboxEntry(TENANT, ids[0]!))?.message?.id;
    expect(messageId).toBe(r.sends[0]);
    return { ids, messageId: messageId! };
  }

  it('waits while another worker holds the rest, then leaves whole under its id', async () => {
    const storage = createMemoryStorage();
    const r = receiver();
    const { ids, messageId } = await sentAndUnmarked(storage, r);
    const at = plus(T, 2 * LEASE_MS);
    expect((await storage.claimOutbox(TENANT, at, 1, LEASE_MS, 'w0')).map((e) => e.id)).toEqual([ids[0]]);
    const waiting = await worker(storage, r.channel(), 'w2', at).coordinator.tick();
    expect(waiting).toMatchObject({ messagesSent: 0, deferred: 2 });
    expect((await storage.getOutboxEntry(TENANT, ids[1]!))?.deliverAt).toBe(plus(at, LEASE_MS));
    await drain(worker(storage, r.channel(), 'w3', plus(at, LEASE_MS)).coordinator);
    expect(r.sends).toEqual([messageId, messageId]);
    expect(r.messages()).toEqual([ids]);
  });

  it('is marked delivered without a send when the rest of its message was marked delivered', async () => {
    const storage = createMemoryStorage();
    const r = receiver();
    const { ids } = await sentAndUnmarked(storage, r);
    // A worker that re-sent the digest kept its lease on one entry only long enough to mark it.
    const at = plus(T, 2 * LEASE_MS);
    await storage.claimOutbox(TENANT, at, 10, LEASE_MS, 'w0');
    expect(await storage.markDelivered(TENANT, ids[0]!, 'w0', at)).toBe(true);
    const result = await worker(storage, r.channel(), 'w2', plus(at, 2 * LEASE_MS)).coordinator.tick();
    expect(result).toMatchObject({ messagesSent: 0, delivered: 2 });
    expect(r.sends).toHaveLength(1);
    expect((await storage.outboxStats(TENANT, plus(at, 3 * LEASE_MS))).delivered).toBe(3);
  });

  it('leaves under its own id when the rest of its message was dead-lettered', async () => {
    const storage = createMemoryStorage();
    const r = receiver();
    const { ids, messageId } = await sentAndUnmarked(storage, r);
    const at = plus(T, 2 * LEASE_MS);
    await storage.claimOutbox(TENANT, at, 10, LEASE_MS, 'w0');
    expect(await storage.markFailed(TENANT, ids[0]!, 'w0', { error: 'gone' })).toBe(true);
    await drain(worker(storage, r.channel(), 'w2', plus(at, 2 * LEASE_MS)).coordinator);
    expect(r.sends).toEqual([messageId, messageId]);
    expect(r.carriedTwice()).toEqual([]);
    expect((await storage.getOutboxEntry(TENANT, ids[1]!))?.status).toBe('delivered');
  });
});
