import type { CareEventInput, CareRelayError, Instant } from '@carerelay/core';
import { hl7RegistrationId } from './event-ids.js';
import { diagnosisEvents, isMentalHealthStay } from './map-diagnoses.js';
import { patientIdFrom, patientPatchFrom, registeredPatientFrom } from './map-patient.js';
import { mappingError, unsupportedError, type MappingContext } from './mapping-context.js';
import { readEvn } from './segments/evn.js';
import { readPid } from './segments/pid.js';
import { readPv1, type Pv1Segment } from './segments/pv1.js';

/** ADT trigger events this source maps, and what each means. */
export const ADT_TRIGGERS = {
  A01: 'admit',
  A02: 'transfer',
  A03: 'discharge',
  A04: 'register',
  A08: 'update',
  A11: 'cancel admit',
  A13: 'cancel discharge',
} as const;
/** A supported ADT trigger event. */
export type AdtTrigger = keyof typeof ADT_TRIGGERS;

const isAdtTrigger = (trigger: string): trigger is AdtTrigger => Object.hasOwn(ADT_TRIGGERS, trigger);

/** Events (or the error) of one message. */
export type MessageMapping = { ok: true; events: CareEventInput[] } | { ok: false; error: CareRelayError };

type Transition = 'admission' | 'transfer' | 'discharge';
type CancelledTransition = 'admission_cancelled' | 'discharge_cancelled';

function transitionOf(ctx: MappingContext, trigger: AdtTrigger, pv1: Pv1Segment | undefined): Transition | undefined {
  switch (trigger) {
    case 'A01':
      return 'admission';
    case 'A02':
      return 'transfer';
    case 'A03':
      return 'discharge';
    case 'A04': {
      const patientClass = pv1?.patientClass;
      if (patientClass === undefined) return undefined;
      const found = ctx.tables.patientClass(patientClass);
      return found.kind === 'mapped' && ctx.config.registrationAdmitsTo.includes(found.value) ? 'admission' : undefined;
    }
    default:
      return undefined;
  }
}

function transitionInstant(ctx: MappingContext, transition: Transition, pv1: Pv1Segment, occurred: string | undefined, fallback: Instant): Instant {
  const own: Array<readonly [string, string | undefined]> =
    transition === 'admission' ? [['PV1-44', pv1.admitDateTime]] : transition === 'discharge' ? [['PV1-45', pv1.dischargeDateTime]] : [];
  return ctx.firstInstant([...own, ['EVN-6', occurred]]) ?? fallback;
}

/** PV1-19 visit number as a CareRelay encounter id; warns (and gives undefined) when it is too long to be one. */
function encounterIdOf(ctx: MappingContext, pv1: Pv1Segment): string | undefined {
  const encounterId = pv1.visitNumber?.id;
  if (encounterId === undefined || encounterId.length <= 200) return encounterId;
  ctx.warnings.push({ code: 'missing_field', path: 'PV1-19', message: 'visit number longer than 200 characters; left out' });
  return undefined;
}

/** The setting PV1-2 maps to, or undefined with an `unmapped_code` warning naming what was not recorded. */
function settingOf(ctx: MappingContext, pv1: Pv1Segment, patientClass: string, what: string): string | undefined {
  const found = ctx.tables.patientClass(patientClass);
  if (found.kind === 'mapped') return found.value;
  if (found.kind === 'unmapped') {
    ctx.warnings.push({ code: 'unmapped_code', path: 'PV1-2', value: patientClass.slice(0, 64), message: `patient class is not in the patient-class table; no ${what} fact was recorded` });
  }
  return undefined;
}

/**
 * A11 (cancel admit) / A13 (cancel discharge): one `transition` fact `admission_cancelled` / `discharge_cancelled`
 * for the visit in PV1-19, which core reduces by withdrawing the open milestones that visit's admission or
 * discharge scheduled. The visit and its patient class are read as for A01/A03; without a visit number nothing can
 * be withdrawn, so no event is given and a `missing_field` warning carries the patient id.
 */
