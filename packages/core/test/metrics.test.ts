import { type CareEvent, type CareEventInput, CareRelayError, EventSchema, type OwnerInput } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
// Imported by path until the barrel re-exports it (`export * from './metrics/index.js'`).
import { type DeliveredNotificationRecord, metrics } from '../src/metrics/index.js';

const T = 'clinic-test';
const weekdays = [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '09:00', durationMinutes: 480 }];
let seq = 0;
const id = () => `e${++seq}`;

function log(inputs: CareEventInput[]): CareEvent[] {
  return inputs.map((e) => EventSchema.parse(e));
}
function owner(ownerId: string, role: string, timeZone: string, extra: Partial<OwnerInput> = {}): CareEventInput {
  return { id: id(), tenantId: T, type: 'owner.upserted', at: '2026-10-01T00:00:00Z', owner: { tenantId: T, id: ownerId, role, timeZone, workingHours: weekdays, ...extra } };
}
function patient(patientId: string, at = '2026-10-01T12:00:00Z', extra: Record<string, unknown> = {}): CareEventInput {
  return { id: id(), tenantId: T, patientId, type: 'patient.registered', at, patient: { tenantId: T, id: patientId, displayToken: `P·${patientId}`, timeZone: 'America/Chicago', age: 40, ...extra } };
}
function assign(patientId: string, ownerId: string, role: string, at = '2026-10-01T12:00:00Z'): CareEventInput {
  return { id: id(), tenantId: T, patientId, type: 'careteam.assigned', at, member: { ownerId, role } };
}
function fact(patientId: string, at: string, factValue: Record<string, unknown>, eventId = id()): CareEventInput {
  return { id: eventId, tenantId: T, patientId, type: 'fact.recorded', at, fact: factValue as never };
}
function milestone(patientId: string, milestoneId: string, kind: string, dueAt: string, at = '2026-10-02T12:00:00Z'): CareEventInput {
  return { id: id(), tenantId: T, patientId, type: 'milestone.scheduled', at, milestone: { id: milestoneId, kind: kind as never, dueAt } };
}
function close(patientId: string, milestoneId: string, type: 'milestone.met' | 'milestone.missed' | 'milestone.renewed' | 'milestone.cancelled', at: string): CareEventInput {
  return { id: id(), tenantId: T, patientId, type, at, milestoneId } as CareEventInput;
}
function note(patientId: string, ownerId: string, at: string, addresses: string[]): CareEventInput {
  return { id: id(), tenantId: T, patientId, type: 'note.signed', at, noteId: `note-${seq}`, ownerId, addresses };
}
function delivered(patientId: string, notificationId: string, at: string): CareEventInput {
  return { id: id(), tenantId: T, patientId, type: 'notification.delivered', at, notificationId, channel: 'in_app' };
}

const NOVEMBER = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

describe('metrics: treatment interruption', () => {
  it('counts missed and lapsed authorizations against renewed ones, leaving out cancelled and out-of-window ones', () => {
    const events = log([
      patient('p1'),
      milestone('p1', 'x-renewed', 'authorization_expiry', '2026-11-10T16:00:00Z'),
      milestone('p1', 'x-missed', 'authorization_expiry', '2026-11-12T16:00:00Z'),
      milestone('p1', 'x-lapsed', 'authorization_expiry', '2026-11-14T16:00:00Z'),
      milestone('p1', 'x-cancelled', 'authorization_expiry', '2026-11-16T16:00:00Z'),
      milestone('p1', 'x-december', 'authorization_expiry', '2026-12-03T16:00:00Z'),
      milestone('p1', 'fuh', 'discharge_follow_up', '2026-11-18T16:00:00Z'),
      close('p1', 'x-renewed', 'milestone.renewed', '2026-11-09T16:00:00Z'),
      close('p1', 'x-missed', 'milestone.missed', '2026-11-12T16:00:00Z'),
      close('p1', 'x-cancelled', 'milestone.cancelled', '2026-11-01T16:00:00Z'),
      // Renewed only after the window ends: within the window it lapsed.
      close('p1', 'x-lapsed', 'milestone.renewed', '2026-12-02T16:00:00Z'),
    ]);
    const result = metrics(events, NOVEMBER).treatmentInterruption;
    expect(result).toEqual({ authorizations: 3, interrupted: 2, continued: 1, rate: 2 / 3 });
  });
});

