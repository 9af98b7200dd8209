import type { CareEvent, CareRelayError } from '@carerelay/core';

/** Why a mapping produced a warning. */
export type MappingWarningCode =
  /** A code (role, diagnosis, service, program, payer) is not in the mapping tables. */
  | 'unmapped_code'
  /** A reference could not be resolved to a patient or an owner seen so far. */
  | 'unresolved_reference'
  /** A time the event needs is missing; the event was not emitted. */
  | 'time_missing'
  /** A time came from a less exact source (`meta.lastUpdated`, a date without a time). */
  | 'time_approximated'
  /** A participant that is not a practitioner (the patient, a relative, an organization) was skipped. */
  | 'participant_skipped'
  /** The resource says something the CareRelay model cannot hold yet (see the package README). */
  | 'not_modelled'
  /** An instrument was recognised but no score could be read. */
  | 'score_missing'
  /** A stated total disagrees with the sum of the item answers (the stated total is used). */
  | 'score_mismatch'
  /** A free-text value was longer than the model allows and was shortened. */
  | 'text_truncated';

/**
 * Something a mapping could not use as given. Never silent: every unmapped code or skipped part is reported.
 * `message` is PHI-free (paths, resource type and id, code systems). `value` holds the unmapped code itself, which
 * a vendor needs to extend the mapping; treat it as sensitive (it may be a diagnosis code) and do not log it.
 */
export interface MappingWarning {
  code: MappingWarningCode;
  resourceType: string;
  resourceId: string;
  /** Dotted path in the resource, e.g. `code.coding.0`. */
  path: string;
  message: string;
  system?: string;
  value?: string;
}

/** A resource that became events (possibly none, with warnings saying why). */
export interface MappedOutcome {
  status: 'mapped';
  resourceType: string;
  resourceId: string;
  /** Each event has passed `EventSchema.parse` (instants normalised, defaults applied). */
  events: CareEvent[];
  warnings: MappingWarning[];
}

/** Why a resource is not relevant to CareRelay. */
export type NotRelevantReason =
  /** CareRelay does not read this resource type (Organization, Location, Procedure, …). */
  | 'unsupported_resource_type'
  /** A supported type, but this instance carries nothing CareRelay tracks (an ambulatory encounter, a draft order). */
  | 'out_of_scope';

/** A resource CareRelay has no use for. Typed, so callers can count and audit them. */
export interface NotRelevantOutcome {
  status: 'not_relevant';
  resourceType: string;
  resourceId?: string;
  reason: NotRelevantReason;
  /** PHI-free explanation. */
  detail: string;
}

/** A resource that could not be read; `error.issues` name each bad field. */
export interface InvalidOutcome {
  status: 'invalid';
  resourceType?: string;
  resourceId?: string;
  error: CareRelayError;
}

/** The result of mapping one resource. Mapping never throws; it returns one of these. */
export type MapOutcome = MappedOutcome | NotRelevantOutcome | InvalidOutcome;
