/**
 * Tick cost: one tick with 100 due cases among 10 k, 100 k and 1 M scheduled ones, on the memory adapter, and the
 * memory outbox rate (claim → deliver to a no-op channel → mark delivered). Prints medians of 5 runs.
 * Run: npm run bench -w @carerelay/engine   (sizes: CARERELAY_TICK_SIZES=10000,100000)
 */
import { type Notification, emptyCase } from '@carerelay/core';
import { SCENARIO_B } from '@carerelay/testkit/scenarios';
import { type CareRelayStorage, type Channel, createCoordinator, createManualClock, createMemoryStorage } from '../src/index.js';

const RUNS = 5;
const DUE = 100;
const TENANT = SCENARIO_B.tenantId;
const sizes = (process.env.CARERELAY_TICK_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const noop: Channel = { name: 'in_app', trust: 'phi-allowed', send: async () => ({ status: 'delivered' }) };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Scenario B's case events for another patient. */
function patientEvents(patientId: string) {
  return SCENARIO_B.events
    .filter((e) => 'patientId' in e)
    .map((e) => {
      const copy = JSON.parse(JSON.stringify(e)) as Record<string, unknown> & { patient?: Record<string, unknown> };
      copy.id = `${patientId}:${String(copy.id)}`;
      copy.patientId = patientId;
      if (copy.patient) copy.patient.id = patientId;
      return copy;
    });
}

async function scheduleIdle(storage: CareRelayStorage, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const caseId = `idle-${i}`;
    await storage.commitCase(TENANT, caseId, 0, { events: [], state: emptyCase(TENANT, caseId), nextWakeAt: '2027-03-01T15:00:00.000Z', outbox: [] });
  }
}

async function tickCost(scheduled: number): Promise<number> {
  const storage = createMemoryStorage();
  await scheduleIdle(storage, scheduled - DUE);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // 100 fresh cases whose Monday notice is due; everything else sleeps until March.
    const clock = createManualClock('2026-11-16T15:00:00Z');
    const coordinator = createCoordinator({ storage, clock, tenantId: TENANT, channels: [noop] });
    await coordinator.ingest(SCENARIO_B.events.filter((e) => !('patientId' in e)));
    for (let i = 0; i < DUE; i++) await coordinator.ingest(patientEvents(`due-${run}-${i}`));
    clock.set('2026-11-23T14:00:00Z');
    const started = performance.now();
    const result = await coordinator.tick();
    times.push(performance.now() - started);
    if (result.casesPlanned !== DUE) throw new Error(`expected ${DUE} due cases, planned ${result.casesPlanned}`);
  }
  return median(times);
}

async function outboxRate(): Promise<number> {
  // One real notification (scenario B's Monday notice), copied to 5,000 recipients and enqueued directly.
  const clock = createManualClock('2026-11-16T15:00:00Z');
  const source = createCoordinator({ clock, tenantId: TENANT, channels: [noop] });
  const queued: Notification[] = [];
  source.on('notification.queued', (e) => queued.push(e.notification));
  await source.ingest(SCENARIO_B.events);
  clock.set('2026-11-23T14:00:00Z');
  await source.tick();
  const template = queued[0]!;
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const storage = createMemoryStorage();
    const outbox = Array.from({ length: 5000 }, (_, i) => {
      const notification = { ...template, id: `n-${i}`, recipientId: `r-${i}` };
      return { id: notification.id, caseId: `c-${i % 100}`, recipientId: notification.recipientId, deliverAt: notification.deliverAt, notification };
    });
    for (let c = 0; c < 100; c++) {
      await storage.commitCase(TENANT, `c-${c}`, 0, { events: [], state: emptyCase(TENANT, `c-${c}`), nextWakeAt: null, outbox: outbox.filter((o) => o.caseId === `c-${c}`) });
    }
    const coordinator = createCoordinator({ storage, clock, tenantId: TENANT, channels: [noop], outboxBatchSize: 500 });
    const started = performance.now();
    const result = await coordinator.tick();
    const seconds = (performance.now() - started) / 1000;
    if (result.delivered !== outbox.length) throw new Error(`delivered ${result.delivered} of ${outbox.length}`);
    rates.push(result.delivered / seconds);
  }
  return median(rates);
}

const results: Record<number, number> = {};
for (const size of sizes) {
  results[size] = await tickCost(size);
  console.log(`tick with ${DUE} due among ${size.toLocaleString('en-US')} scheduled cases: ${results[size]!.toFixed(1)} ms (median of ${RUNS})`);
}
const [smallest, largest] = [sizes[0]!, sizes[sizes.length - 1]!];
if (sizes.length > 1) console.log(`ratio ${largest.toLocaleString('en-US')} / ${smallest.toLocaleString('en-US')}: ${(results[largest]! / results[smallest]!).toFixed(2)}`);
console.log(`memory outbox: ${Math.round(await outboxRate()).toLocaleString('en-US')} notifications/s delivered (claim → no-op channel → mark, median of ${RUNS})`);
