import { CareRelayError } from '@carerelay/core';
import type { Channel, OutboundMessage, RenderOptions, SendResult, TrustLevel } from '@carerelay/engine';
import { idempotentSend, renderMessage } from '@carerelay/engine';
import { toCloudEvent } from './cloud-event.js';
import { type RetryScheduleOptions, parseRetryAfter, retryDelayMs } from './retry-schedule.js';
import { decodeWebhookSecret, signWebhook } from './standard-webhooks.js';

/** Options of {@link createWebhookChannel}. */
export interface WebhookChannelOptions {
  /** The endpoint used when the message's `address` is not an http(s) URL (e.g. the vendor's paging service). */
  url?: string;
  /** Resolves the endpoint per message; default: `message.address` when it is an http(s) URL, else `url`. */
  endpointFor?: (message: OutboundMessage) => string | undefined;
  /**
   * Signing secrets, `whsec_<base64>`. Each request is signed with every one (space-separated `v1,` signatures), so
   * during a rotation list the new secret and the old one until receivers have switched.
   */
  secrets: string | readonly string[];
  /** CloudEvents `source` (a URI reference identifying your deployment). Default `urn:carerelay`. */
  source?: string;
  /** What the endpoint may receive. Default `phi-minimal`. */
  trust?: TrustLevel;
  /** Name policies and owners' preferences refer to. Default `webhook`. */
  name?: string;
  /** Deep-link base for items' links, and options for re-rendering a message for the channel's trust level. */
  render?: RenderOptions;
  /** Abort a request after this many milliseconds (reported as retryable). Default 10 000. */
  timeoutMs?: number;
  /** Retry schedule and jitter for retryable failures without a `Retry-After`. */
  retry?: RetryScheduleOptions;
  /** Upper bound on an honoured `Retry-After`. Default 24 hours. */
  maxRetryAfterMs?: number;
  /** Endpoints already known to be gone (e.g. persisted from an earlier `onEndpointDisabled`). */
  disabledEndpoints?: Iterable<string>;
  /** Called once when an endpoint answers 410 Gone and is disabled; persist it to keep it disabled across restarts. */
  onEndpointDisabled?: (url: string) => void;
  /** Extra headers on every request (e.g. an API key of the receiving service). */
  headers?: Record<string, string>;
  /** The `fetch` to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Epoch milliseconds now, for `webhook-timestamp` and `Retry-After` dates. Default `Date.now`. */
  clock?: () => number;
  /** How many delivered idempotency keys to remember in this process. Default 10 000. */
  rememberDelivered?: number;
}

/** A webhook {@link Channel} with control over disabled endpoints. */
export interface WebhookChannel extends Channel {
  /** Whether an endpoint has been disabled (it answered 410 Gone). */
  isDisabled(url: string): boolean;
  /** Re-enables an endpoint (after the receiver has been fixed). */
  enableEndpoint(url: string): void;
  close(): Promise<void>;
}

const TRUST_RANK: Record<TrustLevel, number> = { 'phi-minimal': 0, 'phi-allowed': 1 };
const RETRYABLE_STATUS = new Set([408, 425, 429]);
const DAY_MS = 86_400_000;

function isHttpUrl(value: string | undefined): value is string {
  return value !== undefined && /^https?:\/\//i.test(value);
}

/** A short, PHI-free tag for a network failure (`ECONNREFUSED`), from the error or its cause. */
function networkCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,39}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * Creates a webhook channel: each message is POSTed as a CloudEvents 1.0 JSON event (structured mode), signed per
 * Standard Webhooks v1 (`webhook-id` = message id = CloudEvents `id`, `webhook-timestamp`, `webhook-signature`).
 *
 * - 2xx → `delivered`. 408, 425, 429 and 5xx, timeouts and network errors → `retryable`, with `retryAfterMs` from
 *   `Retry-After` when the receiver sent one, else from the retry schedule (with jitter) by the number of failed
 *   attempts for that idempotency key. 410 Gone → `permanent`, and the endpoint is disabled. Other statuses
 *   (including redirects, which are not followed) → `permanent`.
 * - Failures are returned, never thrown; error strings carry the status or error code only (no URL, no body).
 * - `phi-minimal` payloads carry the display token, summaries, deadlines, level and links only; a message rendered
 *   for a higher trust level is re-rendered for the channel first.
 *
 * @throws CareRelayError `invalid_configuration` at creation when a secret is malformed or none is given.
 */
