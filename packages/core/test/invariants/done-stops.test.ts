import fc from 'fast-check';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';

/**
 * DESIGN §3.1. A shadow model follows the event log (not the planner): a requirement is done once a note addresses
 * it or it is waived while open, until it is reopened; a milestone is closed once met, renewed or cancelled.
 * No plan after that may name it.
 */
it('Done stops: no notification names a requirement after it is satisfied or waived, nor a milestone after it is met, renewed or cancelled', () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      const done = new Map<string, string>();
      const closed = new Map<string, string>();
      for (const step of run.steps) {
        if (step.kind === 'event') {
          const e = step.event;
          if (!('patientId' in e)) continue;
          const before = step.before.cases[e.patientId];
          const isOpen = (id: string) => before?.requirements[id]?.status === 'open';
          if (e.type === 'note.signed') {
            for (const id of e.addresses) if (isOpen(id)) done.set(id, `satisfied by ${e.noteId} at ${e.at}`);
          } else if (e.type === 'requirement.waived' && isOpen(e.requirementId)) {
            done.set(e.requirementId, `waived at ${e.at}`);
          } else if (e.type === 'requirement.reopened') {
            const r = before?.requirements[e.requirementId];
            if (r && (r.status === 'satisfied' || r.status === 'waived') && !closed.has(r.milestoneId)) done.delete(e.requirementId);
          } else if ((e.type === 'milestone.met' || e.type === 'milestone.renewed' || e.type === 'milestone.cancelled') && before?.milestones[e.milestoneId]?.status === 'scheduled') {
            closed.set(e.milestoneId, `${e.type.slice('milestone.'.length)} at ${e.at}`);
          }
          continue;
        }
        for (const n of step.result.notifications) {
          const closedWhy = closed.get(n.milestoneId);
          if (closedWhy) violated('a notification names a closed milestone', `milestone ${n.milestoneId} was ${closedWhy}`, `planned at ${step.now}: ${describeNotification(n)}`);
          for (const item of n.items) {
            const why = done.get(item.requirementId) ?? closed.get(item.milestoneId);
            if (why) violated('a notification names done work', `${item.requirementId} was ${why}`, `planned at ${step.now}: ${describeNotification(n)}`);
          }
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
