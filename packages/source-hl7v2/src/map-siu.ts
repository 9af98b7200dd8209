import type { CareEventInput } from '@carerelay/core';
import type { MessageMapping } from './map-adt.js';
import { patientIdFrom } from './map-patient.js';
import { mappingError, unsupportedError, type MappingContext } from './mapping-context.js';
import { readAils } from './segments/ail.js';
import { readAips, type AipSegment } from './segments/aip.js';
import { readAiss } from './segments/ais.js';
import { readPid } from './segments/pid.js';
import { readSch } from './segments/sch.js';
import { readTq1 } from './segments/tq1.js';

/** SIU trigger events this source maps, and what each means. */
export const SIU_TRIGGERS = {
  S12: 'booked',
  S13: 'rescheduled',
  S14: 'modified',
  S15: 'cancelled',
  S17: 'deleted',
  S26: 'no-show',
} as const;
/** A supported SIU trigger event. */
export type SiuTrigger = keyof typeof SIU_TRIGGERS;

type AppointmentStatus = 'booked' | 'kept' | 'no_show' | 'cancelled';

const isSiuTrigger = (trigger: string): trigger is SiuTrigger => Object.hasOwn(SIU_TRIGGERS, trigger);

/** SCH-25 filler status (HL7 table 0278) → appointment status, used to refine an S14 modification. */
const FILLER_STATUS: Readonly<Record<string, AppointmentStatus>> = {
  BOOKED: 'booked',
  OVERBOOK: 'booked',
  PENDING: 'booked',
  STARTED: 'booked',
  COMPLETE: 'kept',
  NOSHOW: 'no_show',
  CANCELLED: 'cancelled',
  DELETED: 'cancelled',
};

function statusOf(trigger: SiuTrigger, fillerStatus: string | undefined): AppointmentStatus {
  switch (trigger) {
    case 'S12':
    case 'S13':
      return 'booked';
    case 'S14':
      return (fillerStatus !== undefined ? FILLER_STATUS[fillerStatus.toUpperCase()] : undefined) ?? 'booked';
    case 'S15':
    case 'S17':
      return 'cancelled';
    case 'S26':
      return 'no_show';
  }
}

/** The personnel whose role maps, else the first with an id; warns once per unmapped role code. */
function ownerOf(ctx: MappingContext, aips: readonly AipSegment[]): { owner?: AipSegment; assigned: Array<{ aip: AipSegment; role: string }> } {
  const assigned: Array<{ aip: AipSegment; role: string }> = [];
  const warned = new Set<string>();
  for (const aip of aips) {
    if (aip.personnel?.id === undefined || aip.actionCode?.toUpperCase() === 'D') continue;
    const roleCode = aip.role?.code;
    if (roleCode === undefined) continue;
    const found = ctx.tables.role(roleCode);
    if (found.kind === 'mapped') assigned.push({ aip, role: found.value });
    else if (found.kind === 'unmapped' && !warned.has(roleCode)) {
      warned.add(roleCode);
      ctx.warnings.push({ code: 'unmapped_code', path: `AIP[${aip.position}]-4`, value: roleCode.slice(0, 64), message: 'resource role is not in the role table' });
    }
  }
  const owner = assigned[0]?.aip ?? aips.find((aip) => aip.personnel?.id !== undefined && aip.actionCode?.toUpperCase() !== 'D');
  return { ...(owner === undefined ? {} : { owner }), assigned };
}

/**
 * Maps SIU S12 (booked), S13 (rescheduled: booked with the new start), S14 (modified: booked, or the SCH-25 filler
 * status when it says complete/no-show/cancelled), S15 and S17 (cancelled/deleted) and S26 (no-show) to one
 * `appointment` fact. The appointment id is SCH-2 (filler) or SCH-1 (placer); the start is TQ1-7, SCH-11.4, or the
 * first AIS/AIP/AIL start; the owner is the AIP whose role maps (else the first AIP). With a service table, a
 * booked appointment whose AIS-3, SCH-8 or SCH-7 code maps also records a `service` enrollment.
 */
