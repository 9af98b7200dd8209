import { type CareEvent, type CoreConfigInput, DAY, DEFAULT_RULE_PACK, EventSchema, createCoreConfig, emptyState, fromWall, guidance, reduce, toWall } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import {
  type MapOutcome,
  type MappingContextOptions,
  createFhirMappingConfig,
  createMappingContext,
  createSeenFilter,
  displayTokenFor,
  ingestBundle,
  mapResource,
  parseFhirMappingConfig,
  parseReference,
  readFhirTime,
} from '../src/index.js';
import { syntheaResources, usCoreExamples } from './data-files.js';

const context = (options: Partial<MappingContextOptions> = {}) => createMappingContext({ tenantId: 'clinic-north', receivedAt: '2026-11-20T12:00:00Z', ...options });
const events = (outcome: MapOutcome): CareEvent[] => {
  if (outcome.status !== 'mapped') throw new Error(`expected mapped, got ${outcome.status}: ${outcome.status === 'invalid' ? outcome.error.message : outcome.detail}`);
  return outcome.events;
};
const facts = (outcome: MapOutcome) => events(outcome).map((e) => (e.type === 'fact.recorded' ? e.fact : e.type));
const example = (file: string) => structuredClone(usCoreExamples().find((e) => e.file === file)!.resource);
const patientEvent = { id: 'p', tenantId: 'clinic-north', patientId: 'example', at: '2026-01-01T00:00:00Z', type: 'patient.registered', patient: { tenantId: 'clinic-north', id: 'example', displayToken: 'P·1', timeZone: 'America/Chicago', birthDate: '1987-02-20' } } as const;

/** Reduces events (after a patient registration) with the core default configuration, or the one given. */
function reduceAll(list: readonly CareEvent[], coreConfig: CoreConfigInput = {}) {
  const config = createCoreConfig(coreConfig);
  let state = emptyState('clinic-north');
  for (const event of [EventSchema.parse(patientEvent), ...list]) state = reduce(state, event, config);
  return { state, config };
}

describe('mapping configuration', () => {
  it('rejects a bad configuration with an error naming each field', () => {
    const parsed = parseFhirMappingConfig({ timeZone: 'Mars/Olympus', roles: [{ system: 'http://snomed.info/sct', code: '', role: 'therapist' }], payers: [{ payer: 'aetna' }] });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('invalid_configuration');
    expect(parsed.error.issues.map((i) => i.path)).toEqual(['timeZone', 'roles.0.code', 'payers.0']);
  });

  it('checks the vendor codes before the defaults, and can drop the defaults', () => {
    const vendor = createFhirMappingConfig({ roles: [{ system: 'http://nucc.org/provider-taxonomy', code: '208D00000X', role: 'case_manager' }] });
    expect(vendor.resolved.roles[0]?.role).toBe('case_manager');
    expect(vendor.resolved.roles.some((r) => r.code === '2084P0800X')).toBe(true);
    expect(createFhirMappingConfig({ useDefaultCodes: false }).resolved.diagnoses).toEqual([]);
  });
});

