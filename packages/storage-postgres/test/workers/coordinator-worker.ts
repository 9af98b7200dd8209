/**
 * A CareRelay worker process for the reliability tests: `createCoordinator` on the PostgreSQL adapter with a
 * recording channel, ticking whenever there may be work — when its clock moves, when another process's commit
 * NOTIFYs it (`storage.subscribe`), and every 50 ms of real time as a fallback.
 *
 * Started (bundled) by the tests with one JSON argument, {@link WorkerConfig}. Prints `ready` once it will tick.
 * stdin lines: `t <instant>` sets a simulated clock (mode `sim`), `stop` closes the coordinator and exits 0.
 * The crash test kills it with SIGKILL instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { type CareRelayStorage, type Channel, type Clock, createCoordinator, createManualClock, systemClock } from '@carerelay/engine';
import { createPostgresStorage } from '../../src/index.ts';
import { simulatedCaseEvents } from '../support/care-fixture.ts';

/** What the test passes to a worker. */
export interface WorkerConfig {
  url: string;
  schema: string;
  tenantId: string;
  workerId: string;
  /** `sim`: a manual clock set from stdin; `real`: the system clock. */
  mode: 'sim' | 'real';
  /** Manual clock start (mode `sim`). */
  start?: string;
  /** Directory for this worker's files. */
  outDir: string;
  /**
   * Where the recording channel writes each delivered notification id. With `dedupe`, the channel acts as an
   * idempotent receiver: it first reads the ids already in the file and accepts a repeated idempotency key
   * without recording it again (as a webhook receiver dedupes on `webhook-id`).
   */
  deliveredFile: string;
  dedupe: boolean;
  caseLeaseMs: number;
  outboxLeaseMs: number;
  /** Write a lease audit (claim and release instants of each case) on `stop` (mode `sim`). */
  audit: boolean;
  /** Simulated cases this worker ingests before it prints `ready` (`simulatedCaseEvents`, at its clock's start). */
  ingest?: { from: number; to: number };
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const wallNow = () => performance.timeOrigin + performance.now();

/** The recording channel: appends every notification id it is asked to send (and, raw, every attempt). */
function recordingChannel(): Channel {
  const seen = new Set<string>();
  if (config.dedupe && fs.existsSync(config.deliveredFile)) {
    for (const line of fs.readFileSync(config.deliveredFile, 'utf8').split('\n')) if (line) seen.add(line);
  }
  const rawFile = path.join(config.outDir, `attempts-${config.workerId}.log`);
  return {
    name: 'in_app',
    trust: 'phi-allowed',
    async send(message, { idempotencyKey }) {
      const ids = message.digest.notifications.map((n) => n.id);
      fs.appendFileSync(rawFile, ids.map((id) => `${id}\n`).join(''));
      if (config.dedupe && seen.has(idempotencyKey)) return { status: 'delivered' };
      fs.appendFileSync(config.deliveredFile, ids.map((id) => `${id}\n`).join(''));
      seen.add(idempotencyKey);
      return { status: 'delivered' };
    },
  };
}

/**
 * Wraps the storage to log, per case, when this worker got its lease (claim returned) and when it gave it up
 * (just before sending the releasing commit or release). Another worker's claim can only succeed after that
 * commit, so two workers' intervals for one case overlap only if one case was held by two workers at once.
 */
function audited(storage: CareRelayStorage, lines: string[]): CareRelayStorage {
  return {
    ...storage,
    async claimDueCases(...args) {
      const claims = await storage.claimDueCases(...args);
      const at = wallNow();
      for (const claim of claims) lines.push(`claim\t${claim.caseId}\t${at}`);
      return claims;
    },
    async commitCase(tenantId, caseId, expectedVersion, commit) {
      if (commit.workerId === config.workerId) lines.push(`release\t${caseId}\t${wallNow()}`);
      return storage.commitCase(tenantId, caseId, expectedVersion, commit);
    },
    async releaseCase(tenantId, caseId, workerId) {
      lines.push(`release\t${caseId}\t${wallNow()}`);
      return storage.releaseCase(tenantId, caseId, workerId);
    },
  };
}

async function main() {
  fs.mkdirSync(config.outDir, { recursive: true });
  const storage = createPostgresStorage({ connectionString: config.url, schema: config.schema, poolSize: 3 });
  const auditLines: string[] = [];
  const clock: Clock & { set?: (instant: string) => void } = config.mode === 'sim' ? createManualClock(config.start!) : systemClock;
  const coordinator = createCoordinator({
    storage: config.audit ? audited(storage, auditLines) : storage,
    channels: [recordingChannel()],
    clock,
    tenantId: config.tenantId,
    workerId: config.workerId,
    digestWindowMinutes: 0,
    dailyBudget: 1000,
    caseLeaseMs: config.caseLeaseMs,
    outboxLeaseMs: config.outboxLeaseMs,
  });
  coordinator.on('error', (error) => process.stderr.write(`${config.workerId}: ${error.code}: ${error.message}\n`));

  let requested = true;
  let running = true;
  let ticks = 0;
  let wakeUp: (() => void) | undefined;
  const request = () => {
    requested = true;
    wakeUp?.();
  };
  const unsubscribe = storage.subscribe(config.tenantId, request);

  const commands = readline.createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    if (line.startsWith('t ')) {
      clock.set?.(line.slice(2));
      request();
    } else if (line === 'stop') {
      running = false;
      request();
    }
  });

  await storage.migrate();
  if (config.ingest) {
    const events = simulatedCaseEvents(config.tenantId, clock.now(), config.ingest.from, config.ingest.to);
    const result = await coordinator.ingest(events);
    if (result.applied !== events.length) throw new Error(`ingested ${result.applied} of ${events.length} events`);
  }
  process.stdout.write('ready\n');
  while (running) {
    if (!requested) {
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        setTimeout(resolve, 50);
      });
      wakeUp = undefined;
    }
    if (!running) break;
    requested = false;
    ticks += 1;
    try {
      const result = await coordinator.tick();
      if (result.more || result.casesPlanned > 0 || result.messagesSent > 0 || result.failed > 0) requested = true;
    } catch {
      // Reported through the `error` event; the fallback poll tries again.
    }
  }
  commands.close();
  unsubscribe();
  await coordinator.close();
  if (config.audit) fs.writeFileSync(path.join(config.outDir, `audit-${config.workerId}.log`), auditLines.join('\n') + '\n');
  const cpu = process.cpuUsage();
  process.stdout.write(`stopped ticks=${ticks} cpu=${((cpu.user + cpu.system) / 1e6).toFixed(1)}s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${config.workerId}: ${error instanceof Error ? (error.stack ?? error.message) : 'failed'}\n`);
  process.exit(1);
});