describe('metrics: first-time-right documentation', () => {
  it('credits only items satisfied by the author’s first note after they opened and never reopened', () => {
    const req = (rule: string) => `rev:${rule}`;
    const events = log([
      patient('p1', '2026-10-01T12:00:00Z', { age: 30 }),
      assign('p1', 'ther-1', 'therapist'),
      assign('p1', 'pres-1', 'prescriber'),
      fact('p1', '2026-10-01T12:00:00Z', { kind: 'service', service: 'group_therapy' }),
      fact('p1', '2026-10-01T12:00:00Z', { kind: 'diagnosis', category: 'panic_disorder' }),
      fact('p1', '2026-10-01T12:00:00Z', { kind: 'measure_score', instrument: 'PHQ-9', score: 18 }),
      milestone('p1', 'rev', 'authorization_review', '2026-11-20T16:00:00Z', '2026-11-02T12:00:00Z'),
      // Another role's note does not count against the therapist's items.
      note('p1', 'pres-1', '2026-11-03T15:00:00Z', []),
      // First therapist note: group participation and the severity score, not panic frequency.
      note('p1', 'ther-1', '2026-11-04T15:00:00Z', [req('auth.group-participation'), req('auth.severity-score')]),
      note('p1', 'ther-1', '2026-11-11T15:00:00Z', [req('auth.panic-frequency')]),
      { id: id(), tenantId: T, patientId: 'p1', type: 'requirement.reopened', at: '2026-11-12T15:00:00Z', requirementId: req('auth.group-participation') },
      note('p1', 'ther-1', '2026-11-18T15:00:00Z', [req('auth.group-participation')]),
    ]);
    const result = metrics(events, NOVEMBER).firstTimeRight;
    expect(result).toEqual({ satisfied: 3, firstTimeRight: 1, missedByEarlierNote: 1, reopened: 1, rate: 1 / 3 });
  });
});

describe('metrics: alerts per clinician per working day, and actionable share', () => {
  // Mon 16 – Sun 22 Nov 2026, in Chicago's calendar days.
  const WEEK = { from: '2026-11-16T06:00:00Z', to: '2026-11-23T06:00:00Z' };
  const records: DeliveredNotificationRecord[] = [
    { id: 'n1', recipientId: 'ther-1', items: [{ requirementId: 'r1', ownerId: 'ther-1' }] },
    // n2 and n3 travelled in one digest: one alert.
    { id: 'n2', recipientId: 'ther-1', items: [{ requirementId: 'r2', ownerId: 'ther-1' }], messageId: 'dig-1' },
    { id: 'n3', recipientId: 'ther-1', items: [{ requirementId: 'r3', ownerId: 'ther-1' }], messageId: 'dig-1' },
    { id: 'n4', recipientId: 'ther-1', items: [{ requirementId: 'r4', ownerId: 'ther-1' }] },
    { id: 'n5', recipientId: 'ther-1', items: [{ requirementId: 'r5', ownerId: 'ther-1' }] },
    { id: 'n6', recipientId: 'pres-1', items: [{ requirementId: 'r6', ownerId: 'pres-1' }] },
    // A broadcast-style message naming only someone else's item: not actionable for its recipient.
    { id: 'n7', recipientId: 'pres-1', items: [{ requirementId: 'r1', ownerId: 'ther-1' }] },
    // A supervisor escalation naming the therapist's overdue item: actionable.
    { id: 'n8', recipientId: 'sup-1', items: [{ requirementId: 'r1', ownerId: 'ther-1' }], escalatedOwnerId: 'ther-1' },
  ];
  const events = log([
    owner('sup-1', 'supervisor', 'America/Chicago'),
    owner('ther-1', 'therapist', 'America/Chicago', { supervisorId: 'sup-1' }),
    owner('pres-1', 'prescriber', 'America/Los_Angeles', { supervisorId: 'sup-1' }),
    { id: id(), tenantId: T, type: 'owner.absence', at: '2026-11-01T00:00:00Z', ownerId: 'pres-1', absence: { start: '2026-11-18T08:00:00Z', end: '2026-11-19T08:00:00Z' } },
    delivered('p1', 'n1', '2026-11-17T15:00:00Z'),
    delivered('p1', 'n2', '2026-11-17T16:00:00Z'),
    delivered('p1', 'n3', '2026-11-17T16:00:00Z'),
    delivered('p1', 'n4', '2026-11-17T20:00:00Z'),
    delivered('p1', 'n5', '2026-11-21T15:00:00Z'), // a Saturday: counted as an extra clinician-day
    delivered('p1', 'n6', '2026-11-16T17:00:00Z'),
    delivered('p1', 'n7', '2026-11-16T18:00:00Z'),
    delivered('p1', 'n8', '2026-11-19T15:00:00Z'),
    delivered('p1', 'unknown', '2026-11-19T15:00:00Z'),
    delivered('p1', 'n1', '2026-11-24T15:00:00Z'), // after the window
  ]);

  it('counts one alert per message per recipient over working days (mean, p90, max), by role', () => {
    const { alertsPerClinicianDay: load, actionable } = metrics(events, WEEK, { notifications: records });
    // Samples: therapist Mon–Fri + Sat (6), prescriber Mon, Tue, Thu, Fri (Wed absent: 4), supervisor Mon–Fri (5).
    expect(load).toMatchObject({ clinicians: 3, clinicianDays: 15, alerts: 7, mean: 7 / 15, p90: 2, max: 3, unattributed: 1 });
    expect(load.byRole.therapist).toEqual({ clinicians: 1, clinicianDays: 6, alerts: 4, mean: 4 / 6, p90: 3, max: 3 });
    expect(load.byRole.prescriber).toEqual({ clinicians: 1, clinicianDays: 4, alerts: 2, mean: 0.5, p90: 2, max: 2 });
    expect(actionable).toEqual({ alerts: 7, actionable: 6, share: 6 / 7 });
  });

  it('counts only the clinician roles asked for', () => {
    const { alertsPerClinicianDay: load } = metrics(events, WEEK, { notifications: records, clinicianRoles: ['therapist', 'prescriber'] });
    expect(load).toMatchObject({ clinicians: 2, clinicianDays: 10, alerts: 6, mean: 0.6, max: 3 });
  });

  it('attributes nothing without the delivered notifications', () => {
    const { alertsPerClinicianDay: load, actionable } = metrics(events, WEEK);
    expect(load).toMatchObject({ alerts: 0, mean: 0, unattributed: 9 });
    expect(actionable.share).toBeNull();
  });
});

