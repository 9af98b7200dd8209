import { stableHash } from '@carerelay/core';

/**
 * A deterministic event id: the same tenant and key always give the same id, so re-ingesting a resource yields
 * events that storage (or {@link createSeenFilter}) recognises as already applied.
 *
 * Keys name the resource and what the event says about it. Events that restate state (a patient, an owner, a
 * care-team membership, a score) include the resource's version in the key; events that record a one-time fact
 * (an admission, a discharge, a referral, an appointment status) do not, so a later version of the same resource
 * never records the fact twice — which would otherwise schedule a second follow-up milestone.
 */
export function eventIdFor(tenantId: string, key: readonly string[]): string {
  return `fhir_${stableHash(tenantId, ...key)}`;
}

/**
 * The version key of a resource: `meta.versionId`, else `meta.lastUpdated`, else a hash of its content
 * (key order ignored), so two identical copies of an unversioned resource share a key.
 */
export function versionKeyOf(resource: { meta?: { versionId?: string | undefined; lastUpdated?: string | undefined } | undefined }): string {
  if (resource.meta?.versionId) return `v:${resource.meta.versionId}`;
  if (resource.meta?.lastUpdated) return `u:${resource.meta.lastUpdated}`;
  return `h:${stableHash(canonicalJson(resource))}`;
}

/** JSON with object keys sorted, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
