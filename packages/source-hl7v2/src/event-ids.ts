import { stableHash } from '@carerelay/core';

/** What identifies one HL7 message for idempotency: tenant, sending system (MSH-3, MSH-4) and control id (MSH-10). */
export interface MessageKey {
  tenantId: string;
  sendingApplication?: string;
  sendingFacility?: string;
  controlId: string;
}

/** One string per message key (used by the `seen` store). */
export function messageKeyString(key: MessageKey): string {
  return stableHash(key.tenantId, key.sendingApplication ?? '', key.sendingFacility ?? '', key.controlId);
}

/**
 * The id of one event produced from a message: a hash of the message key, its type and trigger, and the event's
 * slot in the message (`patient`, `transition`, `dg1:2`, `appointment`…). The same message ingested twice yields the
 * same ids, so stores that are idempotent by event id keep it once.
 */
export function hl7EventId(key: MessageKey, messageType: string, triggerEvent: string, slot: string): string {
  return `hl7_${stableHash(messageKeyString(key), messageType, triggerEvent, slot)}`;
}

/**
 * The id of the `patient.registered` event for one patient of one tenant: the same for every A01/A04 that names
 * the patient, so an id-idempotent store applies the first registration only and a later one (a new visit, a
 * retransmission under another control id) cannot replace the record — its fields arrive as `patient.patched`.
 */
export function hl7RegistrationId(tenantId: string, patientId: string): string {
  return `hl7_${stableHash('patient.registered', tenantId, patientId)}`;
}
