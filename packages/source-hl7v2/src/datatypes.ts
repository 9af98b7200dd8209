import { type Hl7Message, type Hl7Segment, repetitionsOf, valueAt } from './message.js';

/** Reads decoded values from one segment of one message. */
export interface SegmentReader {
  /** The segment read. */
  readonly segment: Hl7Segment;
  /** Decoded value of field `field`, component `comp`, sub-component `sub`, repetition `rep` (all 1-based). */
  value(field: number, comp?: number, sub?: number, rep?: number): string | undefined;
  /** Number of repetitions present in a field. */
  repetitions(field: number): number;
}

/** A reader over one segment, using the message's delimiters. */
export function segmentReader(message: Hl7Message, segment: Hl7Segment): SegmentReader {
  const d = message.delimiters;
  return {
    segment,
    value: (field, comp = 1, sub = 1, rep = 1) => valueAt(d, segment.fields[field], { rep, comp, sub }),
    repetitions: (field) => repetitionsOf(d, segment.fields[field]).length,
  };
}

/** CX: an identifier with its assigning authority and type (e.g. an MRN of type `MR`). */
export interface Hl7Identifier {
  id: string;
  /** CX.4.1 namespace id. */
  assigningAuthority?: string;
  /** CX.5, e.g. `MR`, `VN`, `SS`. */
  typeCode?: string;
  /** CX.6.1. */
  assigningFacility?: string;
}

/** CWE/CE: a coded value. */
export interface Hl7Coded {
  code?: string;
  text?: string;
  /** Coding system name, e.g. `I10`, `SCT`, `L`. */
  system?: string;
}

/** XCN: a person (care-team member) as the sender identifies them. Names are PHI of staff, kept for display only. */
export interface Hl7Person {
  id?: string;
  family?: string;
  given?: string;
}

/** PL: a location within a facility. */
export interface Hl7Location {
  pointOfCare?: string;
  room?: string;
  bed?: string;
  facility?: string;
}

const defined = <T extends object>(value: T): T => {
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
};

/** Reads a CX at a field repetition; undefined when CX.1 is empty. */
export function identifierAt(r: SegmentReader, field: number, rep = 1): Hl7Identifier | undefined {
  const id = r.value(field, 1, 1, rep);
  if (id === undefined) return undefined;
  return defined({ id, assigningAuthority: r.value(field, 4, 1, rep), typeCode: r.value(field, 5, 1, rep), assigningFacility: r.value(field, 6, 1, rep) });
}

/** Every CX repetition of a field that has an id. */
export function identifiersAt(r: SegmentReader, field: number): Hl7Identifier[] {
  const out: Hl7Identifier[] = [];
  for (let rep = 1; rep <= r.repetitions(field); rep++) {
    const cx = identifierAt(r, field, rep);
    if (cx) out.push(cx);
  }
  return out;
}

/** Reads a CWE/CE; undefined when code and text are both empty. */
export function codedAt(r: SegmentReader, field: number, rep = 1): Hl7Coded | undefined {
  const code = r.value(field, 1, 1, rep);
  const text = r.value(field, 2, 1, rep);
  if (code === undefined && text === undefined) return undefined;
  return defined({ code, text, system: r.value(field, 3, 1, rep) });
}

/** Reads an XCN (id, family name, given name); undefined when all are empty. */
export function personAt(r: SegmentReader, field: number, rep = 1): Hl7Person | undefined {
  const person = defined({ id: r.value(field, 1, 1, rep), family: r.value(field, 2, 1, rep), given: r.value(field, 3, 1, rep) });
  return Object.keys(person).length === 0 ? undefined : person;
}

/** Reads a PL; undefined when empty. */
export function locationAt(r: SegmentReader, field: number): Hl7Location | undefined {
  const location = defined({ pointOfCare: r.value(field, 1), room: r.value(field, 2), bed: r.value(field, 3), facility: r.value(field, 4) });
  return Object.keys(location).length === 0 ? undefined : location;
}

/** Drops undefined properties (for building objects with optional fields under exactOptionalPropertyTypes). */
export const withoutUndefined = defined;
