import type { Channel, OutboundMessage, RenderOptions, SendResult, TrustLevel } from '@carerelay/engine';
import { idempotentSend, renderMessage } from '@carerelay/engine';
import nodemailer from 'nodemailer';
import type { SMTPPoolOptions, SMTPTransportOptions, Transporter } from 'nodemailer';
import { type EmailTemplates, emailContent } from './email-templates.js';
import { messageIdFor } from './message-id.js';
import { sendResultFromSmtpError } from './smtp-outcome.js';

/** Options of {@link createEmailChannel}. */
export interface EmailChannelOptions {
  /**
   * A nodemailer transporter (yours, e.g. SES), or SMTP options (`pool: true` for a connection pool) or an
   * `smtp://` URL to create one from. A transporter you pass in is yours to close; one created here is closed by
   * `close()`.
   */
  transport: Transporter | SMTPTransportOptions | SMTPPoolOptions | string;
  /** The From address, e.g. `"CareRelay" <no-reply@clinic.example>`. */
  from: string;
  /** What the channel may carry. Default `phi-minimal`: plain email is not a place for PHI. */
  trust?: TrustLevel;
  /** Name policies and owners' preferences refer to. Default `email`. */
  name?: string;
  /** Looks up a recipient's address when the message carries none (`message.address` wins). */
  addressOf?: (recipientId: string) => string | undefined;
  /** Subject and body templates; the defaults use the rendered message. */
  templates?: EmailTemplates;
  /**
   * Used only when a message arrives rendered for a higher trust level than the channel's: it is re-rendered for
   * the channel (so PHI cannot slip through) with these options.
   */
  render?: RenderOptions;
  /** Domain of generated Message-IDs: `<messageId@domain>`. Default `carerelay`. */
  messageIdDomain?: string;
  /** Abort a send that has not finished after this many milliseconds (reported as retryable). Default 30 000. */
  timeoutMs?: number;
  /** Suggested wait before retrying a transient failure, passed on as `retryAfterMs`. Default: none (the engine's backoff). */
  retryAfterMs?: number;
  /** How many delivered idempotency keys to remember in this process, to answer repeats without resending. Default 10 000. */
  rememberDelivered?: number;
}

/** An email {@link Channel}. */
export interface EmailChannel extends Channel {
  /** Closes the transport if the channel created it. */
  close(): Promise<void>;
}

const TRUST_RANK: Record<TrustLevel, number> = { 'phi-minimal': 0, 'phi-allowed': 1 };
const LOUD_LEVELS = new Set<OutboundMessage['level']>(['urgent', 'supervisor', 'critical']);

/**
 * Creates an email channel over SMTP with nodemailer.
 *
 * - `Message-ID` is derived from the message id (`<ntf_…@carerelay>`), so a retried send is the same message.
 * - Subject, text and HTML come from the templates (default: the rendered message). A message rendered for a
 *   higher trust level than the channel's is re-rendered for the channel first.
 * - SMTP 4xx and connection failures are `retryable`; 5xx are `permanent`; failures are returned, never thrown,
 *   and their error strings never carry PHI.
 * - A repeated `idempotencyKey` that was already delivered by this channel instance is answered from memory
 *   without sending again; concurrent sends with one key share one SMTP transaction.
 */
export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const trust = options.trust ?? 'phi-minimal';
  const owned = typeof options.transport === 'string' || !('sendMail' in options.transport);
  const transporter: Transporter = owned
    ? nodemailer.createTransport(options.transport as SMTPTransportOptions | string)
    : (options.transport as Transporter);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const remember = options.rememberDelivered ?? 10_000;

  async function deliver(message: OutboundMessage): Promise<SendResult> {
    const to = message.address ?? options.addressOf?.(message.recipientId);
    if (!to) return { status: 'permanent', error: 'email: recipient has no email address' };
    let content;
    try {
      const forChannel = TRUST_RANK[message.trust] > TRUST_RANK[trust] ? renderMessage(message.digest, trust, options.render) : message;
      content = emailContent(forChannel, options.templates);
    } catch {
      return { status: 'permanent', error: 'email: template failed' };
    }
    try {
      const info = await transporter.sendMail({
        from: options.from,
        to,
        subject: content.subject,
        text: content.text,
        ...(content.html === undefined ? {} : { html: content.html }),
        messageId: messageIdFor(message.id, options.messageIdDomain),
        priority: LOUD_LEVELS.has(message.level) ? 'high' : 'normal',
        headers: { 'Auto-Submitted': 'auto-generated', 'X-CareRelay-Level': message.level },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const providerId = typeof info?.messageId === 'string' ? info.messageId : undefined;
      return providerId === undefined ? { status: 'delivered' } : { status: 'delivered', providerId };
    } catch (error) {
      return sendResultFromSmtpError(error, options.retryAfterMs);
    }
  }

  const send = idempotentSend(deliver, { name: 'email', remember });

  return {
    name: options.name ?? 'email',
    trust,
    send,
    async close() {
      if (owned) transporter.close();
    },
  };
}
