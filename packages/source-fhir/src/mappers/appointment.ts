import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';
import { retractFact } from './retraction.js';

const STATUS = { booked: 'booked', arrived: 'kept', 'checked-in': 'kept', fulfilled: 'kept', noshow: 'no_show', cancelled: 'cancelled' } as const;

/**
 * Appointment → an `appointment` fact: booked; kept (arrived, checked-in, fulfilled — a kept visit meets open
 * follow-up and access milestones in core); no-show (two within 30 days schedule an engagement check); cancelled.
 * The patient and the owner come from `participant.actor`. An entered-in-error appointment retracts the status facts
 * it recorded (`fact.retracted`: a retracted no-show withdraws the engagement check it triggered; a milestone a
 * retracted visit met stays met). Proposed, pending and waitlisted appointments are out of scope.
 */
export function mapAppointment(m: ResourceMapping, appointment: ParsedResource<'Appointment'>): MapperResult {
  const enteredInError = appointment.status === 'entered-in-error';
  const status = STATUS[appointment.status as keyof typeof STATUS];
  if (status === undefined && !enteredInError) return { notRelevant: `appointment is ${appointment.status}` };
  let patientId: string | undefined;
  let ownerId: string | undefined;
  appointment.participant.forEach((participant, i) => {
    const asPatient = m.patientId(participant.actor);
    if (asPatient !== undefined) {
      patientId ??= asPatient;
      return;
    }
    const ref = participant.actor?.reference ?? '';
    if (ownerId !== undefined || !(/Practitioner(Role)?[/?]/.test(ref) || participant.actor?.identifier)) return;
    const resolved = m.owner(participant.actor, `participant.${i}.actor`);
    if ('ownerId' in resolved) ownerId = resolved.ownerId;
  });
  if (patientId === undefined) return { missingPatient: 'participant.actor' };
  if (status === undefined) {
    for (const recorded of new Set(Object.values(STATUS))) retractFact(m, patientId, m.factId('status', recorded), 'appointment entered in error');
    return undefined;
  }
  const start = m.time(appointment.start);
  const at =
    status === 'booked'
      ? m.timeOf('booking', [appointment.created])
      : status === 'cancelled'
        ? m.timeOf('cancellation', [])
        : m.timeOf('visit', [appointment.start, appointment.end]);
  m.emit({
    id: m.factId('status', status),
    type: 'fact.recorded',
    patientId,
    at,
    fact: { kind: 'appointment', appointmentId: appointment.id, status, ...(start === undefined ? {} : { start }), ...(ownerId === undefined ? {} : { ownerId }) },
  });
  return undefined;
}
