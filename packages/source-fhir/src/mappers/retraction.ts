import type { MilestoneTemplate } from '@carerelay/core';
import type { ResourceMapping } from '../mapping-context.js';

/**
 * Cancels the milestones a fact event scheduled through templates (core names them `${template.id}:${eventId}`),
 * for a fact the EHR later withdrew (an entered-in-error discharge, a revoked referral). Cancelling a milestone
 * that was never scheduled changes nothing.
 */
export function cancelTemplatedMilestones(
  m: ResourceMapping,
  patientId: string,
  factEventId: string,
  applies: (template: MilestoneTemplate) => boolean,
  reason: string,
): void {
  for (const template of m.ctx.templates) {
    if (!applies(template)) continue;
    const milestoneId = `${template.id}:${factEventId}`;
    m.emit({ id: m.factId('retract', milestoneId), type: 'milestone.cancelled', patientId, at: m.stateTime(), milestoneId, reason });
  }
}
