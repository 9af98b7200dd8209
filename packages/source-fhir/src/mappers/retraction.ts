import type { ResourceMapping } from '../mapping-context.js';

/**
 * Retracts a fact this package recorded earlier for the same resource (an entered-in-error stay, a revoked
 * referral, a reclassified discharge): emits `fact.retracted` naming the fact's own deterministic event id, so core
 * forgets the fact and cancels the milestones it scheduled, whatever rule pack scheduled them. The retraction's id
 * is deterministic too. Retracting a fact that was never recorded changes nothing.
 */
export function retractFact(m: ResourceMapping, patientId: string, factEventId: string, reason: string): void {
  m.emit({ id: m.factId('retracted', factEventId), type: 'fact.retracted', patientId, at: m.stateTime(), factEventId, reason });
}
