import { KNOWN_ROLES } from '@carerelay/core';
import { CARERELAY_SYSTEMS, SYSTEMS } from './code-systems.js';

/** A code-table row as JSON: a system, a code, and how to match it. */
interface Row {
  system: string;
  code: string;
  match?: 'exact' | 'prefix';
}

const snomed = (code: string) => ({ system: SYSTEMS.snomed, code });
const nucc = (code: string) => ({ system: SYSTEMS.nucc, code });
/** ICD-10 rows for both the CM and the WHO system URIs, matched by prefix (`F32` matches `F32.1`). */
const icd10 = (code: string): Row[] => [
  { system: SYSTEMS.icd10cm, code, match: 'prefix' },
  { system: SYSTEMS.icd10, code, match: 'prefix' },
];

/**
 * Default role codes: SNOMED CT occupations (the US Core care-team member function value set), NUCC provider
 * taxonomy (US Core `PractitionerRole.code`), HL7 `practitioner-role` and v3 `ParticipationFunction`, and
 * CareRelay's own role system. SNOMED ↔ NUCC pairs follow the Da Vinci HRex NUCC → SNOMED concept map.
 */
export const DEFAULT_ROLE_CODES = [
  // Prescribers: psychiatry, psychiatric nurse practitioners, primary-care physicians.
  { ...snomed('80584001'), role: 'prescriber' }, // Psychiatrist (occupation)
  { ...snomed('309343006'), role: 'prescriber' }, // Physician (occupation)
  { ...snomed('59058001'), role: 'prescriber' }, // General physician (occupation)
  { ...snomed('62247001'), role: 'prescriber' }, // Family medicine specialist (occupation)
  { ...snomed('453231000124104'), role: 'prescriber' }, // Primary care provider
  { ...nucc('2084P0800X'), role: 'prescriber' }, // Psychiatry
  { ...nucc('2084P0804X'), role: 'prescriber' }, // Child & Adolescent Psychiatry
  { ...nucc('2084P0802X'), role: 'prescriber' }, // Addiction Psychiatry
  { ...nucc('363LP0808X'), role: 'prescriber' }, // Nurse Practitioner, Psychiatric/Mental Health
  { ...nucc('363L00000X'), role: 'prescriber' }, // Nurse Practitioner
  { ...nucc('208D00000X'), role: 'prescriber' }, // General Practice
  { ...nucc('207Q00000X'), role: 'prescriber' }, // Family Medicine
  { ...nucc('207R00000X'), role: 'prescriber' }, // Internal Medicine
  { system: SYSTEMS.practitionerRole, code: 'doctor', role: 'prescriber' },
  { system: SYSTEMS.participationFunction, code: 'PCP', role: 'prescriber' },
  // Therapists: psychologists, counselors, clinical social workers, family therapists.
  { ...snomed('59944000'), role: 'therapist' }, // Psychologist (occupation)
  { ...snomed('224595007'), role: 'therapist' }, // Professional counselor (occupation)
  { ...snomed('224598009'), role: 'therapist' }, // Trained social worker counselor (occupation)
  { ...snomed('224596008'), role: 'therapist' }, // Marriage guidance counselor (occupation)
  { ...snomed('224583007'), role: 'therapist' }, // Behavior therapist (occupation)
  { ...nucc('103T00000X'), role: 'therapist' }, // Psychologist
  { ...nucc('103TC0700X'), role: 'therapist' }, // Psychologist, Clinical
  { ...nucc('101Y00000X'), role: 'therapist' }, // Counselor
  { ...nucc('101YM0800X'), role: 'therapist' }, // Counselor, Mental Health
  { ...nucc('101YA0400X'), role: 'therapist' }, // Counselor, Addiction
  { ...nucc('104100000X'), role: 'therapist' }, // Social Worker
  { ...nucc('1041C0700X'), role: 'therapist' }, // Social Worker, Clinical
  { ...nucc('106H00000X'), role: 'therapist' }, // Marriage & Family Therapist
  // Case management and peer support.
  { ...snomed('768832004'), role: 'case_manager' }, // Case manager (occupation)
  { ...nucc('171M00000X'), role: 'case_manager' }, // Case Manager/Care Coordinator
  { ...nucc('175T00000X'), role: 'peer_specialist' }, // Peer Specialist
  // CareRelay's own role names.
  ...KNOWN_ROLES.map((role) => ({ system: CARERELAY_SYSTEMS.role, code: role, role })),
] as const satisfies readonly (Row & { role: string })[];

/**
 * Default diagnosis categories: ICD-10 families (matched by prefix) and SNOMED CT concepts. The categories are
 * the ones the default rule pack matches on (`panic_disorder`, `depression`) plus common behavioral-health groups.
 */
