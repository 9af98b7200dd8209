import { DAY, HOUR, type Level, toMillis } from '@carerelay/core';
import type { DeliveredMessage, MessageItem } from './messages.js';
import type { Notifier } from './notifier.js';
import type { World } from './world.js';
import { ZoneTime, isBusinessDay } from './zone-time.js';

/** Local hour at which the old-way reminder job sends. */
const SEND_HOUR = 8;

/**
 * The "old way" reminders, computed by the simulator from the EHR's state (`docs/simulation.md` §1):
 * - `broadcast`: every business day at 08:00 (recipient's zone), from 5 days before the deadline, to every
 *   care-team member, one message per milestone naming all its open items (level reminder), and on after the
 *   deadline while the milestone stays open (a pended review);
 * - `silent`: once, at 08:00 on the last business day before the deadline's local date (level urgent).
 * Both send only while the milestone has open items, and count every message to every member.
 */
export function createBaselineNotifier(mode: 'broadcast' | 'silent'): Notifier {
  let world: World;
  const zones = new ZoneTime();
  const sent = new Set<string>();
  const level: Level = mode === 'broadcast' ? 'reminder' : 'urgent';
  return {
    policy: mode,
    async attach(w) {
      world = w;
    },
    async flush() {},
    async tick(now) {
      if (now % HOUR !== 0) return [];
      const owners = world.directory.owners;
      const zonesAtEight = new Set(
        Object.values(owners)
          .map((o) => o.timeZone)
          .filter((z) => zones.localHour(z, now) === SEND_HOUR && isBusinessDay(zones.localDay(z, now))),
      );
      if (zonesAtEight.size === 0) return [];
      const messages: DeliveredMessage[] = [];
      for (const patientId of [...world.activeCases].sort()) {
        const state = world.cases.get(patientId)!;
        const open = world.openItems(patientId);
        if (open.length === 0) continue;
        const byMilestone = new Map<string, typeof open>();
        for (const item of open) {
          const list = byMilestone.get(item.milestone.id);
          if (list) list.push(item);
          else byMilestone.set(item.milestone.id, [item]);
        }
        const recipients = [...new Set(state.careTeam.map((m) => m.ownerId))].sort();
        for (const [milestoneId, items] of byMilestone) {
          const due = toMillis(items[0]!.milestone.dueAt);
          const named: MessageItem[] = items.map((i) => ({
            requirementId: i.requirement.id,
            ownerId: world.ownerOf(patientId, i.requirement.role, now)?.ownerId ?? '',
            patientId,
            milestoneId,
          }));
          for (const recipientId of recipients) {
            const owner = owners[recipientId];
            if (!owner || !zonesAtEight.has(owner.timeZone)) continue;
            const today = zones.localDay(owner.timeZone, now);
            if (mode === 'broadcast' && now < due - 5 * DAY) continue;
            if (mode === 'silent' && (now >= due || today !== lastBusinessDayBefore(zones.localDay(owner.timeZone, due)))) continue;
            const id = `${mode}:${milestoneId}:${recipientId}:${today}`;
            if (sent.has(id)) continue;
            sent.add(id);
            messages.push({ id, recipientId, at: now, level, critical: false, notifications: [{ id, patientId, milestoneId, level, items: named }] });
          }
        }
      }
      return messages;
    },
    async close() {},
  };
}

function lastBusinessDayBefore(day: number): number {
  let d = day - 1;
  while (!isBusinessDay(d)) d--;
  return d;
}
