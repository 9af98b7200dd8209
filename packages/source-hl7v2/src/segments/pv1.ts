import { codedAt, identifierAt, locationAt, personAt, segmentReader, withoutUndefined, type Hl7Coded, type Hl7Identifier, type Hl7Location, type Hl7Person } from '../datatypes.js';
import { firstSegment, type Hl7Message } from '../message.js';

/** PV1 (patient visit): the encounter an ADT message is about. */
export interface Pv1Segment {
  /** PV1-2: patient class (`I` inpatient, `E` emergency, `O` outpatient, `P` preadmit, `R` recurring, `B` obstetrics…). */
  patientClass?: string;
  /** PV1-3: assigned location. */
  assignedLocation?: Hl7Location;
  /** PV1-4.1: admission type. */
  admissionType?: string;
  /** PV1-6: prior location (transfers). */
  priorLocation?: Hl7Location;
  /** PV1-7: attending doctor. */
  attendingDoctor?: Hl7Person;
  /** PV1-10.1: hospital service (e.g. `PSY`). */
  hospitalService?: string;
  /** PV1-18.1: patient type (local). */
  patientType?: string;
  /** PV1-19: visit number (the encounter id). */
  visitNumber?: Hl7Identifier;
  /** PV1-36: discharge disposition. */
  dischargeDisposition?: Hl7Coded;
  /** PV1-44: admit date/time (raw DTM). */
  admitDateTime?: string;
  /** PV1-45 (first repetition): discharge date/time (raw DTM). */
  dischargeDateTime?: string;
}

/** Reads the message's (first) PV1 segment, if any. */
export function readPv1(message: Hl7Message): Pv1Segment | undefined {
  const segment = firstSegment(message, 'PV1');
  if (!segment) return undefined;
  const r = segmentReader(message, segment);
  return withoutUndefined({
    patientClass: r.value(2),
    assignedLocation: locationAt(r, 3),
    admissionType: r.value(4),
    priorLocation: locationAt(r, 6),
    attendingDoctor: personAt(r, 7),
    hospitalService: r.value(10),
    patientType: r.value(18),
    visitNumber: identifierAt(r, 19),
    dischargeDisposition: codedAt(r, 36),
    admitDateTime: r.value(44),
    dischargeDateTime: r.value(45),
  });
}
