import { type Channel, type Coordinator, type ManualClock, createCoordinator, createManualClock } from '@carerelay/engine';
import type { SqliteStorage } from '../src/index.js';
import { T_SETUP, clinicEvents } from '../test/clinic-fixture.js';
import { NOW, TENANT } from './bench-fixtures.js';

/** Cases due in each measured tick. */
export const DUE_PER_TICK = 100;

/**
 * Grows the schedule with background cases `bg-<from>` … `bg-<total - 1>` by direct SQL (setup, not measured):
 * each holds a valid empty case state and a wake-up spread over the 30 days after `NOW`, so none is due.
 */
export function growSchedule(storage: SqliteStorage, from: number, total: number): void {
  storage.database
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT CAST(@from AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @total)
       INSERT INTO carerelay_cases (tenant_id, case_id, version, last_seq, state, next_wake_at)
       SELECT @tenant, 'bg-' || i, 1, 0,
              json_object('tenantId', @tenant, 'patientId', 'bg-' || i, 'careTeam', json('[]'), 'facts', json('[]'),
                          'milestones', json('{}'), 'requirements', json('{}'), 'tasks', json('{}'),
                          'acknowledged', json('{}'), 'version', 0),
              strftime('%Y-%m-%dT%H:%M:%fZ', @now, '+1 hour', '+' || ((i * 7919) % 2592000) || ' seconds')
       FROM n`,
    )
    .run({ from, total, tenant: TENANT, now: NOW });
}

/** Makes the given cases due (wake-ups just before `NOW`); setup, not measured. */
export function makeDue(storage: SqliteStorage, caseIds: readonly string[]): void {
  const update = storage.database.prepare('UPDATE carerelay_cases SET next_wake_at = ? WHERE tenant_id = ? AND case_id = ?');
  storage.database.transaction(() => {
    caseIds.forEach((caseId, k) => update.run(new Date(Date.parse(NOW) - (k + 1) * 1000).toISOString(), TENANT, caseId));
  })();
}

/** `DUE_PER_TICK` background case ids spread over the whole schedule, different each round. */
export function backgroundCases(total: number, round: number): string[] {
  const stride = Math.floor(total / DUE_PER_TICK);
  return Array.from({ length: DUE_PER_TICK }, (_, k) => `bg-${(k * stride + round * 13) % total}`);
}

/**
 * A storage-level tick, as the engine runs one: claim the due cases, load each, commit it back (a new version,
 * its next wake-up a day later, its lease released). Milliseconds.
 */
export async function storageTick(storage: SqliteStorage): Promise<{ ms: number; handled: number }> {
  const start = performance.now();
  const claims = await storage.claimDueCases(TENANT, NOW, 1000, 30_000, 'bench-worker');
  for (const claim of claims) {
    const record = await storage.loadCase(TENANT, claim.caseId);
    if (!record) throw new Error('claimed a missing case');
    const nextWakeAt = new Date(Date.parse(NOW) + 86_400_000).toISOString();
    const result = await storage.commitCase(TENANT, claim.caseId, record.version, { events: [], state: record.state, nextWakeAt, outbox: [], workerId: 'bench-worker' });
    if (!result.ok) throw new Error('bench tick conflict');
  }
  return { ms: performance.now() - start, handled: claims.length };
}

/** The synthetic clinic's first `DUE_PER_TICK` patients, ingested through a coordinator on `storage`. */
export async function clinicCoordinator(storage: SqliteStorage): Promise<{ coordinator: Coordinator; clock: ManualClock; patients: string[] }> {
  const noop: Channel = { name: 'in_app', trust: 'phi-allowed', send: () => Promise.resolve({ status: 'delivered' }) };
  const clock = createManualClock(T_SETUP);
  const coordinator = createCoordinator({ storage, channels: [noop], clock, tenantId: TENANT, dailyBudget: 1000 });
  const result = await coordinator.ingest(clinicEvents(DUE_PER_TICK));
  if (result.quarantined > 0 || result.failed > 0) throw new Error('bench clinic did not ingest cleanly');
  clock.set(NOW);
  return { coordinator, clock, patients: Array.from({ length: DUE_PER_TICK }, (_, i) => `pat-${i}`) };
}

/** One `coordinator.tick()`: claims the due cases, re-plans each with the core, commits, delivers what is due. Milliseconds. */
export async function coordinatorTick(coordinator: Coordinator): Promise<{ ms: number; handled: number }> {
  const start = performance.now();
  const result = await coordinator.tick();
  return { ms: performance.now() - start, handled: result.casesPlanned };
}
