import { type Digest, type Notification, digest } from '@carerelay/core';
import { type Channel, type OutboundMessage, type SendResult, type TrustLevel, renderMessage } from '@carerelay/engine';
import { type TestContext, afterEach, describe, expect, it } from 'vitest';

/** Options of {@link runChannelConformance}. */
export interface ChannelConformanceOptions<C extends Channel = Channel> {
  /** Suite title (defaults to `channel`). */
  name?: string;
  /** Returns a channel whose far end accepts everything. Called before every test. */
  create(): Promise<C> | C;
  /**
   * Returns a channel whose far end fails (refuses, errors or is unreachable), to check that failures come back as
   * values. Without it the failure test is skipped.
   */
  createFailing?(): Promise<Channel> | Channel;
  /**
   * Everything the far end received for one message id, as readable text (decoded subject, bodies, headers or
   * payload), one string per copy received. Without it the suite checks only the send results.
   */
  receive?(messageId: string): Promise<readonly string[]>;
  /** The `address` put on messages (an email address, a webhook route). */
  address?: string;
  /** Disposes of what `create` made (the suite has already called `close()`). */
  destroy?(channel: C): Promise<void> | void;
  /** Titles (or title prefixes) of tests to skip, for channels that knowingly lack a capability. */
  skip?: readonly string[];
}

/**
 * The PHI the suite's fixture carries in its PHI-bearing fields (item text, reason, milestone label). None of it
 * may reach the far end of a `phi-minimal` channel.
 */
export const CONFORMANCE_PHI = ['Morgan Reyes', '2011-05-03', 'escitalopram', 'major depressive disorder', 'passive suicidal ideation'] as const;
/** The fixture's display token: what a `phi-minimal` channel shows instead. */
export const CONFORMANCE_DISPLAY_TOKEN = 'M.R. ·1177';

let sequence = 0;
const runId = Math.random().toString(36).slice(2, 8);

/** A digest for one recipient, two items, with PHI in every PHI-bearing field. Unique id per call. */
export function conformanceDigest(): Digest {
  sequence += 1;
  const id = `ntf_conf_${runId}_${sequence}`;
  const item = (requirementId: string, summary: string, text: string) => ({
    requirementId,
    ownerId: 'pres-1',
    summary,
    text,
    reason: 'Review of major depressive disorder for Morgan Reyes requires the current regimen.',
    deadline: '2026-11-27T20:00:00.000Z',
    milestoneId: 'auth-b',
    milestoneKind: 'authorization_review' as const,
    milestoneLabel: 'Medicaid review for Morgan Reyes (born 2011-05-03)',
  });
  const notification: Notification = {
    id,
    tenantId: 'clinic-north',
    patientId: 'pat-b',
    displayToken: CONFORMANCE_DISPLAY_TOKEN,
    recipientId: 'pres-1',
    level: 'urgent',
    critical: false,
    deliverAt: '2026-11-26T20:00:00.000Z',
    taskId: 'task_0123456789abcdef',
    stepId: 'urgent',
    repeat: 0,
    milestoneId: 'auth-b',
    milestoneKind: 'authorization_review',
    deadline: '2026-11-27T20:00:00.000Z',
    channels: ['in_app', 'email', 'webhook'],
    phiClass: 'phi',
    items: [
      item('req-response', 'Medication response', 'medication response to escitalopram 10 mg (major depressive disorder)'),
      item('req-note', 'Reported side effects', 'side effects; last note: passive suicidal ideation, Morgan Reyes, DOB 2011-05-03'),
    ],
  };
  return digest([notification], { windowMinutes: 60 })[0]!;
}

function messageFor(trust: TrustLevel, address: string | undefined): OutboundMessage {
  const rendered = renderMessage(conformanceDigest(), trust, { deepLinkBase: 'https://app.example.test', timeZone: 'America/New_York' });
  return address === undefined ? rendered : { ...rendered, address };
}

function expectNoPhi(text: string): void {
  for (const phi of CONFORMANCE_PHI) expect(text, `PHI "${phi}" reached the far end`).not.toContain(phi);
}

function expectFailureValue(result: SendResult): void {
  expect(['retryable', 'permanent']).toContain(result.status);
  if (result.status === 'delivered') return;
  expect(typeof result.error).toBe('string');
  expect(result.error.length).toBeGreaterThan(0);
  expectNoPhi(result.error);
  if (result.status === 'retryable' && result.retryAfterMs !== undefined) expect(result.retryAfterMs).toBeGreaterThanOrEqual(0);
}

