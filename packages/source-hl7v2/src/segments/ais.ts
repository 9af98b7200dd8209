import { codedAt, segmentReader, withoutUndefined, type Hl7Coded } from '../datatypes.js';
import { type Hl7Message, segmentsNamed } from '../message.js';

/** AIS (appointment information – service): which service the appointment is for. */
export interface AisSegment {
  /** AIS-3: universal service identifier. */
  service?: Hl7Coded;
  /** AIS-4: start date/time (raw DTM). */
  startDateTime?: string;
  /** AIS-10.1: filler status. */
  fillerStatus?: string;
}

/** Reads every AIS segment of the message, in order. */
export function readAiss(message: Hl7Message): AisSegment[] {
  return segmentsNamed(message, 'AIS').map((segment) => {
    const r = segmentReader(message, segment);
    return withoutUndefined({ service: codedAt(r, 3), startDateTime: r.value(4), fillerStatus: r.value(10) });
  });
}
