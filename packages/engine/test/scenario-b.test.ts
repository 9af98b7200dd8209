import { SCENARIO_B } from '@carerelay/testkit/scenarios';
import { describe, expect, it } from 'vitest';
import { createCoordinator, createInboxChannel, createManualClock, createMemoryStorage } from '../src/index.js';
import { B_EVENTS, END, START, isWorkingTime, recordingChannel, requirementIds, runUntil } from './support.js';

const TENANT = SCENARIO_B.tenantId;

async function setup() {
  const clock = createManualClock(START);
  const storage = createMemoryStorage();
  const inApp = recordingChannel('in_app', clock, { trust: 'phi-allowed' });
  const email = recordingChannel('email', clock);
  const coordinator = createCoordinator({ storage, clock, tenantId: TENANT, channels: [inApp, email] });
  const result = await coordinator.ingest(B_EVENTS);
  expect(result).toMatchObject({ applied: B_EVENTS.length, quarantined: 0, failed: 0, duplicates: 0 });
  const therapistItems = (await coordinator.guidance('pat-b', 'ther-2')).map((g) => g.requirementId);
  const prescriberItems = (await coordinator.guidance('pat-b', 'pres-1')).map((g) => g.requirementId);
  return { clock, storage, inApp, email, coordinator, therapistItems, prescriberItems };
}

