import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CloudEvent, createWebhookChannel, verifyWebhook } from '../src/index.js';
import { NEW_SECRET, PHI_STRINGS, SPEC_SECRET, message } from './fixtures.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
afterAll(() => receiver.close());
afterEach(() => {
  receiver.requests.length = 0;
});

const NOW = Date.parse('2026-11-26T20:00:07Z');
const clock = () => NOW;
const render = { deepLinkBase: 'https://app.clinic.example', timeZone: 'America/New_York' };

function channel(path: string, extra: Partial<Parameters<typeof createWebhookChannel>[0]> = {}) {
  return createWebhookChannel({ url: receiver.url(path), secrets: [SPEC_SECRET], source: 'https://carerelay.clinic.example', clock, render, retry: { random: () => 0.5 }, ...extra });
}

describe('webhook channel against a real HTTP listener', () => {
  it('POSTs a signed CloudEvents 1.0 event that the receiver verifies', async () => {
    receiver.on('/ok', { status: 204 });
    const hook = channel('/ok');
    const sent = message();
    expect(await hook.send(sent, { idempotencyKey: `${sent.id}:webhook` })).toEqual({ status: 'delivered', providerId: 'ntf_hook_1' });
    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(req!.headers['webhook-id']).toBe('ntf_hook_1');
    expect(req!.headers['webhook-timestamp']).toBe(String(Math.floor(NOW / 1000)));
    const verified = verifyWebhook({ headers: req!.headers, body: req!.body, secrets: SPEC_SECRET, now: NOW + 60_000 });
    const event = verified.payload as CloudEvent;
    expect(event).toMatchObject({
      specversion: '1.0',
      id: 'ntf_hook_1',
      source: 'https://carerelay.clinic.example',
      type: 'com.carerelay.notification.critical',
      subject: 'crisis-1',
      time: '2026-11-26T20:00:00.000Z',
      datacontenttype: 'application/json',
    });
    expect(event.data).toMatchObject({ messageId: 'ntf_hook_1', level: 'critical', critical: true, trust: 'phi-minimal', subject: 'Critical: 1 item due Fri 27 Nov — M.R. ·1177', deepLink: 'https://app.clinic.example/tasks/task_00000000000000c9' });
    expect(event.data.items).toEqual([
      {
        notificationId: 'ntf_hook_1',
        taskId: 'task_00000000000000c9',
        displayToken: 'M.R. ·1177',
        summary: 'Crisis follow-up and safety plan',
        deadline: '2026-11-27T20:00:00.000Z',
        level: 'critical',
        milestoneKind: 'crisis_follow_up',
        deepLink: 'https://app.clinic.example/tasks/task_00000000000000c9',
      },
    ]);
    for (const phi of PHI_STRINGS) expect(req!.body).not.toContain(phi);
    // Keep the request exactly as received, for the docs (`CARERELAY_SAVE_WEBHOOK=path`).
    if (process.env.CARERELAY_SAVE_WEBHOOK) {
      const lines = [`${req!.method} ${req!.path} HTTP/1.1`];
      for (let i = 0; i < req!.rawHeaders.length; i += 2) lines.push(`${req!.rawHeaders[i]}: ${req!.rawHeaders[i + 1]}`);
      writeFileSync(process.env.CARERELAY_SAVE_WEBHOOK, `${lines.join('\r\n')}\r\n\r\n${req!.body}`);
    }
  });

  it('signs with old and new secrets during a rotation; a receiver on either verifies', async () => {
    const hook = channel('/ok', { secrets: [NEW_SECRET, SPEC_SECRET] });
    await hook.send(message(), { idempotencyKey: 'rotation' });
    const [req] = receiver.requests;
    expect(String(req!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [SPEC_SECRET, NEW_SECRET]) expect(verifyWebhook({ headers: req!.headers, body: req!.body, secrets: secret, now: NOW }).id).toBe('ntf_hook_1');
  });

  it('honours Retry-After on 503, then delivers once the receiver recovers, exactly once', async () => {
    receiver.on('/flaky', { status: 503, headers: { 'retry-after': '120' } });
    const hook = channel('/flaky');
    expect(await hook.send(message(), { idempotencyKey: 'flaky' })).toEqual({ status: 'retryable', error: 'webhook: HTTP 503', retryAfterMs: 120_000 });
    receiver.on('/flaky', { status: 503, headers: { 'retry-after': 'Thu, 26 Nov 2026 20:10:07 GMT' } });
    expect(await hook.send(message(), { idempotencyKey: 'flaky' })).toMatchObject({ retryAfterMs: 600_000 });
    receiver.on('/flaky', { status: 200 });
    expect((await hook.send(message(), { idempotencyKey: 'flaky' })).status).toBe('delivered');
    expect((await hook.send(message(), { idempotencyKey: 'flaky' })).status).toBe('delivered');
    expect(receiver.requests).toHaveLength(3);
    // Every attempt carries the same webhook-id and the same body, so the receiver can dedupe.
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set(['ntf_hook_1']));
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  });

  it('without Retry-After, backs off along the schedule with jitter, per idempotency key', async () => {
    receiver.on('/down', { status: 500 });
    const draws = [0, 0.5, 1 - 1e-9];
    const hook = channel('/down', { retry: { random: () => draws.shift() ?? 0.5 } });
    const delays = [];
    for (let i = 0; i < 3; i++) {
      const result = await hook.send(message(), { idempotencyKey: 'down' });
      expect(result.status).toBe('retryable');
      delays.push(result.status === 'retryable' ? result.retryAfterMs : undefined);
    }
    expect(delays).toEqual([4_000, 300_000, 2_160_000]);
    receiver.on('/down', { status: 429 });
    expect(await hook.send(message(), { idempotencyKey: 'other' })).toEqual({ status: 'retryable', error: 'webhook: HTTP 429', retryAfterMs: 5_000 });
  });

  it('reports a receiver that does not answer in time as retryable', async () => {
    receiver.on('/slow', 'hang');
    const hook = channel('/slow', { timeoutMs: 200 });
    expect(await hook.send(message(), { idempotencyKey: 'slow' })).toEqual({ status: 'retryable', error: 'webhook: timed out after 200 ms', retryAfterMs: 5_000 });
  });

  it('treats 410 Gone as permanent and disables the endpoint until re-enabled', async () => {
    receiver.on('/gone', { status: 410 });
    const disabled: string[] = [];
    const hook = channel('/gone', { onEndpointDisabled: (url) => disabled.push(url) });
    expect(await hook.send(message(), { idempotencyKey: 'gone-1' })).toEqual({ status: 'permanent', error: 'webhook: HTTP 410 Gone; endpoint disabled' });
    expect(disabled).toEqual([receiver.url('/gone')]);
    expect(hook.isDisabled(receiver.url('/gone'))).toBe(true);
    expect(await hook.send(message('phi-minimal', { id: 'ntf_hook_2' }), { idempotencyKey: 'gone-2' })).toEqual({ status: 'permanent', error: 'webhook: endpoint disabled (it answered 410 Gone)' });
    expect(receiver.requests).toHaveLength(1);
    receiver.on('/gone', { status: 202 });
    hook.enableEndpoint(receiver.url('/gone'));
    expect((await hook.send(message('phi-minimal', { id: 'ntf_hook_2' }), { idempotencyKey: 'gone-2' })).status).toBe('delivered');
    // A restart keeps it disabled when the vendor persisted it.
    const restarted = channel('/gone', { disabledEndpoints: disabled });
    expect((await restarted.send(message(), { idempotencyKey: 'x' })).status).toBe('permanent');
  });

  it('treats other 4xx and redirects as permanent, and a refused connection as retryable', async () => {
    receiver.on('/bad', { status: 400 });
    receiver.on('/moved', { status: 301, headers: { location: receiver.url('/ok') } });
    expect(await channel('/bad').send(message(), { idempotencyKey: 'bad' })).toEqual({ status: 'permanent', error: 'webhook: HTTP 400' });
    expect(await channel('/moved').send(message(), { idempotencyKey: 'moved' })).toEqual({ status: 'permanent', error: 'webhook: HTTP 301 (redirects are not followed)' });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/bad', '/moved']);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const hook = createWebhookChannel({ url: `http://127.0.0.1:${port}/`, secrets: SPEC_SECRET, retry: { random: () => 0.5 } });
    expect(await hook.send(message(), { idempotencyKey: 'refused' })).toEqual({ status: 'retryable', error: 'webhook: network error (ECONNREFUSED)', retryAfterMs: 5_000 });
  });

  it('sends to the address on the message when it is a URL, and refuses a message with no endpoint', async () => {
    const hook = createWebhookChannel({ secrets: SPEC_SECRET });
    expect((await hook.send({ ...message(), address: receiver.url('/owner-route') }, { idempotencyKey: 'a' })).status).toBe('delivered');
    expect(receiver.requests.map((r) => r.path)).toEqual(['/owner-route']);
    expect(await hook.send(message(), { idempotencyKey: 'b' })).toEqual({ status: 'permanent', error: 'webhook: no endpoint for this recipient' });
  });

  it('phi-minimal: re-renders a phi-allowed message; phi-allowed: a BAA-covered endpoint gets the full text', async () => {
    await channel('/ok').send(message('phi-allowed'), { idempotencyKey: 'minimal' });
    await channel('/ok', { trust: 'phi-allowed' }).send(message('phi-allowed', { id: 'ntf_hook_3' }), { idempotencyKey: 'allowed' });
    const [minimal, allowed] = receiver.requests;
    for (const phi of PHI_STRINGS) expect(minimal!.body).not.toContain(phi);
    expect(minimal!.body).toContain('M.R. ·1177');
    const event = JSON.parse(allowed!.body) as CloudEvent;
    expect(event.data.trust).toBe('phi-allowed');
    expect(event.data.items[0]).toMatchObject({ text: 'safety plan review for Morgan Reyes (born 2011-05-03) on escitalopram 10 mg', patientId: 'pat-b-mrn-778812' });
    expect(event.data.subject).toBe('Critical: 1 item due Fri 27 Nov — M.R. ·1177');
  });

  it('refuses to start without a valid secret', () => {
    expect(() => createWebhookChannel({ url: receiver.url('/ok'), secrets: [] })).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
    expect(() => createWebhookChannel({ url: receiver.url('/ok'), secrets: 'whsec_???' })).toThrow(expect.objectContaining({ code: 'invalid_configuration' }));
  });
});
