import { DAY, fromWall, toWall } from '@carerelay/core';
import { readFhirTime } from '../fhir-time.js';
import type { ResourceMapping } from '../mapping-context.js';
import { parseReference } from '../references.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';

type Payor = ParsedResource<'Coverage'>['payor'][number];

/** The payer name for `Coverage.payor`, through the payer table; an unmapped payer warns and uses its display name. */
function payerOf(m: ResourceMapping, payors: readonly Payor[]): string | undefined {
  for (const payor of payors) {
    const parsed = parseReference(payor, m.ctx.index.aliases);
    const row = m.ctx.config.payers.find((p) => {
      if (p.reference !== undefined && parsed.kind === 'literal' && p.reference === `${parsed.resourceType}/${parsed.id}`) return true;
      if (p.identifier !== undefined && payor.identifier?.system === p.identifier.system && payor.identifier.value === p.identifier.value) return true;
      return p.name !== undefined && payor.display !== undefined && p.name.toLowerCase() === payor.display.trim().toLowerCase();
    });
    if (row) return row.payer;
  }
  const first = payors[0]!;
  const parsed = parseReference(first, m.ctx.index.aliases);
  const fallback = first.display?.trim() || (parsed.kind === 'literal' ? parsed.id : parsed.kind === 'identifier' ? parsed.value : undefined);
  m.warn('unmapped_code', 'payor.0', 'payer is not in the payer table; its display name is used', { value: fallback });
  return fallback === undefined ? undefined : m.text(fallback, 128, 'payor.0.display');
}

/** The instant an authorization period ends: a date-only end covers that whole day (it lapses at 23:59 local). */
function endOf(m: ResourceMapping, end: string): string | undefined {
  const zone = m.ctx.config.resolved.patientTimeZone;
  const read = readFhirTime(end, zone);
  if (!read || read.precision === 'year' || read.precision === 'month') return undefined;
  if (read.precision === 'time') return read.instant;
  return new Date(fromWall(toWall(Date.parse(read.instant), zone) + DAY, zone) - 60_000).toISOString();
}

/**
 * Coverage → the patient's payer (`patient.patched`) while it is active and primary (no `order`, or 1), so rule sets
 * filtered by payer apply to all of the patient's milestones; and, when the authorization period's end is known, an
 * `authorization_expiry` at the end and an `authorization_review` the configured number of calendar days before it
 * (in the patient's time zone), both carrying the payer (a milestone's payer wins over the patient's, so a
 * secondary coverage's review keeps its own payer's rules). A cancelled coverage cancels its milestones.
 */
export function mapCoverage(m: ResourceMapping, coverage: ParsedResource<'Coverage'>): MapperResult {
  if (coverage.status === 'draft') return { notRelevant: 'draft coverage' };
  const patientId = m.patientId(coverage.beneficiary);
  if (patientId === undefined) return { missingPatient: 'beneficiary' };
  const payer = payerOf(m, coverage.payor);
  const at = m.stateTime();
  if (coverage.status === 'active' && payer !== undefined && (coverage.order ?? 1) === 1) {
    m.emit({ id: m.versionedId('payer', payer), type: 'patient.patched', patientId, at, patch: { payer } });
  }
  if (coverage.period?.end === undefined) return undefined; // no authorization window: nothing to schedule
  const end = endOf(m, coverage.period.end);
  if (end === undefined) {
    m.warn('time_missing', 'period.end', 'authorization period end is only a year or month; no milestone scheduled');
    return undefined;
  }
  const { reviewDaysBefore, expiry } = m.ctx.config.authorizations;
  const zone = m.ctx.config.resolved.patientTimeZone;
  const planned: { id: string; kind: 'authorization_review' | 'authorization_expiry'; dueAt: string; label: string }[] = [];
  const who = payer === undefined ? 'Authorization' : `${payer} authorization`;
  if (reviewDaysBefore !== null) {
    const dueAt = new Date(fromWall(toWall(Date.parse(end), zone) - reviewDaysBefore * DAY, zone)).toISOString();
    planned.push({ id: `coverage:${coverage.id}:review:${end}`, kind: 'authorization_review', dueAt, label: `${who} review` });
  }
  if (expiry) planned.push({ id: `coverage:${coverage.id}:expiry:${end}`, kind: 'authorization_expiry', dueAt: end, label: `${who} expiry` });
  for (const milestone of planned) {
    if (coverage.status === 'active') {
      m.emit({
        id: m.versionedId('milestone', milestone.id),
        type: 'milestone.scheduled',
        patientId,
        at,
        milestone: { ...milestone, label: m.text(milestone.label, 200, 'payor.0.display'), ...(payer === undefined ? {} : { payer }) },
      });
    } else {
      m.emit({ id: m.factId('cancelled', milestone.id), type: 'milestone.cancelled', patientId, at, milestoneId: milestone.id, reason: `coverage ${coverage.status}` });
    }
  }
  return undefined;
}
