import { readFile } from 'node:fs/promises';
import { CareRelayError, IdSchema, parseWith, RoleSchema, TimeZoneSchema, type Result } from '@carerelay/core';
import { z } from 'zod';
import {
  DEFAULT_DIAGNOSIS_CATEGORIES,
  DEFAULT_MENTAL_HEALTH_SERVICES,
  DEFAULT_PATIENT_CLASSES,
  DEFAULT_ROLES,
  DEFAULT_VERSIONS,
} from './default-mappings.js';

const code = z.string().trim().min(1).max(64);
/** A vendor code table: code → CareRelay value, or `null` for "known, deliberately ignored" (no warning). */
export const CodeMapSchema = z.record(code, z.string().trim().min(1).max(64).nullable());
/** A vendor code table. */
export type CodeMap = z.infer<typeof CodeMapSchema>;

/**
 * How one vendor's HL7 v2 feed maps onto CareRelay. Every field is optional; defaults suit a US behavioral-health
 * clinic. The code tables (`patientClasses`, `diagnosisCategories`, `roles`) are merged over the built-in defaults
 * unless `useDefaultCodes` is false. A code that no table maps produces a warning, never a silent drop.
 */
export const Hl7MappingConfigSchema = z
  .object({
    /** Zone of patients, and of sender timestamps that carry no offset. */
    timeZone: TimeZoneSchema.default('UTC'),
    /** Per sending facility (MSH-4.1): the zone its timestamps without offset are in, and its patients' zone. */
    facilityTimeZones: z.record(code, TimeZoneSchema).default({}),
    /** MSH-12 versions accepted; others are answered `AR`. */
    supportedVersions: z.array(z.string().min(1).max(16)).min(1).default([...DEFAULT_VERSIONS]),
    /** Which PID-3 identifier is the patient id. */
    patientIdentifier: z
      .object({
        /** CX.5 identifier type to pick (`MR`); the first identifier is used, with a warning, when none has it. */
        typeCode: code.default('MR'),
        /** CX.4 assigning authority to require, when several MRN namespaces share a feed. */
        assigningAuthority: code.optional(),
        /** Prepended to the identifier to form the CareRelay patient id (e.g. `ehr1:`). */
        prefix: z.string().max(64).default(''),
      })
      .default({ typeCode: 'MR', prefix: '' }),
    /** How the display token (what low-trust channels show) is built. Never from name or birth date. */
    displayToken: z
      .object({
        prefix: z.string().max(16).default('P'),
        /** Digits of the tenant+patient-id hash shown, e.g. 4 → `P·4821`. */
        digits: z.number().int().min(3).max(8).default(4),
        /** Prefix the hash with the patient's initials (`J.D. ·4821`). Off by default: initials are PHI-adjacent. */
        initials: z.boolean().default(false),
      })
      .default({ prefix: 'P', digits: 4, initials: false }),
    /** Which PHI fields the patient record carries. Birth date drives age-based rules; names are off by default. */
    patientFields: z.object({ birthDate: z.boolean().default(true), name: z.boolean().default(false) }).default({ birthDate: true, name: false }),
    /** Merge the code tables below over the built-in defaults (true) or use them alone (false). */
    useDefaultCodes: z.boolean().default(true),
    /** PV1-2 patient class → setting (`inpatient`, `emergency`, `outpatient`, `residential`…). */
    patientClasses: CodeMapSchema.default({}),
    /** Diagnosis code (DG1-3.1) → category; `F32*` keys match prefixes; dots are ignored. */
    diagnosisCategories: CodeMapSchema.default({}),
    /** Resource role (AIP-4.1) → CareRelay role. */
    roles: CodeMapSchema.default({}),
    /** Payer codes (IN1-3.1 company id, IN1-2.1 plan id, or IN1-4 company name) → payer, as rule packs name it. */
    payers: CodeMapSchema.default({}),
    /** Appointment service codes (AIS-3.1, SCH-8.1, SCH-7.1) → service (e.g. `GRP` → `group_therapy`). Unset: not read. */
    services: CodeMapSchema.optional(),
    /** Hospital service (PV1-10) → program the patient is in. Unset: not read. */
    programs: CodeMapSchema.optional(),
    /** What makes a transition a mental-health stay (drives HEDIS FUH follow-up). */
    mentalHealth: z
      .object({
        /** Diagnosis categories that count; unset means every category the diagnosis table maps to. */
        categories: z.array(code).optional(),
        /** PV1-10 hospital services that count. */
        hospitalServices: z.array(code).default([...DEFAULT_MENTAL_HEALTH_SERVICES]),
        /** Value when neither a diagnosis nor the hospital service says. */
        otherwise: z.boolean().default(false),
      })
      .default({ hospitalServices: [...DEFAULT_MENTAL_HEALTH_SERVICES], otherwise: false }),
    /** Settings for which an A04 (registration) is also an admission transition (an ED registration is a visit). */
    registrationAdmitsTo: z.array(code).default(['emergency']),
    /** Prepended to AIP-3.1 to form owner ids. */
    ownerIdPrefix: z.string().max(64).default(''),
    /** Emit `careteam.assigned` for appointment personnel whose role (AIP-4) maps to a role. */
    assignCareTeamFromAppointments: z.boolean().default(false),
  })
  .transform((config) => {
    if (!config.useDefaultCodes) return config;
    return {
      ...config,
      patientClasses: { ...DEFAULT_PATIENT_CLASSES, ...config.patientClasses },
      diagnosisCategories: { ...DEFAULT_DIAGNOSIS_CATEGORIES, ...config.diagnosisCategories },
      roles: { ...DEFAULT_ROLES, ...config.roles },
    };
  })
  .superRefine((config, ctx) => {
    for (const [key, role] of Object.entries(config.roles)) {
      if (role !== null && !RoleSchema.safeParse(role).success) ctx.addIssue({ code: 'custom', path: ['roles', key], message: 'not a role' });
    }
    if (config.patientIdentifier.prefix !== '' && !IdSchema.safeParse(config.patientIdentifier.prefix).success) {
      ctx.addIssue({ code: 'custom', path: ['patientIdentifier', 'prefix'], message: 'not usable in an id' });
    }
  });

/** A validated mapping configuration with defaults applied and default code tables merged in. */
export type Hl7MappingConfig = z.infer<typeof Hl7MappingConfigSchema>;
/** What a vendor writes: every field optional. */
export type Hl7MappingConfigInput = z.input<typeof Hl7MappingConfigSchema>;

/** Validates a mapping configuration; the error (code `invalid_configuration`) names every bad field. */
export function parseHl7MappingConfig(input: Hl7MappingConfigInput | unknown = {}): Result<Hl7MappingConfig> {
  return parseWith(Hl7MappingConfigSchema, input ?? {}, 'HL7 v2 mapping configuration', 'invalid_configuration');
}

/** Validates a mapping configuration and throws a `CareRelayError` (code `invalid_configuration`) when it is bad. */
export function createHl7MappingConfig(input: Hl7MappingConfigInput = {}): Hl7MappingConfig {
  const parsed = parseHl7MappingConfig(input);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** Reads and validates a JSON mapping file. Unreadable files and bad JSON give `invalid_configuration` too. */
export async function loadHl7MappingFile(path: string): Promise<Result<Hl7MappingConfig>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    return { ok: false, error: new CareRelayError('invalid_configuration', 'HL7 v2 mapping file could not be read', { cause }) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return { ok: false, error: new CareRelayError('invalid_configuration', 'HL7 v2 mapping file is not valid JSON', { cause }) };
  }
  return parseHl7MappingConfig(json);
}
