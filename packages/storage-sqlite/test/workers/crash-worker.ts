// One incarnation of a CareRelay worker on a shared SQLite file, to be SIGKILLed at any moment.
// Protocol: prints `ready` once loaded; on `go <instant>` sets its clock and ticks until no work is left,
// printing `sent` after each delivery and `idle` at the end. The recording channel appends one line per send
// (idempotency key, then the notification ids it carries) to a file and fsyncs it before reporting delivery.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { type Channel, createCoordinator, createManualClock } from '@carerelay/engine';
import { createSqliteStorage } from '@carerelay/storage-sqlite';
import { T_SETUP, crashCoordinatorSettings } from '../clinic-fixture.js';

const [filename, recordFile, workerId, digestMinutes] = process.argv.slice(2) as [string, string, string, string];
const record = openSync(recordFile, 'a');

const recordingChannel: Channel = {
  name: 'in_app',
  trust: 'phi-allowed',
  send(message, { idempotencyKey }) {
    writeSync(record, `${idempotencyKey} ${message.digest.notifications.map((n) => n.id).join(',')}\n`);
    fsyncSync(record);
    process.stdout.write('sent\n');
    return Promise.resolve({ status: 'delivered' });
  },
};

const clock = createManualClock(T_SETUP);
// maxAttempts: a worker killed mid-send many times over must not dead-letter what it never failed to deliver.
const storage = createSqliteStorage({ filename, maxAttempts: 1000 });
await storage.migrate();
const coordinator = createCoordinator({ storage, channels: [recordingChannel], clock, workerId, ...crashCoordinatorSettings(Number(digestMinutes)) });
coordinator.on('error', (error) => process.stderr.write(`error: ${error.code} ${error.message}\n`));
process.stdout.write('ready\n');

process.stdin.once('data', async (chunk: Buffer) => {
  const [command, instant] = chunk.toString().trim().split(' ');
  if (command !== 'go' || instant === undefined) throw new Error('expected `go <instant>`');
  clock.set(instant);
  for (;;) {
    const result = await coordinator.tick();
    if (!result.more && result.casesPlanned === 0 && result.messagesSent === 0 && result.delivered === 0) break;
  }
  await coordinator.close();
  closeSync(record);
  process.stdout.write('idle\n');
  process.exit(0);
});
