import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  CalendarCache,
  CareRelayError,
  type CaseState,
  type CoreConfig,
  type GuidanceItem,
  type TaskView,
  guidance as coreGuidance,
  worklist as coreWorklist,
  toCareRelayError,
} from '@carerelay/core';
import { EventEmitter } from 'eventemitter3';
import { callAdapter } from './adapter-failure.js';
import { commitCaseEvents } from './case-commit.js';
import type { Channel } from './channel.js';
import { type Clock, systemClock } from './clock.js';
import { type CoordinatorOptions, type CoordinatorSettings, resolveSettings } from './coordinator-options.js';
import { deliverDue } from './delivery.js';
import { type EngineContext, currentDirectory, store } from './engine-context.js';
import type { CoordinatorEvents } from './events.js';
import { createInboxChannel } from './inbox-channel.js';
import { type IngestResult, ingestEvents } from './ingest.js';
import { silentLogger } from './logger.js';
import type { CareRelayStorage, InboxMessage, OutboxStats } from './storage/contract.js';
import { createMemoryStorage } from './storage/memory-storage.js';
import { MinHeap } from './storage/min-heap.js';

/** What one `tick()` did. */
export interface TickResult {
  /** The instant the tick ran at. */
  now: string;
  /** Due cases re-planned. */
  casesPlanned: number;
  /** Notifications queued by those re-plans. */
  notificationsQueued: number;
  /** Messages sent (a digest counts once). */
  messagesSent: number;
  /** Notifications marked delivered. */
  delivered: number;
  /** Notifications whose delivery failed (to be retried, or dead-lettered). */
  failed: number;
  /** Notifications held (digest window, daily budget). */
  deferred: number;
  /** True when a batch limit was reached: more work may be due now. */
  more: boolean;
}

/** The dead-man's switch: is the engine keeping up? */
export interface HealthReport {
  /** False when a wake-up or a due message is older than the threshold. */
  ok: boolean;
  now: string;
  /** Whether the scheduler (`start()`) is running in this process. */
  running: boolean;
  /** When this process last completed a tick, if ever. */
  lastTickAt: string | null;
  schedule: {
    earliestWakeAt: string | null;
    /** How long the earliest wake-up is overdue (0 when not yet due). */
    overdueMs: number;
    overdue: boolean;
  };
  outbox: OutboxStats & {
    /** Age of the oldest due message (0 when none). */
    oldestDueAgeMs: number;
    backlog: boolean;
  };
  /** PHI-free descriptions of each problem. */
  problems: string[];
}

/**
 * The coordinator: ingests events, re-plans only the cases they touch, commits notifications to a transactional
 * outbox, delivers them, and wakes when the next case or message is due. Typed events through eventemitter3.
 */
export interface Coordinator {
  /** The tenant this coordinator serves. */
  readonly tenantId: string;
  /** This worker's lease id. */
  readonly workerId: string;
  readonly storage: CareRelayStorage;
  /** The validated core configuration in use. */
  readonly config: CoreConfig;

  /**
   * Validates and applies events (one or a batch). Bad events are quarantined with an error naming each field
   * (and reported through `quarantined`); the rest are applied. Never rejects for bad input.
   */
  ingest(events: unknown): Promise<IngestResult>;
  /** Re-plans the cases that are due and delivers the messages that are due. Touches only due work. */
  tick(): Promise<TickResult>;
  /** Starts the scheduler: ticks, then sleeps until the earliest next wake-up (or message due), woken early by `ingest`. */
  start(): void;
  /** Stops the scheduler and waits for the running tick to finish. */
  stop(): Promise<void>;
  /** Stops, closes the channels and the storage. */
  close(): Promise<void>;
  /** The earliest instant this coordinator knows work is due (case wake-up or message), or null. */
  nextWakeAt(): Promise<string | null>;
  /** An owner's open tasks across patients, soonest deadline first. */
  worklist(ownerId: string): Promise<TaskView[]>;
  /** What this owner's next note for this patient must address, soonest deadline first. */
  guidance(patientId: string, ownerId: string): Promise<GuidanceItem[]>;
  /** An owner's in-app inbox, newest first. */
  inbox(ownerId: string, options?: { unreadOnly?: boolean; limit?: number }): Promise<InboxMessage[]>;
  /** Number of unread messages in an owner's inbox. */
  unreadCount(ownerId: string): Promise<number>;
  /** Marks an owner's message read; `not_found` when the owner has no such message. */
  markRead(ownerId: string, messageId: string): Promise<InboxMessage>;
  /**
   * Acknowledges an owner's message (and marks it read). Acknowledging a critical message ingests
   * `notification.acknowledged` events, so its repeats stop. `not_found` when the owner has no such message.
   */
  acknowledge(ownerId: string, messageId: string): Promise<InboxMessage>;
  /** Overdue wake-ups and outbox backlog, for operators' alerting. */
  health(): Promise<HealthReport>;

