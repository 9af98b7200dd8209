import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { runStorageConformance } from '@carerelay/testkit';
import { type PostgresStorage, createPostgresStorage } from '../src/index.ts';
import { quoteIdentifier } from '../src/schema-name.ts';
import { dropSchema, uniqueSchema } from './support/test-schema.ts';

const url = inject('databaseUrl');
const inspector = new pg.Pool({ connectionString: url, max: 2 });
afterAll(() => inspector.end());

const count = async (storage: PostgresStorage, table: string, tenantId: string) => {
  const { rows } = await inspector.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${quoteIdentifier(storage.schema)}.${table} WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows[0]?.n ?? 0;
};

runStorageConformance<PostgresStorage>({
  name: 'postgres',
  create: () => createPostgresStorage({ connectionString: url, schema: uniqueSchema('conformance'), poolSize: 4 }),
  destroy: (storage) => dropSchema(url, storage.schema),
  inspect: (storage) => ({
    countEvents: (tenantId) => count(storage, 'events', tenantId),
    countOutbox: (tenantId) => count(storage, 'outbox', tenantId),
  }),
  maxAttempts: 5,
});
