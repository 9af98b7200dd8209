/**
 * `@carerelay/core`: the pure, deterministic heart of CareRelay. Schemas and types, `reduce`, `plan`,
 * `guidance`, `worklist`, `digest`, rule packs, routing, escalation and working-hours arithmetic.
 * No I/O, no clock (time is a parameter), no randomness, no module state.
 * @packageDocumentation
 */
export * from './model/primitives.js';
export * from './model/entities.js';
export * from './model/facts.js';
export * from './model/events.js';
export * from './model/state.js';
export * from './model/notification.js';
export { reduce, reduceCase, reduceDirectory } from './model/reduce.js';
export * from './errors.js';
export * from './config.js';
export * from './escalation/policy.js';
export * from './rules/rule-pack.js';
export { DEFAULT_RULE_PACK, DEFAULT_RULE_PACK_DATA } from './rules/default-pack.js';
export { matchRules, type MatchedRule, type MilestoneSelector } from './rules/evaluate.js';
export { profileAt, ageAt, type PatientProfile, type MedicationProfile } from './rules/patient-profile.js';
export { routeRequirement, type Assignment } from './routing/route.js';
export { WorkingCalendar, type Interval } from './schedule/calendar.js';
export { CalendarCache } from './schedule/calendar-cache.js';
export { ZoneClock, toWall, fromWall, type WallMillis } from './schedule/time-zone.js';
export { addDueAfter } from './schedule/due-date.js';
export { plan, planCase, PlanMemo, type PlanOptions, type PlanResult, type CasePlan, type UnroutedRequirement } from './planner/plan.js';
export { stepTimes, type StepTimeInput } from './planner/step-times.js';
export { stableHash, taskIdFor, notificationIdFor } from './planner/ids.js';
export { guidance, worklist, type GuidanceQuery, type GuidanceOptions } from './guidance/guidance.js';
export { digest, budgetDecision, localDayStart, type Digest, type DigestItem, type DigestOptions } from './delivery/digest.js';
export * from './metrics/index.js';
