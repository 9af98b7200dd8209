import type { CareRelayError, Notification } from '@carerelay/core';

/** Payload of `notification.queued`: a notification was committed to the outbox. */
export interface NotificationQueuedEvent {
  notification: Notification;
}

/** Payload of `notification.delivered`: a notification reached its recipient on at least one channel. */
export interface NotificationDeliveredEvent {
  notificationId: string;
  /** The message (digest) that carried it; channels used it as their idempotency key. */
  messageId: string;
  recipientId: string;
  channels: string[];
  at: string;
}

/** Payload of `notification.failed`: one channel could not deliver a message carrying the notification. */
export interface NotificationFailedEvent {
  notificationId: string;
  messageId: string;
  recipientId: string;
  channel: string;
  /** PHI-free reason from the channel. */
  error: string;
  /** True when the channel said the failure is permanent. */
  permanent: boolean;
  /** Attempts so far. */
  attempts: number;
  /** When the next attempt is due; absent when the entry was dead-lettered or delivered elsewhere. */
  retryAt?: string;
}

/** Payload of `task.opened` and `task.completed`. */
export interface TaskLifecycleEvent {
  taskId: string;
  patientId: string;
  ownerId: string;
  milestoneId: string;
  at: string;
}

/** Payload of `escalated`: a supervisor-level notification was queued about another owner's work. */
export interface EscalatedEvent {
  notification: Notification;
  /** Who receives the escalation. */
  recipientId: string;
  /** Whose overdue work it names. */
  ownerId: string;
}

/** Payload of `quarantined`: input failed validation and was stored in quarantine. */
export interface QuarantinedEvent {
  /** Quarantine record id (the input's id when it had a usable one). */
  id: string;
  source: string;
  /** Names the bad fields in `issues`; PHI-free. */
  error: CareRelayError;
}

/** The coordinator's typed events (eventemitter3 listener signatures). */
export interface CoordinatorEvents {
  'notification.queued': (event: NotificationQueuedEvent) => void;
  'notification.delivered': (event: NotificationDeliveredEvent) => void;
  'notification.failed': (event: NotificationFailedEvent) => void;
  'task.opened': (event: TaskLifecycleEvent) => void;
  'task.completed': (event: TaskLifecycleEvent) => void;
  escalated: (event: EscalatedEvent) => void;
  quarantined: (event: QuarantinedEvent) => void;
  error: (error: CareRelayError) => void;
}
