import { z } from 'zod';
import { isFhirDateTime } from './fhir-time.js';
import { FHIR_ID } from './references.js';

/**
 * zod schemas for the parts of FHIR R4 resources this package reads. Only the elements used are checked (unknown
 * elements pass through), so a resource is rejected only when something the mapping depends on is malformed — and
 * the error names that element. Messages never repeat the offending value.
 */

const str = z.string().max(10_000);
const dateTime = z.string().refine(isFhirDateTime, { message: 'not a FHIR date/dateTime' });

/** A Coding (system, code, display). */
export const CodingSchema = z.looseObject({ system: str.optional(), code: str.optional(), display: str.optional() });
/** A CodeableConcept. */
export const ConceptSchema = z.looseObject({ coding: z.array(CodingSchema).optional(), text: str.optional() });
/** An Identifier (system, value). */
export const IdentifierSchema = z.looseObject({ system: str.optional(), value: str.optional() });
/** A Reference: literal, logical (identifier) or display only. */
export const ReferenceSchema = z.looseObject({
  reference: str.optional(),
  identifier: IdentifierSchema.optional(),
  display: str.optional(),
  type: str.optional(),
});
/** A Period whose bounds are FHIR dates or dateTimes. */
export const PeriodSchema = z.looseObject({ start: dateTime.optional(), end: dateTime.optional() });
/** A Quantity (value, unit, code). */
export const QuantitySchema = z.looseObject({ value: z.number().finite().optional(), unit: str.optional(), code: str.optional() });
const MetaSchema = z.looseObject({ versionId: str.optional(), lastUpdated: dateTime.optional() });
const TelecomSchema = z.looseObject({ system: str.optional(), value: str.optional(), use: str.optional() });
const HumanNameSchema = z.looseObject({ text: str.optional(), family: str.optional(), given: z.array(str).optional(), use: str.optional() });

const base = <T extends string>(type: T) => ({
  resourceType: z.literal(type),
  id: z.string().regex(FHIR_ID, 'not a FHIR id'),
  meta: MetaSchema.optional(),
});

/** The Patient elements read: identifiers, active, names (only if configured), birth date, deceased. */
export const PatientResourceSchema = z.looseObject({
  ...base('Patient'),
  identifier: z.array(IdentifierSchema).optional(),
  active: z.boolean().optional(),
  name: z.array(HumanNameSchema).optional(),
  birthDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'not a FHIR date').optional(),
  deceasedBoolean: z.boolean().optional(),
  deceasedDateTime: dateTime.optional(),
});

/** The Practitioner elements read: identifiers, active, names, telecom. */
export const PractitionerResourceSchema = z.looseObject({
  ...base('Practitioner'),
  identifier: z.array(IdentifierSchema).optional(),
  active: z.boolean().optional(),
  name: z.array(HumanNameSchema).optional(),
  telecom: z.array(TelecomSchema).optional(),
});

/** The PractitionerRole elements read: practitioner, code, specialty, active, telecom. */
export const PractitionerRoleResourceSchema = z.looseObject({
  ...base('PractitionerRole'),
  active: z.boolean().optional(),
  practitioner: ReferenceSchema.optional(),
  code: z.array(ConceptSchema).optional(),
  specialty: z.array(ConceptSchema).optional(),
  telecom: z.array(TelecomSchema).optional(),
});

/** The CareTeam elements read: status, subject, period, participants. */
export const CareTeamResourceSchema = z.looseObject({
  ...base('CareTeam'),
  status: z.enum(['proposed', 'active', 'suspended', 'inactive', 'entered-in-error']).optional(),
  subject: ReferenceSchema.optional(),
  period: PeriodSchema.optional(),
  participant: z
    .array(z.looseObject({ role: z.array(ConceptSchema).optional(), member: ReferenceSchema.optional(), period: PeriodSchema.optional() }))
    .optional(),
});

