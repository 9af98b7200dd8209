/**
 * `@carerelay/engine`: the imperative shell around `@carerelay/core` — the coordinator (ingest, plan, outbox,
 * delivery, scheduler), the storage and channel contracts, the memory storage adapter and the in-app inbox.
 * @packageDocumentation
 */
export { createCoordinator } from './coordinator.js';
export type { Coordinator, HealthReport, TickResult } from './coordinator.js';
export type { CoordinatorOptions } from './coordinator-options.js';
export type { IngestItemResult, IngestResult } from './ingest.js';
export type {
  CoordinatorEvents,
  EscalatedEvent,
  NotificationDeliveredEvent,
  NotificationFailedEvent,
  NotificationQueuedEvent,
  QuarantinedEvent,
  TaskLifecycleEvent,
} from './events.js';
export { createManualClock, systemClock } from './clock.js';
export type { Clock, ManualClock } from './clock.js';
export { createJsonLogger, silentLogger } from './logger.js';
export type { LogFields, Logger } from './logger.js';
export { adapterFailure } from './adapter-failure.js';
export { createInboxChannel, IN_APP_CHANNEL } from './inbox-channel.js';
export type { InboxChannelOptions } from './inbox-channel.js';
export { renderMessage, formatDeadline, formatDeadlineDay, escapeHtml, taskLink, LEVEL_WORDS, MILESTONE_KIND_WORDS } from './render.js';
export type { RenderOptions } from './render.js';
export { createMemoryStorage } from './storage/memory-storage.js';
export type { MemoryStorageOptions } from './storage/memory-storage.js';
export type {
  CareRelayStorage,
  CaseClaim,
  CaseCommit,
  CaseRecord,
  CommitResult,
  DeliveryFailure,
  InboxMessage,
  InboxMessageInput,
  OutboxEntry,
  OutboxInput,
  OutboxMessageRef,
  OutboxStats,
  OutboxStatus,
  QuarantineInput,
  QuarantineRecord,
  StoredEvent,
} from './storage/contract.js';
export type { Channel, OutboundMessage, SendResult, TrustLevel } from './channel.js';
export { idempotentSend, type IdempotentSendOptions } from './idempotent-send.js';
