import type { Level, MilestoneKind } from './entities.js';
import type { Instant, Role } from './primitives.js';

/** One item a notification names: a requirement the recipient owns (or, for a supervisor, an overdue one). */
export interface NotificationItem {
  requirementId: string;
  /** Who owns the item (for a supervisor escalation, the person escalated about). */
  ownerId: string;
  /** PHI-free label, safe for low-trust channels. */
  summary: string;
  /** Full text with facts filled in; may hold PHI (a medication). Only phi-allowed channels show it. */
  text: string;
  reason: string;
  deadline: Instant;
  milestoneId: string;
  milestoneKind: MilestoneKind;
  milestoneLabel?: string;
}

/**
 * One message to one recipient at one instant. `id` is deterministic: the same task, step, recipient and
 * repeat always give the same id, so enqueueing is idempotent across re-plans, restarts and workers.
 */
export interface Notification {
  id: string;
  tenantId: string;
  patientId: string;
  /** The patient's display token, used wherever PHI must not appear. */
  displayToken: string;
  recipientId: string;
  level: Level;
  /** Critical notifications bypass working hours and repeat until acknowledged. */
  critical: boolean;
  /** When to deliver: inside the recipient's working hours unless critical. */
  deliverAt: Instant;
  taskId: string;
  stepId: string;
  /** 0 for the first message of a step, n for its n-th repeat. */
  repeat: number;
  milestoneId: string;
  milestoneKind: MilestoneKind;
  deadline: Instant;
  /** Channels to use, from the recipient's preferences or the policy step. */
  channels: string[];
  items: NotificationItem[];
  /** For a supervisor escalation: whose overdue work it names. */
  escalatedOwnerId?: string;
  /** `phi` when items' `text` may hold PHI; renderers for low-trust channels use `summary` and `displayToken`. */
  phiClass: 'phi' | 'phi-free';
}

/** A task as a person sees it: the requirements one owner holds for one milestone. */
export interface TaskView {
  id: string;
  tenantId: string;
  patientId: string;
  displayToken: string;
  milestoneId: string;
  milestoneKind: MilestoneKind;
  milestoneLabel?: string;
  ownerId: string;
  role: Role;
  status: 'open' | 'completed' | 'cancelled';
  deadline: Instant;
  openedAt: Instant;
  requirementIds: string[];
  openRequirementIds: string[];
  /** True when routed to a coordinator because nobody on the team fills the role. */
  unassigned: boolean;
  /** True when the deadline has passed with items open. */
  overdue: boolean;
  lastLevel?: Level;
  policyId: string;
}

/** One item a clinician's next note must address, with why and by when. */
export interface GuidanceItem {
  requirementId: string;
  text: string;
  summary: string;
  reason: string;
  deadline: Instant;
  milestoneId: string;
  milestoneKind: MilestoneKind;
  milestoneLabel?: string;
  role: Role;
  /** True when this owner holds it only because nobody fills the role (or covers an absence). */
  unassigned: boolean;
  coveringFor?: string;
}
