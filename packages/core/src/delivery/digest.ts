import { LEVELS } from '../model/entities.js';
import type { Level, Owner } from '../model/entities.js';
import type { Notification, NotificationItem } from '../model/notification.js';
import { DAY, MINUTE, toInstant, toMillis } from '../model/primitives.js';
import type { WorkingCalendar } from '../schedule/calendar.js';
import { ZoneClock, startOfWallDay } from '../schedule/time-zone.js';
import { stableHash } from '../planner/ids.js';

/** An item of a digest: a notification item with the patient and notification it came from. */
export interface DigestItem extends NotificationItem {
  notificationId: string;
  patientId: string;
  displayToken: string;
  level: Level;
}

/** One message to one recipient carrying one or more notifications. */
export interface Digest {
  /** Deterministic: derived from the notification ids it carries. */
  id: string;
  tenantId: string;
  recipientId: string;
  /** The most urgent level among its notifications. */
  level: Level;
  critical: boolean;
  deliverAt: string;
  /** Union of the notifications' channels, in first-seen order. */
  channels: string[];
  notifications: Notification[];
  items: DigestItem[];
}

/** Options for {@link digest}. */
export interface DigestOptions {
  /** Notifications for one recipient whose delivery instants fall within this many minutes travel together. */
  windowMinutes: number;
}

/**
 * Groups notifications into messages: per recipient, non-critical notifications due within one window of the
 * group's first become one message; critical ones always travel alone. Every notification lands in exactly one
 * message. Deterministic in its input order-independent form (sorted by recipient, time and id).
 */
export function digest(notifications: readonly Notification[], options: DigestOptions): Digest[] {
  const windowMs = options.windowMinutes * MINUTE;
  const sorted = [...notifications].sort((a, b) =>
    a.recipientId < b.recipientId ? -1 : a.recipientId > b.recipientId ? 1 : a.deliverAt < b.deliverAt ? -1 : a.deliverAt > b.deliverAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const groups: Notification[][] = [];
  let open: { recipientId: string; start: number; members: Notification[] } | undefined;
  for (const n of sorted) {
    if (n.critical) {
      groups.push([n]);
      continue;
    }
    const at = toMillis(n.deliverAt);
    if (open && open.recipientId === n.recipientId && at < open.start + Math.max(windowMs, 1)) {
      open.members.push(n);
      continue;
    }
    open = { recipientId: n.recipientId, start: at, members: [n] };
    groups.push(open.members);
  }
  return groups.map(toDigest);
}

function toDigest(members: Notification[]): Digest {
  const first = members[0]!;
  const level = members.reduce<Level>((max, n) => (LEVELS.indexOf(n.level) > LEVELS.indexOf(max) ? n.level : max), first.level);
  const channels: string[] = [];
  for (const n of members) for (const c of n.channels) if (!channels.includes(c)) channels.push(c);
  const ids = members.map((n) => n.id).sort();
  return {
    id: members.length === 1 ? first.id : `dig_${stableHash(...ids)}`,
    tenantId: first.tenantId,
    recipientId: first.recipientId,
    level,
    critical: members.some((n) => n.critical),
    deliverAt: members.reduce((min, n) => (n.deliverAt < min ? n.deliverAt : min), first.deliverAt),
    channels,
    notifications: members,
    items: members.flatMap((n) =>
      n.items.map((item) => ({ ...item, notificationId: n.id, patientId: n.patientId, displayToken: n.displayToken, level: n.level })),
    ),
  };
}

/** Start of the recipient's local day containing `instant`, as epoch milliseconds. */
export function localDayStart(instant: number, timeZone: string): number {
  const clock = new ZoneClock(timeZone);
  return clock.fromWall(startOfWallDay(clock.toWall(instant)));
}

/**
 * Daily budget: whether one more non-critical message may go to `recipient` at `now`, given the instants of
 * messages already sent to them. Critical messages are never held back.
 * @returns `{ allowed: true }`, or the instant to hold the message until (the recipient's first working instant
 * of their next local day).
 */
export function budgetDecision(
  recipient: Owner,
  calendar: WorkingCalendar,
  sentAt: readonly string[],
  now: string,
  budget: number,
  critical: boolean,
): { allowed: true } | { allowed: false; holdUntil: string } {
  if (critical) return { allowed: true };
  const at = toMillis(now);
  const dayStart = localDayStart(at, recipient.timeZone);
  const sentToday = sentAt.filter((s) => toMillis(s) >= dayStart && toMillis(s) <= at).length;
  if (sentToday < budget) return { allowed: true };
  const tomorrow = localDayStart(dayStart + DAY + 2 * 60 * MINUTE, recipient.timeZone);
  return { allowed: false, holdUntil: toInstant(calendar.nextWorkingInstant(tomorrow) ?? tomorrow) };
}
