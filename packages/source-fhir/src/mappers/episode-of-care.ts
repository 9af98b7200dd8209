import { codingsOf, findCode } from '../code-match.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';

/**
 * EpisodeOfCare → a `service` fact per program its `type` maps to (enrolled while planned/waitlist/active/onhold,
 * ended once finished or cancelled), and `careteam.assigned` for its `careManager` in the configured role.
 * Programs are recorded as services because the core `Patient.programs` can only be set by replacing the patient.
 */
export function mapEpisodeOfCare(m: ResourceMapping, episode: ParsedResource<'EpisodeOfCare'>): MapperResult {
  if (episode.status === 'entered-in-error') return { notRelevant: 'episode entered in error' };
  const patientId = m.patientId(episode.patient);
  if (patientId === undefined) return { missingPatient: 'patient' };
  const ended = episode.status === 'finished' || episode.status === 'cancelled';
  (episode.type ?? []).forEach((type, i) => {
    const codings = codingsOf(type, `type.${i}`);
    const program = findCode(m.ctx.config.resolved.programs, codings);
    if (!program) {
      const first = codings[0];
      m.warn('unmapped_code', first?.path ?? `type.${i}`, 'episode type has no CareRelay program', { system: first?.coding.system, value: first?.coding.code });
      return;
    }
    const status = ended ? 'ended' : 'enrolled';
    const at = ended ? m.timeOf('episode end', [episode.period?.end]) : m.timeOf('episode start', [episode.period?.start]);
    m.emit({ id: m.factId('program', program.row.program, status), type: 'fact.recorded', patientId, at, fact: { kind: 'service', service: program.row.program, status } });
  });
  if (episode.careManager && !ended) {
    const resolved = m.owner(episode.careManager, 'careManager');
    if ('ownerId' in resolved) {
      const member = { ownerId: resolved.ownerId, role: m.ctx.config.episodes.careManagerRole };
      m.emit({ id: m.versionedId('care-manager', member.ownerId), type: 'careteam.assigned', patientId, at: m.time(episode.period?.start) ?? m.stateTime(), member });
    } else if ('skipped' in resolved) m.warn('participant_skipped', 'careManager', `care manager is a ${resolved.skipped}, not a practitioner`);
  }
  return undefined;
}
