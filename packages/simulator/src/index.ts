/**
 * `@carerelay/simulator`: a deterministic, seeded simulation of a behavioral-health clinic that compares
 * CareRelay (the real engine on SQLite) with broadcast and silent-until-deadline reminders, and the demo that
 * prints the comparison and writes the HTML report. Model and parameters: `docs/simulation.md`.
 * @packageDocumentation
 */
export { runDemo, type DemoOptions, type DemoOutput, type DemoResult } from './demo.js';
export { planClinic, DEFAULT_START, SIM_TENANT, STAFF_ROLES, type ClinicPlan, type ClinicOptions, type PatientPlan, type ReviewCycle, type SessionPlan, type StayPlan, type ReferralPlan, type AbsencePlan, type StaffRole } from './clinic.js';
export { DEFAULT_PARAMETERS, type SimulationParameters } from './parameters.js';
export { runPolicy, TASK_RULES, TICK_MS, type PolicyRun, type PolicyOutcomeSummary, type RunOptions } from './simulation.js';
export type { Notifier } from './notifier.js';
export { createBaselineNotifier } from './baseline-notifier.js';
export { createCareRelayNotifier, type CareRelayNotifierOptions, type EngineTimings } from './carerelay-notifier.js';
export { Behaviour } from './behaviour.js';
export { World, type OpenItem, type EventDraft } from './world.js';
export { POLICIES, POLICY_LABELS, POLICY_SHORT, type PolicyName, type DeliveredMessage, type MessageNotification, type MessageItem } from './messages.js';
export { comparisonRows, comparisonText, type ComparisonRow, type PolicyOutcome } from './comparison.js';
export { reportHtml, type ReportInput } from './report-html.js';
export { walkThrough, WALK_A, WALK_B, type Walk, type ScriptStep } from './walkthrough.js';
export { SeededRandom, keyedUniform, hash32 } from './random.js';
