import type { CareRelayError, PatientInput } from '@carerelay/core';
import type { Hl7Identifier } from './datatypes.js';
import { displayTokenFor } from './display-token.js';
import { mappingError, type MappingContext } from './mapping-context.js';
import { readIn1s } from './segments/in1.js';
import type { PidSegment } from './segments/pid.js';
import type { Pv1Segment } from './segments/pv1.js';
import { hl7Date } from './timestamp.js';

/** The patient fields one message states: a partial patient, as `patient.patched` carries it. */
export type PatientPatch = Partial<Omit<PatientInput, 'tenantId' | 'id'>>;

/** The CareRelay patient id of a PID, or the error naming the PID field. */
export function patientIdFrom(ctx: MappingContext, pid: PidSegment | undefined): { ok: true; patientId: string } | { ok: false; error: CareRelayError } {
  if (!pid) return { ok: false, error: mappingError('PID', 'segment missing: the message names no patient') };
  const wanted = ctx.config.patientIdentifier;
  const sameCode = (a: string | undefined, b: string) => a !== undefined && a.toUpperCase() === b.toUpperCase();
  const matches = (cx: Hl7Identifier) =>
    sameCode(cx.typeCode, wanted.typeCode) && (wanted.assigningAuthority === undefined || sameCode(cx.assigningAuthority, wanted.assigningAuthority));
  let chosen = pid.identifiers.find(matches);
  if (!chosen) {
    if (wanted.assigningAuthority !== undefined) {
      return { ok: false, error: mappingError('PID-3', `no identifier of type ${wanted.typeCode} from the configured assigning authority`) };
    }
    chosen = pid.identifiers[0];
    if (chosen) {
      ctx.warnings.push({ code: 'missing_field', path: 'PID-3', message: `no identifier of type ${wanted.typeCode}; the first identifier was used` });
    } else if (pid.externalId) {
      chosen = pid.externalId;
      ctx.warnings.push({ code: 'missing_field', path: 'PID-3', message: 'empty; the external id (PID-2) was used' });
    }
  }
  if (!chosen) return { ok: false, error: mappingError('PID-3', 'patient identifier missing') };
  const patientId = `${wanted.prefix}${chosen.id}`;
  if (patientId.length > 200) return { ok: false, error: mappingError('PID-3', 'patient identifier longer than 200 characters') };
  return { ok: true, patientId };
}

/** The payer of the primary insurance (first IN1), mapped through the payer table; warns when unmapped. */
function payerFrom(ctx: MappingContext): string | undefined {
  const primary = readIn1s(ctx.message)[0];
  if (!primary) return undefined;
  const candidates = [primary.companyId?.id, primary.planId?.code, primary.companyName].filter((c): c is string => c !== undefined);
  for (const candidate of candidates) {
    const found = ctx.tables.payer(candidate);
    if (found.kind === 'mapped') return found.value;
    if (found.kind === 'ignored') return undefined;
  }
  if (candidates.length === 0) {
    ctx.warnings.push({ code: 'missing_field', path: 'IN1[1]-3', message: 'primary insurance has no company id, plan id or company name' });
  } else {
    ctx.warnings.push({ code: 'unmapped_code', path: 'IN1[1]-3', message: 'primary insurance payer is not in the payer table', value: candidates.join(' / ').slice(0, 200) });
  }
  return undefined;
}

function programsFrom(ctx: MappingContext, pv1: Pv1Segment | undefined): string[] {
  const program = ctx.tables.program;
  const service = pv1?.hospitalService;
  if (!program || service === undefined) return [];
  const found = program(service);
  if (found.kind === 'mapped') return [found.value];
  if (found.kind === 'unmapped') ctx.warnings.push({ code: 'unmapped_code', path: 'PV1-10', message: 'hospital service is not in the program table', value: service.slice(0, 64) });
  return [];
}

/**
 * The patient fields one message states — birth date and name (when `patientFields` lets them through), payer
 * (primary IN1, when mapped), programs (PV1-10, only when a `programs` table maps it) — and nothing else. What the
 * message does not carry is left out, so a `patient.patched` built from it keeps what other sources set
 * (`levelOfCare`, programs an ADT feed does not know, an age…).
 */
export function patientPatchFrom(ctx: MappingContext, pid: PidSegment, pv1: Pv1Segment | undefined): PatientPatch {
  const fields = ctx.config.patientFields;
  const birthDate = fields.birthDate ? hl7Date(pid.birthDateTime) : undefined;
  if (fields.birthDate && pid.birthDateTime !== undefined && birthDate === undefined) {
    ctx.warnings.push({ code: 'invalid_timestamp', path: 'PID-7', message: 'birth date is not a full HL7 date; left out' });
  }
  const name = fields.name ? [pid.givenName, pid.familyName].filter(Boolean).join(' ').slice(0, 200) : '';
  const payer = payerFrom(ctx);
  const programs = programsFrom(ctx, pv1);
  return {
    ...(birthDate === undefined ? {} : { birthDate }),
    ...(name === '' ? {} : { name }),
    ...(payer === undefined ? {} : { payer }),
    ...(programs.length === 0 ? {} : { programs }),
  };
}

/**
 * The complete patient record a registration (A01/A04) creates: id, display token, the sending facility's zone,
 * and the fields of `patch` (see {@link patientPatchFrom}); programs are empty unless the message maps one.
 */
export function registeredPatientFrom(ctx: MappingContext, patientId: string, pid: PidSegment, patch: PatientPatch): PatientInput {
  return {
    tenantId: ctx.tenantId,
    id: patientId,
    displayToken: displayTokenFor(
      {
        tenantId: ctx.tenantId,
        patientId,
        ...(pid.givenName === undefined ? {} : { givenName: pid.givenName }),
        ...(pid.familyName === undefined ? {} : { familyName: pid.familyName }),
      },
      ctx.config.displayToken,
    ),
    timeZone: ctx.timeZone,
    programs: [],
    ...patch,
  };
}
