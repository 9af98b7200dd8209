/**
 * Outcome metrics: treatment interruptions, first-time-right documentation, alert load, actionable share,
 * deadline hits, time to owner, unassigned items and follow-up after discharge. Pure; definitions in `docs/metrics.md`.
 * @packageDocumentation
 */
export {
  metrics,
  type MetricsOptions,
  type OutcomeMetrics,
  type TreatmentInterruption,
  type FirstTimeRight,
  type DeadlineHits,
  type TimeToOwner,
  type UnassignedItems,
  type FollowUpAfterDischarge,
} from './outcome-metrics.js';
export type { DeliveredNotificationRecord, AlertLoad, AlertDistribution, ActionableShare } from './alert-load.js';
export type { MetricsWindow } from './window.js';
export { nearestRank } from './percentile.js';
