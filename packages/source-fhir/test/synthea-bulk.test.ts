import { type CareEvent, DAY, type TaskView, createCoreConfig, emptyState, fromWall, isCaseEvent, planCase, reduce, toWall } from '@carerelay/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IngestResult, createMappingContext, createSeenFilter, ingestBulkExport, ingestNdjson, mapResource } from '../src/index.js';
import { SYNTHEA_DIR, SYNTHEA_TYPES, syntheaResources } from './data-files.js';

const TENANT = 'synthea-clinic';
const ZONE = 'America/Chicago';
const encounters = syntheaResources('Encounter');
const stays = encounters.filter((e) => ['IMP', 'EMER'].includes((e.class as { code: string }).code));
/** Patients who died, with when (Synthea's `deceasedDateTime`). */
const deceased = new Map(syntheaResources('Patient').flatMap((p) => (typeof p.deceasedDateTime === 'string' ? [[p.id as string, new Date(p.deceasedDateTime).toISOString()] as const] : [])));
const firstPractitioner = syntheaResources('Practitioner')[0] as { identifier: { system: string; value: string }[] };
/** The clinic's case manager: a real Synthea practitioner, named by NPI, given to every patient by configuration. */
const CASE_MANAGER = `npi:${firstPractitioner.identifier.find((i) => i.system === 'http://hl7.org/fhir/sid/us-npi')!.value}`;

const sourceConfig = {
  timeZone: ZONE,
  // Synthea's stays are medical (lung cancer, sepsis, pregnancy…); a behavioral-health clinic's feed would carry
  // mental-health stays. Treat every stay as mental-health so the FUH path is exercised on all 72 real discharges.
  transitions: { mentalHealth: 'always' as const },
  patients: { defaultCareTeam: [{ ownerId: CASE_MANAGER, role: 'case_manager' }] },
};

