import { CareRelayError } from '@carerelay/core';
import { IngestCollector, type IngestItem, type IngestResult } from './ingest-summary.js';
import { mapResource } from './map-resource.js';
import type { MapOutcome } from './map-result.js';
import type { MappingContext } from './mapping-context.js';
import { FHIR_ID } from './references.js';
import { learnResources } from './resource-learning.js';

/** The result of ingesting a Bundle: every entry's outcome, plus the collected events, warnings and counts. */
export interface BundleIngestResult extends IngestResult {
  items: IngestItem[];
}

const invalid = (path: string, reason: string): MapOutcome => ({
  status: 'invalid',
  error: new CareRelayError('invalid_input', `invalid Bundle: ${path || '(root)'}: ${reason}`, { issues: [{ path, message: reason }] }),
});

interface Entry {
  fullUrl?: unknown;
  resource?: unknown;
  request?: { method?: unknown; url?: unknown };
  search?: { mode?: unknown };
}

/** The entry's resource, with an id taken from a `urn:uuid:` fullUrl or a PUT request url when it has none. */
function entryResource(entry: Entry): Record<string, unknown> | undefined {
  const resource = entry.resource;
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return undefined;
  const raw = resource as Record<string, unknown>;
  if (typeof raw.id === 'string') return raw;
  const fromUrl = typeof entry.fullUrl === 'string' ? /^urn:uuid:([A-Za-z0-9\-.]{1,64})$/.exec(entry.fullUrl)?.[1] : undefined;
  const fromRequest = typeof entry.request?.url === 'string' ? /^[A-Z][A-Za-z]+\/([A-Za-z0-9\-.]{1,64})$/.exec(entry.request.url)?.[1] : undefined;
  const id = fromUrl ?? fromRequest;
  return id !== undefined && FHIR_ID.test(id) ? { ...raw, id } : raw;
}

/**
 * Ingests a FHIR Bundle (searchset, collection, transaction, batch, history…): every entry's resource is learnt
 * first (so references between entries — including `urn:uuid:` fullUrls in transactions — resolve whatever the
 * order), then mapped in entry order. A bad entry becomes an `invalid` item naming the entry; the others go on.
 * Search `outcome` entries and transaction `DELETE` requests are not relevant. Never throws.
 */
export function ingestBundle(bundle: unknown, ctx: MappingContext): BundleIngestResult {
  const collector = new IngestCollector();
  const items: IngestItem[] = [];
  const push = (item: IngestItem) => {
    items.push(item);
    collector.add(item);
  };
  if (bundle === null || typeof bundle !== 'object' || (bundle as { resourceType?: unknown }).resourceType !== 'Bundle') {
    push({ outcome: invalid('resourceType', 'expected "Bundle"'), location: {} });
    return { ...collector.result(), items };
  }
  const rawEntries = (bundle as { entry?: unknown }).entry ?? [];
  if (!Array.isArray(rawEntries)) {
    push({ outcome: invalid('entry', 'expected an array'), location: {} });
    return { ...collector.result(), items };
  }
  const entries = rawEntries as unknown[];
  const resources = entries.map((entry) => (entry !== null && typeof entry === 'object' ? entryResource(entry as Entry) : undefined));
  ctx.index.clearAliases();
  entries.forEach((entry, i) => {
    const resource = resources[i];
    const fullUrl = (entry as Entry | null)?.fullUrl;
    if (resource && typeof fullUrl === 'string' && typeof resource.resourceType === 'string' && typeof resource.id === 'string') {
      ctx.index.aliases.set(fullUrl, `${resource.resourceType}/${resource.id}`);
    }
  });
  learnResources(ctx, resources);
  entries.forEach((entry, i) => {
    const location = { entry: i };
    const resource = resources[i];
    if (!resource) {
      push({ outcome: invalid(`entry.${i}.resource`, 'expected a resource object'), location });
      return;
    }
    const method = (entry as Entry).request?.method;
    if (method === 'DELETE') {
      push({ outcome: { status: 'not_relevant', resourceType: String(resource.resourceType ?? 'unknown'), reason: 'out_of_scope', detail: 'delete request' }, location });
      return;
    }
    push({ outcome: mapResource(resource, ctx), location });
  });
  ctx.index.clearAliases();
  return { ...collector.result(), items };
}
