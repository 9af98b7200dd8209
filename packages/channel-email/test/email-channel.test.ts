import { digest } from '@carerelay/core';
import { renderMessage } from '@carerelay/engine';
import type { OutboundMessage } from '@carerelay/engine';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel, messageIdFor, sendResultFromSmtpError } from '../src/index.js';
import { PHI_STRINGS, phiNotification } from './fixtures.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());
afterEach(() => {
  sink.rejectRecipient(undefined);
  sink.received.length = 0;
});

const FROM = '"CareRelay" <no-reply@clinic.example>';
const render = { deepLinkBase: 'https://app.clinic.example', timeZone: 'America/Los_Angeles' };

function message(trust: 'phi-minimal' | 'phi-allowed' = 'phi-minimal', id = 'ntf_email_1'): OutboundMessage {
  const [d] = digest([phiNotification({ id })], { windowMinutes: 60 });
  return { ...renderMessage(d!, trust, render), address: 'casey@clinic.example' };
}

function channel(extra: Partial<Parameters<typeof createEmailChannel>[0]> = {}) {
  return createEmailChannel({ transport: sink.transport, from: FROM, render, ...extra });
}

describe('email channel over a real SMTP server', () => {
  it('delivers one email with a Message-ID from the message id, text and HTML parts', async () => {
    const email = channel();
    const result = await email.send(message(), { idempotencyKey: 'ntf_email_1:email' });
    await email.close();
    expect(result).toEqual({ status: 'delivered', providerId: '<ntf_email_1@carerelay>' });
    expect(sink.received).toHaveLength(1);
    const [got] = sink.received;
    expect(got!.to).toEqual(['casey@clinic.example']);
    expect(got!.from).toBe('no-reply@clinic.example');
    expect(got!.mail.header('message-id')).toBe('<ntf_email_1@carerelay>');
    expect(got!.mail.header('auto-submitted')).toBe('auto-generated');
    expect(got!.mail.header('x-carerelay-level')).toBe('urgent');
    expect(got!.mail.header('x-priority')).toMatch(/^1/);
    expect(got!.mail.header('content-type')).toMatch(/^multipart\/alternative/);
    expect(got!.mail.subject).toBe('Urgent: 2 items due Fri 27 Nov — M.R. ·1177');
    expect(got!.mail.text).toContain('M.R. ·1177 — authorization review, due Fri 27 Nov 2026 12:00 (America/Los_Angeles)');
    expect(got!.mail.text).toContain('  - Medication response\n  - Reported side effects');
    expect(got!.mail.text).toContain('Open: https://app.clinic.example/tasks/task_00000000000000b1');
    expect(got!.mail.html).toContain('<li>Reported side effects</li>');
  });

  it('resolves the address with addressOf when the message carries none, and refuses a recipient without one', async () => {
    const email = channel({ addressOf: (id) => (id === 'pres-1' ? 'prescriber@clinic.example' : undefined) });
    const { address: _omit, ...bare } = message();
    expect((await email.send(bare, { idempotencyKey: 'a' })).status).toBe('delivered');
    expect(sink.received[0]!.to).toEqual(['prescriber@clinic.example']);
    const nobody = await email.send({ ...bare, id: 'ntf_other', recipientId: 'ghost' }, { idempotencyKey: 'b' });
    expect(nobody).toEqual({ status: 'permanent', error: 'email: recipient has no email address' });
    await email.close();
  });

  it('reports 451 as retryable, and the retried send delivers exactly once', async () => {
    const email = channel({ retryAfterMs: 60_000 });
    sink.rejectRecipient(() => ({ code: 451, message: '4.3.0 Mailbox of Morgan Reyes busy, try later' }));
    const first = await email.send(message(), { idempotencyKey: 'k451' });
    expect(first).toEqual({ status: 'retryable', error: 'email: SMTP 451 4.3.0 (EENVELOPE)', retryAfterMs: 60_000 });
    expect(sink.received).toHaveLength(0);
    sink.rejectRecipient(undefined);
    expect((await email.send(message(), { idempotencyKey: 'k451' })).status).toBe('delivered');
    expect((await email.send(message(), { idempotencyKey: 'k451' })).status).toBe('delivered');
    expect(sink.received).toHaveLength(1);
    await email.close();
  });

  it('reports 550 as permanent, with an error string that carries no PHI from the server', async () => {
    const email = channel();
    sink.rejectRecipient(() => ({ code: 550, message: '5.1.1 No such user for escitalopram Morgan Reyes' }));
    const result = await email.send(message(), { idempotencyKey: 'k550' });
    await email.close();
    expect(result).toEqual({ status: 'permanent', error: 'email: SMTP 550 5.1.1 (EENVELOPE)' });
    for (const phi of PHI_STRINGS) expect(JSON.stringify(result)).not.toContain(phi);
  });

  it('reports a refused connection as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const email = createEmailChannel({ transport: { host: '127.0.0.1', port, ignoreTLS: true }, from: FROM });
    const result = await email.send(message(), { idempotencyKey: 'refused' });
    await email.close();
    expect(result.status).toBe('retryable');
    expect(result.status !== 'delivered' && result.error).toMatch(/^email: transport error \((ECONNECTION|ESOCKET)\)$/);
  });

  it('puts a digest of several notifications in one email listing each patient token, item and deadline', async () => {
    const notifications = [
      phiNotification({ id: 'ntf_d1' }),
      phiNotification({ id: 'ntf_d2', patientId: 'pat-c', displayToken: 'K.L. ·2290', taskId: 'task_00000000000000c1', deliverAt: '2026-11-26T20:20:00.000Z', deadline: '2026-11-30T17:00:00.000Z', items: [{ ...phiNotification().items[0]!, deadline: '2026-11-30T17:00:00.000Z' }] }),
    ];
    const digests = digest(notifications, { windowMinutes: 60 });
    expect(digests).toHaveLength(1);
    const email = channel();
    const outbound = { ...renderMessage(digests[0]!, 'phi-minimal', render), address: 'casey@clinic.example' };
    expect((await email.send(outbound, { idempotencyKey: digests[0]!.id })).status).toBe('delivered');
    await email.close();
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!.mail;
    expect(mail.header('message-id')).toBe(`<${digests[0]!.id}@carerelay>`);
    expect(mail.subject).toBe('Urgent: 3 items, first due Fri 27 Nov — M.R. ·1177, K.L. ·2290');
    expect(mail.text).toContain('M.R. ·1177 — authorization review, due Fri 27 Nov 2026 12:00 (America/Los_Angeles)');
    expect(mail.text).toContain('K.L. ·2290 — authorization review, due Mon 30 Nov 2026 09:00 (America/Los_Angeles)');
    expect(mail.text).toContain('Open: https://app.clinic.example/tasks/task_00000000000000c1');
  });

  it('phi-minimal: no name, birth date, diagnosis or medication in the subject, text, HTML or raw message', async () => {
    const email = channel();
    expect((await email.send(message('phi-minimal'), { idempotencyKey: 'min' })).status).toBe('delivered');
    // Handed a phi-allowed rendering by mistake, the phi-minimal channel re-renders it for its own trust level.
    expect((await email.send(message('phi-allowed', 'ntf_email_2'), { idempotencyKey: 'allowed' })).status).toBe('delivered');
    await email.close();
    expect(sink.received).toHaveLength(2);
    for (const { raw, mail } of sink.received) {
      expect(mail.text).toContain('M.R. ·1177');
      for (const phi of PHI_STRINGS) {
        for (const part of [mail.subject, mail.text, mail.html, raw]) expect(part).not.toContain(phi);
      }
    }
  });

  it('phi-allowed: a trusted mail system gets each item’s full text and reason', async () => {
    const email = channel({ trust: 'phi-allowed' });
    expect(email.trust).toBe('phi-allowed');
    expect((await email.send(message('phi-allowed'), { idempotencyKey: 'trusted' })).status).toBe('delivered');
    await email.close();
    const mail = sink.received[0]!.mail;
    expect(mail.subject).toBe('Urgent: 2 items due Fri 27 Nov — M.R. ·1177');
    expect(mail.text).toContain('  - medication response to escitalopram 10 mg\n    Why: Medication-management reviews');
  });

  it('uses custom templates for the subject and bodies, and reports a failing template as permanent', async () => {
    const email = channel({
      templates: {
        subject: (m) => `[Clinic North]\r\n ${m.subject}`,
        text: (m) => `${m.text}\n-- Clinic North care coordination`,
        html: () => undefined,
      },
    });
    expect((await email.send(message(), { idempotencyKey: 'tpl' })).status).toBe('delivered');
    const mail = sink.received[0]!.mail;
    expect(mail.subject).toBe('[Clinic North] Urgent: 2 items due Fri 27 Nov — M.R. ·1177');
    expect(mail.text).toMatch(/-- Clinic North care coordination$/);
    expect(mail.header('content-type')).toMatch(/^text\/plain/);
    const broken = channel({ templates: { subject: () => { throw new Error('Morgan Reyes'); } } });
    expect(await broken.send(message('phi-minimal', 'ntf_email_3'), { idempotencyKey: 'broken' })).toEqual({ status: 'permanent', error: 'email: template failed' });
    await email.close();
    await broken.close();
  });
});

