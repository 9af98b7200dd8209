import { stableHash } from '@carerelay/core';
import type { ResolvedMappingConfig } from './mapping-config.js';

/**
 * A patient's display token, made from non-PHI parts only: a hash of the tenant, the configured salt and the
 * patient's resource id, shown as `${prefix}${separator}${digits}` (default `P·4821`). Never a name or a birth date.
 * Tokens are for recognition in low-trust channels, not identity: two patients may share one.
 */
export function displayTokenFor(config: ResolvedMappingConfig, tenantId: string, patientId: string): string {
  const { prefix, separator, digits, salt } = config.patients.displayToken;
  const hex = stableHash(tenantId, salt, patientId);
  // 64 bits of hash as a decimal number, cut to the configured width.
  const number = (BigInt(`0x${hex}`) % 10n ** BigInt(digits)).toString().padStart(digits, '0');
  return `${prefix}${separator}${number}`;
}
