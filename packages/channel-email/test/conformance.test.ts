import { runChannelConformance } from '@carerelay/testkit';
import { afterAll, beforeAll } from 'vitest';
import { createEmailChannel, messageIdFor } from '../src/index.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

let accepting: SmtpSink;
let refusing: SmtpSink;
beforeAll(async () => {
  accepting = await startSmtpSink();
  refusing = await startSmtpSink();
  refusing.rejectRecipient(() => ({ code: 550, message: '5.1.1 No such user' }));
});
afterAll(async () => {
  await accepting.close();
  await refusing.close();
});

const from = 'no-reply@clinic.example';

runChannelConformance({
  name: 'email (SMTP, phi-minimal)',
  address: 'prescriber@clinic.example',
  create: () => createEmailChannel({ transport: accepting.transport, from }),
  createFailing: () => createEmailChannel({ transport: refusing.transport, from }),
  // What a reader can see: decoded subject, text and HTML, plus the raw message as it crossed the wire.
  receive: async (id) =>
    accepting.received
      .filter((m) => m.mail.header('message-id') === messageIdFor(id))
      .map((m) => [m.mail.subject, m.mail.text, m.mail.html, m.raw].join('\n')),
});

runChannelConformance({
  name: 'email (SMTP, phi-allowed)',
  address: 'prescriber@clinic.example',
  create: () => createEmailChannel({ transport: accepting.transport, from, trust: 'phi-allowed' }),
  receive: async (id) =>
    accepting.received.filter((m) => m.mail.header('message-id') === messageIdFor(id)).map((m) => [m.mail.subject, m.mail.text, m.mail.html].join('\n')),
});
