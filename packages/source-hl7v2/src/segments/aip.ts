import { codedAt, personAt, segmentReader, withoutUndefined, type Hl7Coded, type Hl7Person } from '../datatypes.js';
import { type Hl7Message, segmentsNamed } from '../message.js';

/** AIP (appointment information – personnel resource): who sees the patient. */
export interface AipSegment {
  /** 1-based position among the message's AIP segments. */
  position: number;
  /** AIP-2: segment action code (`A` add, `U` update, `D` delete). */
  actionCode?: string;
  /** AIP-3: personnel resource. */
  personnel?: Hl7Person;
  /** AIP-4: resource role (local or HL7 table 0443 code). */
  role?: Hl7Coded;
  /** AIP-6: start date/time (raw DTM). */
  startDateTime?: string;
  /** AIP-12.1: filler status. */
  fillerStatus?: string;
}

/** Reads every AIP segment of the message, in order. */
export function readAips(message: Hl7Message): AipSegment[] {
  return segmentsNamed(message, 'AIP').map((segment, index) => {
    const r = segmentReader(message, segment);
    return withoutUndefined({
      position: index + 1,
      actionCode: r.value(2),
      personnel: personAt(r, 3),
      role: codedAt(r, 4),
      startDateTime: r.value(6),
      fillerStatus: r.value(12),
    });
  });
}
