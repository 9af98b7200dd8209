import { type LocatedCoding, codingMatches, codingsOf, findCode } from '../code-match.js';
import type { ResourceMapping } from '../mapping-context.js';
import { parseReference } from '../references.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';
import { retractFact } from './retraction.js';

type Encounter = ParsedResource<'Encounter'>;

/** The codings that say why the stay happened: reason codes, and the codes of referenced reason/diagnosis Conditions seen before. */
function reasonCodings(m: ResourceMapping, encounter: Encounter): LocatedCoding[] {
  const found = codingsOf(encounter.reasonCode, 'reasonCode');
  const conditions = [
    ...(encounter.reasonReference ?? []).map((ref, i) => ({ ref, path: `reasonReference.${i}` })),
    ...(encounter.diagnosis ?? []).map((d, i) => ({ ref: d.condition, path: `diagnosis.${i}.condition` })),
  ];
  for (const { ref, path } of conditions) {
    const parsed = parseReference(ref, m.ctx.index.aliases);
    if (parsed.kind !== 'literal' || parsed.resourceType !== 'Condition') continue;
    for (const coding of m.ctx.index.conditionCodes.get(`Condition/${parsed.id}`) ?? []) found.push({ coding, path });
  }
  return found;
}

/** Whether a stay counts as mental-health (HEDIS FUH), by configuration and codes. */
function isMentalHealth(m: ResourceMapping, encounter: Encounter): boolean {
  const { transitions, resolved } = m.ctx.config;
  if (transitions.mentalHealth === 'always') return true;
  if (transitions.mentalHealth === 'never') return false;
  const codings = reasonCodings(m, encounter);
  if (codings.length === 0) return transitions.uncodedIsMentalHealth;
  return codings.some(({ coding }) => resolved.mentalHealthCodes.some((row) => codingMatches(row, coding))) || findCode(resolved.diagnoses, codings) !== undefined;
}

/**
 * Encounter of an inpatient or emergency class (`class` → setting through configuration: IMP/ACUTE → inpatient,
 * EMER → emergency, …) → `transition` facts: an admission at `period.start` once the stay is in progress, and a
 * discharge at `period.end` once it is finished. The mental-health flag comes from reason and diagnosis codes (or
 * configuration). A cancelled or entered-in-error stay retracts its admission and discharge (`fact.retracted`), which
 * cancels the follow-up milestones the discharge scheduled. Other classes (ambulatory, virtual, home health) and
 * planned stays are out of scope.
 */
export function mapEncounter(m: ResourceMapping, encounter: Encounter): MapperResult {
  const classCode = encounter.class.code ?? '';
  const setting = m.ctx.config.transitions.settings[classCode];
  if (setting === undefined) return { notRelevant: `encounter class "${classCode.slice(0, 20)}" is not a transition setting` };
  if (encounter.status === 'planned' || encounter.status === 'arrived' || encounter.status === 'triaged' || encounter.status === 'unknown') {
    return { notRelevant: `encounter is ${encounter.status}` };
  }
  const patientId = m.patientId(encounter.subject);
  if (patientId === undefined) return { missingPatient: 'subject' };
  // The fact id carries what triggers follow-ups (setting, mental-health flag): a later version that only restates
  // the stay repeats the same ids, while one that reclassifies it (a mental-health diagnosis coded after discharge)
  // records the new fact and retracts the old classification's.
  const variant = (transition: string, mh: boolean) => m.factId(transition, setting, mh ? 'mh' : 'non-mh');
  if (encounter.status === 'cancelled' || encounter.status === 'entered-in-error') {
    // Whichever classification an earlier version had: retracting a fact never recorded changes nothing.
    for (const transition of ['admission', 'discharge'] as const) {
      for (const mh of [true, false]) retractFact(m, patientId, variant(transition, mh), `encounter ${encounter.status}`);
    }
    return undefined;
  }
  const mentalHealth = isMentalHealth(m, encounter);
  const fact = (transition: 'admission' | 'discharge') => ({ kind: 'transition', transition, setting, mentalHealth, encounterId: encounter.id });
  m.emit({ id: variant('admission', mentalHealth), type: 'fact.recorded', patientId, at: m.timeOf('admission', [encounter.period?.start]), fact: fact('admission') });
  if (encounter.status === 'finished') {
    const dischargedAt = m.knownTimeOf('discharge', [encounter.period?.end]);
    if (dischargedAt === undefined) m.warn('time_missing', 'period.end', 'finished stay without a discharge time: no discharge recorded');
    else m.emit({ id: variant('discharge', mentalHealth), type: 'fact.recorded', patientId, at: dischargedAt, fact: fact('discharge') });
  }
  // Only a later version can have been classified differently before.
  const laterVersion = encounter.meta?.versionId !== undefined && encounter.meta.versionId !== '1';
  for (const transition of laterVersion ? (['admission', 'discharge'] as const) : []) retractFact(m, patientId, variant(transition, !mentalHealth), 'stay reclassified');
  return undefined;
}
