import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CareEvent, type Notification, toInstant, toMillis } from '@carerelay/core';
import { type Channel, type Coordinator, type ManualClock, createCoordinator, createInboxChannel, createManualClock } from '@carerelay/engine';
import { createSqliteStorage } from '@carerelay/storage-sqlite';
import { maxLevel } from './behaviour.js';
import type { DeliveredMessage } from './messages.js';
import type { Notifier } from './notifier.js';
import type { World } from './world.js';

/** Options of {@link createCareRelayNotifier}. */
export interface CareRelayNotifierOptions {
  /** SQLite database file; a fresh file in a temporary directory (removed on close) when absent. `:memory:` works too. */
  databaseFile?: string;
  /** The engine clock's start. */
  start: number;
}

/** Timings of the engine path, for the profile printed to standard error. */
export interface EngineTimings {
  ingestCalls: number;
  eventsIngested: number;
  ingestMs: number;
  ticks: number;
  tickMs: number;
  /** Due cases the ticks re-planned. */
  casesPlanned: number;
  /** Messages the engine sent (a digest counts once). */
  messagesSent: number;
}

/**
 * CareRelay as a vendor runs it: the real engine (`createCoordinator`) on SQLite storage with the default
 * configuration, the in-app inbox on that storage and an e-mail channel (a sink: the simulation only needs to
 * know a message went out), driven by a manual clock. World events are ingested at the instant they happen;
 * `tick()` runs every 15 simulated minutes and what the channels deliver is handed back as messages.
 */
export function createCareRelayNotifier(options: CareRelayNotifierOptions): Notifier & { timings: EngineTimings; coordinator(): Coordinator } {
  let coordinator: Coordinator;
  let clock: ManualClock;
  let directory: string | undefined;
  const pending: CareEvent[] = [];
  const queued = new Map<string, Notification>();
  const delivered: Array<{ notificationId: string; messageId: string; recipientId: string; at: string }> = [];
  const timings: EngineTimings = { ingestCalls: 0, eventsIngested: 0, ingestMs: 0, ticks: 0, tickMs: 0, casesPlanned: 0, messagesSent: 0 };
  let failure: Error | undefined;
  const check = () => {
    if (failure) throw new Error(`simulator: the engine reported an error: ${failure.message}`, { cause: failure });
  };

  /** The engine's earliest due work (case wake-up or message), refreshed after each ingest and tick. */
  let nextWake = -Infinity;
  const refreshWake = async () => {
    const next = await coordinator.nextWakeAt();
    nextWake = next === null ? Infinity : toMillis(next);
  };
  const ingest = async (now: number) => {
    if (pending.length === 0) return;
    clock.set(toInstant(now));
    const batch = pending.splice(0, pending.length);
    const started = performance.now();
    const result = await coordinator.ingest(batch);
    timings.ingestMs += performance.now() - started;
    timings.ingestCalls++;
    timings.eventsIngested += batch.length;
    check();
    await refreshWake();
    if (result.quarantined > 0 || result.failed > 0) {
      const bad = result.results.find((r) => r.status === 'quarantined' || r.status === 'failed');
      throw new Error(`simulator: the engine rejected event ${bad?.id ?? '?'}: ${bad?.error?.message ?? 'unknown'}`);
    }
  };

  return {
    policy: 'carerelay',
    timings,
    coordinator: () => coordinator,
    async attach(world: World) {
      let filename = options.databaseFile;
      if (filename === undefined) {
        directory = mkdtempSync(join(tmpdir(), 'carerelay-sim-'));
        filename = join(directory, 'carerelay.db');
      }
      const storage = createSqliteStorage({ filename });
      clock = createManualClock(toInstant(options.start));
      const email: Channel = { name: 'email', trust: 'phi-minimal', send: async () => ({ status: 'delivered' }) };
      coordinator = createCoordinator({
        tenantId: world.tenantId,
        storage,
        clock,
        workerId: 'simulator',
        channels: [createInboxChannel(storage, { now: () => clock.now() }), email],
      });
      coordinator.on('notification.queued', ({ notification }) => queued.set(notification.id, notification));
      coordinator.on('notification.delivered', (e) => delivered.push(e));
      coordinator.on('error', (error) => {
        failure ??= error;
      });
      world.onEvent((event, meta) => {
        if (event.type !== 'notification.delivered' && meta.coordinates) pending.push(event);
      });
    },
    flush: ingest,
    async tick(now) {
      await ingest(now);
      // A tick with nothing due would only ask the database; skip it (the engine's own scheduler sleeps likewise).
      if (nextWake > now) return [];
      clock.set(toInstant(now));
      const started = performance.now();
      const result = await coordinator.tick();
      timings.casesPlanned += result.casesPlanned;
      timings.messagesSent += result.messagesSent;
      await refreshWake();
      timings.tickMs += performance.now() - started;
      timings.ticks++;
      check();
      if (delivered.length === 0) return [];
      const byMessage = new Map<string, DeliveredMessage>();
      for (const d of delivered.splice(0, delivered.length)) {
        const n = queued.get(d.notificationId);
        if (!n) throw new Error(`simulator: delivered notification ${d.notificationId} was never queued`);
        let message = byMessage.get(`${d.recipientId}\u0000${d.messageId}`);
        if (!message) {
          message = { id: d.messageId, recipientId: d.recipientId, at: toMillis(d.at), level: n.level, critical: false, notifications: [] };
          byMessage.set(`${d.recipientId}\u0000${d.messageId}`, message);
        }
        message.critical ||= n.critical;
        message.notifications.push({
          id: n.id,
          patientId: n.patientId,
          milestoneId: n.milestoneId,
          level: n.level,
          items: n.items.map((i) => ({ requirementId: i.requirementId, ownerId: i.ownerId, patientId: n.patientId, milestoneId: i.milestoneId })),
          ...(n.escalatedOwnerId === undefined ? {} : { escalatedOwnerId: n.escalatedOwnerId }),
        });
        queued.delete(d.notificationId);
      }
      const messages = [...byMessage.values()];
      for (const m of messages) m.level = maxLevel(m.notifications.map((n) => n.level));
      return messages;
    },
    async close() {
      await coordinator?.close();
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}
