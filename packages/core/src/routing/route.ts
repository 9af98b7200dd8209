import type { CoreConfig } from '../config.js';
import type { Owner } from '../model/entities.js';
import type { Role } from '../model/primitives.js';
import { toMillis } from '../model/primitives.js';
import type { CaseState, Directory } from '../model/state.js';
import type { CalendarCache } from '../schedule/calendar-cache.js';

/** Who holds a requirement at an instant, and why. */
export interface Assignment {
  ownerId: string;
  /** True when nobody on the team fills the role and a coordinator holds it instead. */
  unassigned: boolean;
  /** Set when the holder covers for an absent owner. */
  coveringFor?: string;
  /** True when chosen from the on-call rotation. */
  onCall?: boolean;
}

const MAX_COVER_CHAIN = 5;

function isAbsent(owner: Owner, at: number): boolean {
  return owner.absences.some((a) => toMillis(a.start) <= at && at < toMillis(a.end));
}

/** Follows covers (then the supervisor) away from absent owners; undefined when the chain leads nowhere present. */
function presentHolder(directory: Directory, ownerId: string, at: number): { ownerId: string; coveringFor?: string } | undefined {
  const start = directory.owners[ownerId];
  if (!start) return undefined;
  let current: Owner = start;
  const original = current.id;
  for (let hops = 0; hops <= MAX_COVER_CHAIN; hops++) {
    if (!isAbsent(current, at)) return current.id === original ? { ownerId: current.id } : { ownerId: current.id, coveringFor: original };
    const absence = current.absences.find((a) => toMillis(a.start) <= at && at < toMillis(a.end))!;
    const nextId: string | undefined = absence.coverOwnerId ?? current.supervisorId;
    const next: Owner | undefined = nextId === undefined ? undefined : directory.owners[nextId];
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}

function onCallOwner(directory: Directory, role: Role, at: number, calendars: CalendarCache): string | undefined {
  const candidates = Object.values(directory.owners)
    .filter((o) => o.role === role && !isAbsent(o, at) && calendars.onCall(o)?.isWorking(at))
    .map((o) => o.id)
    .sort();
  return candidates[0];
}

function coordinator(caseState: CaseState, directory: Directory, at: number, config: CoreConfig): { ownerId: string; coveringFor?: string } | undefined {
  for (const role of config.coordinatorRoles) {
    for (const member of caseState.careTeam) {
      if (member.role !== role) continue;
      const holder = presentHolder(directory, member.ownerId, at);
      if (holder) return holder;
    }
  }
  if (config.fallbackCoordinatorId) return presentHolder(directory, config.fallbackCoordinatorId, at);
  for (const role of config.coordinatorRoles) {
    const ids = Object.values(directory.owners)
      .filter((o) => o.role === role)
      .map((o) => o.id)
      .sort();
    for (const id of ids) {
      const holder = presentHolder(directory, id, at);
      if (holder) return holder;
    }
  }
  return undefined;
}

/**
 * Routes a requirement of `role` to exactly one owner at instant `at`:
 * 1. on-call roles (crisis) go to whoever is on call, by id order;
 * 2. otherwise the first care-team member in that role; an absent owner's work goes to their cover, else their supervisor;
 * 3. a role nobody fills goes to the team's coordinator (first of `config.coordinatorRoles`), flagged `unassigned`.
 * Returns undefined only when the tenant has nobody who could coordinate: the caller reports it, never drops it.
 */
export function routeRequirement(
  role: Role,
  caseState: CaseState,
  directory: Directory,
  at: number,
  config: CoreConfig,
  calendars: CalendarCache,
): Assignment | undefined {
  if (config.onCallRoles.includes(role)) {
    const onCall = onCallOwner(directory, role, at, calendars);
    if (onCall) return { ownerId: onCall, unassigned: false, onCall: true };
  }
  for (const member of caseState.careTeam) {
    if (member.role !== role) continue;
    const holder = presentHolder(directory, member.ownerId, at);
    if (holder) return { ...holder, unassigned: false };
  }
  const fallback = coordinator(caseState, directory, at, config);
  return fallback ? { ...fallback, unassigned: true } : undefined;
}
