import type { CareEventInput, OwnerInput } from '@carerelay/core';

/** A named, self-contained scenario: the events a clinic's EHR would send, in order. */
export interface Scenario {
  name: string;
  description: string;
  tenantId: string;
  patientId: string;
  events: CareEventInput[];
  /** Who is who, for printing walk-throughs. */
  people: Record<string, string>;
}

const TENANT = 'clinic-north';
const weekdays = (start: string, hours: number) => [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start, durationMinutes: hours * 60 }];

function owner(id: string, role: string, timeZone: string, extra: Partial<OwnerInput> = {}): CareEventInput {
  return {
    id: `evt-owner-${id}`,
    tenantId: TENANT,
    type: 'owner.upserted',
    at: '2026-11-01T00:00:00Z',
    owner: { tenantId: TENANT, id, role, timeZone, workingHours: weekdays('09:00', 8), ...extra },
  };
}

/** The clinic's staff, shared by both scenarios. */
export const STAFF_EVENTS: CareEventInput[] = [
  owner('sup-1', 'supervisor', 'America/Chicago', { name: 'Dana Supervisor' }),
  owner('ther-1', 'therapist', 'America/Chicago', { name: 'Avery Therapist', supervisorId: 'sup-1' }),
  owner('ther-2', 'therapist', 'America/New_York', { name: 'Blake Therapist', supervisorId: 'sup-1' }),
  owner('pres-1', 'prescriber', 'America/Los_Angeles', { name: 'Casey Prescriber', supervisorId: 'sup-1' }),
  owner('ur-1', 'ur_coordinator', 'America/Chicago', { name: 'Drew UR', supervisorId: 'sup-1' }),
];

/**
 * Scenario A: an adult with panic disorder; sertraline increased 50→100 mg nine days before Monday 23 Nov 2026;
 * enrolled in group therapy; authorization review Thursday 26 Nov 10:00 America/Chicago.
 * The therapist's guidance on Monday lists exactly three items, each naming Thursday's review.
 */
export const SCENARIO_A: Scenario = {
  name: 'A',
  description: 'Adult, panic disorder, sertraline 50→100 mg nine days ago, group therapy; review Thu 10:00 Chicago',
  tenantId: TENANT,
  patientId: 'pat-a',
  people: { 'ther-1': 'therapist', 'pres-1': 'prescriber', 'ur-1': 'UR coordinator', 'sup-1': 'supervisor' },
  events: [
    ...STAFF_EVENTS,
    { id: 'a-1', tenantId: TENANT, patientId: 'pat-a', type: 'patient.registered', at: '2026-10-01T15:00:00Z', patient: { tenantId: TENANT, id: 'pat-a', displayToken: 'J.D. ·4821', timeZone: 'America/Chicago', birthDate: '1988-04-12', payer: 'aetna', levelOfCare: 'outpatient', name: 'Jordan Doe' } },
    { id: 'a-2', tenantId: TENANT, patientId: 'pat-a', type: 'careteam.assigned', at: '2026-10-01T15:00:00Z', member: { ownerId: 'ther-1', role: 'therapist' } },
    { id: 'a-3', tenantId: TENANT, patientId: 'pat-a', type: 'careteam.assigned', at: '2026-10-01T15:00:00Z', member: { ownerId: 'pres-1', role: 'prescriber' } },
    { id: 'a-4', tenantId: TENANT, patientId: 'pat-a', type: 'careteam.assigned', at: '2026-10-01T15:00:00Z', member: { ownerId: 'ur-1', role: 'ur_coordinator' } },
    { id: 'a-5', tenantId: TENANT, patientId: 'pat-a', type: 'fact.recorded', at: '2026-10-01T15:00:00Z', fact: { kind: 'diagnosis', category: 'panic_disorder', code: 'F41.0', system: 'http://hl7.org/fhir/sid/icd-10-cm', display: 'Panic disorder' } },
    { id: 'a-6', tenantId: TENANT, patientId: 'pat-a', type: 'fact.recorded', at: '2026-10-05T15:00:00Z', fact: { kind: 'service', service: 'group_therapy' } },
    { id: 'a-7', tenantId: TENANT, patientId: 'pat-a', type: 'fact.recorded', at: '2026-10-01T15:00:00Z', fact: { kind: 'medication_change', medication: 'sertraline', change: 'start', toDose: '50 mg' } },
    { id: 'a-8', tenantId: TENANT, patientId: 'pat-a', type: 'milestone.scheduled', at: '2026-11-02T15:00:00Z', milestone: { id: 'auth-a-review', kind: 'authorization_review', dueAt: '2026-11-26T16:00:00Z', label: 'Aetna continued-stay review', payer: 'aetna' } },
    { id: 'a-9', tenantId: TENANT, patientId: 'pat-a', type: 'fact.recorded', at: '2026-11-14T17:00:00Z', fact: { kind: 'medication_change', medication: 'sertraline', change: 'increase', fromDose: '50 mg', toDose: '100 mg' } },
  ],
};

