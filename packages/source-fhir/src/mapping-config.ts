import { CareTeamMemberSchema, IdSchema, type Result, RoleSchema, TimeZoneSchema, parseWith } from '@carerelay/core';
import { z } from 'zod';
import { SYSTEMS } from './code-systems.js';
import {
  DEFAULT_DIAGNOSIS_CODES,
  DEFAULT_ENCOUNTER_SETTINGS,
  DEFAULT_INSTRUMENTS,
  DEFAULT_MENTAL_HEALTH_CODES,
  DEFAULT_REFERRAL_PRIORITIES,
  DEFAULT_ROLE_CODES,
  DEFAULT_SERVICE_CODES,
} from './default-codes.js';

/** Which codings a row matches: a system and a code, exactly or as a prefix (ICD-10 families; dots ignored). */
export const CodeMatchSchema = z.object({
  system: z.string().min(1).max(500),
  code: z.string().min(1).max(200),
  match: z.enum(['exact', 'prefix']).default('exact'),
});
/** A code-table row. */
export type CodeMatch = z.infer<typeof CodeMatchSchema>;

/** A role code: `PractitionerRole.code`, `CareTeam.participant.role` → CareRelay role. */
export const RoleCodeSchema = CodeMatchSchema.extend({ role: RoleSchema });
/** A diagnosis code → category (e.g. ICD-10 `F41.0` → `panic_disorder`). */
export const DiagnosisCodeSchema = CodeMatchSchema.extend({ category: z.string().min(1).max(64) });
/** A service code → service (e.g. CPT `90853` → `group_therapy`). */
export const ServiceCodeSchema = CodeMatchSchema.extend({ service: z.string().min(1).max(64) });
/** A program code (`EpisodeOfCare.type`) → program (the patient's `programs`, which `program` rule conditions read). */
export const ProgramCodeSchema = CodeMatchSchema.extend({ program: z.string().min(1).max(64) });
/** A level-of-care code (`EpisodeOfCare.type`) → level of care (the patient's `levelOfCare`, which rule sets may select on). */
export const LevelOfCareCodeSchema = CodeMatchSchema.extend({ levelOfCare: z.string().min(1).max(64) });

