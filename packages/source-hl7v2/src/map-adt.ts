import type { CareEventInput, CareRelayError, Instant } from '@carerelay/core';
import { diagnosisEvents, isMentalHealthStay } from './map-diagnoses.js';
import { patientFrom, patientIdFrom } from './map-patient.js';
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

/**
 * Maps ADT A01/A02/A03/A04/A08 to a patient event (`patient.registered` for A01/A04, `patient.updated` otherwise),
 * one diagnosis fact per mapped DG1, and — for admit, transfer, discharge, and emergency registrations — a
 * `transition` fact whose setting comes from PV1-2. A11/A13 (cancels) give no events and a
 * `cancel_not_expressible` warning: the core model has no event that retracts a transition.
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

  if (trigger === 'A11' || trigger === 'A13') {
    const encounterId = pv1?.visitNumber?.id;
    ctx.warnings.push({
      code: 'cancel_not_expressible',
      path: 'MSH-9.2',
      value: trigger,
      message:
        trigger === 'A11'
          ? 'cancel admit: CareRelay has no event that retracts an admission; nothing was changed'
          : 'cancel discharge: CareRelay has no event that retracts a discharge; follow-up milestones it started stay open',
      refs: { patientId, ...(encounterId === undefined ? {} : { encounterId }) },
    });
    return { ok: true, events: [] };
  }

  const transition = transitionOf(ctx, trigger, pv1);
  if ((trigger === 'A01' || trigger === 'A02' || trigger === 'A03') && pv1 === undefined) {
    return { ok: false, error: mappingError('PV1', `segment missing: ADT ${trigger} needs the visit`) };
  }
  if (transition !== undefined && trigger !== 'A04' && pv1?.patientClass === undefined) {
    return { ok: false, error: mappingError('PV1-2', 'patient class missing') };
  }

  const events: CareEventInput[] = [];
  events.push({
    id: ctx.eventId('patient'),
    tenantId: ctx.tenantId,
    patientId,
    type: trigger === 'A01' || trigger === 'A04' ? 'patient.registered' : 'patient.updated',
    at,
    patient: patientFrom(ctx, patientId, pid!, pv1),
  });
  const diagnoses = diagnosisEvents(ctx, patientId, at);
  events.push(...diagnoses.events);

  if (transition !== undefined && pv1 !== undefined && pv1.patientClass !== undefined) {
    const found = ctx.tables.patientClass(pv1.patientClass);
    if (found.kind === 'unmapped') {
      ctx.warnings.push({ code: 'unmapped_code', path: 'PV1-2', value: pv1.patientClass.slice(0, 64), message: `patient class is not in the patient-class table; no ${transition} fact was recorded` });
    } else if (found.kind === 'mapped') {
      const encounterId = pv1.visitNumber?.id;
      const usableEncounter = encounterId !== undefined && encounterId.length <= 200 ? encounterId : undefined;
      if (encounterId !== undefined && usableEncounter === undefined) ctx.warnings.push({ code: 'missing_field', path: 'PV1-19', message: 'visit number longer than 200 characters; left out' });
      events.push({
        id: ctx.eventId('transition'),
        tenantId: ctx.tenantId,
        patientId,
        type: 'fact.recorded',
        at: transitionInstant(ctx, transition, pv1, evn?.occurredDateTime, at),
        fact: {
          kind: 'transition',
          transition,
          setting: found.value,
          mentalHealth: isMentalHealthStay(ctx, pv1, diagnoses.categories),
          ...(usableEncounter === undefined ? {} : { encounterId: usableEncounter }),
        },
      });
    }
  }
  return { ok: true, events };
}
