import fc from 'fast-check';
import { toMillis } from '@carerelay/core';
import { it } from 'vitest';
import { TENANT, worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, violated } from './run-queries.js';
import { type LoggedInput, type Run, describeNotification, simulate } from './simulate.js';

/**
 * DESIGN §3.9. Run a world, pick a plan instant and a requirement open at it, then replay the very same inputs
 * (acknowledgements as resolved in the first run, policy edits left out — see below) with one extra completion of
 * that requirement — a note that addresses it, or a waiver — at that instant. From then on the run with the
 * completion sends no more notifications than the run without, in total and to each recipient.
 */
it('Completion never adds noise: completing any requirement never increases the number of future notifications', () => {
  fc.assert(
    fc.property(
      fc.record({ world: worldArb, planPick: fc.nat(), requirementPick: fc.nat(), how: fc.constantFrom('note' as const, 'waiver' as const) }),
      ({ world, planPick, requirementPick, how }) => {
        const first = simulate(world);
        const candidates = first.plans.filter((p) => p.result.tasks.length > 0);
        if (!candidates.length) return;
        const at = candidates[planPick % candidates.length]!;
        const open = at.result.tasks.flatMap((t) => t.openRequirementIds.map((id) => ({ id, task: t })));
        const { id, task } = open[requirementPick % open.length]!;
        const common = { id: 'completion', tenantId: TENANT, patientId: task.patientId, at: at.now };
        const completion: LoggedInput = {
          kind: 'event',
          at: at.now,
          event: how === 'note' ? { ...common, type: 'note.signed', noteId: 'completion-note', ownerId: task.ownerId, addresses: [id] } : { ...common, type: 'requirement.waived', requirementId: id },
        };
        // Without policy edits: a task that first opens after an edit snapshots the new ladder, so a completion that
        // keeps a task from opening until a later reopen would compare two different ladders, not two amounts of work.
        const log = first.log.filter((input) => input.kind !== 'policy');
        const without = simulate(world, { log });
        const withIt = simulate(world, { log, extra: [completion] });
        const from = toMillis(at.now);
        const future = (run: Run) => run.emitted.filter((e) => toMillis(e.plannedAt) >= from).map((e) => e.notification);
        const before = future(without);
        const after = future(withIt);
        const perRecipient = (list: typeof before) => list.reduce((m, n) => m.set(n.recipientId, (m.get(n.recipientId) ?? 0) + 1), new Map<string, number>());
        const countsBefore = perRecipient(before);
        for (const [recipient, count] of perRecipient(after)) {
          if (count > (countsBefore.get(recipient) ?? 0)) {
            violated(
              `completing ${id} (${how}) at ${at.now} raised ${recipient}'s future notifications from ${countsBefore.get(recipient) ?? 0} to ${count}`,
              `without: ${before.filter((n) => n.recipientId === recipient).map(describeNotification).join(' | ') || '(nothing)'}`,
              `with:    ${after.filter((n) => n.recipientId === recipient).map(describeNotification).join(' | ')}`,
            );
          }
        }
        if (after.length > before.length) violated(`completing ${id} at ${at.now} raised future notifications from ${before.length} to ${after.length}`);
      },
    ),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
