import type { CareEventInput } from '@carerelay/core';
import { CLINIC_TENANT, clinicEvents } from './clinic-fixture.js';

/**
 * Patients per owner in the crash test's staff, per role. With digests on, each owner gets one digest carrying
 * one notification per patient: pairs (therapists), fours (prescribers) and forties (UR coordinators, larger than
 * the workers' claim batch of 25, so a claim must grow to take one whole). Many small digests give the test many
 * messages to be killed between — and claim batches that cut digests in two.
 */
const PATIENTS_PER_OWNER = { therapist: 2, prescriber: 4, ur_coordinator: 40 } as const;
const PREFIX = { therapist: 'ther', prescriber: 'pres', ur_coordinator: 'ur' } as const;
type Role = keyof typeof PATIENTS_PER_OWNER;

const weekdays = [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '08:00', durationMinutes: 10 * 60 }];

function owner(id: string, role: string): CareEventInput {
  return {
    id: `evt-owner-${id}`,
    tenantId: CLINIC_TENANT,
    type: 'owner.upserted',
    at: '2026-11-01T00:00:00Z',
    owner: { tenantId: CLINIC_TENANT, id, role, timeZone: 'America/Chicago', workingHours: weekdays, supervisorId: 'sup-1' },
  };
}

/**
 * The synthetic clinic of `clinic-fixture.ts` (the same patients, facts and milestones), with its care teams
 * spread over a staff sized to the patients by {@link PATIENTS_PER_OWNER}.
 */
export function crashClinicEvents(patients: number): CareEventInput[] {
  const staff: CareEventInput[] = [owner('sup-1', 'supervisor')];
  for (const role of Object.keys(PATIENTS_PER_OWNER) as Role[]) {
    const count = Math.ceil(patients / PATIENTS_PER_OWNER[role]);
    for (let i = 0; i < count; i++) staff.push(owner(`${PREFIX[role]}-${i}`, role));
  }
  const patientEvents = clinicEvents(patients)
    .filter((event) => event.type !== 'owner.upserted')
    .map((event) => {
      if (event.type !== 'careteam.assigned') return event;
      const role = event.member.role as Role;
      const index = Number(event.patientId.slice('pat-'.length));
      return { ...event, member: { ...event.member, ownerId: `${PREFIX[role]}-${Math.floor(index / PATIENTS_PER_OWNER[role])}` } };
    });
  return [...staff, ...patientEvents];
}
