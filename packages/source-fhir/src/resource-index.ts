import type { Role } from '@carerelay/core';
import type { CodingLike } from './code-match.js';

/** What a MedicationRequest said, for comparing a later prescription with it. */
export interface MedicationSnapshot {
  medication: string;
  dose?: string;
  /** The dose as a number in `unit`, when comparable (`100` `mg`). */
  amount?: { value: number; unit: string };
}

/** What an EpisodeOfCare says about its patient's enrolment. */
export interface EpisodeSnapshot {
  /** Programs its `type` maps to. */
  programs: string[];
  /** The level of care its `type` maps to, if any. */
  levelOfCare?: string;
  /** Whether it is current (planned, waitlist, active, on hold) rather than finished or cancelled. */
  current: boolean;
  /** `period.start` as an instant, to pick the latest level of care. */
  start?: string;
}

/**
 * What earlier resources said that later ones refer to: which owner id a Practitioner has (so a CareTeam that
 * points at `Practitioner/123` and a PractitionerRole that names an NPI reach the same owner), practitioners' roles
 * and names, conditions' codes (for an Encounter's diagnoses), prescriptions (for dose changes), patients' episodes of
 * care (for their programs), Bundle `fullUrl`s.
 *
 * One index serves one tenant. Ingestion feeds it every resource before mapping it; a Bundle's entries are all
 * learnt first, so references inside a Bundle resolve whatever the entry order. It holds only ids, codes and
 * names of practitioners — no patient names or birth dates.
 */
export class FhirResourceIndex {
  /** `Practitioner/<id>` and `identifier:<system>|<value>` → owner id. */
  readonly ownerIds = new Map<string, string>();
  /** Owner id → practitioner display name. */
  readonly ownerNames = new Map<string, string>();
  /** Owner id → role learnt from a PractitionerRole. */
  readonly ownerRoles = new Map<string, Role>();
  /** `PractitionerRole/<id>` → owner id. */
  readonly practitionerRoleOwners = new Map<string, string>();
  /** `identifier:<system>|<value>` → patient id. */
  readonly patientIds = new Map<string, string>();
  /** `Condition/<id>` → codings of `Condition.code`. */
  readonly conditionCodes = new Map<string, CodingLike[]>();
  /** `MedicationRequest/<id>` → what it prescribed. */
  readonly prescriptions = new Map<string, MedicationSnapshot>();
  /** `MedicationRequest/<id>` of prescriptions a later one names as its `priorPrescription` (a dose change or switch). */
  readonly replacedPrescriptions = new Set<string>();
  /** `Medication/<id>` → name. */
  readonly medicationNames = new Map<string, string>();
  /**
   * Patient id → `EpisodeOfCare/<id>` → what that episode says. A patient's programs and level of care are derived
   * from all of their episodes seen (a patch carries the whole list), so episodes are learnt before mapping.
   */
  readonly episodes = new Map<string, Map<string, EpisodeSnapshot>>();
  /** Bundle `fullUrl` → `Type/id`. */
  readonly aliases = new Map<string, string>();

  /** Forgets Bundle aliases (they are only meaningful inside one Bundle). */
  clearAliases(): void {
    this.aliases.clear();
  }
}

/** Key of an identifier in the index maps. */
export const identifierKey = (system: string | undefined, value: string) => `identifier:${system ?? ''}|${value}`;
