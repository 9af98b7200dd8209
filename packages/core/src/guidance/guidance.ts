import type { CoreConfig } from '../config.js';
import type { GuidanceItem, TaskView } from '../model/notification.js';
import { DAY, toMillis } from '../model/primitives.js';
import type { CoordinationState } from '../model/state.js';
import { routeRequirement } from '../routing/route.js';
import { CalendarCache } from '../schedule/calendar-cache.js';
import { planCase } from '../planner/plan.js';

/** Who the guidance is for. */
export interface GuidanceQuery {
  patientId: string;
  ownerId: string;
}

/** Options for {@link guidance}. */
export interface GuidanceOptions {
  calendars?: CalendarCache;
}

/**
 * What this owner's next note for this patient must address: every open requirement they hold at `now` for
 * a milestone due within the guidance horizon (or overdue), each with its reason and deadline, soonest first.
 * Items held by others are never listed.
 */
export function guidance(state: CoordinationState, query: GuidanceQuery, now: string, config: CoreConfig, options: GuidanceOptions = {}): GuidanceItem[] {
  const caseState = state.cases[query.patientId];
  if (!caseState) return [];
  const calendars = options.calendars ?? new CalendarCache();
  const at = toMillis(now);
  const horizon = at + config.guidanceHorizonDays * DAY;
  const items: GuidanceItem[] = [];
  for (const requirement of Object.values(caseState.requirements)) {
    if (requirement.status !== 'open') continue;
    const milestone = caseState.milestones[requirement.milestoneId];
    if (!milestone || milestone.status !== 'scheduled' || toMillis(milestone.dueAt) > horizon) continue;
    const assignment = routeRequirement(requirement.role, caseState, state.directory, at, config, calendars);
    if (assignment?.ownerId !== query.ownerId) continue;
    items.push({
      requirementId: requirement.id,
      text: requirement.text,
      summary: requirement.summary,
      reason: requirement.reason,
      deadline: milestone.dueAt,
      milestoneId: milestone.id,
      milestoneKind: milestone.kind,
      ...(milestone.label === undefined ? {} : { milestoneLabel: milestone.label }),
      role: requirement.role,
      unassigned: assignment.unassigned,
      ...(assignment.coveringFor === undefined ? {} : { coveringFor: assignment.coveringFor }),
    });
  }
  return items.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.requirementId < b.requirementId ? -1 : 1));
}

/** An owner's open tasks across all patients at `now`, soonest deadline first. */
export function worklist(state: CoordinationState, ownerId: string, now: string, config: CoreConfig, options: GuidanceOptions = {}): TaskView[] {
  const calendars = options.calendars ?? new CalendarCache();
  const tasks: TaskView[] = [];
  for (const patientId of Object.keys(state.cases).sort()) {
    const planned = planCase(state.directory, state.cases[patientId]!, now, config, { calendars });
    for (const task of planned.tasks) if (task.ownerId === ownerId) tasks.push(task);
  }
  return tasks.sort((a, b) => (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.id < b.id ? -1 : 1));
}
