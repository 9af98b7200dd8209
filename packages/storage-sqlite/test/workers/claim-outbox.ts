// Claims outbox batches from the shared file until none is left; prints each claimed id, one per line.
import { createSqliteStorage } from '@carerelay/storage-sqlite';

const [filename, tenantId, workerId, now] = process.argv.slice(2) as [string, string, string, string];
const storage = createSqliteStorage({ filename, busyTimeoutMs: 10_000 });
await storage.migrate();
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  const claimed: string[] = [];
  for (;;) {
    const batch = await storage.claimOutbox(tenantId, now, 25, 600_000, workerId);
    if (batch.length === 0) break;
    for (const entry of batch) {
      if (!(await storage.markDelivered(tenantId, entry.id, workerId, now))) throw new Error(`lost lease on ${entry.id}`);
      claimed.push(entry.id);
    }
  }
  await storage.close();
  process.stdout.write(claimed.map((id) => `${id}\n`).join(''));
  process.exit(0);
});