describe('metrics: deadline hit rate', () => {
  it('a deadline is hit when its work was closed by then or the milestone was met in time', () => {
    const events = log([
      patient('p1', '2026-10-01T12:00:00Z', { age: 30 }),
      assign('p1', 'ther-1', 'therapist'),
      assign('p1', 'cm-1', 'case_manager'),
      fact('p1', '2026-10-01T12:00:00Z', { kind: 'service', service: 'group_therapy' }),
      fact('p1', '2026-10-01T12:00:00Z', { kind: 'diagnosis', category: 'panic_disorder' }),
      milestone('p1', 'done', 'authorization_review', '2026-11-10T16:00:00Z'),
      note('p1', 'ther-1', '2026-11-09T15:00:00Z', ['done:auth.group-participation', 'done:auth.panic-frequency']),
      milestone('p1', 'late', 'authorization_review', '2026-11-20T16:00:00Z'),
      note('p1', 'ther-1', '2026-11-19T15:00:00Z', ['late:auth.group-participation']),
      note('p1', 'ther-1', '2026-11-21T15:00:00Z', ['late:auth.panic-frequency']),
      close('p1', 'late', 'milestone.missed', '2026-11-20T16:00:00Z'),
      // A discharge schedules a 7-day follow-up; a kept visit meets it although the case manager's item stays open.
      fact('p1', '2026-11-02T15:00:00Z', { kind: 'transition', transition: 'discharge', setting: 'inpatient' }, 'dc-1'),
      fact('p1', '2026-11-05T15:00:00Z', { kind: 'appointment', appointmentId: 'a1', status: 'kept', start: '2026-11-05T15:00:00Z' }),
      // Cancelled milestones and milestones with no work are left out.
      milestone('p1', 'gone', 'authorization_review', '2026-11-25T16:00:00Z'),
      close('p1', 'gone', 'milestone.cancelled', '2026-11-03T16:00:00Z'),
      milestone('p1', 'no-work', 'custom', '2026-11-25T16:00:00Z'),
    ]);
    expect(metrics(events, NOVEMBER).deadlines).toEqual({ milestones: 3, hit: 2, missed: 1, rate: 2 / 3 });
  });
});

describe('metrics: time from referral to an owner, and unassigned items', () => {
  const events = log([
    owner('ur-1', 'ur_coordinator', 'America/Chicago'),
    // Routine referral: an intake owner is assigned 30 hours later.
    patient('r1', '2026-11-02T14:00:00Z'),
    fact('r1', '2026-11-02T14:00:00Z', { kind: 'referral', referralId: 'ref-1', urgency: 'routine' }, 'ref-1'),
    assign('r1', 'cm-1', 'intake', '2026-11-03T20:00:00Z'),
    // Urgent referral: nobody fills intake; the coordinator is told it is theirs 2 hours later.
    patient('r2', '2026-11-04T14:00:00Z'),
    fact('r2', '2026-11-04T14:00:00Z', { kind: 'referral', referralId: 'ref-2', urgency: 'urgent' }, 'ref-2'),
    delivered('r2', 'n-ref-2', '2026-11-04T16:00:00Z'),
    // Routine referral nobody owns by the end of the window.
    patient('r3', '2026-11-20T14:00:00Z'),
    fact('r3', '2026-11-20T14:00:00Z', { kind: 'referral', referralId: 'ref-3', urgency: 'routine' }, 'ref-3'),
  ]);
  const records: DeliveredNotificationRecord[] = [
    { id: 'n-ref-2', recipientId: 'ur-1', items: [{ requirementId: 'referral-urgent:ref-2:referral.first-contact', ownerId: 'ur-1' }] },
  ];

  it('measures hours from each referral to its first owner; unowned ones are "not reached"', () => {
    const result = metrics(events, NOVEMBER, { notifications: records }).timeToOwner;
    // Sorted hours: 2, 30, ∞ → median 30; the 90th percentile is not reached.
    expect(result).toEqual({ referrals: 3, owned: 2, unowned: 1, medianHours: 30, p90Hours: null });
  });

  it('counts items whose role nobody on the team filled when they opened, and those still unfilled at the end', () => {
    expect(metrics(events, NOVEMBER, { notifications: records }).unassigned).toEqual({ requirements: 3, unassigned: 3, share: 1, openAtEnd: 2 });
  });
});

