import { CareRelayError, type Digest, type Directory, type Notification, type Owner, budgetDecision, digest, toInstant } from '@carerelay/core';
import { adapterFailure } from './adapter-failure.js';
import type { Channel, SendResult } from './channel.js';
import { type EngineContext, addMs, currentDirectory, hintOutbox, store } from './engine-context.js';
import { renderMessage } from './render.js';
import type { OutboxEntry, OutboxMessageRef } from './storage/contract.js';
import { claimWholeMessages, missingMembers } from './whole-messages.js';

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
 * One round of delivery: claims due outbox entries whole messages at a time (see {@link claimWholeMessages}),
 * applies the daily budget to non-critical messages, renders each message per channel trust level, sends it on
 * every channel the recipient wants for its level (a failure on one channel never blocks the others), then marks
 * its entries delivered — right after the send, in one transaction when the storage offers `markDeliveredMany` —
 * or failed with exponential backoff honouring `retryAfterMs` (dead letter after the adapter's `maxAttempts`, or at
 * once on a permanent failure everywhere).
 *
 * Exactly one message per notification: a recipient's notifications of one digest window share one outbox
 * instant (see {@link outboxInstant}) and leave as one digest, whose id (the channels' idempotency key) derives
 * from the notification ids. Before a digest is first sent, storage that offers `assignMessage` records which
 * notifications it carries; every later attempt (after a crash, a lost lease or a retryable failure) re-sends
 * exactly those under the same id, so receivers dedupe it, and anything that became due for the recipient
 * meanwhile leaves in a message of its own. Without `assignMessage`, a re-send regroups the pending entries of the
 * recipient's instant: the same ones, as long as nothing was added to them in between.
 */
export async function deliverDue(ctx: EngineContext, now: string): Promise<DeliveryRound> {
  const { settings } = ctx;
  const round: DeliveryRound = { claimed: 0, messages: 0, delivered: 0, failed: 0, deferred: 0, more: false };
  const claim = await claimWholeMessages(ctx, now);
  round.claimed = claim.claimed;
  round.more = claim.more;
  await defer(ctx, claim.givenBack, (e) => e.deliverAt, 'digest cut by the claim limit');
  if (claim.groups.length === 0) return round;

  const assign = settings.digestWindowMinutes > 0 ? ctx.storage.assignMessage?.bind(ctx.storage) : undefined;
  const { directory } = await currentDirectory(ctx);
  for (const group of claim.groups) {
    const assigned = group[0]!.message;
    if (assigned && missingMembers(assigned, group).length > 0 && !(await canSendPart(ctx, assigned, group, now, round))) continue;
    const message = messageOf(group, settings.digestWindowMinutes, assigned);
    const owner = directory.owners[message.recipientId];
    if (!message.critical && owner) {
      const decision = budgetDecision(owner, ctx.calendars.working(owner), ctx.sentAt.get(message.recipientId) ?? [], now, settings.dailyBudget, false);
      if (!decision.allowed) {
        ctx.logger.info('daily budget spent; message held', { tenantId: ctx.tenantId, recipientId: message.recipientId, messageId: message.id, holdUntil: decision.holdUntil });
        await defer(ctx, group, () => decision.holdUntil, 'daily budget spent');
        round.deferred += group.length;
        continue;
      }
    }
    if (assign && !assigned && !message.critical) {
      const ref: OutboxMessageRef = { id: message.id, notificationIds: group.map((e) => e.id) };
      if (!(await mark(ctx, 'assignMessage', () => assign(ctx.tenantId, ref, ctx.workerId)))) {
        ctx.logger.warn('lease lost before sending; message left to the worker that holds it', { tenantId: ctx.tenantId, messageId: message.id });
        continue;
      }
    }
    const outcomes = await sendOnChannels(ctx, message, owner);
    round.messages += 1;
    await settle(ctx, message, group, outcomes, now, round);
  }
  return round;
}

/** One group of claimed entries as the message it leaves in: an assigned message keeps its id and members. */
function messageOf(group: readonly OutboxEntry[], windowMinutes: number, assigned: OutboxMessageRef | undefined): Digest {
  // Members travel together at their shared outbox instant, whatever step time each was planned for.
  const notifications = group.map((e) => ({ ...e.notification, deliverAt: e.deliverAt }));
  // A group is one recipient's entries at one instant (or one assigned message): one digest, whatever the window.
  const [message, ...rest] = digest(notifications, { windowMinutes: assigned ? ONE_MESSAGE_MINUTES : windowMinutes });
  if (!message || rest.length > 0) throw new CareRelayError('internal', `outbox group of ${group.length} entries does not form one message`);
  return assigned ? { ...message, id: assigned.id } : message;
}

/** A window wide enough that `digest()` puts any one recipient's non-critical notifications in one message. */
const ONE_MESSAGE_MINUTES = 1e9;

/**
 * An assigned message of which only part is claimed. Returns true when that part is to be sent (the rest was
 * dead-lettered: what is left goes under the message's id); otherwise settles it here and returns false — marked
 * delivered when the rest was delivered (they left together), or held until the rest can be claimed with it.
 */
async function canSendPart(ctx: EngineContext, ref: OutboxMessageRef, group: OutboxEntry[], now: string, round: DeliveryRound): Promise<boolean> {
  const others = await Promise.all(missingMembers(ref, group).map((id) => store(ctx, 'getOutboxEntry', (s) => s.getOutboxEntry(ctx.tenantId, id))));
  const pending = others.filter((e): e is OutboxEntry => e?.status === 'pending');
  if (pending.length > 0) {
    // Another worker holds the rest, or its retry is not due yet: wait for it, then leave together.
    const until = pending.reduce((latest, e) => maxInstant(latest, e.deliverAt, e.leaseUntil ?? now), now);
    ctx.logger.info('message waits for the rest of its notifications', { tenantId: ctx.tenantId, messageId: ref.id, until });
    await defer(ctx, group, () => until, 'message waits for the rest of its notifications');
    round.deferred += group.length;
    return false;
  }
  if (others.some((e) => e?.status === 'delivered')) {
    // A worker marked the rest delivered: the message reached the recipient, these with it.
    const marked = await markDelivered(ctx, group, now);
    round.delivered += marked.size;
    return false;
  }
  return true;
}

function maxInstant(...instants: string[]): string {
  return instants.reduce((max, instant) => (instant > max ? instant : max));
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
  const marked = await markDelivered(ctx, members, now);
  round.delivered += marked.size;
  for (const entry of members) {
    if (!marked.has(entry.id)) ctx.logger.warn('lease lost before marking delivered', { tenantId: ctx.tenantId, notificationId: entry.id });
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

/**
 * Marks entries delivered: all in one transaction when the storage offers `markDeliveredMany` (a crash then leaves
 * a sent message wholly marked or wholly pending), else one by one. Returns the ids marked.
 */
async function markDelivered(ctx: EngineContext, entries: readonly OutboxEntry[], at: string): Promise<Set<string>> {
  const many = ctx.storage.markDeliveredMany?.bind(ctx.storage);
  const ids = entries.map((e) => e.id);
  if (many) {
    let marked: string[] = [];
    await mark(ctx, 'markDeliveredMany', async () => {
      marked = await many(ctx.tenantId, ids, ctx.workerId, at);
      return true;
    });
    return new Set(marked);
  }
  const marked = new Set<string>();
  for (const id of ids) if (await mark(ctx, 'markDelivered', () => ctx.storage.markDelivered(ctx.tenantId, id, ctx.workerId, at))) marked.add(id);
  return marked;
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

