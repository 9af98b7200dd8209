import type { CareEventOf } from '../model/events.js';
import { toMillis } from '../model/primitives.js';
import type { Directory } from '../model/state.js';
import { CalendarCache } from '../schedule/calendar-cache.js';
import { ZoneClock } from '../schedule/time-zone.js';
import { nearestRank, ratio } from './percentile.js';
import { type WindowMillis, inWindow } from './window.js';
import { localDate, workingDays } from './working-days.js';

/**
 * What metrics need to know about a delivered notification that its `notification.delivered` event does not
 * carry: who received it, which items it named and whose they were, and which message carried it.
 * A core `Notification` fits as is; add `messageId` when a digest carried several notifications as one message.
 */
export interface DeliveredNotificationRecord {
  id: string;
  recipientId: string;
  items: ReadonlyArray<{ requirementId: string; ownerId: string }>;
  /** Set on a supervisor escalation: whose overdue items it names. */
  escalatedOwnerId?: string;
  /** The message (e.g. digest) that carried it; notifications sharing one count as one alert. Defaults to `id`. */
  messageId?: string;
}

/** Distribution of alerts over one group of clinicians' working days. */
export interface AlertDistribution {
  clinicians: number;
  /** Clinician-days measured: every working day, plus any other day on which an alert arrived. */
  clinicianDays: number;
  alerts: number;
  mean: number | null;
  p90: number | null;
  max: number | null;
}

/** Alerts per clinician per working day, overall and by role. */
export interface AlertLoad extends AlertDistribution {
  byRole: Record<string, AlertDistribution>;
  /** `notification.delivered` events in the window whose notification was not among the records given. */
  unattributed: number;
}

/** Share of alerts that name an item the recipient owns (or, for a supervisor, the overdue items of the person escalated). */
export interface ActionableShare {
  alerts: number;
  actionable: number;
  share: number | null;
}

/** Options for {@link alertLoad}. */
export interface AlertLoadOptions {
  /** Only owners of these roles count as clinicians; all owners when absent. */
  roles?: readonly string[];
  calendars?: CalendarCache;
}

interface Alert {
  recipientId: string;
  at: number;
  actionable: boolean;
}

/**
 * Counts alerts — distinct messages per recipient, whatever number of notifications or channels carried them —
 * from `notification.delivered` events in the window, and spreads them over each clinician's local days.
 */
export function alertLoad(
  deliveries: ReadonlyArray<CareEventOf<'notification.delivered'>>,
  records: readonly DeliveredNotificationRecord[],
  directory: Directory,
  window: WindowMillis,
  options: AlertLoadOptions = {},
): { load: AlertLoad; actionable: ActionableShare } {
  const byId = new Map(records.map((r) => [r.id, r]));
  const alerts = new Map<string, Alert>();
  let unattributed = 0;
  for (const event of deliveries) {
    const at = toMillis(event.at);
    if (!inWindow(at, window)) continue;
    const record = byId.get(event.notificationId);
    if (!record) {
      unattributed++;
      continue;
    }
    const key = `${record.recipientId}\u0000${record.messageId ?? record.id}`;
    const actionable = isActionable(record);
    const existing = alerts.get(key);
    if (!existing) alerts.set(key, { recipientId: record.recipientId, at, actionable });
    else {
      existing.at = Math.min(existing.at, at);
      existing.actionable ||= actionable;
    }
  }

  const calendars = options.calendars ?? new CalendarCache();
  const owners = Object.values(directory.owners)
    .filter((o) => options.roles === undefined || options.roles.includes(o.role))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counted = new Set(owners.map((o) => o.id));
  const perOwnerDay = new Map<string, Map<string, number>>();
  for (const owner of owners) perOwnerDay.set(owner.id, new Map(workingDays(owner, window, calendars).map((d) => [d, 0])));
  const clocks = new Map<string, ZoneClock>();
  let actionable = 0;
  let total = 0;
  for (const alert of alerts.values()) {
    total++;
    if (alert.actionable) actionable++;
    if (!counted.has(alert.recipientId)) continue;
    const owner = directory.owners[alert.recipientId]!;
    let clock = clocks.get(owner.timeZone);
    if (!clock) clocks.set(owner.timeZone, (clock = new ZoneClock(owner.timeZone)));
    const days = perOwnerDay.get(owner.id)!;
    const day = localDate(alert.at, clock);
    days.set(day, (days.get(day) ?? 0) + 1);
  }

  const distribution = (ids: readonly string[]): AlertDistribution => {
    const samples: number[] = [];
    for (const id of ids) for (const n of perOwnerDay.get(id)!.values()) samples.push(n);
    const sum = samples.reduce((s, n) => s + n, 0);
    return {
      clinicians: ids.length,
      clinicianDays: samples.length,
      alerts: sum,
      mean: ratio(sum, samples.length),
      p90: nearestRank(samples, 90),
      max: samples.length === 0 ? null : samples.reduce((m, n) => (n > m ? n : m), 0),
    };
  };
  const roles = [...new Set(owners.map((o) => o.role))].sort();
  const byRole: Record<string, AlertDistribution> = {};
  for (const role of roles) byRole[role] = distribution(owners.filter((o) => o.role === role).map((o) => o.id));
  return {
    load: { ...distribution(owners.map((o) => o.id)), byRole, unattributed },
    actionable: { alerts: total, actionable, share: ratio(actionable, total) },
  };
}

/** Names an item the recipient owns, or is a supervisor escalation naming the escalated person's items. */
function isActionable(record: DeliveredNotificationRecord): boolean {
  if (record.items.some((item) => item.ownerId === record.recipientId)) return true;
  return record.escalatedOwnerId !== undefined && record.items.some((item) => item.ownerId === record.escalatedOwnerId);
}
