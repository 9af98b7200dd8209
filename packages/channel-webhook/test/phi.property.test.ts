import { digest } from '@carerelay/core';
import { renderMessage } from '@carerelay/engine';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CloudEvent, createWebhookChannel, verifyWebhook } from '../src/index.js';
import { SPEC_SECRET } from './fixtures.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';
import { leaks, notificationFor, patientArb, phiOf } from '@carerelay/testkit';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());
afterEach(() => {
  receiver.requests.length = 0;
});

const render = { deepLinkBase: 'https://app.clinic.example', timeZone: 'Europe/Berlin' };

describe('PHI policy: the phi-minimal webhook channel', () => {
  it('sends no name, birth date, diagnosis, medication or note text, for thousands of generated patients', async () => {
    const hook = createWebhookChannel({ url: receiver.url('/phi'), secrets: SPEC_SECRET, render });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(patientArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('phi-minimal' as const, 'phi-allowed' as const), async (patients, renderedFor) => {
        receiver.requests.length = 0;
        const [message] = digest(patients.map((p, i) => notificationFor(p, i)), { windowMinutes: 60 });
        // Handed a phi-allowed rendering (an engine bug), the channel must still send nothing but PHI-free data.
        const result = await hook.send(renderMessage(message!, renderedFor, render), { idempotencyKey: `send-${++sent}` });
        expect(result.status).toBe('delivered');
        const [request] = receiver.requests;
        const event = verifyWebhook({ headers: request!.headers, body: request!.body, secrets: SPEC_SECRET }).payload as CloudEvent;
        expect(event.data.items.map((i) => i.displayToken)).toEqual(patients.map((p) => p.token));
        const headers = request!.rawHeaders.join('\n');
        expect(leaks([request!.body, headers], patients.flatMap(phiOf))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('keeps PHI a receiver echoes in its answer out of the error string', async () => {
    const hook = createWebhookChannel({ url: receiver.url('/echo'), secrets: SPEC_SECRET, render, retry: { random: () => 0.5 } });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(patientArb, fc.constantFrom(400, 401, 403, 404, 422, 429, 500, 502, 503), async (p, status) => {
        receiver.on('/echo', { status, headers: { 'x-detail': `${p.name.replace(/[^A-Za-z ]/g, '')} ${p.birthDate}`, 'retry-after': 'soon' } });
        const [message] = digest([notificationFor(p, 0)], { windowMinutes: 60 });
        const result = await hook.send(renderMessage(message!, 'phi-allowed', render), { idempotencyKey: `echo-${++sent}` });
        expect(result.status).toBe(status === 429 || status >= 500 ? 'retryable' : 'permanent');
        expect(leaks([JSON.stringify(result)], phiOf(p))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

describe('Digest over a flaky receiver: retried sends lose no item and send none twice', () => {
  it('gets each recipient’s message accepted exactly once, with each of their items once', async () => {
    const hook = createWebhookChannel({ secrets: SPEC_SECRET, render, retry: { random: () => 0.5 } });
    let run = 0;
    const recipientArb = fc.record({ items: fc.integer({ min: 1, max: 4 }), failures: fc.integer({ min: 0, max: 3 }), retryAfter: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(fc.array(recipientArb, { minLength: 1, maxLength: 3 }), patientArb, async (recipients, p) => {
        run += 1;
        receiver.requests.length = 0;
        const notifications = recipients.flatMap((r, ri) =>
          Array.from({ length: r.items }, (_, k) => notificationFor({ ...p, token: `T.K. ·${ri}${k}` }, ri * 10 + k, `r${ri}`, new Date(Date.parse('2026-11-26T20:00:00Z') + k * 60_000).toISOString())),
        );
        const messages = digest(notifications, { windowMinutes: 60 });
        expect(messages).toHaveLength(recipients.length);
        for (const message of messages) {
          const r = recipients[Number(message.recipientId.slice(1))]!;
          const path = `/flaky-${run}-${message.recipientId}`;
          const outbound = { ...renderMessage(message, 'phi-minimal', render), address: receiver.url(path) };
          const key = { idempotencyKey: `${message.id}:${run}` };
          let failuresLeft = r.failures;
          let result;
          for (let attempt = 0; attempt < 10; attempt++) {
            receiver.on(path, failuresLeft-- > 0 ? { status: 503, headers: r.retryAfter === undefined ? {} : { 'retry-after': String(r.retryAfter) } } : { status: 200 });
            result = await hook.send(outbound, key);
            if (result.status !== 'retryable') break;
            expect(result.retryAfterMs).toBe(r.retryAfter === undefined ? [5_000, 300_000, 1_800_000][attempt] : r.retryAfter * 1000);
          }
          expect(result?.status).toBe('delivered');
          expect((await hook.send(outbound, key)).status).toBe('delivered');
          const attempts = receiver.requests.filter((q) => q.path === path);
          expect(attempts).toHaveLength(r.failures + 1);
          // Every attempt is the same event (same webhook-id and body); the receiver accepted it once.
          expect(new Set(attempts.map((q) => `${q.headers['webhook-id']}|${q.body}`)).size).toBe(1);
          const event = JSON.parse(attempts[0]!.body) as CloudEvent;
          expect(event.data.items.map((i) => i.displayToken)).toEqual(Array.from({ length: r.items }, (_, k) => `T.K. ·${message.recipientId.slice(1)}${k}`));
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
