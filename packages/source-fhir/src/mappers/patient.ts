import { displayTokenFor } from '../display-token.js';
import { isFullDate } from '../fhir-time.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';

/**
 * Patient → `patient.registered` (one id per patient, whatever the version, so storage keeps the first) and, for a
 * later or unversioned version, `patient.patched` with what the Patient resource knows — display token, time zone,
 * birth date, name — so the payer, programs and level of care other resources patched in are kept. Plus
 * `careteam.assigned` for each configured default member, and `case.closed` (reason `deceased`) once the patient
 * is deceased, at `deceasedDateTime` when given. The display token comes from non-PHI parts only; the birth date
 * is copied for age rules (configurable), the name only when configured.
 */
export function mapPatient(m: ResourceMapping, patient: ParsedResource<'Patient'>): void {
  const { config, tenantId } = m.ctx;
  const first = patient.meta?.versionId === '1';
  let birthDate: string | undefined;
  if (config.patients.birthDate && patient.birthDate !== undefined) {
    if (isFullDate(patient.birthDate)) birthDate = patient.birthDate;
    else m.warn('not_modelled', 'birthDate', 'birth date is not a full date; age rules will not apply');
  }
  const name = config.patients.name ? nameOf(patient) : undefined;
  if (patient.active === false) m.warn('not_modelled', 'active', 'patient record is inactive (often a merged or duplicate record); the case stays open');
  const at = m.stateTime();
  const known = {
    displayToken: displayTokenFor(config, tenantId, patient.id),
    timeZone: config.resolved.patientTimeZone,
    ...(birthDate === undefined ? {} : { birthDate }),
    ...(name === undefined ? {} : { name: m.text(name, 200, 'name') }),
  };
  m.emit({ id: m.factId('registered'), type: 'patient.registered', patientId: patient.id, at, patient: { tenantId, id: patient.id, ...known } });
  // Only what this resource knows: a replacement would drop the payer, programs and level of care.
  if (!first) m.emit({ id: m.versionedId('patched'), type: 'patient.patched', patientId: patient.id, at, patch: known });
  for (const member of config.patients.defaultCareTeam) {
    m.emit({ id: m.factId('default-careteam', member.ownerId, member.role), type: 'careteam.assigned', patientId: patient.id, at, member });
  }
  if (patient.deceasedBoolean === true || patient.deceasedDateTime !== undefined) {
    const diedAt = m.time(patient.deceasedDateTime) ?? at;
    m.emit({ id: m.factId('closed', 'deceased'), type: 'case.closed', patientId: patient.id, at: diedAt, reason: 'deceased' });
  }
}

function nameOf(patient: ParsedResource<'Patient'>): string | undefined {
  const names = patient.name ?? [];
  const chosen = names.find((n) => n.use === 'official' || n.use === 'usual') ?? names[0];
  if (!chosen) return undefined;
  return chosen.text ?? [...(chosen.given ?? []), chosen.family].filter(Boolean).join(' ');
}
