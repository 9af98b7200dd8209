import { z } from 'zod';
import { IdSchema, InstantSchema } from './primitives.js';

const text = (max = 200) => z.string().min(1).max(max);

/** A medication started, changed, or stopped. Doses are free text as the EHR states them ("100 mg"). */
export const MedicationChangeFactSchema = z.object({
  kind: z.literal('medication_change'),
  medication: text(),
  change: z.enum(['start', 'increase', 'decrease', 'switch', 'stop']),
  fromDose: text(64).optional(),
  toDose: text(64).optional(),
  /** When the change took effect (defaults to the event time). */
  effectiveAt: InstantSchema.optional(),
});

/** A diagnosis, with the category rule packs match on (e.g. `panic_disorder`, `depression`). */
export const DiagnosisFactSchema = z.object({
  kind: z.literal('diagnosis'),
  category: text(64),
  code: text(64).optional(),
  system: text(200).optional(),
  display: text().optional(),
  status: z.enum(['active', 'resolved']).default('active'),
});

/** Enrollment in (or end of) a service such as `group_therapy` or `medication_management`. */
export const ServiceFactSchema = z.object({
  kind: z.literal('service'),
  service: text(64),
  status: z.enum(['enrolled', 'ended']).default('enrolled'),
});

/** A measure score such as PHQ-9 or GAD-7. */
export const MeasureScoreFactSchema = z.object({
  kind: z.literal('measure_score'),
  instrument: text(64),
  score: z.number().finite(),
});

/** An appointment's status: booked, kept (fulfilled), no-show, or cancelled. */
export const AppointmentFactSchema = z.object({
  kind: z.literal('appointment'),
  appointmentId: IdSchema,
  status: z.enum(['booked', 'kept', 'no_show', 'cancelled']),
  start: InstantSchema.optional(),
  ownerId: IdSchema.optional(),
});

/**
 * A care transition: admission to, transfer within, or discharge from an inpatient/emergency setting — or the
 * cancellation of an admission or discharge recorded in error (HL7 ADT A11/A13), which withdraws the follow-up
 * milestones the cancelled transition of the same `encounterId` scheduled.
 */
export const TransitionFactSchema = z.object({
  kind: z.literal('transition'),
  transition: z.enum(['admission', 'transfer', 'discharge', 'admission_cancelled', 'discharge_cancelled']),
  /** Setting, e.g. `inpatient`, `emergency`, `residential`, `outpatient`. */
  setting: text(64),
  /** Whether the stay was for a mental-health reason (drives HEDIS FUH follow-up). */
  mentalHealth: z.boolean().default(true),
  encounterId: IdSchema.optional(),
});

/** A crisis contact (mobile crisis, crisis line, ED visit for crisis). */
export const CrisisFactSchema = z.object({
  kind: z.literal('crisis'),
  severity: z.enum(['emergent', 'urgent']).default('urgent'),
});

/** A referral received, with its urgency (CCBHC access timelines). */
export const ReferralFactSchema = z.object({
  kind: z.literal('referral'),
  referralId: IdSchema,
  urgency: z.enum(['routine', 'urgent', 'emergency']).default('routine'),
  service: text(64).optional(),
});

/** A clinical or administrative fact about a patient, recorded from the EHR. */
export const FactSchema = z.discriminatedUnion('kind', [
  MedicationChangeFactSchema,
  DiagnosisFactSchema,
  ServiceFactSchema,
  MeasureScoreFactSchema,
  AppointmentFactSchema,
  TransitionFactSchema,
  CrisisFactSchema,
  ReferralFactSchema,
]);
/** A recorded fact. */
export type Fact = z.infer<typeof FactSchema>;
/** A fact's kind. */
export type FactKind = Fact['kind'];
/** Input form of {@link Fact}. */
export type FactInput = z.input<typeof FactSchema>;
