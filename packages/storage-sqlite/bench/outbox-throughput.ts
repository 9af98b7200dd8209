import type { Channel, OutboundMessage } from '@carerelay/engine';
import type { SqliteStorage } from '../src/index.js';
import { NOW, TENANT, enqueueDue, freshFileStorage } from './bench-fixtures.js';

/** A channel that accepts every message and does nothing: the benchmark measures the outbox, not a transport. */
const noopChannel: Channel = {
  name: 'noop',
  trust: 'phi-allowed',
  send: () => Promise.resolve({ status: 'delivered' }),
};

/** Drains the outbox: claim a batch, send each entry to the no-op channel, mark it delivered. Returns the count. */
async function drain(storage: SqliteStorage, batchSize: number): Promise<number> {
  let delivered = 0;
  for (;;) {
    const batch = await storage.claimOutbox(TENANT, NOW, batchSize, 60_000, 'bench-worker');
    if (batch.length === 0) return delivered;
    for (const entry of batch) {
      const message = { id: entry.id, tenantId: TENANT, recipientId: entry.recipientId } as OutboundMessage;
      const result = await noopChannel.send(message, { idempotencyKey: entry.id });
      if (result.status !== 'delivered' || !(await storage.markDelivered(TENANT, entry.id, 'bench-worker', NOW))) {
        throw new Error('bench delivery failed');
      }
      delivered += 1;
    }
  }
}

/** One run: enqueue `count` due entries in a fresh file, then time the drain. Returns deliveries per second. */
export async function outboxRun(count: number, batchSize: number): Promise<number> {
  const { storage, dispose } = await freshFileStorage('outbox');
  try {
    await enqueueDue(storage, count);
    const start = performance.now();
    const delivered = await drain(storage, batchSize);
    const seconds = (performance.now() - start) / 1000;
    if (delivered !== count) throw new Error(`delivered ${delivered} of ${count}`);
    return delivered / seconds;
  } finally {
    await dispose();
  }
}
