import type { EngineContext } from './engine-context.js';
import { store } from './engine-context.js';
import type { OutboxEntry, OutboxMessageRef } from './storage/contract.js';

/**
 * Claims beyond this many entries stop growing: a message whose notifications all share one recipient and
 * instant and number more than this is sent in parts (each part still under one id of its own).
 */
export const MAX_MESSAGE_ENTRIES = 10_000;

/** Claimed outbox entries grouped into the messages they leave as, and what claiming them did. */
export interface ClaimedMessages {
  /** Each group is one message, in claim order. */
  groups: OutboxEntry[][];
  /** Entries claimed, over every claim made. */
  claimed: number;
  /** True when the last claim was full, so more may be due. */
  more: boolean;
  /** Entries given back whole because the claim limit cut their message. */
  givenBack: OutboxEntry[];
}

/**
 * The message an entry leaves in, as a key:
 * - an entry already assigned to a message (see `assignMessage`) goes in that message, whatever else is due;
 * - a critical one, and every one when the digest window is 0, goes alone;
 * - otherwise one recipient's entries at one outbox instant travel together. The outbox instant is the start of
 *   the entry's digest window (see `outboxInstant`), so these are the recipient's notifications of one window.
 */
export function messageKey(entry: OutboxEntry, windowed: boolean): string {
  if (entry.message) return `message\u0000${entry.message.id}`;
  if (!windowed || entry.notification.critical) return `alone\u0000${entry.id}`;
  return `digest\u0000${entry.recipientId}\u0000${entry.deliverAt}`;
}

/** Ids of an assigned message's notifications that are not among `entries`. */
export function missingMembers(ref: OutboxMessageRef, entries: readonly OutboxEntry[]): string[] {
  const held = new Set(entries.map((e) => e.id));
  return ref.notificationIds.filter((id) => !held.has(id));
}

/**
 * The messages a full claim may have cut: those with an entry at the claim's last (recipient, instant) that can
 * have more entries beyond it — a recipient's digest at that instant, or an assigned message not wholly claimed.
 * Entries sort by `(deliverAt, recipientId, id)`, so nothing before that position continues past the claim.
 */
function keysAtCut(entries: readonly OutboxEntry[], windowed: boolean): Set<string> {
  const last = entries[entries.length - 1]!;
  const keys = new Set<string>();
  for (const entry of entries) {
    if (entry.recipientId !== last.recipientId || entry.deliverAt !== last.deliverAt) continue;
    const key = messageKey(entry, windowed);
    if (key.startsWith('digest\u0000') || (entry.message !== undefined && missingMembers(entry.message, entries).length > 0)) keys.add(key);
  }
  return keys;
}

/**
 * Claims due outbox entries so that no message is cut in two by the claim limit. Claims come in
 * `(deliverAt, recipientId, id)` order (the storage contract), so the entries of one message are adjacent and
 * only the last message of a full claim can continue beyond it. That message is given back whole (released
 * without counting an attempt, due at once) for the next round, unless it is all the claim holds: then the claim
 * grows (doubling, up to {@link MAX_MESSAGE_ENTRIES}) until the message is whole.
 */
export async function claimWholeMessages(ctx: EngineContext, now: string): Promise<ClaimedMessages> {
  const { settings } = ctx;
  const windowed = settings.digestWindowMinutes > 0;
  const claim = (limit: number) => store(ctx, 'claimOutbox', (s) => s.claimOutbox(ctx.tenantId, now, limit, settings.outboxLeaseMs, ctx.workerId));
  let entries = await claim(settings.outboxBatchSize);
  let claimed = entries.length;
  let more = entries.length >= settings.outboxBatchSize;
  const givenBack: OutboxEntry[] = [];

  while (more && windowed && entries.length > 0) {
    const cut = keysAtCut(entries, windowed);
    if (cut.size === 0) break;
    const tail = entries.filter((e) => cut.has(messageKey(e, windowed)));
    if (tail.length < entries.length) {
      givenBack.push(...tail);
      entries = entries.filter((e) => !cut.has(messageKey(e, windowed)));
      break;
    }
    if (entries.length >= MAX_MESSAGE_ENTRIES) {
      ctx.logger.warn('message larger than the claim cap; sent in parts', { tenantId: ctx.tenantId, recipientId: tail[0]!.recipientId, entries: entries.length });
      break;
    }
    // The claim is one message: claim as many again (our own leased entries are skipped) until it is whole.
    const limit = Math.min(entries.length, MAX_MESSAGE_ENTRIES - entries.length);
    const next = await claim(limit);
    claimed += next.length;
    entries = [...entries, ...next];
    more = next.length >= limit;
  }

  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of entries) {
    const key = messageKey(entry, windowed);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(entry);
  }
  return { groups: [...groups.values()], claimed, more, givenBack };
}
