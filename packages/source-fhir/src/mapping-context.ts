import { type CareEvent, CareRelayError, EventSchema, describeIssues, issuesFromZod } from '@carerelay/core';
import { eventIdFor, versionKeyOf } from './event-ids.js';
import { readFhirTime } from './fhir-time.js';
import type { MapOutcome, MappingWarning, MappingWarningCode } from './map-result.js';
import { type FhirMappingConfigInput, type ResolvedMappingConfig, toResolvedConfig } from './mapping-config.js';
import { type ReferenceLike, ownerIdFromIdentifier, parseReference } from './references.js';
import { FhirResourceIndex, identifierKey } from './resource-index.js';

/** Everything a mapping needs besides the resource: tenant, configuration, what earlier resources said, and when. */
export interface MappingContext {
  tenantId: string;
  config: ResolvedMappingConfig;
  index: FhirResourceIndex;
  /**
   * When the input was received. Used as the time of events that restate state (a patient registered, an owner
   * upserted) when the resource carries no time of its own, and — with a warning — of facts as a last resort.
   */
  receivedAt: string;
}

/** Options to build a {@link MappingContext}. */
export interface MappingContextOptions {
  tenantId: string;
  config?: ResolvedMappingConfig | FhirMappingConfigInput;
  index?: FhirResourceIndex;
  /** Defaults to the current time (the only clock read in this package's mapping path). */
  receivedAt?: string;
}

/** Builds a mapping context; validates the configuration (throws `invalid_configuration` naming bad fields). */
export function createMappingContext(options: MappingContextOptions): MappingContext {
  if (!options.tenantId) throw new CareRelayError('invalid_configuration', 'tenantId is required', { issues: [{ path: 'tenantId', message: 'required' }] });
  const receivedAt = options.receivedAt === undefined ? new Date().toISOString() : readFhirTime(options.receivedAt, 'UTC')?.instant;
  if (receivedAt === undefined) throw new CareRelayError('invalid_configuration', 'receivedAt is not an instant', { issues: [{ path: 'receivedAt', message: 'not an ISO 8601 instant' }] });
  return {
    tenantId: options.tenantId,
    config: toResolvedConfig(options.config),
    index: options.index ?? new FhirResourceIndex(),
    receivedAt,
  };
}

/** How an owner reference resolved. */
export type OwnerResolution = { ownerId: string } | { skipped: string } | { unresolved: true };

/**
 * Collects the events and warnings of mapping one resource, and turns them into a {@link MapOutcome}: every event
 * is validated with core `EventSchema`, so a mapping bug or an out-of-range value becomes a typed `invalid`
 * outcome naming the field, never an event that fails later.
 */
export class ResourceMapping {
  readonly events: unknown[] = [];
  readonly warnings: MappingWarning[] = [];
  readonly version: string;

  constructor(
    readonly ctx: MappingContext,
    readonly resourceType: string,
    readonly resourceId: string,
    readonly resource: { meta?: { versionId?: string | undefined; lastUpdated?: string | undefined } | undefined },
  ) {
    this.version = versionKeyOf(resource);
  }

  /** Records a warning. `message` must be PHI-free. */
  warn(code: MappingWarningCode, path: string, message: string, extra: { system?: string | undefined; value?: string | undefined } = {}): void {
    this.warnings.push({
      code,
      resourceType: this.resourceType,
      resourceId: this.resourceId,
      path,
      message: `${this.resourceType}/${this.resourceId}: ${message}`,
      ...(extra.system ? { system: extra.system } : {}),
      ...(extra.value ? { value: extra.value } : {}),
    });
  }

  /** An event id for a one-time fact about this resource (the same across versions). */
  factId(...key: string[]): string {
    return eventIdFor(this.ctx.tenantId, [this.resourceType, this.resourceId, ...key]);
  }

  /** An event id for a restatement of this resource's current version. */
  versionedId(...key: string[]): string {
    return eventIdFor(this.ctx.tenantId, [this.resourceType, this.resourceId, this.version, ...key]);
  }

  /** Adds an event (validated in {@link finish}). */
  emit(event: Record<string, unknown>): void {
    this.events.push({ tenantId: this.ctx.tenantId, ...event });
  }

  /** Reads a FHIR time in the patient time zone; undefined when absent. */
  time(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    return readFhirTime(value, this.ctx.config.resolved.patientTimeZone)?.instant;
  }

  /**
   * The first of `candidates` that is present; else `meta.lastUpdated`, else the receipt time — each fallback with a
   * `time_approximated` warning naming `what`.
   */
  timeOf(what: string, candidates: readonly (string | undefined)[]): string {
    const known = this.knownTimeOf(what, candidates);
    if (known !== undefined) return known;
    this.warn('time_approximated', '', `${what} time unknown; the time the resource was received is used`);
    return this.ctx.receivedAt;
  }

