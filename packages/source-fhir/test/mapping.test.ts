import { type CareEvent, type CaseEvent, DEFAULT_RULE_PACK, EventSchema, createCoreConfig, emptyState, guidance, reduce } from '@carerelay/core';
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

/** Reduces events (after a patient registration) with the core default configuration. */
function reduceAll(list: readonly CareEvent[]) {
  const config = createCoreConfig();
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
    expect(result.events.map((e) => ('patientId' in e ? e.patientId : ''))).toEqual(Array(3).fill('0f6e2a3c-1111-4a5b-9c1d-2e3f4a5b6c7d'));
  });
});

describe('idempotent ingestion', () => {
  const stay = syntheaResources('Encounter').find((e) => (e.class as { code: string }).code === 'IMP')!;
  const mentalHealthStay = { ...stay, subject: { reference: 'Patient/example' }, reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'F32.2' }] }] };
  const followUps = (list: readonly CareEvent[]) => Object.values(reduceAll(list).state.cases.example!.milestones).filter((m) => m.kind === 'discharge_follow_up');

  it('gives the same event ids to the same resource version, and the seen filter yields them once', () => {
    const ctx = context();
    const first = events(mapResource(stay, ctx));
    const second = events(mapResource(structuredClone(stay), ctx));
    expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id));
    const seen = createSeenFilter();
    expect(seen.fresh([...first, ...second])).toHaveLength(2);
    expect(seen.fresh(second)).toEqual([]);
  });

  it('keeps a discharge one fact across versions that restate it, so a later version never schedules a second follow-up', () => {
    const ctx = context();
    const v1 = events(mapResource({ ...mentalHealthStay, meta: { versionId: '1' } }, ctx));
    const v2 = events(mapResource({ ...mentalHealthStay, meta: { versionId: '2' } }, ctx));
    const facts = (list: CareEvent[]) => list.filter((e) => e.type === 'fact.recorded').map((e) => e.id);
    expect(facts(v2)).toEqual(facts(v1));
    const applied = createSeenFilter().fresh([...v1, ...v2]);
    expect(followUps(applied).map((m) => m.status)).toEqual(['scheduled']);
  });

  it('follows a stay reclassified as mental-health after discharge, and back', () => {
    const ctx = context();
    const medical = events(mapResource({ ...stay, subject: { reference: 'Patient/example' }, meta: { versionId: '1' } }, ctx));
    const coded = events(mapResource({ ...mentalHealthStay, meta: { versionId: '2' } }, ctx));
    expect(followUps(medical)).toEqual([]);
    expect(followUps([...medical, ...coded]).map((m) => m.status)).toEqual(['scheduled']);
    const recoded = events(mapResource({ ...stay, subject: { reference: 'Patient/example' }, meta: { versionId: '3' } }, ctx));
    expect(followUps(createSeenFilter().fresh([...medical, ...coded, ...recoded])).map((m) => m.status)).toEqual(['cancelled']);
  });

  it('cancels the follow-up when the stay is later entered in error', () => {
    const ctx = context();
    const discharge = events(mapResource(mentalHealthStay, ctx));
    const retracted = events(mapResource({ ...mentalHealthStay, status: 'entered-in-error', meta: { versionId: '3' } }, ctx));
    expect(retracted.map((e) => e.type)).toContain('milestone.cancelled');
    expect(followUps(discharge).map((m) => m.status)).toEqual(['scheduled']);
    expect(followUps([...discharge, ...retracted]).map((m) => m.status)).toEqual(['cancelled']);
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
  });

  it('schedules authorization review and expiry from a Coverage period end, with the mapped payer; a cancelled coverage cancels them', () => {
    const coverage = { ...example('coverage-example.json'), period: { start: '2026-09-01', end: '2026-11-30' } };
    const ctx = context({ config: { timeZone: 'America/Chicago', payers: [{ reference: 'Organization/acme-payer', payer: 'acme' }] } });
    const scheduled = events(mapResource(coverage, ctx));
    expect(scheduled.map((e) => (e.type === 'milestone.scheduled' ? [e.milestone.kind, e.milestone.dueAt, e.milestone.payer, e.milestone.label] : e.type))).toEqual([
      ['authorization_review', '2026-11-24T05:59:00.000Z', 'acme', 'acme authorization review'],
      ['authorization_expiry', '2026-12-01T05:59:00.000Z', 'acme', 'acme authorization expiry'],
    ]);
    const cancelled = events(mapResource({ ...coverage, status: 'cancelled' }, ctx));
    expect(cancelled.map((e) => (e.type === 'milestone.cancelled' ? e.milestoneId : e.type))).toEqual(scheduled.map((e) => (e.type === 'milestone.scheduled' ? e.milestone.id : '')));
    const { state } = reduceAll([...scheduled, ...cancelled]);
    expect(Object.values(state.cases.example!.milestones).map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('maps referral priority to CCBHC urgency: a stat referral schedules an immediate critical first contact', () => {
    const referral = { ...example('servicerequest-rehab.json'), priority: 'stat', code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '90853' }] } };
    const mapped = events(mapResource(referral, context()));
    expect(mapped.map((e) => (e.type === 'fact.recorded' ? e.fact : e.type))).toEqual([{ kind: 'referral', referralId: 'rehab', urgency: 'emergency', service: 'group_therapy' }]);
    const { state } = reduceAll(mapped);
    expect(Object.values(state.cases.example!.milestones)).toMatchObject([{ kind: 'referral_first_contact', critical: true, templateId: 'referral-emergency' }]);
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
    expect(Object.values(state.cases.example!.milestones).map((m) => m.kind)).toEqual(['engagement_check']);
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

  it('maps an EpisodeOfCare program to a service and its care manager to the care team', () => {
    const episode = {
      resourceType: 'EpisodeOfCare',
      id: 'ep1',
      status: 'active',
      type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da' }] }],
      patient: { reference: 'Patient/example' },
      period: { start: '2026-10-01' },
      careManager: { reference: 'Practitioner/cm-1' },
    };
    const ctx = context({ config: { programs: [{ system: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type', code: 'da', program: 'substance_use_program' }] } });
    const outcome = mapResource(episode, ctx);
    expect(events(outcome).map((e) => (e.type === 'fact.recorded' ? e.fact : e.type === 'careteam.assigned' ? e.member : e.type))).toEqual([
      { kind: 'service', service: 'substance_use_program', status: 'enrolled' },
      { ownerId: 'cm-1', role: 'case_manager' },
    ]);
    expect(outcome).toMatchObject({ warnings: [{ code: 'unresolved_reference', path: 'careManager' }] });
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
