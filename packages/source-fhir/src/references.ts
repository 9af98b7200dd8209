import { CARERELAY_SYSTEMS } from './code-systems.js';
import type { ResolvedMappingConfig } from './mapping-config.js';

/** A FHIR logical id: 1–64 letters, digits, `-` and `.`. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** A Reference as it appears in FHIR JSON. */
export interface ReferenceLike {
  reference?: string | undefined;
  identifier?: { system?: string | undefined; value?: string | undefined } | undefined;
  display?: string | undefined;
  type?: string | undefined;
}

/** What a reference points at. */
export type ParsedReference =
  | { kind: 'literal'; resourceType: string; id: string }
  | { kind: 'identifier'; resourceType?: string; system?: string; value: string }
  | { kind: 'unresolvable' };

const LITERAL = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CONDITIONAL = /^([A-Z][A-Za-z]+)\?identifier=([^&]+)$/;

/**
 * Reads a reference: a literal (`Patient/123`, an absolute URL ending in it, or a Bundle `fullUrl` alias such as
 * `urn:uuid:…` through `aliases`), a conditional reference (`Practitioner?identifier=system|value`, as Synthea's
 * Bulk exports write them) or a logical `identifier`.
 */
export function parseReference(ref: ReferenceLike | undefined, aliases?: ReadonlyMap<string, string>): ParsedReference {
  if (!ref) return { kind: 'unresolvable' };
  const raw = ref.reference?.trim();
  if (raw) {
    const aliased = aliases?.get(raw) ?? raw;
    const conditional = CONDITIONAL.exec(aliased);
    if (conditional) {
      const token = safeDecode(conditional[2]!);
      const bar = token.indexOf('|');
      const system = bar >= 0 ? token.slice(0, bar) : undefined;
      const value = bar >= 0 ? token.slice(bar + 1) : token;
      if (value) return { kind: 'identifier', resourceType: conditional[1]!, ...(system ? { system } : {}), value };
      return { kind: 'unresolvable' };
    }
    if (!aliased.startsWith('#')) {
      const literal = LITERAL.exec(aliased.split('?')[0]!);
      if (literal) return { kind: 'literal', resourceType: literal[1]!, id: literal[2]! };
    }
  }
  const value = ref.identifier?.value?.trim();
  if (value) {
    const system = ref.identifier?.system?.trim();
    return { kind: 'identifier', ...(ref.type ? { resourceType: ref.type } : {}), ...(system ? { system } : {}), value };
  }
  return { kind: 'unresolvable' };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The owner id an identifier gives under the configuration: `${prefix}:${value}` for the first configured
 * identifier system it belongs to, or undefined.
 */
export function ownerIdFromIdentifier(config: ResolvedMappingConfig, system: string | undefined, value: string): string | undefined {
  if (!system) return undefined;
  const match = config.owners.identifierSystems.find((s) => s.system === system);
  return match ? `${match.prefix}:${value}` : undefined;
}

/** A FHIR `Reference` to the person behind an owner id (the inverse of how owner ids are made). */
export function ownerReference(config: ResolvedMappingConfig, ownerId: string, display?: string): { reference?: string; identifier?: { system: string; value: string }; display?: string } {
  const colon = ownerId.indexOf(':');
  const named = display === undefined ? {} : { display };
  if (colon > 0) {
    const prefix = ownerId.slice(0, colon);
    const system = config.owners.identifierSystems.find((s) => s.prefix === prefix);
    if (system) return { identifier: { system: system.system, value: ownerId.slice(colon + 1) }, ...named };
  }
  if (FHIR_ID.test(ownerId)) return { reference: `Practitioner/${ownerId}`, ...named };
  return { identifier: { system: CARERELAY_SYSTEMS.ownerId, value: ownerId }, ...named };
}

/** A FHIR-valid id made from a CareRelay id (`task_ab12` → `task-ab12`); long ids are cut to 64 characters. */
export function toFhirId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9\-.]/g, '-');
  return cleaned.slice(0, 64) || 'x';
}
