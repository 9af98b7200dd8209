import { CareRelayError } from '@carerelay/core';

/** How to reach a FHIR server, and how patiently. Every dependency can be injected (fetch, sleep, clock, jitter). */
export interface FhirHttpOptions {
  /** The FHIR base URL, e.g. `https://ehr.example.org/fhir`. */
  baseUrl: string;
  /** A bearer token, or a function returning one (called per request, so it can refresh). */
  bearerToken?: string | (() => string | Promise<string>);
  /** Extra request headers. */
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
  /** Waits between attempts; tests inject a recorder. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, for `Retry-After` dates. */
  now?: () => number;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Attempts per request, first included (default 5). */
  maxAttempts?: number;
  /** First backoff delay (default 500 ms); doubles per attempt, with jitter. */
  baseDelayMs?: number;
  /** Longest backoff delay (default 30 s). */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured (default 5 min); a longer one fails the request instead of stalling. */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Called before each retry (for logs and metrics; carries no PHI). */
  onRetry?: (retry: { attempt: number; status?: number; delayMs: number; path: string }) => void;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** A small FHIR REST client: JSON in and out, bearer auth, bounded retries with backoff that honour `Retry-After`. */
export class FhirHttpClient {
  readonly base: URL;
  private readonly options: FhirHttpOptions;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Retries made so far. */
  retries = 0;

  constructor(options: FhirHttpOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    } catch (cause) {
      throw new CareRelayError('invalid_configuration', 'baseUrl is not a URL', { cause, issues: [{ path: 'baseUrl', message: 'not a URL' }] });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new CareRelayError('invalid_configuration', 'baseUrl must be http or https', { issues: [{ path: 'baseUrl', message: 'must be http or https' }] });
    }
    this.base = base;
    this.options = options;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves a path or URL against the base; refuses URLs on another origin or outside the base path (the token must not leak). */
  resolve(pathOrUrl: string): URL {
    const url = new URL(pathOrUrl, this.base);
    if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname)) {
      throw new CareRelayError('adapter_failure', 'FHIR server sent a link outside its base URL; not followed', { issues: [{ path: 'link', message: 'outside the base URL' }] });
    }
    return url;
  }

  /** GETs JSON. */
  async getJson(pathOrUrl: string): Promise<unknown> {
    return (await this.request('GET', pathOrUrl)).body;
  }

  /** PUTs a JSON resource; returns the status and response body. */
  async putJson(pathOrUrl: string, body: unknown): Promise<{ status: number; body: unknown }> {
    return this.request('PUT', pathOrUrl, body);
  }

  private async request(method: 'GET' | 'PUT', pathOrUrl: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const url = this.resolve(pathOrUrl);
    // Messages name the path only: query strings may carry identifiers.
    const where = `FHIR ${method} ${url.pathname}`;
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 5);
    let lastStatus: number | undefined;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let response: Response;
      try {
        response = await this.attempt(method, url, body);
      } catch (error) {
        lastError = error;
        lastStatus = undefined;
        if (attempt === maxAttempts) break;
        await this.pause(attempt, undefined, undefined, url.pathname);
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        if (text.trim() === '') return { status: response.status, body: undefined };
        try {
          return { status: response.status, body: JSON.parse(text) };
        } catch (cause) {
          throw new CareRelayError('adapter_failure', `${where}: response is not JSON`, { cause });
        }
      }
      await response.body?.cancel().catch(() => undefined);
      lastStatus = response.status;
      if (response.status === 401 || response.status === 403) throw new CareRelayError('unauthorized', `${where}: HTTP ${response.status}`);
      if (!RETRYABLE.has(response.status)) throw new CareRelayError('adapter_failure', `${where}: HTTP ${response.status}`);
      if (attempt === maxAttempts) break;
      await this.pause(attempt, response.status, response.headers.get('retry-after'), url.pathname);
    }
    const why = lastStatus === undefined ? 'network error' : `HTTP ${lastStatus}`;
    throw new CareRelayError('adapter_failure', `${where}: failed after ${maxAttempts} attempts (${why})`, { cause: lastError });
  }

  private async attempt(method: string, url: URL, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/fhir+json, application/json', ...this.options.headers };
    const token = typeof this.options.bearerToken === 'function' ? await this.options.bearerToken() : this.options.bearerToken;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/fhir+json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 60_000);
    try {
      return await this.fetchImpl(url, { method, headers, signal: controller.signal, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } finally {
      clearTimeout(timer);
    }
  }

  private async pause(attempt: number, status: number | undefined, retryAfter: string | null | undefined, path: string): Promise<void> {
    const honoured = retryAfter ? retryAfterMs(retryAfter, this.options.now?.() ?? Date.now()) : undefined;
    const limit = this.options.maxRetryAfterMs ?? 300_000;
    if (honoured !== undefined && honoured > limit) {
      throw new CareRelayError('adapter_failure', `FHIR server asked to wait ${Math.ceil(honoured / 1000)} s (limit ${Math.ceil(limit / 1000)} s)`);
    }
    const base = this.options.baseDelayMs ?? 500;
    const backoff = Math.min(this.options.maxDelayMs ?? 30_000, base * 2 ** (attempt - 1));
    const delayMs = honoured ?? Math.round(backoff / 2 + (this.options.random ?? Math.random)() * (backoff / 2));
    this.retries++;
    this.options.onRetry?.({ attempt, ...(status === undefined ? {} : { status }), delayMs, path });
    await this.sleep(delayMs);
  }
}

/** Milliseconds a `Retry-After` header asks for: delta-seconds or an HTTP date; undefined when unreadable. */
export function retryAfterMs(value: string, nowMillis: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMillis);
}
