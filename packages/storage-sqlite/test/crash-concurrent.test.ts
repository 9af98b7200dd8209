import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCoordinator, createManualClock } from '@carerelay/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../src/index.js';
import { CLINIC_TENANT, T_SETUP, crashCoordinatorSettings } from './clinic-fixture.js';
import { crashClinicEvents } from './crash-clinic.js';
import { countDeliveries, crashPatients, instantAt, prng, referenceDeliveries, startIncarnation, watch } from './crash-harness.js';
import { bundleWorker } from './worker-process.js';

/**
 * Concurrent crash test: three workers (the crash test's worker, see `crash.test.ts`) run at once on one SQLite
 * file with 60-minute digests; each is SIGKILLed at a seeded random point and replaced by a new one, until
 * `CARERELAY_CRASH_CONCURRENT_KILLS` (default 45) kills. Each new worker's clock is 2 s later than the previous
 * one's, past the 1 s leases of the workers still running: it takes their claimed entries over — sometimes while
 * they are sending them — as a worker does from one whose lease ran out. Claims of 25 cut digests between workers.
 * At the end every due notification has reached the recording channel under one message id only (repeats of an
 * id are fine: receivers dedupe them), and the store shows everything delivered.
 */
const KILLS = Number(process.env.CARERELAY_CRASH_CONCURRENT_KILLS ?? 45);
const WORKERS = 3;
const SEED = Number(process.env.CARERELAY_CRASH_SEED ?? 20261126);
const DIGEST_MINUTES = Number(process.env.CARERELAY_CRASH_DIGEST_MINUTES ?? 60);
const PATIENTS = Number(process.env.CARERELAY_CRASH_PATIENTS ?? crashPatients(KILLS, DIGEST_MINUTES));

let dir: string;
let file: string;
let recordFile: string;
let workerBundle: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'carerelay-crash-concurrent-'));
  file = path.join(dir, 'carerelay.db');
  recordFile = path.join(dir, 'deliveries.log');
  writeFileSync(recordFile, '');
  workerBundle = await bundleWorker('crash-worker', path.join(dir, 'bundle'));
}, 30_000);
afterAll(() => {
  if (process.env.CARERELAY_CRASH_KEEP) console.info(`concurrent crash test: kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

describe('crash: concurrent workers, SIGKILLed and taking over each other’s leases, on a shared SQLite file', () => {
  it(`${WORKERS} workers at once, ${KILLS} kills: every due notification is delivered under one message id`, async () => {
    const setup = createCoordinator({ storage: createSqliteStorage({ filename: file }), channels: [], clock: createManualClock(T_SETUP), ...crashCoordinatorSettings(DIGEST_MINUTES) });
    expect((await setup.ingest(crashClinicEvents(PATIENTS))).quarantined).toBe(0);
    await setup.close();
    const expected = await referenceDeliveries(PATIENTS, DIGEST_MINUTES);

    const random = prng(SEED);
    let index = 0;
    let kills = 0;
    let killedWithWorkLeft = 0;
    /** One slot: a worker at a time, each killed at a random point and replaced, until the kills are done. */
    const slot = async () => {
      while (kills < KILLS) {
        const incarnation = index++;
        const current = startIncarnation(workerBundle, file, recordFile, incarnation, DIGEST_MINUTES);
        await current.ready;
        const byTime = random() < 0.3;
        const delayMs = byTime ? Math.floor(random() * 300) : Math.floor(random() * 4);
        const afterSends = 1 + Math.floor(random() * 12);
        const kill = () => current.child.kill('SIGKILL');
        const progress = watch(current.child, (count) => {
          if (!byTime && count === afterSends) setTimeout(kill, delayMs);
        });
        current.child.stdin?.write(`go ${instantAt(incarnation)}\n`);
        if (byTime) setTimeout(kill, delayMs);
        const result = await current.exit;
        if (result.signal === 'SIGKILL') {
          kills += 1;
          if (!progress.idle()) killedWithWorkLeft += 1;
          continue;
        }
        // It finished: nothing was left for its clock. The last worker below does what later clocks see.
        expect(result.code, result.stderr).toBe(0);
        return;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, slot));

    // The last worker runs alone, its clock past every lease, to the end.
    const last = startIncarnation(workerBundle, file, recordFile, index, DIGEST_MINUTES);
    await last.ready;
    const progress = watch(last.child, () => undefined);
    last.child.stdin?.write(`go ${instantAt(index)}\n`);
    const finished = await last.exit;
    expect(finished.code, finished.stderr).toBe(0);
    expect(progress.idle()).toBe(true);

    const count = countDeliveries(recordFile, expected);
    console.info(
      `concurrent crash test: seed ${SEED}, ${PATIENTS} patients, ${WORKERS} workers at once, ${index + 1} incarnations, ${kills} kills ` +
        `(${killedWithWorkLeft} with work left), ${expected.size} notifications in ${count.messages} messages, ` +
        `${count.sends - count.messages} re-sends under the same key`,
    );
    expect({ twice: count.twice, missing: count.missing, unexpected: count.unexpected }).toEqual({ twice: [], missing: [], unexpected: [] });
    expect(killedWithWorkLeft).toBeGreaterThanOrEqual(Math.floor(KILLS * 0.8));

    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    expect(await storage.outboxStats(CLINIC_TENANT, instantAt(index + 1))).toMatchObject({ pending: 0, dead: 0, leased: 0, delivered: expected.size });
    await storage.close();
  }, 60_000 + KILLS * 1_500);
});
