import { codedAt, segmentReader, withoutUndefined, type Hl7Coded } from '../datatypes.js';
import { type Hl7Message, segmentsNamed } from '../message.js';

/** DG1 (diagnosis). Diagnoses are PHI: never put them in messages or logs. */
export interface Dg1Segment {
  /** 1-based position among the message's DG1 segments. */
  position: number;
  /** DG1-1: set id. */
  setId?: string;
  /** DG1-2: coding method (v2.3–2.4; e.g. `I9`, `I10`). */
  codingMethod?: string;
  /** DG1-3: diagnosis code. */
  code?: Hl7Coded;
  /** DG1-4: description (withdrawn after 2.5). */
  description?: string;
  /** DG1-5: diagnosis date/time (raw DTM). */
  dateTime?: string;
  /** DG1-6: diagnosis type (`A` admitting, `W` working, `F` final). */
  type?: string;
}

/** Reads every DG1 segment of the message, in order. */
export function readDg1s(message: Hl7Message): Dg1Segment[] {
  return segmentsNamed(message, 'DG1').map((segment, index) => {
    const r = segmentReader(message, segment);
    return withoutUndefined({
      position: index + 1,
      setId: r.value(1),
      codingMethod: r.value(2),
      code: codedAt(r, 3),
      description: r.value(4),
      dateTime: r.value(5),
      type: r.value(6),
    });
  });
}
