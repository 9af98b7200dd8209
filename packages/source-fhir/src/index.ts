/**
 * `@carerelay/source-fhir`: FHIR R4 into CareRelay events — from a REST server (incremental `_lastUpdated` pulls with
 * checkpoints), from Bundles, and from Bulk Data NDJSON — and CareRelay tasks and delivered notifications back out
 * as FHIR `Task` and `Communication`.
 * @packageDocumentation
 */
export { mapResource } from './map-resource.js';
export { learnResource, learnResources, LEARN_ORDER } from './resource-learning.js';
export {
  createMappingContext,
  resolveOwner,
  resolvePatient,
  ResourceMapping,
  type MappingContext,
  type MappingContextOptions,
  type OwnerResolution,
} from './mapping-context.js';
export type {
  InvalidOutcome,
  MapOutcome,
  MappedOutcome,
  MappingWarning,
  MappingWarningCode,
  NotRelevantOutcome,
  NotRelevantReason,
} from './map-result.js';
export {
  CodeMatchSchema,
  createFhirMappingConfig,
  DiagnosisCodeSchema,
  FhirMappingConfigSchema,
  InstrumentSchema,
  LevelOfCareCodeSchema,
  parseFhirMappingConfig,
  PayerSchema,
  ProgramCodeSchema,
  RoleCodeSchema,
  ServiceCodeSchema,
  toResolvedConfig,
  type CodeMatch,
  type FhirMappingConfig,
  type FhirMappingConfigInput,
  type Instrument,
  type PayerMapping,
  type ResolvedMappingConfig,
} from './mapping-config.js';
export {
  DEFAULT_DIAGNOSIS_CODES,
  DEFAULT_ENCOUNTER_SETTINGS,
  DEFAULT_INSTRUMENTS,
  DEFAULT_MENTAL_HEALTH_CODES,
  DEFAULT_REFERRAL_PRIORITIES,
  DEFAULT_ROLE_CODES,
  DEFAULT_SERVICE_CODES,
} from './default-codes.js';
export { CARERELAY_SYSTEMS, SYSTEMS } from './code-systems.js';
export { codingMatches, codingsOf, findCode, type CodingLike, type ConceptLike, type LocatedCoding } from './code-match.js';
export { isFhirDateTime, readFhirTime, type ReadTime, type TimePrecision } from './fhir-time.js';
export { FHIR_ID, ownerReference, parseReference, toFhirId, type ParsedReference, type ReferenceLike } from './references.js';
export { displayTokenFor } from './display-token.js';
export { canonicalJson, eventIdFor, versionKeyOf } from './event-ids.js';
export { FhirResourceIndex, identifierKey, type EpisodeSnapshot, type MedicationSnapshot } from './resource-index.js';
export { isSupportedResourceType, RESOURCE_SCHEMAS, SUPPORTED_RESOURCE_TYPES, type SupportedResourceType } from './resource-schemas.js';
export { splitStrength } from './mappers/medication-request.js';
export { ingestBundle, type BundleIngestResult } from './bundle.js';
export { ingestBulkExport, ingestNdjson, resourceTypeOfFile, type BulkIngestOptions, type NdjsonSource } from './ndjson.js';
export { IngestCollector, IngestTally, type IngestItem, type IngestLocation, type IngestResult, type IngestSummary } from './ingest-summary.js';
export { createSeenFilter, type SeenFilter } from './seen-filter.js';
export { JsonFileCheckpointStore, MemoryCheckpointStore, type CheckpointStore } from './checkpoint-store.js';
export { FhirHttpClient, retryAfterMs, type FhirHttpOptions } from './http-client.js';
export { createFhirPuller, type FhirPuller, type FhirPullerOptions, type PulledPage, type PullReport } from './rest-puller.js';
export { fhirTaskStatus, taskToFhir, type TaskExportOptions } from './task-export.js';
export { communicationToFhir, type CommunicationExportOptions, type Delivery } from './communication-export.js';
export { createFhirWriter, transactionBundle, type FhirWriter, type WriteResult } from './fhir-writer.js';
