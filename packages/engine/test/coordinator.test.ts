import { CRISIS_POLICY, CareRelayError, DEFAULT_POLICY } from '@carerelay/core';
import { SCENARIO_B } from '@carerelay/testkit/scenarios';
import { describe, expect, it, vi } from 'vitest';
import {
  type CareRelayStorage,
  type QuarantinedEvent,
  createCoordinator,
  createJsonLogger,
  createManualClock,
  createMemoryStorage,
} from '../src/index.js';
import { B_EVENTS, START, recordingChannel, runUntil } from './support.js';

const TENANT = SCENARIO_B.tenantId;

/** Wraps a storage so every call is counted by method name (a real adapter underneath). */
function countingStorage(inner: CareRelayStorage): { storage: CareRelayStorage; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const storage = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { storage, calls };
}

describe('bad input', () => {
  it('quarantines each malformed event with an error naming the field, and applies the rest of the batch', async () => {
    const clock = createManualClock(START);
    const storage = createMemoryStorage();
    const logs: string[] = [];
    const coordinator = createCoordinator({ storage, clock, tenantId: TENANT, logger: createJsonLogger({ write: (l) => logs.push(l), minLevel: 'debug' }) });
    const quarantined: QuarantinedEvent[] = [];
    coordinator.on('quarantined', (e) => quarantined.push(e));
    const secret = 'Morgan Reyes';
    const huge = `${secret} `.repeat(50_000);
    const bad = [
      { id: 'bad-types', tenantId: TENANT, patientId: 42, type: 'milestone.met', at: '2026-11-16T15:00:00Z', milestoneId: 'auth-b' },
      { id: 'bad-kind', tenantId: TENANT, patientId: 'pat-b', type: 'patient.teleported', at: '2026-11-16T15:00:00Z' },
      { tenantId: TENANT, patientId: 'pat-b', type: 'milestone.met', at: '2026-11-16T15:00:00Z', milestoneId: 'auth-b' },
      { id: 'bad-huge', tenantId: TENANT, patientId: 'pat-b', type: 'patient.updated', at: '2026-11-16T15:00:00Z', patient: { tenantId: TENANT, id: 'pat-b', displayToken: 'M.R. ·1177', timeZone: 'America/New_York', name: huge } },
      { id: 'bad-tenant', tenantId: 'another-clinic', patientId: 'pat-b', type: 'milestone.met', at: '2026-11-16T15:00:00Z', milestoneId: 'auth-b' },
      'not even an object',
    ];
    const batch = [...B_EVENTS.slice(0, 8), ...bad, ...B_EVENTS.slice(8)];
    const result = await coordinator.ingest(batch);

    expect(result).toMatchObject({ applied: B_EVENTS.length, quarantined: bad.length, failed: 0 });
    const byId = new Map(result.results.map((r) => [r.id ?? `#${r.index}`, r]));
    expect(byId.get('bad-types')?.error?.issues.map((i) => i.path)).toContain('patientId');
    expect(byId.get('bad-kind')?.error?.issues.map((i) => i.path)).toContain('type');
    expect(result.results[10]?.error?.issues.map((i) => i.path)).toContain('id');
    expect(byId.get('bad-huge')?.error?.issues.map((i) => i.path)).toContain('patient.name');
    expect(byId.get('bad-tenant')?.error).toMatchObject({ code: 'unauthorized', issues: [{ path: 'tenantId' }] });
    for (const r of result.results.filter((x) => x.status === 'quarantined')) {
      expect(r.error).toBeInstanceOf(CareRelayError);
      expect(r.error?.message).not.toContain(secret);
    }
    expect(quarantined).toHaveLength(bad.length);
    const stored = await storage.listQuarantine(TENANT);
    expect(stored).toHaveLength(bad.length);
    expect(stored.find((q) => q.id === 'bad-huge')?.raw.length).toBeLessThan(70 * 1024);
    expect(logs.join('\n')).not.toContain(secret);
    // Nothing valid was lost: the case is planned as without the bad events.
    expect((await coordinator.guidance('pat-b', 'ther-2')).length).toBe(2);
    expect((await storage.loadCase(TENANT, 'pat-b'))?.state.milestones['auth-b']?.status).toBe('scheduled');
    // And it keeps running.
    await runUntil(coordinator, clock, '2026-11-23T18:00:00.000Z');
    expect((await coordinator.inbox('ther-2')).length).toBe(1);
  });

  it('an event ingested twice is applied once', async () => {
    const coordinator = createCoordinator({ clock: createManualClock(START), tenantId: TENANT });
    expect((await coordinator.ingest(B_EVENTS)).applied).toBe(B_EVENTS.length);
    const again = await coordinator.ingest([...B_EVENTS, B_EVENTS[6]!]);
    expect(again).toMatchObject({ applied: 0, duplicates: B_EVENTS.length + 1 });
  });

  it('bad options are rejected with the field named', () => {
    expect(() => createCoordinator({ caseLeaseMs: -5 })).toThrow(/caseLeaseMs/);
    expect(() => createCoordinator({ policies: [{ id: 'x', steps: [] }] })).toThrow(CareRelayError);
  });
});

