import type { CalendarCache, CoreConfig, Directory } from '@carerelay/core';
import type { EventEmitter } from 'eventemitter3';
import { callAdapter } from './adapter-failure.js';
import type { Channel } from './channel.js';
import type { Clock } from './clock.js';
import type { CoordinatorSettings } from './coordinator-options.js';
import type { CoordinatorEvents } from './events.js';
import type { Logger } from './logger.js';
import type { CareRelayStorage } from './storage/contract.js';
import { MinHeap } from './storage/min-heap.js';

/** What the coordinator's parts share: dependencies, settings, and a few process-local caches. */
export interface EngineContext {
  tenantId: string;
  workerId: string;
  storage: CareRelayStorage;
  /** Channels in the order given; the first is the fallback. */
  channels: readonly Channel[];
  clock: Clock;
  logger: Logger;
  config: CoreConfig;
  settings: CoordinatorSettings;
  /** One calendar cache for the coordinator's life (keyed by owner objects, so the directory is kept stable). */
  calendars: CalendarCache;
  events: EventEmitter<CoordinatorEvents>;
  /** The directory last loaded, reused while its version is unchanged (keeps calendar-cache hits). */
  directory: { version: number; directory: Directory } | undefined;
  /** Case ids this process has touched (for `worklist()` when storage cannot list cases). */
  knownCases: Set<string>;
  /** Delivery instants of outbox entries this process queued, retried or deferred: the scheduler's wake-up hints. */
  outboxHints: MinHeap<{ key: string; id: string }>;
  /** Per recipient, instants of non-critical messages sent (daily budget; process-local). */
  sentAt: Map<string, string[]>;
  /** Per notification id, channels that already delivered it (a retry re-sends only to the others). */
  deliveredOn: Map<string, Set<string>>;
}

/** Calls the storage adapter, wrapping failures as `adapter_failure` errors prefixed with its name. */
export function store<T>(ctx: EngineContext, operation: string, call: (storage: CareRelayStorage) => Promise<T>): Promise<T> {
  return callAdapter(ctx.storage.name, operation, () => call(ctx.storage));
}

/** The tenant's directory, reusing the cached object while the stored version is unchanged. */
export async function currentDirectory(ctx: EngineContext): Promise<{ version: number; directory: Directory }> {
  const loaded = await store(ctx, 'loadDirectory', (s) => s.loadDirectory(ctx.tenantId));
  if (ctx.directory && ctx.directory.version === loaded.version) return ctx.directory;
  ctx.directory = loaded;
  return loaded;
}

/** Adds a scheduler hint: an outbox entry becomes due at `instant`. */
export function hintOutbox(ctx: EngineContext, instant: string): void {
  ctx.outboxHints.push({ key: instant, id: '' });
}

/** Adds milliseconds to an instant. */
export function addMs(instant: string, ms: number): string {
  return new Date(Date.parse(instant) + ms).toISOString();
}
