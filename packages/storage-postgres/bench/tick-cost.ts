import pg from 'pg';
import { emptyCase } from '@carerelay/core';
import { type PostgresStorage, createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';

const TENANT = 'bench';
const NOW = '2026-11-23T14:00:00.000Z';
const FUTURE = '2027-01-01T00:00:00.000Z';

/** Commit durability of a tick's connections: `on` waits for the WAL flush (the default), `off` does not. */
export type SynchronousCommit = 'on' | 'off';

/** One schema holding `scheduled` cases, with a storage per commit mode. */
export interface TickFixture {
  schema: string;
  scheduled: number;
  storages: Record<SynchronousCommit, PostgresStorage>;
  pools: pg.Pool[];
}

/**
 * Creates schema `schema` with `scheduled` cases (one `generate_series` statement), each waking at a distinct
 * instant after {@link FUTURE} with a typical empty-case state; then VACUUM ANALYZE and CHECKPOINT, so every size
 * starts from the same clean state.
 */
export async function openTickFixture(url: string, schema: string, scheduled: number): Promise<TickFixture> {
  const pools = (['on', 'off'] as const).map((mode) => new pg.Pool({ connectionString: url, max: 2, options: `-c synchronous_commit=${mode}` }));
  const [on, off] = pools.map((pool) => createPostgresStorage({ pool, schema, notify: false })) as [PostgresStorage, PostgresStorage];
  await on.migrate();
  const s = quoteIdentifier(schema);
  const state = JSON.stringify(emptyCase(TENANT, 'case-template'));
  await on.pool.query(
    `INSERT INTO ${s}.cases (tenant_id, case_id, version, last_seq, state, next_wake_at)
     SELECT $1, 'case-' || g, 1, 0, $2::json, $3::timestamptz + g * interval '1 second'
     FROM generate_series(1, $4::int) g`,
    [TENANT, state, FUTURE, scheduled],
  );
  await on.pool.query(`VACUUM ANALYZE ${s}.cases`);
  await on.pool.query('CHECKPOINT');
  return { schema, scheduled, storages: { on, off }, pools };
}

/** Closes a fixture's pools. */
export async function closeTickFixture(fixture: TickFixture): Promise<void> {
  await Promise.all(fixture.pools.map((pool) => pool.end()));
}

/** Makes `due` random cases due at {@link NOW} (not timed). */
async function armDueCases(fixture: TickFixture, due: number, seed: number): Promise<void> {
  const ids = new Set<string>();
  let x = seed;
  while (ids.size < due) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    ids.add(`case-${(x % fixture.scheduled) + 1}`);
  }
  await fixture.storages.on.pool.query(
    `UPDATE ${quoteIdentifier(fixture.schema)}.cases SET next_wake_at = $2::timestamptz - interval '1 minute' WHERE tenant_id = $1 AND case_id = ANY($3::text[])`,
    [TENANT, NOW, [...ids]],
  );
}

/**
 * One tick as a worker runs it, through the adapter: the earliest wake-up, one claim of the due cases, then for
 * each a load and a commit that reschedules it (releasing the lease). Returns milliseconds, for the whole tick and
 * for its claim alone.
 */
export async function timeOneTick(fixture: TickFixture, mode: SynchronousCommit, due: number, seed: number): Promise<{ tick: number; claim: number }> {
  await armDueCases(fixture, due, seed);
  const storage = fixture.storages[mode];
  const started = performance.now();
  await storage.earliestWakeAt(TENANT);
  const claimStarted = performance.now();
  const claims = await storage.claimDueCases(TENANT, NOW, due, 30_000, 'bench-worker');
  const claim = performance.now() - claimStarted;
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
  const tick = performance.now() - started;
  if (claims.length !== due) throw new Error(`claimed ${claims.length} of ${due} due cases`);
  return { tick, claim };
}
