/**
 * Small lookups over a simulated {@link Run}, shared by the invariant properties, plus the run budget:
 * `NUM_RUNS` keeps the whole invariants folder under 40 s on two cores.
 */
import fc from 'fast-check';
import type { CoordinationState, Level, Notification, TaskState } from '@carerelay/core';
import { describeNotification } from './simulate.js';

/** Runs per property (override with `CARERELAY_PROPERTY_RUNS` for a longer soak). */
export const NUM_RUNS = Number(process.env.CARERELAY_PROPERTY_RUNS ?? 120);

// Replay a reported failure with `CARERELAY_PROPERTY_SEED=<seed from the report>` (and, optionally, `…_PATH=<path>`).
// CI runs a fixed seed so a submission's result is reproducible; local runs explore fresh seeds every time.
const seed = process.env.CARERELAY_PROPERTY_SEED ?? (process.env.CI ? '20261123' : undefined);
if (seed) {
  fc.configureGlobal({ seed: Number(seed), ...(process.env.CARERELAY_PROPERTY_PATH ? { path: process.env.CARERELAY_PROPERTY_PATH } : {}) });
}

/** Per-property time limit: generous, because a failing property spends most of its time shrinking. */
export const PROPERTY_TIMEOUT_MS = 120_000;

/** Rank of a level: higher is more urgent. */
export const levelRank = (level: Level): number => ['notice', 'reminder', 'urgent', 'supervisor', 'critical'].indexOf(level);

/** The task (with its policy snapshot) a notification belongs to, as the state after its plan holds it. */
export function taskOf(state: CoordinationState, n: Notification): TaskState {
  const task = state.cases[n.patientId]?.tasks[n.taskId];
  if (!task) throw new Error(`notification names a task the state does not hold: ${describeNotification(n)}`);
  return task;
}

/** Index of the notification's step in its task's policy snapshot. */
export function stepIndexOf(task: TaskState, n: Notification): number {
  const index = task.policy.steps.findIndex((s) => s.id === n.stepId);
  if (index < 0) throw new Error(`step ${n.stepId} is not in the snapshot of policy ${task.policy.id}: ${describeNotification(n)}`);
  return index;
}

/** Throws a failure whose message reads like the broken invariant, with the evidence. */
export function violated(invariant: string, ...evidence: string[]): never {
  throw new Error(`${invariant}\n  ${evidence.join('\n  ')}`);
}
