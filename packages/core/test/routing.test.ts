import { describe, expect, it } from 'vitest';
import { type CareEventInput, createCoreConfig, guidance, worklist } from '@carerelay/core';
import { SCENARIO_B, STAFF_EVENTS } from '@carerelay/testkit/scenarios';
import { simulate, stateFrom } from './helpers.js';

const config = createCoreConfig();
const T = 'clinic-north';
const now = '2026-11-23T15:00:00Z';

describe('routing', () => {
  it("sends an absent owner's work to their cover, and back when they return", () => {
    const absence: CareEventInput = { id: 'abs-1', tenantId: T, type: 'owner.absence', at: '2026-11-20T00:00:00Z', ownerId: 'ther-2', absence: { start: '2026-11-22T00:00:00Z', end: '2026-11-25T00:00:00Z', coverOwnerId: 'ther-1' } };
    const state = stateFrom([...SCENARIO_B.events, absence]);
    const covered = guidance(state, { patientId: 'pat-b', ownerId: 'ther-1' }, now, config);
    expect(covered.map((i) => i.text).sort()).toEqual(['coping-strategy progress', 'school attendance']);
    expect(covered.every((i) => i.coveringFor === 'ther-2')).toBe(true);
    expect(guidance(state, { patientId: 'pat-b', ownerId: 'ther-2' }, now, config)).toEqual([]);
    expect(guidance(state, { patientId: 'pat-b', ownerId: 'ther-2' }, '2026-11-25T15:00:00Z', config)).toHaveLength(2);
  });

  it('routes a role nobody fills to the UR coordinator, flagged unassigned', () => {
    const withoutPrescriber = SCENARIO_B.events.filter((e) => !(e.type === 'careteam.assigned' && e.member.role === 'prescriber'));
    const state = stateFrom(withoutPrescriber);
    const items = guidance(state, { patientId: 'pat-b', ownerId: 'ur-1' }, now, config);
    expect(items.map((i) => [i.text, i.unassigned])).toEqual([
      ['medication response to escitalopram 10 mg', true],
      ['reported side effects', true],
    ]);
    const [task] = worklist(state, 'ur-1', now, config);
    expect(task?.unassigned).toBe(true);
  });

  it('with no coordinator on the team, falls back to the tenant’s UR coordinator rather than dropping the work', () => {
    const bare = SCENARIO_B.events.filter((e) => !(e.type === 'careteam.assigned' && (e.member.role === 'prescriber' || e.member.role === 'ur_coordinator')));
    const items = guidance(stateFrom(bare), { patientId: 'pat-b', ownerId: 'ur-1' }, now, config);
    expect(items).toHaveLength(2);
  });

  it('pages whoever is on call for a crisis, at any hour, repeating until acknowledged', () => {
    const onCall = (id: string, start: string): CareEventInput => ({
      id: `evt-${id}`, tenantId: T, type: 'owner.upserted', at: '2026-11-01T00:00:00Z',
      owner: { tenantId: T, id, role: 'crisis_clinician', timeZone: 'America/Chicago', workingHours: [], onCall: [{ rrule: 'FREQ=DAILY', start, durationMinutes: 720 }] },
    });
    const crisis: CareEventInput = { id: 'c-1', tenantId: T, patientId: 'pat-b', type: 'fact.recorded', at: '2026-11-22T08:00:00Z', fact: { kind: 'crisis', severity: 'urgent' } };
    // Sunday 02:00 in Chicago: the night clinician (on call 20:00–08:00) is paged, not the day one.
    const state = stateFrom([...SCENARIO_B.events, onCall('crisis-day', '08:00'), onCall('crisis-night', '20:00'), crisis]);
    const { notifications } = simulate(state, '2026-11-22T08:00:00Z', '2026-11-22T09:10:00Z', config);
    const pages = notifications.filter((n) => n.critical);
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(pages.map((n) => n.recipientId))).toEqual(new Set(['crisis-night']));
    expect(pages[0]!.deliverAt).toBe('2026-11-22T08:00:00.000Z');
    expect(pages.map((n) => n.repeat)).toEqual(pages.map((_, i) => i));

    const ack: CareEventInput = { id: 'ack', tenantId: T, patientId: 'pat-b', type: 'notification.acknowledged', at: '2026-11-22T08:20:00Z', notificationId: pages[0]!.id, taskId: pages[0]!.taskId, ownerId: 'crisis-night' };
    const acknowledged = simulate(state, '2026-11-22T08:00:00Z', '2026-11-22T12:00:00Z', config, [ack]).notifications.filter((n) => n.critical);
    expect(acknowledged.every((n) => n.deliverAt <= ack.at)).toBe(true);
    expect(acknowledged.length).toBe(2);
  });

  it('never sends the staff list a broadcast: each notification names only its recipient’s items', () => {
    const state = stateFrom([...STAFF_EVENTS, ...SCENARIO_B.events]);
    const { notifications } = simulate(state, '2026-11-16T14:00:00Z', '2026-11-27T19:00:00Z', config);
    for (const n of notifications) expect(n.items.every((i) => i.ownerId === n.recipientId)).toBe(true);
  });
});
