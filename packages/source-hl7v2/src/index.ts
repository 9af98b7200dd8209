/**
 * `@carerelay/source-hl7v2`: HL7 v2 (2.3–2.8) into CareRelay events. A parser with typed segment readers, the ADT and
 * SIU mapping (validated vendor configuration, warnings for unmapped codes, deterministic event ids), and an MLLP
 * listener that acknowledges every message.
 * @packageDocumentation
 */
export { parseHl7, parseHl7Structure, valueAt, repetitionsOf, segmentsNamed, firstSegment, MAX_MESSAGE_CHARS } from './message.js';
export type { Hl7Message, Hl7Segment, Hl7Position, Hl7Structure } from './message.js';
export { DEFAULT_DELIMITERS, readDelimiters } from './delimiters.js';
export type { Hl7Delimiters, DelimiterProblem } from './delimiters.js';
export { unescapeHl7, escapeHl7 } from './escape.js';
export { segmentReader } from './datatypes.js';
export type { SegmentReader, Hl7Identifier, Hl7Coded, Hl7Person, Hl7Location } from './datatypes.js';
export { hl7Instant, hl7Date } from './timestamp.js';
export { readMsh, type MshSegment } from './segments/msh.js';
export { readEvn, type EvnSegment } from './segments/evn.js';
export { readPid, type PidSegment } from './segments/pid.js';
export { readPv1, type Pv1Segment } from './segments/pv1.js';
export { readPv2, type Pv2Segment } from './segments/pv2.js';
export { readDg1s, type Dg1Segment } from './segments/dg1.js';
export { readIn1s, type In1Segment } from './segments/in1.js';
export { readSch, type SchSegment } from './segments/sch.js';
export { readTq1, type Tq1Segment } from './segments/tq1.js';
export { readAiss, type AisSegment } from './segments/ais.js';
export { readAips, type AipSegment } from './segments/aip.js';
export { readAils, type AilSegment } from './segments/ail.js';
export {
  Hl7MappingConfigSchema,
  CodeMapSchema,
  parseHl7MappingConfig,
  createHl7MappingConfig,
  loadHl7MappingFile,
} from './mapping-config.js';
export type { Hl7MappingConfig, Hl7MappingConfigInput, CodeMap } from './mapping-config.js';
export {
  DEFAULT_PATIENT_CLASSES,
  DEFAULT_DIAGNOSIS_CATEGORIES,
  DEFAULT_ROLES,
  DEFAULT_MENTAL_HEALTH_SERVICES,
  DEFAULT_VERSIONS,
  CODING_SYSTEMS,
} from './default-mappings.js';
export { ADT_TRIGGERS, mapAdt, type AdtTrigger, type MessageMapping } from './map-adt.js';
export { SIU_TRIGGERS, mapSiu, type SiuTrigger } from './map-siu.js';
export { mapHl7Message, defaultHl7MappingConfig, type Hl7MapOptions } from './map-message.js';
export { mappingContext, type MappingContext } from './mapping-context.js';
export { ackCodeFor } from './mapping-result.js';
export type { Hl7MappingResult, Hl7MappingStatus, Hl7Warning, Hl7WarningCode } from './mapping-result.js';
export { displayTokenFor, type DisplayTokenInput } from './display-token.js';
export { hl7EventId, hl7RegistrationId, messageKeyString, type MessageKey } from './event-ids.js';
export type { PatientPatch } from './map-patient.js';
export { createSeenControlIds, type SeenControlIds, type SeenVerdict } from './seen-control-ids.js';
export { ingestHl7, messageIdentity, type Hl7IngestOptions } from './ingest.js';
export { buildAck, ackFor, ackHeaderOf, parseAck, hl7TimestampOf, type AckHeader, type AckInput, type ParsedAck } from './ack.js';
export { frameMllp, MllpDecoder, MLLP_START, MLLP_END, MLLP_CR, type MllpUnit } from './mllp-frame.js';
export { createMllpListener, type MllpListener, type MllpListenerOptions, type MllpDelivery, type MllpProblemStage } from './mllp-listener.js';
export { sendMllp, type SendMllpOptions } from './mllp-client.js';
