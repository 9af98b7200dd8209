/**
 * Runs baseline policies in a worker thread (the CLI uses it to keep both cores busy while the engine runs in the
 * main thread). It re-plans the clinic from the same seed — deterministic, so identical — and posts back only the
 * outcome, never the event log.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createBaselineNotifier } from './baseline-notifier.js';
import { planClinic } from './clinic.js';
import type { PolicyName } from './messages.js';
import type { SimulationParameters } from './parameters.js';
import { runPolicy } from './simulation.js';

/** What the worker is asked to do. */
export interface PolicyWorkerInput {
  seed: number;
  days: number;
  patients: number;
  parameters: SimulationParameters;
  policies: Array<Exclude<PolicyName, 'carerelay'>>;
}

/** Messages the worker posts. */
export type PolicyWorkerMessage =
  | { kind: 'progress'; text: string }
  | { kind: 'result'; result: import('./simulation.js').PolicyOutcomeSummary };

async function work(input: PolicyWorkerInput): Promise<void> {
  const plan = planClinic({ seed: input.seed, days: input.days, patients: input.patients, parameters: input.parameters });
  for (const policy of input.policies) {
    const started = performance.now();
    const run = await runPolicy(plan, createBaselineNotifier(policy), {
      parameters: input.parameters,
      onDay: (day, days) => {
        if (day % 10 === 0 || day === days - 1) parentPort!.postMessage({ kind: 'progress', text: `  ${policy}: day ${day + 1}/${days}\n` } satisfies PolicyWorkerMessage);
      },
    });
    parentPort!.postMessage({ kind: 'progress', text: `${policy}: ${run.messages.length} messages in ${((performance.now() - started) / 1000).toFixed(1)} s (worker thread)\n` } satisfies PolicyWorkerMessage);
    parentPort!.postMessage({ kind: 'result', result: { policy: run.policy, metrics: run.metrics, messages: run.messages.length, dailyAlertsPerClinician: run.dailyAlertsPerClinician } } satisfies PolicyWorkerMessage);
  }
}

if (parentPort) {
  work(workerData as PolicyWorkerInput).catch((error: unknown) => {
    // Surfaces as the worker's 'error' event in the parent.
    throw error;
  });
}
