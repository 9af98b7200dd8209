import { codedAt, segmentReader, withoutUndefined, type Hl7Coded } from '../datatypes.js';
import { firstSegment, type Hl7Message } from '../message.js';

/** SCH (scheduling activity information): the appointment an SIU message is about. */
export interface SchSegment {
  /** SCH-1.1: placer appointment id. */
  placerAppointmentId?: string;
  /** SCH-2.1: filler appointment id. */
  fillerAppointmentId?: string;
  /** SCH-6: event reason. */
  eventReason?: Hl7Coded;
  /** SCH-7: appointment reason. */
  appointmentReason?: Hl7Coded;
  /** SCH-8: appointment type. */
  appointmentType?: Hl7Coded;
  /** SCH-9: appointment duration. */
  duration?: string;
  /** SCH-11.4: start date/time from the timing quantity (v2.3–2.5; raw DTM). */
  timingStart?: string;
  /** SCH-11.5: end date/time from the timing quantity (raw DTM). */
  timingEnd?: string;
  /** SCH-16: filler contact person id. */
  fillerContactId?: string;
  /** SCH-25.1: filler status (`Booked`, `Complete`, `Noshow`, `Cancelled`, `Deleted`, `Dc`…). */
  fillerStatus?: string;
}

/** Reads the message's SCH segment, if any. */
export function readSch(message: Hl7Message): SchSegment | undefined {
  const segment = firstSegment(message, 'SCH');
  if (!segment) return undefined;
  const r = segmentReader(message, segment);
  return withoutUndefined({
    placerAppointmentId: r.value(1),
    fillerAppointmentId: r.value(2),
    eventReason: codedAt(r, 6),
    appointmentReason: codedAt(r, 7),
    appointmentType: codedAt(r, 8),
    duration: r.value(9),
    timingStart: r.value(11, 4),
    timingEnd: r.value(11, 5),
    fillerContactId: r.value(16),
    fillerStatus: r.value(25),
  });
}
