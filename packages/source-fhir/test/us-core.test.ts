import { type CareEvent, EventSchema } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import { type MapOutcome, createMappingContext, ingestBundle, learnResources, mapResource } from '../src/index.js';
import { usCoreExamples } from './data-files.js';

/** Maps every US Core example through one context (so references between files resolve), as ingestion would. */
function mapAll() {
  const examples = usCoreExamples();
  const ctx = createMappingContext({ tenantId: 'clinic-north', receivedAt: '2026-11-01T12:00:00Z', config: { timeZone: 'America/New_York' } });
  learnResources(
    ctx,
    examples.map((e) => e.resource),
  );
  const outcomes = new Map<string, MapOutcome[]>();
  for (const { file, resource } of examples) {
    if (resource.resourceType === 'Bundle') outcomes.set(file, ingestBundle(resource, ctx).items.map((i) => i.outcome));
    else outcomes.set(file, [mapResource(resource, ctx)]);
  }
  return outcomes;
}

const eventsOf = (outcomes: MapOutcome[] | undefined): CareEvent[] => (outcomes ?? []).flatMap((o) => (o.status === 'mapped' ? o.events : []));
const warningsOf = (outcomes: MapOutcome[] | undefined) => (outcomes ?? []).flatMap((o) => (o.status === 'mapped' ? o.warnings : []));

