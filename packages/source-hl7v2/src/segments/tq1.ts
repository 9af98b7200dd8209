import { segmentReader, withoutUndefined } from '../datatypes.js';
import { firstSegment, type Hl7Message } from '../message.js';

/** TQ1 (timing/quantity, v2.5+): where v2.6+ SIU messages carry the appointment start. */
export interface Tq1Segment {
  /** TQ1-7: start date/time (raw DTM). */
  startDateTime?: string;
  /** TQ1-8: end date/time (raw DTM). */
  endDateTime?: string;
}

/** Reads the message's first TQ1 segment, if any. */
export function readTq1(message: Hl7Message): Tq1Segment | undefined {
  const segment = firstSegment(message, 'TQ1');
  if (!segment) return undefined;
  const r = segmentReader(message, segment);
  return withoutUndefined({ startDateTime: r.value(7), endDateTime: r.value(8) });
}
