import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type ParsedMail, parseMail } from './mime.js';

/** A message the sink accepted: the envelope, the raw RFC 5322 text as received, and its parsed form. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  mail: ParsedMail;
}

/** An SMTP reply the sink gives instead of accepting a recipient, e.g. `{ code: 451, message: 'Try again later' }`. */
export interface SinkReply {
  code: number;
  message: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 and a random port that keeps what it accepts in memory. */
export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Decide per recipient: undefined accepts, a reply rejects it. Replaces the previous rule. */
  rejectRecipient(rule: ((address: string) => SinkReply | undefined) | undefined): void;
  /** SMTP transport options pointing at the sink. */
  transport: { host: string; port: number; secure: false; ignoreTLS: true };
  close(): Promise<void>;
}

/** Starts a sink; stop it with `close()`. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let rule: ((address: string) => SinkReply | undefined) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS of 127.0.0.1 per connection: it costs ~100 ms and tells a test nothing.
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      const reply = rule?.(address.address);
      if (!reply) return callback();
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, mail: parseMail(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    rejectRecipient(next) {
      rule = next;
    },
    transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
