import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DAY } from '@carerelay/core';
import { createBaselineNotifier } from './baseline-notifier.js';
import { createCareRelayNotifier } from './carerelay-notifier.js';
import { type ClinicPlan, planClinic } from './clinic.js';
import { type PolicyOutcome, comparisonText } from './comparison.js';
import { LocalTimeFormat, grouped, isoDate } from './local-time.js';
import { POLICIES, type PolicyName } from './messages.js';
import type { Notifier } from './notifier.js';
import { DEFAULT_PARAMETERS, type SimulationParameters } from './parameters.js';
import { reportHtml } from './report-html.js';
import type { PolicyWorkerInput, PolicyWorkerMessage } from './policy-worker.js';
import { type PolicyOutcomeSummary, runPolicy } from './simulation.js';
import { WALK_A, WALK_B, walkThrough } from './walkthrough.js';

/** Options of {@link runDemo}: the CLI's flags. */
export interface DemoOptions {
  days: number;
  patients: number;
  seed: number;
  /** Where to write the HTML report; null to skip it. */
  out: string | null;
  /** SQLite database for the engine: a file, or `:memory:` (the default — the demo's database is thrown away). */
  databaseFile?: string;
  /** Run the baselines in a worker thread while the engine runs (the CLI does; needs a loader for `.ts` under tsx). */
  parallel?: boolean;
  parameters?: SimulationParameters;
}

/** Where the demo writes: the comparison and walk-through to `stdout` (deterministic), progress to `stderr`. */
export interface DemoOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What the demo produced. */
export interface DemoResult {
  plan: ClinicPlan;
  runs: PolicyOutcomeSummary[];
  outcomes: PolicyOutcome[];
  html: string;
}

const ROLE_NAMES: Record<string, string> = { therapist: 'therapists', prescriber: 'prescribers', case_manager: 'case managers', ur_coordinator: 'UR coordinators', peer_specialist: 'peer specialists', supervisor: 'supervisors' };

/**
 * The main job: simulates the clinic under each policy (CareRelay through the real engine on SQLite), prints the
 * comparison table and the scenario walk-throughs, and writes the HTML report. Standard output is byte-identical
 * for the same options; progress and timings go to standard error.
 */
export async function runDemo(options: DemoOptions, io: DemoOutput): Promise<DemoResult> {
  const parameters = options.parameters ?? DEFAULT_PARAMETERS;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const plan = planClinic({ seed: options.seed, days: options.days, patients: options.patients, parameters });
  io.stderr(`planned the clinic: ${plan.staff.length} clinicians, ${plan.patients.length} patients, ${plan.sessions.length} sessions, ${plan.referrals.length} referrals (${elapsed()})\n`);

  const baselines: Array<Exclude<PolicyName, 'carerelay'>> = ['broadcast', 'silent'];
  const inWorker = options.parallel ? runInWorker({ seed: options.seed, days: options.days, patients: options.patients, parameters, policies: baselines }, io) : undefined;
  const summaries = new Map<PolicyName, PolicyOutcomeSummary>();
  for (const policy of POLICIES) {
    if (inWorker && policy !== 'carerelay') continue;
    const notifier: Notifier = policy === 'carerelay' ? createCareRelayNotifier({ start: plan.start - 2 * DAY, databaseFile: options.databaseFile ?? ':memory:' }) : createBaselineNotifier(policy);
    const policyStarted = performance.now();
    const run = await runPolicy(plan, notifier, {
      parameters,
      onDay: (day, days) => {
        if (day % 10 === 0 || day === days - 1) io.stderr(`  ${policy}: day ${day + 1}/${days}\n`);
      },
    });
    summaries.set(policy, { policy, metrics: run.metrics, messages: run.messages.length, dailyAlertsPerClinician: run.dailyAlertsPerClinician });
    const timings = 'timings' in notifier ? ` — engine: ${JSON.stringify(notifier.timings)}` : '';
    io.stderr(`${policy}: ${grouped(run.messages.length)} messages in ${((performance.now() - policyStarted) / 1000).toFixed(1)} s${timings} (${elapsed()})\n`);
  }
  if (inWorker) for (const summary of await inWorker) summaries.set(summary.policy, summary);
  const runs = POLICIES.map((p) => summaries.get(p)!);

  const outcomes: PolicyOutcome[] = runs.map((r) => ({ policy: r.policy, metrics: r.metrics, messages: r.messages, clinicians: plan.staff.length }));
  const walkthrough = [...(await walkThrough(WALK_A)), '', ...(await walkThrough(WALK_B))];
  const summary = describeRun(plan);
  const text = [
    'CareRelay clinic simulation',
    summary,
    'Model and parameters: docs/simulation.md. Metric definitions: docs/metrics.md.',
    '',
    comparisonText(outcomes),
    '',
    headline(outcomes),
    '',
    'Walk-through of scenarios A and B through the engine (each person in their own time zone):',
    '',
    ...walkthrough,
    '',
  ];
  const html = reportHtml({
    title: 'CareRelay clinic simulation',
    summary,
    outcomes,
    daily: Object.fromEntries(runs.map((r) => [r.policy, r.dailyAlertsPerClinician])) as Record<PolicyName, Array<number | null>>,
    startDate: isoDate(plan.start),
    walkthrough,
  });
  if (options.out !== null) {
    writeFileSync(options.out, html);
    text.push(`Report written to ${options.out}`);
  }
  io.stdout(`${text.join('\n')}\n`);
  io.stderr(`done in ${elapsed()}\n`);
  return { plan, runs, outcomes, html };
}

