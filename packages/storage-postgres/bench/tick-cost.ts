import { emptyCase } from '@carerelay/core';
import { type PostgresStorage, createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';

const TENANT = 'bench';
const NOW = '2026-11-23T14:00:00.000Z';
const FUTURE = '2027-01-01T00:00:00.000Z';

/** A tick-cost fixture: one schema holding `scheduled` cases, grown in place between sizes. */
export interface TickFixture {
  storage: PostgresStorage;
  scheduled: number;
}

/** Creates the fixture's schema and storage. */
export async function openTickFixture(url: string, schema: string): Promise<TickFixture> {
  const storage = createPostgresStorage({ connectionString: url, schema, poolSize: 4, notify: false });
  await storage.migrate();
  return { storage, scheduled: 0 };
}

/**
 * Grows the fixture to `total` scheduled cases with `generate_series` (one statement), each waking at a
 * distinct instant after {@link FUTURE}, with a typical empty-case state; then VACUUM ANALYZE.
 */
export async function growTo(fixture: TickFixture, total: number): Promise<void> {
  const s = quoteIdentifier(fixture.storage.schema);
  const state = JSON.stringify(emptyCase(TENANT, 'case-template'));
  await fixture.storage.pool.query(
    `INSERT INTO ${s}.cases (tenant_id, case_id, version, last_seq, state, next_wake_at)
     SELECT $1, 'case-' || g, 1, 0, $2::json, $3::timestamptz + g * interval '1 second'
     FROM generate_series($4::int + 1, $5::int) g`,
    [TENANT, state, FUTURE, fixture.scheduled, total],
  );
  fixture.scheduled = total;
  await fixture.storage.pool.query(`VACUUM ANALYZE ${s}.cases`);
}

/** Makes `due` random cases due at {@link NOW} (not timed). */
async function armDueCases(fixture: TickFixture, due: number, seed: number): Promise<void> {
  const s = quoteIdentifier(fixture.storage.schema);
  const ids = new Set<string>();
  let x = seed;
  while (ids.size < due) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    ids.add(`case-${(x % fixture.scheduled) + 1}`);
  }
  await fixture.storage.pool.query(
    `UPDATE ${s}.cases SET next_wake_at = $2::timestamptz - interval '1 minute' WHERE tenant_id = $1 AND case_id = ANY($3::text[])`,
    [TENANT, NOW, [...ids]],
  );
}

/**
 * One tick as a worker runs it, through the adapter: the earliest wake-up, one claim of the due cases, then for
 * each a load and a commit that reschedules it (releasing the lease). Returns milliseconds.
 */
export async function timeOneTick(fixture: TickFixture, due: number, seed: number): Promise<number> {
  await armDueCases(fixture, due, seed);
  const { storage } = fixture;
  const started = performance.now();
  await storage.earliestWakeAt(TENANT);
  const claims = await storage.claimDueCases(TENANT, NOW, due, 30_000, 'bench-worker');
  for (const claim of claims) {
    const record = await storage.loadCase(TENANT, claim.caseId);
    if (!record) throw new Error('claimed case vanished');
    const result = await storage.commitCase(TENANT, claim.caseId, record.version, {
      events: [],
      state: record.state,
      nextWakeAt: FUTURE,
      outbox: [],
      workerId: 'bench-worker',
    });
    if (!result.ok) throw new Error('bench commit conflicted');
  }
  const elapsed = performance.now() - started;
  if (claims.length !== due) throw new Error(`claimed ${claims.length} of ${due} due cases`);
  return elapsed;
}
