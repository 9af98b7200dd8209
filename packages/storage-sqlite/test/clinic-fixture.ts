import type { CareEventInput } from '@carerelay/core';
import type { CoordinatorOptions } from '@carerelay/engine';

/** The synthetic clinic's tenant (crash test and benchmarks). */
export const CLINIC_TENANT = 'clinic-synthetic';
/** When the events are ingested: Monday, before any escalation step is due. */
export const T_SETUP = '2026-11-16T15:00:00.000Z';
/**
 * When the workers run: Wednesday 25 Nov, 14:00 Chicago. The notice, reminder and urgent steps of Thursday's and
 * Friday's reviews are due; nothing falls due in the following hour, so later incarnations (whose clocks step
 * past the dead worker's leases) see the same work.
 */
export const T_RUN = '2026-11-25T20:00:00.000Z';
/** Each incarnation's clock is this much later than the previous one's: past every lease the dead one held. */
export const INCARNATION_STEP_MS = 2_000;
/** Case and outbox leases in the workers. */
export const LEASE_MS = 1_000;

const weekdays = [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '08:00', durationMinutes: 10 * 60 }];
const THERAPISTS = 24;
const PRESCRIBERS = 12;
const UR_COORDINATORS = 6;

/** The staff: therapists, prescribers and UR coordinators in Chicago, one supervisor. */
function staffEvents(): CareEventInput[] {
  const owner = (id: string, role: string): CareEventInput => ({
    id: `evt-owner-${id}`,
    tenantId: CLINIC_TENANT,
    type: 'owner.upserted',
    at: '2026-11-01T00:00:00Z',
    owner: { tenantId: CLINIC_TENANT, id, role, timeZone: 'America/Chicago', workingHours: weekdays, supervisorId: 'sup-1' },
  });
  return [
    owner('sup-1', 'supervisor'),
    ...Array.from({ length: THERAPISTS }, (_, i) => owner(`ther-${i}`, 'therapist')),
    ...Array.from({ length: PRESCRIBERS }, (_, i) => owner(`pres-${i}`, 'prescriber')),
    ...Array.from({ length: UR_COORDINATORS }, (_, i) => owner(`ur-${i}`, 'ur_coordinator')),
  ];
}

/**
 * One patient's events: a care team of three, facts that give the therapist and the prescriber review items,
 * an authorization review on Thursday or Friday (at one of several hours, so messages fall in different digest
 * windows) and the authorization's expiry the day after, which the UR coordinator owns.
 */
function patientEvents(index: number): CareEventInput[] {
  const patientId = `pat-${index}`;
  const base = { tenantId: CLINIC_TENANT, patientId, at: '2026-11-02T15:00:00Z' };
  const id = (suffix: string) => `evt-${patientId}-${suffix}`;
  const day = 26 + (index % 2);
  const hour = 15 + (index % 6);
  const review = `2026-11-${day}T${hour}:00:00Z`;
  const expiry = `2026-11-${day + 1}T${hour}:00:00Z`;
  return [
    {
      ...base,
      id: id('registered'),
      type: 'patient.registered',
      patient: { tenantId: CLINIC_TENANT, id: patientId, displayToken: `P.${index % 26} ·${1000 + index}`, timeZone: 'America/Chicago', birthDate: '1985-03-01', payer: 'aetna', levelOfCare: 'outpatient' },
    },
    { ...base, id: id('ther'), type: 'careteam.assigned', member: { ownerId: `ther-${index % THERAPISTS}`, role: 'therapist' } },
    { ...base, id: id('pres'), type: 'careteam.assigned', member: { ownerId: `pres-${index % PRESCRIBERS}`, role: 'prescriber' } },
    { ...base, id: id('ur'), type: 'careteam.assigned', member: { ownerId: `ur-${index % UR_COORDINATORS}`, role: 'ur_coordinator' } },
    { ...base, id: id('group'), type: 'fact.recorded', fact: { kind: 'service', service: 'group_therapy' } },
    { ...base, id: id('medmgmt'), type: 'fact.recorded', fact: { kind: 'service', service: 'medication_management' } },
    { ...base, id: id('med'), type: 'fact.recorded', fact: { kind: 'medication_change', medication: 'sertraline', change: 'start', toDose: '50 mg' } },
    { ...base, id: id('review'), type: 'milestone.scheduled', milestone: { id: `auth-review-${patientId}`, kind: 'authorization_review', dueAt: review } },
    { ...base, id: id('expiry'), type: 'milestone.scheduled', milestone: { id: `auth-expiry-${patientId}`, kind: 'authorization_expiry', dueAt: expiry } },
  ];
}

/** Every event of the synthetic clinic: staff, then `patients` patients (ids `pat-0` …). */
export function clinicEvents(patients: number): CareEventInput[] {
  return [...staffEvents(), ...Array.from({ length: patients }, (_, i) => patientEvents(i))].flat();
}

/**
 * Coordinator settings shared by the reference run and the workers: short leases (the next incarnation's clock
 * is past them), a budget that never holds a message (budgets are per process and would differ across
 * restarts), small batches (more claims to interrupt), and the given digest window.
 */
export function crashCoordinatorSettings(
  digestWindowMinutes: number,
): Pick<CoordinatorOptions, 'tenantId' | 'caseLeaseMs' | 'outboxLeaseMs' | 'dailyBudget' | 'caseBatchSize' | 'outboxBatchSize' | 'digestWindowMinutes'> {
  return {
    tenantId: CLINIC_TENANT,
    caseLeaseMs: LEASE_MS,
    outboxLeaseMs: LEASE_MS,
    dailyBudget: 1000,
    caseBatchSize: 25,
    outboxBatchSize: 25,
    digestWindowMinutes,
  };
}
