import { identifierAt, identifiersAt, segmentReader, withoutUndefined, type Hl7Identifier } from '../datatypes.js';
import { firstSegment, type Hl7Message } from '../message.js';

/** PID (patient identification): only what CareRelay needs. Names and birth date are PHI. */
export interface PidSegment {
  /** PID-3: patient identifiers (MRN and others). */
  identifiers: Hl7Identifier[];
  /** PID-2: external id (v2.3–2.4; withdrawn later), used when PID-3 is empty. */
  externalId?: Hl7Identifier;
  /** PID-5 first repetition: family name (PHI). */
  familyName?: string;
  /** PID-5 first repetition: given name (PHI). */
  givenName?: string;
  /** PID-7: birth date/time (raw DTM, PHI). */
  birthDateTime?: string;
  /** PID-8: administrative sex. */
  sex?: string;
  /** PID-18: patient account number. */
  accountNumber?: Hl7Identifier;
  /** PID-29: death date/time (raw DTM). */
  deathDateTime?: string;
  /** PID-30: death indicator (`Y`/`N`). */
  deathIndicator?: string;
}

/** Reads the message's (first) PID segment, if any. */
export function readPid(message: Hl7Message): PidSegment | undefined {
  const segment = firstSegment(message, 'PID');
  if (!segment) return undefined;
  const r = segmentReader(message, segment);
  return withoutUndefined({
    identifiers: identifiersAt(r, 3),
    externalId: identifierAt(r, 2),
    familyName: r.value(5, 1),
    givenName: r.value(5, 2),
    birthDateTime: r.value(7),
    sex: r.value(8),
    accountNumber: identifierAt(r, 18),
    deathDateTime: r.value(29),
    deathIndicator: r.value(30),
  });
}