/**
 * The behaviour every CareRelay channel must show, as a Vitest suite. Call it at the top level of a test file:
 *
 * ```ts
 * runChannelConformance({ name: 'email', create: () => createEmailChannel({ transport, from }), receive });
 * ```
 *
 * Checks: a declared name and trust level; delivery reported as `delivered` (and, with `receive`, one copy at the
 * far end); a repeated or concurrent idempotency key delivers once; distinct messages are delivered separately;
 * failures are returned as values with PHI-free error strings, never thrown; and a `phi-minimal` channel lets no
 * PHI through — not even when handed a message rendered for `phi-allowed`.
 */
export function runChannelConformance<C extends Channel>(options: ChannelConformanceOptions<C>): void {
  const skip = options.skip ?? [];
  const skipped = (title: string) => skip.some((prefix) => title.startsWith(prefix));
  const test = (title: string, body: (context: TestContext) => Promise<void>, extraSkip = false) =>
    it.skipIf(skipped(title) || extraSkip)(title, body, 30_000);
  const opened: C[] = [];
  const open = async () => {
    const channel = await options.create();
    opened.push(channel);
    return channel;
  };

  describe(`channel conformance: ${options.name ?? 'channel'}`, () => {
    afterEach(async () => {
      for (const channel of opened.splice(0)) {
        await channel.close?.();
        await options.destroy?.(channel);
      }
    });

    test('declares a name and a trust level', async () => {
      const channel = await open();
      expect(channel.name).toMatch(/\S/);
      expect(['phi-allowed', 'phi-minimal']).toContain(channel.trust);
    });

    test('delivers a message and reports it delivered', async () => {
      const channel = await open();
      const message = messageFor(channel.trust, options.address);
      const result = await channel.send(message, { idempotencyKey: message.id });
      expect(result.status).toBe('delivered');
      if (options.receive) {
        const copies = await options.receive(message.id);
        expect(copies).toHaveLength(1);
        expect(copies[0]).toContain(CONFORMANCE_DISPLAY_TOKEN);
      }
    });

    test('honours the idempotency key: repeated and concurrent sends deliver once', async () => {
      const channel = await open();
      const message = messageFor(channel.trust, options.address);
      const key = { idempotencyKey: `${message.id}:conformance` };
      const [a, b] = await Promise.all([channel.send(message, key), channel.send(message, key)]);
      const c = await channel.send(message, key);
      expect([a.status, b.status, c.status]).toEqual(['delivered', 'delivered', 'delivered']);
      if (options.receive) expect(await options.receive(message.id)).toHaveLength(1);
    });

    test('delivers distinct messages separately', async () => {
      const channel = await open();
      const first = messageFor(channel.trust, options.address);
      const second = messageFor(channel.trust, options.address);
      expect((await channel.send(first, { idempotencyKey: first.id })).status).toBe('delivered');
      expect((await channel.send(second, { idempotencyKey: second.id })).status).toBe('delivered');
      if (options.receive) {
        expect(await options.receive(first.id)).toHaveLength(1);
        expect(await options.receive(second.id)).toHaveLength(1);
      }
    });

    test(
      'returns failures as values with PHI-free errors, never throws',
      async () => {
        const channel = await options.createFailing!();
        try {
          const message = messageFor('phi-allowed', options.address);
          const outcome = await channel.send(message, { idempotencyKey: message.id }).then(
            (result) => ({ threw: false as const, result }),
            (error: unknown) => ({ threw: true as const, error }),
          );
          expect(outcome.threw, 'send threw instead of returning a failure').toBe(false);
          if (!outcome.threw) expectFailureValue(outcome.result);
        } finally {
          await channel.close?.();
        }
      },
      !options.createFailing,
    );

    test('phi-minimal: what arrives carries the display token and no PHI', async (context) => {
      const channel = await open();
      if (channel.trust !== 'phi-minimal' || !options.receive) return context.skip('needs a phi-minimal channel and receive()');
      const message = messageFor('phi-minimal', options.address);
      expect((await channel.send(message, { idempotencyKey: message.id })).status).toBe('delivered');
      const copies = await options.receive(message.id);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toContain(CONFORMANCE_DISPLAY_TOKEN);
      expectNoPhi(copies[0]!);
    });

    test('phi-minimal: no PHI arrives even when the channel is handed a phi-allowed rendering', async (context) => {
      const channel = await open();
      if (channel.trust !== 'phi-minimal' || !options.receive) return context.skip('needs a phi-minimal channel and receive()');
      const message = messageFor('phi-allowed', options.address);
      const result = await channel.send(message, { idempotencyKey: message.id });
      if (result.status !== 'delivered') {
        // Refusing the message is acceptable; leaking it is not.
        expectFailureValue(result);
        return;
      }
      const copies = await options.receive(message.id);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toContain(CONFORMANCE_DISPLAY_TOKEN);
      expectNoPhi(copies[0]!);
    });
  });
}
