import type { CoreConfig } from '../config.js';
import { policyFor } from '../config.js';
import type { Owner } from '../model/entities.js';
import type { Notification, NotificationItem, TaskView } from '../model/notification.js';
import { toInstant, toMillis } from '../model/primitives.js';
import type { CaseState, CoordinationState, Directory, MilestoneState, Requirement, TaskState } from '../model/state.js';
import { type Assignment, routeRequirement } from '../routing/route.js';
import { CalendarCache } from '../schedule/calendar-cache.js';
import { WorkingCalendar } from '../schedule/calendar.js';
import { notificationIdFor, taskIdFor } from './ids.js';
import { stepTimes } from './step-times.js';

/** Options for {@link plan} and {@link planCase}. */
export interface PlanOptions {
  /** Reuse calendars across calls (an engine keeps one); a fresh cache is made when absent. */
  calendars?: CalendarCache;
  /** Remember each case's last plan so an unchanged case that is not due costs O(1); see {@link PlanMemo}. */
  memo?: PlanMemo;
}

interface MemoEntry {
  directory: Directory;
  config: CoreConfig;
  at: number;
  wake: number;
  views: TaskView[];
  unrouted: UnroutedRequirement[];
}

/**
 * Remembers, per case object, the outcome of its last plan. Planning the very same case object (states are
 * immutable: a changed case is a new object) with the same directory and configuration, at an instant between
 * that plan and its wake-up, cannot change anything — no step is due and no routing changes before the wake-up —
 * so it returns at once. A cache, not state: results are identical with or without it.
 */
export class PlanMemo {
  private readonly entries = new WeakMap<CaseState, MemoEntry>();

  /** @internal */
  lookup(caseState: CaseState, directory: Directory, config: CoreConfig, now: number): MemoEntry | undefined {
    const entry = this.entries.get(caseState);
    return entry && entry.directory === directory && entry.config === config && now >= entry.at && now < entry.wake ? entry : undefined;
  }

  /** @internal */
  remember(caseState: CaseState, entry: MemoEntry): void {
    this.entries.set(caseState, entry);
  }
}

/** A requirement nobody could be found to hold (the tenant has no coordinator): reported, never dropped. */
export interface UnroutedRequirement {
  patientId: string;
  requirementId: string;
  role: string;
}

/** What planning one case decided. */
export interface CasePlan {
  /** The case with task snapshots and fired steps recorded: feed it back so nothing fires twice. */
  case: CaseState;
  /** Open tasks, by id. */
  tasks: TaskView[];
  /** Notifications due at `now`, with deterministic ids. */
  notifications: Notification[];
  /** When this case next needs planning, or null when nothing is pending. */
  nextWakeAt: string | null;
  unrouted: UnroutedRequirement[];
}

/** What planning a whole state decided. */
export interface PlanResult {
  state: CoordinationState;
  tasks: TaskView[];
  notifications: Notification[];
  nextWakeAt: string | null;
  unrouted: UnroutedRequirement[];
}

/** A planning context for one case at one instant. */
interface Context {
  directory: Directory;
  config: CoreConfig;
  calendars: CalendarCache;
  now: number;
}

/** The recipient's calendar; someone not in the directory is treated as always working. */
function calendarOf(ctx: Context, owner: Owner | undefined): WorkingCalendar {
  return owner ? ctx.calendars.working(owner) : new WorkingCalendar([], 'UTC');
}

/**
 * Plans every case of a tenant at `now`. Pure and deterministic: the same state and `now` give the same
 * notifications with the same ids. Feed `result.state` back in so steps that fired do not fire again.
 */
export function plan(state: CoordinationState, now: string, config: CoreConfig, options: PlanOptions = {}): PlanResult {
  const calendars = options.calendars ?? new CalendarCache();
  const cases: Record<string, CaseState> = {};
  const tasks: TaskView[] = [];
  const notifications: Notification[] = [];
  const unrouted: UnroutedRequirement[] = [];
  let nextWakeAt: string | null = null;
  // Cases in their (deterministic) insertion order: sorting hundreds of thousands of ids would dominate the plan.
  for (const patientId in state.cases) {
    const result = planCase(state.directory, state.cases[patientId]!, now, config, { calendars, ...(options.memo ? { memo: options.memo } : {}) });
    cases[patientId] = result.case;
    tasks.push(...result.tasks);
    notifications.push(...result.notifications);
    unrouted.push(...result.unrouted);
    if (result.nextWakeAt !== null && (nextWakeAt === null || result.nextWakeAt < nextWakeAt)) nextWakeAt = result.nextWakeAt;
  }
  return { state: { ...state, cases }, tasks, notifications, nextWakeAt, unrouted };
}

