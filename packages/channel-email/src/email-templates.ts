import type { OutboundMessage } from '@carerelay/engine';

/**
 * How an email's subject and bodies are made from a rendered message. Each function receives the message already
 * rendered for the channel's trust level (`message.trust`); the defaults use its `subject`, `text` and `html`.
 *
 * A custom template for a `phi-minimal` channel must not read PHI-bearing fields (`message.digest.items[].text`,
 * `.reason`, `.milestoneLabel`): use the rendered fields, display tokens and summaries.
 */
export interface EmailTemplates {
  /** The Subject header (line breaks are removed). Never PHI. */
  subject?(message: Omit<OutboundMessage, 'address'>): string;
  /** The text/plain part. */
  text?(message: Omit<OutboundMessage, 'address'>): string;
  /** The text/html part; return undefined to send plain text only. */
  html?(message: Omit<OutboundMessage, 'address'>): string | undefined;
}

/** The parts of one email. */
export interface EmailContent {
  subject: string;
  text: string;
  html?: string;
}

/** Applies `templates` (falling back to the rendered fields) to a message. */
export function emailContent(message: Omit<OutboundMessage, 'address'>, templates: EmailTemplates = {}): EmailContent {
  const subject = (templates.subject ? templates.subject(message) : message.subject).replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
  const text = templates.text ? templates.text(message) : message.text;
  const html = templates.html ? templates.html(message) : message.html;
  return html === undefined ? { subject, text } : { subject, text, html };
}
