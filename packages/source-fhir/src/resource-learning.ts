import { codingsOf } from './code-match.js';
import { type MappingContext, resolveOwner, resolvePatient } from './mapping-context.js';
import { episodeSnapshot, rememberEpisode } from './mappers/episode-of-care.js';
import { medicationSnapshot } from './mappers/medication-request.js';
import { ownerIdOfPractitioner, practitionerName, roleOf } from './mappers/practitioner.js';
import { readFhirTime } from './fhir-time.js';
import { parseReference } from './references.js';
import { identifierKey } from './resource-index.js';
import {
  ConditionResourceSchema,
  EpisodeOfCareResourceSchema,
  MedicationRequestResourceSchema,
  MedicationResourceSchema,
  PatientResourceSchema,
  PractitionerResourceSchema,
  PractitionerRoleResourceSchema,
} from './resource-schemas.js';

/**
 * Records in `ctx.index` what later resources may refer to: practitioners' owner ids, names and roles, patients'
 * identifiers, patients' episodes of care, conditions' codes, prescriptions and medication names. Malformed resources are ignored here (mapping
 * reports them). Never throws.
 */
export function learnResource(ctx: MappingContext, resource: unknown): void {
  if (resource === null || typeof resource !== 'object') return;
  const { index, config } = ctx;
  switch ((resource as { resourceType?: unknown }).resourceType) {
    case 'Practitioner': {
      const parsed = PractitionerResourceSchema.safeParse(resource);
      if (!parsed.success) return;
      const ownerId = ownerIdOfPractitioner(config, parsed.data);
      index.ownerIds.set(`Practitioner/${parsed.data.id}`, ownerId);
      for (const identifier of parsed.data.identifier ?? []) if (identifier.value) index.ownerIds.set(identifierKey(identifier.system, identifier.value.trim()), ownerId);
      const name = practitionerName(parsed.data);
      if (name) index.ownerNames.set(ownerId, name);
      return;
    }
    case 'PractitionerRole': {
      const parsed = PractitionerRoleResourceSchema.safeParse(resource);
      if (!parsed.success) return;
      const resolved = resolveOwner(ctx, parsed.data.practitioner);
      const ownerId = 'ownerId' in resolved ? resolved.ownerId : 'guessed' in resolved ? resolved.guessed : undefined;
      if (ownerId === undefined) return;
      index.practitionerRoleOwners.set(`PractitionerRole/${parsed.data.id}`, ownerId);
      const role = roleOf(config, [...codingsOf(parsed.data.code, 'code'), ...codingsOf(parsed.data.specialty, 'specialty')]);
      if (role) index.ownerRoles.set(ownerId, role.role);
      return;
    }
    case 'Patient': {
      const parsed = PatientResourceSchema.safeParse(resource);
      if (!parsed.success) return;
      for (const identifier of parsed.data.identifier ?? []) if (identifier.value) index.patientIds.set(identifierKey(identifier.system, identifier.value.trim()), parsed.data.id);
      return;
    }
    case 'EpisodeOfCare': {
      const parsed = EpisodeOfCareResourceSchema.safeParse(resource);
      const patientId = parsed.success ? resolvePatient(ctx, parsed.data.patient) : undefined;
      if (!parsed.success || patientId === undefined) return;
      const start = parsed.data.period?.start === undefined ? undefined : readFhirTime(parsed.data.period.start, config.resolved.patientTimeZone)?.instant;
      rememberEpisode(index, patientId, parsed.data.id, parsed.data.status === 'entered-in-error' ? undefined : episodeSnapshot(config, parsed.data, start).snapshot);
      return;
    }
    case 'Condition': {
      const parsed = ConditionResourceSchema.safeParse(resource);
      if (parsed.success) index.conditionCodes.set(`Condition/${parsed.data.id}`, parsed.data.code?.coding ?? []);
      return;
    }
    case 'Medication': {
      const parsed = MedicationResourceSchema.safeParse(resource);
      const name = parsed.success ? (parsed.data.code?.text ?? parsed.data.code?.coding?.find((c) => c.display)?.display) : undefined;
      if (parsed.success && name) index.medicationNames.set(`Medication/${parsed.data.id}`, name);
      return;
    }
    case 'MedicationRequest': {
      const parsed = MedicationRequestResourceSchema.safeParse(resource);
      if (!parsed.success) return;
      const snapshot = medicationSnapshot(config, index, parsed.data);
      if (snapshot) index.prescriptions.set(`MedicationRequest/${parsed.data.id}`, snapshot);
      const prior = parseReference(parsed.data.priorPrescription, index.aliases);
      if (prior.kind === 'literal' && prior.resourceType === 'MedicationRequest') index.replacedPrescriptions.add(`MedicationRequest/${prior.id}`);
      return;
    }
    default:
      return;
  }
}

/**
 * The order resources are learnt in: a PractitionerRole after its Practitioner, a prescription after its Medication,
 * an EpisodeOfCare after the Patient its identifier reference may name.
 */
export const LEARN_ORDER: readonly string[] = ['Practitioner', 'Patient', 'EpisodeOfCare', 'Medication', 'Condition', 'PractitionerRole', 'MedicationRequest'];

/** Learns a batch of resources (a Bundle's entries) in {@link LEARN_ORDER}, whatever order they came in. */
export function learnResources(ctx: MappingContext, resources: readonly unknown[]): void {
  for (const type of LEARN_ORDER) {
    for (const resource of resources) {
      if (resource !== null && typeof resource === 'object' && (resource as { resourceType?: unknown }).resourceType === type) learnResource(ctx, resource);
    }
  }
}
