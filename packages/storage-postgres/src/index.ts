/**
 * `@carerelay/storage-postgres`: CareRelay's storage on PostgreSQL, for many worker processes on many machines
 * sharing one database. Claims use `FOR UPDATE SKIP LOCKED`; commits NOTIFY sleeping workers.
 * @packageDocumentation
 */
export { createPostgresStorage, type PostgresStorage } from './postgres-storage.js';
export {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_SCHEMA,
  PostgresStorageOptionsSchema,
  type PostgresStorageOptions,
  type ResolvedPostgresStorageOptions,
} from './options.js';
export type { WakeHandler } from './wake-listener.js';
export { MIGRATIONS, LATEST_VERSION, type Migration } from './migrations.js';
export { wakeChannelFor } from './schema-name.js';
