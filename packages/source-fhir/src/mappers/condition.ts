import { codingsOf, findCode } from '../code-match.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const RESOLVED = new Set(['inactive', 'remission', 'resolved']);

/**
 * Condition → a `diagnosis` fact with the category its code maps to (configurable ICD-10 / SNOMED CT table, e.g.
 * F41.0 → panic_disorder, F32/F33 → depression), active or resolved from `clinicalStatus`. A refuted or
 * entered-in-error condition resolves the category. An unmapped code is a warning, never a silent drop.
 */
export function mapCondition(m: ResourceMapping, condition: ParsedResource<'Condition'>): MapperResult {
  const patientId = m.patientId(condition.subject);
  if (patientId === undefined) return { missingPatient: 'subject' };
  const codings = codingsOf(condition.code, 'code');
  const hit = findCode(m.ctx.config.resolved.diagnoses, codings);
  if (!hit) {
    if (m.ctx.config.warnOnUnmappedDiagnoses) {
      const first = codings[0];
      m.warn('unmapped_code', first?.path ?? 'code', first ? 'condition code has no diagnosis category' : 'condition has no coded diagnosis', {
        system: first?.coding.system,
        value: first?.coding.code,
      });
    }
    return undefined;
  }
  const clinical = condition.clinicalStatus?.coding?.find((c) => c.code)?.code;
  const verification = condition.verificationStatus?.coding?.find((c) => c.code)?.code;
  const withdrawn = verification === 'refuted' || verification === 'entered-in-error';
  const resolved = withdrawn || (clinical !== undefined && RESOLVED.has(clinical));
  if (clinical !== undefined && !ACTIVE.has(clinical) && !RESOLVED.has(clinical)) m.warn('unmapped_code', 'clinicalStatus', 'unknown clinical status; treated as active', { value: clinical });
  const status = resolved ? 'resolved' : 'active';
  const at = resolved
    ? m.timeOf('resolution', [condition.abatementDateTime, ...(withdrawn ? [] : [condition.recordedDate])])
    : m.timeOf('diagnosis', [condition.recordedDate, condition.onsetDateTime, condition.onsetPeriod?.start]);
  const { coding } = hit.found;
  m.emit({
    id: m.versionedId('diagnosis', hit.row.category, status),
    type: 'fact.recorded',
    patientId,
    at,
    fact: {
      kind: 'diagnosis',
      category: hit.row.category,
      ...(coding.code ? { code: m.text(coding.code, 64, `${hit.found.path}.code`) } : {}),
      ...(coding.system ? { system: m.text(coding.system, 200, `${hit.found.path}.system`) } : {}),
      ...(coding.display || condition.code?.text ? { display: m.text(coding.display ?? condition.code?.text, 200, `${hit.found.path}.display`) } : {}),
      status,
    },
  });
  return undefined;
}