  /** Like {@link timeOf}, but undefined rather than the receipt time when the resource says nothing. */
  knownTimeOf(what: string, candidates: readonly (string | undefined)[]): string | undefined {
    for (const candidate of candidates) {
      const read = this.time(candidate);
      if (read !== undefined) return read;
    }
    const updated = this.time(this.resource.meta?.lastUpdated);
    if (updated !== undefined) this.warn('time_approximated', 'meta.lastUpdated', `${what} time taken from meta.lastUpdated`);
    return updated;
  }

  /** The time of a state restatement: `meta.lastUpdated`, else when received (no warning: it is not a clinical time). */
  stateTime(): string {
    return this.time(this.resource.meta?.lastUpdated) ?? this.ctx.receivedAt;
  }

  /** Resolves a patient reference to a patient id, or undefined. */
  patientId(ref: ReferenceLike | undefined): string | undefined {
    return resolvePatient(this.ctx, ref);
  }

  /** Resolves a reference to a practitioner (or practitioner role) to an owner id. Warns when it cannot. */
  owner(ref: ReferenceLike | undefined, path: string): OwnerResolution {
    const resolved = resolveOwner(this.ctx, ref);
    if ('unresolved' in resolved) this.warn('unresolved_reference', path, 'practitioner reference cannot be resolved to an owner');
    if ('guessed' in resolved) {
      this.warn('unresolved_reference', path, 'practitioner not seen before; the owner id is taken from the reference');
      return { ownerId: resolved.guessed };
    }
    return resolved;
  }

  /** Shortens free text to `max` characters, warning when it does. */
  text(value: string | undefined, max: number, path: string): string | undefined {
    const trimmed = value?.replace(/\s+/g, ' ').trim();
    if (!trimmed) return undefined;
    if (trimmed.length <= max) return trimmed;
    this.warn('text_truncated', path, `text longer than ${max} characters was shortened`);
    return `${trimmed.slice(0, max - 1)}…`;
  }

  /** Validates the collected events and returns the outcome. */
  finish(): MapOutcome {
    const events: CareEvent[] = [];
    for (let i = 0; i < this.events.length; i++) {
      const parsed = EventSchema.safeParse(this.events[i]);
      if (!parsed.success) {
        const issues = issuesFromZod(parsed.error).map((issue) => ({ ...issue, path: `events.${i}${issue.path ? `.${issue.path}` : ''}` }));
        return {
          status: 'invalid',
          resourceType: this.resourceType,
          resourceId: this.resourceId,
          error: new CareRelayError('invalid_input', `${this.resourceType}/${this.resourceId}: mapped event is invalid: ${describeIssues(issues)}`, { issues }),
        };
      }
      events.push(parsed.data);
    }
    return { status: 'mapped', resourceType: this.resourceType, resourceId: this.resourceId, events, warnings: this.warnings };
  }
}

/** Resolves a patient reference (literal, or an identifier of a Patient seen before) to a patient id, or undefined. */
export function resolvePatient(ctx: MappingContext, ref: ReferenceLike | undefined): string | undefined {
  const parsed = parseReference(ref, ctx.index.aliases);
  if (parsed.kind === 'literal') return parsed.resourceType === 'Patient' ? parsed.id : undefined;
  if (parsed.kind === 'identifier' && (parsed.resourceType === undefined || parsed.resourceType === 'Patient')) {
    return ctx.index.patientIds.get(identifierKey(parsed.system, parsed.value));
  }
  return undefined;
}

/**
 * Resolves a practitioner reference without warning: a known Practitioner's owner id; an identifier in a
 * configured owner system (`npi:…`); a PractitionerRole seen before; or, for an unseen literal Practitioner, its id
 * as a guess. Non-practitioner references (Patient, RelatedPerson, Organization) are `skipped`.
 */
export function resolveOwner(ctx: MappingContext, ref: ReferenceLike | undefined): OwnerResolution | { guessed: string } {
  const parsed = parseReference(ref, ctx.index.aliases);
  if (parsed.kind === 'literal') {
    if (parsed.resourceType === 'Practitioner') {
      const known = ctx.index.ownerIds.get(`Practitioner/${parsed.id}`);
      return known ? { ownerId: known } : { guessed: parsed.id };
    }
    if (parsed.resourceType === 'PractitionerRole') {
      const known = ctx.index.practitionerRoleOwners.get(`PractitionerRole/${parsed.id}`);
      return known ? { ownerId: known } : { unresolved: true };
    }
    return { skipped: parsed.resourceType };
  }
  if (parsed.kind === 'identifier') {
    if (parsed.resourceType !== undefined && parsed.resourceType !== 'Practitioner' && parsed.resourceType !== 'PractitionerRole') {
      return { skipped: parsed.resourceType };
    }
    const configured = ownerIdFromIdentifier(ctx.config, parsed.system, parsed.value);
    if (configured) return { ownerId: configured };
    const known = ctx.index.ownerIds.get(identifierKey(parsed.system, parsed.value));
    return known ? { ownerId: known } : { unresolved: true };
  }
  return { unresolved: true };
}
