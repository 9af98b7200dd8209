import fc from 'fast-check';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, levelRank, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';

/**
 * DESIGN §3.3. A task is "unchanged" while it stays open: from the plan that first (re)opens it to the plan that
 * sees it closed. Within that span, each notification's level is at least the previous one's — even when the
 * task's policy is edited mid-flight (worlds include policy edits).
 */
it('Monotone urgency: for an unchanged task, the levels of successive notifications never decrease', () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      const last = new Map<string, { rank: number; line: string }>();
      let openBefore = new Set<string>();
      for (const { now, result } of run.plans) {
        const openNow = new Set(result.tasks.map((t) => t.id));
        // A task that was not open at the previous plan starts a new span.
        for (const id of openNow) if (!openBefore.has(id)) last.delete(id);
        for (const n of result.notifications) {
          const previous = last.get(n.taskId);
          if (previous && levelRank(n.level) < previous.rank) {
            violated(`task ${n.taskId} went down in urgency at ${now}`, `before: ${previous.line}`, `now:    ${describeNotification(n)}`);
          }
          last.set(n.taskId, { rank: levelRank(n.level), line: describeNotification(n) });
        }
        openBefore = openNow;
      }
    }),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