interface Group {
  milestone: MilestoneState;
  assignment: Assignment;
  requirements: Requirement[];
}

/**
 * Plans one patient's case at `now`: routes each open requirement to one owner, groups them into tasks
 * (one per milestone and owner), opens tasks with a snapshot of their policy, and emits the escalation step
 * that is due — only the most urgent one when several are (late start collapses). Cost is linear in the case.
 */
export function planCase(directory: Directory, caseState: CaseState, now: string, config: CoreConfig, options: PlanOptions = {}): CasePlan {
  const ctx: Context = { directory, config, calendars: options.calendars ?? new CalendarCache(), now: toMillis(now) };
  const remembered = options.memo?.lookup(caseState, directory, config, ctx.now);
  if (remembered) {
    return {
      case: caseState,
      tasks: remembered.views.map((v) => (v.overdue || toMillis(v.deadline) > ctx.now ? v : { ...v, overdue: true })),
      notifications: [],
      nextWakeAt: remembered.wake === Infinity ? null : toInstant(remembered.wake),
      unrouted: remembered.unrouted,
    };
  }
  const groups = new Map<string, Group>();
  const unrouted: UnroutedRequirement[] = [];
  // Routing depends on the role only (within one case and instant): route each role once.
  const byRole = new Map<string, Assignment | undefined>();

  for (const requirement of Object.values(caseState.requirements)) {
    if (requirement.status !== 'open') continue;
    const milestone = caseState.milestones[requirement.milestoneId];
    if (!milestone || milestone.status !== 'scheduled') continue;
    let assignment = byRole.get(requirement.role);
    if (!byRole.has(requirement.role)) {
      assignment = routeRequirement(requirement.role, caseState, directory, ctx.now, config, ctx.calendars);
      byRole.set(requirement.role, assignment);
    }
    if (!assignment) {
      unrouted.push({ patientId: caseState.patientId, requirementId: requirement.id, role: requirement.role });
      continue;
    }
    const taskId = taskIdFor(caseState.tenantId, caseState.patientId, milestone.id, assignment.ownerId);
    const group = groups.get(taskId);
    if (group) {
      group.requirements.push(requirement);
      if (assignment.unassigned) group.assignment = { ...group.assignment, unassigned: true };
    } else groups.set(taskId, { milestone, assignment, requirements: [requirement] });
  }

  // Copy-on-write: a case whose tasks do not change keeps its tasks object.
  let tasks = caseState.tasks;
  const write = (task: TaskState) => {
    if (tasks === caseState.tasks) tasks = { ...caseState.tasks };
    tasks[task.id] = task;
  };
  // Tasks with no open work left close (done work stops alerting); they reopen if work returns.
  for (const task of Object.values(caseState.tasks)) {
    if (!groups.has(task.id) && task.closedAt === undefined) write({ ...task, closedAt: now });
  }

  const notifications: Notification[] = [];
  const views: TaskView[] = [];
  let nextWake = Infinity;
  const taskIds = groups.size > 1 ? [...groups.keys()].sort() : [...groups.keys()];
  for (const taskId of taskIds) {
    const group = groups.get(taskId)!;
    const { milestone, requirements } = group;
    if (requirements.length > 1) requirements.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let task = tasks[taskId];
    if (!task) {
      const openedAt = requirements.reduce((min, r) => (r.createdAt < min ? r.createdAt : min), requirements[0]!.createdAt);
      task = { id: taskId, milestoneId: milestone.id, ownerId: group.assignment.ownerId, role: requirements[0]!.role, openedAt, policy: policyFor(config, milestone.policyId), firedStep: -1, repeats: 0 };
      write(task);
    } else if (task.closedAt !== undefined) {
      const { closedAt: _closed, ...reopened } = task;
      task = reopened;
      write(task);
    }
    const outcome = advanceTask(ctx, caseState, task, group);
    if (outcome.task !== task) write(outcome.task);
    notifications.push(...outcome.notifications);
    if (outcome.nextWake < nextWake) nextWake = outcome.nextWake;
    views.push(taskView(caseState, outcome.task, group, ctx.now));
  }

  if (groups.size > 0) nextWake = Math.min(nextWake, routingChangeAt(ctx, caseState, byRole));
  const planned = tasks === caseState.tasks ? caseState : { ...caseState, tasks };
  options.memo?.remember(planned, { directory, config, at: ctx.now, wake: nextWake, views, unrouted });
  return {
    case: planned,
    tasks: views,
    notifications,
    nextWakeAt: nextWake === Infinity ? null : toInstant(nextWake),
    unrouted,
  };
}

