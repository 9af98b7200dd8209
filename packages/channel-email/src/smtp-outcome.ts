import type { SendResult } from '@carerelay/engine';

/** Nodemailer error codes that retrying the same message cannot fix (bad envelope, message or configuration). */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ECONFIG', 'ENOAUTH', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS', 'EREQUIRETLS']);

/**
 * Classifies a failed SMTP send (a nodemailer error) as a {@link SendResult}:
 * - an SMTP reply 4xx → `retryable` (RFC 5321 transient negative completion);
 * - an SMTP reply 5xx → `permanent`, except 503 (bad sequence of commands: the session, not the message, was wrong);
 * - no reply: connection, socket, DNS, TLS, timeout and abort errors → `retryable`; envelope, message and
 *   configuration errors → `permanent`.
 *
 * The error string carries only the reply code, its enhanced status code (`4.3.0`) and nodemailer's error code,
 * never the server's free text (which may echo addresses or content): it is PHI-free by construction.
 */
export function sendResultFromSmtpError(error: unknown, retryAfterMs?: number): SendResult {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown; response?: unknown };
  const code = typeof fields.code === 'string' && /^[A-Z][A-Z0-9_]{1,31}$/.test(fields.code) ? fields.code : undefined;
  const reply = typeof fields.responseCode === 'number' && Number.isInteger(fields.responseCode) ? fields.responseCode : undefined;
  const enhanced = typeof fields.response === 'string' ? /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(fields.response)?.[1] : undefined;
  const label = ['email:', reply === undefined ? 'transport error' : `SMTP ${reply}${enhanced ? ` ${enhanced}` : ''}`, code ? `(${code})` : '']
    .filter(Boolean)
    .join(' ');
  const retryable: SendResult = retryAfterMs === undefined ? { status: 'retryable', error: label } : { status: 'retryable', error: label, retryAfterMs };
  if (reply !== undefined && reply >= 400 && reply < 600) {
    return reply >= 500 && reply !== 503 ? { status: 'permanent', error: label } : retryable;
  }
  if (code !== undefined && PERMANENT_CODES.has(code)) return { status: 'permanent', error: label };
  return retryable;
}