describe('identity: display tokens, owner ids and references', () => {
  it('derives display tokens from tenant, salt and resource id only', () => {
    const config = createFhirMappingConfig();
    expect(displayTokenFor(config, 'clinic-north', 'example')).toMatch(/^P·\d{4}$/);
    expect(displayTokenFor(config, 'clinic-north', 'example')).toBe(displayTokenFor(config, 'clinic-north', 'example'));
    expect(displayTokenFor(config, 'clinic-south', 'example')).not.toBe(displayTokenFor(config, 'clinic-north', 'example'));
    const salted = createFhirMappingConfig({ patients: { displayToken: { prefix: 'C', digits: 6, salt: 'vendor-secret' } } });
    expect(displayTokenFor(salted, 'clinic-north', 'example')).toMatch(/^C·\d{6}$/);
  });

  it('reads literal, absolute, versioned, conditional and identifier references', () => {
    expect(parseReference({ reference: 'Patient/123' })).toEqual({ kind: 'literal', resourceType: 'Patient', id: '123' });
    expect(parseReference({ reference: 'https://ehr.example/fhir/Patient/123/_history/4' })).toEqual({ kind: 'literal', resourceType: 'Patient', id: '123' });
    expect(parseReference({ reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974592' })).toEqual({ kind: 'identifier', resourceType: 'Practitioner', system: 'http://hl7.org/fhir/sid/us-npi', value: '9999974592' });
    expect(parseReference({ identifier: { system: 's', value: 'v' } })).toEqual({ kind: 'identifier', system: 's', value: 'v' });
    expect(parseReference({ display: 'Dr Who' })).toEqual({ kind: 'unresolvable' });
  });

  it('reads FHIR dates at their precision, in the configured zone', () => {
    expect(readFhirTime('2026-11-26', 'America/Chicago')).toEqual({ instant: '2026-11-26T06:00:00.000Z', precision: 'day' });
    expect(readFhirTime('2026-11-26T10:00:00-06:00', 'UTC')).toEqual({ instant: '2026-11-26T16:00:00.000Z', precision: 'time' });
    expect(readFhirTime('2026-02-30', 'UTC')).toBeUndefined();
    expect(readFhirTime('2026', 'UTC')?.precision).toBe('year');
  });

  it('resolves urn:uuid references inside a transaction Bundle', () => {
    const patient = { resourceType: 'Patient', birthDate: '2010-06-01' };
    const stay = { resourceType: 'Encounter', status: 'finished', class: { code: 'EMER' }, subject: { reference: 'urn:uuid:0f6e2a3c-1111-4a5b-9c1d-2e3f4a5b6c7d' }, period: { start: '2026-11-10T08:00:00Z', end: '2026-11-10T20:00:00Z' } };
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0f6e2a3c-1111-4a5b-9c1d-2e3f4a5b6c7d', resource: patient, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: 'urn:uuid:9a8b7c6d-2222-4a5b-9c1d-2e3f4a5b6c7d', resource: stay, request: { method: 'POST', url: 'Encounter' } },
      ],
    };
    const result = ingestBundle(bundle, context());
    expect(result.invalid).toEqual([]);
    expect(result.events.map((e) => e.type)).toEqual(['patient.registered', 'patient.patched', 'fact.recorded', 'fact.recorded']);
    expect(result.events.map((e) => ('patientId' in e ? e.patientId : ''))).toEqual(Array(4).fill('0f6e2a3c-1111-4a5b-9c1d-2e3f4a5b6c7d'));
  });
});

describe('idempotent ingestion', () => {
  const stay = syntheaResources('Encounter').find((e) => (e.class as { code: string }).code === 'IMP')!;
  const mentalHealthStay = { ...stay, subject: { reference: 'Patient/example' }, reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F32.2' }] }] };
  const dischargedAt = new Date((stay.period as { end: string }).end).toISOString();
  const followUps = (list: readonly CareEvent[]) =>
    Object.values(reduceAll(list).state.cases.example!.milestones)
      .filter((m) => m.kind === 'discharge_follow_up')
      .map((m) => ({ templateId: m.templateId, status: m.status, dueAt: m.dueAt }))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  /** HEDIS FUH: a 7-day and a 30-day follow-up, due that many calendar days after discharge in the patient's zone (Chicago). */
  const fuh = (status: string) =>
    [7, 30].map((days) => ({ templateId: `fuh-${days}`, status, dueAt: new Date(fromWall(toWall(Date.parse(dischargedAt), 'America/Chicago') + days * DAY, 'America/Chicago')).toISOString() }));
  const dischargeIds = (list: readonly CareEvent[]) => list.filter((e) => e.type === 'fact.recorded' && e.fact.kind === 'transition' && e.fact.transition === 'discharge').map((e) => e.id);
  const retracted = (list: readonly CareEvent[]) => list.flatMap((e) => (e.type === 'fact.retracted' ? [e.factEventId] : []));

  it('gives the same event ids to the same resource version, and the seen filter yields them once', () => {
    const ctx = context();
    const first = events(mapResource(stay, ctx));
    const second = events(mapResource(structuredClone(stay), ctx));
    expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id));
    const seen = createSeenFilter();
    expect(seen.fresh([...first, ...second])).toHaveLength(2);
    expect(seen.fresh(second)).toEqual([]);
  });

  it('keeps a discharge one fact across versions that restate it, so a later version never schedules second follow-ups', () => {
    const ctx = context();
    const v1 = events(mapResource({ ...mentalHealthStay, meta: { versionId: '1' } }, ctx));
    const v2 = events(mapResource({ ...mentalHealthStay, meta: { versionId: '2' } }, ctx));
    const facts = (list: CareEvent[]) => list.filter((e) => e.type === 'fact.recorded').map((e) => e.id);
    expect(facts(v2)).toEqual(facts(v1));
    const applied = createSeenFilter().fresh([...v1, ...v2]);
    expect(followUps(applied)).toEqual(fuh('scheduled'));
  });

  it('follows a stay reclassified as mental-health after discharge, and back', () => {
    const ctx = context();
    const medical = events(mapResource({ ...stay, subject: { reference: 'Patient/example' }, meta: { versionId: '1' } }, ctx));
    const coded = events(mapResource({ ...mentalHealthStay, meta: { versionId: '2' } }, ctx));
    expect(followUps(medical)).toEqual([]);
    // The new classification is a new fact; the old one is retracted by its own event id.
    expect(retracted(coded)).toContain(dischargeIds(medical)[0]);
    expect(followUps([...medical, ...coded])).toEqual(fuh('scheduled'));
    const recoded = events(mapResource({ ...stay, subject: { reference: 'Patient/example' }, meta: { versionId: '3' } }, ctx));
    expect(retracted(recoded)).toContain(dischargeIds(coded)[0]);
    expect(followUps(createSeenFilter().fresh([...medical, ...coded, ...recoded]))).toEqual(fuh('cancelled'));
  });

  it('retracts the stay when it is later entered in error: both follow-ups cancelled, the discharge forgotten', () => {
    const ctx = context();
    const discharge = events(mapResource(mentalHealthStay, ctx));
    const withdrawn = events(mapResource({ ...mentalHealthStay, status: 'entered-in-error', meta: { versionId: '3' } }, ctx));
    expect(withdrawn.every((e) => e.type === 'fact.retracted')).toBe(true);
    expect(retracted(withdrawn)).toEqual(expect.arrayContaining(discharge.map((e) => e.id)));
    expect(followUps(discharge)).toEqual(fuh('scheduled'));
    expect(followUps([...discharge, ...withdrawn])).toEqual(fuh('cancelled'));
    expect(reduceAll([...discharge, ...withdrawn]).state.cases.example!.facts).toEqual([]);
    // The same retraction again is the same event: storage and the seen filter drop it.
    expect(events(mapResource({ ...mentalHealthStay, status: 'entered-in-error', meta: { versionId: '4' } }, ctx)).map((e) => e.id)).toEqual(withdrawn.map((e) => e.id));
  });
});

