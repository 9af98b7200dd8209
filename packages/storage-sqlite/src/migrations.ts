import type BetterSqlite3 from 'better-sqlite3';
import { CareRelayError } from '@carerelay/core';

/** One schema change. Versions are applied in ascending order and never edited once released. */
export interface SqliteMigration {
  /** Position in the order of application (1, 2, …); recorded in `carerelay_migrations`. */
  version: number;
  /** What it changes, for operators reading `carerelay_migrations`. */
  name: string;
  /** The DDL, run inside the migration transaction. */
  sql: string;
}

/**
 * The schema, as an ordered list of migrations. Every table is keyed by `tenant_id` first, so every query is
 * tenant-scoped by construction and every index serves one tenant's range.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'event log, cases, directory, outbox, inbox, quarantine',
    sql: `
      CREATE TABLE carerelay_cases (
        tenant_id    TEXT    NOT NULL,
        case_id      TEXT    NOT NULL,
        version      INTEGER NOT NULL,
        last_seq     INTEGER NOT NULL,
        state        TEXT    NOT NULL,
        next_wake_at TEXT,
        lease_owner  TEXT,
        lease_until  TEXT,
        PRIMARY KEY (tenant_id, case_id)
      );
      -- claimDueCases / earliestWakeAt walk only the due range of one tenant, in wake-up order.
      CREATE INDEX carerelay_cases_wake ON carerelay_cases (tenant_id, next_wake_at, case_id)
        WHERE next_wake_at IS NOT NULL;

      CREATE TABLE carerelay_directories (
        tenant_id TEXT    NOT NULL PRIMARY KEY,
        version   INTEGER NOT NULL,
        last_seq  INTEGER NOT NULL,
        directory TEXT    NOT NULL
      );

      -- One log per tenant: case events carry their case id and 1-based seq; directory events have no case id.
      CREATE TABLE carerelay_events (
        tenant_id TEXT    NOT NULL,
        event_id  TEXT    NOT NULL,
        case_id   TEXT,
        seq       INTEGER NOT NULL,
        type      TEXT    NOT NULL,
        at        TEXT    NOT NULL,
        event     TEXT    NOT NULL,
        PRIMARY KEY (tenant_id, event_id),
        FOREIGN KEY (tenant_id, case_id) REFERENCES carerelay_cases (tenant_id, case_id)
      );
      CREATE UNIQUE INDEX carerelay_events_case_seq ON carerelay_events (tenant_id, case_id, seq);

      CREATE TABLE carerelay_outbox (
        tenant_id    TEXT    NOT NULL,
        id           TEXT    NOT NULL,
        case_id      TEXT    NOT NULL,
        recipient_id TEXT    NOT NULL,
        -- when the next attempt may start: the planned instant at first, the retry instant after a failure
        deliver_at   TEXT    NOT NULL,
        notification TEXT    NOT NULL,
        status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        lease_owner  TEXT,
        lease_until  TEXT,
        delivered_at TEXT,
        last_error   TEXT,
        PRIMARY KEY (tenant_id, id)
      );
      -- claimOutbox walks only pending entries, earliest first; delivered and dead rows are not in this index.
      CREATE INDEX carerelay_outbox_due ON carerelay_outbox (tenant_id, deliver_at, id) WHERE status = 'pending';
      CREATE INDEX carerelay_outbox_status ON carerelay_outbox (tenant_id, status);

      CREATE TABLE carerelay_inbox (
        tenant_id        TEXT    NOT NULL,
        id               TEXT    NOT NULL,
        owner_id         TEXT    NOT NULL,
        created_at       TEXT    NOT NULL,
        level            TEXT    NOT NULL,
        critical         INTEGER NOT NULL,
        subject          TEXT    NOT NULL,
        text             TEXT    NOT NULL,
        notification_ids TEXT    NOT NULL,
        task_ids         TEXT    NOT NULL,
        patient_ids      TEXT    NOT NULL,
        read_at          TEXT,
        acknowledged_at  TEXT,
        PRIMARY KEY (tenant_id, id)
      );
      CREATE INDEX carerelay_inbox_owner ON carerelay_inbox (tenant_id, owner_id, created_at);

      CREATE TABLE carerelay_quarantine (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id   TEXT NOT NULL,
        id          TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source      TEXT NOT NULL,
        code        TEXT NOT NULL,
        message     TEXT NOT NULL,
        issues      TEXT NOT NULL,
        raw         TEXT NOT NULL
      );
      CREATE INDEX carerelay_quarantine_tenant ON carerelay_quarantine (tenant_id, received_at, seq);
    `,
  },
  {
    version: 2,
    name: 'outbox: claim order (deliver_at, recipient_id, id); message assignment',
    sql: `
      -- The message an entry was assigned to before its first send, and every notification id it carries (JSON array).
      ALTER TABLE carerelay_outbox ADD COLUMN message_id TEXT;
      ALTER TABLE carerelay_outbox ADD COLUMN message_notification_ids TEXT;
      -- claimOutbox walks pending entries in (deliver_at, recipient_id, id) order, so one recipient's entries at one
      -- instant are claimed together.
      DROP INDEX carerelay_outbox_due;
      CREATE INDEX carerelay_outbox_due ON carerelay_outbox (tenant_id, deliver_at, recipient_id, id) WHERE status = 'pending';
    `,
  },
];

/** The highest schema version this adapter knows. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Applies the missing migrations in one `BEGIN IMMEDIATE` transaction. The write lock is taken before the
 * applied versions are read, so two processes starting at once serialise: the second waits (busy timeout),
 * then finds everything applied and does nothing. Refuses a database whose schema is newer than this adapter.
 */
export function applyMigrations(db: BetterSqlite3.Database, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): number[] {
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS carerelay_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = new Set(
      (db.prepare('SELECT version FROM carerelay_migrations').all() as { version: number }[]).map((row) => row.version),
    );
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new CareRelayError(
        'adapter_failure',
        `sqlite: the database schema is at version ${newest}, newer than this adapter knows (${known}); upgrade @carerelay/storage-sqlite`,
      );
    }
    const record = db.prepare('INSERT INTO carerelay_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      done.push(migration.version);
    }
    return done;
  });
  return run.immediate();
}
