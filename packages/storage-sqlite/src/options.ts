import type BetterSqlite3 from 'better-sqlite3';
import { CareRelayError, type Issue } from '@carerelay/core';

/** Settings shared by both ways of creating the adapter. */
export interface SqliteTuning {
  /**
   * Attempts after which a failing outbox entry is dead-lettered by `markFailed` (attempts are counted at each
   * claim; a deferred failure gives its attempt back). Default 5.
   */
  maxAttempts?: number;
  /** How long a write waits for another connection's lock before failing (`PRAGMA busy_timeout`). Default 5000. */
  busyTimeoutMs?: number;
  /**
   * `NORMAL` (default) in WAL mode: a commit survives a crash of the process, but the last few commits may be
   * rolled back (never corrupted) by a power loss or OS crash. `FULL` syncs the WAL on every commit: durable
   * against power loss too, at a cost of one fsync per commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
}

/** Open a database file (or `:memory:`) owned by the adapter; `close()` closes it. */
export interface SqliteFileOptions extends SqliteTuning {
  /** Path of the database file, created when missing, or `:memory:` for a private in-memory database. */
  filename: string;
}

/** Use a database the caller opened; `close()` leaves it open (the caller owns it). */
export interface SqliteDatabaseOptions extends SqliteTuning {
  database: BetterSqlite3.Database;
}

/** Options of {@link createSqliteStorage}. */
export type SqliteStorageOptions = SqliteFileOptions | SqliteDatabaseOptions;

/** Options with defaults applied. */
export interface ResolvedSqliteTuning {
  maxAttempts: number;
  busyTimeoutMs: number;
  synchronous: 'NORMAL' | 'FULL';
}

/** Default number of attempts before an outbox entry is dead-lettered. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Default `busy_timeout` in milliseconds. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * Checks the options at the boundary and applies defaults. Throws `invalid_configuration` naming each bad field.
 */
export function resolveSqliteOptions(options: SqliteStorageOptions): ResolvedSqliteTuning {
  const issues: Issue[] = [];
  const input = (options ?? {}) as Partial<SqliteFileOptions & SqliteDatabaseOptions>;
  const hasFile = typeof input.filename === 'string' && input.filename.length > 0;
  const hasDatabase = typeof input.database === 'object' && input.database !== null && typeof input.database.prepare === 'function';
  if (hasFile === hasDatabase) {
    issues.push({ path: hasFile ? 'database' : 'filename', message: 'give exactly one of a non-empty `filename` or an open better-sqlite3 `database`' });
  }
  const integer = (path: keyof SqliteTuning, value: unknown, min: number): void => {
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min)) {
      issues.push({ path, message: `must be an integer ≥ ${min}` });
    }
  };
  integer('maxAttempts', input.maxAttempts, 1);
  integer('busyTimeoutMs', input.busyTimeoutMs, 0);
  if (input.synchronous !== undefined && input.synchronous !== 'NORMAL' && input.synchronous !== 'FULL') {
    issues.push({ path: 'synchronous', message: "must be 'NORMAL' or 'FULL'" });
  }
  if (issues.length > 0) {
    throw new CareRelayError('invalid_configuration', `sqlite: invalid options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      issues,
    });
  }
  return {
    maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    busyTimeoutMs: input.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    synchronous: input.synchronous ?? 'NORMAL',
  };
}
