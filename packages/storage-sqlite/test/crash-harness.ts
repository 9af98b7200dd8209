import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Channel, createCoordinator, createManualClock } from '@carerelay/engine';
import { createSqliteStorage } from '../src/index.js';
import { INCARNATION_STEP_MS, T_RUN, T_SETUP, crashCoordinatorSettings } from './clinic-fixture.js';
import { crashClinicEvents } from './crash-clinic.js';
import { exited, printed, spawnBundled } from './worker-process.js';

/** What the crash tests share: the seeded PRNG, worker incarnations, the reference run and the delivery count. */

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The clock of incarnation `n`: `INCARNATION_STEP_MS` later than the one before, past the leases it held. */
export const instantAt = (incarnation: number): string => new Date(Date.parse(T_RUN) + incarnation * INCARNATION_STEP_MS).toISOString();

/**
 * Patients for a run of `kills`: a worker sends about 15 messages (sometimes 25) before its kill lands, so the
 * clinic needs about 25 messages per kill for every kill to find work left — 3 notifications per patient, in
 * digests of about 4 (see `crash-clinic.ts`), or alone without digests.
 */
export function crashPatients(kills: number, digestMinutes: number): number {
  return digestMinutes > 0 ? Math.max(2000, kills * 34) : Math.max(300, kills * 5);
}

/** What the same events give without any crash: the notification ids delivered at T_RUN, on a private database. */
export async function referenceDeliveries(patients: number, digestMinutes: number): Promise<Set<string>> {
  const delivered = new Set<string>();
  const channel: Channel = {
    name: 'in_app',
    trust: 'phi-allowed',
    send: (message) => {
      for (const n of message.digest.notifications) delivered.add(n.id);
      return Promise.resolve({ status: 'delivered' });
    },
  };
  const clock = createManualClock(T_SETUP);
  const coordinator = createCoordinator({ storage: createSqliteStorage({ filename: ':memory:' }), channels: [channel], clock, ...crashCoordinatorSettings(digestMinutes) });
  await coordinator.ingest(crashClinicEvents(patients));
  clock.set(T_RUN);
  for (;;) {
    const result = await coordinator.tick();
    if (!result.more && result.casesPlanned === 0 && result.messagesSent === 0 && result.delivered === 0) break;
  }
  await coordinator.close();
  return delivered;
}

/** A worker process, loaded and waiting for `go`. */
export interface Incarnation {
  child: ChildProcess;
  exit: ReturnType<typeof exited>;
  ready: Promise<void>;
}

/** Starts worker `worker-<index>` of the bundled crash worker on `file`, recording to `recordFile`. */
export function startIncarnation(bundle: string, file: string, recordFile: string, index: number, digestMinutes: number): Incarnation {
  const child = spawnBundled(bundle, [file, recordFile, `worker-${index}`, String(digestMinutes)]);
  const exit = exited(child);
  const ready = printed(child, 'ready');
  ready.catch(() => undefined);
  return { child, exit, ready };
}

/** Counts `sent` lines as the worker prints them; `idle` says it finished. */
export function watch(child: ChildProcess, onSent: (count: number) => void): { idle: () => boolean } {
  let sent = 0;
  let idle = false;
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'sent') onSent(++sent);
      if (line === 'idle') idle = true;
    }
  });
  return { idle: () => idle };
}

/** What reached the recording channel, as a receiver that dedupes by idempotency key counts it. */
export interface DeliveryCount {
  /** Sends recorded (repeats of one key included). */
  sends: number;
  /** Distinct idempotency keys: the messages a receiver accepted. */
  messages: number;
  /** Notification ids carried by more than one accepted message: they reached their recipient twice. */
  twice: string[];
  /** Expected notification ids no message carried. */
  missing: string[];
  /** Notification ids carried that the uninterrupted run did not deliver. */
  unexpected: string[];
}

/**
 * Reads the delivery log. A send repeated under the same idempotency key after a crash is one delivery to a
 * receiver that dedupes by that key (as Message-ID and webhook-id receivers do); a notification carried by two
 * different messages would reach its recipient twice.
 */
export function countDeliveries(recordFile: string, expected: ReadonlySet<string>): DeliveryCount {
  const lines = readFileSync(recordFile, 'utf8').split('\n').filter((line) => line.length > 0);
  const accepted = new Map<string, string[]>();
  for (const line of lines) {
    const [key, ids] = line.split(' ') as [string, string];
    if (!accepted.has(key)) accepted.set(key, ids.split(','));
  }
  const deliveries = new Map<string, number>();
  for (const ids of accepted.values()) for (const id of ids) deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
  return {
    sends: lines.length,
    messages: accepted.size,
    twice: [...deliveries].filter(([, count]) => count > 1).map(([id]) => id),
    missing: [...expected].filter((id) => !deliveries.has(id)),
    unexpected: [...deliveries.keys()].filter((id) => !expected.has(id)),
  };
}
