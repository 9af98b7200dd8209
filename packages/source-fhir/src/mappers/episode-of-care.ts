import { type LocatedCoding, codingsOf, findCode } from '../code-match.js';
import type { ResolvedMappingConfig } from '../mapping-config.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { EpisodeSnapshot, FhirResourceIndex } from '../resource-index.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';

type Episode = ParsedResource<'EpisodeOfCare'>;

const CURRENT = new Set<Episode['status']>(['planned', 'waitlist', 'active', 'onhold']);

/** What an episode says (programs and level of care from its `type` codes), and the type codings nothing mapped. */
export function episodeSnapshot(config: ResolvedMappingConfig, episode: Episode, start: string | undefined): { snapshot: EpisodeSnapshot; unmapped: LocatedCoding[][] } {
  const programs: string[] = [];
  let levelOfCare: string | undefined;
  const unmapped: LocatedCoding[][] = [];
  (episode.type ?? []).forEach((type, i) => {
    const codings = codingsOf(type, `type.${i}`);
    const program = findCode(config.resolved.programs, codings);
    const level = findCode(config.resolved.levelsOfCare, codings);
    if (program && !programs.includes(program.row.program)) programs.push(program.row.program);
    if (level) levelOfCare ??= level.row.levelOfCare;
    if (!program && !level) unmapped.push(codings);
  });
  const snapshot: EpisodeSnapshot = { programs, current: CURRENT.has(episode.status), ...(levelOfCare === undefined ? {} : { levelOfCare }), ...(start === undefined ? {} : { start }) };
  return { snapshot, unmapped };
}

/** Records (or, for an entered-in-error episode, forgets) what an episode says in the index. */
export function rememberEpisode(index: FhirResourceIndex, patientId: string, episodeId: string, snapshot: EpisodeSnapshot | undefined): void {
  let episodes = index.episodes.get(patientId);
  if (!episodes) index.episodes.set(patientId, (episodes = new Map()));
  if (snapshot) episodes.set(`EpisodeOfCare/${episodeId}`, snapshot);
  else episodes.delete(`EpisodeOfCare/${episodeId}`);
}

/**
 * A patient's programs and level of care from their current episodes seen so far: every program (sorted), and the
 * level of care of the latest-starting current episode that has one.
 */
export function enrolmentOf(index: FhirResourceIndex, patientId: string): { programs: string[]; levelOfCare?: string } {
  const current = [...(index.episodes.get(patientId)?.entries() ?? [])].filter(([, e]) => e.current);
  const programs = [...new Set(current.flatMap(([, e]) => e.programs))].sort();
  const leveled = current.filter(([, e]) => e.levelOfCare !== undefined).sort(([ka, a], [kb, b]) => (a.start ?? '').localeCompare(b.start ?? '') || ka.localeCompare(kb));
  const levelOfCare = leveled.at(-1)?.[1].levelOfCare;
  return { programs, ...(levelOfCare === undefined ? {} : { levelOfCare }) };
}

/**
 * EpisodeOfCare → `patient.patched` with the patient's programs and level of care (through the `programs` and
 * `levelsOfCare` tables on `type`), and `careteam.assigned` for its `careManager` in the configured role.
 *
 * A patch carries the whole program list, so it is derived from every current (planned, waitlist, active, on hold)
 * episode of the patient seen so far: ingestion learns all episodes of a Bundle or Bulk export before mapping, and a
 * finished, cancelled or entered-in-error episode drops its programs. A level of care cannot be cleared by a patch:
 * when no current episode has one, the last one stays (a warning says so).
 */
export function mapEpisodeOfCare(m: ResourceMapping, episode: Episode): MapperResult {
  const enteredInError = episode.status === 'entered-in-error';
  const patientId = m.patientId(episode.patient);
  if (patientId === undefined) return enteredInError ? { notRelevant: 'episode entered in error' } : { missingPatient: 'patient' };
  const { index, config } = m.ctx;
  const { snapshot, unmapped } = episodeSnapshot(config, episode, m.time(episode.period?.start));
  const before = index.episodes.get(patientId)?.get(`EpisodeOfCare/${episode.id}`);
  if (!enteredInError) {
    for (const codings of unmapped) {
      const first = codings[0];
      m.warn('unmapped_code', first?.path ?? 'type', 'episode type has no CareRelay program or level of care', { system: first?.coding.system, value: first?.coding.code });
    }
  }
  rememberEpisode(index, patientId, episode.id, enteredInError ? undefined : snapshot);
  const says = (s: EpisodeSnapshot | undefined) => s !== undefined && (s.programs.length > 0 || s.levelOfCare !== undefined);
  if (says(snapshot) || says(before)) {
    const enrolment = enrolmentOf(index, patientId);
    const hadLevel = snapshot.levelOfCare ?? before?.levelOfCare;
    if (hadLevel !== undefined && enrolment.levelOfCare === undefined && (enteredInError || !snapshot.current)) {
      m.warn('not_modelled', 'type', 'no current episode has a level of care; the patient keeps the last one (a patch cannot clear it)');
    }
    const at = enteredInError ? m.stateTime() : snapshot.current ? m.timeOf('episode start', [episode.period?.start]) : m.timeOf('episode end', [episode.period?.end]);
    const id = m.versionedId('enrolment', ...enrolment.programs, `level:${enrolment.levelOfCare ?? ''}`);
    m.emit({ id, type: 'patient.patched', patientId, at, patch: enrolment });
  } else if (enteredInError) return { notRelevant: 'episode entered in error' };
  if (episode.careManager && snapshot.current) {
    const resolved = m.owner(episode.careManager, 'careManager');
    if ('ownerId' in resolved) {
      const member = { ownerId: resolved.ownerId, role: config.episodes.careManagerRole };
      m.emit({ id: m.versionedId('care-manager', member.ownerId), type: 'careteam.assigned', patientId, at: m.time(episode.period?.start) ?? m.stateTime(), member });
    } else if ('skipped' in resolved) m.warn('participant_skipped', 'careManager', `care manager is a ${resolved.skipped}, not a practitioner`);
  }
  return undefined;
}
