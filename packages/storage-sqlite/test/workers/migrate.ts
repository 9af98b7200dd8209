// Opens the shared file and migrates it, once a start signal arrives on stdin so all processes race together.
import { createSqliteStorage } from '@carerelay/storage-sqlite';

const [filename] = process.argv.slice(2);
const storage = createSqliteStorage({ filename: filename!, busyTimeoutMs: 10_000 });
process.stdout.write('ready\n');
process.stdin.once('data', async () => {
  await storage.migrate();
  await storage.close();
  process.exit(0);
});
