import { describe, expect, it } from 'vitest';
import { type CareEventInput, createCoreConfig, guidance, worklist } from '@carerelay/core';
import { SCENARIO_B } from '@carerelay/testkit/scenarios';
import { formatInTimeZone } from 'date-fns-tz';
import { stateFrom } from './helpers.js';

const config = createCoreConfig();
const T = 'clinic-north';
const caseManager: CareEventInput[] = [
  { id: 'cm', tenantId: T, type: 'owner.upserted', at: '2026-11-01T00:00:00Z', owner: { tenantId: T, id: 'cm-1', role: 'case_manager', timeZone: 'America/New_York', workingHours: [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '08:00', durationMinutes: 540 }] } },
  { id: 'cm-a', tenantId: T, patientId: 'pat-b', type: 'careteam.assigned', at: '2026-11-01T00:00:00Z', member: { ownerId: 'cm-1', role: 'case_manager' } },
];
const discharge: CareEventInput = { id: 'dis-1', tenantId: T, patientId: 'pat-b', type: 'fact.recorded', at: '2026-11-20T16:00:00Z', fact: { kind: 'transition', transition: 'discharge', setting: 'inpatient', encounterId: 'enc-9' } };

describe('care transitions', () => {
  it('schedules a 7-day follow-up after a mental-health inpatient discharge, owned by the case manager (HEDIS FUH)', () => {
    const state = stateFrom([...SCENARIO_B.events, ...caseManager, discharge]);
    const [task] = worklist(state, 'cm-1', '2026-11-21T15:00:00Z', config).filter((t) => t.milestoneKind === 'discharge_follow_up');
    expect(task).toBeDefined();
    expect(formatInTimeZone(task!.deadline, 'America/New_York', 'EEE d MMM HH:mm')).toBe('Fri 27 Nov 11:00');
  });

  it('withdraws the follow-up when the discharge is cancelled (ADT A13)', () => {
    const cancel: CareEventInput = { id: 'dis-1-x', tenantId: T, patientId: 'pat-b', type: 'fact.recorded', at: '2026-11-20T18:00:00Z', fact: { kind: 'transition', transition: 'discharge_cancelled', setting: 'inpatient', encounterId: 'enc-9' } };
    const state = stateFrom([...SCENARIO_B.events, ...caseManager, discharge, cancel]);
    expect(worklist(state, 'cm-1', '2026-11-21T15:00:00Z', config)).toEqual([]);
    expect(Object.values(state.cases['pat-b']!.milestones).find((m) => m.kind === 'discharge_follow_up')?.status).toBe('cancelled');
  });

  it('a kept follow-up visit meets the follow-up milestone', () => {
    const kept: CareEventInput = { id: 'v-1', tenantId: T, patientId: 'pat-b', type: 'fact.recorded', at: '2026-11-24T15:00:00Z', fact: { kind: 'appointment', appointmentId: 'ap-1', status: 'kept', start: '2026-11-24T15:00:00Z' } };
    const state = stateFrom([...SCENARIO_B.events, ...caseManager, discharge, kept]);
    expect(Object.values(state.cases['pat-b']!.milestones).find((m) => m.kind === 'discharge_follow_up')?.status).toBe('met');
  });
});

describe('patient.patched', () => {
  it('merges only the fields a source knows, keeping the rest', () => {
    const patch: CareEventInput = { id: 'p-1', tenantId: T, patientId: 'pat-b', type: 'patient.patched', at: '2026-11-21T00:00:00Z', patch: { payer: 'aetna' } };
    const state = stateFrom([...SCENARIO_B.events, patch]);
    expect(state.cases['pat-b']!.patient).toMatchObject({ payer: 'aetna', displayToken: 'M.R. ·1177', birthDate: '2011-05-03', timeZone: 'America/New_York' });
    expect(guidance(state, { patientId: 'pat-b', ownerId: 'ther-2' }, '2026-11-23T15:00:00Z', config)).toHaveLength(2);
  });
});