export function mapSiu(ctx: MappingContext): MessageMapping {
  const trigger = ctx.msh.triggerEvent;
  if (!isSiuTrigger(trigger)) {
    return { ok: false, error: unsupportedError('MSH-9.2', `SIU trigger event ${trigger} is not supported (supported: ${Object.keys(SIU_TRIGGERS).join(', ')})`) };
  }
  const sch = readSch(ctx.message);
  if (!sch) return { ok: false, error: mappingError('SCH', 'segment missing: an SIU message needs the appointment') };
  const appointmentId = sch.fillerAppointmentId ?? sch.placerAppointmentId;
  if (appointmentId === undefined) return { ok: false, error: mappingError('SCH-2', 'appointment id missing (neither SCH-2 nor SCH-1)') };
  if (appointmentId.length > 200) return { ok: false, error: mappingError('SCH-2', 'appointment id longer than 200 characters') };
  const id = patientIdFrom(ctx, readPid(ctx.message));
  if (!id.ok) return id;
  const patientId = id.patientId;
  const at = ctx.firstInstant([['MSH-7', ctx.msh.dateTime]]);
  if (at === undefined) return { ok: false, error: mappingError('MSH-7', 'message date/time missing or invalid') };

  const aips = readAips(ctx.message);
  const ais = readAiss(ctx.message);
  const start = ctx.firstInstant([
    ['TQ1-7', readTq1(ctx.message)?.startDateTime],
    ['SCH-11.4', sch.timingStart],
    ['AIS-4', ais[0]?.startDateTime],
    ['AIP-6', aips[0]?.startDateTime],
    ['AIL-6', readAils(ctx.message)[0]?.startDateTime],
  ]);
  if (start === undefined) ctx.warnings.push({ code: 'missing_field', path: 'TQ1-7', message: 'appointment start missing (TQ1-7, SCH-11.4, AIS-4, AIP-6, AIL-6)' });
  const status = statusOf(trigger, sch.fillerStatus);
  const { owner, assigned } = ownerOf(ctx, aips);
  const ownerId = owner?.personnel?.id === undefined ? undefined : `${ctx.config.ownerIdPrefix}${owner.personnel.id}`;
  const usableOwner = ownerId !== undefined && ownerId.length <= 200 ? ownerId : undefined;

  const base = { tenantId: ctx.tenantId, patientId, at } as const;
  const events: CareEventInput[] = [
    {
      ...base,
      id: ctx.eventId('appointment'),
      type: 'fact.recorded',
      fact: {
        kind: 'appointment',
        appointmentId,
        status,
        ...(start === undefined ? {} : { start }),
        ...(usableOwner === undefined ? {} : { ownerId: usableOwner }),
      },
    },
  ];

  if (status === 'booked' && ctx.tables.service) {
    const lookup = ctx.tables.service;
    const codes = [ais[0]?.service?.code, sch.appointmentType?.code, sch.appointmentReason?.code].filter((c): c is string => c !== undefined);
    let decided = false;
    for (const code of codes) {
      const found = lookup(code);
      if (found.kind === 'unmapped') continue;
      decided = true;
      if (found.kind === 'mapped') events.push({ ...base, id: ctx.eventId('service'), type: 'fact.recorded', fact: { kind: 'service', service: found.value, status: 'enrolled' } });
      break;
    }
    if (!decided && codes.length > 0) {
      ctx.warnings.push({ code: 'unmapped_code', path: 'AIS-3', value: codes.join(' / ').slice(0, 200), message: 'no appointment service code (AIS-3, SCH-8, SCH-7) is in the service table' });
    }
  }

  if (ctx.config.assignCareTeamFromAppointments && status === 'booked') {
    for (const { aip, role } of assigned) {
      const memberId = `${ctx.config.ownerIdPrefix}${aip.personnel!.id!}`;
      if (memberId.length > 200) continue;
      events.push({ ...base, id: ctx.eventId(`careteam:${aip.position}`), type: 'careteam.assigned', member: { ownerId: memberId, role } });
    }
  }
  return { ok: true, events };
}