/**
 * The next instant at which routing of this case may change by itself: an absence of a team member (or of the
 * holder) starting or ending, or an on-call shift ending or starting.
 */
function routingChangeAt(ctx: Context, caseState: CaseState, byRole: ReadonlyMap<string, Assignment | undefined>): number {
  let next = Infinity;
  const consider = (ownerId: string | undefined) => {
    const owner = ownerId === undefined ? undefined : ctx.directory.owners[ownerId];
    if (!owner) return;
    for (const absence of owner.absences) {
      const start = toMillis(absence.start);
      const end = toMillis(absence.end);
      if (start > ctx.now && start < next) next = start;
      else if (start <= ctx.now && end > ctx.now && end < next) next = end;
    }
  };
  for (const member of caseState.careTeam) consider(member.ownerId);
  for (const [role, assignment] of byRole) {
    consider(assignment?.ownerId);
    if (!ctx.config.onCallRoles.includes(role)) continue;
    // On-call work follows the rotation: re-plan when a shift of someone in that role starts or ends.
    for (const owner of Object.values(ctx.directory.owners)) {
      if (owner.role !== role) continue;
      const calendar = ctx.calendars.onCall(owner);
      if (!calendar) continue;
      const end = calendar.windowEndAt(ctx.now);
      const change = end !== undefined ? end : calendar.nextWorkingInstant(ctx.now);
      if (change !== undefined && change > ctx.now && change < next) next = change;
    }
  }
  return next;
}

function recipientOf(ctx: Context, caseState: CaseState, task: TaskState, stepIndex: number): string {
  const step = task.policy.steps[stepIndex]!;
  if (step.recipient === 'owner') return task.ownerId;
  const owner = ctx.directory.owners[task.ownerId];
  if (owner?.supervisorId && ctx.directory.owners[owner.supervisorId]) return owner.supervisorId;
  // No supervisor on file: the team's coordinator hears of it rather than nobody.
  for (const role of ctx.config.coordinatorRoles) {
    const member = caseState.careTeam.find((m) => m.role === role && m.ownerId !== task.ownerId);
    if (member) return member.ownerId;
  }
  return task.ownerId;
}

function advanceTask(ctx: Context, caseState: CaseState, task: TaskState, group: Group): { task: TaskState; notifications: Notification[]; nextWake: number } {
  const { policy } = task;
  const deadline = toMillis(group.milestone.dueAt);
  const recipients = policy.steps.map((_, i) => recipientOf(ctx, caseState, task, i));
  const times = stepTimes({
    policy,
    deadline,
    openedAt: toMillis(task.openedAt),
    critical: group.milestone.critical,
    calendarOf: (i) => calendarOf(ctx, ctx.directory.owners[recipients[i]!]),
  });
  const notifications: Notification[] = [];
  let updated = task;

  // The most urgent step now due and not yet fired; the ones it passes over are skipped, never sent late.
  let due = -1;
  for (let i = task.firedStep + 1; i < times.length; i++) if (times[i]! <= ctx.now) due = i;
  if (due >= 0) {
    const step = policy.steps[due]!;
    const critical = step.critical || group.milestone.critical;
    const recipientId = recipients[due]!;
    const deliverAt = deliveryInstant(ctx, times[due]!, critical, recipientId);
    notifications.push(notification(ctx, caseState, updated, group, due, recipientId, 0, deliverAt, critical));
    // Repeat slots already passed when the step fires late are spent, not sent: the schedule stays anchored.
    const spent = step.repeatEveryMinutes ? Math.min(step.maxRepeats, Math.floor((deliverAt - times[due]!) / (step.repeatEveryMinutes * 60_000))) : 0;
    updated = { ...updated, firedStep: due, firedAt: toInstant(deliverAt), repeats: spent, lastLevel: step.level };
  }

  // Critical steps repeat until acknowledged, on a schedule anchored at the step's own instant (so a task that
  // closes and reopens resumes the schedule rather than starting a new one); a late plan sends only the latest
  // repeat due, and never in the plan that fired the step.
  const fired = policy.steps[updated.firedStep];
  let nextRepeat = Infinity;
  if (fired?.repeatEveryMinutes && updated.firedAt !== undefined && updated.acknowledgedAt === undefined) {
    const every = fired.repeatEveryMinutes * 60_000;
    const anchor = times[updated.firedStep]!;
    if (due < 0) {
      const dueRepeat = Math.min(fired.maxRepeats, Math.floor((ctx.now - anchor) / every));
      if (dueRepeat > updated.repeats) {
        const recipientId = recipients[updated.firedStep]!;
        notifications.push(notification(ctx, caseState, updated, group, updated.firedStep, recipientId, dueRepeat, anchor + dueRepeat * every, true));
        updated = { ...updated, repeats: dueRepeat };
      }
    }
    if (updated.repeats < fired.maxRepeats) nextRepeat = anchor + (updated.repeats + 1) * every;
  }

  // Critical steps keep their instants, so times need not be sorted: the next is the earliest unfired one.
  let nextStep = Infinity;
  for (let i = updated.firedStep + 1; i < times.length; i++) if (times[i]! < nextStep) nextStep = times[i]!;
  return { task: updated, notifications, nextWake: Math.min(nextStep, nextRepeat) };
}