/**
 * Scenario B: an adolescent (15) in individual therapy and medication management on escitalopram 10 mg;
 * authorization due Friday 27 Nov 2026 15:00 America/New_York. The therapist owns coping-strategy progress and
 * school attendance; the prescriber owns medication response and side effects.
 */
export const SCENARIO_B: Scenario = {
  name: 'B',
  description: 'Adolescent (15), individual therapy + medication management on escitalopram 10 mg; due Fri 15:00 New York',
  tenantId: TENANT,
  patientId: 'pat-b',
  people: { 'ther-2': 'therapist', 'pres-1': 'prescriber', 'ur-1': 'UR coordinator', 'sup-1': 'supervisor' },
  events: [
    ...STAFF_EVENTS,
    { id: 'b-1', tenantId: TENANT, patientId: 'pat-b', type: 'patient.registered', at: '2026-09-01T14:00:00Z', patient: { tenantId: TENANT, id: 'pat-b', displayToken: 'M.R. ·1177', timeZone: 'America/New_York', birthDate: '2011-05-03', payer: 'medicaid', levelOfCare: 'outpatient', name: 'Morgan Reyes' } },
    { id: 'b-2', tenantId: TENANT, patientId: 'pat-b', type: 'careteam.assigned', at: '2026-09-01T14:00:00Z', member: { ownerId: 'ther-2', role: 'therapist' } },
    { id: 'b-3', tenantId: TENANT, patientId: 'pat-b', type: 'careteam.assigned', at: '2026-09-01T14:00:00Z', member: { ownerId: 'pres-1', role: 'prescriber' } },
    { id: 'b-4', tenantId: TENANT, patientId: 'pat-b', type: 'careteam.assigned', at: '2026-09-01T14:00:00Z', member: { ownerId: 'ur-1', role: 'ur_coordinator' } },
    { id: 'b-5', tenantId: TENANT, patientId: 'pat-b', type: 'fact.recorded', at: '2026-09-01T14:00:00Z', fact: { kind: 'service', service: 'individual_therapy' } },
    { id: 'b-6', tenantId: TENANT, patientId: 'pat-b', type: 'fact.recorded', at: '2026-09-01T14:00:00Z', fact: { kind: 'service', service: 'medication_management' } },
    { id: 'b-7', tenantId: TENANT, patientId: 'pat-b', type: 'fact.recorded', at: '2026-09-08T14:00:00Z', fact: { kind: 'medication_change', medication: 'escitalopram', change: 'start', toDose: '10 mg' } },
    { id: 'b-8', tenantId: TENANT, patientId: 'pat-b', type: 'milestone.scheduled', at: '2026-11-16T14:00:00Z', milestone: { id: 'auth-b', kind: 'authorization_review', dueAt: '2026-11-27T20:00:00Z', label: 'Medicaid authorization review', payer: 'medicaid' } },
  ],
};