describe('scenario B through the deadline week', () => {
  it('the therapist and the prescriber each receive only their own items, inside their working hours', async () => {
    const { clock, coordinator, inApp, email, therapistItems, prescriberItems } = await setup();
    expect(therapistItems).toHaveLength(2);
    expect(prescriberItems).toHaveLength(2);
    expect(therapistItems.some((id) => prescriberItems.includes(id))).toBe(false);

    await runUntil(coordinator, clock, END);

    const toTherapist = inApp.received.filter((r) => r.message.recipientId === 'ther-2');
    const toPrescriber = inApp.received.filter((r) => r.message.recipientId === 'pres-1');
    expect(toTherapist.map((r) => r.message.level)).toEqual(['notice', 'reminder', 'urgent']);
    expect(toPrescriber.map((r) => r.message.level)).toEqual(['notice', 'reminder', 'urgent']);
    expect(new Set(requirementIds(toTherapist))).toEqual(new Set(therapistItems));
    expect(new Set(requirementIds(toPrescriber))).toEqual(new Set(prescriberItems));
    for (const r of [...toTherapist, ...toPrescriber]) {
      expect(isWorkingTime(r.message.recipientId, r.at), `${r.message.recipientId} at ${r.at}`).toBe(true);
      expect(r.message.digest.deliverAt <= r.at).toBe(true);
    }
    // Urgent goes by email too, carrying no PHI: token and summaries, never the patient's name or medication.
    expect(email.received.map((r) => [r.message.recipientId, r.message.level])).toEqual(
      expect.arrayContaining([
        ['ther-2', 'urgent'],
        ['pres-1', 'urgent'],
      ]),
    );
    for (const r of email.received) {
      expect(r.message.trust).toBe('phi-minimal');
      expect(r.message.text).toContain('M.R. ·1177');
      expect(r.message.text).not.toMatch(/Morgan|Reyes|escitalopram|2011-05-03/);
    }
    // At the deadline the supervisor hears of both people's open items; nobody else is written to.
    const toSupervisor = inApp.received.filter((r) => r.message.recipientId === 'sup-1');
    expect(toSupervisor.map((r) => r.message.level)).toEqual(['supervisor']);
    expect(new Set(requirementIds(toSupervisor))).toEqual(new Set([...therapistItems, ...prescriberItems]));
    expect(new Set(inApp.received.map((r) => r.message.recipientId))).toEqual(new Set(['ther-2', 'pres-1', 'sup-1']));
    // Each message went out once: no id twice on one channel.
    const keys = inApp.received.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a note addressing the therapist’s items stops the therapist’s messages; the prescriber’s continue', async () => {
    const { clock, coordinator, inApp, therapistItems, prescriberItems } = await setup();
    const completed: string[] = [];
    coordinator.on('task.completed', (e) => completed.push(e.ownerId));
    await runUntil(coordinator, clock, '2026-11-25T15:00:00.000Z');
    const before = inApp.received.length;

    const signed = await coordinator.ingest({
      id: 'b-note-1',
      tenantId: TENANT,
      patientId: 'pat-b',
      type: 'note.signed',
      at: '2026-11-25T15:00:00Z',
      noteId: 'note-1',
      ownerId: 'ther-2',
      addresses: therapistItems,
    });
    expect(signed.applied).toBe(1);
    expect(completed).toEqual(['ther-2']);
    expect(await coordinator.guidance('pat-b', 'ther-2')).toEqual([]);
    expect(await coordinator.worklist('ther-2')).toEqual([]);

    await runUntil(coordinator, clock, END);
    const after = inApp.received.slice(before);
    expect(after.filter((r) => r.message.recipientId === 'ther-2')).toEqual([]);
    expect(after.filter((r) => r.message.recipientId === 'pres-1').map((r) => r.message.level)).toEqual(['urgent']);
    const escalation = after.filter((r) => r.message.recipientId === 'sup-1');
    expect(escalation).toHaveLength(1);
    expect(new Set(requirementIds(escalation))).toEqual(new Set(prescriberItems));
  });

  it('milestone.renewed stops every message', async () => {
    const { clock, coordinator, inApp } = await setup();
    await runUntil(coordinator, clock, '2026-11-23T18:00:00.000Z');
    expect(inApp.received.map((r) => [r.message.recipientId, r.message.level])).toEqual([
      ['ther-2', 'notice'],
      ['pres-1', 'notice'],
    ]);
    await coordinator.ingest({ id: 'b-renew', tenantId: TENANT, patientId: 'pat-b', type: 'milestone.renewed', at: '2026-11-23T18:00:00Z', milestoneId: 'auth-b' });
    await runUntil(coordinator, clock, END);
    expect(inApp.received).toHaveLength(2);
    expect(await coordinator.nextWakeAt()).toBeNull();
  });

  it('a new coordinator on the same storage does not resend what was delivered', async () => {
    const { clock, storage, coordinator, inApp } = await setup();
    await runUntil(coordinator, clock, '2026-11-24T21:00:00.000Z');
    const first = inApp.received.map((r) => r.idempotencyKey);
    expect(first).toHaveLength(4);
    await coordinator.stop();

    const inApp2 = recordingChannel('in_app', clock, { trust: 'phi-allowed' });
    const restarted = createCoordinator({ storage, clock, tenantId: TENANT, channels: [inApp2, recordingChannel('email', clock)] });
    expect((await restarted.ingest(B_EVENTS)).duplicates).toBe(B_EVENTS.length);
    await restarted.tick();
    expect(inApp2.received).toEqual([]);
    await runUntil(restarted, clock, END);
    const second = inApp2.received.map((r) => r.idempotencyKey);
    expect(second.map((k) => first.includes(k))).toEqual(second.map(() => false));
    expect(inApp2.received.map((r) => r.message.level).sort()).toEqual(['supervisor', 'urgent', 'urgent']);
  });

  it('the default in-app inbox keeps each owner’s messages; acknowledging marks them read', async () => {
    const clock = createManualClock(START);
    const coordinator = createCoordinator({ clock, tenantId: TENANT });
    await coordinator.ingest(B_EVENTS);
    await runUntil(coordinator, clock, '2026-11-24T21:00:00.000Z');
    const inbox = await coordinator.inbox('ther-2');
    expect(inbox.map((m) => m.level)).toEqual(['reminder', 'notice']);
    expect(inbox[0]!.text).toContain('M.R. ·1177');
    expect(await coordinator.unreadCount('ther-2')).toBe(2);
    expect(await coordinator.inbox('ur-1')).toEqual([]);
    await coordinator.acknowledge('ther-2', inbox[0]!.id);
    expect(await coordinator.unreadCount('ther-2')).toBe(1);
    await expect(coordinator.acknowledge('pres-1', inbox[1]!.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('channels', () => {
  it('a failing channel does not block the others; it is retried with backoff and the others are not resent', async () => {
    const clock = createManualClock(START);
    const storage = createMemoryStorage();
    const inApp = createInboxChannel(storage);
    const email = recordingChannel('email', clock, { respond: (_m, attempt) => (attempt < 2 ? { status: 'retryable', error: 'smtp 451', retryAfterMs: 120_000 } : { status: 'delivered' }) });
    const failures: Array<{ channel: string; retryAt?: string }> = [];
    const coordinator = createCoordinator({ storage, clock, tenantId: TENANT, channels: [inApp, email] });
    coordinator.on('notification.failed', (e) => failures.push({ channel: e.channel, ...(e.retryAt === undefined ? {} : { retryAt: e.retryAt }) }));
    await coordinator.ingest(B_EVENTS);
    await runUntil(coordinator, clock, '2026-11-26T19:59:00.000Z');
    const inboxBefore = (await coordinator.inbox('ther-2')).length;

    clock.set('2026-11-26T20:00:00.000Z');
    await coordinator.tick();
    // The urgent message reached the inbox at once although email failed.
    expect((await coordinator.inbox('ther-2')).length).toBe(inboxBefore + 1);
    expect(failures.every((f) => f.channel === 'email')).toBe(true);
    expect(failures[0]?.retryAt).toBe('2026-11-26T20:02:00.000Z');

    await runUntil(coordinator, clock, '2026-11-26T21:00:00.000Z');
    const urgentEmails = email.received.filter((r) => r.message.recipientId === 'ther-2');
    expect(urgentEmails).toHaveLength(3);
    expect(new Set(urgentEmails.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(urgentEmails[1]!.at >= '2026-11-26T20:02:00.000Z').toBe(true);
    expect((await coordinator.inbox('ther-2')).length).toBe(inboxBefore + 1);
    const stats = await storage.outboxStats(TENANT, clock.now());
    expect(stats).toMatchObject({ pending: 0, dead: 0 });
  });

  it('a permanent failure on every channel dead-letters the message; health reports it', async () => {
    const clock = createManualClock(START);
    const broken = recordingChannel('in_app', clock, { respond: () => ({ status: 'permanent', error: 'endpoint gone' }) });
    const coordinator = createCoordinator({ clock, tenantId: TENANT, channels: [broken] });
    await coordinator.ingest(B_EVENTS);
    await runUntil(coordinator, clock, '2026-11-23T18:00:00.000Z');
    const health = await coordinator.health();
    expect(health.outbox.dead).toBe(2);
    expect(health.problems.join(' ')).toContain('2 dead-lettered messages');
  });

  it('notifications queued for one recipient in one digest window leave as one message', async () => {
    const clock = createManualClock(START);
    const inApp = recordingChannel('in_app', clock, { trust: 'phi-allowed' });
    const coordinator = createCoordinator({ clock, tenantId: TENANT, channels: [inApp] });
    const second = B_EVENTS.filter((e) => 'patientId' in e).map((e) => {
      const copy = JSON.parse(JSON.stringify(e)) as Record<string, unknown> & { patient?: Record<string, unknown>; milestone?: Record<string, unknown> };
      copy.id = `c-${String(copy.id)}`;
      copy.patientId = 'pat-c';
      if (copy.patient) Object.assign(copy.patient, { id: 'pat-c', displayToken: 'K.L. ·9001' });
      // Due 40 minutes after pat-b's: the same digest window for each step.
      if (copy.milestone) Object.assign(copy.milestone, { id: 'auth-c', dueAt: '2026-11-27T20:40:00Z' });
      return copy;
    });
    await coordinator.ingest([...B_EVENTS, ...second]);
    await runUntil(coordinator, clock, '2026-11-25T00:00:00.000Z');
    const toTherapist = inApp.received.filter((r) => r.message.recipientId === 'ther-2');
    // Both notices fell due over the weekend and were held to Monday 09:00 New York: one message names both patients.
    const [notice, ...rest] = toTherapist;
    expect(notice?.message.level).toBe('notice');
    expect(notice?.at).toBe('2026-11-23T14:00:00.000Z');
    expect(notice?.message.subject).toContain('4 items');
    expect(new Set(notice?.message.digest.items.map((i) => i.displayToken))).toEqual(new Set(['M.R. ·1177', 'K.L. ·9001']));
    // Each reminder is planned when its own case wakes (20:00 and 20:40): every item still arrives exactly once.
    expect(rest.map((r) => r.message.level)).toEqual(['reminder', 'reminder']);
    const reminderItems = rest.flatMap((r) => r.message.digest.items.map((i) => `${i.patientId}:${i.requirementId}`));
    expect(reminderItems).toHaveLength(4);
    expect(new Set(reminderItems).size).toBe(4);
  });
});