describe('resource mappings', () => {
  it('flags a stay as mental-health by its ICD-10 F code, not by a medical one; uncoded stays count by default', () => {
    const stay = { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/example' }, period: { start: '2026-11-01T10:00:00Z', end: '2026-11-05T10:00:00Z' } };
    const flag = (extra: object) => facts(mapResource({ ...stay, ...extra }, context())).map((f) => typeof f === 'object' && f.kind === 'transition' && f.mentalHealth);
    expect(flag({ reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F33.1' }] }] })).toEqual([true, true]);
    expect(flag({ reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '424132000' }] }] })).toEqual([false, false]);
    expect(flag({})).toEqual([true, true]);
    const ctx = context({ config: { transitions: { uncodedIsMentalHealth: false } } });
    expect(facts(mapResource(stay, ctx)).map((f) => typeof f === 'object' && f.kind === 'transition' && f.mentalHealth)).toEqual([false, false]);
  });

  it('finds the mental-health diagnosis through Encounter.diagnosis → Condition seen earlier in a Bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Encounter', id: 'e2', status: 'finished', class: { code: 'EMER' }, subject: { reference: 'Patient/example' }, period: { start: '2026-11-01T10:00:00Z', end: '2026-11-01T22:00:00Z' }, diagnosis: [{ condition: { reference: 'Condition/c1' } }], reasonCode: [{ text: 'chest pain' }] } },
        { resource: { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/example' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '371631005' }] }, recordedDate: '2026-11-01' } },
      ],
    };
    const result = ingestBundle(bundle, context({ config: { transitions: { uncodedIsMentalHealth: false } } }));
    expect(result.events.map((e) => (e.type === 'fact.recorded' ? e.fact : undefined))).toEqual([
      { kind: 'transition', transition: 'admission', setting: 'emergency', mentalHealth: true, encounterId: 'e2' },
      { kind: 'transition', transition: 'discharge', setting: 'emergency', mentalHealth: true, encounterId: 'e2' },
      { kind: 'diagnosis', category: 'panic_disorder', code: '371631005', system: 'http://snomed.info/sct', status: 'active' },
    ]);
  });

  it('maps ICD-10 families to diagnosis categories, and resolution', () => {
    const condition = (code: string, clinical = 'active') => ({
      resourceType: 'Condition',
      id: `c-${code}`,
      subject: { reference: 'Patient/example' },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinical }] },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code, display: 'x' }] },
      recordedDate: '2026-10-01',
    });
    const category = (resource: object) => facts(mapResource(resource, context())).map((f) => typeof f === 'object' && f.kind === 'diagnosis' && `${f.category}/${f.status}`);
    expect(category(condition('F41.0'))).toEqual(['panic_disorder/active']);
    expect(category(condition('F32.A'))).toEqual(['depression/active']);
    expect(category(condition('F33.1', 'remission'))).toEqual(['depression/resolved']);
    const unmapped = mapResource(condition('J45.909'), context());
    expect(unmapped).toMatchObject({ status: 'mapped', events: [], warnings: [{ code: 'unmapped_code', system: 'http://hl7.org/fhir/sid/icd-10-cm', value: 'J45.909' }] });
  });

  it('turns a dose increase into the requirement the default rule pack asks the therapist for', () => {
    const prior = { resourceType: 'MedicationRequest', id: 'rx-1', status: 'stopped', intent: 'order', subject: { reference: 'Patient/example' }, authoredOn: '2026-09-01', medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '312941', display: 'sertraline 50 MG Oral Tablet' }] }, dispenseRequest: { validityPeriod: { start: '2026-09-01', end: '2026-11-10' } } };
    const raised = { ...prior, id: 'rx-2', status: 'active', authoredOn: '2026-11-10', priorPrescription: { reference: 'MedicationRequest/rx-1' }, medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '312940', display: 'sertraline 100 MG Oral Tablet' }] }, dispenseRequest: undefined };
    const result = ingestBundle({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: raised }, { resource: prior }] }, context({ config: { timeZone: 'America/Chicago' } }));
    // The replaced prescription records no stop: under the same medication it would cancel the new dose.
    expect(result.events.map((e) => (e.type === 'fact.recorded' ? e.fact : undefined))).toEqual([
      { kind: 'medication_change', medication: 'sertraline Oral Tablet', change: 'increase', fromDose: '50 MG', toDose: '100 MG' },
      { kind: 'medication_change', medication: 'sertraline Oral Tablet', change: 'start', toDose: '50 MG' },
    ]);
    const review = { id: 'r', tenantId: 'clinic-north', patientId: 'example', at: '2026-11-12T00:00:00Z', type: 'milestone.scheduled', milestone: { id: 'rev-1', kind: 'authorization_review', dueAt: '2026-11-26T16:00:00Z' } } as const;
    const assign = { id: 'a', tenantId: 'clinic-north', patientId: 'example', at: '2026-11-12T00:00:00Z', type: 'careteam.assigned', member: { ownerId: 'ther-1', role: 'therapist' } } as const;
    const therapist = { id: 'o', tenantId: 'clinic-north', at: '2026-11-12T00:00:00Z', type: 'owner.upserted', owner: { tenantId: 'clinic-north', id: 'ther-1', role: 'therapist', timeZone: 'America/Chicago' } } as const;
    const ordered = [...result.events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const { state, config } = reduceAll([EventSchema.parse(therapist), ...ordered, EventSchema.parse(assign), EventSchema.parse(review)]);
    const items = guidance(state, { patientId: 'example', ownerId: 'ther-1' }, '2026-11-20T15:00:00Z', config);
    expect(items.map((i) => i.text)).toContain('medication adherence since sertraline Oral Tablet 50 MG→100 MG');
    // The new prescription was entered in error: its dose change is retracted, and so is the requirement it raised.
    const withdrawn = events(mapResource({ ...raised, status: 'entered-in-error' }, context({ config: { timeZone: 'America/Chicago' } })));
    expect(withdrawn.map((e) => (e.type === 'fact.retracted' ? e.factEventId : e.type))).toContain(result.events[0]!.id);
    const after = reduceAll([EventSchema.parse(therapist), ...ordered, EventSchema.parse(assign), EventSchema.parse(review), ...withdrawn]);
    const texts = guidance(after.state, { patientId: 'example', ownerId: 'ther-1' }, '2026-11-20T15:00:00Z', after.config).map((i) => i.text);
    expect(texts).not.toContain('medication adherence since sertraline Oral Tablet 50 MG→100 MG');
  });

  it('schedules authorization review and expiry from a Coverage period end, with the mapped payer; a cancelled coverage cancels them', () => {
    const coverage = { ...example('coverage-example.json'), period: { start: '2026-09-01', end: '2026-11-30' } };
    const ctx = context({ config: { timeZone: 'America/Chicago', payers: [{ reference: 'Organization/acme-payer', payer: 'acme' }] } });
    const scheduled = events(mapResource(coverage, ctx));
    expect(scheduled.map((e) => (e.type === 'milestone.scheduled' ? [e.milestone.kind, e.milestone.dueAt, e.milestone.payer, e.milestone.label] : e.type === 'patient.patched' ? e.patch.payer : e.type))).toEqual([
      'acme',
      ['authorization_review', '2026-11-24T05:59:00.000Z', 'acme', 'acme authorization review'],
      ['authorization_expiry', '2026-12-01T05:59:00.000Z', 'acme', 'acme authorization expiry'],
    ]);
    const cancelled = events(mapResource({ ...coverage, status: 'cancelled' }, ctx));
    const milestoneIds = scheduled.flatMap((e) => (e.type === 'milestone.scheduled' ? [e.milestone.id] : []));
    expect(cancelled.map((e) => (e.type === 'milestone.cancelled' ? e.milestoneId : e.type))).toEqual(milestoneIds);
    const { state } = reduceAll([...scheduled, ...cancelled]);
    expect(Object.values(state.cases.example!.milestones).map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('gives the patient the primary Coverage payer and the programs and level of care of current episodes, which select rule sets', () => {
    const concept = (code: string) => [{ coding: [{ system: 'https://ehr.example.org/episode-type', code }] }];
    const episode = (id: string, code: string, start: string, status = 'active') => ({ resourceType: 'EpisodeOfCare', id, status, type: concept(code), patient: { reference: 'Patient/example' }, period: { start, ...(status === 'finished' ? { end: '2026-11-10' } : {}) }, meta: { versionId: status === 'active' ? '1' : '2' } });
    const ctx = context({
      config: {
        payers: [{ reference: 'Organization/acme-payer', payer: 'acme' }, { name: 'Other Health', payer: 'other' }],
        programs: [{ system: 'https://ehr.example.org/episode-type', code: 'sud', program: 'substance_use_program' }, { system: 'https://ehr.example.org/episode-type', code: 'mh', program: 'mental_health_program' }],
        levelsOfCare: [{ system: 'https://ehr.example.org/episode-type', code: 'iop', levelOfCare: 'intensive_outpatient' }],
      },
    });
    const primary = events(mapResource(example('coverage-example.json'), ctx));
    const secondary = events(mapResource({ ...example('coverage-example.json'), id: 'cov-2', order: 2, payor: [{ display: 'Other Health' }] }, ctx));
    expect(primary.map((e) => (e.type === 'patient.patched' ? e.patch.payer : e.type))).toEqual(['acme']);
    expect(secondary).toEqual([]);
    const episodes = [episode('ep-sud', 'sud', '2026-10-01'), episode('ep-mh', 'mh', '2026-10-05'), episode('ep-iop', 'iop', '2026-10-15')].flatMap((e) => events(mapResource(e, ctx)));
    // Each patch carries every current program this source has seen: a patch replaces the list.
    expect(episodes.map((e) => (e.type === 'patient.patched' ? e.patch : e.type)).at(-1)).toEqual({ programs: ['mental_health_program', 'substance_use_program'], levelOfCare: 'intensive_outpatient' });
    const discharge = events(mapResource({ resourceType: 'Encounter', id: 'e7', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/example' }, period: { start: '2026-11-01T10:00:00Z', end: '2026-11-05T10:00:00Z' } }, ctx));
    const acmeIop = {
      id: 'acme-iop',
      version: '1',
      ruleSets: [
        {
          milestoneKind: 'discharge_follow_up' as const,
          payers: ['acme'],
          levelsOfCare: ['intensive_outpatient'],
          rules: [{ id: 'acme.sud-relapse-plan', role: 'therapist' as const, summary: 'Relapse-prevention plan', template: 'relapse-prevention plan', reason: 'Acme IOP criteria', conditions: [{ kind: 'program' as const, programs: ['substance_use_program'] }] }],
        },
      ],
    };
    const applied = (list: CareEvent[]) => {
      const state = reduceAll(list, { rulePacks: [DEFAULT_RULE_PACK, acmeIop] }).state.cases.example!;
      return { patient: state.patient, open: Object.values(state.requirements).filter((r) => r.ruleId === 'acme.sud-relapse-plan' && r.status === 'open').length };
    };
    expect(applied([...primary, ...episodes, ...discharge])).toMatchObject({ patient: { payer: 'acme', programs: ['mental_health_program', 'substance_use_program'], levelOfCare: 'intensive_outpatient' }, open: 2 });
    expect(applied([...episodes, ...discharge]).open).toBe(0); // no payer: Acme's rules do not apply
    // The substance-use episode ends: its program leaves the patient, and the rule that needed it is withdrawn.
    const ended = events(mapResource(episode('ep-sud', 'sud', '2026-10-01', 'finished'), ctx));
    expect(ended.map((e) => (e.type === 'patient.patched' ? e.patch : e.type))).toEqual([{ programs: ['mental_health_program'], levelOfCare: 'intensive_outpatient' }]);
    expect(applied([...primary, ...episodes, ...discharge, ...ended])).toMatchObject({ patient: { programs: ['mental_health_program'] }, open: 0 });
  });

  it('learns every episode of a Bundle before mapping, so the first patch already names all current programs', () => {
    const type = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code }] }];
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'EpisodeOfCare', id: 'a', status: 'active', type: type('da'), patient: { reference: 'Patient/example' } } },
        { resource: { resourceType: 'EpisodeOfCare', id: 'b', status: 'active', type: type('cacp'), patient: { reference: 'Patient/example' } } },
      ],
    };
    const config = { programs: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da', program: 'substance_use_program' }, { system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'cacp', program: 'community_care' }] };
    const patches = ingestBundle(bundle, context({ config })).events.map((e) => (e.type === 'patient.patched' ? e.patch.programs : e.type));
    expect(patches).toEqual([
      ['community_care', 'substance_use_program'],
      ['community_care', 'substance_use_program'],
    ]);
  });

  it('keeps the payer when a later Patient version changes demographics', () => {
    const ctx = context({ config: { payers: [{ reference: 'Organization/acme-payer', payer: 'acme' }] } });
    const v1 = events(mapResource({ ...example('patient-example.json'), meta: { versionId: '1' } }, ctx));
    const coverage = events(mapResource(example('coverage-example.json'), ctx));
    const v2 = events(mapResource({ ...example('patient-example.json'), birthDate: '1987-02-21', meta: { versionId: '2' } }, ctx));
    expect(v1.map((e) => e.type)).toEqual(['patient.registered']);
    expect(v2.map((e) => e.type)).toEqual(['patient.registered', 'patient.patched']);
    expect(v2[0]!.id).toBe(v1[0]!.id); // one registration per patient: storage keeps the first
    const { state } = reduceAll(createSeenFilter().fresh([...v1, ...coverage, ...v2]));
    expect(state.cases.example!.patient).toMatchObject({ birthDate: '1987-02-21', payer: 'acme', displayToken: displayTokenFor(ctx.config, 'clinic-north', 'example') });
  });

  it('keeps the programs an EpisodeOfCare set when a Coverage then sets the payer (a patch changes only what it names)', () => {
    const config = { payers: [{ reference: 'Organization/acme-payer', payer: 'acme' }], programs: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da', program: 'substance_use_program' }] };
    const episode = { resourceType: 'EpisodeOfCare', id: 'ep1', status: 'active', type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da' }] }], patient: { reference: 'Patient/example' } };
    const list = [...events(mapResource(episode, context({ config }))), ...events(mapResource(example('coverage-example.json'), context({ config })))];
    expect(reduceAll(list).state.cases.example!.patient).toMatchObject({ payer: 'acme', programs: ['substance_use_program'] });
  });

  it('closes a deceased patient\'s case at the time of death: open follow-ups are cancelled, and a Bundle lists the closure last', () => {
    const stay = { resourceType: 'Encounter', id: 'e5', status: 'finished', class: { code: 'IMP' }, subject: { reference: 'Patient/example' }, period: { start: '2026-11-01T10:00:00Z', end: '2026-11-05T10:00:00Z' } };
    const deceased = { ...example('patient-example.json'), deceasedDateTime: '2026-11-08T04:00:00Z' };
    const result = ingestBundle({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: deceased }, { resource: stay }] }, context());
    const closure = result.events.at(-1);
    expect(closure).toMatchObject({ type: 'case.closed', patientId: 'example', at: '2026-11-08T04:00:00.000Z', reason: 'deceased' });
    const { state } = reduceAll(result.events);
    const followUps = Object.values(state.cases.example!.milestones);
    expect(followUps.map((m) => [m.templateId, m.status, m.closedAt])).toEqual([
      ['fuh-7', 'cancelled', '2026-11-08T04:00:00.000Z'],
      ['fuh-30', 'cancelled', '2026-11-08T04:00:00.000Z'],
    ]);
    expect(events(mapResource({ ...example('patient-example.json'), deceasedBoolean: true }, context())).filter((e) => e.type === 'case.closed').map((e) => e.at)).toEqual(['2026-11-20T12:00:00.000Z']);
  });

  it('maps referral priority to CCBHC urgency: a stat referral schedules an immediate critical first contact', () => {
    const referral = { ...example('servicerequest-rehab.json'), priority: 'stat', code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '90853' }] } };
    const mapped = events(mapResource(referral, context()));
    expect(mapped.map((e) => (e.type === 'fact.recorded' ? e.fact : e.type))).toEqual([{ kind: 'referral', referralId: 'rehab', urgency: 'emergency', service: 'group_therapy' }]);
    const { state } = reduceAll(mapped);
    expect(Object.values(state.cases.example!.milestones)).toMatchObject([{ kind: 'referral_first_contact', critical: true, templateId: 'referral-emergency', status: 'scheduled' }]);
    // Revoked: the referral is retracted by its event id; the first contact it scheduled is cancelled.
    const revoked = events(mapResource({ ...referral, status: 'revoked' }, context()));
    expect(revoked).toMatchObject([{ type: 'fact.retracted', factEventId: mapped[0]!.id, reason: 'referral revoked' }]);
    const after = reduceAll([...mapped, ...revoked]).state.cases.example!;
    expect(Object.values(after.milestones).map((m) => m.status)).toEqual(['cancelled']);
    expect(after.facts).toEqual([]);
    const onlyReferrals = context({ config: { referrals: { categories: [{ system: 'http://snomed.info/sct', code: '3457005' }] } } });
    expect(mapResource(referral, onlyReferrals)).toMatchObject({ status: 'not_relevant', reason: 'out_of_scope' });
  });

  it('maps appointment statuses; two no-shows schedule the engagement check', () => {
    const appointment = (id: string, status: string, start: string) => ({
      resourceType: 'Appointment',
      id,
      status,
      start,
      participant: [{ actor: { reference: 'Patient/example' } }, { actor: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893' } }],
      meta: { lastUpdated: start },
    });
    const ctx = context();
    const all = [
      appointment('a1', 'booked', '2026-11-02T15:00:00Z'),
      appointment('a2', 'fulfilled', '2026-11-03T15:00:00Z'),
      appointment('a3', 'noshow', '2026-11-05T15:00:00Z'),
      appointment('a4', 'cancelled', '2026-11-06T15:00:00Z'),
      appointment('a5', 'noshow', '2026-11-09T15:00:00Z'),
    ].flatMap((a) => events(mapResource(a, ctx)));
    expect(all.map((e) => (e.type === 'fact.recorded' && e.fact.kind === 'appointment' ? `${e.fact.status}:${e.fact.ownerId}` : e.type))).toEqual([
      'booked:npi:1234567893',
      'kept:npi:1234567893',
      'no_show:npi:1234567893',
      'cancelled:npi:1234567893',
      'no_show:npi:1234567893',
    ]);
    const { state } = reduceAll(all);
    expect(Object.values(state.cases.example!.milestones).map((m) => [m.kind, m.status])).toEqual([['engagement_check', 'scheduled']]);
    // The second no-show was entered in error: it is retracted, and the engagement check it triggered withdrawn.
    const withdrawn = events(mapResource(appointment('a5', 'entered-in-error', '2026-11-09T15:00:00Z'), ctx));
    expect(withdrawn.map((e) => (e.type === 'fact.retracted' ? e.factEventId : e.type))).toContain(all.at(-1)!.id);
    expect(Object.values(reduceAll([...all, ...withdrawn]).state.cases.example!.milestones).map((m) => m.status)).toEqual(['cancelled']);
    expect(mapResource(appointment('a6', 'proposed', '2026-11-10T15:00:00Z'), ctx)).toMatchObject({ status: 'not_relevant' });
  });

  it('reads GAD-7 totals from an Observation and PHQ-9 from item answers when no total is stated', () => {
    const gad7 = { resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '70274-6' }] }, subject: { reference: 'Patient/example' }, effectiveDateTime: '2026-11-01T10:00:00Z', valueQuantity: { value: 15 } };
    expect(facts(mapResource(gad7, context()))).toEqual([{ kind: 'measure_score', instrument: 'GAD-7', score: 15 }]);
    const response = example('QuestionnaireResponse-phq-9-example.json') as { item: { linkId: string }[] };
    response.item = response.item.filter((i) => i.linkId !== '/44261-6');
    expect(facts(mapResource(response, context()))).toEqual([{ kind: 'measure_score', instrument: 'PHQ-9', score: 12 }]);
    const wrongTotal = example('QuestionnaireResponse-phq-9-example.json') as { item: { linkId: string; answer: { valueDecimal?: number }[] }[] };
    wrongTotal.item.find((i) => i.linkId === '/44261-6')!.answer = [{ valueDecimal: 20 }];
    const outcome = mapResource(wrongTotal, context());
    expect(facts(outcome)).toEqual([{ kind: 'measure_score', instrument: 'PHQ-9', score: 20 }]);
    expect(outcome).toMatchObject({ warnings: [{ code: 'score_mismatch' }] });
    expect(mapResource({ ...gad7, code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }, context())).toMatchObject({ status: 'not_relevant', reason: 'out_of_scope' });
  });

  it('maps an EpisodeOfCare program to the patient\'s programs and its care manager to the care team', () => {
    const episode = {
      resourceType: 'EpisodeOfCare',
      id: 'ep1',
      status: 'active',
      type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da' }] }, { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'hacc' }] }],
      patient: { reference: 'Patient/example' },
      period: { start: '2026-10-01' },
      careManager: { reference: 'Practitioner/cm-1' },
    };
    const ctx = context({ config: { programs: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da', program: 'substance_use_program' }] } });
    const outcome = mapResource(episode, ctx);
    expect(events(outcome).map((e) => (e.type === 'patient.patched' ? e.patch : e.type === 'careteam.assigned' ? e.member : e.type))).toEqual([
      { programs: ['substance_use_program'] },
      { ownerId: 'cm-1', role: 'case_manager' },
    ]);
    expect(outcome).toMatchObject({ warnings: [{ code: 'unmapped_code', path: 'type.1.coding.0', value: 'hacc' }, { code: 'unresolved_reference', path: 'careManager' }] });
    // Entered in error: its programs leave the patient.
    expect(events(mapResource({ ...episode, status: 'entered-in-error', meta: { versionId: '2' } }, ctx)).map((e) => (e.type === 'patient.patched' ? e.patch : e.type))).toEqual([{ programs: [] }]);
  });

  it('reports a resource whose patient cannot be resolved, and unsupported types, as typed outcomes', () => {
    const stray = { resourceType: 'Condition', id: 'c9', subject: { reference: 'Group/g1' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F41.0' }] } };
    expect(mapResource(stray, context())).toMatchObject({ status: 'invalid', error: { code: 'not_found', issues: [{ path: 'subject' }] } });
    expect(mapResource({ resourceType: 'Procedure', id: 'p1' }, context())).toMatchObject({ status: 'not_relevant', reason: 'unsupported_resource_type' });
    expect(mapResource({ resourceType: 'Encounter', id: 'bad id!', status: 'finished', class: {} }, context())).toMatchObject({ status: 'invalid', error: { issues: [{ path: 'id', message: 'not a FHIR id' }] } });
  });

  it('uses the same FUH template ids as the default rule pack', () => {
    expect(DEFAULT_RULE_PACK.milestoneTemplates.map((t) => t.id)).toContain('fuh-7');
  });
});