describe('ticks and the scheduler', () => {
  it('a tick touches only the due cases, however many are scheduled', async () => {
    const clock = createManualClock('2026-11-16T15:00:00Z');
    const { storage, calls } = countingStorage(createMemoryStorage());
    const coordinator = createCoordinator({ storage, clock, tenantId: TENANT, channels: [recordingChannel('in_app', clock)] });
    await coordinator.ingest(B_EVENTS.filter((e) => !('patientId' in e)));
    const cases = Array.from({ length: 300 }, (_, i) => {
      const patientId = `p-${i}`;
      const due = i < 3 ? '2026-11-20T15:00:00Z' : '2027-03-01T15:00:00Z';
      return B_EVENTS.filter((e) => 'patientId' in e).map((e) => {
        const copy = JSON.parse(JSON.stringify(e)) as Record<string, unknown> & { patient?: Record<string, unknown>; milestone?: Record<string, unknown> };
        copy.id = `${patientId}-${String(copy.id)}`;
        copy.patientId = patientId;
        if (copy.patient) copy.patient.id = patientId;
        if (copy.milestone) copy.milestone.dueAt = due;
        return copy;
      });
    });
    await coordinator.ingest(cases.flat());
    clock.set('2026-11-16T16:00:00Z');
    calls.clear();
    const result = await coordinator.tick();
    // Nothing is due an hour after ingest: no case is even loaded.
    expect(result.casesPlanned).toBe(0);
    expect(calls.get('loadCase') ?? 0).toBe(0);
    // The three cases due on Friday wake for their reminder on Tuesday; the 297 others sleep until February.
    clock.set('2026-11-17T15:00:00Z');
    calls.clear();
    const due = await coordinator.tick();
    expect(due.casesPlanned).toBe(3);
    expect(calls.get('loadCase') ?? 0).toBe(due.casesPlanned);
    expect(calls.get('commitCase') ?? 0).toBe(due.casesPlanned);
  });

  it('start() ticks on its own, sleeps until the next wake-up, is woken by ingest, and stop() ends it', async () => {
    const clock = createManualClock(START);
    const coordinator = createCoordinator({ clock, tenantId: TENANT });
    const delivered: string[] = [];
    coordinator.on('notification.delivered', (e) => delivered.push(`${e.recipientId}@${e.at}`));
    coordinator.start();
    await coordinator.ingest(B_EVENTS);
    await vi.waitFor(async () => expect(await coordinator.nextWakeAt()).toBe('2026-11-23T14:00:00.000Z'));
    expect(delivered).toEqual([]);
    clock.set('2026-11-23T14:00:00.000Z');
    await vi.waitFor(() => expect(delivered).toEqual(['ther-2@2026-11-23T14:00:00.000Z']));
    clock.set('2026-11-23T17:00:00.000Z');
    await vi.waitFor(() => expect(delivered).toHaveLength(2));
    expect((await coordinator.health()).running).toBe(true);
    await coordinator.stop();
    expect((await coordinator.health()).running).toBe(false);
    clock.set('2026-11-24T20:00:00.000Z');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(delivered).toHaveLength(2);
  });

  it('health reports overdue wake-ups and the outbox backlog, and recovers once ticked', async () => {
    const clock = createManualClock(START);
    let up = false;
    const flaky = recordingChannel('in_app', clock, { respond: () => (up ? { status: 'delivered' } : { status: 'retryable', error: 'connection refused' }) });
    const coordinator = createCoordinator({ clock, tenantId: TENANT, channels: [flaky], healthThresholdMs: 60_000 });
    await coordinator.ingest(B_EVENTS);
    expect((await coordinator.health()).ok).toBe(true);

    clock.set('2026-11-23T14:30:00.000Z');
    const stalled = await coordinator.health();
    expect(stalled.ok).toBe(false);
    expect(stalled.schedule).toMatchObject({ earliestWakeAt: '2026-11-23T14:00:00.000Z', overdue: true, overdueMs: 30 * 60_000 });

    await coordinator.tick();
    clock.advance(10 * 60_000);
    const backlog = await coordinator.health();
    expect(backlog.schedule.overdue).toBe(false);
    expect(backlog.outbox).toMatchObject({ due: 1, backlog: true, oldestDueAt: '2026-11-23T14:30:01.000Z' });
    expect(backlog.problems.join(' ')).toMatch(/1 due messages waiting/);

    up = true;
    await coordinator.tick();
    const healthy = await coordinator.health();
    expect(healthy.ok).toBe(true);
    expect(healthy.outbox).toMatchObject({ due: 0, delivered: 1, backlog: false });
  });

  it('storage failures surface as adapter_failure errors named after the adapter, and the engine keeps going', async () => {
    const clock = createManualClock(START);
    const inner = createMemoryStorage();
    let broken = false;
    const storage: CareRelayStorage = {
      ...inner,
      claimOutbox: (...args) => (broken ? Promise.reject(new Error('disk on fire: Morgan Reyes')) : inner.claimOutbox(...args)),
    };
    const coordinator = createCoordinator({ storage, clock, tenantId: TENANT });
    const errors: CareRelayError[] = [];
    coordinator.on('error', (e) => errors.push(e));
    await coordinator.ingest(B_EVENTS);
    clock.set('2026-11-23T14:00:00.000Z');
    broken = true;
    const failure = await coordinator.tick().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CareRelayError);
    expect(failure).toMatchObject({ code: 'adapter_failure', message: 'memory: claimOutbox failed (Error)' });
    expect((failure as CareRelayError).cause).toBeInstanceOf(Error);
    expect(errors).toHaveLength(1);
    broken = false;
    await coordinator.tick();
    expect((await coordinator.inbox('ther-2')).length).toBe(1);
  });
});

