import { type CareEvent, type CaseState, type Directory, EventSchema, type Notification, emptyCase } from '@carerelay/core';
import type { CareRelayStorage, CaseCommit, InboxMessageInput, OutboxInput, QuarantineInput } from '@carerelay/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Direct reads of the adapter's backing store, bypassing the adapter's own methods, so the suite can check
 * where each write landed (as Auth.js's `db` accessors do). Every accessor is optional.
 */
export interface StorageInspector {
  /** Number of stored events of the tenant (case and directory events), read straight from the database. */
  countEvents?(tenantId: string): Promise<number>;
  /** Number of outbox rows of the tenant, whatever their status, read straight from the database. */
  countOutbox?(tenantId: string): Promise<number>;
}

/** Options of {@link runStorageConformance}. */
export interface StorageConformanceOptions<S extends CareRelayStorage = CareRelayStorage> {
  /** Suite title (defaults to the adapter's `name`, known only once created, so give one for a clear report). */
  name?: string;
  /**
   * Returns a fresh, empty adapter (migrated or not: the suite calls `migrate()` itself). Called before every
   * test; it must be configured with {@link StorageConformanceOptions.maxAttempts}.
   */
  create(): Promise<S> | S;
  /** Disposes of what `create` made (the suite has already called `close()`). */
  destroy?(storage: S): Promise<void> | void;
  /** Direct accessors to the backing store, for checks of where writes landed. */
  inspect?(storage: S): StorageInspector;
  /** The `maxAttempts` the adapter returned by `create` dead-letters after (default 5, the adapters' default). */
  maxAttempts?: number;
  /** Titles (or title prefixes) of tests to skip, for adapters that knowingly lack a capability. */
  skip?: readonly string[];
}

const T0 = '2026-11-23T14:00:00.000Z';

/** Adds milliseconds to an instant. */
function at(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}

/** A valid case event (a fact about an enrolled service), normalised by the core's schema. */
function conformanceEvent(tenantId: string, patientId: string, id: string, atInstant = T0): CareEvent {
  return EventSchema.parse({ id, tenantId, patientId, type: 'fact.recorded', at: atInstant, fact: { kind: 'service', service: `svc-${id}` } });
}

function directoryEvent(tenantId: string, ownerId: string, id: string): CareEvent {
  return EventSchema.parse({
    id,
    tenantId,
    type: 'owner.upserted',
    at: T0,
    owner: { tenantId, id: ownerId, role: 'therapist', timeZone: 'America/New_York' },
  });
}

function directoryWith(tenantId: string, ownerId: string): Directory {
  const event = directoryEvent(tenantId, ownerId, `dir-${ownerId}`);
  if (event.type !== 'owner.upserted') throw new Error('unreachable');
  return { tenantId, owners: { [ownerId]: event.owner } };
}

function caseState(tenantId: string, caseId: string, version: number, marker = 'x'): CaseState {
  const state = emptyCase(tenantId, caseId);
  return {
    ...state,
    version,
    careTeam: [{ ownerId: `owner-${marker}`, role: 'therapist' }],
    acknowledged: { [`ack-${marker}`]: T0 },
  };
}

function notification(tenantId: string, id: string, caseId: string, recipientId: string, deliverAt: string): Notification {
  return {
    id,
    tenantId,
    patientId: caseId,
    displayToken: 'T.K. ·0001',
    recipientId,
    level: 'reminder',
    critical: false,
    deliverAt,
    taskId: `task-${caseId}`,
    stepId: 'reminder',
    repeat: 0,
    milestoneId: 'm-1',
    milestoneKind: 'authorization_review',
    deadline: at(deliverAt, 3 * 86_400_000),
    channels: ['in_app'],
    items: [
      {
        requirementId: 'm-1:rule-1',
        ownerId: recipientId,
        summary: 'Coping-strategy progress',
        text: 'Document coping-strategy progress',
        reason: 'Payer criterion',
        deadline: at(deliverAt, 3 * 86_400_000),
        milestoneId: 'm-1',
        milestoneKind: 'authorization_review',
      },
    ],
    phiClass: 'phi',
  };
}

function outboxInput(tenantId: string, id: string, caseId: string, deliverAt: string, recipientId = 'owner-1'): OutboxInput {
  return { id, caseId, recipientId, deliverAt, notification: notification(tenantId, id, caseId, recipientId, deliverAt) };
}

function commit(tenantId: string, caseId: string, version: number, parts: Partial<CaseCommit> = {}): CaseCommit {
  return { events: [], state: caseState(tenantId, caseId, version), nextWakeAt: null, outbox: [], ...parts };
}

function inboxMessage(id: string, ownerId: string, createdAt: string, extra: Partial<InboxMessageInput> = {}): InboxMessageInput {
  return {
    id,
    ownerId,
    createdAt,
    level: 'reminder',
    critical: false,
    subject: 'Items due before Friday',
    text: 'Document coping-strategy progress',
    notificationIds: [`n-${id}`],
    taskIds: ['task-1'],
    patientIds: ['pat-1'],
    ...extra,
  };
}

function quarantineInput(id: string, receivedAt: string): QuarantineInput {
  return {
    id,
    receivedAt,
    source: 'ingest',
    code: 'invalid_input',
    message: 'invalid event: patientId: expected string',
    issues: [{ path: 'patientId', message: 'expected string' }],
    raw: '{"type":"note.signed"}',
  };
}

/**
 * The shared behaviour suite every CareRelay storage adapter runs (memory, SQLite, PostgreSQL, or yours):
 * migrations, event-log ordering, optimistic concurrency, idempotent events and outbox, case and outbox leases,
 * retry and dead-letter, inbox, quarantine, directory, and tenant isolation on every method. Call it at the top
 * level of a vitest test file. Leases are checked through the `now` arguments, never by sleeping.
 *
 * @example
 * ```ts
 * import { runStorageConformance } from '@carerelay/testkit';
 * import { createMemoryStorage } from '@carerelay/engine';
 * runStorageConformance({ name: 'memory', create: () => createMemoryStorage({ maxAttempts: 5 }) });
 * ```
 */
export function runStorageConformance<S extends CareRelayStorage>(options: StorageConformanceOptions<S>): void {
  const maxAttempts = options.maxAttempts ?? 5;
  const skipped = (title: string) => (options.skip ?? []).some((prefix) => title.startsWith(prefix));
  const test = (title: string, fn: () => Promise<void>) => it.skipIf(skipped(title))(title, fn);

  describe(`storage conformance: ${options.name ?? 'adapter'}`, () => {
    let storage: S;
    let inspector: StorageInspector;
    const A = 'tenant-a';
    const B = 'tenant-b';

    beforeEach(async () => {
      storage = await options.create();
      await storage.migrate();
      inspector = options.inspect?.(storage) ?? {};
    });

    afterEach(async () => {
      await storage.close();
      await options.destroy?.(storage);
    });

    describe('migrations', () => {
      test('migrate from empty gives an empty store', async () => {
        expect(typeof storage.name).toBe('string');
        expect(storage.name.length).toBeGreaterThan(0);
        expect(await storage.loadCase(A, 'c1')).toBeUndefined();
        expect(await storage.readEvents(A, 'c1')).toEqual([]);
        expect(await storage.hasEvent(A, 'e1')).toBe(false);
        const dir = await storage.loadDirectory(A);
        expect(dir.version).toBe(0);
        expect(dir.directory.owners).toEqual({});
        expect(await storage.earliestWakeAt(A)).toBeNull();
        expect(await storage.claimDueCases(A, T0, 10, 1000, 'w1')).toEqual([]);
        expect(await storage.claimOutbox(A, T0, 10, 1000, 'w1')).toEqual([]);
        expect(await storage.outboxStats(A, T0)).toEqual({ pending: 0, due: 0, leased: 0, delivered: 0, dead: 0, oldestDueAt: null });
        expect(await storage.listInbox(A, 'o1')).toEqual([]);
        expect(await storage.unreadCount(A, 'o1')).toBe(0);
        expect(await storage.listQuarantine(A)).toEqual([]);
      });

      test('migrate is idempotent: running it again keeps the data', async () => {
        const result = await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1, { events: [conformanceEvent(A, 'c1', 'e1')] }));
        expect(result.ok).toBe(true);
        await storage.migrate();
        await storage.migrate();
        expect((await storage.loadCase(A, 'c1'))?.version).toBe(1);
        expect(await storage.hasEvent(A, 'e1')).toBe(true);
      });

      test('migrate is safe when called concurrently', async () => {
        await Promise.all([storage.migrate(), storage.migrate(), storage.migrate()]);
        const result = await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1));
        expect(result.ok).toBe(true);
      });
    });

    describe('event log and case state', () => {
      test('commitCase stores state, version and next wake-up', async () => {
        const state = caseState(A, 'c1', 2, 'first');
        const result = await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 2, { state, nextWakeAt: at(T0, 60_000) }));
        expect(result).toEqual({ ok: true, version: 1, duplicates: [] });
        const record = await storage.loadCase(A, 'c1');
        expect(record).toMatchObject({ tenantId: A, caseId: 'c1', version: 1, nextWakeAt: at(T0, 60_000) });
        expect(record?.state).toEqual(state);
      });

      test('events are read back in append order with 1-based sequence numbers across commits', async () => {
        const first = ['e3', 'e1', 'e2'].map((id) => conformanceEvent(A, 'c1', id));
        const second = ['e0', 'e9'].map((id) => conformanceEvent(A, 'c1', id));
        expect((await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 3, { events: first }))).ok).toBe(true);
        expect((await storage.commitCase(A, 'c1', 1, commit(A, 'c1', 5, { events: second }))).ok).toBe(true);
        const events = await storage.readEvents(A, 'c1');
        expect(events.map((e) => e.event.id)).toEqual(['e3', 'e1', 'e2', 'e0', 'e9']);
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(events.every((e) => e.tenantId === A && e.caseId === 'c1')).toBe(true);
        expect(events[0]!.event).toEqual(first[0]);
        const after = await storage.readEvents(A, 'c1', 3);
        expect(after.map((e) => e.event.id)).toEqual(['e0', 'e9']);
        expect(await storage.readEvents(A, 'other')).toEqual([]);
      });

      test('a commit with a stale expected version is a conflict and changes nothing', async () => {
        await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1, { events: [conformanceEvent(A, 'c1', 'e1')], nextWakeAt: T0 }));
        const eventsBefore = await inspector.countEvents?.(A);
        const outboxBefore = await inspector.countOutbox?.(A);
        const stale = await storage.commitCase(
          A,
          'c1',
          0,
          commit(A, 'c1', 9, { events: [conformanceEvent(A, 'c1', 'e2')], nextWakeAt: at(T0, 1), outbox: [outboxInput(A, 'n1', 'c1', T0)] }),
        );
        expect(stale).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
        const ahead = await storage.commitCase(A, 'c1', 5, commit(A, 'c1', 9));
        expect(ahead).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
        const record = await storage.loadCase(A, 'c1');
        expect(record?.version).toBe(1);
        expect(record?.state.version).toBe(1);
        expect(record?.nextWakeAt).toBe(T0);
        expect(await storage.hasEvent(A, 'e2')).toBe(false);
        expect((await storage.readEvents(A, 'c1')).map((e) => e.event.id)).toEqual(['e1']);
        expect(await storage.getOutboxEntry(A, 'n1')).toBeUndefined();
        if (inspector.countEvents) expect(await inspector.countEvents(A)).toBe(eventsBefore);
        if (inspector.countOutbox) expect(await inspector.countOutbox(A)).toBe(outboxBefore);
      });

      test('a missing case is a conflict when a version other than 0 is expected', async () => {
        const result = await storage.commitCase(A, 'c1', 3, commit(A, 'c1', 1));
        expect(result).toEqual({ ok: false, reason: 'conflict', currentVersion: 0 });
        expect(await storage.loadCase(A, 'c1')).toBeUndefined();
      });

      test('two concurrent commits with the same expected version: exactly one wins', async () => {
        await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1));
        const results = await Promise.all([
          storage.commitCase(A, 'c1', 1, commit(A, 'c1', 2, { state: caseState(A, 'c1', 2, 'left'), events: [conformanceEvent(A, 'c1', 'left')] })),
          storage.commitCase(A, 'c1', 1, commit(A, 'c1', 2, { state: caseState(A, 'c1', 2, 'right'), events: [conformanceEvent(A, 'c1', 'right')] })),
        ]);
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const loser = results.find((r) => !r.ok);
        expect(loser).toEqual({ ok: false, reason: 'conflict', currentVersion: 2 });
        const record = await storage.loadCase(A, 'c1');
        expect(record?.version).toBe(2);
        const winner = results[0]!.ok ? 'left' : 'right';
        expect(record?.state.careTeam[0]?.ownerId).toBe(`owner-${winner}`);
        expect((await storage.readEvents(A, 'c1')).map((e) => e.event.id)).toEqual([winner]);
      });

      test('two concurrent creations of one case: exactly one wins', async () => {
        const results = await Promise.all([
          storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1, { events: [conformanceEvent(A, 'c1', 'left')] })),
          storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1, { events: [conformanceEvent(A, 'c1', 'right')] })),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(await storage.readEvents(A, 'c1')).toHaveLength(1);
      });

      test('events already stored are skipped and reported as duplicates', async () => {
        await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1, { events: [conformanceEvent(A, 'c1', 'e1')] }));
        expect(await storage.hasEvent(A, 'e1')).toBe(true);
        expect(await storage.hasEvent(A, 'e2')).toBe(false);
        const result = await storage.commitCase(A, 'c1', 1, commit(A, 'c1', 2, { events: [conformanceEvent(A, 'c1', 'e1'), conformanceEvent(A, 'c1', 'e2')] }));
        expect(result).toEqual({ ok: true, version: 2, duplicates: ['e1'] });
        expect((await storage.readEvents(A, 'c1')).map((e) => e.event.id)).toEqual(['e1', 'e2']);
        if (inspector.countEvents) expect(await inspector.countEvents(A)).toBe(2);
      });

      test('event ids are unique per tenant, across cases and within one commit', async () => {
        await storage.commitCase(A, 'c1', 0, commit(A, 'c1', 1, { events: [conformanceEvent(A, 'c1', 'e1')] }));
        const other = await storage.commitCase(A, 'c2', 0, commit(A, 'c2', 1, { events: [conformanceEvent(A, 'c2', 'e1'), conformanceEvent(A, 'c2', 'e5'), conformanceEvent(A, 'c2', 'e5')] }));
        expect(other).toEqual({ ok: true, version: 1, duplicates: ['e1', 'e5'] });
        expect((await storage.readEvents(A, 'c2')).map((e) => e.event.id)).toEqual(['e5']);
      });
    });

    describe('optional: listCaseIds', () => {
      it.skipIf(skipped('listCaseIds'))('listCaseIds pages through the tenant’s case ids in order (when the adapter offers it)', async (context) => {
        if (!storage.listCaseIds) return context.skip();
        for (const id of ['c3', 'c1', 'c2', 'c4']) await storage.commitCase(A, id, 0, commit(A, id, 1));
        await storage.commitCase(B, 'c9', 0, commit(B, 'c9', 1));
        expect(await storage.listCaseIds(A)).toEqual(['c1', 'c2', 'c3', 'c4']);
        expect(await storage.listCaseIds(A, { limit: 2 })).toEqual(['c1', 'c2']);
        expect(await storage.listCaseIds(A, { afterCaseId: 'c2', limit: 10 })).toEqual(['c3', 'c4']);
        expect(await storage.listCaseIds(B)).toEqual(['c9']);
      });
    });

    describe('optional: markDeliveredMany and assignMessage', () => {
      async function claimedBy(worker: string, ids: string[], tenantId = A) {
        await storage.commitCase(tenantId, `c-${worker}`, 0, commit(tenantId, `c-${worker}`, 1, { outbox: ids.map((id) => outboxInput(tenantId, id, `c-${worker}`, T0)) }));
        expect((await storage.claimOutbox(tenantId, T0, 100, 60_000, worker)).map((e) => e.id).sort()).toEqual([...ids].sort());
      }

      it.skipIf(skipped('markDeliveredMany'))('markDeliveredMany marks the entries the worker holds in one call and skips the rest (when the adapter offers it)', async (context) => {
        if (!storage.markDeliveredMany) return context.skip();
        await claimedBy('w1', ['n1', 'n2', 'n3']);
        await claimedBy('w2', ['n4']);
        expect(await storage.markDelivered(A, 'n3', 'w1', T0)).toBe(true);
        const marked = await storage.markDeliveredMany(A, ['n1', 'n2', 'n3', 'n4', 'missing'], 'w1', at(T0, 10));
        expect([...marked].sort()).toEqual(['n1', 'n2']);
        expect(await storage.getOutboxEntry(A, 'n1')).toMatchObject({ status: 'delivered', deliveredAt: at(T0, 10) });
        expect((await storage.getOutboxEntry(A, 'n1'))?.leaseOwner).toBeUndefined();
        expect((await storage.getOutboxEntry(A, 'n3'))?.deliveredAt).toBe(T0);
        expect((await storage.getOutboxEntry(A, 'n4'))?.status).toBe('pending');
        expect(await storage.markDeliveredMany(A, ['n1', 'n2'], 'w1', at(T0, 20))).toEqual([]);
        expect(await storage.markDeliveredMany(B, ['n4'], 'w2', T0)).toEqual([]);
        expect((await storage.getOutboxEntry(A, 'n4'))?.status).toBe('pending');
        expect((await storage.outboxStats(A, T0)).delivered).toBe(3);
      });

      it.skipIf(skipped('assignMessage'))('assignMessage records the message on every entry, or on none when the worker does not hold them all (when the adapter offers it)', async (context) => {
        if (!storage.assignMessage) return context.skip();
        await claimedBy('w1', ['n1', 'n2']);
        await claimedBy('w2', ['n3']);
        expect(await storage.assignMessage(A, { id: 'dig-1', notificationIds: ['n1', 'n2', 'n3'] }, 'w1')).toBe(false);
        expect(await storage.assignMessage(A, { id: 'dig-1', notificationIds: ['n1', 'n2', 'missing'] }, 'w1')).toBe(false);
        expect(await storage.assignMessage(B, { id: 'dig-1', notificationIds: ['n1', 'n2'] }, 'w1')).toBe(false);
        expect((await storage.getOutboxEntry(A, 'n1'))?.message).toBeUndefined();
        expect((await storage.getOutboxEntry(A, 'n2'))?.message).toBeUndefined();

        expect(await storage.assignMessage(A, { id: 'dig-1', notificationIds: ['n1', 'n2'] }, 'w1')).toBe(true);
        expect((await storage.getOutboxEntry(A, 'n1'))?.message).toEqual({ id: 'dig-1', notificationIds: ['n1', 'n2'] });
        expect((await storage.getOutboxEntry(A, 'n2'))?.message).toEqual({ id: 'dig-1', notificationIds: ['n1', 'n2'] });
        expect((await storage.getOutboxEntry(A, 'n3'))?.message).toBeUndefined();
        // Idempotent for the same message; an entry never moves to another message.
        expect(await storage.assignMessage(A, { id: 'dig-1', notificationIds: ['n1', 'n2'] }, 'w1')).toBe(true);
        expect(await storage.assignMessage(A, { id: 'dig-2', notificationIds: ['n1'] }, 'w1')).toBe(false);
        expect((await storage.getOutboxEntry(A, 'n1'))?.message?.id).toBe('dig-1');
        // A delivered entry can no longer be assigned.
        expect(await storage.markDelivered(A, 'n3', 'w2', T0)).toBe(true);
        expect(await storage.assignMessage(A, { id: 'dig-3', notificationIds: ['n3'] }, 'w2')).toBe(false);
      });

      it.skipIf(skipped('assignMessage'))('an assigned message survives retries, deferrals and later claims (when the adapter offers it)', async (context) => {
        if (!storage.assignMessage) return context.skip();
        const message = { id: 'dig-1', notificationIds: ['n1', 'n2'] };
        await claimedBy('w1', ['n1', 'n2']);
        expect(await storage.assignMessage(A, message, 'w1')).toBe(true);
        for (const id of message.notificationIds) expect(await storage.markFailed(A, id, 'w1', { error: 'smtp 451', retryAt: at(T0, 1000) })).toBe(true);
        const retried = await storage.claimOutbox(A, at(T0, 1000), 10, 60_000, 'w2');
        expect(retried.map((e) => [e.id, e.message])).toEqual([
          ['n1', message],
          ['n2', message],
        ]);
        for (const id of message.notificationIds) expect(await storage.markFailed(A, id, 'w2', { error: 'held', retryAt: at(T0, 2000), deferred: true })).toBe(true);
        // A lease that expired while the message was sent: the next holder re-assigns it to the same message.
        expect(await storage.claimOutbox(A, at(T0, 2000), 10, 100, 'w3')).toHaveLength(2);
        expect(await storage.claimOutbox(A, at(T0, 2200), 10, 60_000, 'w4')).toHaveLength(2);
        expect(await storage.assignMessage(A, message, 'w3')).toBe(false);
        expect(await storage.assignMessage(A, message, 'w4')).toBe(true);
        expect(await storage.markDelivered(A, 'n1', 'w4', at(T0, 2300))).toBe(true);
        expect(await storage.getOutboxEntry(A, 'n1')).toMatchObject({ status: 'delivered', message });
        expect((await storage.getOutboxEntry(A, 'n2'))?.message).toEqual(message);
      });
    });

    describe('schedule: due cases claimed with a lease', () => {
      async function schedule(tenantId: string, caseId: string, wake: string | null) {
        const result = await storage.commitCase(tenantId, caseId, 0, commit(tenantId, caseId, 1, { nextWakeAt: wake }));
        expect(result.ok).toBe(true);
      }

      test('earliestWakeAt is the earliest scheduled wake-up, ignoring cases with none', async () => {
        await schedule(A, 'c1', at(T0, 5000));
        await schedule(A, 'c2', null);
        await schedule(A, 'c3', at(T0, 2000));
        expect(await storage.earliestWakeAt(A)).toBe(at(T0, 2000));
      });

      test('only due cases are claimed, earliest first, at most limit', async () => {
        await schedule(A, 'late', at(T0, 3000));
        await schedule(A, 'first', at(T0, -2000));
        await schedule(A, 'second', at(T0, -1000));
        await schedule(A, 'exact', T0);
        await schedule(A, 'never', null);
        const one = await storage.claimDueCases(A, T0, 2, 60_000, 'w1');
        expect(one.map((c) => c.caseId)).toEqual(['first', 'second']);
        expect(one[0]).toEqual({ caseId: 'first', nextWakeAt: at(T0, -2000), leaseUntil: at(T0, 60_000) });
        const rest = await storage.claimDueCases(A, T0, 10, 60_000, 'w1');
        expect(rest.map((c) => c.caseId)).toEqual(['exact']);
      });

      test('a leased case is not claimed again until its lease expires', async () => {
        await schedule(A, 'c1', T0);
        expect(await storage.claimDueCases(A, T0, 10, 100, 'w1')).toHaveLength(1);
        expect(await storage.claimDueCases(A, at(T0, 50), 10, 100, 'w2')).toEqual([]);
        expect(await storage.claimDueCases(A, at(T0, 99), 10, 100, 'w1')).toEqual([]);
        const after = await storage.claimDueCases(A, at(T0, 101), 10, 100, 'w2');
        expect(after.map((c) => c.caseId)).toEqual(['c1']);
        expect(after[0]!.leaseUntil).toBe(at(T0, 201));
      });

      test('concurrent claims never hand one case to two workers', async () => {
        for (let i = 0; i < 12; i++) await schedule(A, `c${String(i).padStart(2, '0')}`, at(T0, -i));
        const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => storage.claimDueCases(A, T0, 5, 60_000, w)));
        const ids = claims.flat().map((c) => c.caseId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(12);
      });

      test('releaseCase frees the lease at once, but only for the worker holding it', async () => {
        await schedule(A, 'c1', T0);
        await storage.claimDueCases(A, T0, 10, 60_000, 'w1');
        await storage.releaseCase(A, 'c1', 'w2');
        expect(await storage.claimDueCases(A, T0, 10, 60_000, 'w2')).toEqual([]);
        await storage.releaseCase(A, 'c1', 'w1');
        expect((await storage.claimDueCases(A, T0, 10, 60_000, 'w2')).map((c) => c.caseId)).toEqual(['c1']);
      });

      test('commitCase reschedules the case and releases the committing worker’s lease', async () => {
        await schedule(A, 'c1', T0);
        await storage.claimDueCases(A, T0, 10, 60_000, 'w1');
        const result = await storage.commitCase(A, 'c1', 1, { ...commit(A, 'c1', 2, { nextWakeAt: at(T0, 1000) }), workerId: 'w1' });
        expect(result.ok).toBe(true);
        expect(await storage.earliestWakeAt(A)).toBe(at(T0, 1000));
        expect(await storage.claimDueCases(A, T0, 10, 60_000, 'w2')).toEqual([]);
        expect((await storage.claimDueCases(A, at(T0, 1000), 10, 60_000, 'w2')).map((c) => c.caseId)).toEqual(['c1']);
      });

      test('a case committed with no next wake-up is never claimed', async () => {
        await schedule(A, 'c1', T0);
        await storage.claimDueCases(A, T0, 10, 60_000, 'w1');
        await storage.commitCase(A, 'c1', 1, { ...commit(A, 'c1', 2), workerId: 'w1' });
        expect(await storage.claimDueCases(A, at(T0, 86_400_000), 10, 60_000, 'w2')).toEqual([]);
        expect(await storage.earliestWakeAt(A)).toBeNull();
      });
    });

    describe('transactional outbox', () => {
      async function enqueue(tenantId: string, caseId: string, entries: OutboxInput[], expectedVersion = 0) {
        const result = await storage.commitCase(tenantId, caseId, expectedVersion, commit(tenantId, caseId, expectedVersion + 1, { outbox: entries }));
        expect(result.ok).toBe(true);
      }

      test('entries are enqueued with the case commit and read back pending', async () => {
        const input = outboxInput(A, 'n1', 'c1', T0);
        await enqueue(A, 'c1', [input]);
        const entry = await storage.getOutboxEntry(A, 'n1');
        expect(entry).toMatchObject({ ...input, tenantId: A, status: 'pending', attempts: 0 });
        expect(entry?.notification).toEqual(input.notification);
        expect(entry?.deliveredAt).toBeUndefined();
        expect(await storage.getOutboxEntry(A, 'missing')).toBeUndefined();
      });

      test('enqueue is idempotent by id: the first entry is kept, even after delivery', async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0, 'first')]);
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', at(T0, 5000), 'second'), outboxInput(A, 'n2', 'c1', T0)], 1);
        const entry = await storage.getOutboxEntry(A, 'n1');
        expect(entry?.recipientId).toBe('first');
        expect(entry?.deliverAt).toBe(T0);
        if (inspector.countOutbox) expect(await inspector.countOutbox(A)).toBe(2);
        const claimed = await storage.claimOutbox(A, T0, 10, 60_000, 'w1');
        expect(claimed.map((e) => e.id).sort()).toEqual(['n1', 'n2']);
        expect(await storage.markDelivered(A, 'n1', 'w1', T0)).toBe(true);
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', at(T0, 9000), 'third')], 2);
        const again = await storage.getOutboxEntry(A, 'n1');
        expect(again?.status).toBe('delivered');
        expect(again?.recipientId).toBe('first');
        expect((await storage.claimOutbox(A, at(T0, 120_000), 10, 60_000, 'w2')).map((e) => e.id)).toEqual(['n2']);
      });

      test('only due entries are claimed, earliest first, at most limit, with attempts counted', async () => {
        await enqueue(A, 'c1', [
          outboxInput(A, 'late', 'c1', at(T0, 1000)),
          outboxInput(A, 'second', 'c1', at(T0, -1000)),
          outboxInput(A, 'first', 'c1', at(T0, -2000)),
          outboxInput(A, 'exact', 'c1', T0),
        ]);
        const claimed = await storage.claimOutbox(A, T0, 2, 60_000, 'w1');
        expect(claimed.map((e) => e.id)).toEqual(['first', 'second']);
        expect(claimed[0]).toMatchObject({ id: 'first', tenantId: A, status: 'pending', attempts: 1, leaseOwner: 'w1', leaseUntil: at(T0, 60_000) });
        expect(claimed[0]!.notification.items[0]?.requirementId).toBe('m-1:rule-1');
        expect((await storage.claimOutbox(A, T0, 10, 60_000, 'w1')).map((e) => e.id)).toEqual(['exact']);
        expect((await storage.getOutboxEntry(A, 'late'))?.attempts).toBe(0);
      });

      test('claims follow (deliverAt, recipientId, id): a full claim takes the first entries in that order and returns them so', async () => {
        // In (deliverAt, id) order a claim of three would take early, a, y; one recipient's entries at one instant
        // (o1's y and z) must come together instead, so the engine can send them as one digest.
        await enqueue(A, 'c1', [
          outboxInput(A, 'z', 'c1', at(T0, -1000), 'o1'),
          outboxInput(A, 'a', 'c1', at(T0, -1000), 'o2'),
          outboxInput(A, 'y', 'c1', at(T0, -1000), 'o1'),
          outboxInput(A, 'early', 'c1', at(T0, -2000), 'o3'),
          outboxInput(A, 'd', 'c1', T0, 'o1'),
          outboxInput(A, 'last', 'c1', T0, 'o0'),
        ]);
        expect((await storage.claimOutbox(A, T0, 3, 60_000, 'w1')).map((e) => e.id)).toEqual(['early', 'y', 'z']);
        expect((await storage.claimOutbox(A, T0, 10, 60_000, 'w1')).map((e) => e.id)).toEqual(['a', 'last', 'd']);
      });

      test('a leased entry is not claimed again until its lease expires, then counts a second attempt', async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0)]);
        expect(await storage.claimOutbox(A, T0, 10, 150, 'w1')).toHaveLength(1);
        expect(await storage.claimOutbox(A, at(T0, 100), 10, 150, 'w2')).toEqual([]);
        const again = await storage.claimOutbox(A, at(T0, 151), 10, 150, 'w2');
        expect(again.map((e) => [e.id, e.attempts, e.leaseOwner])).toEqual([['n1', 2, 'w2']]);
      });

      test('concurrent outbox claims never hand one entry to two workers', async () => {
        await enqueue(A, 'c1', Array.from({ length: 20 }, (_, i) => outboxInput(A, `n${String(i).padStart(2, '0')}`, 'c1', at(T0, -i))));
        const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => storage.claimOutbox(A, T0, 8, 60_000, w)));
        const ids = claims.flat().map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(20);
      });

      test('markDelivered by the lease holder delivers once; a worker that lost the lease is refused', async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0)]);
        await storage.claimOutbox(A, T0, 10, 100, 'w1');
        await storage.claimOutbox(A, at(T0, 200), 10, 100, 'w2');
        expect(await storage.markDelivered(A, 'n1', 'w1', at(T0, 210))).toBe(false);
        expect((await storage.getOutboxEntry(A, 'n1'))?.status).toBe('pending');
        expect(await storage.markDelivered(A, 'n1', 'w2', at(T0, 220))).toBe(true);
        const entry = await storage.getOutboxEntry(A, 'n1');
        expect(entry?.status).toBe('delivered');
        expect(entry?.deliveredAt).toBe(at(T0, 220));
        expect(await storage.markDelivered(A, 'n1', 'w2', at(T0, 230))).toBe(false);
        expect(await storage.claimOutbox(A, at(T0, 86_400_000), 10, 100, 'w3')).toEqual([]);
      });

      test('markFailed with retryAt makes the entry pending again at that instant, with the error kept', async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0)]);
        await storage.claimOutbox(A, T0, 10, 60_000, 'w1');
        expect(await storage.markFailed(A, 'n1', 'w2', { error: 'not mine', retryAt: at(T0, 10) })).toBe(false);
        expect(await storage.markFailed(A, 'n1', 'w1', { error: 'smtp 451 try later', retryAt: at(T0, 5000) })).toBe(true);
        const entry = await storage.getOutboxEntry(A, 'n1');
        expect(entry).toMatchObject({ status: 'pending', attempts: 1, lastError: 'smtp 451 try later', deliverAt: at(T0, 5000) });
        expect(entry?.notification.deliverAt).toBe(T0);
        expect(entry?.leaseOwner).toBeUndefined();
        expect(await storage.claimOutbox(A, at(T0, 4999), 10, 60_000, 'w1')).toEqual([]);
        const retried = await storage.claimOutbox(A, at(T0, 5000), 10, 60_000, 'w1');
        expect(retried.map((e) => [e.id, e.attempts])).toEqual([['n1', 2]]);
      });

      test('markFailed without retryAt dead-letters the entry', async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0)]);
        await storage.claimOutbox(A, T0, 10, 60_000, 'w1');
        expect(await storage.markFailed(A, 'n1', 'w1', { error: 'smtp 550 no such user' })).toBe(true);
        expect(await storage.getOutboxEntry(A, 'n1')).toMatchObject({ status: 'dead', lastError: 'smtp 550 no such user' });
        expect(await storage.claimOutbox(A, at(T0, 86_400_000), 10, 60_000, 'w1')).toEqual([]);
      });

      test(`an entry is dead-lettered once its attempts reach maxAttempts (${maxAttempts})`, async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0)]);
        let now = T0;
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const claimed = await storage.claimOutbox(A, now, 10, 60_000, 'w1');
          expect(claimed.map((e) => e.attempts)).toEqual([attempt]);
          now = at(now, 1000);
          expect(await storage.markFailed(A, 'n1', 'w1', { error: `attempt ${attempt}`, retryAt: now })).toBe(true);
          const status = (await storage.getOutboxEntry(A, 'n1'))?.status;
          expect(status).toBe(attempt < maxAttempts ? 'pending' : 'dead');
        }
        expect(await storage.claimOutbox(A, at(now, 86_400_000), 10, 60_000, 'w1')).toEqual([]);
        expect((await storage.getOutboxEntry(A, 'n1'))?.lastError).toBe(`attempt ${maxAttempts}`);
      });

      test('a deferred failure (a budget hold) does not count as an attempt and never dead-letters', async () => {
        await enqueue(A, 'c1', [outboxInput(A, 'n1', 'c1', T0)]);
        let now = T0;
        for (let hold = 0; hold < maxAttempts + 2; hold++) {
          const claimed = await storage.claimOutbox(A, now, 10, 60_000, 'w1');
          expect(claimed.map((e) => e.attempts)).toEqual([1]);
          now = at(now, 1000);
          expect(await storage.markFailed(A, 'n1', 'w1', { error: 'daily budget spent', retryAt: now, deferred: true })).toBe(true);
          expect(await storage.getOutboxEntry(A, 'n1')).toMatchObject({ status: 'pending', attempts: 0, deliverAt: now });
        }
        expect(await storage.claimOutbox(A, at(now, -1), 10, 60_000, 'w1')).toEqual([]);
        expect((await storage.claimOutbox(A, now, 10, 60_000, 'w1')).map((e) => e.id)).toEqual(['n1']);
      });

      test('outboxStats counts pending, due, leased, delivered and dead, with the oldest due instant', async () => {
        await enqueue(A, 'c1', [
          outboxInput(A, 'old', 'c1', at(T0, -5000)),
          outboxInput(A, 'due', 'c1', at(T0, -1000)),
          outboxInput(A, 'leased', 'c1', at(T0, -9000)),
          outboxInput(A, 'future', 'c1', at(T0, 5000)),
          outboxInput(A, 'done', 'c1', at(T0, -8000)),
          outboxInput(A, 'dead', 'c1', at(T0, -7000)),
        ]);
        const claimed = await storage.claimOutbox(A, at(T0, -6500), 3, 60_000, 'w1');
        expect(claimed.map((e) => e.id)).toEqual(['leased', 'done', 'dead']);
        await storage.markDelivered(A, 'done', 'w1', T0);
        await storage.markFailed(A, 'dead', 'w1', { error: 'gone' });
        expect(await storage.outboxStats(A, T0)).toEqual({ pending: 4, due: 2, leased: 1, delivered: 1, dead: 1, oldestDueAt: at(T0, -5000) });
      });
    });

    describe('in-app inbox', () => {
      test('appendInbox is idempotent by id and lists newest first', async () => {
        await storage.appendInbox(A, inboxMessage('m1', 'o1', at(T0, 1000)));
        await storage.appendInbox(A, inboxMessage('m2', 'o1', at(T0, 3000), { critical: true, level: 'critical' }));
        await storage.appendInbox(A, inboxMessage('m3', 'o1', at(T0, 2000)));
        await storage.appendInbox(A, inboxMessage('m1', 'o1', at(T0, 9000), { subject: 'changed' }));
        await storage.appendInbox(A, inboxMessage('m9', 'o2', at(T0, 5000)));
        const list = await storage.listInbox(A, 'o1');
        expect(list.map((m) => m.id)).toEqual(['m2', 'm3', 'm1']);
        expect(list[2]).toMatchObject({ ...inboxMessage('m1', 'o1', at(T0, 1000)), tenantId: A });
        expect(list[2]?.readAt).toBeUndefined();
        expect(list[0]).toMatchObject({ critical: true, level: 'critical', notificationIds: ['n-m2'], taskIds: ['task-1'], patientIds: ['pat-1'] });
        expect((await storage.listInbox(A, 'o1', { limit: 2 })).map((m) => m.id)).toEqual(['m2', 'm3']);
        expect(await storage.unreadCount(A, 'o1')).toBe(3);
      });

      test('markInbox marks the owner’s message read and acknowledged; unread views follow', async () => {
        await storage.appendInbox(A, inboxMessage('m1', 'o1', at(T0, 1000)));
        await storage.appendInbox(A, inboxMessage('m2', 'o1', at(T0, 2000)));
        const read = await storage.markInbox(A, 'o1', 'm1', { readAt: at(T0, 3000) });
        expect(read).toMatchObject({ id: 'm1', ownerId: 'o1', readAt: at(T0, 3000) });
        expect(read?.acknowledgedAt).toBeUndefined();
        expect(await storage.unreadCount(A, 'o1')).toBe(1);
        expect((await storage.listInbox(A, 'o1', { unreadOnly: true })).map((m) => m.id)).toEqual(['m2']);
        const acked = await storage.markInbox(A, 'o1', 'm2', { readAt: at(T0, 4000), acknowledgedAt: at(T0, 4000) });
        expect(acked).toMatchObject({ id: 'm2', readAt: at(T0, 4000), acknowledgedAt: at(T0, 4000) });
        expect(await storage.unreadCount(A, 'o1')).toBe(0);
        expect(await storage.markInbox(A, 'o1', 'missing', { readAt: T0 })).toBeUndefined();
      });

      test('markInbox never touches another owner’s message', async () => {
        await storage.appendInbox(A, inboxMessage('m1', 'o1', T0));
        expect(await storage.markInbox(A, 'o2', 'm1', { readAt: T0, acknowledgedAt: T0 })).toBeUndefined();
        expect(await storage.unreadCount(A, 'o1')).toBe(1);
        const [message] = await storage.listInbox(A, 'o1');
        expect(message?.readAt).toBeUndefined();
        expect(message?.acknowledgedAt).toBeUndefined();
      });
    });

    describe('quarantine', () => {
      test('quarantined records are kept with their error and listed oldest first', async () => {
        await storage.quarantine(A, quarantineInput('q2', at(T0, 2000)));
        await storage.quarantine(A, quarantineInput('q1', at(T0, 1000)));
        const list = await storage.listQuarantine(A);
        expect(list.map((q) => q.id)).toEqual(['q1', 'q2']);
        expect(list[0]).toEqual({ ...quarantineInput('q1', at(T0, 1000)), tenantId: A });
        expect(await storage.listQuarantine(A, 1)).toHaveLength(1);
      });
    });

    describe('directory', () => {
      test('commitDirectory stores the directory and its events with optimistic concurrency', async () => {
        const first = directoryWith(A, 'o1');
        const result = await storage.commitDirectory(A, 0, first, [directoryEvent(A, 'o1', 'd1')]);
        expect(result).toEqual({ ok: true, version: 1, duplicates: [] });
        expect(await storage.loadDirectory(A)).toEqual({ version: 1, directory: first });
        expect(await storage.hasEvent(A, 'd1')).toBe(true);
        const conflict = await storage.commitDirectory(A, 0, directoryWith(A, 'o2'), [directoryEvent(A, 'o2', 'd2')]);
        expect(conflict).toEqual({ ok: false, reason: 'conflict', currentVersion: 1 });
        expect(await storage.hasEvent(A, 'd2')).toBe(false);
        expect((await storage.loadDirectory(A)).directory).toEqual(first);
        const second = await storage.commitDirectory(A, 1, directoryWith(A, 'o2'), [directoryEvent(A, 'o1', 'd1'), directoryEvent(A, 'o2', 'd2')]);
        expect(second).toEqual({ ok: true, version: 2, duplicates: ['d1'] });
        expect(Object.keys((await storage.loadDirectory(A)).directory.owners)).toEqual(['o2']);
      });

      test('two concurrent directory commits with the same expected version: exactly one wins', async () => {
        const results = await Promise.all([
          storage.commitDirectory(A, 0, directoryWith(A, 'o1'), [directoryEvent(A, 'o1', 'd1')]),
          storage.commitDirectory(A, 0, directoryWith(A, 'o2'), [directoryEvent(A, 'o2', 'd2')]),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect((await storage.loadDirectory(A)).version).toBe(1);
      });
    });

    describe('tenant isolation', () => {
      /** Tenant B's records, made with ids tenant A will then use. */
      async function seedTenantB() {
        const state = caseState(B, 'c1', 1, 'b');
        await storage.commitCase(B, 'c1', 0, {
          events: [conformanceEvent(B, 'c1', 'e1')],
          state,
          nextWakeAt: T0,
          outbox: [outboxInput(B, 'n1', 'c1', T0, 'o1'), outboxInput(B, 'n2', 'c1', T0, 'o1')],
        });
        await storage.commitDirectory(B, 0, directoryWith(B, 'o1'), [directoryEvent(B, 'o1', 'd1')]);
        await storage.appendInbox(B, inboxMessage('m1', 'o1', T0));
        await storage.quarantine(B, quarantineInput('q1', T0));
        return state;
      }

      test('tenant A cannot read tenant B’s records with B’s ids', async () => {
        await seedTenantB();
        expect(await storage.loadCase(A, 'c1')).toBeUndefined();
        expect(await storage.readEvents(A, 'c1')).toEqual([]);
        expect(await storage.hasEvent(A, 'e1')).toBe(false);
        expect(await storage.hasEvent(A, 'd1')).toBe(false);
        expect(await storage.loadDirectory(A)).toEqual({ version: 0, directory: { tenantId: A, owners: {} } });
        expect(await storage.earliestWakeAt(A)).toBeNull();
        expect(await storage.getOutboxEntry(A, 'n1')).toBeUndefined();
        expect(await storage.outboxStats(A, T0)).toEqual({ pending: 0, due: 0, leased: 0, delivered: 0, dead: 0, oldestDueAt: null });
        expect(await storage.listInbox(A, 'o1')).toEqual([]);
        expect(await storage.unreadCount(A, 'o1')).toBe(0);
        expect(await storage.listQuarantine(A)).toEqual([]);
      });

      test('tenant A cannot claim tenant B’s cases or outbox entries', async () => {
        await seedTenantB();
        expect(await storage.claimDueCases(A, at(T0, 86_400_000), 100, 60_000, 'wa')).toEqual([]);
        expect(await storage.claimOutbox(A, at(T0, 86_400_000), 100, 60_000, 'wa')).toEqual([]);
        expect((await storage.claimDueCases(B, T0, 100, 60_000, 'wb')).map((c) => c.caseId)).toEqual(['c1']);
        expect((await storage.claimOutbox(B, T0, 100, 60_000, 'wb')).map((e) => e.id).sort()).toEqual(['n1', 'n2']);
      });

      test('tenant A cannot mark, release or fail tenant B’s leased records, even with B’s worker id', async () => {
        await seedTenantB();
        await storage.claimDueCases(B, T0, 100, 60_000, 'wb');
        await storage.claimOutbox(B, T0, 100, 60_000, 'wb');
        await storage.releaseCase(A, 'c1', 'wb');
        expect(await storage.claimDueCases(B, at(T0, 1000), 100, 60_000, 'wb2')).toEqual([]);
        expect(await storage.markDelivered(A, 'n1', 'wb', T0)).toBe(false);
        expect(await storage.markFailed(A, 'n2', 'wb', { error: 'x' })).toBe(false);
        expect((await storage.getOutboxEntry(B, 'n1'))?.status).toBe('pending');
        expect((await storage.getOutboxEntry(B, 'n2'))?.status).toBe('pending');
        expect(await storage.markDelivered(B, 'n1', 'wb', T0)).toBe(true);
      });

      test('tenant A’s writes with B’s ids create A’s own records and leave B’s unchanged', async () => {
        const bState = await seedTenantB();
        const result = await storage.commitCase(A, 'c1', 0, {
          events: [conformanceEvent(A, 'c1', 'e1')],
          state: caseState(A, 'c1', 1, 'a'),
          nextWakeAt: at(T0, 1000),
          outbox: [outboxInput(A, 'n1', 'c1', at(T0, 1000), 'o1')],
        });
        expect(result).toEqual({ ok: true, version: 1, duplicates: [] });
        expect(await storage.commitDirectory(A, 0, directoryWith(A, 'o9'), [directoryEvent(A, 'o9', 'd1')])).toEqual({ ok: true, version: 1, duplicates: [] });
        await storage.appendInbox(A, inboxMessage('m1', 'o1', at(T0, 1000), { subject: 'tenant A' }));
        expect(await storage.markInbox(A, 'o1', 'm1', { readAt: T0, acknowledgedAt: T0 })).toMatchObject({ subject: 'tenant A' });
        await storage.quarantine(A, quarantineInput('q1', at(T0, 1000)));

        expect(await storage.loadCase(B, 'c1')).toMatchObject({ tenantId: B, caseId: 'c1', version: 1, nextWakeAt: T0 });
        expect((await storage.loadCase(B, 'c1'))?.state).toEqual(bState);
        expect((await storage.readEvents(B, 'c1')).map((e) => e.event.tenantId)).toEqual([B]);
        expect((await storage.getOutboxEntry(B, 'n1'))?.deliverAt).toBe(T0);
        expect((await storage.getOutboxEntry(A, 'n1'))?.deliverAt).toBe(at(T0, 1000));
        expect(Object.keys((await storage.loadDirectory(B)).directory.owners)).toEqual(['o1']);
        expect(await storage.earliestWakeAt(B)).toBe(T0);
        const [bMessage] = await storage.listInbox(B, 'o1');
        expect(bMessage?.subject).toBe('Items due before Friday');
        expect(bMessage?.readAt).toBeUndefined();
        expect(await storage.unreadCount(B, 'o1')).toBe(1);
        expect(await storage.listQuarantine(B)).toHaveLength(1);
        expect((await storage.listQuarantine(A))[0]?.receivedAt).toBe(at(T0, 1000));
        expect((await storage.outboxStats(B, T0)).pending).toBe(2);
        // And A's commit on B's case id did not bump B's version: B can still commit from version 1.
        expect((await storage.commitCase(B, 'c1', 1, commit(B, 'c1', 2))).ok).toBe(true);
        if (inspector.countEvents) expect(await inspector.countEvents(B)).toBe(2);
        if (inspector.countOutbox) expect(await inspector.countOutbox(B)).toBe(2);
      });

      test('tenant A cannot mark tenant B’s inbox messages', async () => {
        await seedTenantB();
        expect(await storage.markInbox(A, 'o1', 'm1', { readAt: T0, acknowledgedAt: T0 })).toBeUndefined();
        expect(await storage.unreadCount(B, 'o1')).toBe(1);
      });
    });
  });
}