export const DEFAULT_DIAGNOSIS_CODES = [
  ...icd10('F41.0').map((r) => ({ ...r, category: 'panic_disorder' })),
  ...icd10('F32').map((r) => ({ ...r, category: 'depression' })),
  ...icd10('F33').map((r) => ({ ...r, category: 'depression' })),
  ...icd10('F34.1').map((r) => ({ ...r, category: 'depression' })),
  ...icd10('F41.1').map((r) => ({ ...r, category: 'generalized_anxiety' })),
  ...icd10('F40.1').map((r) => ({ ...r, category: 'social_anxiety' })),
  ...icd10('F43.1').map((r) => ({ ...r, category: 'ptsd' })),
  ...icd10('F31').map((r) => ({ ...r, category: 'bipolar_disorder' })),
  ...icd10('F20').map((r) => ({ ...r, category: 'psychotic_disorder' })),
  ...icd10('F25').map((r) => ({ ...r, category: 'psychotic_disorder' })),
  ...icd10('F50').map((r) => ({ ...r, category: 'eating_disorder' })),
  ...['F10', 'F11', 'F12', 'F13', 'F14', 'F15', 'F16', 'F18', 'F19'].flatMap((c) => icd10(c).map((r) => ({ ...r, category: 'substance_use' }))),
  { ...snomed('371631005'), category: 'panic_disorder' }, // Panic disorder
  { ...snomed('80583007'), category: 'panic_disorder' }, // Severe anxiety (panic)
  { ...snomed('35489007'), category: 'depression' }, // Depressive disorder
  { ...snomed('370143000'), category: 'depression' }, // Major depressive disorder
  { ...snomed('36923009'), category: 'depression' }, // Major depression, single episode
  { ...snomed('66344007'), category: 'depression' }, // Recurrent major depression
  { ...snomed('78667006'), category: 'depression' }, // Dysthymia
  { ...snomed('21897009'), category: 'generalized_anxiety' }, // Generalized anxiety disorder
  { ...snomed('25501002'), category: 'social_anxiety' }, // Social phobia
  { ...snomed('47505003'), category: 'ptsd' }, // Posttraumatic stress disorder
  { ...snomed('13746004'), category: 'bipolar_disorder' }, // Bipolar disorder
  { ...snomed('58214004'), category: 'psychotic_disorder' }, // Schizophrenia
  { ...snomed('68890003'), category: 'psychotic_disorder' }, // Schizoaffective disorder
  { ...snomed('15167005'), category: 'substance_use' }, // Alcohol abuse
  { ...snomed('361055000'), category: 'substance_use' }, // Misuses drugs
  { ...snomed('10939881000119105'), category: 'substance_use' }, // Unhealthy alcohol drinking behavior
] as const satisfies readonly (Row & { category: string })[];

/** Default service codes: CPT psychotherapy and medication-management codes, SNOMED CT therapies, CareRelay names. */
export const DEFAULT_SERVICE_CODES = [
  { system: SYSTEMS.cpt, code: '90853', service: 'group_therapy' }, // Group psychotherapy
  { system: SYSTEMS.cpt, code: '90832', service: 'individual_therapy' }, // Psychotherapy, 30 min
  { system: SYSTEMS.cpt, code: '90834', service: 'individual_therapy' }, // Psychotherapy, 45 min
  { system: SYSTEMS.cpt, code: '90837', service: 'individual_therapy' }, // Psychotherapy, 60 min
  { system: SYSTEMS.cpt, code: '90846', service: 'family_therapy' }, // Family psychotherapy without patient
  { system: SYSTEMS.cpt, code: '90847', service: 'family_therapy' }, // Family psychotherapy with patient
  { system: SYSTEMS.cpt, code: '90863', service: 'medication_management' }, // Pharmacologic management
  { ...snomed('76168009'), service: 'group_therapy' }, // Group psychotherapy
  { ...snomed('75516001'), service: 'individual_therapy' }, // Psychotherapy
  ...['group_therapy', 'individual_therapy', 'family_therapy', 'medication_management', 'case_management', 'peer_support'].map((service) => ({
    system: CARERELAY_SYSTEMS.service,
    code: service,
    service,
  })),
] as const satisfies readonly (Row & { service: string })[];

/** Default mental-health codes for transitions (HEDIS FUH counts stays with a principal mental-health diagnosis). */
export const DEFAULT_MENTAL_HEALTH_CODES: readonly Row[] = [...icd10('F')];

/** The LOINC answer scores shared by PHQ-9 and GAD-7 items (answer list "Not at all" … "Nearly every day"). */
const FREQUENCY_ANSWER_SCORES = { 'LA6568-5': 0, 'LA6569-3': 1, 'LA6570-1': 2, 'LA6571-9': 3 };

/** Default standardized instruments: PHQ-9 and GAD-7, by their LOINC panel, total and item codes. */
export const DEFAULT_INSTRUMENTS = [
  {
    instrument: 'PHQ-9',
    totalCodes: ['44261-6'],
    panelCodes: ['44249-1'],
    itemCodes: ['44250-9', '44255-8', '44259-0', '44254-1', '44251-7', '44258-2', '44252-5', '44253-3', '44260-8'],
    questionnaires: ['phq-9', 'phq9', '44249-1'],
    answerScores: FREQUENCY_ANSWER_SCORES,
  },
  {
    instrument: 'GAD-7',
    totalCodes: ['70274-6'],
    panelCodes: ['69737-5'],
    itemCodes: ['69725-0', '68509-9', '69733-4', '69734-2', '69735-9', '69689-8', '69736-7'],
    questionnaires: ['gad-7', 'gad7', '69737-5'],
    answerScores: FREQUENCY_ANSWER_SCORES,
  },
];

/** Default `Encounter.class` (v3 ActCode) → CareRelay setting. Classes not listed are not transitions. */
export const DEFAULT_ENCOUNTER_SETTINGS: Record<string, string> = {
  IMP: 'inpatient',
  ACUTE: 'inpatient',
  NONAC: 'residential',
  EMER: 'emergency',
  OBSENC: 'observation',
  SS: 'observation',
};

/** Default `ServiceRequest.priority` → referral urgency (CCBHC access timelines). */
export const DEFAULT_REFERRAL_PRIORITIES: Record<string, 'routine' | 'urgent' | 'emergency'> = {
  routine: 'routine',
  urgent: 'urgent',
  asap: 'urgent',
  stat: 'emergency',
};
