import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Stored {
  resource: Record<string, unknown>;
  version: number;
  lastUpdated: number;
}

/** A request the server received (for assertions). */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  status: number;
}

/** A scripted failure: the n-th request (1-based, all methods) gets this status. */
export interface ScriptedFailure {
  request: number;
  status: number;
  retryAfter?: string;
}

/**
 * A small FHIR server on 127.0.0.1 for tests: searches with `_lastUpdated=gt…` and `_count`, paged searchset Bundles
 * with absolute `next` links, `PUT [type]/[id]`, bearer-token checks, and scripted failures (429, 503…).
 * Every stored resource gets `meta.versionId` and a distinct, increasing `meta.lastUpdated`.
 */
export class FhirTestServer {
  readonly requests: SeenRequest[] = [];
  readonly failures: ScriptedFailure[] = [];
  readonly puts: { type: string; id: string; body: Record<string, unknown>; contentType: string | undefined }[] = [];
  private readonly store = new Map<string, Map<string, Stored>>();
  private readonly searches = new Map<string, string[]>();
  private clock: number;
  private searchCounter = 0;
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(
    readonly token: string | undefined,
    startAt = Date.parse('2025-01-01T00:00:00Z'),
  ) {
    this.clock = startAt;
  }

  /** Starts listening on an ephemeral port of 127.0.0.1; `url` is the FHIR base. */
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/fhir`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Stores (or updates) a resource as a new version. */
  upsert(resource: Record<string, unknown>): void {
    const type = resource.resourceType as string;
    const id = resource.id as string;
    const byType = this.store.get(type) ?? new Map<string, Stored>();
    this.store.set(type, byType);
    const previous = byType.get(id);
    this.clock += 1000;
    byType.set(id, { resource: structuredClone(resource), version: (previous?.version ?? 0) + 1, lastUpdated: this.clock });
  }

  /** Re-saves a stored resource unchanged, as a new version (as an EHR edit would). */
  touch(type: string, id: string): void {
    const stored = this.store.get(type)?.get(id);
    if (!stored) throw new Error(`no ${type}/${id}`);
    this.upsert(stored.resource);
  }

  count(type: string): number {
    return this.store.get(type)?.size ?? 0;
  }

  private withMeta(stored: Stored): Record<string, unknown> {
    const meta = { ...(stored.resource.meta as object | undefined), versionId: String(stored.version), lastUpdated: new Date(stored.lastUpdated).toISOString() };
    return { ...stored.resource, meta };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen: SeenRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, status: 200 };
    this.requests.push(seen);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      seen.status = status;
      res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const failure = this.failures.find((f) => f.request === this.requests.length);
    if (failure) return send(failure.status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) return send(401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
    const parts = url.pathname.replace(/^\/fhir\/?/, '').split('/').filter(Boolean);
    if (req.method === 'PUT' && parts.length === 2) {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const existed = this.store.get(parts[0]!)?.has(parts[1]!) ?? false;
      this.upsert(body);
      this.puts.push({ type: parts[0]!, id: parts[1]!, body, contentType: req.headers['content-type'] });
      return send(existed ? 200 : 201, this.withMeta(this.store.get(parts[0]!)!.get(parts[1]!)!));
    }
    if (req.method !== 'GET' || parts.length !== 1) return send(404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    const type = parts[0]!;
    const count = Number(url.searchParams.get('_count') ?? '50');
    let searchId = url.searchParams.get('_search');
    const offset = Number(url.searchParams.get('_offset') ?? '0');
    if (searchId === null) {
      const since = url.searchParams.get('_lastUpdated');
      const after = since?.startsWith('gt') ? Date.parse(since.slice(2)) : -Infinity;
      const ids = [...(this.store.get(type)?.values() ?? [])]
        .filter((s) => s.lastUpdated > after)
        .sort((a, b) => a.lastUpdated - b.lastUpdated)
        .map((s) => s.resource.id as string);
      searchId = String(++this.searchCounter);
      this.searches.set(searchId, ids);
    }
    const ids = this.searches.get(searchId) ?? [];
    const pageIds = ids.slice(offset, offset + count);
    const base = this.url;
    const link = [{ relation: 'self', url: `${base}/${type}?${url.searchParams.toString()}` }];
    if (offset + count < ids.length) link.push({ relation: 'next', url: `${base}/${type}?_search=${searchId}&_offset=${offset + count}&_count=${count}` });
    send(200, {
      resourceType: 'Bundle',
      type: 'searchset',
      meta: { lastUpdated: new Date(this.clock).toISOString() },
      total: ids.length,
      link,
      entry: pageIds.map((id) => {
        const stored = this.store.get(type)!.get(id)!;
        return { fullUrl: `${base}/${type}/${id}`, resource: this.withMeta(stored), search: { mode: 'match' } };
      }),
    });
  }
}
