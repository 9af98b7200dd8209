import type { SqliteStorage } from '../src/index.js';
import { NOW, TENANT } from './bench-fixtures.js';

/** Cases due in each measured tick. */
export const DUE_PER_TICK = 100;

/**
 * Grows the schedule to `total` cases with direct SQL (the setup is not what is measured): each case holds a
 * valid empty case state and a wake-up spread over the coming 30 days, so none is due.
 */
export function growSchedule(storage: SqliteStorage, from: number, total: number): void {
  storage.database
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT CAST(@from AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @total)
       INSERT INTO carerelay_cases (tenant_id, case_id, version, last_seq, state, next_wake_at)
       SELECT @tenant, 'pat-' || i, 1, 0,
              json_object('tenantId', @tenant, 'patientId', 'pat-' || i, 'careTeam', json('[]'), 'facts', json('[]'),
                          'milestones', json('{}'), 'requirements', json('{}'), 'tasks', json('{}'),
                          'acknowledged', json('{}'), 'version', 0),
              strftime('%Y-%m-%dT%H:%M:%fZ', @now, '+1 hour', '+' || ((i * 7919) % 2592000) || ' seconds')
       FROM n`,
    )
    .run({ from, total, tenant: TENANT, now: NOW });
}

/** Makes `count` cases due (wake-ups just before now), picked across the whole schedule; not timed. */
export function makeDue(storage: SqliteStorage, total: number, count: number, round: number): void {
  const update = storage.database.prepare('UPDATE carerelay_cases SET next_wake_at = ? WHERE tenant_id = ? AND case_id = ?');
  const stride = Math.floor(total / count);
  storage.database.transaction(() => {
    for (let k = 0; k < count; k++) {
      const i = (k * stride + round * 13) % total;
      update.run(new Date(Date.parse(NOW) - (k + 1) * 1000).toISOString(), TENANT, `pat-${i}`);
    }
  })();
}

/**
 * One storage-level tick, as the engine runs it: claim the due cases, load each, commit it back (a new version,
 * its next wake-up a day later, its lease released). Returns milliseconds.
 */
export async function storageTick(storage: SqliteStorage): Promise<{ ms: number; handled: number }> {
  const start = performance.now();
  const claims = await storage.claimDueCases(TENANT, NOW, 1000, 30_000, 'bench-worker');
  for (const claim of claims) {
    const record = await storage.loadCase(TENANT, claim.caseId);
    if (!record) throw new Error('claimed a missing case');
    const nextWakeAt = new Date(Date.parse(NOW) + 86_400_000).toISOString();
    const result = await storage.commitCase(TENANT, claim.caseId, record.version, {
      events: [],
      state: record.state,
      nextWakeAt,
      outbox: [],
      workerId: 'bench-worker',
    });
    if (!result.ok) throw new Error('bench tick conflict');
  }
  return { ms: performance.now() - start, handled: claims.length };
}
