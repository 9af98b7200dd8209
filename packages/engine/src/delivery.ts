import { type Digest, type Directory, type Notification, type Owner, budgetDecision, digest, toInstant } from '@carerelay/core';
import { adapterFailure } from './adapter-failure.js';
import type { Channel, SendResult } from './channel.js';
import { type EngineContext, addMs, currentDirectory, hintOutbox, store } from './engine-context.js';
import { renderMessage } from './render.js';
import type { OutboxEntry } from './storage/contract.js';

/** What one round of outbox delivery did. */
export interface DeliveryRound {
  /** Entries claimed due at `now`. */
  claimed: number;
  /** Messages sent (a digest counts once). */
  messages: number;
  /** Notifications marked delivered. */
  delivered: number;
  /** Notifications whose delivery failed (retried later or dead-lettered). */
  failed: number;
  /** Notifications held for later (digest window not yet open, or the daily budget spent). */
  deferred: number;
  /** True when the claim was full, so more may be due. */
  more: boolean;
}

interface ChannelOutcome {
  channel: Channel;
  result: SendResult;
}

/**
 * One round of delivery: claims due outbox entries, groups them per recipient and digest window with the core's
 * `digest()`, applies the daily budget to non-critical messages, renders each message per channel trust level,
 * sends it on every channel the recipient wants for its level (a failure on one channel never blocks the others),
 * then marks entries delivered — right after the send — or failed with exponential backoff honouring
 * `retryAfterMs` (dead letter after the adapter's `maxAttempts`, or at once on a permanent failure everywhere).
 *
 * Entries of one recipient and window share one outbox `deliverAt` (see {@link outboxInstant}), so they are due,
 * claimed and digested together, and a message retried after a crash regroups the same notifications under the
 * same id: channels dedupe by that idempotency key. When a claim is full, the window it was cut in is given back
 * (deferred, not counted as an attempt) and taken whole by the next round.
 */
