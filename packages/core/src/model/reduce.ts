import type { CoreConfig } from '../config.js';
import { matchRules } from '../rules/evaluate.js';
import { profileAt } from '../rules/patient-profile.js';
import type { MilestoneTemplate } from '../rules/rule-pack.js';
import { addDueAfter } from '../schedule/due-date.js';
import type { CaseEvent, CareEvent, DirectoryEvent } from './events.js';
import { isCaseEvent } from './events.js';
import type { Fact } from './facts.js';
import { DAY, toInstant, toMillis } from './primitives.js';
import type { CaseState, CoordinationState, Directory, MilestoneState, Requirement } from './state.js';
import { emptyCase } from './state.js';

/**
 * Applies one event to a tenant's state, returning the new state (the input is not changed).
 * Directory events update owners; case events update that patient's case only.
 */
export function reduce(state: CoordinationState, event: CareEvent, config: CoreConfig): CoordinationState {
  if (!isCaseEvent(event)) return { ...state, directory: reduceDirectory(state.directory, event) };
  const current = state.cases[event.patientId];
  return { ...state, cases: { ...state.cases, [event.patientId]: reduceCase(current, event, config) } };
}

/** Applies a directory event (owner upserted, owner absence) to the directory. */
export function reduceDirectory(directory: Directory, event: DirectoryEvent): Directory {
  switch (event.type) {
    case 'owner.upserted':
      return { ...directory, owners: { ...directory.owners, [event.owner.id]: event.owner } };
    case 'owner.absence': {
      const owner = directory.owners[event.ownerId];
      if (!owner) return directory;
      return { ...directory, owners: { ...directory.owners, [owner.id]: { ...owner, absences: [...owner.absences, event.absence] } } };
    }
  }
}

/**
 * Applies a case event to one patient's case. Scheduling a milestone, or learning a fact, re-evaluates the
 * rule packs for the case's open milestones: new requirements appear (dated by the event), open ones whose
 * facts no longer hold are withdrawn. Facts that match a milestone template schedule a milestone.
 */
