import fc from 'fast-check';
import { it } from 'vitest';
import { worldArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS, violated } from './run-queries.js';
import { describeNotification, simulate } from './simulate.js';

/**
 * DESIGN §3.2. At every plan: each open requirement of a scheduled milestone sits in exactly one open task and is
 * never reported unrouted (the directory always has a supervisor to coordinate); a requirement whose role nobody on
 * the team fills is held flagged `unassigned`. Each notification names only items of the recipient's own task —
 * except a supervisor escalation, which names only the overdue items of the owner it escalates.
 */
it('No broadcast: every open requirement has exactly one owner at any instant (unfilled roles go to a coordinator, flagged, never dropped) and a notification names only its recipient\'s items, except supervisor escalations naming the escalated owner\'s overdue items', () => {
  fc.assert(
    fc.property(fc.record({ world: worldArb }), ({ world }) => {
      const run = simulate(world);
      for (const { now, before, result } of run.plans) {
        for (const [patientId, c] of Object.entries(before.cases)) {
          const tasks = result.tasks.filter((t) => t.patientId === patientId);
          const open = Object.values(c.requirements).filter((r) => r.status === 'open' && c.milestones[r.milestoneId]?.status === 'scheduled');
          for (const r of open) {
            const holders = tasks.filter((t) => t.openRequirementIds.includes(r.id));
            if (holders.length !== 1) violated(`requirement ${r.id} (${r.role}) has ${holders.length} owners at ${now}`, `holders: ${holders.map((t) => t.ownerId).join(', ') || 'none'}`, `unrouted: ${JSON.stringify(result.unrouted)}`);
            const holder = holders[0]!;
            if (!before.directory.owners[holder.ownerId]) violated(`requirement ${r.id} is held by ${holder.ownerId}, who is not in the directory`);
            if (!c.careTeam.some((m) => m.role === r.role) && !holder.unassigned) violated(`requirement ${r.id}: nobody on the team is a ${r.role}, yet ${holder.ownerId} holds it without the unassigned flag at ${now}`);
          }
          for (const t of tasks) {
            for (const id of t.openRequirementIds) if (!open.some((r) => r.id === id)) violated(`task ${t.id} of ${t.ownerId} lists ${id}, which is not open work at ${now}`);
          }
        }
        if (result.unrouted.length) violated(`requirements dropped as unrouted at ${now} although the supervisor can coordinate`, JSON.stringify(result.unrouted));
        for (const n of result.notifications) {
          const about = n.escalatedOwnerId ?? n.recipientId;
          for (const item of n.items) {
            const task = result.tasks.find((t) => t.patientId === n.patientId && t.ownerId === about && t.milestoneId === item.milestoneId && t.openRequirementIds.includes(item.requirementId));
            if (item.ownerId !== about || !task) violated(`a notification to ${n.recipientId} names ${item.requirementId}, which ${about} does not hold at ${now}`, describeNotification(n));
            if (n.escalatedOwnerId !== undefined && Date.parse(item.deadline) > Date.parse(now)) {
              violated(`a supervisor escalation names ${item.requirementId}, which is not overdue at ${now} (deadline ${item.deadline})`, describeNotification(n));
            }
          }
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
}, PROPERTY_TIMEOUT_MS);
