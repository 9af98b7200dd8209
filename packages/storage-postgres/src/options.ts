import type { Pool } from 'pg';
import { z } from 'zod';
import type { CareRelayError } from '@carerelay/core';

/** Default number of delivery attempts before an outbox entry is dead-lettered. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** Default schema holding CareRelay's tables. */
export const DEFAULT_SCHEMA = 'carerelay';

const isPool = (value: unknown): value is Pool =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Pool).query === 'function' &&
  typeof (value as Pool).connect === 'function';

const isFunction = (value: unknown): value is (error: CareRelayError) => void => typeof value === 'function';

/** Schema of {@link PostgresStorageOptions}, parsed once by `createPostgresStorage`. */
export const PostgresStorageOptionsSchema = z
  .object({
    /** `postgres://user:password@host:port/database`; the adapter creates (and closes) its own pool. */
    connectionString: z.string().min(1).optional(),
    /** A `pg.Pool` you already have; the adapter uses it and leaves it open on `close()`. */
    pool: z.custom<Pool>(isPool, { message: 'must be a pg.Pool' }).optional(),
    /** Schema holding the tables (created by `migrate()`); any name, quoted safely. Default `carerelay`. */
    schema: z.string().min(1).max(63).default(DEFAULT_SCHEMA),
    /** Attempts before an outbox entry is dead-lettered. Default 5. */
    maxAttempts: z.number().int().min(1).max(1000).default(DEFAULT_MAX_ATTEMPTS),
    /** Send NOTIFY on commits that enqueue notifications or move a wake-up earlier. Default true. */
    notify: z.boolean().default(true),
    /** Size of the pool the adapter creates from `connectionString` (pg's default, 10, when absent). */
    poolSize: z.number().int().min(1).max(1000).optional(),
    /** Called with connection failures that no method call can report (idle clients, the LISTEN connection). */
    onError: z.custom<(error: CareRelayError) => void>(isFunction, { message: 'must be a function' }).optional(),
  })
  .refine((options) => (options.connectionString === undefined) !== (options.pool === undefined), {
    message: 'give exactly one of connectionString or pool',
    path: ['connectionString'],
  });

/** Options of `createPostgresStorage`: exactly one of `connectionString` or `pool`. */
export type PostgresStorageOptions = z.input<typeof PostgresStorageOptionsSchema>;

/** Options after defaults are applied. */
export type ResolvedPostgresStorageOptions = z.output<typeof PostgresStorageOptionsSchema>;
