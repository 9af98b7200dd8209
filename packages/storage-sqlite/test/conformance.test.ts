import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStorageConformance } from '@carerelay/testkit';
import { type SqliteStorage, createSqliteStorage } from '../src/index.js';

/** Direct reads of the tables, so the suite checks where each write landed. */
function inspect(storage: SqliteStorage) {
  const count = (table: string) => (tenantId: string) =>
    Promise.resolve((storage.database.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`).get(tenantId) as { n: number }).n);
  return { countEvents: count('carerelay_events'), countOutbox: count('carerelay_outbox') };
}

runStorageConformance<SqliteStorage>({
  name: 'sqlite :memory:',
  create: () => createSqliteStorage({ filename: ':memory:' }),
  inspect,
});

const directories = new Map<SqliteStorage, string>();
runStorageConformance<SqliteStorage>({
  name: 'sqlite file (WAL)',
  create: () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carerelay-sqlite-conf-'));
    const storage = createSqliteStorage({ filename: path.join(dir, 'carerelay.db'), maxAttempts: 3 });
    directories.set(storage, dir);
    return storage;
  },
  destroy: (storage) => {
    rmSync(directories.get(storage)!, { recursive: true, force: true });
    directories.delete(storage);
  },
  inspect,
  maxAttempts: 3,
});
