import fc from 'fast-check';
import { CalendarCache, plan } from '@carerelay/core';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';

/**
 * DESIGN §3.4, four ways:
 * 1. every plan, re-run on the same state and `now` with another calendar cache, gives the same result byte for byte;
 * 2. re-planning the returned state at the same `now` emits nothing (planning is idempotent);
 * 3. across a whole run no (task, step, recipient, repeat) is emitted twice, and no id repeats;
 * 4. a restart — replaying the world from scratch, or replaying the logged inputs — gives the same ids in the same order.
 */
it('Idempotent and deterministic: plan on the same state and now gives the same notifications with the same ids, no (task, step, recipient, repeat) is emitted twice across re-plans, and a restart replaying the events yields the same ids', () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      // A cache of its own (the driver keeps another): results must not depend on what a cache has seen.
      const calendars = new CalendarCache();
      for (const { now, config, before, result } of run.plans) {
        const again = plan(before, now, config, { calendars });
        if (JSON.stringify(again) !== JSON.stringify(result)) {
          violated(`plan at ${now} gave a different result on the same state`, `first:  ${result.notifications.map(describeNotification).join(' | ')}`, `second: ${again.notifications.map(describeNotification).join(' | ')}`);
        }
        const replanned = plan(result.state, now, config, { calendars });
        if (replanned.notifications.length) {
          violated(`re-planning the returned state at the same instant ${now} emitted more`, `first plan: ${result.notifications.map(describeNotification).join(' | ') || '(nothing)'}`, `re-plan:    ${replanned.notifications.map(describeNotification).join(' | ')}`);
        }
      }
      const seenIds = new Map<string, string>();
      const seenTuples = new Map<string, string>();
      for (const { plannedAt, notification: n } of run.emitted) {
        const tuple = `${n.taskId}|${n.stepId}|${n.recipientId}|${n.repeat}`;
        const line = `planned at ${plannedAt}: ${describeNotification(n)}`;
        const earlier = seenTuples.get(tuple) ?? seenIds.get(n.id);
        if (earlier) violated('a (task, step, recipient, repeat) was emitted twice', `first:  ${earlier}`, `second: ${line}`);
        seenTuples.set(tuple, line);
        seenIds.set(n.id, line);
      }
      const signature = (r: typeof run) => JSON.stringify(r.emitted.map((e) => [e.plannedAt, e.notification]));
      const restarted = simulate(world);
      if (signature(restarted) !== signature(run)) violated('re-running the world from scratch gave different notifications');
      const replayed = simulate(world, { log: run.log });
      if (signature(replayed) !== signature(run)) violated('replaying the logged inputs gave different notifications');
      if (JSON.stringify(replayed.final) !== JSON.stringify(run.final)) violated('replaying the logged inputs gave a different final state');
    }),
    { numRuns: Math.ceil(NUM_RUNS / 2) },
  );
}, PROPERTY_TIMEOUT_MS);
