import fc from 'fast-check';
import { MINUTE, toMillis } from '@carerelay/core';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, stepIndexOf, taskOf, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';
import { isWorkingAt, localLabel } from './working-hours-oracle.js';

/**
 * DESIGN §3.5, checked with the independent oracle in `working-hours-oracle.ts` (date-fns-tz wall time and a
 * day-by-day BYDAY expansion, not the core's calendar): every non-critical notification's `deliverAt` lies inside
 * a working window of its recipient, in the recipient's zone, across DST. A notification is critical exactly when
 * its step or milestone is, and a critical one is never deferred: it goes out at its own time (the step's offset
 * from the deadline, or the task's opening when that is later) — or, when the task was closed or held by someone
 * else then, as soon as it (re)opens — whatever anyone's working hours.
 */

it("Working hours: every non-critical notification's deliverAt lies inside the recipient's working window in their own zone, across DST; critical ones bypass working hours and are marked critical", () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      // When each task's current open span began (the first plan of a run of plans that see it open).
      const spanStart = new Map<string, number>();
      for (const { now, before, result } of run.plans) {
        const open = new Set(result.tasks.map((t) => t.id));
        for (const id of [...spanStart.keys()]) if (!open.has(id)) spanStart.delete(id);
        for (const id of open) if (!spanStart.has(id)) spanStart.set(id, toMillis(now));
        for (const n of result.notifications) {
          const task = taskOf(result.state, n);
          const step = task.policy.steps[stepIndexOf(task, n)]!;
          const milestone = result.state.cases[n.patientId]!.milestones[n.milestoneId]!;
          const shouldBeCritical = step.critical || milestone.critical;
          if (n.critical !== shouldBeCritical) violated(`critical is ${n.critical} but step ${step.id} critical=${step.critical}, milestone critical=${milestone.critical}`, describeNotification(n));
          const deliverAt = toMillis(n.deliverAt);
          if (n.critical) {
            // Its own time, or when the task (re)opened if that is later: no one's working hours may push it back.
            const own = Math.max(toMillis(milestone.dueAt) + step.offsetMinutes * MINUTE, toMillis(task.openedAt));
            const earliest = Math.max(own, spanStart.get(n.taskId)!);
            if (n.repeat === 0 && deliverAt > earliest) {
              violated(`a critical step was deferred: due at ${new Date(earliest).toISOString()}, delivered at ${n.deliverAt}`, `planned at ${now}: ${describeNotification(n)}`);
            }
            continue;
          }
          const recipient = before.directory.owners[n.recipientId];
          if (!recipient) violated(`recipient ${n.recipientId} is not in the directory`, describeNotification(n));
          if (!isWorkingAt(recipient, deliverAt)) {
            violated(
              `delivered outside working hours: ${localLabel(deliverAt, recipient.timeZone)} in ${recipient.timeZone}`,
              `working hours: ${JSON.stringify(recipient.workingHours)}`,
              `planned at ${now}: ${describeNotification(n)}`,
            );
          }
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
