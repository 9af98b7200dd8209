/**
 * The simulation driver for the invariant properties: walks a generated {@link World} through time the way an
 * engine does — applies each input when its time comes, plans right after every input, at every `nextWakeAt` and at
 * the world's extra planning instants, always feeding the returned state back — and records every step.
 */
import {
  CRISIS_POLICY,
  CalendarCache,
  type CareEvent,
  type CareEventInput,
  type CoordinationState,
  type CoreConfig,
  DEFAULT_POLICY,
  DEFAULT_RULE_PACK,
  type EscalationPolicyInput,
  EventSchema,
  type Notification,
  type PlanResult,
  createCoreConfig,
  emptyState,
  plan,
  reduce,
} from '@carerelay/core';
import { PROPERTY_RULE_PACK, TENANT, type World, setupEvents } from '../arbitraries.js';

/** A concrete, replayable input: an event, a policy edit, or a bare planning instant. */
export type LoggedInput =
  | { kind: 'event'; at: string; event: CareEventInput }
  | { kind: 'policy'; at: string; policy: EscalationPolicyInput }
  | { kind: 'plan'; at: string };

/** One thing that happened in a run, in order. */
export type Step =
  | { kind: 'event'; at: string; event: CareEvent; before: CoordinationState; after: CoordinationState }
  | { kind: 'plan'; index: number; now: string; config: CoreConfig; before: CoordinationState; result: PlanResult };

/** A notification with the plan that emitted it. */
export interface Emitted {
  plannedAt: string;
  planIndex: number;
  notification: Notification;
}

/** What a run did. */
export interface Run {
  steps: Step[];
  plans: Extract<Step, { kind: 'plan' }>[];
  emitted: Emitted[];
  /** The concrete inputs applied (acknowledgements resolved), replayable with {@link simulate}'s `log` option. */
  log: LoggedInput[];
  final: CoordinationState;
  /** Things the driver noticed that are not failures by themselves (a `nextWakeAt` not after `now`). */
  anomalies: string[];
}

/** Options for {@link simulate}. */
export interface SimulateOptions {
  /** Replay these concrete inputs instead of the world's setup and actions (e.g. a previous run's `log`). */
  log?: readonly LoggedInput[];
  /** Extra concrete inputs merged into the timeline (e.g. a completion). */
  extra?: readonly LoggedInput[];
}

const MAX_PLANS = 3000;
const MAX_SAME_INSTANT = 3;

/** The configuration a world runs with: default and property rule packs, default and crisis ladders plus the world's policies. */
export function configFor(policies: readonly EscalationPolicyInput[]): CoreConfig {
  return createCoreConfig({ rulePacks: [DEFAULT_RULE_PACK, PROPERTY_RULE_PACK], policies: [DEFAULT_POLICY, CRISIS_POLICY, ...policies] });
}

/** The world's timed inputs as a log (setup, actions and planning instants), before acknowledgements are resolved. */
function initialInputs(world: World): (LoggedInput | { kind: 'ack'; at: string })[] {
  return [
    ...setupEvents(world).map((event): LoggedInput => ({ kind: 'event', at: event.at, event })),
    ...world.actions.map((a) => (a.kind === 'event' ? ({ kind: 'event', at: a.event.at, event: a.event } as const) : a)),
    ...world.planAt.map((at): LoggedInput => ({ kind: 'plan', at })),
  ];
}

/** Sorts by time, stably (same-time inputs keep their order). */
function byTime<T extends { at: string }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i, t: Date.parse(item.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.item);
}

/** Runs a world (or replays a log) from `world.start` to `world.end`. */
export function simulate(world: World, options: SimulateOptions = {}): Run {
  const inputs = byTime([...(options.log ?? initialInputs(world)), ...(options.extra ?? [])]);
  const calendars = new CalendarCache();
  const end = Date.parse(world.end);
  let policies = [...world.policies];
  let config = configFor(policies);
  let state = emptyState(TENANT);
  const steps: Step[] = [];
  const plans: Run['plans'] = [];
  const emitted: Emitted[] = [];
  const log: LoggedInput[] = [];
  const anomalies: string[] = [];
  let next = 0;
  let wake: number | null = null;
  let lastPlan = -Infinity;
  let sameInstant = 0;
  let ackCount = 0;

  const apply = (input: LoggedInput | { kind: 'ack'; at: string }) => {
    if (input.kind === 'plan') {
      log.push(input);
      return;
    }
    if (input.kind === 'policy') {
      policies = policies.map((p) => (p.id === input.policy.id ? input.policy : p));
      config = configFor(policies);
      log.push(input);
      return;
    }
    let eventInput: CareEventInput;
    if (input.kind === 'ack') {
      // Acknowledge the latest critical notification whose task is not yet acknowledged.
      const target = [...emitted].reverse().find((e) => e.notification.critical && state.cases[e.notification.patientId]?.tasks[e.notification.taskId]?.acknowledgedAt === undefined);
      if (!target) {
        // Nothing to acknowledge: the input still woke the planner, so a replay must too.
        log.push({ kind: 'plan', at: input.at });
        return;
      }
      const n = target.notification;
      eventInput = { id: `ack-${++ackCount}`, tenantId: TENANT, patientId: n.patientId, at: input.at, type: 'notification.acknowledged', notificationId: n.id, taskId: n.taskId, ownerId: n.recipientId };
    } else eventInput = input.event;
    const event = EventSchema.parse(eventInput);
    const before = state;
    state = reduce(state, event, config);
    steps.push({ kind: 'event', at: event.at, event, before, after: state });
    log.push({ kind: 'event', at: eventInput.at, event: eventInput });
  };

  while (plans.length < MAX_PLANS) {
    const nextInput = next < inputs.length ? Date.parse(inputs[next]!.at) : Infinity;
    let now = Math.min(nextInput, wake ?? Infinity);
    if (now === Infinity || now > end) break;
    if (now <= lastPlan) {
      // A wake-up not after the last plan: an engine's tick would plan this case again at once.
      anomalies.push(`nextWakeAt ${new Date(wake!).toISOString()} is not after the plan at ${new Date(lastPlan).toISOString()}`);
      now = lastPlan;
      if (++sameInstant > MAX_SAME_INSTANT) {
        wake = null;
        continue;
      }
    } else sameInstant = 0;
    while (next < inputs.length && Date.parse(inputs[next]!.at) <= now) apply(inputs[next++]!);
    const nowIso = new Date(now).toISOString();
    const before = state;
    const result = plan(state, nowIso, config, { calendars });
    state = result.state;
    const step = { kind: 'plan' as const, index: plans.length, now: nowIso, config, before, result };
    steps.push(step);
    plans.push(step);
    for (const notification of result.notifications) emitted.push({ plannedAt: nowIso, planIndex: step.index, notification });
    lastPlan = now;
    wake = result.nextWakeAt === null ? null : Date.parse(result.nextWakeAt);
  }
  if (plans.length >= MAX_PLANS) anomalies.push(`stopped after ${MAX_PLANS} plans`);
  return { steps, plans, emitted, log, final: state, anomalies };
}

/** A compact, readable line for a notification in failure messages. */
export function describeNotification(n: Notification): string {
  return `${n.id} ${n.level}${n.critical ? '(critical)' : ''} step=${n.stepId}#${n.repeat} to=${n.recipientId}${n.escalatedOwnerId ? ` about=${n.escalatedOwnerId}` : ''} task=${n.taskId} deliverAt=${n.deliverAt} deadline=${n.deadline} items=[${n.items.map((i) => i.requirementId).join(', ')}]`;
}
