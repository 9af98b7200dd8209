import { digest } from '@carerelay/core';
import { renderMessage } from '@carerelay/engine';
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import type { Transport } from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../src/index.js';
import { parseMail } from './mime.js';
import { leaks, notificationFor, patientArb, phiOf } from '@carerelay/testkit';
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

const from = 'no-reply@clinic.example';
const render = { deepLinkBase: 'https://app.clinic.example', timeZone: 'America/Chicago' };

/** A nodemailer transport that builds each message exactly as SMTP would carry it, and keeps the raw text. */
function capturingTransport(captured: string[]): Transport {
  return {
    name: 'capture',
    version: '1',
    send(mail, callback) {
      mail.message.build((error, raw) => {
        if (error) return callback(error, undefined as never);
        captured.push(raw.toString('utf8'));
        callback(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() } as never);
      });
    },
  };
}

describe('PHI policy: the phi-minimal email channel', () => {
  it('lets no name, birth date, diagnosis, medication or note text into any email, for thousands of generated patients', async () => {
    const captured: string[] = [];
    const email = createEmailChannel({ transport: nodemailer.createTransport(capturingTransport(captured)), from, render });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(patientArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('phi-minimal' as const, 'phi-allowed' as const), async (patients, renderedFor) => {
        captured.length = 0;
        const [message] = digest(patients.map((p, i) => notificationFor(p, i)), { windowMinutes: 60 });
        // Handed a phi-allowed rendering (an engine bug), the channel must still send nothing but PHI-free text.
        const outbound = { ...renderMessage(message!, renderedFor, render), address: 'casey@clinic.example' };
        expect((await email.send(outbound, { idempotencyKey: `send-${++sent}` })).status).toBe('delivered');
        const raw = captured[0]!;
        const mail = parseMail(raw);
        for (const p of patients) expect(mail.text).toContain(p.token);
        expect(leaks([mail.subject, mail.text, mail.html, raw], patients.flatMap(phiOf))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
    await email.close();
  }, 60_000);

  it('keeps PHI a server echoes in its rejection out of the error string', async () => {
    const email = createEmailChannel({ transport: { ...sink.transport, pool: true, maxConnections: 1 }, from, render });
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(patientArb, fc.constantFrom(421, 450, 451, 452, 550, 551, 552, 553, 554), async (p, code) => {
        sink.rejectRecipient(() => ({ code, message: `${code === 421 ? '4.4.2' : `${String(code)[0]}.1.1`} ${p.name} ${p.birthDate} ${p.medication}` }));
        const [message] = digest([notificationFor(p, 0)], { windowMinutes: 60 });
        const result = await email.send({ ...renderMessage(message!, 'phi-allowed', render), address: 'casey@clinic.example' }, { idempotencyKey: `reject-${++sent}` });
        expect(result.status).toBe(code < 500 ? 'retryable' : 'permanent');
        expect(leaks([JSON.stringify(result)], phiOf(p))).toEqual([]);
      }),
      { numRuns: 25 },
    );
    await email.close();
  }, 60_000);
});

describe('Digest over a flaky SMTP server: retried sends lose no item and send none twice', () => {
  it('delivers each recipient one email holding each of their items exactly once', async () => {
    const email = createEmailChannel({ transport: { ...sink.transport, pool: true, maxConnections: 1 }, from, render });
    const recipientArb = fc.record({ items: fc.integer({ min: 1, max: 4 }), failures: fc.integer({ min: 0, max: 3 }) });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(recipientArb, { minLength: 1, maxLength: 3 }), patientArb, async (recipients, p) => {
        run += 1;
        sink.received.length = 0;
        const failuresLeft = new Map<string, number>();
        const notifications = recipients.flatMap((r, ri) => {
          failuresLeft.set(`r${ri}-${run}@clinic.example`, r.failures);
          return Array.from({ length: r.items }, (_, k) =>
            notificationFor({ ...p, token: `T.K. ·${ri}${k}` }, ri * 10 + k, `r${ri}`, new Date(Date.parse('2026-11-26T20:00:00Z') + k * 60_000).toISOString()),
          );
        });
        sink.rejectRecipient((address) => {
          const left = failuresLeft.get(address) ?? 0;
          if (left === 0) return undefined;
          failuresLeft.set(address, left - 1);
          return { code: 451, message: '4.3.0 try again later' };
        });
        const messages = digest(notifications, { windowMinutes: 60 });
        expect(messages).toHaveLength(recipients.length);
        for (const message of messages) {
          const outbound = { ...renderMessage(message, 'phi-minimal', render), address: `${message.recipientId}-${run}@clinic.example` };
          const key = { idempotencyKey: `${message.id}:${run}` };
          let result = await email.send(outbound, key);
          for (let attempt = 1; result.status === 'retryable' && attempt < 10; attempt++) result = await email.send(outbound, key);
          expect(result.status).toBe('delivered');
          // A duplicate after delivery (a worker retrying after a crash) sends nothing.
          expect((await email.send(outbound, key)).status).toBe('delivered');
        }
        expect(sink.received).toHaveLength(recipients.length);
        recipients.forEach((r, ri) => {
          const got = sink.received.filter((m) => m.to[0] === `r${ri}-${run}@clinic.example`);
          expect(got).toHaveLength(1);
          for (let k = 0; k < r.items; k++) expect(got[0]!.mail.text.split(`T.K. ·${ri}${k} — `)).toHaveLength(2);
          expect(got[0]!.mail.text.split('  - Medication response\n')).toHaveLength(r.items + 1);
        });
      }),
      { numRuns: 20 },
    );
    await email.close();
  }, 60_000);
});
