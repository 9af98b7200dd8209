import type { Role } from '@carerelay/core';
import { type LocatedCoding, codingsOf, findCode } from '../code-match.js';
import type { ResolvedMappingConfig } from '../mapping-config.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';

/** The owner id of a Practitioner: its first identifier in a configured owner system (`npi:…`), else its id. */
export function ownerIdOfPractitioner(config: ResolvedMappingConfig, practitioner: ParsedResource<'Practitioner'>): string {
  for (const system of config.owners.identifierSystems) {
    const identifier = practitioner.identifier?.find((i) => i.system === system.system && i.value);
    if (identifier?.value) return `${system.prefix}:${identifier.value.trim()}`;
  }
  return practitioner.id;
}

/** A practitioner's display name ("Dr Ronald Bone"). Practitioner names are not patient PHI. */
export function practitionerName(practitioner: ParsedResource<'Practitioner'>): string | undefined {
  const name = practitioner.name?.find((n) => n.use === 'official' || n.use === 'usual') ?? practitioner.name?.[0];
  if (!name) return undefined;
  const text = name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
  return text.trim() || undefined;
}

/** The role a set of codings maps to under the configuration, or undefined. */
export function roleOf(config: ResolvedMappingConfig, codings: readonly LocatedCoding[]): { role: Role; found: LocatedCoding } | undefined {
  const hit = findCode(config.resolved.roles, codings);
  return hit ? { role: hit.row.role, found: hit.found } : undefined;
}

/** Warns about the first coding of an unmapped role concept (or its absence). */
export function warnUnmappedRole(m: ResourceMapping, codings: readonly LocatedCoding[], path: string): void {
  const first = codings[0];
  if (first) m.warn('unmapped_code', first.path, `role code has no CareRelay role; using "${m.ctx.config.owners.fallbackRole}"`, { system: first.coding.system, value: first.coding.code });
  else m.warn('unmapped_code', path, `no role code; using "${m.ctx.config.owners.fallbackRole}"`);
}

function emailOf(telecom: readonly { system?: string | undefined; value?: string | undefined; use?: string | undefined }[] | undefined): string | undefined {
  const emails = (telecom ?? []).filter((t) => t.system === 'email' && t.value && /^[^\s@]+@[^\s@]+$/.test(t.value));
  const chosen = emails.find((t) => t.use === 'work') ?? emails[0];
  return chosen?.value && chosen.value.length <= 500 ? chosen.value : undefined;
}

function ownerTimeZone(config: ResolvedMappingConfig, ownerId: string): string {
  return config.owners.timeZones[ownerId] ?? config.resolved.ownerTimeZone;
}

/**
 * Practitioner → `owner.upserted`. Practitioner carries no role: the role learnt from a PractitionerRole is used
 * when one was seen, else the configured fallback role (with a warning). Time zone from configuration.
 */
export function mapPractitioner(m: ResourceMapping, practitioner: ParsedResource<'Practitioner'>): void {
  const { config, index, tenantId } = m.ctx;
  const ownerId = ownerIdOfPractitioner(config, practitioner);
  const learnt = index.ownerRoles.get(ownerId);
  if (learnt === undefined) m.warn('not_modelled', '', `no PractitionerRole seen for this practitioner; role "${config.owners.fallbackRole}" is used until one is`);
  if (practitioner.active === false) m.warn('not_modelled', 'active', 'practitioner is inactive; CareRelay has no event to remove an owner');
  const name = config.owners.name ? practitionerName(practitioner) : undefined;
  const email = config.owners.email ? emailOf(practitioner.telecom) : undefined;
  m.emit({
    id: m.versionedId('owner'),
    type: 'owner.upserted',
    at: m.stateTime(),
    owner: {
      tenantId,
      id: ownerId,
      ...(name === undefined ? {} : { name: m.text(name, 200, 'name') }),
      role: learnt ?? config.owners.fallbackRole,
      timeZone: ownerTimeZone(config, ownerId),
      ...(email === undefined ? {} : { contact: { email } }),
    },
  });
}

/**
 * PractitionerRole → `owner.upserted` for the practitioner it names, with the role from `code` (then
 * `specialty`) through the role table. The name comes from the Practitioner when seen, else the reference display.
 */
export function mapPractitionerRole(m: ResourceMapping, role: ParsedResource<'PractitionerRole'>): void {
  const { config, index, tenantId } = m.ctx;
  const resolved = m.owner(role.practitioner, 'practitioner');
  if (!('ownerId' in resolved)) {
    if ('skipped' in resolved) m.warn('participant_skipped', 'practitioner', `PractitionerRole names a ${resolved.skipped}, not a Practitioner`);
    return;
  }
  const ownerId = resolved.ownerId;
  const codings = [...codingsOf(role.code, 'code'), ...codingsOf(role.specialty, 'specialty')];
  const mapped = roleOf(config, codings);
  if (!mapped) warnUnmappedRole(m, codings, 'code');
  if (role.active === false) m.warn('not_modelled', 'active', 'practitioner role is inactive; CareRelay has no event to remove an owner');
  const name = config.owners.name ? (index.ownerNames.get(ownerId) ?? role.practitioner?.display) : undefined;
  const email = config.owners.email ? emailOf(role.telecom) : undefined;
  m.emit({
    id: m.versionedId('owner'),
    type: 'owner.upserted',
    at: m.stateTime(),
    owner: {
      tenantId,
      id: ownerId,
      ...(name === undefined ? {} : { name: m.text(name, 200, 'practitioner.display') }),
      role: mapped?.role ?? config.owners.fallbackRole,
      timeZone: ownerTimeZone(config, ownerId),
      ...(email === undefined ? {} : { contact: { email } }),
    },
  });
}