export function reduceCase(current: CaseState | undefined, event: CaseEvent, config: CoreConfig): CaseState {
  const base = current ?? emptyCase(event.tenantId, event.patientId);
  const next: CaseState = { ...base, version: base.version + 1 };
  switch (event.type) {
    case 'patient.registered':
    case 'patient.updated':
      next.patient = event.patient;
      return reevaluate(next, event.at, config);
    case 'patient.patched': {
      if (!next.patient) return next; // nothing to patch yet: the event stays in the log
      const patch = Object.fromEntries(Object.entries(event.patch).filter(([, value]) => value !== undefined));
      next.patient = { ...next.patient, ...patch };
      return reevaluate(next, event.at, config);
    }
    case 'careteam.assigned':
      if (next.careTeam.some((m) => m.ownerId === event.member.ownerId && m.role === event.member.role)) return next;
      next.careTeam = [...next.careTeam, event.member];
      return next;
    case 'careteam.unassigned':
      next.careTeam = next.careTeam.filter((m) => !(m.ownerId === event.member.ownerId && m.role === event.member.role));
      return next;
    case 'milestone.scheduled': {
      const existing = next.milestones[event.milestone.id];
      if (existing && existing.status !== 'scheduled') return next;
      next.milestones = { ...next.milestones, [event.milestone.id]: { ...event.milestone, status: 'scheduled', scheduledAt: event.at } };
      delete next.closedAt; // scheduling work explicitly reopens a closed case
      return reevaluate(next, event.at, config);
    }
    case 'milestone.met':
      return closeMilestone(next, event.milestoneId, 'met', event.at);
    case 'milestone.missed':
      return closeMilestone(next, event.milestoneId, 'missed', event.at);
    case 'milestone.renewed':
      return closeMilestone(next, event.milestoneId, 'renewed', event.at);
    case 'milestone.cancelled':
      return closeMilestone(next, event.milestoneId, 'cancelled', event.at);
    case 'fact.recorded': {
      next.facts = [...next.facts, { at: event.at, eventId: event.id, fact: event.fact }];
      const withTemplates = event.fact.kind === 'transition' && event.fact.transition.endsWith('_cancelled')
        ? withdrawTransition(next, event.fact.encounterId, event.at)
        : applyTemplates(next, event.fact, event.id, event.at, config);
      const withKept = event.fact.kind === 'appointment' && event.fact.status === 'kept' ? meetByVisit(withTemplates, event.fact.start ?? event.at, event.at) : withTemplates;
      return reevaluate(withKept, event.at, config);
    }
    case 'fact.retracted': {
      next.facts = next.facts.filter((f) => f.eventId !== event.factEventId);
      let result: CaseState = next;
      for (const milestone of Object.values(next.milestones)) {
        if (milestone.triggerEventId === event.factEventId) result = closeMilestone(result, milestone.id, 'cancelled', event.at);
      }
      return reevaluate(result, event.at, config);
    }
    case 'case.closed': {
      let result: CaseState = { ...next, closedAt: event.at };
      for (const milestone of Object.values(next.milestones)) result = closeMilestone(result, milestone.id, 'cancelled', event.at);
      return result;
    }
    case 'note.signed': {
      const requirements = { ...next.requirements };
      for (const id of event.addresses) {
        const requirement = requirements[id];
        if (!requirement || requirement.status !== 'open') continue;
        requirements[id] = { ...requirement, status: 'satisfied', closedAt: event.at, satisfiedBy: event.noteId };
      }
      next.requirements = requirements;
      return next;
    }
    case 'requirement.waived':
      return setRequirement(next, event.requirementId, (r) => (r.status === 'open' ? { ...r, status: 'waived', closedAt: event.at } : r));
    case 'requirement.reopened':
      return setRequirement(next, event.requirementId, (r) => {
        if (r.status === 'open' || next.milestones[r.milestoneId]?.status !== 'scheduled') return r;
        const { closedAt: _closed, satisfiedBy: _by, ...rest } = r;
        return { ...rest, status: 'open', reopenCount: r.reopenCount + 1 };
      });
    case 'notification.delivered':
      return next;
    case 'notification.acknowledged': {
      next.acknowledged = { ...next.acknowledged, [event.notificationId]: event.at };
      const task = next.tasks[event.taskId];
      if (task && task.acknowledgedAt === undefined) next.tasks = { ...next.tasks, [task.id]: { ...task, acknowledgedAt: event.at } };
      return next;
    }
  }
}

function setRequirement(state: CaseState, id: string, update: (r: Requirement) => Requirement): CaseState {
  const requirement = state.requirements[id];
  if (!requirement) return state;
  const updated = update(requirement);
  return updated === requirement ? state : { ...state, requirements: { ...state.requirements, [id]: updated } };
}

function closeMilestone(state: CaseState, milestoneId: string, status: MilestoneState['status'], at: string): CaseState {
  const milestone = state.milestones[milestoneId];
  if (!milestone || milestone.status !== 'scheduled') return state;
  return { ...state, milestones: { ...state.milestones, [milestoneId]: { ...milestone, status, closedAt: at } } };
}

/** A cancelled admission/discharge withdraws the open milestones its encounter's transition scheduled. */
function withdrawTransition(state: CaseState, encounterId: string | undefined, at: string): CaseState {
  if (encounterId === undefined) return state;
  let result = state;
  for (const milestone of Object.values(state.milestones)) {
    if (milestone.encounterId === encounterId && milestone.status === 'scheduled') result = closeMilestone(result, milestone.id, 'cancelled', at);
  }
  return result;
}

/** A kept visit meets open access and follow-up milestones scheduled before it. */
function meetByVisit(state: CaseState, visitAt: string, at: string): CaseState {
  const visit = toMillis(visitAt);
  let result = state;
  for (const milestone of Object.values(state.milestones)) {
    if (milestone.status !== 'scheduled') continue;
    if (milestone.kind !== 'discharge_follow_up' && milestone.kind !== 'referral_first_contact' && milestone.kind !== 'engagement_check') continue;
    if (toMillis(milestone.scheduledAt) > visit) continue;
    result = closeMilestone(result, milestone.id, 'met', at);
  }
  return result;
}

