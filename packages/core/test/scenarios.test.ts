import { describe, expect, it } from 'vitest';
import { createCoreConfig, guidance, plan, worklist } from '@carerelay/core';
import { SCENARIO_A, SCENARIO_B } from '@carerelay/testkit/scenarios';
import { formatInTimeZone } from 'date-fns-tz';
import { simulate, stateFrom } from './helpers.js';

const config = createCoreConfig();
const MONDAY_MORNING_CHICAGO = '2026-11-23T15:00:00.000Z'; // Mon 23 Nov 2026, 09:00 in Chicago
const THURSDAY_REVIEW = '2026-11-26T16:00:00.000Z'; // Thu 26 Nov 2026, 10:00 in Chicago

describe('Scenario A: adult, panic disorder, sertraline increased nine days ago, group therapy', () => {
  const state = stateFrom(SCENARIO_A.events);

  it("lists exactly the therapist's three items before Monday's session, each naming Thursday's review", () => {
    const items = guidance(state, { patientId: 'pat-a', ownerId: 'ther-1' }, MONDAY_MORNING_CHICAGO, config);
    expect(items.map((i) => i.text).sort()).toEqual([
      'medication adherence since sertraline 50 mg→100 mg',
      'panic-attack frequency in the past week',
      'participation in group therapy',
    ]);
    for (const item of items) {
      expect(item.deadline).toBe(THURSDAY_REVIEW);
      expect(formatInTimeZone(item.deadline, 'America/Chicago', 'EEEE HH:mm')).toBe('Thursday 10:00');
      expect(item.milestoneKind).toBe('authorization_review');
      expect(item.reason.length).toBeGreaterThan(10);
      expect(item.unassigned).toBe(false);
    }
  });

  it('gives nobody else these items, in guidance, worklists or notifications', () => {
    for (const other of ['pres-1', 'ur-1', 'sup-1', 'ther-2']) {
      expect(guidance(state, { patientId: 'pat-a', ownerId: other }, MONDAY_MORNING_CHICAGO, config)).toEqual([]);
      expect(worklist(state, other, MONDAY_MORNING_CHICAGO, config)).toEqual([]);
    }
    const { notifications } = simulate(state, '2026-11-02T15:00:00Z', '2026-11-26T15:59:00Z', config);
    expect(notifications.length).toBeGreaterThan(0);
    expect(new Set(notifications.map((n) => n.recipientId))).toEqual(new Set(['ther-1']));
  });

  it('names the medication change only once it is known: guidance before the increase has two items', () => {
    const before = stateFrom(SCENARIO_A.events.filter((e) => e.id !== 'a-9'));
    const items = guidance(before, { patientId: 'pat-a', ownerId: 'ther-1' }, '2026-11-10T15:00:00Z', config);
    expect(items.map((i) => i.text).sort()).toEqual(['panic-attack frequency in the past week', 'participation in group therapy']);
  });
});

describe('Scenario B: adolescent in therapy and medication management, due Friday 15:00', () => {
  const state = stateFrom(SCENARIO_B.events);
  const week = { from: '2026-11-16T14:00:00Z', to: '2026-11-27T19:59:00Z' };

  it('routes coping and school to the therapist, medication response and side effects to the prescriber', () => {
    const now = '2026-11-23T15:00:00Z';
    expect(guidance(state, { patientId: 'pat-b', ownerId: 'ther-2' }, now, config).map((i) => i.text).sort()).toEqual([
      'coping-strategy progress',
      'school attendance',
    ]);
    expect(guidance(state, { patientId: 'pat-b', ownerId: 'pres-1' }, now, config).map((i) => i.text).sort()).toEqual([
      'medication response to escitalopram 10 mg',
      'reported side effects',
    ]);
  });

  it("stops the therapist's alerts once their items are done, and keeps the prescriber's running", () => {
    const therapistIds = guidance(state, { patientId: 'pat-b', ownerId: 'ther-2' }, '2026-11-23T15:00:00Z', config).map((i) => i.requirementId);
    const note = { id: 'b-note', tenantId: 'clinic-north', patientId: 'pat-b', type: 'note.signed' as const, at: '2026-11-23T18:00:00Z', noteId: 'note-77', ownerId: 'ther-2', addresses: therapistIds };
    const { notifications } = simulate(state, week.from, week.to, config, [note]);
    const therapist = notifications.filter((n) => n.recipientId === 'ther-2');
    const prescriber = notifications.filter((n) => n.recipientId === 'pres-1');
    expect(therapist.map((n) => n.level)).toEqual(['notice']);
    expect(therapist.every((n) => n.deliverAt < note.at)).toBe(true);
    expect(prescriber.map((n) => n.level)).toEqual(['notice', 'reminder', 'urgent']);
    for (const n of prescriber) expect(n.items.map((i) => i.text).sort()).toEqual(['medication response to escitalopram 10 mg', 'reported side effects']);
  });
});

