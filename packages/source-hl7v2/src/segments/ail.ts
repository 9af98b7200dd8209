import { codedAt, locationAt, segmentReader, withoutUndefined, type Hl7Coded, type Hl7Location } from '../datatypes.js';
import { type Hl7Message, segmentsNamed } from '../message.js';

/** AIL (appointment information – location resource). */
export interface AilSegment {
  /** AIL-2: segment action code. */
  actionCode?: string;
  /** AIL-3: location. */
  location?: Hl7Location;
  /** AIL-4: location type. */
  locationType?: Hl7Coded;
  /** AIL-6: start date/time (raw DTM). */
  startDateTime?: string;
  /** AIL-12.1: filler status. */
  fillerStatus?: string;
}

/** Reads every AIL segment of the message, in order. */
export function readAils(message: Hl7Message): AilSegment[] {
  return segmentsNamed(message, 'AIL').map((segment) => {
    const r = segmentReader(message, segment);
    return withoutUndefined({ actionCode: r.value(2), location: locationAt(r, 3), locationType: codedAt(r, 4), startDateTime: r.value(6), fillerStatus: r.value(12) });
  });
}
