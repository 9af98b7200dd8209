import type { Pool } from 'pg';
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';
import { migrationLockKey, quoteIdentifier } from './schema-name.js';

/** What one `migrate()` call did. */
export interface MigrationReport {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

/**
 * Creates the schema if needed and applies the missing migrations, in one transaction holding
 * `pg_advisory_xact_lock` on a key derived from the schema name: processes starting together queue up,
 * the first applies, the others find nothing left to do. Versions newer than this adapter knows are left
 * alone (a rolling upgrade may run older code against a newer schema).
 */
export async function applyMigrations(pool: Pool, schema: string): Promise<MigrationReport> {
  const s = quoteIdentifier(schema);
  const client = await pool.connect();
  let released = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(schema)]);
    const exists = await client.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.migrations (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.migrations`);
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return { applied, version: Math.max(LATEST_VERSION, ...done) };
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      client.release(rollbackError instanceof Error ? rollbackError : true);
      released = true;
    }
    throw error;
  } finally {
    if (!released) client.release();
  }
}
