import { z } from 'zod';
import { IdSchema, InstantSchema, RoleSchema, TenantIdSchema, TimeZoneSchema } from './primitives.js';

/**
 * A recurring window of working (or on-call) time: an RFC 5545 RRULE body evaluated in the owner's
 * time zone, starting at a local wall-clock time and lasting `durationMinutes`.
 *
 * @example `{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '09:00', durationMinutes: 480 }`
 */
export const WorkingWindowSchema = z.object({
  rrule: z
    .string()
    .min(6)
    .max(500)
    .regex(/^(RRULE:)?FREQ=/, 'must be an RRULE body starting with FREQ='),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM'),
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});
/** A recurring working window. */
export type WorkingWindow = z.infer<typeof WorkingWindowSchema>;

/** A period when an owner is away; their work goes to `coverOwnerId` (or their supervisor) meanwhile. */
export const AbsenceSchema = z.object({
  start: InstantSchema,
  end: InstantSchema,
  coverOwnerId: IdSchema.optional(),
});
/** An owner's absence. */
export type Absence = z.infer<typeof AbsenceSchema>;

/** Notification channel names: `in_app` is built in; others are the names channels register under. */
export const ChannelNameSchema = z.string().min(1).max(64);

/** Escalation levels, in increasing urgency. */
export const LEVELS = ['notice', 'reminder', 'urgent', 'supervisor', 'critical'] as const;
/** How loudly a notification speaks. */
export const LevelSchema = z.enum(LEVELS);
/** One of {@link LEVELS}. */
export type Level = z.infer<typeof LevelSchema>;

/** Which channels an owner wants per level; levels left out use the policy's channels. */
export const ChannelPreferencesSchema = z.partialRecord(LevelSchema, z.array(ChannelNameSchema).min(1));
/** An owner's channel preferences. */
export type ChannelPreferences = z.infer<typeof ChannelPreferencesSchema>;

/** A care-team member who can be assigned work. */
export const OwnerSchema = z.object({
  tenantId: TenantIdSchema,
  id: IdSchema,
  /** Display name for worklists (not sent to low-trust channels' subjects). */
  name: z.string().max(200).optional(),
  role: RoleSchema,
  timeZone: TimeZoneSchema,
  /** Working windows; an owner with none is treated as always working. */
  workingHours: z.array(WorkingWindowSchema).max(50).default([]),
  /** On-call windows (crisis routing); only meaningful for on-call roles. */
  onCall: z.array(WorkingWindowSchema).max(50).default([]),
  absences: z.array(AbsenceSchema).max(200).default([]),
  supervisorId: IdSchema.optional(),
  channels: ChannelPreferencesSchema.default({}),
  /** Addresses per channel (email address, webhook route key…). */
  contact: z.record(z.string(), z.string().max(500)).default({}),
});
/** A care-team member. */
export type Owner = z.infer<typeof OwnerSchema>;
/** Input form of {@link Owner} (defaults not yet applied). */
export type OwnerInput = z.input<typeof OwnerSchema>;

/** A client in care. `displayToken` is what low-trust channels show instead of PHI. */
export const PatientSchema = z.object({
  tenantId: TenantIdSchema,
  id: IdSchema,
  displayToken: z.string().min(1).max(64),
  timeZone: TimeZoneSchema,
  /** Birth date `YYYY-MM-DD` (preferred) … */
  birthDate: z.iso.date().optional(),
  /** … or an age in years when the birth date is not shared. */
  age: z.number().int().min(0).max(130).optional(),
  levelOfCare: z.string().max(64).optional(),
  programs: z.array(z.string().max(64)).max(50).default([]),
  payer: z.string().max(128).optional(),
  /** Full name: PHI, kept only for phi-allowed renderings. */
  name: z.string().max(200).optional(),
});
/** A client in care. */
export type Patient = z.infer<typeof PatientSchema>;
/** Input form of {@link Patient}. */
export type PatientInput = z.input<typeof PatientSchema>;

/** One owner serving one patient in one role. */
export const CareTeamMemberSchema = z.object({
  ownerId: IdSchema,
  role: RoleSchema,
});
/** A care-team membership. */
export type CareTeamMember = z.infer<typeof CareTeamMemberSchema>;

/** Milestone kinds: the dated events a team works toward. */
export const MILESTONE_KINDS = [
  'authorization_review',
  'authorization_expiry',
  'referral_first_contact',
  'discharge_follow_up',
  'crisis_follow_up',
  'measurement_due',
  'engagement_check',
  'custom',
] as const;
/** Schema for a milestone kind. */
export const MilestoneKindSchema = z.enum(MILESTONE_KINDS);
/** One of {@link MILESTONE_KINDS}. */
export type MilestoneKind = z.infer<typeof MilestoneKindSchema>;

/** Milestone statuses. `scheduled` is the only open one. */
export const MilestoneStatusSchema = z.enum(['scheduled', 'met', 'missed', 'renewed', 'cancelled']);
/** A milestone's status. */
export type MilestoneStatus = z.infer<typeof MilestoneStatusSchema>;

/** A dated event the team works toward (an authorization review, a follow-up after discharge…). */
export const MilestoneSchema = z.object({
  id: IdSchema,
  kind: MilestoneKindSchema,
  dueAt: InstantSchema,
  /** Human label, e.g. "Aetna continued-stay review". No PHI. */
  label: z.string().max(200).optional(),
  payer: z.string().max(128).optional(),
  levelOfCare: z.string().max(64).optional(),
  /** The escalation policy to use; the configuration's default when absent. */
  policyId: IdSchema.optional(),
  /** Whether its notifications are critical (bypass working hours), e.g. crisis follow-up. */
  critical: z.boolean().default(false),
});
/** A milestone as scheduled. */
export type Milestone = z.infer<typeof MilestoneSchema>;
/** Input form of {@link Milestone}. */
export type MilestoneInput = z.input<typeof MilestoneSchema>;
