import { createCoreConfig, emptyState, EventSchema, reduce, type CareEvent } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import { createHl7MappingConfig, createSeenControlIds, hl7RegistrationId, ingestHl7, mapAdt, mappingContext, parseHl7, type Hl7MappingResult } from '../src/index.js';
import { adt, siu } from './messages.js';
import { hl7File, hl7Files } from './real-data.js';

const TENANT = 'clinic-a';
const ingest = (text: string, config = createHl7MappingConfig()) => ingestHl7(text, { tenantId: TENANT, config });
const facts = (result: Hl7MappingResult) => result.events.flatMap((e) => (e.type === 'fact.recorded' ? [e.fact] : []));
const types = (result: Hl7MappingResult) => result.events.map((e) => e.type);

describe('real ADT samples become the right events', () => {
  it.each([
    ['ADT-A01-01.hl7', 'patient.registered', 'admission'],
    ['ADT-A01-02.hl7', 'patient.registered', 'admission'],
    ['ADT01-23.hl7', 'patient.registered', 'admission'],
    ['ADT-A02-01.hl7', 'patient.patched', 'transfer'],
    ['ADT-A03-01.hl7', 'patient.patched', 'discharge'],
    ['ADT-A03-02.hl7', 'patient.patched', 'discharge'],
  ])('%s → %s and a %s transition', (file, patientEvent, transition) => {
    const result = ingest(hl7File(file));
    expect(result.status).toBe('applied');
    expect(result.events[0]?.type).toBe(patientEvent);
    const transitions = facts(result).filter((f) => f.kind === 'transition');
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ transition });
  });

  it('takes the setting from PV1-2 (I → inpatient in the v2.3 admit) and the encounter from PV1-19', () => {
    const transition = facts(ingest(hl7File('ADT01-23.hl7'))).find((f) => f.kind === 'transition');
    expect(transition).toEqual({ kind: 'transition', transition: 'admission', setting: 'inpatient', mentalHealth: false, encounterId: '40007716' });
  });

  it('dates a discharge by PV1-45, not by the (future) EVN-2 or the (1989) MSH-7', () => {
    const result = ingest(hl7File('ADT-A03-01.hl7'));
    const discharge = result.events.find((e) => e.type === 'fact.recorded' && e.fact.kind === 'transition');
    expect(discharge?.at).toBe('2015-02-09T10:24:19.000Z');
    expect(result.events[0]?.at).toBe('2029-08-01T05:51:24.000Z');
  });

  it('A04 registers (then patches with what it states); an emergency registration (PV1-2 E) is also an emergency admission', () => {
    expect(types(ingest(hl7File('ADT-A04-01.hl7')))).toEqual(['patient.registered', 'patient.patched']);
    const er = ingest(hl7File('ADT04-251.hl7'));
    expect(types(er)).toEqual(['patient.registered', 'patient.patched', 'fact.recorded']);
    expect(facts(er)[0]).toMatchObject({ kind: 'transition', transition: 'admission', setting: 'emergency' });
  });

  it('A08 patches only the fields the message states, without a transition', () => {
    for (const file of ['ADT-A08-01.hl7', 'ADT-A08-02.hl7']) {
      expect(types(ingest(hl7File(file))), file).toEqual(['patient.patched']);
      // What the mapper states, before core's schema fills defaults: the sample's birth date (PID-7) and nothing it
      // does not know — no display token, zone, programs or level of care (its IN1 payer is not in the table).
      const parsed = parseHl7(hl7File(file));
      if (!parsed.ok) throw parsed.error;
      const mapping = mapAdt(mappingContext(parsed.value, TENANT, createHl7MappingConfig()));
      expect(mapping.ok && mapping.events, file).toEqual([expect.objectContaining({ type: 'patient.patched', patch: { birthDate: '1988-08-18' } })]);
    }
  });

  it.each([
    ['ADT-A11-01.hl7', 'admission_cancelled'],
    ['ADT-A13-01.hl7', 'discharge_cancelled'],
  ])('%s (a cancel) records a %s transition for the PV1-19 visit', (file, transition) => {
    const result = ingest(hl7File(file));
    expect(result.status).toBe('applied');
    expect(types(result)).toEqual(['fact.recorded']);
    expect(facts(result)[0]).toEqual({ kind: 'transition', transition, setting: 'preadmit', mentalHealth: false, encounterId: '40007716' });
    expect(result.events[0]).toMatchObject({ patientId: 'PATID1234' });
  });

  it.each(['ADT-A05-01.hl7', 'ADT-A06-01.hl7', 'ADT-A07-02.hl7', 'SIU-S16-01.hl7', 'SIU_12.hl7'])('%s is rejected as unsupported, naming MSH-9.2', (file) => {
    const result = ingest(hl7File(file));
    expect(result.status).toBe('rejected');
    expect(result.events).toEqual([]);
    expect(result.errors[0]?.code).toBe('unsupported');
    expect(result.errors[0]?.issues[0]?.path).toBe('MSH-9.2');
  });
});

