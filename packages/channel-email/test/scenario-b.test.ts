import { digest } from '@carerelay/core';
import { createCoordinator, createInboxChannel, createManualClock, createMemoryStorage, renderMessage } from '@carerelay/engine';
import { SCENARIO_B } from '@carerelay/testkit/scenarios';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmailChannel } from '../src/index.js';
import { scenarioNotifications } from './fixtures.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';

const ADDRESSES: Record<string, string> = { 'ther-2': 'blake.therapist@clinic.example', 'pres-1': 'casey.prescriber@clinic.example' };
const ZONES: Record<string, string> = { 'ther-2': 'America/New_York', 'pres-1': 'America/Los_Angeles' };
const NAMES: Record<string, string> = { 'ther-2': 'Blake Therapist', 'pres-1': 'Casey Prescriber' };
// Scenario B's PHI: the patient's name, birth date and medication (and its dose).
const PHI = ['Morgan', 'Reyes', '2011-05-03', 'escitalopram', '10 mg', 'Medicaid'];

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(() => sink.close());
afterEach(() => {
  sink.received.length = 0;
});

describe('Scenario B delivered by email (phi-minimal) to a real SMTP server', () => {
  it('sends the therapist and the prescriber one specific email each, naming only their own items and the deadline', async () => {
    // The core plans the week up to Friday's deadline; the urgent step (−1 d) is the one that goes by email.
    const planned = scenarioNotifications(SCENARIO_B, '2026-11-16T14:00:00.000Z', '2026-11-27T19:59:00.000Z');
    const byEmail = planned.filter((n) => n.channels.includes('email'));
    const digests = digest(byEmail, { windowMinutes: 60 });
    expect(digests.map((d) => d.recipientId).sort()).toEqual(['pres-1', 'ther-2']);

    const email = createEmailChannel({ transport: sink.transport, from: '"CareRelay" <no-reply@clinic.example>' });
    for (const d of digests) {
      const message = renderMessage(d, email.trust, { deepLinkBase: 'https://app.clinic.example', recipientName: NAMES[d.recipientId], timeZone: ZONES[d.recipientId] });
      expect(await email.send({ ...message, address: ADDRESSES[d.recipientId] }, { idempotencyKey: `${d.id}:email` })).toEqual(expect.objectContaining({ status: 'delivered' }));
    }
    await email.close();

    expect(sink.received).toHaveLength(2);
    const to = (owner: string) => sink.received.find((m) => m.to[0] === ADDRESSES[owner])!.mail;
    const therapist = to('ther-2');
    const prescriber = to('pres-1');

    expect(therapist.subject).toBe('Urgent: 2 items due Fri 27 Nov — M.R. ·1177');
    expect(therapist.text).toContain('Hello Blake Therapist,');
    expect(therapist.text).toContain('M.R. ·1177 — authorization review, due Fri 27 Nov 2026 15:00 (America/New_York)');
    expect(therapist.text).toContain('  - Coping-strategy progress\n  - School attendance\n');
    expect(therapist.text).not.toMatch(/Medication response|side effects/i);

    expect(prescriber.subject).toBe('Urgent: 2 items due Fri 27 Nov — M.R. ·1177');
    expect(prescriber.text).toContain('Hello Casey Prescriber,');
    expect(prescriber.text).toContain('M.R. ·1177 — authorization review, due Fri 27 Nov 2026 12:00 (America/Los_Angeles)');
    expect(prescriber.text).toContain('  - Medication response\n  - Reported side effects\n');
    expect(prescriber.text).not.toMatch(/Coping|School/i);

    for (const { raw, mail } of sink.received) {
      for (const phi of PHI) for (const part of [mail.subject, mail.text, mail.html, raw]) expect(part).not.toContain(phi);
    }
    // Keep one rendered digest email exactly as received, for the docs (`CARERELAY_SAVE_EMAIL=path`).
    if (process.env.CARERELAY_SAVE_EMAIL) writeFileSync(process.env.CARERELAY_SAVE_EMAIL, sink.received.find((m) => m.to[0] === ADDRESSES['pres-1'])!.raw);
  });
});

describe('Scenario B through the coordinator, with the in-app inbox and email', () => {
  it('emails the urgent step to each owner at the address in their contact, and nothing else', async () => {
    const events = SCENARIO_B.events.map((event) =>
      event.type === 'owner.upserted' && ADDRESSES[event.owner.id] ? { ...event, owner: { ...event.owner, contact: { email: ADDRESSES[event.owner.id]! } } } : event,
    );
    const storage = createMemoryStorage();
    const clock = createManualClock('2026-11-16T14:00:00.000Z');
    const email = createEmailChannel({ transport: sink.transport, from: 'no-reply@clinic.example' });
    const coordinator = createCoordinator({
      clock,
      storage,
      tenantId: SCENARIO_B.tenantId,
      deepLinkBase: 'https://app.clinic.example',
      channels: [createInboxChannel(storage), email],
    });
    const ingested = await coordinator.ingest(events);
    expect(ingested.quarantined).toBe(0);
    const deadline = Date.parse('2026-11-27T20:00:00.000Z');
    for (let guard = 0; guard < 200; guard++) {
      const next = await coordinator.nextWakeAt();
      if (next === null || Date.parse(next) >= deadline) break;
      clock.set(next);
      await coordinator.tick();
    }
    await coordinator.close();
    await email.close();

    expect(sink.received.map((m) => m.to[0]).sort()).toEqual([ADDRESSES['ther-2'], ADDRESSES['pres-1']].sort());
    const therapist = sink.received.find((m) => m.to[0] === ADDRESSES['ther-2'])!.mail;
    const prescriber = sink.received.find((m) => m.to[0] === ADDRESSES['pres-1'])!.mail;
    expect(therapist.subject).toBe('Urgent: 2 items due Fri 27 Nov — M.R. ·1177');
    expect(therapist.text).toContain('due Fri 27 Nov 2026 15:00 (America/New_York)');
    expect(therapist.text).toContain('  - Coping-strategy progress\n  - School attendance\n');
    expect(prescriber.text).toContain('due Fri 27 Nov 2026 12:00 (America/Los_Angeles)');
    expect(prescriber.text).toContain('  - Medication response\n  - Reported side effects\n');
    expect(prescriber.text).toContain('Hello Casey Prescriber,');
    for (const { raw, mail } of sink.received) {
      for (const phi of PHI) for (const part of [mail.subject, mail.text, mail.html, raw]) expect(part).not.toContain(phi);
    }
  });
});
