import { type LocatedCoding, codingMatches, codingsOf, findCode } from '../code-match.js';
import type { ResourceMapping } from '../mapping-context.js';
import { parseReference } from '../references.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';
import { cancelTemplatedMilestones } from './retraction.js';

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
 * configuration). A cancelled or entered-in-error stay cancels the follow-up milestones its discharge scheduled.
 * Other classes (ambulatory, virtual, home health) and planned stays are out of scope.
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
  const admissionId = m.factId('admission');
  const dischargeId = m.factId('discharge');
  if (encounter.status === 'cancelled' || encounter.status === 'entered-in-error') {
    cancelTemplatedMilestones(m, patientId, dischargeId, (t) => t.trigger.kind === 'transition' && t.trigger.transition === 'discharge', `encounter ${encounter.status}`);
    cancelTemplatedMilestones(m, patientId, admissionId, (t) => t.trigger.kind === 'transition' && t.trigger.transition === 'admission', `encounter ${encounter.status}`);
    return undefined;
  }
  const mentalHealth = isMentalHealth(m, encounter);
  const fact = (transition: 'admission' | 'discharge') => ({ kind: 'transition', transition, setting, mentalHealth, encounterId: encounter.id });
  m.emit({ id: admissionId, type: 'fact.recorded', patientId, at: m.timeOf('admission', [encounter.period?.start]), fact: fact('admission') });
  if (encounter.status === 'finished') {
    const dischargedAt = m.knownTimeOf('discharge', [encounter.period?.end]);
    if (dischargedAt === undefined) m.warn('time_missing', 'period.end', 'finished stay without a discharge time: no discharge recorded');
    else m.emit({ id: dischargeId, type: 'fact.recorded', patientId, at: dischargedAt, fact: fact('discharge') });
  }
  return undefined;
}
