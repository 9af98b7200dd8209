import { createHmac, timingSafeEqual } from 'node:crypto';
import { CareRelayError } from '@carerelay/core';

/** Why a webhook failed verification. */
export type WebhookVerificationReason =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature';

/** Thrown by {@link verifyWebhook}: code `unauthorized`, with the precise `reason`. Never carries the payload. */
export class WebhookVerificationError extends CareRelayError {
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super('unauthorized', `webhook verification failed: ${message}`);
    this.reason = reason;
  }
}

const PREFIX = 'whsec_';

/**
 * Decodes a Standard Webhooks secret (`whsec_` + base64 of the key bytes) to the HMAC key.
 * @throws CareRelayError `invalid_configuration` when it is not base64 or decodes to fewer than 16 bytes.
 */
export function decodeWebhookSecret(secret: string): Buffer {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new CareRelayError('invalid_configuration', 'webhook secret is not base64 (expected whsec_<base64>)');
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new CareRelayError('invalid_configuration', 'webhook secret is shorter than 16 bytes');
  return key;
}

/** The `v1,<base64>` signature of one message with one key: HMAC-SHA256 over `${id}.${timestamp}.${body}`. */
export function signatureFor(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` signature per secret, space-separated, so receivers can
 * rotate secrets (sign with old and new while they switch over).
 */
export function signWebhook(input: { id: string; timestamp: number; body: string; secrets: readonly string[] }): string {
  return input.secrets.map((secret) => signatureFor(decodeWebhookSecret(secret), input.id, input.timestamp, input.body)).join(' ');
}

/** Request headers as `fetch`'s `Headers` or Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = Headers | Record<string, string | readonly string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | readonly string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The request headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`). */
  headers: WebhookHeaders;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string | Uint8Array;
  /** The secret(s) this receiver accepts (`whsec_…`); during a rotation, both old and new. */
  secrets: string | readonly string[];
  /** The current time, for the timestamp check (default: now). */
  now?: Date | number;
  /** How far `webhook-timestamp` may be from `now`, either way. Default 300 seconds. */
  toleranceSeconds?: number;
}

/** What a verified webhook carried. */
export interface VerifiedWebhook {
  id: string;
  /** `webhook-timestamp`, in seconds since the epoch. */
  timestamp: number;
  /** The body parsed as JSON. */
  payload: unknown;
}

/**
 * Verifies a Standard Webhooks v1 request for a receiver: the timestamp lies within ±`toleranceSeconds` of `now`
 * (replays are rejected), and one of the `v1` signatures matches one of `secrets` — compared in constant time
 * (`crypto.timingSafeEqual`).
 * @throws WebhookVerificationError with a `reason` when it does not verify.
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifiedWebhook {
  const id = header(options.headers, 'webhook-id');
  const stamp = header(options.headers, 'webhook-timestamp');
  const signatures = header(options.headers, 'webhook-signature');
  if (!id || !stamp || !signatures) throw new WebhookVerificationError('missing_headers', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d{1,12}$/.test(stamp.trim())) throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not a number of seconds');
  const timestamp = Number(stamp.trim());
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  const nowSeconds = Math.floor(nowMs / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (timestamp < nowSeconds - tolerance) throw new WebhookVerificationError('timestamp_too_old', 'webhook-timestamp is too old');
  if (timestamp > nowSeconds + tolerance) throw new WebhookVerificationError('timestamp_too_new', 'webhook-timestamp is in the future');

  const body = typeof options.body === 'string' ? options.body : Buffer.from(options.body).toString('utf8');
  const secrets = typeof options.secrets === 'string' ? [options.secrets] : options.secrets;
  const expected = secrets.map((secret) => createHmac('sha256', decodeWebhookSecret(secret)).update(`${id}.${timestamp}.${body}`).digest());
  const offered = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  let matched = false;
  for (const candidate of offered) {
    for (const want of expected) {
      // Compare every pair (no early exit) so timing does not reveal which secret or position matched.
      if (candidate.length === want.length && timingSafeEqual(candidate, want)) matched = true;
    }
  }
  if (!matched) throw new WebhookVerificationError('no_matching_signature', 'no signature matches');
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    payload = body;
  }
  return { id, timestamp, payload };
}
