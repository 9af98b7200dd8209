import { z } from 'zod';
import {
  AbsenceSchema,
  CareTeamMemberSchema,
  MilestoneSchema,
  OwnerSchema,
  PatientSchema,
} from './entities.js';
import { FactSchema } from './facts.js';
import { IdSchema, InstantSchema, TenantIdSchema } from './primitives.js';

const base = {
  /** Unique id of this event (idempotency key). */
  id: IdSchema,
  tenantId: TenantIdSchema,
  /** When the fact happened (not when CareRelay learned it). */
  at: InstantSchema,
};
const caseBase = { ...base, patientId: IdSchema };
const reason = z.string().max(500).optional();

/** Every event CareRelay understands, discriminated by `type`. Events are immutable facts. */
export const EventSchema = z.discriminatedUnion('type', [
  z.object({ ...caseBase, type: z.literal('patient.registered'), patient: PatientSchema }),
  z.object({ ...caseBase, type: z.literal('patient.updated'), patient: PatientSchema }),
  /** A partial update: only the fields a source knows (an ADT feed knows no programs); merged into the patient. */
  z.object({ ...caseBase, type: z.literal('patient.patched'), patch: PatientSchema.omit({ tenantId: true, id: true }).partial().extend({ programs: z.array(z.string().max(64)).max(50).optional() }) }),
  z.object({ ...base, type: z.literal('owner.upserted'), owner: OwnerSchema }),
  z.object({ ...base, type: z.literal('owner.absence'), ownerId: IdSchema, absence: AbsenceSchema }),
  z.object({ ...caseBase, type: z.literal('careteam.assigned'), member: CareTeamMemberSchema }),
  z.object({ ...caseBase, type: z.literal('careteam.unassigned'), member: CareTeamMemberSchema }),
  z.object({ ...caseBase, type: z.literal('milestone.scheduled'), milestone: MilestoneSchema }),
  z.object({ ...caseBase, type: z.literal('milestone.met'), milestoneId: IdSchema }),
  z.object({ ...caseBase, type: z.literal('milestone.missed'), milestoneId: IdSchema }),
  z.object({ ...caseBase, type: z.literal('milestone.renewed'), milestoneId: IdSchema }),
  z.object({ ...caseBase, type: z.literal('milestone.cancelled'), milestoneId: IdSchema, reason }),
  z.object({ ...caseBase, type: z.literal('fact.recorded'), fact: FactSchema }),
  /** A fact recorded in error (entered-in-error, revoked referral): forgotten, and the milestones it scheduled cancelled. */
  z.object({ ...caseBase, type: z.literal('fact.retracted'), factEventId: IdSchema, reason }),
  /** The case ends (discharged from the program, deceased, transferred out): every open milestone is cancelled. */
  z.object({ ...caseBase, type: z.literal('case.closed'), reason }),
  z.object({
    ...caseBase,
    type: z.literal('note.signed'),
    noteId: IdSchema,
    ownerId: IdSchema,
    /** Requirement ids the note addresses. */
    addresses: z.array(IdSchema).max(500),
  }),
  z.object({ ...caseBase, type: z.literal('requirement.waived'), requirementId: IdSchema, reason }),
  z.object({ ...caseBase, type: z.literal('requirement.reopened'), requirementId: IdSchema, reason }),
  z.object({ ...caseBase, type: z.literal('notification.delivered'), notificationId: IdSchema, channel: z.string().max(64) }),
  z.object({ ...caseBase, type: z.literal('notification.acknowledged'), notificationId: IdSchema, taskId: IdSchema, ownerId: IdSchema }),
]);

/** An event CareRelay understands. */
export type CareEvent = z.infer<typeof EventSchema>;
/** The input form of {@link CareEvent} (instants not yet normalised, defaults not yet applied). */
export type CareEventInput = z.input<typeof EventSchema>;
/** The `type` of an event. */
export type CareEventType = CareEvent['type'];
/** The event of one `type`. */
export type CareEventOf<T extends CareEventType> = Extract<CareEvent, { type: T }>;
/** Event types that concern the tenant's directory (owners) rather than one patient's case. */
export const DIRECTORY_EVENT_TYPES = ['owner.upserted', 'owner.absence'] as const;
/** An event about the directory (owners), not about a case. */
export type DirectoryEvent = CareEventOf<(typeof DIRECTORY_EVENT_TYPES)[number]>;
/** An event about one patient's case. */
export type CaseEvent = Exclude<CareEvent, DirectoryEvent>;

/** Returns true when the event belongs to a patient's case (it has a `patientId`). */
export function isCaseEvent(event: CareEvent): event is CaseEvent {
  return 'patientId' in event;
}
