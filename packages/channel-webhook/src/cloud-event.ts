import type { OutboundMessage, TrustLevel } from '@carerelay/engine';

/** One item of a webhook notification. `phi-minimal` payloads carry only the PHI-free fields. */
export interface WebhookItem {
  notificationId: string;
  taskId: string;
  /** The patient's display token (never a name). */
  displayToken: string;
  /** PHI-free label. */
  summary: string;
  deadline: string;
  level: OutboundMessage['level'];
  milestoneKind: string;
  /** Link to the task in the vendor's product, when the message has a deep-link base. */
  deepLink?: string;
  /** `phi-allowed` only: the requirement's full text (may name a medication). */
  text?: string;
  /** `phi-allowed` only: why it is needed. */
  reason?: string;
  /** `phi-allowed` only. */
  milestoneLabel?: string;
  /** `phi-allowed` only: the EHR's patient id (an identifier). */
  patientId?: string;
  /** `phi-allowed` only. */
  requirementId?: string;
  /** `phi-allowed` only. */
  milestoneId?: string;
}

/** The `data` of a CareRelay CloudEvent. */
export interface WebhookNotificationData {
  messageId: string;
  tenantId: string;
  recipientId: string;
  level: OutboundMessage['level'];
  critical: boolean;
  trust: TrustLevel;
  /** PHI-free subject line. */
  subject: string;
  /** The message rendered as plain text for the trust level. */
  text: string;
  deepLink?: string;
  items: WebhookItem[];
}

/** A CloudEvents 1.0 event in structured JSON mode. */
export interface CloudEvent<T = WebhookNotificationData> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  /** The recipient, so routers can filter without reading `data`. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** The CloudEvents `type` of a notification at one level: `com.carerelay.notification.<level>`. */
export function cloudEventType(level: OutboundMessage['level']): string {
  return `com.carerelay.notification.${level}`;
}

/**
 * Builds the CloudEvent for a message already rendered for `trust`. `id` is the message id (also the
 * `webhook-id`), `time` the digest's delivery instant, so the payload is the same on every retry.
 *
 * The `phi-minimal` items are built field by field from an allow-list (display token, summary, deadline, level,
 * milestone kind, ids that are hashes, deep link); nothing PHI-bearing is copied.
 */
export function toCloudEvent(
  message: Omit<OutboundMessage, 'address'>,
  trust: TrustLevel,
  options: { source: string; deepLinkBase?: string },
): CloudEvent {
  const taskOf = new Map(message.digest.notifications.map((n) => [n.id, n.taskId]));
  const base = options.deepLinkBase?.replace(/\/+$/, '');
  const items: WebhookItem[] = message.digest.items.map((item) => {
    const taskId = taskOf.get(item.notificationId) ?? '';
    const minimal: WebhookItem = {
      notificationId: item.notificationId,
      taskId,
      displayToken: item.displayToken,
      summary: item.summary,
      deadline: item.deadline,
      level: item.level,
      milestoneKind: item.milestoneKind,
      ...(base ? { deepLink: `${base}/tasks/${encodeURIComponent(taskId)}` } : {}),
    };
    if (trust !== 'phi-allowed') return minimal;
    return {
      ...minimal,
      text: item.text,
      reason: item.reason,
      ...(item.milestoneLabel === undefined ? {} : { milestoneLabel: item.milestoneLabel }),
      patientId: item.patientId,
      requirementId: item.requirementId,
      milestoneId: item.milestoneId,
    };
  });
  return {
    specversion: '1.0',
    id: message.id,
    source: options.source,
    type: cloudEventType(message.level),
    subject: message.recipientId,
    time: message.digest.deliverAt,
    datacontenttype: 'application/json',
    data: {
      messageId: message.id,
      tenantId: message.tenantId,
      recipientId: message.recipientId,
      level: message.level,
      critical: message.critical,
      trust,
      subject: message.subject,
      text: message.text,
      ...(message.deepLink === undefined ? {} : { deepLink: message.deepLink }),
      items,
    },
  };
}
