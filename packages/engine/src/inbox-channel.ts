import type { Channel, OutboundMessage, SendResult } from './channel.js';
import { adapterFailure } from './adapter-failure.js';
import type { CareRelayStorage } from './storage/contract.js';

/** Options of {@link createInboxChannel}. */
export interface InboxChannelOptions {
  /** The instant a message is stamped with (the coordinator passes its clock); default: the digest's delivery instant. */
  now?: () => string;
}

/** The name the in-app inbox registers under, and that policies and owners refer to. */
export const IN_APP_CHANNEL = 'in_app';

/**
 * The in-app inbox: the default channel. Messages are stored per owner through the storage adapter, rendered
 * `phi-allowed` (the inbox lives inside the vendor's authenticated product). Idempotent by message id, so a
 * retried send never shows a message twice. Read it with the coordinator's `inbox()`, `acknowledge()` and
 * `markRead()`.
 */
export function createInboxChannel(storage: CareRelayStorage, options: InboxChannelOptions = {}): Channel {
  return {
    name: IN_APP_CHANNEL,
    trust: 'phi-allowed',
    async send(message: OutboundMessage): Promise<SendResult> {
      const notifications = message.digest.notifications;
      try {
        await storage.appendInbox(message.tenantId, {
          id: message.id,
          ownerId: message.recipientId,
          createdAt: options.now?.() ?? message.digest.deliverAt,
          level: message.level,
          critical: message.critical,
          subject: message.subject,
          text: message.text,
          notificationIds: notifications.map((n) => n.id),
          taskIds: notifications.map((n) => n.taskId),
          patientIds: notifications.map((n) => n.patientId),
        });
        return { status: 'delivered' };
      } catch (error) {
        return { status: 'retryable', error: adapterFailure(storage.name, 'appendInbox', error).message };
      }
    },
  };
}