function triggers(template: MilestoneTemplate, fact: Fact, state: CaseState, atMillis: number): boolean {
  const trigger = template.trigger;
  switch (trigger.kind) {
    case 'transition':
      return fact.kind === 'transition' && fact.transition === trigger.transition && trigger.settings.includes(fact.setting) && (!trigger.mentalHealthOnly || fact.mentalHealth);
    case 'referral':
      return fact.kind === 'referral' && fact.urgency === trigger.urgency;
    case 'crisis':
      return fact.kind === 'crisis';
    case 'no_show': {
      if (fact.kind !== 'appointment' || fact.status !== 'no_show') return false;
      const since = atMillis - trigger.withinDays * DAY;
      const count = state.facts.filter((f) => f.fact.kind === 'appointment' && f.fact.status === 'no_show' && toMillis(f.at) >= since).length;
      const alreadyOpen = Object.values(state.milestones).some((m) => m.templateId === template.id && m.status === 'scheduled');
      return count >= trigger.count && !alreadyOpen;
    }
  }
}

function applyTemplates(state: CaseState, fact: Fact, eventId: string, at: string, config: CoreConfig): CaseState {
  if (state.closedAt !== undefined) return state; // facts arriving after closure (e.g. old encounters) schedule nothing
  const atMillis = toMillis(at);
  let milestones = state.milestones;
  for (const pack of config.rulePacks) {
    for (const template of pack.milestoneTemplates) {
      if (!triggers(template, fact, state, atMillis)) continue;
      const id = `${template.id}:${eventId}`;
      if (milestones[id]) continue;
      const timeZone = state.patient?.timeZone ?? 'UTC';
      milestones = {
        ...milestones,
        [id]: {
          id,
          kind: template.kind,
          label: template.label,
          dueAt: toInstant(addDueAfter(atMillis, template.dueAfter, timeZone)),
          critical: template.critical,
          ...(template.policyId === undefined ? {} : { policyId: template.policyId }),
          status: 'scheduled',
          scheduledAt: at,
          templateId: template.id,
          triggerEventId: eventId,
          ...(fact.kind === 'transition' && fact.encounterId !== undefined ? { encounterId: fact.encounterId } : {}),
        },
      };
    }
  }
  return milestones === state.milestones ? state : { ...state, milestones };
}

/** Re-derives requirements of open milestones from the rule packs and the facts known at `at`. */
function reevaluate(state: CaseState, at: string, config: CoreConfig): CaseState {
  const open = Object.values(state.milestones).filter((m) => m.status === 'scheduled');
  if (open.length === 0) return state;
  const atMillis = toMillis(at);
  const profile = profileAt(state.patient, state.facts, atMillis);
  let requirements = state.requirements;
  const write = (r: Requirement) => {
    if (requirements === state.requirements) requirements = { ...requirements };
    requirements[r.id] = r;
  };
  for (const milestone of open) {
    const matched = matchRules(config.rulePacks, { kind: milestone.kind, dueAtMillis: toMillis(milestone.dueAt), payer: milestone.payer, levelOfCare: milestone.levelOfCare }, state.patient, profile);
    const applicable = new Set<string>();
    for (const { rule, text } of matched) {
      const id = `${milestone.id}:${rule.id}`;
      applicable.add(id);
      const existing = requirements[id];
      if (existing && existing.status !== 'withdrawn') {
        if (existing.status === 'open' && existing.text !== text) write({ ...existing, text });
        continue;
      }
      write({ id, milestoneId: milestone.id, ruleId: rule.id, role: rule.role, summary: rule.summary, text, reason: rule.reason, status: 'open', createdAt: at, reopenCount: existing?.reopenCount ?? 0 });
    }
    for (const requirement of Object.values(requirements)) {
      if (requirement.milestoneId !== milestone.id || requirement.status !== 'open' || applicable.has(requirement.id)) continue;
      write({ ...requirement, status: 'withdrawn', closedAt: at });
    }
  }
  return requirements === state.requirements ? state : { ...state, requirements };
}