export function createWebhookChannel(options: WebhookChannelOptions): WebhookChannel {
  const secrets = typeof options.secrets === 'string' ? [options.secrets] : [...options.secrets];
  if (secrets.length === 0) throw new CareRelayError('invalid_configuration', 'webhook channel needs at least one secret');
  for (const secret of secrets) decodeWebhookSecret(secret);
  const trust = options.trust ?? 'phi-minimal';
  const source = options.source ?? 'urn:carerelay';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DAY_MS;
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? Date.now;
  const remember = options.rememberDelivered ?? 10_000;
  const disabled = new Set(options.disabledEndpoints ?? []);
  const failures = new Map<string, number>();
  const endpointFor = options.endpointFor ?? ((message: OutboundMessage) => (isHttpUrl(message.address) ? message.address : options.url));

  function retryable(key: string, error: string, retryAfterHeader?: string | null): SendResult {
    const failed = (failures.get(key) ?? 0) + 1;
    failures.set(key, failed);
    if (failures.size > remember) failures.delete(failures.keys().next().value!);
    const fromHeader = parseRetryAfter(retryAfterHeader, clock());
    const retryAfterMs = fromHeader === undefined ? retryDelayMs(failed, options.retry) : Math.min(fromHeader, maxRetryAfterMs);
    return { status: 'retryable', error, retryAfterMs };
  }

  async function deliver(message: OutboundMessage, key: string): Promise<SendResult> {
    const url = endpointFor(message);
    if (!isHttpUrl(url)) return { status: 'permanent', error: 'webhook: no endpoint for this recipient' };
    if (disabled.has(url)) return { status: 'permanent', error: 'webhook: endpoint disabled (it answered 410 Gone)' };
    let body: string;
    try {
      const forChannel = TRUST_RANK[message.trust] > TRUST_RANK[trust] ? renderMessage(message.digest, trust, options.render) : message;
      body = JSON.stringify(toCloudEvent(forChannel, trust, { source, ...(options.render?.deepLinkBase ? { deepLinkBase: options.render.deepLinkBase } : {}) }));
    } catch {
      return { status: 'permanent', error: 'webhook: rendering failed' };
    }
    const timestamp = Math.floor(clock() / 1000);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          ...options.headers,
          'content-type': 'application/cloudevents+json; charset=utf-8',
          'user-agent': 'CareRelay-Webhook/0.1',
          'webhook-id': message.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook({ id: message.id, timestamp, body, secrets }),
        },
        body,
      });
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') return retryable(key, `webhook: timed out after ${timeoutMs} ms`);
      const code = networkCode(error);
      return retryable(key, `webhook: network error${code ? ` (${code})` : ''}`);
    }
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status >= 200 && status < 300) {
      failures.delete(key);
      return { status: 'delivered', providerId: message.id };
    }
    if (status === 410) {
      failures.delete(key);
      if (!disabled.has(url)) {
        disabled.add(url);
        try {
          options.onEndpointDisabled?.(url);
        } catch {
          // A failing callback must not turn a delivery outcome into a throw.
        }
      }
      return { status: 'permanent', error: 'webhook: HTTP 410 Gone; endpoint disabled' };
    }
    if (RETRYABLE_STATUS.has(status) || status >= 500) return retryable(key, `webhook: HTTP ${status}`, response.headers.get('retry-after'));
    failures.delete(key);
    if (status >= 300 && status < 400) return { status: 'permanent', error: `webhook: HTTP ${status} (redirects are not followed)` };
    return { status: 'permanent', error: `webhook: HTTP ${status}` };
  }

  const send = idempotentSend(deliver, { name: 'webhook', remember });

  return {
    name: options.name ?? 'webhook',
    trust,
    send,
    isDisabled: (url) => disabled.has(url),
    enableEndpoint(url) {
      disabled.delete(url);
    },
    async close() {
      // fetch keeps no per-channel resources.
    },
  };
}