describe('retractions and closed cases', () => {
  it('schedules both HEDIS FUH follow-ups (7 and 30 days), and one kept visit meets both', () => {
    const state = stateFrom([...SCENARIO_B.events, ...caseManager, discharge]);
    const fuh = Object.values(state.cases['pat-b']!.milestones).filter((m) => m.kind === 'discharge_follow_up');
    expect(fuh.map((m) => m.templateId).sort()).toEqual(['fuh-30', 'fuh-7']);
    const kept: CareEventInput = { id: 'v-2', tenantId: T, patientId: 'pat-b', type: 'fact.recorded', at: '2026-11-24T15:00:00Z', fact: { kind: 'appointment', appointmentId: 'ap-2', status: 'kept', start: '2026-11-24T15:00:00Z' } };
    const after = stateFrom([...SCENARIO_B.events, ...caseManager, discharge, kept]);
    expect(Object.values(after.cases['pat-b']!.milestones).filter((m) => m.kind === 'discharge_follow_up').map((m) => m.status)).toEqual(['met', 'met']);
  });

  it('retracting a fact recorded in error forgets it and cancels what it scheduled', () => {
    const retract: CareEventInput = { id: 'r-1', tenantId: T, patientId: 'pat-b', type: 'fact.retracted', at: '2026-11-21T00:00:00Z', factEventId: 'dis-1', reason: 'entered in error' };
    const state = stateFrom([...SCENARIO_B.events, ...caseManager, discharge, retract]);
    expect(state.cases['pat-b']!.facts.some((f) => f.eventId === 'dis-1')).toBe(false);
    expect(worklist(state, 'cm-1', '2026-11-21T15:00:00Z', config)).toEqual([]);
  });

  it('closing a case cancels every open milestone, so nobody is reminded', () => {
    const closed: CareEventInput = { id: 'c-1', tenantId: T, patientId: 'pat-b', type: 'case.closed', at: '2026-11-21T00:00:00Z', reason: 'transferred out' };
    const state = stateFrom([...SCENARIO_B.events, closed]);
    for (const owner of ['ther-2', 'pres-1', 'ur-1']) expect(worklist(state, owner, '2026-11-23T15:00:00Z', config)).toEqual([]);
  });
});

describe('patient.patched keeps what the patch leaves out', () => {
  it('does not reset programs when the patch names none', () => {
    const registered: CareEventInput = { id: 'reg', tenantId: T, patientId: 'pat-z', type: 'patient.registered', at: '2026-11-01T00:00:00Z', patient: { tenantId: T, id: 'pat-z', displayToken: 'Z ·1', timeZone: 'UTC', programs: ['iop'] } };
    const patch: CareEventInput = { id: 'pz', tenantId: T, patientId: 'pat-z', type: 'patient.patched', at: '2026-11-02T00:00:00Z', patch: { payer: 'aetna' } };
    expect(stateFrom([registered, patch]).cases['pat-z']!.patient).toMatchObject({ programs: ['iop'], payer: 'aetna' });
  });
});

describe('closed cases stay closed', () => {
  it('facts arriving after closure (an older encounter read late) schedule nothing; an explicit milestone reopens', () => {
    const closed: CareEventInput = { id: 'c-2', tenantId: T, patientId: 'pat-b', type: 'case.closed', at: '2026-11-19T00:00:00Z', reason: 'deceased' };
    const state = stateFrom([...SCENARIO_B.events, ...caseManager, closed, discharge]);
    expect(Object.values(state.cases['pat-b']!.milestones).filter((m) => m.status === 'scheduled')).toEqual([]);
    const reopened = stateFrom([...SCENARIO_B.events, closed, { id: 'm-new', tenantId: T, patientId: 'pat-b', type: 'milestone.scheduled', at: '2026-12-01T00:00:00Z', milestone: { id: 'auth-b2', kind: 'authorization_review', dueAt: '2026-12-20T20:00:00Z' } }]);
    expect(reopened.cases['pat-b']!.closedAt).toBeUndefined();
    expect(reopened.cases['pat-b']!.milestones['auth-b2']?.status).toBe('scheduled');
  });
});
