import { personAt, segmentReader, withoutUndefined, type Hl7Person } from '../datatypes.js';
import { firstSegment, type Hl7Message } from '../message.js';

/** EVN (event type). EVN-1 is informational only: the trigger event comes from MSH-9. */
export interface EvnSegment {
  /** EVN-1 (deprecated since 2.5; often disagrees with MSH-9 in real feeds). */
  eventTypeCode?: string;
  /** EVN-2: when the event was recorded (raw DTM). */
  recordedDateTime?: string;
  /** EVN-3: planned date/time (raw DTM). */
  plannedDateTime?: string;
  /** EVN-4.1: event reason code. */
  reasonCode?: string;
  /** EVN-5: operator. */
  operator?: Hl7Person;
  /** EVN-6: when the event actually occurred (raw DTM). */
  occurredDateTime?: string;
  /** EVN-7.1: event facility. */
  facility?: string;
}

/** Reads the message's EVN segment, if any. */
export function readEvn(message: Hl7Message): EvnSegment | undefined {
  const segment = firstSegment(message, 'EVN');
  if (!segment) return undefined;
  const r = segmentReader(message, segment);
  return withoutUndefined({
    eventTypeCode: r.value(1),
    recordedDateTime: r.value(2),
    plannedDateTime: r.value(3),
    reasonCode: r.value(4),
    operator: personAt(r, 5),
    occurredDateTime: r.value(6),
    facility: r.value(7),
  });
}
