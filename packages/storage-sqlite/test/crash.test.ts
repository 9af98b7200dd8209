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
 * Crash test: a CareRelay worker (`createCoordinator` on `createSqliteStorage({ filename })`, with a recording
 * channel that appends and fsyncs each delivery) runs on a shared SQLite file and is SIGKILLed at seeded random
 * points — some after a random delay (wherever it is: planning, committing, sending, marking), most right after
 * its n-th delivery — then restarted, over and over. At the end every due notification has reached the recording
 * channel, and none twice; the store agrees.
 *
 * The worker is bundled once (see `bundleWorker`) so a restart costs ~0.1 s of CPU. Each incarnation's manual
 * clock is 2 s later than the last (past the 1 s leases the dead one held); nothing falls due in between.
 *
 * Env: `CARERELAY_CRASH_KILLS` (default 60; `npm run soak` uses 500), `CARERELAY_CRASH_PATIENTS` (default
 * scales with the kills), `CARERELAY_CRASH_SEED` (replay a run), `CARERELAY_CRASH_DIGEST_MINUTES`,
 * `CARERELAY_CRASH_KEEP` (keep the database and the delivery log).
 */
const KILLS = Number(process.env.CARERELAY_CRASH_KILLS ?? 60);
const SEED = Number(process.env.CARERELAY_CRASH_SEED ?? 20261125);
/**
 * Digest window of the workers (default 60): each owner's notifications leave as one digest, under an id derived
 * from the notifications it carries, and claims of 25 entries cut digests in two. A kill between a digest's send
 * and its marks must lead to a re-send of the same notifications under the same id, never to a new digest. 0 sends
 * each notification as its own message, keyed by its id.
 */
const DIGEST_MINUTES = Number(process.env.CARERELAY_CRASH_DIGEST_MINUTES ?? 60);
const PATIENTS = Number(process.env.CARERELAY_CRASH_PATIENTS ?? crashPatients(KILLS, DIGEST_MINUTES));

let dir: string;
let file: string;
let recordFile: string;
let workerBundle: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'carerelay-crash-'));
  file = path.join(dir, 'carerelay.db');
  recordFile = path.join(dir, 'deliveries.log');
  writeFileSync(recordFile, '');
  workerBundle = await bundleWorker('crash-worker', path.join(dir, 'bundle'));
}, 30_000);
afterAll(() => {
  if (process.env.CARERELAY_CRASH_KEEP) console.info(`crash test: kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

describe('crash: SIGKILL during delivery on a shared SQLite file', () => {
  it(`after ${KILLS} kills and restarts every due notification is delivered, none twice`, async () => {
    // The clinic's events, ingested once (at T_SETUP nothing is due yet).
    const setupClock = createManualClock(T_SETUP);
    const setup = createCoordinator({ storage: createSqliteStorage({ filename: file }), channels: [], clock: setupClock, ...crashCoordinatorSettings(DIGEST_MINUTES) });
    const ingested = await setup.ingest(crashClinicEvents(PATIENTS));
    expect(ingested.quarantined).toBe(0);
    await setup.close();
    const expected = await referenceDeliveries(PATIENTS, DIGEST_MINUTES);
    expect(expected.size).toBeGreaterThanOrEqual(PATIENTS * 3);

    const random = prng(SEED);
    let killedWithWorkLeft = 0;
    let killedAfterASend = 0;
    // The next incarnations load while the current one works, so kills follow each other quickly.
    const start = (index: number) => startIncarnation(workerBundle, file, recordFile, index, DIGEST_MINUTES);
    const pool = Array.from({ length: 2 }, (_, i) => start(i));
    let spawned = pool.length;
    for (let k = 0; k < KILLS; k++) {
      const current = pool.shift()!;
      pool.push(start(spawned++));
      await current.ready;
      const byTime = random() < 0.3;
      const delayMs = byTime ? Math.floor(random() * 200) : Math.floor(random() * 4);
      const afterSends = 1 + Math.floor(random() * 8);
      let sends = 0;
      const kill = () => current.child.kill('SIGKILL');
      const progress = watch(current.child, (count) => {
        sends = count;
        if (!byTime && count === afterSends) setTimeout(kill, delayMs);
      });
      current.child.stdin?.write(`go ${instantAt(k)}\n`);
      if (byTime) setTimeout(kill, delayMs);
      const result = await current.exit;
      if (result.signal === 'SIGKILL' && !progress.idle()) killedWithWorkLeft += 1;
      if (result.signal === 'SIGKILL' && sends > 0) killedAfterASend += 1;
      if (result.signal !== 'SIGKILL') {
        // It finished before its kill point: only acceptable when it really finished.
        expect(result.code, result.stderr).toBe(0);
      }
    }

    // The last incarnation runs to the end; the spare ones are stopped unused.
    const next = pool.shift()!;
    for (const spare of pool) spare.child.kill('SIGKILL');
    await Promise.all(pool.map((spare) => spare.exit));
    await next.ready;
    const progress = watch(next.child, () => undefined);
    next.child.stdin?.write(`go ${instantAt(KILLS)}\n`);
    const last = await next.exit;
    expect(last.code, last.stderr).toBe(0);
    expect(progress.idle()).toBe(true);

    const count = countDeliveries(recordFile, expected);
    console.info(
      `crash test: seed ${SEED}, ${PATIENTS} patients, ${KILLS} kills (${killedWithWorkLeft} with work left, ${killedAfterASend} after a send), ` +
        `${expected.size} notifications in ${count.messages} messages, ${count.sends - count.messages} re-sends under the same key`,
    );
    expect({ twice: count.twice, missing: count.missing, unexpected: count.unexpected }).toEqual({ twice: [], missing: [], unexpected: [] });
    // The engine sends one message at a time and marks it right after: a kill can leave at most that one message
    // sent but unmarked, so repeats are bounded by the kills (a store that lost marks or leases would exceed it).
    expect(count.sends - count.messages).toBeLessThanOrEqual(KILLS);
    expect(killedWithWorkLeft).toBeGreaterThanOrEqual(Math.min(KILLS, 50));

    // And the store agrees: everything delivered, nothing pending, dead or leased.
    const storage = createSqliteStorage({ filename: file });
    await storage.migrate();
    const stats = await storage.outboxStats(CLINIC_TENANT, instantAt(KILLS));
    expect(stats).toMatchObject({ pending: 0, dead: 0, leased: 0, delivered: expected.size });
    await storage.close();
  }, 60_000 + KILLS * 1_500);
});
