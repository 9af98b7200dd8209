import { runChannelConformance } from '@carerelay/testkit';
import { afterAll, beforeAll } from 'vitest';
import { createWebhookChannel, verifyWebhook } from '../src/index.js';
import { SPEC_SECRET } from './fixtures.js';
import { type HttpReceiver, startHttpReceiver } from './http-receiver.js';

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
  receiver.on('/failing', { status: 503, headers: { 'retry-after': '30' } });
});
afterAll(() => receiver.close());

// What arrived for one message: verified bodies (an unverifiable request would throw and fail the suite).
const receive = async (id: string) =>
  receiver.requests
    .filter((r) => r.path === '/hook' && r.headers['webhook-id'] === id)
    .map((r) => (verifyWebhook({ headers: r.headers, body: r.body, secrets: SPEC_SECRET }), r.body));

runChannelConformance({
  name: 'webhook (phi-minimal)',
  create: () => createWebhookChannel({ url: receiver.url('/hook'), secrets: SPEC_SECRET }),
  createFailing: () => createWebhookChannel({ url: receiver.url('/failing'), secrets: SPEC_SECRET }),
  receive,
});

runChannelConformance({
  name: 'webhook (phi-allowed)',
  create: () => createWebhookChannel({ url: receiver.url('/hook'), secrets: SPEC_SECRET, trust: 'phi-allowed' }),
  receive,
});
