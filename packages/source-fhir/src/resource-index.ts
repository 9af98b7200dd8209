import type { Role } from '@carerelay/core';
import type { CodingLike } from './code-match.js';

/** What a MedicationRequest said, for comparing a later prescription with it. */
export interface MedicationSnapshot {
  medication: string;
  dose?: string;
  /** The dose as a number in `unit`, when comparable (`100` `mg`). */
  amount?: { value: number; unit: string };
}

/**
 * What earlier resources said that later ones refer to: which owner id a Practitioner has (so a CareTeam that
 * points at `Practitioner/123` and a PractitionerRole that names an NPI reach the same owner), practitioners' roles
 * and names, conditions' codes (for an Encounter's diagnoses), prescriptions (for dose changes), Bundle `fullUrl`s.
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
  /** Bundle `fullUrl` → `Type/id`. */
  readonly aliases = new Map<string, string>();

  /** Forgets Bundle aliases (they are only meaningful inside one Bundle). */
  clearAliases(): void {
    this.aliases.clear();
  }
}

/** Key of an identifier in the index maps. */
export const identifierKey = (system: string | undefined, value: string) => `identifier:${system ?? ''}|${value}`;