export async function deliverDue(ctx: EngineContext, now: string): Promise<DeliveryRound> {
  const { settings } = ctx;
  const round: DeliveryRound = { claimed: 0, messages: 0, delivered: 0, failed: 0, deferred: 0, more: false };
  const due = await store(ctx, 'claimOutbox', (s) => s.claimOutbox(ctx.tenantId, now, settings.outboxBatchSize, settings.outboxLeaseMs, ctx.workerId));
  round.claimed = due.length;
  round.more = due.length >= settings.outboxBatchSize;
  if (due.length === 0) return round;

  const windowMs = settings.digestWindowMinutes * 60_000;
  const windowOf = (entry: OutboxEntry) => (windowMs === 0 || entry.notification.critical ? -1 : Math.floor(Date.parse(entry.deliverAt) / windowMs));
  const buckets = new Map<string, OutboxEntry[]>();
  for (const entry of due) {
    const window = windowOf(entry);
    const key = window < 0 ? `${entry.recipientId}\u0000id\u0000${entry.id}` : `${entry.recipientId}\u0000${window}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    bucket.push(entry);
  }
  if (round.more) {
    // The claim may have cut the last window in two: give that window back whole, unless nothing else is left.
    const cut = windowOf(due[due.length - 1]!);
    const partial = [...buckets].filter(([, bucket]) => cut >= 0 && windowOf(bucket[0]!) === cut);
    if (partial.length < buckets.size) {
      for (const [key, bucket] of partial) {
        buckets.delete(key);
        await defer(ctx, bucket, (e) => e.deliverAt, 'digest window cut by the claim limit');
      }
    }
  }

  const { directory } = await currentDirectory(ctx);
  for (const bucket of buckets.values()) {
    const entries = new Map(bucket.map((e) => [e.id, e]));
    // Members travel together at their shared outbox instant, whatever step time each was planned for.
    const notifications = bucket.map((e) => ({ ...e.notification, deliverAt: e.deliverAt }));
    for (const message of digest(notifications, { windowMinutes: settings.digestWindowMinutes })) {
      const members = message.notifications.map((n) => entries.get(n.id)!);
      const owner = directory.owners[message.recipientId];
      if (!message.critical && owner) {
        const decision = budgetDecision(owner, ctx.calendars.working(owner), ctx.sentAt.get(message.recipientId) ?? [], now, settings.dailyBudget, false);
        if (!decision.allowed) {
          ctx.logger.info('daily budget spent; message held', { tenantId: ctx.tenantId, recipientId: message.recipientId, messageId: message.id, holdUntil: decision.holdUntil });
          await defer(ctx, members, () => decision.holdUntil, 'daily budget spent');
          round.deferred += members.length;
          continue;
        }
      }
      const outcomes = await sendOnChannels(ctx, message, owner);
      round.messages += 1;
      await settle(ctx, message, members, outcomes, now, round);
    }
  }
  return round;
}

/**
 * The outbox instant of a notification: critical ones (and every one when the digest window is 0) go at their
 * planned instant; others at the start of their digest window — or the recipient's first working instant in it —
 * never later than planned. All of one recipient's notifications planned in one window therefore share one instant
 * and leave as one message, never outside working hours.
 */
export function outboxInstant(ctx: EngineContext, directory: Directory, notification: Notification): string {
  const windowMs = ctx.settings.digestWindowMinutes * 60_000;
  if (notification.critical || windowMs === 0) return notification.deliverAt;
  const planned = Date.parse(notification.deliverAt);
  const start = Math.floor(planned / windowMs) * windowMs;
  const owner = directory.owners[notification.recipientId];
  let at = start;
  if (owner) {
    const calendar = ctx.calendars.working(owner);
    if (!calendar.isWorking(start)) at = calendar.nextWorkingInstant(start) ?? planned;
  }
  return toInstant(Math.min(Math.max(at, start), planned));
}

/** Channels a message goes to: the owner's preference for its level, else the notifications' channels; the first configured channel when none of them is configured. */
function channelsFor(ctx: EngineContext, message: Digest, owner: Owner | undefined): Channel[] {
  const wanted = owner?.channels[message.level] ?? message.channels;
  const chosen = ctx.channels.filter((c) => wanted.includes(c.name));
  if (chosen.length > 0) return chosen;
  const fallback = ctx.channels[0];
  if (fallback) ctx.logger.warn('no configured channel for message; using fallback', { tenantId: ctx.tenantId, messageId: message.id, wanted: wanted.join(','), fallback: fallback.name });
  return fallback ? [fallback] : [];
}

async function sendOnChannels(ctx: EngineContext, message: Digest, owner: Owner | undefined): Promise<ChannelOutcome[]> {
  const channels = channelsFor(ctx, message, owner).filter((channel) => !message.notifications.every((n) => ctx.deliveredOn.get(n.id)?.has(channel.name)));
  return Promise.all(
    channels.map(async (channel): Promise<ChannelOutcome> => {
      const rendered = renderMessage(message, channel.trust, {
        ...(ctx.settings.deepLinkBase === undefined ? {} : { deepLinkBase: ctx.settings.deepLinkBase }),
        ...(owner?.name === undefined ? {} : { recipientName: owner.name }),
        ...(owner === undefined ? {} : { timeZone: owner.timeZone }),
      });
      const address = owner?.contact[channel.name];
      try {
        const result = await channel.send(address === undefined ? rendered : { ...rendered, address }, { idempotencyKey: rendered.id });
        return { channel, result };
      } catch (thrown) {
        // Channels report failures as values; one that throws is treated as a retryable adapter failure.
        const error = adapterFailure(channel.name, 'send', thrown);
        ctx.events.emit('error', error);
        return { channel, result: { status: 'retryable', error: error.message } };
      }
    }),
  );
}

/** Marks the message's entries delivered or failed, from the channels' outcomes. */
async function settle(ctx: EngineContext, message: Digest, members: OutboxEntry[], outcomes: ChannelOutcome[], now: string, round: DeliveryRound): Promise<void> {
  const delivered = outcomes.filter((o) => o.result.status === 'delivered').map((o) => o.channel.name);
  for (const n of message.notifications) {
    let set = ctx.deliveredOn.get(n.id);
    if (!set) ctx.deliveredOn.set(n.id, (set = new Set()));
    for (const name of delivered) set.add(name);
  }
  const retryable = outcomes.filter((o) => o.result.status === 'retryable');
  const permanent = outcomes.filter((o) => o.result.status === 'permanent');
  const attempts = Math.max(...members.map((m) => m.attempts));

  if (retryable.length > 0) {
    const retryAfter = Math.max(0, ...retryable.map((o) => (o.result.status === 'retryable' ? (o.result.retryAfterMs ?? 0) : 0)));
    const backoff = Math.min(ctx.settings.retryBaseMs * 2 ** Math.max(0, attempts - 1), ctx.settings.retryMaxMs);
    const retryAt = addMs(now, Math.max(backoff, retryAfter));
    const error = failureText(retryable);
    for (const entry of members) {
      if (await mark(ctx, 'markFailed', () => ctx.storage.markFailed(ctx.tenantId, entry.id, ctx.workerId, { error, retryAt }))) round.failed += 1;
    }
    hintOutbox(ctx, retryAt);
    emitFailures(ctx, message, members, [...retryable, ...permanent], retryAt);
    return;
  }
  if (delivered.length === 0 && permanent.length > 0) {
    const error = failureText(permanent);
    for (const entry of members) {
      if (await mark(ctx, 'markFailed', () => ctx.storage.markFailed(ctx.tenantId, entry.id, ctx.workerId, { error }))) round.failed += 1;
      ctx.deliveredOn.delete(entry.id);
    }
    emitFailures(ctx, message, members, permanent, undefined);
    return;
  }
  // Delivered on every channel that did not fail permanently (or there was no channel at all to send on).
  for (const entry of members) {
    if (await mark(ctx, 'markDelivered', () => ctx.storage.markDelivered(ctx.tenantId, entry.id, ctx.workerId, now))) round.delivered += 1;
    else ctx.logger.warn('lease lost before marking delivered', { tenantId: ctx.tenantId, notificationId: entry.id });
    ctx.deliveredOn.delete(entry.id);
  }
  if (!message.critical) {
    // The budget looks at today's sends only, and never needs more than the last `dailyBudget` of them.
    const sent = ctx.sentAt.get(message.recipientId) ?? [];
    sent.push(now);
    if (sent.length > ctx.settings.dailyBudget) sent.splice(0, sent.length - ctx.settings.dailyBudget);
    ctx.sentAt.set(message.recipientId, sent);
  }
  for (const n of message.notifications) {
    ctx.events.emit('notification.delivered', { notificationId: n.id, messageId: message.id, recipientId: message.recipientId, channels: delivered, at: now });
  }
  if (permanent.length > 0) emitFailures(ctx, message, members, permanent, undefined);
}

function failureText(outcomes: ChannelOutcome[]): string {
  return outcomes.map((o) => `${o.channel.name}: ${o.result.status === 'delivered' ? 'delivered' : o.result.error}`).join('; ').slice(0, 1000);
}

function emitFailures(ctx: EngineContext, message: Digest, members: OutboxEntry[], outcomes: ChannelOutcome[], retryAt: string | undefined): void {
  for (const outcome of outcomes) {
    if (outcome.result.status === 'delivered') continue;
    ctx.logger.warn('delivery failed', { tenantId: ctx.tenantId, messageId: message.id, channel: outcome.channel.name, permanent: outcome.result.status === 'permanent', error: outcome.result.error, retryAt });
    for (const entry of members) {
      ctx.events.emit('notification.failed', {
        notificationId: entry.id,
        messageId: message.id,
        recipientId: message.recipientId,
        channel: outcome.channel.name,
        error: outcome.result.error,
        permanent: outcome.result.status === 'permanent',
        attempts: entry.attempts,
        ...(retryAt === undefined ? {} : { retryAt }),
      });
    }
  }
}

/** Gives claimed entries back until `until(entry)` without counting an attempt. */
async function defer(ctx: EngineContext, entries: OutboxEntry[], until: (entry: OutboxEntry) => string, reason: string): Promise<void> {
  for (const entry of entries) {
    const retryAt = until(entry);
    await mark(ctx, 'markFailed', () => ctx.storage.markFailed(ctx.tenantId, entry.id, ctx.workerId, { error: reason, retryAt, deferred: true }));
    hintOutbox(ctx, retryAt);
  }
}

/** Runs a mark call; a failure is reported as an `error` event and counts as "not marked" (the lease then expires and the entry is retried). */
async function mark(ctx: EngineContext, operation: string, call: () => Promise<boolean>): Promise<boolean> {
  try {
    return await call();
  } catch (thrown) {
    const error = adapterFailure(ctx.storage.name, operation, thrown);
    ctx.events.emit('error', error);
    ctx.logger.error('outbox update failed', { tenantId: ctx.tenantId, code: error.code, error: error.message });
    return false;
  }
}

