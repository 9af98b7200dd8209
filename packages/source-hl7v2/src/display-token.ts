import { stableHash } from '@carerelay/core';
import type { Hl7MappingConfig } from './mapping-config.js';

/** What the token may draw on. Names are used only when the configuration opts into initials. */
export interface DisplayTokenInput {
  tenantId: string;
  patientId: string;
  givenName?: string;
  familyName?: string;
}

const initial = (name: string | undefined) => {
  const letter = name?.trim().charAt(0).toUpperCase();
  return letter && /\p{L}/u.test(letter) ? `${letter}.` : '';
};

/**
 * The patient's display token: a prefix and digits of a hash of tenant + patient id, e.g. `P·4821`
 * (or `J.D. ·4821` when initials are configured). Never contains a name or birth date by default; the same
 * patient always gets the same token.
 */
export function displayTokenFor(input: DisplayTokenInput, options: Hl7MappingConfig['displayToken']): string {
  const modulus = 10 ** options.digits;
  const number = parseInt(stableHash('display-token', input.tenantId, input.patientId).slice(0, 12), 16) % modulus;
  const digits = String(number).padStart(options.digits, '0');
  const initials = options.initials ? `${initial(input.givenName)}${initial(input.familyName)}` : '';
  return initials ? `${initials} ·${digits}` : `${options.prefix}·${digits}`;
}
