import { type CareEvent, CareRelayError } from '@carerelay/core';
import { ingestBundle } from './bundle.js';
import { type CheckpointStore, MemoryCheckpointStore } from './checkpoint-store.js';
import { readFhirTime } from './fhir-time.js';
import { FhirHttpClient, type FhirHttpOptions } from './http-client.js';
import { type IngestItem, IngestTally, type IngestSummary } from './ingest-summary.js';
import type { MappingWarning } from './map-result.js';
import { type FhirMappingConfigInput, type ResolvedMappingConfig, toResolvedConfig } from './mapping-config.js';
import { createMappingContext } from './mapping-context.js';
import { FhirResourceIndex } from './resource-index.js';
import { SUPPORTED_RESOURCE_TYPES } from './resource-schemas.js';

/** Options of {@link createFhirPuller}. */
export interface FhirPullerOptions extends FhirHttpOptions {
  tenantId: string;
  config?: ResolvedMappingConfig | FhirMappingConfigInput;
  /** Where checkpoints live (default: in memory). */
  checkpoints?: CheckpointStore;
  /** Resource types to search, in order (default: every supported type, referenced types first). */
  resourceTypes?: readonly string[];
  /** `_count` per page (default 100). */
  pageSize?: number;
  /** Extra search parameters per resource type, e.g. `{ Observation: { category: 'survey' } }`. */
  searchParams?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Safety bound on pages per resource type per pull (default 100,000). */
  maxPages?: number;
  /** Cross-resource index; kept across pulls of this puller. */
  index?: FhirResourceIndex;
}

/** One page of search results, mapped. */
export interface PulledPage {
  resourceType: string;
  /** 1-based page number within this resource type's search. */
  page: number;
  items: IngestItem[];
  events: CareEvent[];
  warnings: MappingWarning[];
  invalid: IngestItem[];
}

/** What one pull did, per resource type. */
export interface PullReport {
  byType: Record<string, { resources: number; pages: number; previousCheckpoint?: string; checkpoint?: string }>;
  summary: IngestSummary;
  /** Retries the HTTP client made (429, 5xx, network errors). */
  retries: number;
}

/** Pulls changed resources from a FHIR server into CareRelay events. */
export interface FhirPuller {
  /**
   * Searches each resource type with `_lastUpdated=gt<checkpoint>`, follows `Bundle.link[next]`, maps each page and
   * awaits `onPage` before the next. A type's checkpoint (the latest `meta.lastUpdated` seen) is stored only once
   * all its pages were handled, so a crash re-reads that type from the old checkpoint (at-least-once; event ids
   * make the repeat harmless).
   */
  pull(onPage?: (page: PulledPage) => void | Promise<void>): Promise<PullReport>;
  /** The checkpoint key of a resource type (tenant, base URL, type). */
  checkpointKey(resourceType: string): string;
}

const laterOf = (a: string | undefined, b: string | undefined): string | undefined => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
};

/** Creates a REST puller. Nothing is fetched until {@link FhirPuller.pull}. */
export function createFhirPuller(options: FhirPullerOptions): FhirPuller {
  const client = new FhirHttpClient(options);
  const config = toResolvedConfig(options.config);
  const checkpoints = options.checkpoints ?? new MemoryCheckpointStore();
  const index = options.index ?? new FhirResourceIndex();
  const types = options.resourceTypes ?? SUPPORTED_RESOURCE_TYPES;
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 100_000;
  const checkpointKey = (type: string) => `${options.tenantId}|${client.base.href}|${type}`;

  async function pullType(type: string, onPage: ((page: PulledPage) => void | Promise<void>) | undefined, tally: IngestTally, report: PullReport): Promise<void> {
    const previous = await checkpoints.get(checkpointKey(type));
    const params = new URLSearchParams({ _count: String(pageSize), ...options.searchParams?.[type] });
    if (previous !== undefined) params.set('_lastUpdated', `gt${previous}`);
    let next: string | undefined = `${type}?${params.toString()}`;
    const visited = new Set<string>();
    let newest: string | undefined;
    let serverTime: string | undefined;
    let resources = 0;
    let page = 0;
    while (next !== undefined) {
      const url = client.resolve(next).href;
      if (visited.has(url)) throw new CareRelayError('adapter_failure', `FHIR search for ${type}: a next link repeats an earlier page`);
      if (++page > maxPages) throw new CareRelayError('adapter_failure', `FHIR search for ${type}: more than ${maxPages} pages`);
      visited.add(url);
      const bundle = (await client.getJson(url)) as { resourceType?: unknown; type?: unknown; link?: unknown; meta?: { lastUpdated?: unknown }; entry?: unknown };
      if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'searchset') throw new CareRelayError('adapter_failure', `FHIR search for ${type}: response is not a searchset Bundle`);
      if (page === 1 && typeof bundle.meta?.lastUpdated === 'string') serverTime = bundle.meta.lastUpdated;
      const ctx = createMappingContext({ tenantId: options.tenantId, config, index, ...(options.now ? { receivedAt: new Date(options.now()).toISOString() } : {}) });
      const mapped = ingestBundle(bundle, ctx);
      const entries = Array.isArray(bundle.entry) ? (bundle.entry as { resource?: { resourceType?: unknown; meta?: { lastUpdated?: unknown } }; search?: { mode?: unknown } }[]) : [];
      for (const entry of entries) {
        if (entry?.search?.mode === 'outcome' || entry?.resource?.resourceType !== type) continue;
        resources++;
        const updated = entry.resource.meta?.lastUpdated;
        if (typeof updated === 'string' && readFhirTime(updated, 'UTC')) newest = laterOf(newest, updated);
      }
      for (const item of mapped.items) {
        item.location = { ...item.location, page };
        tally.add(item.outcome);
      }
      await onPage?.({ resourceType: type, page, items: mapped.items, events: mapped.events, warnings: mapped.warnings, invalid: mapped.invalid });
      const links = Array.isArray(bundle.link) ? (bundle.link as { relation?: unknown; url?: unknown }[]) : [];
      const link = links.find((l) => l?.relation === 'next' && typeof l.url === 'string');
      next = link ? (link.url as string) : undefined;
    }
    // Resources without meta.lastUpdated: fall back to the server's time of the search.
    const reached = newest ?? (resources > 0 ? serverTime : undefined);
    const checkpoint = laterOf(previous, reached);
    if (checkpoint !== undefined && checkpoint !== previous) await checkpoints.set(checkpointKey(type), checkpoint);
    report.byType[type] = { resources, pages: page, ...(previous === undefined ? {} : { previousCheckpoint: previous }), ...(checkpoint === undefined ? {} : { checkpoint }) };
  }

  return {
    checkpointKey,
    async pull(onPage) {
      const tally = new IngestTally();
      const report: PullReport = { byType: {}, summary: tally.summary(), retries: 0 };
      const before = client.retries;
      for (const type of types) await pullType(type, onPage, tally, report);
      report.summary = tally.summary();
      report.retries = client.retries - before;
      return report;
    },
  };
}