describe('US Core 9.0.0 examples', () => {
  const outcomes = mapAll();

  it('maps every example to events or a typed not-relevant result; none is invalid and none throws', () => {
    const table: string[] = [];
    for (const [file, list] of outcomes) {
      for (const outcome of list) {
        expect(outcome.status, `${file}: ${outcome.status === 'invalid' ? outcome.error.message : ''}`).not.toBe('invalid');
        table.push(`${file.padEnd(60)} ${outcome.resourceType?.padEnd(22)} ${outcome.status === 'mapped' ? `${outcome.events.length} event(s), ${outcome.warnings.length} warning(s)` : outcome.status === 'not_relevant' ? `not relevant (${outcome.reason})` : ''}`);
      }
    }
    console.log(`US Core examples:\n${table.join('\n')}`);
    expect(outcomes.size).toBe(20);
  });

  it('emits only events that pass the core EventSchema', () => {
    const all = [...outcomes.values()].flatMap(eventsOf);
    expect(all.length).toBeGreaterThan(10);
    for (const event of all) expect(() => EventSchema.parse(event)).not.toThrow();
  });

  it('registers patients with a display token that carries no name or birth date', () => {
    const [adult] = eventsOf(outcomes.get('patient-example.json'));
    const [child] = eventsOf(outcomes.get('patient-child-example.json'));
    expect(adult?.type).toBe('patient.registered');
    if (adult?.type !== 'patient.registered' || child?.type !== 'patient.registered') throw new Error('unreachable');
    expect(adult.patient.displayToken).toMatch(/^P·\d{4}$/);
    expect(adult.patient.displayToken).not.toBe(child.patient.displayToken);
    for (const phi of ['Amy', 'Shaw', 'Baxter', '1987', '02-20']) expect(adult.patient.displayToken).not.toContain(phi);
    expect(adult.patient.name).toBeUndefined();
    expect(adult.patient).toMatchObject({ id: 'example', birthDate: '1987-02-20', timeZone: 'America/New_York' });
    // The child is 10 at the time rules run in 2026: age-based rules (adolescent reviews) can match.
    expect(child.patient.birthDate).toBe('2016-01-15');
  });

  it('assigns the care team by owner ids that match the practitioners (NPI), with roles from SNOMED codes', () => {
    const events = eventsOf(outcomes.get('careteam-example.json'));
    expect(events.map((e) => (e.type === 'careteam.assigned' ? e.member : e.type))).toEqual([
      { ownerId: 'npi:9941339100', role: 'staff' },
      { ownerId: 'npi:1245319599', role: 'prescriber' },
    ]);
    const owners = [...eventsOf(outcomes.get('practitioner-1.json')), ...eventsOf(outcomes.get('practitioner-2.json'))].map((e) => (e.type === 'owner.upserted' ? e.owner.id : ''));
    expect(owners).toEqual(['npi:9941339100', 'npi:1245319599']);
    const warnings = warningsOf(outcomes.get('careteam-example.json'));
    // Cardiologist (SNOMED 17561000) is not a behavioral-health role: warned, never dropped silently.
    expect(warnings.find((w) => w.code === 'unmapped_code')).toMatchObject({ path: 'participant.0.role.0.coding.0', system: 'http://snomed.info/sct', value: '17561000' });
    expect(warnings.filter((w) => w.code === 'participant_skipped').map((w) => w.path)).toEqual(['participant.2.member', 'participant.3.member']);
  });

  it('maps the PractitionerRole bundle: the role from v3 PCP reaches both the role and the practitioner upsert', () => {
    const list = outcomes.get('PractitionerRole_Practitioner_Endpoint_Bundle_Example.json') ?? [];
    expect(list.map((o) => `${o.resourceType}:${o.status}`)).toEqual(['PractitionerRole:mapped', 'Practitioner:mapped', 'Endpoint:not_relevant']);
    const owners = eventsOf(list).map((e) => (e.type === 'owner.upserted' ? [e.owner.id, e.owner.role, e.owner.name] : []));
    expect(owners).toEqual([
      ['npi:9999991018', 'prescriber', 'Brenda Jennings Richard'],
      ['npi:9999991018', 'prescriber', 'Brenda Jennings Richard'],
    ]);
  });

  it('reads the PHQ-9 QuestionnaireResponse total and reports the panel whose total is only in member observations', () => {
    expect(eventsOf(outcomes.get('QuestionnaireResponse-phq-9-example.json')).map((e) => (e.type === 'fact.recorded' ? e.fact : undefined))).toEqual([
      { kind: 'measure_score', instrument: 'PHQ-9', score: 12 },
    ]);
    const panel = outcomes.get('Observation-PHQ9-panel-example-44249-1.json')?.[0];
    expect(panel).toMatchObject({ status: 'mapped', events: [] });
    expect(warningsOf([panel!]).map((w) => w.code)).toEqual(['score_missing']);
  });

  it('turns the in-progress inpatient encounter into an admission and skips the ambulatory one', () => {
    const [admission] = eventsOf(outcomes.get('encounter-1036.json'));
    expect(admission).toMatchObject({ type: 'fact.recorded', at: '2024-01-29T00:06:21.000Z', fact: { kind: 'transition', transition: 'admission', setting: 'inpatient', encounterId: '1036' } });
    expect(warningsOf(outcomes.get('encounter-1036.json')).map((w) => w.code)).toEqual(['time_approximated']);
    expect(outcomes.get('encounter-example-1.json')?.[0]).toMatchObject({ status: 'not_relevant', reason: 'out_of_scope' });
  });

  it('maps referrals, prescriptions and reports what it cannot use', () => {
    for (const file of ['servicerequest-rehab.json', 'servicerequest-foodpantry-referral.json']) {
      const [referral] = eventsOf(outcomes.get(file));
      expect(referral).toMatchObject({ type: 'fact.recorded', at: '2021-11-12T18:59:38.000Z', fact: { kind: 'referral', urgency: 'routine' } });
    }
    const [coded] = eventsOf(outcomes.get('medicationrequest-coded-oral-axid.json'));
    expect(coded).toMatchObject({ at: '2008-04-05T04:00:00.000Z', fact: { kind: 'medication_change', change: 'start', medication: 'Nizatidine Oral Solution', toDose: '10 mL bid' } });
    const [referenced] = eventsOf(outcomes.get('medicationrequest-referenced-oral-axid.json'));
    expect(referenced).toMatchObject({ fact: { kind: 'medication_change', change: 'start', toDose: '10 mL bid' } });
    // A burn of the ear is not a behavioral-health diagnosis; a coverage without a period end schedules nothing.
    expect(warningsOf(outcomes.get('condition-encounter-diagnosis-example1.json'))).toMatchObject([{ code: 'unmapped_code', path: 'code.coding.0' }]);
    // The payer is unmapped (warned): its display name becomes the patient's payer.
    expect(eventsOf(outcomes.get('coverage-example.json'))).toMatchObject([{ type: 'patient.patched', patientId: 'example', patch: { payer: 'Acme Health Plan' } }]);
    expect(warningsOf(outcomes.get('coverage-example.json')).map((w) => w.code)).toEqual(['unmapped_code']);
    for (const file of ['Questionnaire-phq-9-example.json', 'careplan-ulcer-example.json', 'goal-1.json', 'organization-acme-payer.json']) {
      expect(outcomes.get(file)?.[0]).toMatchObject({ status: 'not_relevant', reason: 'unsupported_resource_type' });
    }
  });
});
