import type { CareEvent, CareRelayError } from '@carerelay/core';

/** Kinds of warning a mapping can return alongside its events. */
export type Hl7WarningCode =
  /** A code no table maps: the information it carried was not turned into an event. */
  | 'unmapped_code'
  /** A timestamp that could not be read; a fallback time was used. */
  | 'invalid_timestamp'
  /** An optional field CareRelay would use is empty; a fallback was used or the detail skipped. */
  | 'missing_field'
  /** The message (same sender and control id, same content) was already ingested: no events. */
  | 'duplicate';

/** A non-fatal problem: what was skipped or guessed, where (`PV1-2`, `DG1[2]-3`), and why. Never carries PHI. */
export interface Hl7Warning {
  code: Hl7WarningCode;
  /** Segment and field, e.g. `PV1-2`, `IN1[1]-3`. */
  path: string;
  /** Why, in words, without message content. */
  message: string;
  /** The offending code when it is a vendor table code (patient class, payer, role, service); never a diagnosis. */
  value?: string;
  /** Ids the application can act on (e.g. a cancel without a visit number): identifiers, not for logs. */
  refs?: { patientId?: string; encounterId?: string };
}

/** What happened to a message: applied, already seen, rejected as unsupported, or failed as malformed. */
export type Hl7MappingStatus = 'applied' | 'duplicate' | 'rejected' | 'failed';

/** The outcome of mapping one HL7 message: events (each valid under core `EventSchema`), warnings and errors. */
export interface Hl7MappingResult {
  status: Hl7MappingStatus;
  /** MSH-10, when the message got far enough to have one. */
  controlId?: string;
  /** MSH-9.1 */
  messageType?: string;
  /** MSH-9.2 */
  triggerEvent?: string;
  /** MSH-12 */
  version?: string;
  events: CareEvent[];
  warnings: Hl7Warning[];
  /** Why the message was not applied (`invalid_input`, `unsupported`, `conflict`); empty when applied. */
  errors: CareRelayError[];
}

/** The HL7 acknowledgment code for a result: `AA` applied (or duplicate), `AR` rejected, `AE` failed. */
export function ackCodeFor(result: Pick<Hl7MappingResult, 'status'>): 'AA' | 'AE' | 'AR' {
  switch (result.status) {
    case 'applied':
    case 'duplicate':
      return 'AA';
    case 'rejected':
      return 'AR';
    case 'failed':
      return 'AE';
  }
}