describe('real SIU samples become appointment facts', () => {
  const appointment = (file: string) => {
    const result = ingest(hl7File(file));
    expect(result.status).toBe('applied');
    const found = facts(result).filter((f) => f.kind === 'appointment');
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  it.each([
    ['SIU-S12-01.hl7', 'booked'],
    ['SIU-S12-02.hl7', 'booked'],
    ['SIU-S12_1.hl7', 'booked'],
    ['SIU-S13-01.hl7', 'booked'],
    ['SIU-S14-02.hl7', 'booked'],
    ['SIU-S15-01.hl7', 'cancelled'],
    ['SIU-S15-02.hl7', 'cancelled'],
    ['SIU-S17-01.hl7', 'cancelled'],
    ['SIU-S26-01.hl7', 'no_show'],
    ['SIU-S26-02.hl7', 'no_show'],
  ])('%s → appointment %s', (file, status) => {
    expect(appointment(file)).toMatchObject({ kind: 'appointment', appointmentId: '36996', status });
  });

  it('S12 takes the start from TQ1-7 and the owner from the first AIP', () => {
    expect(appointment('SIU-S12-01.hl7')).toEqual({ kind: 'appointment', appointmentId: '36996', status: 'booked', start: '2021-09-24T07:15:00.000Z', ownerId: '1210' });
  });

  it('S13 (reschedule) books the appointment at its new start', () => {
    const before = appointment('SIU-S12-02.hl7');
    const after = appointment('SIU-S13-02.hl7');
    expect(before.kind === 'appointment' && before.start).toBe('2021-08-18T09:15:00.000Z');
    expect(after).toMatchObject({ status: 'booked', start: '2021-08-20T09:15:00.000Z' });
  });

  it('S14 (modify) follows the SCH-25 filler status: Complete → kept, Noshow → no_show', () => {
    const kept = ingest(siu({ trigger: 'S14', status: 'Complete' }));
    expect(facts(kept)[0]).toMatchObject({ status: 'kept' });
    const missed = ingest(siu({ trigger: 'S14', status: 'Noshow' }));
    expect(facts(missed)[0]).toMatchObject({ status: 'no_show' });
  });
});

describe('every real sample, ingested', () => {
  it('yields only events that pass core EventSchema, with unique deterministic ids; prints counts per event type', () => {
    const counts: Record<string, number> = {};
    const statuses: Record<string, number> = {};
    const ids = new Map<string, string>();
    const messageKeys = new Map<string, string[]>();
    for (const [name, text] of hl7Files()) {
      const first = ingest(text);
      const again = ingest(text);
      expect(again, name).toEqual(first);
      statuses[first.status] = (statuses[first.status] ?? 0) + 1;
      for (const event of first.events) {
        expect(() => EventSchema.parse(event), name).not.toThrow();
        const key = event.type === 'fact.recorded' ? `fact.recorded:${event.fact.kind}${'transition' in event.fact ? `:${event.fact.transition}` : `:${'status' in event.fact ? event.fact.status : ''}`}` : event.type;
        counts[key] = (counts[key] ?? 0) + 1;
        // A registration's id is the patient's (the first one wins in an id-idempotent store). Other ids are unique
        // within a message; across files they repeat only where the samples reuse a sender + control id + trigger
        // (HL7 says MSH-10 is unique per sender, so such files are "the same message").
        if (event.type === 'patient.registered') {
          expect(event.id, name).toBe(hl7RegistrationId(TENANT, event.patientId));
          continue;
        }
        const messageKey = `${first.controlId}|${first.messageType}^${first.triggerEvent}`;
        const owner = ids.get(event.id);
        if (owner !== undefined) expect(owner.split('#')[0], `${name} reuses an event id of ${owner}`).toBe(messageKey);
        ids.set(event.id, `${messageKey}#${name}`);
      }
      expect(new Set(first.events.map((e) => e.id)).size, name).toBe(first.events.length);
      if (first.controlId !== undefined) messageKeys.set(first.controlId, [...(messageKeys.get(first.controlId) ?? []), name]);
    }
    const reused = [...messageKeys.entries()].filter(([, names]) => names.length > 1);
    console.log('HL7 v2 samples sharing one MSH-10:', reused.map(([id, names]) => `${id} ×${names.length}`).join(', '));
    console.log('HL7 v2 ingestion, message statuses:', statuses);
    console.log('HL7 v2 ingestion, events per type:', counts);
    expect(statuses).toEqual({ applied: 28, rejected: 9 });
    expect(counts['fact.recorded:transition:discharge']).toBe(2);
    expect(counts['fact.recorded:transition:admission_cancelled']).toBe(1);
    expect(counts['fact.recorded:transition:discharge_cancelled']).toBe(1);
    expect(counts['patient.updated']).toBeUndefined();
  });
});

describe('a behavioral-health feed with a vendor mapping', () => {
  const config = createHl7MappingConfig({
    timeZone: 'America/Chicago',
    payers: { AETNA: 'aetna', SELFPAY: null },
    services: { IND: 'individual_therapy', GRP: 'group_therapy' },
    programs: { PSY: 'inpatient_psych' },
  });

  it('maps a psychiatric discharge: diagnosis category, payer, program, mental-health transition', () => {
    const result = ingest(adt({ payer: 'AETNA' }), config);
    expect(result.status).toBe('applied');
    expect(result.warnings).toEqual([]);
    const [patient, diagnosis, transition] = result.events;
    expect(patient).toMatchObject({ type: 'patient.patched', patientId: 'MRN-1001', patch: { payer: 'aetna', programs: ['inpatient_psych'], birthDate: '1988-04-12' } });
    expect(diagnosis).toMatchObject({ type: 'fact.recorded', fact: { kind: 'diagnosis', category: 'panic_disorder', code: 'F41.0', system: 'http://hl7.org/fhir/sid/icd-10-cm' } });
    expect(transition).toMatchObject({ type: 'fact.recorded', at: '2026-11-01T13:30:00.000Z', fact: { kind: 'transition', transition: 'discharge', setting: 'inpatient', mentalHealth: true, encounterId: 'V-77' } });
  });

  it('feeds core: the discharge schedules the 7-day follow-up in the patient zone (across the DST change)', () => {
    // Admitted (A01 registers the patient in the facility zone), then discharged 08:30 CDT on 30 Oct; seven
    // calendar days later in Chicago is 08:30 CST (14:30Z), not 13:30Z.
    const admit = ingest(adt({ trigger: 'A01', controlId: 'CTRL-0', payer: 'AETNA' }), config);
    const discharge = ingest(adt({ payer: 'AETNA', discharge: '20261030083000-0500' }), config);
    const core = createCoreConfig();
    const state = [...admit.events, ...discharge.events].reduce((s, e: CareEvent) => reduce(s, e, core), emptyState(TENANT));
    const milestones = Object.values(state.cases['MRN-1001']!.milestones);
    expect(milestones).toContainEqual(expect.objectContaining({ kind: 'discharge_follow_up', status: 'scheduled', dueAt: '2026-11-06T14:30:00.000Z' }));
  });

  it('decides mental health from the diagnosis when the hospital service does not say', () => {
    const withDx = facts(ingest(adt({ hospitalService: 'MED', diagnoses: ['F32.1'] }), config)).find((f) => f.kind === 'transition');
    const withoutDx = facts(ingest(adt({ hospitalService: 'MED', diagnoses: ['I10'] }), config)).find((f) => f.kind === 'transition');
    expect(withDx).toMatchObject({ mentalHealth: true });
    expect(withoutDx).toMatchObject({ mentalHealth: false });
  });

  it('warns (never silently drops) about unmapped codes, without echoing diagnosis codes', () => {
    const result = ingest(adt({ payer: 'UNKNOWNCO', diagnoses: ['Z99.89'], patientClass: 'X', hospitalService: 'ZZZ' }), config);
    expect(result.status).toBe('applied');
    const byPath = Object.fromEntries(result.warnings.map((w) => [w.path, w]));
    expect(byPath['IN1[1]-3']).toMatchObject({ code: 'unmapped_code', value: 'UNKNOWNCO / PLAN1 / UNKNOWNCO Health' });
    expect(byPath['PV1-2']).toMatchObject({ code: 'unmapped_code', value: 'X' });
    expect(byPath['PV1-10']).toMatchObject({ code: 'unmapped_code', value: 'ZZZ' });
    expect(byPath['DG1[1]-3']).toMatchObject({ code: 'unmapped_code' });
    expect(JSON.stringify(result.warnings)).not.toContain('Z99');
    expect(facts(result).some((f) => f.kind === 'transition')).toBe(false);
  });

  it('a code mapped to null is ignored quietly', () => {
    const result = ingest(adt({ payer: 'SELFPAY' }), config);
    expect(result.warnings).toEqual([]);
    expect(result.events[0]).toMatchObject({ type: 'patient.patched', patientId: 'MRN-1001', patch: { programs: ['inpatient_psych'] } });
    expect(result.events[0]?.type === 'patient.patched' && 'payer' in result.events[0].patch).toBe(false);
  });

  it('a booked group-therapy appointment also records the service enrollment', () => {
    const result = ingest(siu({ service: 'GRP' }), config);
    expect(facts(result)).toEqual([
      { kind: 'appointment', appointmentId: 'APT-9', status: 'booked', start: '2026-11-05T15:00:00.000Z', ownerId: 'ther-1' },
      { kind: 'service', service: 'group_therapy', status: 'enrolled' },
    ]);
  });

  it('assigns appointment personnel with a mapped role to the care team when configured', () => {
    const assigning = createHl7MappingConfig({ assignCareTeamFromAppointments: true, ownerIdPrefix: 'owner:' });
    const result = ingest(siu(), assigning);
    expect(result.events.find((e) => e.type === 'careteam.assigned')).toMatchObject({ member: { ownerId: 'owner:ther-1', role: 'therapist' } });
  });
});

describe('patient identity and PHI', () => {
  const registered = (result: Hl7MappingResult) => {
    const event = result.events.find((e) => e.type === 'patient.registered');
    return event?.type === 'patient.registered' ? event.patient : undefined;
  };

  it('shows a display token from a hash of tenant + MRN, never the name or birth date', () => {
    const register = adt({ trigger: 'A04' });
    const result = ingest(register);
    const patient = registered(result);
    expect(patient?.displayToken).toMatch(/^P·\d{4}$/);
    expect(patient?.name).toBeUndefined();
    expect(registered(ingest(adt({ trigger: 'A01', controlId: 'CTRL-9' })))?.displayToken).toBe(patient?.displayToken);
    const otherTenant = ingestHl7(register, { tenantId: 'clinic-b' });
    expect(registered(otherTenant)?.id).toBe(patient?.id);
    expect(otherTenant.events.map((e) => e.id)).not.toContain(result.events[0]?.id);
  });

  it('adds initials and the name only when configured', () => {
    const config = createHl7MappingConfig({ displayToken: { initials: true }, patientFields: { name: true, birthDate: false } });
    const result = ingest(adt({ trigger: 'A04' }), config);
    expect(registered(result)).toMatchObject({ name: 'JORDAN DOE', displayToken: expect.stringMatching(/^J\.D\. ·\d{4}$/) });
    expect(registered(result)?.birthDate).toBeUndefined();
    const update = ingest(adt({ trigger: 'A08' }), config).events[0];
    expect(update?.type === 'patient.patched' && update.patch).toMatchObject({ name: 'JORDAN DOE' });
    expect(update?.type === 'patient.patched' && 'birthDate' in update.patch).toBe(false);
  });

  it('picks the MR identifier, and falls back to the first one with a warning', () => {
    const real = ingest(hl7File('ADT04-28.hl7'));
    expect(real.events[0]).toMatchObject({ patientId: '0000000001' });
    expect(real.warnings).toContainEqual(expect.objectContaining({ code: 'missing_field', path: 'PID-3' }));
  });

  it('uses the sending facility time zone for timestamps without offset', () => {
    const config = createHl7MappingConfig({ facilityTimeZones: { CLINIC: 'America/Denver' } });
    const text = adt({ trigger: 'A04' }).replace('20261101085500-0500', '20260701085500');
    const result = ingest(text, config);
    expect(result.events[0]?.at).toBe('2026-07-01T14:55:00.000Z');
    expect(result.events[0]).toMatchObject({ type: 'patient.registered', patient: { timeZone: 'America/Denver' } });
  });

  it.each([
    ['no PID', 'PID', adt().replace(/PID\|[^\r]*\r/, '')],
    ['no PID-3', 'PID-3', adt().replace('MRN-1001^^^CLINIC^MR', '')],
    ['no PV1 on a discharge', 'PV1', adt().replace(/PV1\|[^\r]*\r/, '')],
    ['no patient class on a discharge', 'PV1-2', adt().replace('PV1|1|I|', 'PV1|1||')],
    ['no PV1 on a cancel discharge', 'PV1', adt({ trigger: 'A13' }).replace(/PV1\|[^\r]*\r/, '')],
    ['no patient class on a cancel admit', 'PV1-2', adt({ trigger: 'A11' }).replace('PV1|1|I|', 'PV1|1||')],
    ['no usable date', 'MSH-7', adt().replace('20261101090000-0500', 'soon').replace('EVN|A03|20261101085500-0500', 'EVN|A03|')],
    ['an SIU without SCH', 'SCH', siu().replace(/SCH\|[^\r]*\r/, '')],
  ])('%s fails with invalid_input naming %s', (_name, path, text) => {
    const result = ingest(text);
    expect(result.status).toBe('failed');
    expect(result.errors[0]?.code).toBe('invalid_input');
    expect(result.errors[0]?.issues[0]?.path).toBe(path);
    expect(result.errors[0]?.message).not.toMatch(/DOE|JORDAN|MRN-1001/);
  });

  it('rejects versions outside 2.3–2.8', () => {
    const result = ingest(adt({ version: '2.2' }));
    expect(result).toMatchObject({ status: 'rejected', errors: [expect.objectContaining({ code: 'unsupported' })] });
    expect(result.errors[0]?.issues[0]?.path).toBe('MSH-12');
  });
});

describe('idempotent ingestion', () => {
  it('the same message twice yields the same event ids (stores keep it once)', () => {
    const a = ingest(adt());
    const b = ingest(adt());
    expect(a.events.map((e) => e.id)).toEqual(b.events.map((e) => e.id));
    const otherControlId = ingest(adt({ controlId: 'CTRL-2' }));
    expect(otherControlId.events.map((e) => e.id)).not.toEqual(a.events.map((e) => e.id));
  });

  it('with a seen store, a retransmission is a duplicate and a reused control id is a conflict', () => {
    const seen = createSeenControlIds();
    const options = { tenantId: TENANT, seen };
    expect(ingestHl7(adt(), options).status).toBe('applied');
    const again = ingestHl7(adt().replaceAll('\r', '\r\n'), options);
    expect(again).toMatchObject({ status: 'duplicate', events: [], warnings: [expect.objectContaining({ code: 'duplicate' })] });
    const reused = ingestHl7(adt({ diagnoses: ['F32.1'] }), options);
    expect(reused.status).toBe('failed');
    expect(reused.errors[0]).toMatchObject({ code: 'conflict', issues: [{ path: 'MSH-10' }] });
    expect(ingestHl7(adt(), { tenantId: 'clinic-b', seen }).status).toBe('applied');
  });

  it('does not remember messages that failed, so a corrected resend is applied', () => {
    const seen = createSeenControlIds();
    expect(ingestHl7(adt().replace('PV1|1|I|', 'PV1|1||'), { tenantId: TENANT, seen }).status).toBe('failed');
    expect(ingestHl7(adt(), { tenantId: TENANT, seen }).status).toBe('applied');
  });

  it('forgets the oldest keys beyond its bound', () => {
    const seen = createSeenControlIds({ max: 2 });
    for (const id of ['1', '2', '3']) ingestHl7(adt({ controlId: id }), { tenantId: TENANT, seen });
    expect(seen.size).toBe(2);
    expect(ingestHl7(adt({ controlId: '1' }), { tenantId: TENANT, seen }).status).toBe('applied');
    expect(ingestHl7(adt({ controlId: '3' }), { tenantId: TENANT, seen }).status).toBe('duplicate');
  });
});
