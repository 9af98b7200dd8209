import type { CareEventInput, Instant } from '@carerelay/core';
import { CODING_SYSTEMS } from './default-mappings.js';
import type { MappingContext } from './mapping-context.js';
import { readDg1s } from './segments/dg1.js';
import type { Pv1Segment } from './segments/pv1.js';
import { readPv2 } from './segments/pv2.js';

/** The diagnosis categories a message carries (DG1 codes that map), for the mental-health decision. */
export interface DiagnosisMapping {
  events: CareEventInput[];
  categories: string[];
}

const systemUri = (name: string | undefined) => (name === undefined ? undefined : (CODING_SYSTEMS[name.toUpperCase()] ?? name.slice(0, 200)));

/**
 * One `fact.recorded` diagnosis event per DG1 whose code maps to a category. Unmapped codes warn (without the code:
 * diagnoses are PHI); codes mapped to `null` are skipped quietly.
 */
export function diagnosisEvents(ctx: MappingContext, patientId: string, at: Instant): DiagnosisMapping {
  const events: CareEventInput[] = [];
  const categories: string[] = [];
  for (const dg1 of readDg1s(ctx.message)) {
    const path = `DG1[${dg1.position}]-3`;
    const code = dg1.code?.code;
    if (code === undefined) {
      ctx.warnings.push({ code: 'missing_field', path, message: 'diagnosis code missing; segment skipped' });
      continue;
    }
    const found = ctx.tables.diagnosis(code);
    if (found.kind === 'unmapped') {
      ctx.warnings.push({ code: 'unmapped_code', path, message: 'diagnosis code is not in the category table' });
      continue;
    }
    if (found.kind === 'ignored') continue;
    categories.push(found.value);
    const system = systemUri(dg1.code?.system ?? dg1.codingMethod);
    const display = dg1.code?.text ?? dg1.description;
    const diagnosedAt = ctx.firstInstant([[`DG1[${dg1.position}]-5`, dg1.dateTime]]) ?? at;
    events.push({
      id: ctx.eventId(`dg1:${dg1.position}`),
      tenantId: ctx.tenantId,
      patientId,
      type: 'fact.recorded',
      at: diagnosedAt,
      fact: {
        kind: 'diagnosis',
        category: found.value,
        code: code.slice(0, 64),
        ...(system === undefined ? {} : { system }),
        ...(display === undefined ? {} : { display: display.slice(0, 200) }),
        status: 'active',
      },
    });
  }
  return { events, categories };
}

/**
 * Whether a stay is for a mental-health reason: a diagnosis (DG1, or the PV2-3 admit reason) in a mental-health
 * category, or a mental-health hospital service (PV1-10); otherwise the configured default.
 */
export function isMentalHealthStay(ctx: MappingContext, pv1: Pv1Segment | undefined, categories: readonly string[]): boolean {
  const settings = ctx.config.mentalHealth;
  const counts = (category: string) => settings.categories === undefined || settings.categories.includes(category);
  if (categories.some(counts)) return true;
  const admitReason = readPv2(ctx.message)?.admitReason?.code;
  if (admitReason !== undefined) {
    const found = ctx.tables.diagnosis(admitReason);
    if (found.kind === 'mapped' && counts(found.value)) return true;
  }
  const service = pv1?.hospitalService?.toUpperCase();
  if (service !== undefined && settings.hospitalServices.some((s) => s.toUpperCase() === service)) return true;
  return settings.otherwise;
}