function describeRun(plan: ClinicPlan): string {
  const roles = new Map<string, number>();
  for (const o of plan.staff) roles.set(o.role, (roles.get(o.role) ?? 0) + 1);
  const zones = new Set(plan.staff.map((o) => o.timeZone)).size;
  const start = new LocalTimeFormat().format(plan.start, 'UTC').split(' ').slice(0, 3).join(' ');
  const staff = [...roles].map(([role, n]) => `${n} ${ROLE_NAMES[role] ?? role}`).join(', ');
  return `Seed ${plan.seed}; ${plan.days} days from ${start} ${new Date(plan.start).getUTCFullYear()}; ${plan.staff.length} clinicians (${staff}) in ${zones} time zones; ${grouped(plan.patients.length)} patients and ${grouped(plan.referrals.length)} referrals.`;
}

function headline(outcomes: readonly PolicyOutcome[]): string {
  const by = Object.fromEntries(outcomes.map((o) => [o.policy, o])) as Record<PolicyName, PolicyOutcome>;
  const { broadcast, silent, carerelay } = by;
  if (!broadcast || !silent || !carerelay || carerelay.messages === 0) return '';
  const ratio = (broadcast.messages / carerelay.messages).toFixed(1);
  const missed = (o: PolicyOutcome) => grouped(o.metrics.deadlines.missed);
  return `CareRelay sent ${ratio}× fewer messages per clinician than broadcast; deadlines missed: CareRelay ${missed(carerelay)}, broadcast ${missed(broadcast)}, silent ${missed(silent)}.`;
}

/** Runs baseline policies in a worker thread; resolves to their summaries in the order asked. */
function runInWorker(input: PolicyWorkerInput, io: DemoOutput): Promise<PolicyOutcomeSummary[]> {
  // From TypeScript sources (tsx), the worker registers tsx's loader itself: Node 20 workers do not inherit it.
  const source = import.meta.url.endsWith('.ts');
  const entry = new URL(source ? './policy-worker.ts' : './policy-worker.js', import.meta.url);
  const worker = source
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, workerData: input })
    : new Worker(entry, { workerData: input });
  const results: PolicyOutcomeSummary[] = [];
  return new Promise((resolve, reject) => {
    worker.on('message', (message: PolicyWorkerMessage) => {
      if (message.kind === 'progress') io.stderr(message.text);
      else results.push(message.result);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 && results.length === input.policies.length ? resolve(results) : reject(new Error(`simulator: policy worker exited with code ${code}`))));
  });
}
