import fc from 'fast-check';
import { MINUTE, type Owner, WorkingCalendar, budgetDecision, digest, toMillis } from '@carerelay/core';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';
import { isWorkingAt, localDate, localLabel } from './working-hours-oracle.js';

/**
 * DESIGN §3.8, through the public `digest()` and `budgetDecision()`, over every notification of a simulated run:
 * - every notification lands in exactly one message, addressed to its recipient, and a message with a critical
 *   notification is critical;
 * - items due within the digest window reach a recipient as one message: each non-critical message holds every
 *   non-critical notification to that recipient delivered in `[its deliverAt, deliverAt + window)`, and nothing else;
 * - delivering the messages in time order and holding back what `budgetDecision` refuses, no recipient receives more
 *   than the daily budget of non-critical messages on any local day (their own zone, by the oracle's calendar), a
 *   held message is held to a later instant inside the recipient's working hours, and every message is eventually sent.
 */
it('Budget and digest: messages to one recipient respect the daily budget for non-critical ones, items due within the digest window reach a recipient as one message, and every notification lands in exactly one message', () => {
  fc.assert(
    fc.property(
      fc.record({ world: worldArb, windowMinutes: fc.constantFrom(0, 10, 60, 180), dailyBudget: fc.integer({ min: 1, max: 4 }) }),
      ({ world, windowMinutes, dailyBudget }) => {
        const run = simulate(world);
        const notifications = run.emitted.map((e) => e.notification);
        const messages = digest(notifications, { windowMinutes });

        const carriedBy = new Map<string, number>();
        messages.forEach((m, i) => {
          for (const n of m.notifications) {
            if (carriedBy.has(n.id)) violated(`notification ${n.id} travels in two messages`, describeNotification(n));
            carriedBy.set(n.id, i);
            if (n.recipientId !== m.recipientId) violated(`message ${m.id} to ${m.recipientId} carries a notification for ${n.recipientId}`, describeNotification(n));
            if (n.critical && !m.critical) violated(`message ${m.id} carries a critical notification but is not critical`, describeNotification(n));
          }
          if (m.items.length !== m.notifications.reduce((k, n) => k + n.items.length, 0)) violated(`message ${m.id} lost or added items`);
        });
        for (const n of notifications) if (!carriedBy.has(n.id)) violated(`notification ${n.id} is in no message`, describeNotification(n));

        const window = Math.max(windowMinutes * MINUTE, 1);
        for (const m of messages) {
          if (m.critical) continue;
          const from = toMillis(m.deliverAt);
          for (const n of m.notifications) {
            const at = toMillis(n.deliverAt);
            if (at < from || at >= from + window) violated(`message ${m.id} (from ${m.deliverAt}, window ${windowMinutes} min) carries ${n.id} due ${n.deliverAt}, outside its window`);
          }
          for (const n of notifications) {
            const at = toMillis(n.deliverAt);
            if (!n.critical && n.recipientId === m.recipientId && at >= from && at < from + window && !m.notifications.includes(n)) {
              violated(`${n.id} to ${n.recipientId} due ${n.deliverAt} falls in the ${windowMinutes}-minute window of message ${m.id} (from ${m.deliverAt}) but travels separately`);
            }
          }
        }

        const owners = run.final.directory.owners;
        const calendars = new Map<string, WorkingCalendar>();
        const calendarOf = (o: Owner) => calendars.get(o.id) ?? calendars.set(o.id, new WorkingCalendar(o.workingHours, o.timeZone)).get(o.id)!;
        const queue = messages.filter((m) => !m.critical).map((m) => ({ at: toMillis(m.deliverAt), message: m }));
        const sent = new Map<string, number[]>();
        for (let guard = 0; queue.length; guard++) {
          if (guard > 10_000) violated('messages held back forever');
          queue.sort((a, b) => a.at - b.at || (a.message.id < b.message.id ? -1 : 1));
          const { at, message } = queue.shift()!;
          const owner = owners[message.recipientId]!;
          const already = sent.get(owner.id) ?? [];
          const decision = budgetDecision(owner, calendarOf(owner), already.map((t) => new Date(t).toISOString()), new Date(at).toISOString(), dailyBudget, false);
          if (decision.allowed) {
            sent.set(owner.id, [...already, at]);
            continue;
          }
          const hold = toMillis(decision.holdUntil);
          if (hold <= at) violated(`budget held message ${message.id} until ${decision.holdUntil}, not after ${new Date(at).toISOString()}`);
          if (!isWorkingAt(owner, hold)) violated(`budget held message ${message.id} until ${localLabel(hold, owner.timeZone)}, outside ${owner.id}'s working hours`, JSON.stringify(owner.workingHours));
          queue.push({ at: hold, message });
        }
        for (const [ownerId, times] of sent) {
          const zone = owners[ownerId]!.timeZone;
          const perDay = new Map<string, string[]>();
          for (const t of times) perDay.set(localDate(t, zone), [...(perDay.get(localDate(t, zone)) ?? []), localLabel(t, zone)]);
          for (const [day, list] of perDay) {
            if (list.length > dailyBudget) violated(`${ownerId} received ${list.length} non-critical messages on ${day} (${zone}), budget ${dailyBudget}`, list.join(', '));
          }
        }
        const someCritical = messages.find((m) => m.critical);
        if (someCritical) {
          const owner = owners[someCritical.recipientId]!;
          const flood = Array.from({ length: dailyBudget + 3 }, () => someCritical.deliverAt);
          if (!budgetDecision(owner, calendarOf(owner), flood, someCritical.deliverAt, dailyBudget, true).allowed) violated(`a critical message ${someCritical.id} was held back by the budget`);
        }
      },
    ),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
