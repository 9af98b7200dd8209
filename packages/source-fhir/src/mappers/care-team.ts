import { codingsOf } from '../code-match.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';
import { roleOf, warnUnmappedRole } from './practitioner.js';

/**
 * CareTeam.participant → `careteam.assigned` for each practitioner participant (role from `participant.role`), and
 * `careteam.unassigned` when the team is inactive/suspended/entered-in-error or the participant's period has ended.
 * Patients, relatives and organizations on the team are skipped with a warning: they are not owners.
 */
export function mapCareTeam(m: ResourceMapping, team: ParsedResource<'CareTeam'>): void {
  if (team.status === 'proposed') {
    m.warn('not_modelled', 'status', 'proposed care team: no assignments until it is active');
    return;
  }
  const patientId = m.patientId(team.subject);
  if (patientId === undefined) {
    m.warn('unresolved_reference', 'subject', 'care team has no resolvable patient subject; no assignments');
    return;
  }
  const teamEnded = team.status === 'inactive' || team.status === 'suspended' || team.status === 'entered-in-error';
  (team.participant ?? []).forEach((participant, i) => {
    const path = `participant.${i}`;
    const resolved = m.owner(participant.member, `${path}.member`);
    if ('skipped' in resolved) {
      m.warn('participant_skipped', `${path}.member`, `participant is a ${resolved.skipped}, not a practitioner`);
      return;
    }
    if (!('ownerId' in resolved)) return;
    const codings = codingsOf(participant.role, `${path}.role`);
    const mapped = roleOf(m.ctx.config, codings);
    if (!mapped) warnUnmappedRole(m, codings, `${path}.role`);
    const member = { ownerId: resolved.ownerId, role: mapped?.role ?? m.ctx.config.owners.fallbackRole };
    const start = m.time(participant.period?.start) ?? m.time(team.period?.start) ?? m.stateTime();
    let end = m.time(participant.period?.end);
    if (end !== undefined && end > m.ctx.receivedAt) {
      m.warn('not_modelled', `${path}.period.end`, 'assignment ends in the future; CareRelay cannot schedule an unassignment, so it stays assigned');
      end = undefined;
    }
    if (!teamEnded) {
      m.emit({ id: m.versionedId('assigned', member.ownerId, member.role), type: 'careteam.assigned', patientId, at: start, member });
    }
    if (teamEnded || end !== undefined) {
      m.emit({ id: m.versionedId('unassigned', member.ownerId, member.role), type: 'careteam.unassigned', patientId, at: end ?? m.stateTime(), member });
    }
  });
}
