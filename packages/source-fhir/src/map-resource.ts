import { CareRelayError, describeIssues, issuesFromZod } from '@carerelay/core';
import type { MapOutcome } from './map-result.js';
import { type MappingContext, ResourceMapping } from './mapping-context.js';
import { mapAppointment } from './mappers/appointment.js';
import { mapCareTeam } from './mappers/care-team.js';
import { mapCondition } from './mappers/condition.js';
import { mapCoverage } from './mappers/coverage.js';
import { mapEncounter } from './mappers/encounter.js';
import { mapEpisodeOfCare } from './mappers/episode-of-care.js';
import type { MapperResult } from './mappers/mapper-result.js';
import { mapObservation, mapQuestionnaireResponse } from './mappers/measure-score.js';
import { mapMedicationRequest } from './mappers/medication-request.js';
import { mapPatient } from './mappers/patient.js';
import { mapPractitioner, mapPractitionerRole } from './mappers/practitioner.js';
import { mapServiceRequest } from './mappers/service-request.js';
import { FHIR_ID } from './references.js';
import { type ParsedResource, RESOURCE_SCHEMAS, type SupportedResourceType, isSupportedResourceType } from './resource-schemas.js';

type Mappers = { [T in SupportedResourceType]: (m: ResourceMapping, resource: ParsedResource<T>) => MapperResult | void };

const MAPPERS: Mappers = {
  Patient: mapPatient,
  Practitioner: mapPractitioner,
  PractitionerRole: mapPractitionerRole,
  CareTeam: mapCareTeam,
  Coverage: mapCoverage,
  ServiceRequest: mapServiceRequest,
  Encounter: mapEncounter,
  EpisodeOfCare: mapEpisodeOfCare,
  MedicationRequest: mapMedicationRequest,
  Condition: mapCondition,
  Appointment: mapAppointment,
  Observation: mapObservation,
  QuestionnaireResponse: mapQuestionnaireResponse,
};

const invalid = (path: string, reason: string): MapOutcome => ({
  status: 'invalid',
  error: new CareRelayError('invalid_input', `invalid resource: ${path || '(root)'}: ${reason}`, { issues: [{ path, message: reason }] }),
});

/**
 * Maps one FHIR R4 resource (parsed JSON) to CareRelay events. Never throws: the outcome is `mapped` (events that
 * each pass core `EventSchema`, plus warnings for anything unmapped), `not_relevant` (a type CareRelay does not read,
 * or an instance with nothing to track), or `invalid` (a `CareRelayError` whose issues name each bad element).
 *
 * Cross-resource references (a CareTeam's practitioners, an Encounter's diagnoses, a prior prescription) resolve
 * through `ctx.index`; feed the index with {@link learnResource} first (the ingestion functions do).
 */
export function mapResource(resource: unknown, ctx: MappingContext): MapOutcome {
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return invalid('', 'expected a JSON object');
  const raw = resource as Record<string, unknown>;
  const type = raw.resourceType;
  if (typeof type !== 'string' || type.length === 0 || type.length > 64) return invalid('resourceType', 'missing or not a string');
  const rawId = typeof raw.id === 'string' && FHIR_ID.test(raw.id) ? raw.id : undefined;
  if (!isSupportedResourceType(type)) {
    return { status: 'not_relevant', resourceType: type, ...(rawId === undefined ? {} : { resourceId: rawId }), reason: 'unsupported_resource_type', detail: `${type} is not a resource type CareRelay reads` };
  }
  const parsed = RESOURCE_SCHEMAS[type].safeParse(resource);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error);
    return {
      status: 'invalid',
      resourceType: type,
      ...(rawId === undefined ? {} : { resourceId: rawId }),
      error: new CareRelayError('invalid_input', `${type}/${rawId ?? '(no id)'}: invalid ${type}: ${describeIssues(issues)}`, { issues }),
    };
  }
  const value = parsed.data as ParsedResource<SupportedResourceType>;
  const mapping = new ResourceMapping(ctx, type, value.id, value);
  let result: MapperResult | void;
  try {
    result = (MAPPERS[type] as (m: ResourceMapping, r: unknown) => MapperResult | void)(mapping, value);
  } catch (error) {
    // A mapping defect must not stop an ingestion: report it as this resource's failure, without its content.
    return {
      status: 'invalid',
      resourceType: type,
      resourceId: value.id,
      error: new CareRelayError('internal', `${type}/${value.id}: mapping failed`, { cause: error, issues: [{ path: '', message: 'mapping failed' }] }),
    };
  }
  if (result && 'notRelevant' in result) return { status: 'not_relevant', resourceType: type, resourceId: value.id, reason: 'out_of_scope', detail: result.notRelevant };
  if (result && 'missingPatient' in result) {
    return {
      status: 'invalid',
      resourceType: type,
      resourceId: value.id,
      error: new CareRelayError('not_found', `${type}/${value.id}: ${result.missingPatient}: no resolvable patient reference`, {
        issues: [{ path: result.missingPatient, message: 'no resolvable patient reference' }],
      }),
    };
  }
  return mapping.finish();
}
