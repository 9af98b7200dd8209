import fc from 'fast-check';
import { MINUTE, toMillis } from '@carerelay/core';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, stepIndexOf, taskOf, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';

/**
 * DESIGN §3.6, two ways:
 * 1. no burst: a task never gets more than one notification at one instant (across every plan at that instant);
 * 2. stale steps collapse: of the steps whose time had already passed when the task opened, only the most urgent
 *    one addressed to the same kind of recipient (owner or supervisor) may ever be sent; the others are skipped.
 */

it('Late start collapses: a task created after several steps\' times fires only the most urgent due step, never a burst of stale ones', () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      const atInstant = new Map<string, string>();
      for (const { now, result } of run.plans) {
        for (const n of result.notifications) {
          const key = `${n.taskId}@${now}`;
          const earlier = atInstant.get(key);
          if (earlier) violated(`task ${n.taskId} got a burst at ${now}`, `first:  ${earlier}`, `second: ${describeNotification(n)}`);
          atInstant.set(key, describeNotification(n));

          const task = taskOf(result.state, n);
          const deadline = toMillis(n.deadline);
          const openedAt = toMillis(task.openedAt);
          const steps = task.policy.steps;
          const stale = (j: number) => deadline + steps[j]!.offsetMinutes * MINUTE <= openedAt;
          const i = stepIndexOf(task, n);
          if (!stale(i)) continue;
          const mostUrgent = Math.max(...steps.map((s, j) => (stale(j) && s.recipient === steps[i]!.recipient ? j : -1)));
          if (i !== mostUrgent) {
            violated(
              `task ${n.taskId} opened at ${task.openedAt}, after steps ${steps.filter((_, j) => stale(j)).map((s) => s.id).join(', ')} were due; it sent stale step ${steps[i]!.id} instead of only ${steps[mostUrgent]!.id}`,
              `planned at ${now}: ${describeNotification(n)}`,
            );
          }
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
