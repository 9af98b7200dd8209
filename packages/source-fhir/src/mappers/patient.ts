import { displayTokenFor } from '../display-token.js';
import { isFullDate } from '../fhir-time.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';

/**
 * Patient → `patient.registered` (first version, or an unversioned resource) or `patient.updated`, plus
 * `careteam.assigned` for each configured default member. The display token comes from non-PHI parts only;
 * the birth date is copied for age rules (configurable), the name only when configured.
 */
export function mapPatient(m: ResourceMapping, patient: ParsedResource<'Patient'>): void {
  const { config, tenantId } = m.ctx;
  const first = patient.meta?.versionId === undefined || patient.meta.versionId === '1';
  let birthDate: string | undefined;
  if (config.patients.birthDate && patient.birthDate !== undefined) {
    if (isFullDate(patient.birthDate)) birthDate = patient.birthDate;
    else m.warn('not_modelled', 'birthDate', 'birth date is not a full date; age rules will not apply');
  }
  const name = config.patients.name ? nameOf(patient) : undefined;
  if (patient.deceasedBoolean === true || patient.deceasedDateTime !== undefined) {
    m.warn('not_modelled', patient.deceasedDateTime !== undefined ? 'deceasedDateTime' : 'deceasedBoolean', 'patient is deceased; CareRelay has no event to close a case, so open milestones stay open');
  }
  if (patient.active === false) m.warn('not_modelled', 'active', 'patient record is inactive; CareRelay has no event to close a case');
  const at = m.stateTime();
  m.emit({
    id: m.versionedId('patient'),
    type: first ? 'patient.registered' : 'patient.updated',
    patientId: patient.id,
    at,
    patient: {
      tenantId,
      id: patient.id,
      displayToken: displayTokenFor(config, tenantId, patient.id),
      timeZone: config.resolved.patientTimeZone,
      ...(birthDate === undefined ? {} : { birthDate }),
      ...(name === undefined ? {} : { name: m.text(name, 200, 'name') }),
    },
  });
  for (const member of config.patients.defaultCareTeam) {
    m.emit({ id: m.factId('default-careteam', member.ownerId, member.role), type: 'careteam.assigned', patientId: patient.id, at, member });
  }
}

function nameOf(patient: ParsedResource<'Patient'>): string | undefined {
  const names = patient.name ?? [];
  const chosen = names.find((n) => n.use === 'official' || n.use === 'usual') ?? names[0];
  if (!chosen) return undefined;
  return chosen.text ?? [...(chosen.given ?? []), chosen.family].filter(Boolean).join(' ');
}
