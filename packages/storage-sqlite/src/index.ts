/**
 * `@carerelay/storage-sqlite`: the durable embedded storage adapter for CareRelay, on SQLite (better-sqlite3,
 * WAL). One file (or `:memory:`), shared safely by several processes on one machine.
 * @packageDocumentation
 */
export { createSqliteStorage } from './sqlite-storage.js';
export type { SqliteStorage } from './sqlite-storage.js';
export { DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_MAX_ATTEMPTS } from './options.js';
export type { SqliteDatabaseOptions, SqliteFileOptions, SqliteStorageOptions, SqliteTuning } from './options.js';
export { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './migrations.js';
export type { SqliteMigration } from './migrations.js';
