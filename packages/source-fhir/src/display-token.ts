import { stableHash } from '@carerelay/core';
import type { ResolvedMappingConfig } from './mapping-config.js';

/**
 * A patient's display token, made from non-PHI parts only: digits of a hash of the tenant, the configured salt and
 * the patient's resource id, shown as `${prefix}${separator}${digits}` (default `P·4821`). Never a name or a birth
 * date. Without a salt it is the same token `@carerelay/source-hl7v2` gives the same tenant and patient id.
 * Tokens are for recognition in low-trust channels, not identity: two patients may share one.
 */
export function displayTokenFor(config: ResolvedMappingConfig, tenantId: string, patientId: string): string {
  const { prefix, separator, digits, salt } = config.patients.displayToken;
  const hash = salt === '' ? stableHash('display-token', tenantId, patientId) : stableHash('display-token', tenantId, salt, patientId);
  const number = parseInt(hash.slice(0, 12), 16) % 10 ** digits;
  return `${prefix}${separator}${String(number).padStart(digits, '0')}`;
}