/** How a payer is recognised on `Coverage.payor`: by reference, identifier or name (case-insensitive). */
export const PayerSchema = z
  .object({
    payer: z.string().min(1).max(128),
    reference: z.string().min(1).max(500).optional(),
    identifier: z.object({ system: z.string().min(1).max(500), value: z.string().min(1).max(200) }).optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .refine((p) => p.reference !== undefined || p.identifier !== undefined || p.name !== undefined, {
    message: 'a payer needs a reference, an identifier or a name to match',
  });
/** A payer mapping. */
export type PayerMapping = z.infer<typeof PayerSchema>;

/** A standardized instrument (PHQ-9, GAD-7): how to find its total score in Observations and QuestionnaireResponses. */
export const InstrumentSchema = z.object({
  instrument: z.string().min(1).max(64),
  /** LOINC codes of the total score (`Observation.code`, or a QuestionnaireResponse item's linkId ending in it). */
  totalCodes: z.array(z.string().min(1).max(64)).min(1),
  /** LOINC codes of the panel (`Observation.code` whose component or value holds the total). */
  panelCodes: z.array(z.string().min(1).max(64)).default([]),
  /** LOINC codes of the scored items: summed when no total is given. */
  itemCodes: z.array(z.string().min(1).max(64)).default([]),
  /** Case-insensitive fragments of `QuestionnaireResponse.questionnaire` that identify the instrument. */
  questionnaires: z.array(z.string().min(1).max(200)).default([]),
  /** Score of each answer code (LOINC LA codes). */
  answerScores: z.record(z.string(), z.number().finite()).default({}),
});
/** An instrument definition. */
export type Instrument = z.infer<typeof InstrumentSchema>;

const OwnerIdentifierSchema = z.object({
  system: z.string().min(1).max(500),
  /** Owner ids from this system read `${prefix}:${value}` (a colon never occurs in a FHIR id, so they never collide). */
  prefix: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be lowercase letters, digits or dashes'),
});

/**
 * Mapping configuration: the vendor's codes for roles, services, payers, programs, levels of care and diagnosis categories, and how
 * FHIR resources become CareRelay events. Every table is checked before the built-in defaults (which sensible
 * SNOMED CT / NUCC / HL7 / ICD-10 / CPT / LOINC codes fill); set `useDefaultCodes: false` to use only yours.
 */
export const FhirMappingConfigSchema = z.object({
  /** Time zone for patients and owners (unless set below) and for date-only FHIR values. */
  timeZone: TimeZoneSchema.default('UTC'),
  useDefaultCodes: z.boolean().default(true),
  patients: z
    .object({
      timeZone: TimeZoneSchema.optional(),
      /** Display tokens come from non-PHI parts only: a hash of tenant, salt and resource id, as `${prefix}${separator}${digits}`. */
      displayToken: z
        .object({
          prefix: z.string().max(8).default('P'),
          separator: z.string().max(3).default('·'),
          digits: z.number().int().min(3).max(12).default(4),
          salt: z.string().max(200).default(''),
        })
        .prefault({}),
      /** Copy the birth date (rules match on age). */
      birthDate: z.boolean().default(true),
      /** Copy the name (PHI; only phi-allowed renderings show it). Off by default. */
      name: z.boolean().default(false),
      /** Care-team members every patient gets when registered (e.g. a clinic-wide case manager). */
      defaultCareTeam: z.array(CareTeamMemberSchema).max(50).default([]),
    })
    .prefault({}),
  owners: z
    .object({
      timeZone: TimeZoneSchema.optional(),
      /** Time zone per owner id. */
      timeZones: z.record(IdSchema, TimeZoneSchema).default({}),
      /** Identifier systems that name an owner, in order of preference. Owners without one use the Practitioner id. */
      identifierSystems: z.array(OwnerIdentifierSchema).max(20).default([{ system: SYSTEMS.npi, prefix: 'npi' }]),
      /** Copy the practitioner's name for worklists. */
      name: z.boolean().default(true),
      /** Copy a work email from `telecom` into `contact.email`. */
      email: z.boolean().default(true),
      /** Role of an owner whose role code is unmapped or unknown (a warning says so). */
      fallbackRole: RoleSchema.default('staff'),
    })
    .prefault({}),
  roles: z.array(RoleCodeSchema).max(2000).default([]),
  diagnoses: z.array(DiagnosisCodeSchema).max(5000).default([]),
  services: z.array(ServiceCodeSchema).max(2000).default([]),
  programs: z.array(ProgramCodeSchema).max(2000).default([]),
  levelsOfCare: z.array(LevelOfCareCodeSchema).max(2000).default([]),
  payers: z.array(PayerSchema).max(2000).default([]),
  instruments: z.array(InstrumentSchema).max(100).default([]),
  /** Whether an unmapped `Condition.code` produces a warning (it always produces no diagnosis fact). */
  warnOnUnmappedDiagnoses: z.boolean().default(true),
  transitions: z
    .object({
      /** `Encounter.class.code` → setting. Classes not listed are not transitions. */
      settings: z.record(z.string(), z.string().min(1).max(64)).default(DEFAULT_ENCOUNTER_SETTINGS),
      /**
       * `by_code`: mental-health when a reason or diagnosis code is in `mentalHealthCodes` or maps to a diagnosis
       * category; `always` / `never`: every stay is (not) mental-health (for feeds that carry only one kind).
       */
      mentalHealth: z.enum(['by_code', 'always', 'never']).default('by_code'),
      /** With `by_code`: whether a stay with no reason or diagnosis code at all counts as mental-health. */
      uncodedIsMentalHealth: z.boolean().default(true),
      mentalHealthCodes: z.array(CodeMatchSchema).max(2000).default([]),
    })
    .prefault({}),
  authorizations: z
    .object({
      /** Schedule an `authorization_review` this many calendar days before the period end (null: none). */
      reviewDaysBefore: z.number().int().min(0).max(365).nullable().default(7),
      /** Schedule an `authorization_expiry` at the period end. */
      expiry: z.boolean().default(true),
    })
    .prefault({}),
  referrals: z
    .object({
      /** When non-empty, only ServiceRequests with one of these categories are referrals; otherwise all are. */
      categories: z.array(CodeMatchSchema).max(200).default([]),
      priorities: z.record(z.string(), z.enum(['routine', 'urgent', 'emergency'])).default(DEFAULT_REFERRAL_PRIORITIES),
    })
    .prefault({}),
  episodes: z
    .object({
      /** Role of `EpisodeOfCare.careManager` on the care team. */
      careManagerRole: RoleSchema.default('case_manager'),
    })
    .prefault({}),
  medications: z
    .object({
      /** Move a strength in the medication name ("sertraline 50 MG Oral Tablet") into the dose, so dose changes compare. */
      strengthFromName: z.boolean().default(true),
    })
    .prefault({}),
});
/** Validated mapping configuration (defaults applied; tables not yet merged with defaults). */
export type FhirMappingConfig = z.infer<typeof FhirMappingConfigSchema>;
/** Input form of {@link FhirMappingConfig}: every field optional. */
export type FhirMappingConfigInput = z.input<typeof FhirMappingConfigSchema>;

/** A configuration with its code tables merged (vendor rows first, then defaults). */
export interface ResolvedMappingConfig extends FhirMappingConfig {
  readonly resolved: {
    roles: readonly z.infer<typeof RoleCodeSchema>[];
    diagnoses: readonly z.infer<typeof DiagnosisCodeSchema>[];
    services: readonly z.infer<typeof ServiceCodeSchema>[];
    programs: readonly z.infer<typeof ProgramCodeSchema>[];
    levelsOfCare: readonly z.infer<typeof LevelOfCareCodeSchema>[];
    instruments: readonly Instrument[];
    mentalHealthCodes: readonly CodeMatch[];
    patientTimeZone: string;
    ownerTimeZone: string;
  };
}

/** Validates a mapping configuration; the error (code `invalid_configuration`) names every bad field. */
export function parseFhirMappingConfig(input: unknown = {}): Result<ResolvedMappingConfig> {
  const parsed = parseWith(FhirMappingConfigSchema, input, 'FHIR mapping configuration', 'invalid_configuration');
  if (!parsed.ok) return parsed;
  return { ok: true, value: resolveTables(parsed.value) };
}

/** Validates a mapping configuration and throws a `CareRelayError` naming every bad field. */
export function createFhirMappingConfig(input: FhirMappingConfigInput = {}): ResolvedMappingConfig {
  const parsed = parseFhirMappingConfig(input);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function resolveTables(config: FhirMappingConfig): ResolvedMappingConfig {
  const withDefaults = <T>(own: readonly T[], defaults: readonly unknown[], schema: z.ZodType<T>): T[] =>
    config.useDefaultCodes ? [...own, ...defaults.map((row) => schema.parse(row))] : [...own];
  return {
    ...config,
    resolved: {
      roles: withDefaults(config.roles, DEFAULT_ROLE_CODES, RoleCodeSchema),
      diagnoses: withDefaults(config.diagnoses, DEFAULT_DIAGNOSIS_CODES, DiagnosisCodeSchema),
      services: withDefaults(config.services, DEFAULT_SERVICE_CODES, ServiceCodeSchema),
      programs: withDefaults(config.programs, [], ProgramCodeSchema),
      levelsOfCare: withDefaults(config.levelsOfCare, [], LevelOfCareCodeSchema),
      instruments: withDefaults(config.instruments, DEFAULT_INSTRUMENTS, InstrumentSchema),
      mentalHealthCodes: withDefaults(config.transitions.mentalHealthCodes, DEFAULT_MENTAL_HEALTH_CODES, CodeMatchSchema),
      patientTimeZone: config.patients.timeZone ?? config.timeZone,
      ownerTimeZone: config.owners.timeZone ?? config.timeZone,
    },
  };
}

/** Accepts a resolved configuration as is, or validates an input form. */
export function toResolvedConfig(config: ResolvedMappingConfig | FhirMappingConfigInput | undefined): ResolvedMappingConfig {
  if (config && 'resolved' in config) return config as ResolvedMappingConfig;
  return createFhirMappingConfig((config ?? {}) as FhirMappingConfigInput);
}
