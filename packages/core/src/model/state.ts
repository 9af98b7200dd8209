import type { EscalationPolicy } from '../escalation/policy.js';
import type { CareTeamMember, Level, Milestone, MilestoneStatus, Owner, Patient } from './entities.js';
import type { Fact } from './facts.js';
import type { Instant, Role } from './primitives.js';

/** Requirement statuses: open work, done by a note, waived by a person, or withdrawn because its facts no longer hold. */
export type RequirementStatus = 'open' | 'satisfied' | 'waived' | 'withdrawn';

/** One specific thing one role must document or do before a milestone. */
export interface Requirement {
  /** `${milestoneId}:${ruleId}` — stable across re-evaluation. */
  id: string;
  milestoneId: string;
  ruleId: string;
  role: Role;
  /** PHI-free label for low-trust channels. */
  summary: string;
  /** What the note must address, with facts filled in (may hold PHI such as a medication). */
  text: string;
  /** Why it is needed. */
  reason: string;
  status: RequirementStatus;
  createdAt: Instant;
  closedAt?: Instant;
  /** The note that satisfied it. */
  satisfiedBy?: string;
  /** How many times it was reopened (rework); 0 means first-time-right so far. */
  reopenCount: number;
}

/** A milestone with its lifecycle. */
export interface MilestoneState extends Milestone {
  status: MilestoneStatus;
  scheduledAt: Instant;
  closedAt?: Instant;
  /** The template that scheduled it, when a fact did. */
  templateId?: string;
  /** The encounter whose transition scheduled it (so cancelling that transition withdraws it). */
  encounterId?: string;
  /** The event whose fact scheduled it (so retracting that fact withdraws it). */
  triggerEventId?: string;
}

/** A fact as recorded, with when and by which event. */
export interface RecordedFact {
  at: Instant;
  eventId: string;
  fact: Fact;
}

/** The escalation state of one owner's task for one milestone. The policy is snapshot when it opens. */
export interface TaskState {
  /** Deterministic: derived from milestone and owner. */
  id: string;
  milestoneId: string;
  ownerId: string;
  role: Role;
  /** When its first requirement existed (from event time, never from the planning clock). */
  openedAt: Instant;
  /** Snapshot of the policy at opening: later edits do not rewrite in-flight escalations. */
  policy: EscalationPolicy;
  /** Index of the last step that fired (−1 before any). */
  firedStep: number;
  /** When that step fired (scheduled delivery instant). */
  firedAt?: Instant;
  /** Repeats of a critical step so far. */
  repeats: number;
  /** Highest level delivered so far. */
  lastLevel?: Level;
  acknowledgedAt?: Instant;
  closedAt?: Instant;
}

/** One patient's case: everything planning needs for that patient, and nothing about others. */
export interface CaseState {
  tenantId: string;
  patientId: string;
  patient?: Patient;
  careTeam: CareTeamMember[];
  facts: RecordedFact[];
  milestones: Record<string, MilestoneState>;
  requirements: Record<string, Requirement>;
  tasks: Record<string, TaskState>;
  /** Notification ids acknowledged, with when. */
  acknowledged: Record<string, Instant>;
  /** Number of events applied. */
  version: number;
  /** Set by `case.closed`: facts no longer schedule milestones (an explicit `milestone.scheduled` reopens the case). */
  closedAt?: Instant;
}

/** The tenant's directory of owners (shared by all cases). */
export interface Directory {
  tenantId: string;
  owners: Record<string, Owner>;
}

/** The whole coordination state of a tenant. */
export interface CoordinationState {
  tenantId: string;
  directory: Directory;
  cases: Record<string, CaseState>;
}

/** An empty state for a tenant. */
export function emptyState(tenantId: string): CoordinationState {
  return { tenantId, directory: emptyDirectory(tenantId), cases: {} };
}

/** An empty directory for a tenant. */
export function emptyDirectory(tenantId: string): Directory {
  return { tenantId, owners: {} };
}

/** An empty case for a patient. */
export function emptyCase(tenantId: string, patientId: string): CaseState {
  return {
    tenantId,
    patientId,
    careTeam: [],
    facts: [],
    milestones: {},
    requirements: {},
    tasks: {},
    acknowledged: {},
    version: 0,
  };
}
