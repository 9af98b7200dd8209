import { CareRelayError } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_SCHEDULE_MS,
  WebhookVerificationError,
  decodeWebhookSecret,
  parseRetryAfter,
  retryDelayMs,
  signWebhook,
  verifyWebhook,
} from '../src/index.js';
import { NEW_SECRET, SPEC_SECRET } from './fixtures.js';

// The Standard Webhooks specification's example.
const VECTOR = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const headers = (signature = VECTOR.signature, timestamp = String(VECTOR.timestamp)) => ({
  'webhook-id': VECTOR.id,
  'webhook-timestamp': timestamp,
  'webhook-signature': signature,
});
const at = (seconds: number) => seconds * 1000;

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toBeInstanceOf(CareRelayError);
    expect((error as WebhookVerificationError).code).toBe('unauthorized');
    return (error as WebhookVerificationError).reason;
  }
  return 'verified';
}

describe('Standard Webhooks v1 signatures', () => {
  it('signs the specification example to its published signature', () => {
    expect(signWebhook({ ...VECTOR, secrets: [SPEC_SECRET] })).toBe(VECTOR.signature);
  });

  it('signs with every secret during a rotation, space-separated', () => {
    const header = signWebhook({ ...VECTOR, secrets: [NEW_SECRET, SPEC_SECRET] });
    const parts = header.split(' ');
    expect(parts).toHaveLength(2);
    expect(parts[1]).toBe(VECTOR.signature);
    expect(parts[0]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('verifies the example within the tolerance and returns the parsed payload', () => {
    expect(verifyWebhook({ headers: headers(), body: VECTOR.body, secrets: SPEC_SECRET, now: at(VECTOR.timestamp + 299) })).toEqual({
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
      payload: { test: 2432232314 },
    });
    // fetch's Headers and a Uint8Array body work too.
    expect(verifyWebhook({ headers: new Headers(headers()), body: new TextEncoder().encode(VECTOR.body), secrets: [SPEC_SECRET], now: at(VECTOR.timestamp) }).id).toBe(VECTOR.id);
  });

  it('accepts any of several signatures and any of several secrets (rotation on either side)', () => {
    const both = signWebhook({ ...VECTOR, secrets: [NEW_SECRET, SPEC_SECRET] });
    const now = at(VECTOR.timestamp);
    expect(reasonOf(() => verifyWebhook({ headers: headers(both), body: VECTOR.body, secrets: SPEC_SECRET, now }))).toBe('verified');
    expect(reasonOf(() => verifyWebhook({ headers: headers(both), body: VECTOR.body, secrets: NEW_SECRET, now }))).toBe('verified');
    expect(reasonOf(() => verifyWebhook({ headers: headers(), body: VECTOR.body, secrets: [NEW_SECRET, SPEC_SECRET], now }))).toBe('verified');
    expect(reasonOf(() => verifyWebhook({ headers: headers(), body: VECTOR.body, secrets: NEW_SECRET, now }))).toBe('no_matching_signature');
  });

  it('rejects stale and future timestamps beyond ±5 minutes, tampered bodies and missing headers', () => {
    const body = VECTOR.body;
    const secrets = SPEC_SECRET;
    expect(reasonOf(() => verifyWebhook({ headers: headers(), body, secrets, now: at(VECTOR.timestamp + 301) }))).toBe('timestamp_too_old');
    expect(reasonOf(() => verifyWebhook({ headers: headers(), body, secrets, now: at(VECTOR.timestamp - 301) }))).toBe('timestamp_too_new');
    expect(reasonOf(() => verifyWebhook({ headers: headers(), body, secrets, now: at(VECTOR.timestamp + 30), toleranceSeconds: 10 }))).toBe('timestamp_too_old');
    expect(reasonOf(() => verifyWebhook({ headers: headers(), body: '{"test": 2432232315}', secrets, now: at(VECTOR.timestamp) }))).toBe('no_matching_signature');
    expect(reasonOf(() => verifyWebhook({ headers: headers('v1,AAAA'), body, secrets, now: at(VECTOR.timestamp) }))).toBe('no_matching_signature');
    expect(reasonOf(() => verifyWebhook({ headers: headers(VECTOR.signature.replace('v1,', 'v2,')), body, secrets, now: at(VECTOR.timestamp) }))).toBe('no_matching_signature');
    expect(reasonOf(() => verifyWebhook({ headers: headers(VECTOR.signature, '16142653e0'), body, secrets, now: at(VECTOR.timestamp) }))).toBe('invalid_timestamp');
    expect(reasonOf(() => verifyWebhook({ headers: { 'webhook-id': VECTOR.id }, body, secrets, now: at(VECTOR.timestamp) }))).toBe('missing_headers');
  });

  it('refuses malformed secrets as configuration errors', () => {
    expect(() => decodeWebhookSecret('whsec_not base64!')).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    expect(() => decodeWebhookSecret('whsec_c2hvcnQ=')).toThrow(/shorter than 16 bytes/);
    expect(decodeWebhookSecret(SPEC_SECRET)).toHaveLength(24);
  });
});

describe('retry schedule', () => {
  it('follows the Standard Webhooks schedule with ±20 % jitter from an injectable random source', () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect([1, 2, 3, 8, 20].map((n) => retryDelayMs(n, { random: () => 0.5 }))).toEqual([5_000, 300_000, 1_800_000, 36_000_000, 36_000_000]);
    expect(retryDelayMs(1, { random: () => 0 })).toBe(4_000);
    expect(retryDelayMs(1, { random: () => 0.999999 })).toBe(6_000);
    expect(retryDelayMs(2, { random: () => 0.25, jitterRatio: 0 })).toBe(300_000);
    expect(retryDelayMs(2, { scheduleMs: [1_000, 2_000], random: () => 0.5 })).toBe(2_000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-26T20:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 20:05:00 GMT', now)).toBe(300_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 19:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
