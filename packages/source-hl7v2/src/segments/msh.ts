import { segmentReader, withoutUndefined } from '../datatypes.js';
import type { Hl7Message } from '../message.js';

/** MSH (message header): who sent the message, what it is, and its control id. */
export interface MshSegment {
  /** MSH-3.1 */
  sendingApplication?: string;
  /** MSH-4.1 */
  sendingFacility?: string;
  /** MSH-5.1 */
  receivingApplication?: string;
  /** MSH-6.1 */
  receivingFacility?: string;
  /** MSH-7: message date/time (raw HL7 DTM). */
  dateTime?: string;
  /** MSH-9.1 */
  messageType: string;
  /** MSH-9.2 */
  triggerEvent: string;
  /** MSH-9.3 */
  messageStructure?: string;
  /** MSH-10 */
  controlId: string;
  /** MSH-11.1: `P` production, `T` training, `D` debugging. */
  processingId?: string;
  /** MSH-12.1 */
  version: string;
  /** MSH-18 (first repetition): character set, e.g. `UNICODE UTF-8`. */
  characterSet?: string;
}

/** Reads the header of a parsed message (always its first segment). */
export function readMsh(message: Hl7Message): MshSegment {
  const r = segmentReader(message, message.segments[0]!);
  return withoutUndefined({
    sendingApplication: r.value(3),
    sendingFacility: r.value(4),
    receivingApplication: r.value(5),
    receivingFacility: r.value(6),
    dateTime: r.value(7),
    messageType: message.messageType,
    triggerEvent: message.triggerEvent,
    messageStructure: message.messageStructure,
    controlId: message.controlId,
    processingId: r.value(11),
    version: message.version,
    characterSet: r.value(18),
  });
}
