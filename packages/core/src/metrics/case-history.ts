import type { CoreConfig } from '../config.js';
import type { CareTeamMember, MilestoneKind, Patient } from '../model/entities.js';
import type { CareEventOf, CaseEvent } from '../model/events.js';
import type { Fact } from '../model/facts.js';
import { toMillis } from '../model/primitives.js';
import { reduceCase } from '../model/reduce.js';
import type { CaseState, RequirementStatus } from '../model/state.js';

/** What one requirement went through, as replayed from its case's events. */
export interface RequirementHistory {
  id: string;
  milestoneId: string;
  role: string;
  /** When it (last) opened, epoch ms. */
  openedAt: number;
  /** True when nobody on the care team filled its role when it opened (it went to a coordinator). */
  unassignedAtOpen: boolean;
  /** The first note that satisfied it, and when. */
  firstSatisfied?: { noteId: string; ownerId: string; at: number };
  /** True when the first satisfying note was not the first note its author signed for the patient after it opened. */
  missedByEarlierNote: boolean;
  reopened: boolean;
  status: RequirementStatus;
  closedAt?: number;
}

/** A milestone's lifecycle as replayed. */
export interface MilestoneHistory {
  id: string;
  kind: MilestoneKind;
  dueAt: number;
  status: 'scheduled' | 'met' | 'missed' | 'renewed' | 'cancelled';
  closedAt?: number;
  /** Id of the fact event that scheduled it from a template, when one did. */
  triggeredByEventId?: string;
}

/** A fact with the instant of its event. */
export interface TimedFact {
  at: number;
  eventId: string;
  fact: Fact;
}

/** One case replayed through the core's `reduceCase`, with the history metrics need. */
export interface CaseHistory {
  patientId: string;
  patient?: Patient;
  finalState: CaseState;
  requirements: Map<string, RequirementHistory>;
  milestones: Map<string, MilestoneHistory>;
  facts: TimedFact[];
  /** Care-team assignments with their instants. */
  assignments: Array<{ at: number; member: CareTeamMember }>;
  /** Notes in event order. */
  notes: Array<{ at: number; noteId: string; ownerId: string; addresses: readonly string[] }>;
}

/**
 * Replays one case's events (in the order given, as the engine applied them) through `reduceCase`,
 * recording each requirement's opening, first satisfaction and reopening.
 */
export function replayCase(patientId: string, events: readonly CaseEvent[], config: CoreConfig): CaseHistory {
  let state: CaseState | undefined;
  const requirements = new Map<string, RequirementHistory>();
  const facts: TimedFact[] = [];
  const assignments: CaseHistory['assignments'] = [];
  const notes: CaseHistory['notes'] = [];
  // Notes each author signed for this patient, newest last (instants), to judge "first note after opening".
  const notesByAuthor = new Map<string, number[]>();

  for (const event of events) {
    const before = state;
    state = reduceCase(state, event, config);
    const at = toMillis(event.at);
    if (event.type === 'fact.recorded') facts.push({ at, eventId: event.id, fact: event.fact });
    if (event.type === 'fact.retracted') {
      const index = facts.findIndex((f) => f.eventId === event.factEventId);
      if (index >= 0) facts.splice(index, 1);
    }
    if (event.type === 'careteam.assigned') assignments.push({ at, member: event.member });
    if (event.type === 'note.signed') recordNote(event, at, notes, notesByAuthor);
    if (event.type === 'requirement.reopened') {
      const history = requirements.get(event.requirementId);
      if (history && before?.requirements[event.requirementId]?.status !== 'open' && state.requirements[event.requirementId]?.status === 'open') {
        history.reopened = true;
      }
    }
    if (before !== undefined && state.requirements === before.requirements) continue;
    for (const requirement of Object.values(state.requirements)) {
      const previous = before?.requirements[requirement.id];
      if (previous === requirement) continue;
      let history = requirements.get(requirement.id);
      if (!history || (requirement.status === 'open' && previous?.status === 'withdrawn')) {
        history = {
          id: requirement.id,
          milestoneId: requirement.milestoneId,
          role: requirement.role,
          openedAt: toMillis(requirement.createdAt),
          unassignedAtOpen: !filled(state.careTeam, requirement.role, config),
          missedByEarlierNote: false,
          reopened: history?.reopened ?? false,
          status: requirement.status,
        };
        requirements.set(requirement.id, history);
      }
      history.status = requirement.status;
      if (requirement.closedAt === undefined) delete history.closedAt;
      else history.closedAt = toMillis(requirement.closedAt);
      if (requirement.status === 'satisfied' && previous?.status !== 'satisfied' && !history.firstSatisfied && event.type === 'note.signed') {
        history.firstSatisfied = { noteId: event.noteId, ownerId: event.ownerId, at };
        const earlier = notesByAuthor.get(event.ownerId) ?? [];
        // The note itself is the last entry; any earlier note by the same author after opening missed the item.
        history.missedByEarlierNote = earlier.slice(0, -1).some((t) => t >= history!.openedAt);
      }
    }
  }

  const finalState = state!;
  const milestones = new Map<string, MilestoneHistory>();
  for (const m of Object.values(finalState.milestones)) {
    const suffix = m.triggerEventId ?? (m.templateId === undefined ? undefined : m.id.slice(m.templateId.length + 1));
    milestones.set(m.id, {
      id: m.id,
      kind: m.kind,
      dueAt: toMillis(m.dueAt),
      status: m.status,
      ...(m.closedAt === undefined ? {} : { closedAt: toMillis(m.closedAt) }),
      ...(suffix === undefined ? {} : { triggeredByEventId: suffix }),
    });
  }
  return {
    patientId,
    ...(finalState.patient === undefined ? {} : { patient: finalState.patient }),
    finalState,
    requirements,
    milestones,
    facts,
    assignments,
    notes,
  };
}

function recordNote(event: CareEventOf<'note.signed'>, at: number, notes: CaseHistory['notes'], byAuthor: Map<string, number[]>): void {
  notes.push({ at, noteId: event.noteId, ownerId: event.ownerId, addresses: event.addresses });
  const list = byAuthor.get(event.ownerId);
  if (list) list.push(at);
  else byAuthor.set(event.ownerId, [at]);
}

/** Whether someone on the team fills `role` (on-call roles are filled by the rotation, not the team). */
function filled(team: readonly CareTeamMember[], role: string, config: CoreConfig): boolean {
  return config.onCallRoles.includes(role) || team.some((m) => m.role === role);
}
