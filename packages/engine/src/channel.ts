import type { Digest } from '@carerelay/core';

/**
 * How much a channel may carry. `phi-allowed` channels (the in-app inbox inside the vendor's authenticated
 * product, a BAA-covered endpoint) may show requirement text; `phi-minimal` channels (email, SMS, pagers,
 * generic webhooks) carry only the patient's display token, PHI-free summaries and a deep link.
 */
export type TrustLevel = 'phi-allowed' | 'phi-minimal';

/** A message rendered for one channel and trust level, ready to send. */
export interface OutboundMessage {
  /** Deterministic id (the notification's or the digest's); channels use it for Message-ID, webhook-id, dedupe. */
  id: string;
  tenantId: string;
  recipientId: string;
  /** Channel-specific address (email address, webhook route), from the owner's `contact`. */
  address?: string;
  level: Digest['level'];
  critical: boolean;
  trust: TrustLevel;
  /** Subject or title: never PHI, whatever the trust level. */
  subject: string;
  /** Plain-text body rendered for the trust level. */
  text: string;
  /** Optional HTML body rendered for the trust level. */
  html?: string;
  /** Link into the vendor's product where the recipient acts. */
  deepLink?: string;
  /** The digest it renders (for channels that send structured data, e.g. webhooks). */
  digest: Digest;
}

/** The outcome of one send. */
export type SendResult =
  | { status: 'delivered'; providerId?: string }
  | { status: 'retryable'; error: string; retryAfterMs?: number }
  | { status: 'permanent'; error: string };

/**
 * A notification channel. `send` must be idempotent for one `idempotencyKey` where the transport allows it
 * (Message-ID, webhook-id), and must report failures as values, never throw for a delivery failure.
 * Error strings must not contain PHI.
 */
export interface Channel {
  /** Name owners and policies refer to (`in_app`, `email`, `webhook`). */
  readonly name: string;
  readonly trust: TrustLevel;
  send(message: OutboundMessage, options: { idempotencyKey: string }): Promise<SendResult>;
  /** Optional: release sockets and timers. */
  close?(): Promise<void>;
}