  /** Adds a listener for a typed event. */
  on<E extends keyof CoordinatorEvents>(event: E, listener: EventEmitter.EventListener<CoordinatorEvents, E>): this;
  /** Adds a one-time listener for a typed event. */
  once<E extends keyof CoordinatorEvents>(event: E, listener: EventEmitter.EventListener<CoordinatorEvents, E>): this;
  /** Removes a listener (or all listeners of the event). */
  off<E extends keyof CoordinatorEvents>(event: E, listener?: EventEmitter.EventListener<CoordinatorEvents, E>): this;
}

/** Most claim rounds in one tick (a safety bound; a full tick normally stops when a claim comes back short). */
const MAX_ROUNDS = 10_000;

class CareRelayCoordinator extends EventEmitter<CoordinatorEvents> implements Coordinator {
  readonly tenantId: string;
  readonly workerId: string;
  readonly storage: CareRelayStorage;
  readonly config: CoreConfig;
  private readonly ctx: EngineContext;
  private readonly clock: Clock;
  private readonly settings: CoordinatorSettings;
  private migrated: Promise<void> | undefined;
  private tickChain: Promise<unknown> = Promise.resolve();
  private running = false;
  private loop: Promise<void> | undefined;
  private sleeper: AbortController | undefined;
  private wakeRequested = false;
  private lastTickAt: string | null = null;
  private lastTickDidWork = false;

  constructor(options: CoordinatorOptions) {
    super();
    const { settings, config } = resolveSettings(options);
    this.settings = settings;
    this.config = config;
    this.tenantId = settings.tenantId;
    this.workerId = settings.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.storage = options.storage ?? createMemoryStorage();
    this.clock = options.clock ?? systemClock;
    const clock = this.clock;
    const channels: readonly Channel[] = options.channels ?? [createInboxChannel(this.storage, { now: () => clock.now() })];
    const names = new Set<string>();
    for (const channel of channels) {
      if (names.has(channel.name)) throw new CareRelayError('invalid_configuration', `invalid coordinator options: channels: two channels are named ${channel.name}`, { issues: [{ path: 'channels', message: `duplicate channel name ${channel.name}` }] });
      names.add(channel.name);
    }
    this.ctx = {
      tenantId: this.tenantId,
      workerId: this.workerId,
      storage: this.storage,
      channels,
      clock: this.clock,
      logger: options.logger ?? silentLogger,
      config,
      settings,
      calendars: new CalendarCache(),
      events: this,
      directory: undefined,
      knownCases: new Set(),
      outboxHints: new MinHeap(),
      sentAt: new Map(),
      deliveredOn: new Map(),
    };
  }

  /** Runs the storage's migrations once per coordinator. */
  private ready(): Promise<void> {
    this.migrated ??= callAdapter(this.storage.name, 'migrate', () => this.storage.migrate()).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    return this.migrated;
  }

  async ingest(events: unknown): Promise<IngestResult> {
    await this.ready();
    const inputs = Array.isArray(events) ? events : [events];
    const result = await ingestEvents(this.ctx, inputs, this.clock.now());
    this.wake();
    return result;
  }

  tick(): Promise<TickResult> {
    const run = this.tickChain.then(() => this.runTick());
    this.tickChain = run.catch(() => undefined);
    return run;
  }