describe('metrics: 7-day follow-up after discharge (HEDIS FUH)', () => {
  it('counts kept visits from the day after discharge through day 7, in the patient’s calendar', () => {
    const discharge = (patientId: string, at: string, extra: Record<string, unknown> = {}) =>
      fact(patientId, at, { kind: 'transition', transition: 'discharge', setting: 'inpatient', ...extra });
    const kept = (patientId: string, start: string) => fact(patientId, start, { kind: 'appointment', appointmentId: `a-${seq}`, status: 'kept', start });
    const events = log([
      // Same-day visit only: not a follow-up.
      patient('d1'), discharge('d1', '2026-11-02T15:00:00Z'), kept('d1', '2026-11-02T20:00:00Z'),
      // Day 7 (Mon 9 Nov, 23:00 Chicago = 05:00Z on the 10th): counts.
      patient('d2'), discharge('d2', '2026-11-02T15:00:00Z'), kept('d2', '2026-11-10T05:00:00Z'),
      // Day 8: too late.
      patient('d3'), discharge('d3', '2026-11-02T15:00:00Z'), kept('d3', '2026-11-10T07:00:00Z'),
      // Follow-up period runs past the window: censored.
      patient('d4'), discharge('d4', '2026-11-27T15:00:00Z'),
      // Not mental health, or not an acute setting: not in the measure.
      patient('d5'), discharge('d5', '2026-11-02T15:00:00Z', { mentalHealth: false }),
      patient('d6'), discharge('d6', '2026-11-02T15:00:00Z', { setting: 'residential' }),
    ]);
    expect(metrics(events, NOVEMBER).followUpAfterDischarge).toEqual({ discharges: 3, followedUp: 1, censored: 1, rate: 1 / 3 });
  });
});

describe('metrics: retracted facts', () => {
  it('a retracted discharge or referral leaves the follow-up and time-to-owner populations', () => {
    const events = log([
      patient('x1'),
      fact('x1', '2026-11-02T15:00:00Z', { kind: 'transition', transition: 'discharge', setting: 'inpatient' }, 'dc-x1'),
      { id: id(), tenantId: T, patientId: 'x1', type: 'fact.retracted', at: '2026-11-02T18:00:00Z', factEventId: 'dc-x1', reason: 'entered in error' },
      patient('x2'),
      fact('x2', '2026-11-03T15:00:00Z', { kind: 'referral', referralId: 'r-x2', urgency: 'routine' }, 'ref-x2'),
      { id: id(), tenantId: T, patientId: 'x2', type: 'fact.retracted', at: '2026-11-03T16:00:00Z', factEventId: 'ref-x2' },
    ]);
    const result = metrics(events, NOVEMBER);
    expect(result.followUpAfterDischarge).toEqual({ discharges: 0, followedUp: 0, censored: 0, rate: null });
    expect(result.timeToOwner.referrals).toBe(0);
  });
});

describe('metrics: input', () => {
  it('rejects a window whose end is not after its start, naming the field', () => {
    const call = () => metrics([], { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(call).toThrow(CareRelayError);
    expect(call).toThrow(/to: must be after from/);
  });

  it('answers null rates, not zeros, when there is nothing to measure', () => {
    const result = metrics([], NOVEMBER);
    expect(result.treatmentInterruption.rate).toBeNull();
    expect(result.firstTimeRight.rate).toBeNull();
    expect(result.deadlines.rate).toBeNull();
    expect(result.followUpAfterDischarge.rate).toBeNull();
  });

  it('is deterministic: the same events and window give the same report', () => {
    const events = log([patient('p1'), milestone('p1', 'x', 'authorization_expiry', '2026-11-10T16:00:00Z')]);
    expect(JSON.stringify(metrics(events, NOVEMBER))).toBe(JSON.stringify(metrics(events, NOVEMBER)));
  });
});
