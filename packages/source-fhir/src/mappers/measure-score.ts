import { SYSTEMS } from '../code-systems.js';
import { codingsOf } from '../code-match.js';
import type { Instrument } from '../mapping-config.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource, QuestionnaireItem } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';

const isLoinc = (system: string | undefined) => system !== undefined && system.replace(/\/+$/, '').toLowerCase() === SYSTEMS.loinc;

function emitScore(m: ResourceMapping, patientId: string, instrument: string, score: number, at: string): void {
  m.emit({ id: m.versionedId('score', instrument), type: 'fact.recorded', patientId, at, fact: { kind: 'measure_score', instrument, score } });
}

/**
 * Observation with a configured instrument's total-score code (PHQ-9 44261-6, GAD-7 70274-6) or panel code whose
 * value or component holds the total → a `measure_score` fact. A panel whose total sits only in member Observations
 * not included is reported (`score_missing`). Other observations are out of scope.
 */
export function mapObservation(m: ResourceMapping, observation: ParsedResource<'Observation'>): MapperResult {
  const loinc = codingsOf(observation.code, 'code').filter((c) => isLoinc(c.coding.system) && c.coding.code);
  const instruments = m.ctx.config.resolved.instruments;
  const total = instruments.find((i) => loinc.some((c) => i.totalCodes.includes(c.coding.code!)));
  const panel = total ? undefined : instruments.find((i) => loinc.some((c) => i.panelCodes.includes(c.coding.code!)));
  const instrument = total ?? panel;
  if (!instrument) return { notRelevant: 'observation code is not a configured instrument' };
  if (observation.status !== 'final' && observation.status !== 'amended' && observation.status !== 'corrected') return { notRelevant: `observation is ${observation.status}` };
  const patientId = m.patientId(observation.subject);
  if (patientId === undefined) return { missingPatient: 'subject' };
  let score = observation.valueQuantity?.value ?? observation.valueInteger;
  if (score === undefined && panel) {
    const component = observation.component?.find((c) => codingsOf(c.code, 'code').some((x) => isLoinc(x.coding.system) && instrument.totalCodes.includes(x.coding.code ?? '')));
    score = component?.valueQuantity?.value ?? component?.valueInteger;
  }
  if (score === undefined) {
    m.warn('score_missing', panel ? 'hasMember' : 'value[x]', `${instrument.instrument} ${panel ? 'panel carries its total only in member observations' : 'observation has no value'}: no score recorded`);
    return undefined;
  }
  const at = m.timeOf('measurement', [observation.effectiveDateTime, observation.effectivePeriod?.end ?? observation.effectivePeriod?.start, observation.effectiveInstant, observation.issued]);
  emitScore(m, patientId, instrument.instrument, score, at);
  return undefined;
}

function flatten(items: readonly QuestionnaireItem[] | undefined, into: QuestionnaireItem[] = []): QuestionnaireItem[] {
  for (const item of items ?? []) {
    into.push(item);
    flatten(item.item, into);
    for (const answer of item.answer ?? []) flatten(answer.item, into);
  }
  return into;
}

/** Whether a linkId names a LOINC code: `44261-6`, `/44261-6`, `phq9/44261-6`. */
const linkIdIs = (linkId: string | undefined, code: string) => linkId !== undefined && (linkId === code || linkId.split(/[/.]/).pop() === code);

function instrumentOf(instruments: readonly Instrument[], response: ParsedResource<'QuestionnaireResponse'>, items: readonly QuestionnaireItem[]): Instrument | undefined {
  const questionnaire = response.questionnaire?.toLowerCase() ?? '';
  return (
    instruments.find((i) => questionnaire !== '' && i.questionnaires.some((q) => questionnaire.includes(q.toLowerCase()))) ??
    instruments.find((i) => items.some((item) => [...i.totalCodes, ...i.itemCodes].some((code) => linkIdIs(item.linkId, code))))
  );
}

/**
 * QuestionnaireResponse of a configured instrument (by its questionnaire URL, or by LOINC codes in item linkIds) →
 * a `measure_score` fact: the stated total item, else the sum of the item answers' scores when every item is
 * answered. A stated total that disagrees with the sum is kept and reported (`score_mismatch`).
 */
export function mapQuestionnaireResponse(m: ResourceMapping, response: ParsedResource<'QuestionnaireResponse'>): MapperResult {
  const items = flatten(response.item);
  const instrument = instrumentOf(m.ctx.config.resolved.instruments, response, items);
  if (!instrument) return { notRelevant: 'questionnaire is not a configured instrument' };
  if (response.status !== 'completed' && response.status !== 'amended') return { notRelevant: `questionnaire response is ${response.status}` };
  const patientId = m.patientId(response.subject);
  if (patientId === undefined) return { missingPatient: 'subject' };
  const totalItem = items.find((item) => instrument.totalCodes.some((code) => linkIdIs(item.linkId, code)));
  const stated = totalItem?.answer?.[0]?.valueDecimal ?? totalItem?.answer?.[0]?.valueInteger;
  let sum: number | undefined = 0;
  for (const code of instrument.itemCodes) {
    const answer = items.find((item) => linkIdIs(item.linkId, code))?.answer?.[0];
    const value = answer?.valueInteger ?? (answer?.valueCoding?.code === undefined ? undefined : instrument.answerScores[answer.valueCoding.code]);
    if (value === undefined) {
      sum = undefined;
      break;
    }
    sum += value;
  }
  if (instrument.itemCodes.length === 0) sum = undefined;
  if (stated !== undefined && sum !== undefined && stated !== sum) m.warn('score_mismatch', 'item', `${instrument.instrument} stated total differs from the sum of its items; the stated total is used`);
  const score = stated ?? sum;
  if (score === undefined) {
    m.warn('score_missing', 'item', `${instrument.instrument} response has no total and not every item is answered: no score recorded`);
    return undefined;
  }
  emitScore(m, patientId, instrument.instrument, score, m.timeOf('measurement', [response.authored]));
  return undefined;
}
