import type { CareEventInput } from '@carerelay/core';

/** The staff of a simulated clinic: always working (no working hours), so delivery never waits for a window. */
export interface StaffCounts {
  therapists: number;
  prescribers: number;
  urCoordinators: number;
  supervisors: number;
}

/** Default staff: enough owners that no daily budget is reached. */
export const DEFAULT_STAFF: StaffCounts = { therapists: 100, prescribers: 50, urCoordinators: 30, supervisors: 10 };

const pad = (n: number) => String(n).padStart(5, '0');

/** `owner.upserted` events for the staff. Owners have no working hours (always working) and time zone UTC. */
export function staffEvents(tenantId: string, staff: StaffCounts = DEFAULT_STAFF, at = '2026-10-01T00:00:00Z'): CareEventInput[] {
  const owner = (id: string, role: string, supervisorId?: string): CareEventInput => ({
    id: `evt-owner-${id}`,
    tenantId,
    type: 'owner.upserted',
    at,
    owner: { tenantId, id, role, timeZone: 'UTC', ...(supervisorId === undefined ? {} : { supervisorId }) },
  });
  const events: CareEventInput[] = [];
  const supervisor = (i: number) => `sup-${i % staff.supervisors}`;
  for (let i = 0; i < staff.supervisors; i++) events.push(owner(`sup-${i}`, 'supervisor'));
  for (let i = 0; i < staff.therapists; i++) events.push(owner(`ther-${i}`, 'therapist', supervisor(i)));
  for (let i = 0; i < staff.prescribers; i++) events.push(owner(`pres-${i}`, 'prescriber', supervisor(i)));
  for (let i = 0; i < staff.urCoordinators; i++) events.push(owner(`ur-${i}`, 'ur_coordinator', supervisor(i)));
  return events;
}

/**
 * One adolescent patient in individual therapy and medication management (scenario B of the testkit), with an
 * authorization review due at `dueAt` (the default rule pack gives the therapist and the prescriber work for it)
 * and the authorization's expiry a day later (the UR coordinator's renewal). With the default four-step policy
 * that is 12 notifications per case over the week before. No PHI: a synthetic display token and no name.
 */
export function caseEvents(tenantId: string, index: number, dueAt: string, staff: StaffCounts = DEFAULT_STAFF, at = '2026-10-01T00:00:00Z'): CareEventInput[] {
  const expiryAt = new Date(Date.parse(dueAt) + 86_400_000).toISOString();
  const patientId = `pat-${pad(index)}`;
  const base = { tenantId, patientId, at };
  const id = (suffix: string) => `${patientId}-${suffix}`;
  return [
    { ...base, id: id('reg'), type: 'patient.registered', patient: { tenantId, id: patientId, displayToken: `P.${pad(index)}`, timeZone: 'UTC', birthDate: '2011-05-03', payer: 'medicaid', levelOfCare: 'outpatient' } },
    { ...base, id: id('ther'), type: 'careteam.assigned', member: { ownerId: `ther-${index % staff.therapists}`, role: 'therapist' } },
    { ...base, id: id('pres'), type: 'careteam.assigned', member: { ownerId: `pres-${index % staff.prescribers}`, role: 'prescriber' } },
    { ...base, id: id('ur'), type: 'careteam.assigned', member: { ownerId: `ur-${index % staff.urCoordinators}`, role: 'ur_coordinator' } },
    { ...base, id: id('svc1'), type: 'fact.recorded', fact: { kind: 'service', service: 'individual_therapy' } },
    { ...base, id: id('svc2'), type: 'fact.recorded', fact: { kind: 'service', service: 'medication_management' } },
    { ...base, id: id('med'), type: 'fact.recorded', fact: { kind: 'medication_change', medication: 'escitalopram', change: 'start', toDose: '10 mg' } },
    { ...base, id: id('auth'), type: 'milestone.scheduled', milestone: { id: `auth-${patientId}`, kind: 'authorization_review', dueAt, label: 'Authorization review', payer: 'medicaid' } },
    { ...base, id: id('exp'), type: 'milestone.scheduled', milestone: { id: `exp-${patientId}`, kind: 'authorization_expiry', dueAt: expiryAt, label: 'Authorization expiry', payer: 'medicaid' } },
  ];
}

/** Review deadline of simulated case `index`: six days after `t0`, spread over 48 hours. */
export function reviewDueAt(t0: string, index: number): string {
  return new Date(Date.parse(t0) + 6 * 86_400_000 + (index % 48) * 3_600_000).toISOString();
}

/** The events of simulated cases `from` (inclusive) to `to` (exclusive), deadlines from {@link reviewDueAt}. */
export function simulatedCaseEvents(tenantId: string, t0: string, from: number, to: number): CareEventInput[] {
  const events: CareEventInput[] = [];
  for (let i = from; i < to; i++) events.push(...caseEvents(tenantId, i, reviewDueAt(t0, i)));
  return events;
}