/**
 * When the step's message goes out: at the step's instant when planned on time; when planning runs late, now —
 * if the message is critical or the recipient is working now — else at the recipient's next working instant.
 * Never in the past, so it is also when the step counts as fired.
 */
function deliveryInstant(ctx: Context, stepTime: number, critical: boolean, recipientId: string): number {
  if (stepTime >= ctx.now || critical) return Math.max(stepTime, ctx.now);
  const calendar = calendarOf(ctx, ctx.directory.owners[recipientId]);
  if (calendar.isWorking(ctx.now)) return ctx.now;
  return calendar.nextWorkingInstant(ctx.now) ?? ctx.now;
}

function notification(
  ctx: Context,
  caseState: CaseState,
  task: TaskState,
  group: Group,
  stepIndex: number,
  recipientId: string,
  repeat: number,
  deliverAt: number,
  critical: boolean,
): Notification {
  const step = task.policy.steps[stepIndex]!;
  const recipient = ctx.directory.owners[recipientId];
  const items: NotificationItem[] = group.requirements.map((r) => ({
    requirementId: r.id,
    ownerId: task.ownerId,
    summary: r.summary,
    text: r.text,
    reason: r.reason,
    deadline: group.milestone.dueAt,
    milestoneId: group.milestone.id,
    milestoneKind: group.milestone.kind,
    ...(group.milestone.label === undefined ? {} : { milestoneLabel: group.milestone.label }),
  }));
  return {
    id: notificationIdFor(caseState.tenantId, task.id, step.id, recipientId, repeat),
    tenantId: caseState.tenantId,
    patientId: caseState.patientId,
    displayToken: caseState.patient?.displayToken ?? '(unregistered)',
    recipientId,
    level: step.level,
    critical,
    deliverAt: toInstant(deliverAt),
    taskId: task.id,
    stepId: step.id,
    repeat,
    milestoneId: group.milestone.id,
    milestoneKind: group.milestone.kind,
    deadline: group.milestone.dueAt,
    channels: recipient?.channels[step.level] ?? step.channels,
    items,
    ...(recipientId !== task.ownerId ? { escalatedOwnerId: task.ownerId } : {}),
    phiClass: 'phi',
  };
}

function taskView(caseState: CaseState, task: TaskState, group: Group, now: number): TaskView {
  const open = group.requirements.map((r) => r.id);
  const all: string[] = [];
  for (const r of Object.values(caseState.requirements)) {
    if (r.milestoneId === task.milestoneId && (r.role === task.role || open.includes(r.id))) all.push(r.id);
  }
  return {
    id: task.id,
    tenantId: caseState.tenantId,
    patientId: caseState.patientId,
    displayToken: caseState.patient?.displayToken ?? '(unregistered)',
    milestoneId: group.milestone.id,
    milestoneKind: group.milestone.kind,
    ...(group.milestone.label === undefined ? {} : { milestoneLabel: group.milestone.label }),
    ownerId: task.ownerId,
    role: task.role,
    status: 'open',
    deadline: group.milestone.dueAt,
    openedAt: task.openedAt,
    requirementIds: all.sort(),
    openRequirementIds: open,
    unassigned: group.assignment.unassigned,
    overdue: toMillis(group.milestone.dueAt) <= now,
    ...(task.lastLevel === undefined ? {} : { lastLevel: task.lastLevel }),
    policyId: task.policy.id,
  };
}

