/**
 * `@carerelay/engine`: the imperative shell around `@carerelay/core` — storage and channel contracts, the memory
 * storage adapter, and the coordinator.
 * @packageDocumentation
 */
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
  OutboxStats,
  OutboxStatus,
  QuarantineInput,
  QuarantineRecord,
  StoredEvent,
} from './storage/contract.js';
export type { Channel, OutboundMessage, SendResult, TrustLevel } from './channel.js';