  private async runTick(): Promise<TickResult> {
    await this.ready();
    const { ctx, settings } = this;
    const now = this.clock.now();
    while (ctx.outboxHints.size > 0 && ctx.outboxHints.peek()!.key <= now) ctx.outboxHints.pop();
    const result: TickResult = { now, casesPlanned: 0, notificationsQueued: 0, messagesSent: 0, delivered: 0, failed: 0, deferred: 0, more: false };
    try {
      const seen = new Set<string>();
      const directory = (await currentDirectory(ctx)).directory;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const claims = await store(ctx, 'claimDueCases', (s) => s.claimDueCases(ctx.tenantId, now, settings.caseBatchSize, settings.caseLeaseMs, ctx.workerId));
        let fresh = 0;
        for (const claim of claims) {
          if (seen.has(claim.caseId)) {
            await store(ctx, 'releaseCase', (s) => s.releaseCase(ctx.tenantId, claim.caseId, ctx.workerId));
            continue;
          }
          seen.add(claim.caseId);
          fresh += 1;
          try {
            const outcome = await commitCaseEvents(ctx, claim.caseId, [], now, { directory, workerId: ctx.workerId });
            result.casesPlanned += 1;
            result.notificationsQueued += outcome.queued.length;
          } catch (thrown) {
            const error = toCareRelayError(thrown);
            this.emit('error', error);
            ctx.logger.error('re-planning a due case failed', { tenantId: ctx.tenantId, caseId: claim.caseId, code: error.code, error: error.message });
            await store(ctx, 'releaseCase', (s) => s.releaseCase(ctx.tenantId, claim.caseId, ctx.workerId)).catch(() => undefined);
          }
        }
        if (claims.length < settings.caseBatchSize || fresh === 0) break;
      }
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const delivery = await deliverDue(ctx, now);
        result.messagesSent += delivery.messages;
        result.delivered += delivery.delivered;
        result.failed += delivery.failed;
        result.deferred += delivery.deferred;
        if (!delivery.more) break;
        if (delivery.messages === 0 && delivery.deferred === 0 && delivery.failed === 0 && delivery.delivered === 0) {
          result.more = true;
          break;
        }
      }
    } catch (thrown) {
      const error = toCareRelayError(thrown);
      this.emit('error', error);
      ctx.logger.error('tick failed', { tenantId: ctx.tenantId, code: error.code, error: error.message });
      throw error;
    }
    // Hints for work this tick already did (messages queued and sent at `now`) are spent.
    while (ctx.outboxHints.size > 0 && ctx.outboxHints.peek()!.key <= now) ctx.outboxHints.pop();
    this.lastTickAt = now;
    this.lastTickDidWork = result.casesPlanned > 0 || result.messagesSent > 0 || result.deferred > 0 || result.failed > 0;
    ctx.logger.debug('tick', { tenantId: ctx.tenantId, ...result });
    return result;
  }

  async nextWakeAt(): Promise<string | null> {
    await this.ready();
    const earliest = await store(this.ctx, 'earliestWakeAt', (s) => s.earliestWakeAt(this.tenantId));
    const hint = this.ctx.outboxHints.peek()?.key ?? null;
    if (earliest === null) return hint;
    if (hint === null) return earliest;
    return hint < earliest ? hint : earliest;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.schedule();
  }

  private async schedule(): Promise<void> {
    while (this.running) {
      this.wakeRequested = false;
      let more = false;
      try {
        more = (await this.tick()).more;
      } catch {
        // reported through `error`; try again after the poll interval
      }
      if (!this.running) break;
      if (this.wakeRequested) continue;
      const waitMs = more ? 0 : await this.msUntilWake();
      if (!this.running || this.wakeRequested) continue;
      this.sleeper = new AbortController();
      await this.clock.sleep(waitMs, this.sleeper.signal);
      this.sleeper = undefined;
    }
  }

  private async msUntilWake(): Promise<number> {
    const poll = this.settings.pollIntervalMs;
    try {
      const next = await this.nextWakeAt();
      if (next === null) return poll;
      const ms = Date.parse(next) - Date.parse(this.clock.now());
      // Work that the last tick already saw due but could not take (another worker holds it) must not make this
      // one spin: wait a poll interval for it.
      if (ms <= 0) return !this.lastTickDidWork && this.lastTickAt !== null && next <= this.lastTickAt ? poll : 0;
      return Math.min(ms, poll);
    } catch {
      return poll;
    }
  }

  private wake(): void {
    this.wakeRequested = true;
    this.sleeper?.abort();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper?.abort();
    await this.loop;
    this.loop = undefined;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.tickChain;
    for (const channel of this.ctx.channels) await channel.close?.();
    await this.storage.close();
  }

  async worklist(ownerId: string): Promise<TaskView[]> {
    await this.ready();
    const { ctx } = this;
    const now = this.clock.now();
    const { directory } = await currentDirectory(ctx);
    const cases: Record<string, CaseState> = {};
    for (const caseId of await this.caseIds()) {
      const record = await store(ctx, 'loadCase', (s) => s.loadCase(ctx.tenantId, caseId));
      if (record) cases[caseId] = record.state;
    }
    return coreWorklist({ tenantId: this.tenantId, directory, cases }, ownerId, now, this.config, { calendars: ctx.calendars });
  }

  /** Every case id of the tenant when the storage can list them, else those this process has touched. */
  private async caseIds(): Promise<string[]> {
    const { ctx } = this;
    const list = ctx.storage.listCaseIds?.bind(ctx.storage);
    if (!list) return [...ctx.knownCases].sort();
    const ids: string[] = [];
    for (;;) {
      const after = ids[ids.length - 1];
      const page = await store(ctx, 'listCaseIds', () => list(ctx.tenantId, { limit: 1000, ...(after === undefined ? {} : { afterCaseId: after }) }));
      ids.push(...page);
      if (page.length < 1000) return ids;
    }
  }

  async guidance(patientId: string, ownerId: string): Promise<GuidanceItem[]> {
    await this.ready();
    const { ctx } = this;
    const record = await store(ctx, 'loadCase', (s) => s.loadCase(ctx.tenantId, patientId));
    if (!record) return [];
    const { directory } = await currentDirectory(ctx);
    return coreGuidance({ tenantId: this.tenantId, directory, cases: { [patientId]: record.state } }, { patientId, ownerId }, this.clock.now(), this.config, { calendars: ctx.calendars });
  }

  async inbox(ownerId: string, options: { unreadOnly?: boolean; limit?: number } = {}): Promise<InboxMessage[]> {
    await this.ready();
    return store(this.ctx, 'listInbox', (s) => s.listInbox(this.tenantId, ownerId, options));
  }

  async unreadCount(ownerId: string): Promise<number> {
    await this.ready();
    return store(this.ctx, 'unreadCount', (s) => s.unreadCount(this.tenantId, ownerId));
  }

  async markRead(ownerId: string, messageId: string): Promise<InboxMessage> {
    await this.ready();
    const message = await store(this.ctx, 'markInbox', (s) => s.markInbox(this.tenantId, ownerId, messageId, { readAt: this.clock.now() }));
    if (!message) throw new CareRelayError('not_found', `inbox: owner ${ownerId} has no message ${messageId}`);
    return message;
  }

  async acknowledge(ownerId: string, messageId: string): Promise<InboxMessage> {
    await this.ready();
    const now = this.clock.now();
    const message = await store(this.ctx, 'markInbox', (s) => s.markInbox(this.tenantId, ownerId, messageId, { readAt: now, acknowledgedAt: now }));
    if (!message) throw new CareRelayError('not_found', `inbox: owner ${ownerId} has no message ${messageId}`);
    if (message.critical) {
      const at = message.acknowledgedAt ?? now;
      const events = message.notificationIds.map((notificationId, i) => ({
        id: `ack:${notificationId}`,
        tenantId: this.tenantId,
        type: 'notification.acknowledged',
        at,
        patientId: message.patientIds[i] ?? message.patientIds[0],
        notificationId,
        taskId: message.taskIds[i] ?? message.taskIds[0],
        ownerId,
      }));
      const result = await this.ingest(events);
      const failed = result.results.find((r) => r.status === 'failed' || r.status === 'quarantined');
      if (failed?.error) throw failed.error;
    }
    return message;
  }

  async health(): Promise<HealthReport> {
    await this.ready();
    const now = this.clock.now();
    const nowMs = Date.parse(now);
    const threshold = this.settings.healthThresholdMs;
    const earliest = await store(this.ctx, 'earliestWakeAt', (s) => s.earliestWakeAt(this.tenantId));
    const stats = await store(this.ctx, 'outboxStats', (s) => s.outboxStats(this.tenantId, now));
    const overdueMs = earliest === null ? 0 : Math.max(0, nowMs - Date.parse(earliest));
    const oldestDueAgeMs = stats.oldestDueAt === null ? 0 : Math.max(0, nowMs - Date.parse(stats.oldestDueAt));
    const overdue = overdueMs > threshold;
    const backlog = oldestDueAgeMs > threshold;
    const problems: string[] = [];
    if (overdue) problems.push(`case wake-ups are ${Math.round(overdueMs / 1000)} s overdue (earliest ${earliest})`);
    if (backlog) problems.push(`${stats.due} due messages waiting; oldest due ${Math.round(oldestDueAgeMs / 1000)} s ago`);
    if (stats.dead > 0) problems.push(`${stats.dead} dead-lettered messages`);
    return {
      ok: !overdue && !backlog,
      now,
      running: this.running,
      lastTickAt: this.lastTickAt,
      schedule: { earliestWakeAt: earliest, overdueMs, overdue },
      outbox: { ...stats, oldestDueAgeMs, backlog },
      problems,
    };
  }
}

/**
 * Creates a coordinator. With no options it runs on memory storage with the in-app inbox and the system clock.
 * Throws `invalid_configuration` (naming the field) for bad options, rule packs or policies.
 *
 * @example
 * ```ts
 * const coordinator = createCoordinator({ tenantId: 'clinic-north' });
 * await coordinator.ingest(events);
 * coordinator.start();
 * ```
 */
export function createCoordinator(options: CoordinatorOptions = {}): Coordinator {
  return new CareRelayCoordinator(options);
}
