/**
 * Default code tables. They are data, not logic: a vendor replaces or extends any of them in its mapping file.
 * @packageDocumentation
 */

/** PV1-2 patient class (HL7 table 0004) → CareRelay setting. `N` (not applicable) and `U` (unknown) are left unmapped. */
export const DEFAULT_PATIENT_CLASSES: Readonly<Record<string, string | null>> = {
  I: 'inpatient',
  E: 'emergency',
  O: 'outpatient',
  R: 'outpatient',
  B: 'inpatient',
  P: 'preadmit',
  C: 'outpatient',
};

/**
 * Diagnosis code → category, for ICD-10-CM behavioral-health codes. Keys are codes with or without the dot; a key
 * ending in `*` matches every code starting with it (`F32*` matches `F32.1` and `F321`). Exact keys beat prefixes,
 * and longer prefixes beat shorter ones.
 */
export const DEFAULT_DIAGNOSIS_CATEGORIES: Readonly<Record<string, string | null>> = {
  'F41.0': 'panic_disorder',
  'F41.1': 'generalized_anxiety_disorder',
  'F41*': 'anxiety_disorder',
  'F40*': 'anxiety_disorder',
  'F42*': 'obsessive_compulsive_disorder',
  'F43.1*': 'ptsd',
  'F32*': 'depression',
  'F33*': 'depression',
  'F34.1': 'depression',
  'F31*': 'bipolar_disorder',
  'F20*': 'psychotic_disorder',
  'F22*': 'psychotic_disorder',
  'F23*': 'psychotic_disorder',
  'F25*': 'psychotic_disorder',
  'F28*': 'psychotic_disorder',
  'F29*': 'psychotic_disorder',
  'F10*': 'substance_use_disorder',
  'F11*': 'substance_use_disorder',
  'F12*': 'substance_use_disorder',
  'F13*': 'substance_use_disorder',
  'F14*': 'substance_use_disorder',
  'F15*': 'substance_use_disorder',
  'F16*': 'substance_use_disorder',
  'F18*': 'substance_use_disorder',
  'F19*': 'substance_use_disorder',
  'F50*': 'eating_disorder',
  'F60*': 'personality_disorder',
  'F90*': 'adhd',
  'R45.851': 'suicidal_ideation',
};

/**
 * Resource role codes (AIP-4) → CareRelay role: NUCC provider taxonomy codes for behavioral-health professions
 * and SNOMED CT occupations for psychiatrist and psychologist.
 */
export const DEFAULT_ROLES: Readonly<Record<string, string | null>> = {
  '2084P0800X': 'prescriber',
  '363LP0808X': 'prescriber',
  '80584001': 'prescriber',
  '103T00000X': 'therapist',
  '59944000': 'therapist',
  '1041C0700X': 'therapist',
  '101YM0800X': 'therapist',
  '101YP2500X': 'therapist',
  '106H00000X': 'therapist',
  '171M00000X': 'case_manager',
  '175T00000X': 'peer_specialist',
};

/** PV1-10 hospital services that mark a stay as mental-health (drives the transition fact's `mentalHealth`). */
export const DEFAULT_MENTAL_HEALTH_SERVICES: readonly string[] = ['PSY', 'PSYCH', 'BH', 'BHU', 'MH', 'CDU'];

/** HL7 v2 versions the source accepts (MSH-12). */
export const DEFAULT_VERSIONS: readonly string[] = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'];

/** DG1 coding-system names → canonical system URIs. */
export const CODING_SYSTEMS: Readonly<Record<string, string>> = {
  I10: 'http://hl7.org/fhir/sid/icd-10-cm',
  I10C: 'http://hl7.org/fhir/sid/icd-10-cm',
  ICD10: 'http://hl7.org/fhir/sid/icd-10-cm',
  ICD10CM: 'http://hl7.org/fhir/sid/icd-10-cm',
  'ICD-10-CM': 'http://hl7.org/fhir/sid/icd-10-cm',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  ICD9: 'http://hl7.org/fhir/sid/icd-9-cm',
  SCT: 'http://snomed.info/sct',
  SNM: 'http://snomed.info/sct',
  SNOMED: 'http://snomed.info/sct',
};
