import { codedAt, segmentReader, withoutUndefined, type Hl7Coded } from '../datatypes.js';
import { firstSegment, type Hl7Message } from '../message.js';

/** PV2 (patient visit, additional information). */
export interface Pv2Segment {
  /** PV2-3: admit reason (coded; PHI). */
  admitReason?: Hl7Coded;
  /** PV2-8: expected admit date/time (raw DTM). */
  expectedAdmitDateTime?: string;
  /** PV2-9: expected discharge date/time (raw DTM). */
  expectedDischargeDateTime?: string;
}

/** Reads the message's (first) PV2 segment, if any. */
export function readPv2(message: Hl7Message): Pv2Segment | undefined {
  const segment = firstSegment(message, 'PV2');
  if (!segment) return undefined;
  const r = segmentReader(message, segment);
  return withoutUndefined({ admitReason: codedAt(r, 3), expectedAdmitDateTime: r.value(8), expectedDischargeDateTime: r.value(9) });
}