function mapCancel(ctx: MappingContext, trigger: 'A11' | 'A13', patientId: string, at: Instant): MessageMapping {
  const pv1 = readPv1(ctx.message);
  if (pv1 === undefined) return { ok: false, error: mappingError('PV1', `segment missing: ADT ${trigger} needs the visit it cancels`) };
  if (pv1.patientClass === undefined) return { ok: false, error: mappingError('PV1-2', 'patient class missing') };
  const transition: CancelledTransition = trigger === 'A11' ? 'admission_cancelled' : 'discharge_cancelled';
  const encounterId = encounterIdOf(ctx, pv1);
  if (encounterId === undefined) {
    ctx.warnings.push({
      code: 'missing_field',
      path: 'PV1-19',
      message: `${ADT_TRIGGERS[trigger]} without a usable visit number: CareRelay cannot tell which follow-ups to withdraw; nothing was changed`,
      refs: { patientId },
    });
    return { ok: true, events: [] };
  }
  const setting = settingOf(ctx, pv1, pv1.patientClass, transition);
  if (setting === undefined) return { ok: true, events: [] };
  return {
    ok: true,
    events: [
      {
        id: ctx.eventId('transition'),
        tenantId: ctx.tenantId,
        patientId,
        type: 'fact.recorded',
        at: ctx.firstInstant([['EVN-6', readEvn(ctx.message)?.occurredDateTime]]) ?? at,
        fact: { kind: 'transition', transition, setting, mentalHealth: isMentalHealthStay(ctx, pv1, []), encounterId },
      },
    ],
  };
}

/**
 * Maps ADT messages to CareRelay events:
 *
 * - A01/A04 (admit, register): `patient.registered` with the complete record under a per-patient id
 *   ({@link hl7RegistrationId}: only a patient's first registration is applied by an id-idempotent store), then
 *   `patient.patched` with the fields this message states, so a repeated registration updates without replacing.
 * - A02/A03/A08 (transfer, discharge, update): `patient.patched` with only the fields the message states — never
 *   a whole record, so programs, level of care and whatever else other sources set are kept.
 * - one diagnosis fact per mapped DG1, and — for admit, transfer, discharge, and emergency registrations — a
 *   `transition` fact whose setting comes from PV1-2 and encounter from PV1-19.
 * - A11/A13 (cancel admit / discharge): an `admission_cancelled` / `discharge_cancelled` transition for the visit.
 */
export function mapAdt(ctx: MappingContext): MessageMapping {
  const trigger = ctx.msh.triggerEvent;
  if (!isAdtTrigger(trigger)) {
    return { ok: false, error: unsupportedError('MSH-9.2', `ADT trigger event ${trigger} is not supported (supported: ${Object.keys(ADT_TRIGGERS).join(', ')})`) };
  }
  const pid = readPid(ctx.message);
  const pv1 = readPv1(ctx.message);
  const evn = readEvn(ctx.message);
  const id = patientIdFrom(ctx, pid);
  if (!id.ok) return id;
  const patientId = id.patientId;
  const at = ctx.firstInstant([
    ['EVN-2', evn?.recordedDateTime],
    ['MSH-7', ctx.msh.dateTime],
  ]);
  if (at === undefined) return { ok: false, error: mappingError('MSH-7', 'message date/time missing or invalid (and no EVN-2)') };

  if (trigger === 'A11' || trigger === 'A13') return mapCancel(ctx, trigger, patientId, at);

  const transition = transitionOf(ctx, trigger, pv1);
  if ((trigger === 'A01' || trigger === 'A02' || trigger === 'A03') && pv1 === undefined) {
    return { ok: false, error: mappingError('PV1', `segment missing: ADT ${trigger} needs the visit`) };
  }
  if (transition !== undefined && trigger !== 'A04' && pv1?.patientClass === undefined) {
    return { ok: false, error: mappingError('PV1-2', 'patient class missing') };
  }

  const events: CareEventInput[] = [];
  const patch = patientPatchFrom(ctx, pid!, pv1);
  if (trigger === 'A01' || trigger === 'A04') {
    events.push({
      id: hl7RegistrationId(ctx.tenantId, patientId),
      tenantId: ctx.tenantId,
      patientId,
      type: 'patient.registered',
      at,
      patient: registeredPatientFrom(ctx, patientId, pid!, patch),
    });
  }
  if (Object.keys(patch).length > 0) {
    events.push({ id: ctx.eventId('patient'), tenantId: ctx.tenantId, patientId, type: 'patient.patched', at, patch });
  }
  const diagnoses = diagnosisEvents(ctx, patientId, at);
  events.push(...diagnoses.events);

  if (transition !== undefined && pv1 !== undefined && pv1.patientClass !== undefined) {
    const setting = settingOf(ctx, pv1, pv1.patientClass, transition);
    if (setting !== undefined) {
      const encounterId = encounterIdOf(ctx, pv1);
      events.push({
        id: ctx.eventId('transition'),
        tenantId: ctx.tenantId,
        patientId,
        type: 'fact.recorded',
        at: transitionInstant(ctx, transition, pv1, evn?.occurredDateTime, at),
        fact: {
          kind: 'transition',
          transition,
          setting,
          mentalHealth: isMentalHealthStay(ctx, pv1, diagnoses.categories),
          ...(encounterId === undefined ? {} : { encounterId }),
        },
      });
    }
  }
  return { ok: true, events };
}