describe('Dynamic urgency', () => {
  const state = stateFrom(SCENARIO_B.events);
  const local = (iso: string, zone: string) => formatInTimeZone(iso, zone, 'EEE yyyy-MM-dd HH:mm');

  it('sends notice at −5 d, reminder at −3 d, urgent at −1 d, each inside working hours in the recipient zone', () => {
    const { notifications } = simulate(state, '2026-11-16T14:00:00Z', '2026-11-27T19:59:00Z', config);
    const therapist = notifications.filter((n) => n.recipientId === 'ther-2');
    expect(therapist.map((n) => [n.level, local(n.deliverAt, 'America/New_York')])).toEqual([
      // −5 d is Sunday 22 Nov 15:00: moved to Monday 09:00, the start of the therapist's working day.
      ['notice', 'Mon 2026-11-23 09:00'],
      ['reminder', 'Tue 2026-11-24 15:00'],
      ['urgent', 'Thu 2026-11-26 15:00'],
    ]);
    const prescriber = notifications.filter((n) => n.recipientId === 'pres-1');
    expect(prescriber.map((n) => [n.level, local(n.deliverAt, 'America/Los_Angeles')])).toEqual([
      ['notice', 'Mon 2026-11-23 09:00'],
      ['reminder', 'Tue 2026-11-24 12:00'],
      ['urgent', 'Thu 2026-11-26 12:00'],
    ]);
  });

  it('lists only the still-open items in the reminder', () => {
    const [coping] = guidance(state, { patientId: 'pat-b', ownerId: 'ther-2' }, '2026-11-23T15:00:00Z', config).filter((i) => i.text === 'coping-strategy progress');
    const note = { id: 'n1', tenantId: 'clinic-north', patientId: 'pat-b', type: 'note.signed' as const, at: '2026-11-23T20:00:00Z', noteId: 'note-1', ownerId: 'ther-2', addresses: [coping!.requirementId] };
    const { notifications } = simulate(state, '2026-11-16T14:00:00Z', '2026-11-27T19:59:00Z', config, [note]);
    const therapist = notifications.filter((n) => n.recipientId === 'ther-2');
    expect(therapist.map((n) => [n.level, n.items.map((i) => i.text)])).toEqual([
      ['notice', ['coping-strategy progress', 'school attendance']],
      ['reminder', ['school attendance']],
      ['urgent', ['school attendance']],
    ]);
  });

  it('goes silent after the authorization is renewed', () => {
    const renewed = { id: 'r1', tenantId: 'clinic-north', patientId: 'pat-b', type: 'milestone.renewed' as const, at: '2026-11-24T16:00:00Z', milestoneId: 'auth-b' };
    const { notifications, state: after } = simulate(state, '2026-11-16T14:00:00Z', '2026-12-10T00:00:00Z', config, [renewed]);
    expect(notifications.every((n) => n.deliverAt < renewed.at)).toBe(true);
    expect(notifications.map((n) => n.level)).toEqual(['notice', 'notice']);
    expect(plan(after, '2026-11-28T00:00:00Z', config).nextWakeAt).toBeNull();
  });

  it('escalates to the supervisor at the deadline, naming the overdue items', () => {
    const { notifications } = simulate(state, '2026-11-16T14:00:00Z', '2026-11-28T00:00:00Z', config);
    const escalations = notifications.filter((n) => n.level === 'supervisor');
    expect(escalations.map((n) => n.recipientId)).toEqual(['sup-1', 'sup-1']);
    expect(escalations.map((n) => n.escalatedOwnerId).sort()).toEqual(['pres-1', 'ther-2']);
    expect(escalations.flatMap((n) => n.items.map((i) => i.text)).sort()).toEqual([
      'coping-strategy progress',
      'medication response to escitalopram 10 mg',
      'reported side effects',
      'school attendance',
    ]);
  });
});
