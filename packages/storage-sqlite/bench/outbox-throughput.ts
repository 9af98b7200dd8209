import { type Channel, createCoordinator, createManualClock } from '@carerelay/engine';
import type { SqliteStorage } from '../src/index.js';
import { NOW, TENANT, enqueueDue, freshFileStorage } from './bench-fixtures.js';

/** A channel that accepts every message and does nothing: the benchmark measures the outbox, not a transport. */
const noopChannel: Channel = {
  name: 'in_app',
  trust: 'phi-allowed',
  send: () => Promise.resolve({ status: 'delivered' }),
};

/** Drains the outbox through the storage API: claim a batch, send each entry to the no-op channel, mark it delivered. */
async function drain(storage: SqliteStorage, batchSize: number): Promise<number> {
  let delivered = 0;
  for (;;) {
    const batch = await storage.claimOutbox(TENANT, NOW, batchSize, 60_000, 'bench-worker');
    if (batch.length === 0) return delivered;
    for (const entry of batch) {
      const result = await noopChannel.send({ id: entry.id } as Parameters<Channel['send']>[0], { idempotencyKey: entry.id });
      if (result.status !== 'delivered' || !(await storage.markDelivered(TENANT, entry.id, 'bench-worker', NOW))) {
        throw new Error('bench delivery failed');
      }
      delivered += 1;
    }
  }
}

/** One run: enqueue `count` due entries in a fresh file, then time the storage-level drain. Deliveries per second. */
export async function storageOutboxRun(count: number, batchSize: number): Promise<number> {
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

/**
 * One run through the engine: `coordinator.tick()` claims batches of 100, renders each entry as its own message
 * (digest window 0), sends it to the no-op channel and marks it delivered. Deliveries per second.
 */
export async function coordinatorOutboxRun(count: number): Promise<number> {
  const { storage, dispose } = await freshFileStorage('outbox-engine');
  try {
    await enqueueDue(storage, count);
    const coordinator = createCoordinator({
      storage,
      channels: [noopChannel],
      clock: createManualClock(NOW),
      tenantId: TENANT,
      digestWindowMinutes: 0,
      dailyBudget: 1000,
    });
    const start = performance.now();
    let delivered = 0;
    for (;;) {
      const result = await coordinator.tick();
      delivered += result.delivered;
      if (result.delivered === 0 && !result.more) break;
    }
    const seconds = (performance.now() - start) / 1000;
    if (delivered !== count) throw new Error(`delivered ${delivered} of ${count}`);
    return delivered / seconds;
  } finally {
    await dispose();
  }
}