describe('Synthea 10-patient Bulk NDJSON export', () => {
  let result: IngestResult;
  beforeAll(async () => {
    result = await ingestBulkExport(SYNTHEA_DIR, createMappingContext({ tenantId: TENANT, receivedAt: '2026-11-01T12:00:00Z', config: sourceConfig }));
  });

  it('ingests completely: every line has an outcome, none is invalid', () => {
    const lines = SYNTHEA_TYPES.reduce((n, type) => n + syntheaResources(type).length, 0);
    const { summary } = result;
    console.log('Synthea ingestion summary:', JSON.stringify(summary, null, 2));
    expect(lines).toBe(5757);
    expect(summary.resources).toBe(lines);
    expect(summary.invalid).toBe(0);
    expect(summary.mapped + summary.notRelevant).toBe(lines);
    expect(summary.eventsByType['patient.registered']).toBe(13);
    // Synthea resources carry no version: each patient also gets a patch, so a re-export updates demographics only.
    expect(summary.eventsByType['patient.patched']).toBe(13);
    expect(summary.eventsByType['case.closed']).toBe(deceased.size);
    expect(deceased.size).toBe(3);
    expect(summary.eventsByType['owner.upserted']).toBe(43 + 43);
    expect(summary.notRelevantByType).toMatchObject({ Organization: 43, Location: 44, Procedure: 2056 });
  });

  it('turns every inpatient and emergency discharge into a transition fact', () => {
    expect(stays.length).toBe(72);
    const discharges = new Map(
      result.events.flatMap((e) => (e.type === 'fact.recorded' && e.fact.kind === 'transition' && e.fact.transition === 'discharge' ? [[e.fact.encounterId, e] as const] : [])),
    );
    for (const stay of stays) {
      const event = discharges.get(stay.id as string);
      const period = stay.period as { end: string };
      expect(event, `Encounter/${stay.id as string}`).toBeDefined();
      expect(event?.at).toBe(new Date(period.end).toISOString());
      expect(event?.type === 'fact.recorded' && event.fact.kind === 'transition' && event.fact.setting).toBe((stay.class as { code: string }).code === 'IMP' ? 'inpatient' : 'emergency');
    }
    expect(discharges.size).toBe(72);
  });

  it('schedules FUH 7-day and 30-day follow-ups for every discharge, routed to the case manager; a death closes them', () => {
    const config = createCoreConfig();
    const directory = result.events.filter((e) => !isCaseEvent(e));
    const rank = (e: CareEvent) => (e.type.startsWith('patient.') ? 0 : e.type.startsWith('careteam.') ? 1 : 2);
    const cases = result.events.filter(isCaseEvent).sort((a, b) => rank(a) - rank(b) || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let state = emptyState(TENANT);
    for (const event of [...directory, ...cases]) state = reduce(state, event, config);

    const tasks = new Map<string, TaskView>();
    let unrouted = 0;
    for (const caseState of Object.values(state.cases)) {
      const plan = planCase(state.directory, caseState, '2026-11-01T12:00:00Z', config);
      for (const task of plan.tasks) tasks.set(`${task.milestoneId}|${task.role}`, task);
      unrouted += plan.unrouted.length;
    }
    const discharges = cases.filter((e) => e.type === 'fact.recorded' && e.fact.kind === 'transition' && e.fact.transition === 'discharge');
    expect(discharges).toHaveLength(72);
    let open = 0;
    for (const discharge of discharges) {
      const diedAt = deceased.get(discharge.patientId);
      for (const days of [7, 30]) {
        const id = `fuh-${days}:${discharge.id}`;
        const milestone = state.cases[discharge.patientId]?.milestones[id];
        // That many calendar days after discharge, local time kept across DST in the patient's zone.
        const dueAt = new Date(fromWall(toWall(Date.parse(discharge.at), ZONE) + days * DAY, ZONE)).toISOString();
        expect(milestone, id).toMatchObject({ kind: 'discharge_follow_up', templateId: `fuh-${days}`, triggerEventId: discharge.id, dueAt });
        if (diedAt === undefined) {
          expect(milestone?.status, id).toBe('scheduled');
          expect(tasks.get(`${id}|case_manager`), id).toMatchObject({ ownerId: CASE_MANAGER, unassigned: false, status: 'open' });
          open++;
        } else {
          // Every Synthea discharge of these patients precedes the death: the case closes with them open.
          expect(milestone, id).toMatchObject({ status: 'cancelled', closedAt: diedAt });
          expect(tasks.has(`${id}|case_manager`), id).toBe(false);
        }
      }
    }
    const ofLiving = discharges.filter((d) => !deceased.has(d.patientId)).length;
    expect(ofLiving).toBe(17);
    expect(open).toBe(2 * ofLiving);
    console.log(`FUH: ${discharges.length} discharges → ${2 * discharges.length} follow-up milestones (7 and 30 days); ${open} open, routed to ${CASE_MANAGER}; ${2 * (discharges.length - ofLiving)} closed by ${deceased.size} deaths; ${unrouted} prescriber requirement(s) unrouted (no prescriber or coordinator on the team)`);
  });

  it('classifies stays by code under the default configuration: no Synthea stay carries a mental-health code', () => {
    const ctx = createMappingContext({ tenantId: TENANT, receivedAt: '2026-11-01T12:00:00Z' });
    const flags = stays.flatMap((stay) => {
      const outcome = mapResource(stay, ctx);
      return outcome.status === 'mapped' ? outcome.events.flatMap((e) => (e.type === 'fact.recorded' && e.fact.kind === 'transition' && e.fact.transition === 'discharge' ? [e.fact.mentalHealth] : [])) : [];
    });
    const uncoded = stays.filter((s) => !(s.reasonCode as unknown[] | undefined)?.length).length;
    console.log(`Mental-health classification by code: ${flags.filter(Boolean).length} of ${flags.length} discharges (all ${uncoded} uncoded stays count as mental-health by default)`);
    expect(flags).toHaveLength(72);
    expect(flags.filter(Boolean)).toHaveLength(uncoded);
  });

  it('yields the events of the same resource version once when the file is ingested twice', async () => {
    const seen = createSeenFilter();
    const ctx = createMappingContext({ tenantId: TENANT, receivedAt: '2026-11-01T12:00:00Z', config: sourceConfig });
    const counts: number[] = [];
    for (let pass = 0; pass < 2; pass++) {
      let fresh = 0;
      for await (const item of ingestNdjson(`${SYNTHEA_DIR}/Encounter.ndjson`, ctx)) if (item.outcome.status === 'mapped') fresh += seen.fresh(item.outcome.events).length;
      counts.push(fresh);
    }
    expect(counts).toEqual([144, 0]);
  });
});
