/**
 * `@carerelay/channel-webhook`: CareRelay notifications as CloudEvents 1.0, signed per Standard Webhooks v1, with
 * retries that honour `Retry-After`, endpoints disabled on 410 Gone, and `verifyWebhook()` for receivers.
 * @packageDocumentation
 */
export { createWebhookChannel } from './webhook-channel.js';
export type { WebhookChannel, WebhookChannelOptions } from './webhook-channel.js';
export { cloudEventType, toCloudEvent } from './cloud-event.js';
export type { CloudEvent, WebhookItem, WebhookNotificationData } from './cloud-event.js';
export { DEFAULT_RETRY_SCHEDULE_MS, parseRetryAfter, retryDelayMs } from './retry-schedule.js';
export type { RetryScheduleOptions } from './retry-schedule.js';
export { WebhookVerificationError, decodeWebhookSecret, signWebhook, signatureFor, verifyWebhook } from './standard-webhooks.js';
export type { VerifiedWebhook, VerifyWebhookOptions, WebhookHeaders, WebhookVerificationReason } from './standard-webhooks.js';
