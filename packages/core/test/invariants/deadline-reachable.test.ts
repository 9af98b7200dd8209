import fc from 'fast-check';
import { toMillis } from '@carerelay/core';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';
import { hasWorkingTimeBetween } from './working-hours-oracle.js';

/**
 * DESIGN §3.7. For every task that stays open — same owner, work outstanding, milestone scheduled — from the first
 * plan that sees it (before its deadline) until the deadline, whose owner (per the independent oracle) has working
 * time in between, and whose policy's last pre-deadline step goes to the owner: that step is delivered, and its
 * `deliverAt` is before the deadline. (The driver plans after every event and at every `nextWakeAt`, as an engine
 * does, so a closure before the deadline is always seen.)
 */

it('Deadline reachable: when the deadline is in the future and the owner has working time between opening and deadline, the last pre-deadline step is delivered before the deadline', () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      const firstSeen = new Map<string, number>();
      const closedAt = new Map<string, number>();
      let openBefore = new Set<string>();
      for (const { index, now, result } of run.plans) {
        const openNow = new Set(result.tasks.map((t) => t.id));
        for (const id of openNow) if (!firstSeen.has(id)) firstSeen.set(id, index);
        for (const id of openBefore) if (!openNow.has(id) && !closedAt.has(id)) closedAt.set(id, toMillis(now));
        openBefore = openNow;
      }
      const end = toMillis(world.end);
      // Routing follows absences without an event to plan on, so tasks near an absence are left out.
      const absences = Object.values(run.final.directory.owners).flatMap((o) => o.absences.map((a) => ({ start: toMillis(a.start), end: toMillis(a.end) })));
      for (const [taskId, first] of firstSeen) {
        const seenAt = run.plans[first]!;
        const view = seenAt.result.tasks.find((t) => t.id === taskId)!;
        const deadline = toMillis(view.deadline);
        const opened = toMillis(seenAt.now);
        if (opened >= deadline || deadline > end) continue;
        if ((closedAt.get(taskId) ?? Infinity) < deadline) continue;
        if (absences.some((a) => a.start < deadline && a.end > opened)) continue;
        const task = run.final.cases[view.patientId]!.tasks[taskId]!;
        const steps = task.policy.steps;
        const last = steps.reduce((found, s, j) => (s.offsetMinutes < 0 ? j : found), -1);
        if (last < 0 || steps[last]!.recipient !== 'owner') continue;
        const owner = seenAt.before.directory.owners[view.ownerId]!;
        if (!hasWorkingTimeBetween(owner, opened, deadline)) continue;
        const sent = run.emitted.filter((e) => e.notification.taskId === taskId && e.notification.stepId === steps[last]!.id && e.notification.repeat === 0);
        const onTime = sent.find((e) => toMillis(e.notification.deliverAt) < deadline);
        if (!onTime) {
          violated(
            `task ${taskId} of ${view.ownerId} (open from ${seenAt.now}, deadline ${view.deadline}): last pre-deadline step ${steps[last]!.id} was ${sent.length ? 'delivered late' : 'never sent'}`,
            ...sent.map((e) => describeNotification(e.notification)),
            `everything sent for the task: ${run.emitted.filter((e) => e.notification.taskId === taskId).map((e) => describeNotification(e.notification)).join(' | ') || '(nothing)'}`,
          );
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