/** The Coverage elements read: status, beneficiary, period, payor, order. */
export const CoverageResourceSchema = z.looseObject({
  ...base('Coverage'),
  status: z.enum(['active', 'cancelled', 'draft', 'entered-in-error']),
  beneficiary: ReferenceSchema,
  period: PeriodSchema.optional(),
  payor: z.array(ReferenceSchema).min(1),
  /** 1 for the primary coverage, 2 for the secondary, … */
  order: z.number().int().positive().optional(),
});

/** The ServiceRequest elements read: status, intent, category, priority, code, subject, authoredOn. */
export const ServiceRequestResourceSchema = z.looseObject({
  ...base('ServiceRequest'),
  status: z.enum(['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']),
  intent: z.enum(['proposal', 'plan', 'directive', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
  category: z.array(ConceptSchema).optional(),
  priority: z.enum(['routine', 'urgent', 'asap', 'stat']).optional(),
  code: ConceptSchema.optional(),
  subject: ReferenceSchema,
  authoredOn: dateTime.optional(),
});

/** The Encounter elements read: status, class, subject, period, reasons and diagnoses. */
export const EncounterResourceSchema = z.looseObject({
  ...base('Encounter'),
  status: z.enum(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']),
  class: CodingSchema,
  subject: ReferenceSchema.optional(),
  period: PeriodSchema.optional(),
  reasonCode: z.array(ConceptSchema).optional(),
  reasonReference: z.array(ReferenceSchema).optional(),
  diagnosis: z.array(z.looseObject({ condition: ReferenceSchema.optional() })).optional(),
});

/** The EpisodeOfCare elements read: status, type, patient, period, care manager. */
export const EpisodeOfCareResourceSchema = z.looseObject({
  ...base('EpisodeOfCare'),
  status: z.enum(['planned', 'waitlist', 'active', 'onhold', 'finished', 'cancelled', 'entered-in-error']),
  type: z.array(ConceptSchema).optional(),
  patient: ReferenceSchema,
  period: PeriodSchema.optional(),
  careManager: ReferenceSchema.optional(),
});

const DosageSchema = z.looseObject({
  text: str.optional(),
  timing: z.looseObject({ repeat: z.looseObject({ boundsPeriod: PeriodSchema.optional() }).optional() }).optional(),
  doseAndRate: z
    .array(z.looseObject({ doseQuantity: QuantitySchema.optional(), doseRange: z.looseObject({ low: QuantitySchema.optional(), high: QuantitySchema.optional() }).optional() }))
    .optional(),
});

/** The MedicationRequest elements read: status, intent, medication, subject, authoredOn, dosage, validity, prior prescription. */
export const MedicationRequestResourceSchema = z.looseObject({
  ...base('MedicationRequest'),
  status: z.enum(['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown']),
  intent: z.enum(['proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option']),
  medicationCodeableConcept: ConceptSchema.optional(),
  medicationReference: ReferenceSchema.optional(),
  subject: ReferenceSchema,
  authoredOn: dateTime.optional(),
  dosageInstruction: z.array(DosageSchema).optional(),
  dispenseRequest: z.looseObject({ validityPeriod: PeriodSchema.optional() }).optional(),
  priorPrescription: ReferenceSchema.optional(),
});

/** The Medication elements read: code (for names behind `medicationReference`). */
export const MedicationResourceSchema = z.looseObject({ ...base('Medication'), code: ConceptSchema.optional() });

/** The Condition elements read: statuses, code, subject, onset, abatement, recorded date. */
export const ConditionResourceSchema = z.looseObject({
  ...base('Condition'),
  clinicalStatus: ConceptSchema.optional(),
  verificationStatus: ConceptSchema.optional(),
  code: ConceptSchema.optional(),
  subject: ReferenceSchema,
  onsetDateTime: dateTime.optional(),
  onsetPeriod: PeriodSchema.optional(),
  abatementDateTime: dateTime.optional(),
  recordedDate: dateTime.optional(),
});

/** The Appointment elements read: status, service type, times, participants. */
export const AppointmentResourceSchema = z.looseObject({
  ...base('Appointment'),
  status: z.enum(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist']),
  serviceType: z.array(ConceptSchema).optional(),
  start: dateTime.optional(),
  end: dateTime.optional(),
  created: dateTime.optional(),
  participant: z.array(z.looseObject({ actor: ReferenceSchema.optional() })).min(1),
});

const ComponentSchema = z.looseObject({
  code: ConceptSchema,
  valueQuantity: QuantitySchema.optional(),
  valueInteger: z.number().int().optional(),
});

/** The Observation elements read: status, code, subject, effective time, value and components. */
export const ObservationResourceSchema = z.looseObject({
  ...base('Observation'),
  status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
  code: ConceptSchema,
  subject: ReferenceSchema.optional(),
  effectiveDateTime: dateTime.optional(),
  effectivePeriod: PeriodSchema.optional(),
  effectiveInstant: dateTime.optional(),
  issued: dateTime.optional(),
  valueQuantity: QuantitySchema.optional(),
  valueInteger: z.number().int().optional(),
  component: z.array(ComponentSchema).optional(),
});

/** A QuestionnaireResponse item (items nest). */
export interface QuestionnaireItem {
  linkId?: string | undefined;
  answer?: { valueCoding?: { system?: string | undefined; code?: string | undefined } | undefined; valueDecimal?: number | undefined; valueInteger?: number | undefined; item?: QuestionnaireItem[] | undefined; extension?: unknown }[] | undefined;
  item?: QuestionnaireItem[] | undefined;
}

const AnswerSchema = z.looseObject({
  valueCoding: CodingSchema.optional(),
  valueDecimal: z.number().finite().optional(),
  valueInteger: z.number().int().optional(),
  get item() {
    return z.array(ItemSchema).optional();
  },
});
const ItemSchema: z.ZodType<QuestionnaireItem> = z.looseObject({
  linkId: str.optional(),
  answer: z.array(AnswerSchema).optional(),
  get item() {
    return z.array(ItemSchema).optional();
  },
});

/** The QuestionnaireResponse elements read: status, questionnaire, subject, authored, items. */
export const QuestionnaireResponseResourceSchema = z.looseObject({
  ...base('QuestionnaireResponse'),
  status: z.enum(['in-progress', 'completed', 'amended', 'entered-in-error', 'stopped']),
  questionnaire: str.optional(),
  subject: ReferenceSchema.optional(),
  authored: dateTime.optional(),
  item: z.array(ItemSchema).optional(),
});

/** The resource types this package maps, with their schemas. */
export const RESOURCE_SCHEMAS = {
  Patient: PatientResourceSchema,
  Practitioner: PractitionerResourceSchema,
  PractitionerRole: PractitionerRoleResourceSchema,
  CareTeam: CareTeamResourceSchema,
  Coverage: CoverageResourceSchema,
  ServiceRequest: ServiceRequestResourceSchema,
  Encounter: EncounterResourceSchema,
  EpisodeOfCare: EpisodeOfCareResourceSchema,
  MedicationRequest: MedicationRequestResourceSchema,
  Condition: ConditionResourceSchema,
  Appointment: AppointmentResourceSchema,
  Observation: ObservationResourceSchema,
  QuestionnaireResponse: QuestionnaireResponseResourceSchema,
} as const;

/** A resource type this package maps to events. */
export type SupportedResourceType = keyof typeof RESOURCE_SCHEMAS;
/** The parsed form of a supported resource. */
export type ParsedResource<T extends SupportedResourceType> = z.infer<(typeof RESOURCE_SCHEMAS)[T]>;

/** Supported resource types, in the order a pull or a Bulk export should read them (referenced before referencing). */
export const SUPPORTED_RESOURCE_TYPES: readonly SupportedResourceType[] = [
  'Practitioner',
  'PractitionerRole',
  'Patient',
  'CareTeam',
  'EpisodeOfCare',
  'Coverage',
  'Condition',
  'Encounter',
  'MedicationRequest',
  'ServiceRequest',
  'Appointment',
  'Observation',
  'QuestionnaireResponse',
];

/** Whether a resource type is one this package maps. */
export function isSupportedResourceType(type: string): type is SupportedResourceType {
  return Object.hasOwn(RESOURCE_SCHEMAS, type);
}
