/**
 * `@carerelay/channel-email`: CareRelay notifications and digests by email over SMTP (nodemailer).
 * `phi-minimal` by default: display tokens, PHI-free summaries, deadlines and deep links only.
 * @packageDocumentation
 */
export { createEmailChannel } from './email-channel.js';
export type { EmailChannel, EmailChannelOptions } from './email-channel.js';
export { emailContent } from './email-templates.js';
export type { EmailContent, EmailTemplates } from './email-templates.js';
export { messageIdFor } from './message-id.js';
export { sendResultFromSmtpError } from './smtp-outcome.js';