describe('critical notifications', () => {
  it('repeat until acknowledged; acknowledging in the inbox stops that owner’s repeats only', async () => {
    const clock = createManualClock('2026-11-24T03:00:00Z');
    const page = { id: 'page', steps: [{ id: 'page', offsetMinutes: -60, level: 'critical' as const, critical: true, repeatEveryMinutes: 15, maxRepeats: 8 }], digestWindowMinutes: 0 };
    const coordinator = createCoordinator({ clock, tenantId: TENANT, policies: [DEFAULT_POLICY, CRISIS_POLICY, page] });
    const events = B_EVENTS.map((e) =>
      e.type === 'milestone.scheduled' ? { ...e, milestone: { ...e.milestone, dueAt: '2026-11-24T04:00:00Z', critical: true, policyId: 'page' } } : e,
    );
    await coordinator.ingest(events);
    await coordinator.tick();
    // Critical pages go out at once, at 03:00 UTC — outside anyone's working hours — to both owners.
    const therapistPage = (await coordinator.inbox('ther-2'))[0]!;
    expect(therapistPage).toMatchObject({ critical: true, level: 'critical' });
    expect((await coordinator.inbox('pres-1')).length).toBe(1);

    await coordinator.acknowledge('ther-2', therapistPage.id);
    await runUntil(coordinator, clock, '2026-11-24T05:00:00.000Z');
    expect((await coordinator.inbox('ther-2')).length).toBe(1);
    // The prescriber, who did not acknowledge, is paged every 15 minutes: 03:15 … 05:00 is 8 repeats.
    expect((await coordinator.inbox('pres-1')).length).toBe(9);
  });
});