describe('sendResultFromSmtpError', () => {
  it('maps 4xx and 503 to retryable, other 5xx to permanent, connection errors to retryable, envelope errors to permanent', () => {
    expect(sendResultFromSmtpError({ code: 'EENVELOPE', responseCode: 452, response: '452 4.2.2 Mailbox full' })).toEqual({ status: 'retryable', error: 'email: SMTP 452 4.2.2 (EENVELOPE)' });
    expect(sendResultFromSmtpError({ code: 'EPROTOCOL', responseCode: 503 }).status).toBe('retryable');
    expect(sendResultFromSmtpError({ code: 'EAUTH', responseCode: 535 }).status).toBe('permanent');
    expect(sendResultFromSmtpError({ code: 'ETIMEDOUT' })).toEqual({ status: 'retryable', error: 'email: transport error (ETIMEDOUT)' });
    expect(sendResultFromSmtpError({ code: 'EENVELOPE' }).status).toBe('permanent');
    expect(sendResultFromSmtpError(new Error('Morgan Reyes'))).toEqual({ status: 'retryable', error: 'email: transport error' });
    expect(sendResultFromSmtpError({ code: 'not a code with Morgan Reyes' })).toEqual({ status: 'retryable', error: 'email: transport error' });
  });

  it('derives a valid Message-ID', () => {
    expect(messageIdFor('dig_0011aabb')).toBe('<dig_0011aabb@carerelay>');
    expect(messageIdFor('a b<c>@d', 'mail.example')).toBe('<a-b-c--d@mail.example>');
  });
});
