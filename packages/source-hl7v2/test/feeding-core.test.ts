import { createCoreConfig, isCaseEvent, reduceCase, type CaseState } from '@carerelay/core';
import { createCoordinator, createManualClock, createMemoryStorage } from '@carerelay/engine';
import { describe, expect, it } from 'vitest';
import { createHl7MappingConfig, hl7RegistrationId, ingestHl7 } from '../src/index.js';
import { adt } from './messages.js';

const TENANT = 'clinic-a';
const config = createHl7MappingConfig({ timeZone: 'America/Chicago', payers: { AETNA: 'aetna' } });
const core = createCoreConfig();

/** The events of HL7 messages, in order (each must be applied). */
function eventsOf(...texts: string[]) {
  return texts.flatMap((text) => {
    const result = ingestHl7(text, { tenantId: TENANT, config });
    expect(result.status, result.errors.map((e) => e.message).join('; ')).toBe('applied');
    return result.events;
  });
}

/** One patient's case after the messages, reduced by core as the engine would. */
function caseAfter(...texts: string[]): CaseState {
  let state: CaseState | undefined;
  for (const event of eventsOf(...texts)) if (isCaseEvent(event)) state = reduceCase(state, event, core);
  return state!;
}

const followUps = (state: CaseState) => Object.values(state.milestones).filter((m) => m.kind === 'discharge_follow_up');
const openFollowUps = (state: CaseState) => followUps(state).filter((m) => m.status === 'scheduled');

describe('a cancelled discharge (A13) withdraws the follow-up its discharge scheduled', () => {
  const admit = adt({ trigger: 'A01', controlId: 'CTRL-1' });
  const discharge = adt({ trigger: 'A03', controlId: 'CTRL-2' });

  it('A03 alone leaves the follow-ups open for the visit', () => {
    const open = openFollowUps(caseAfter(admit, discharge));
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((m) => m.encounterId === 'V-77')).toBe(true);
  });

  it('A03 then A13 for the same visit leaves no open discharge_follow_up milestone', () => {
    const state = caseAfter(admit, discharge, adt({ trigger: 'A13', controlId: 'CTRL-3' }));
    expect(openFollowUps(state)).toEqual([]);
    expect(followUps(state).length).toBeGreaterThan(0);
    expect(followUps(state).every((m) => m.status === 'cancelled' && m.encounterId === 'V-77')).toBe(true);
  });

  it('an A13 for another visit leaves the follow-ups open', () => {
    const state = caseAfter(admit, discharge, adt({ trigger: 'A13', controlId: 'CTRL-3', visit: 'V-78' }));
    expect(openFollowUps(state)).toHaveLength(openFollowUps(caseAfter(admit, discharge)).length);
  });

  it('an A13 without a visit number changes nothing and hands the patient id to the application', () => {
    const result = ingestHl7(adt({ trigger: 'A13', controlId: 'CTRL-3', visit: '' }), { tenantId: TENANT, config });
    expect(result).toMatchObject({ status: 'applied', events: [] });
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'missing_field', path: 'PV1-19', refs: { patientId: 'MRN-1001' } }));
  });
});

describe('registrations and updates never replace what other sources set', () => {
  async function clinic() {
    const storage = createMemoryStorage();
    const coordinator = createCoordinator({ storage, tenantId: TENANT, clock: createManualClock('2026-11-02T15:00:00Z') });
    const ingest = async (events: unknown[]) => {
      const result = await coordinator.ingest(events);
      expect(result.failed + result.quarantined).toBe(0);
      return result;
    };
    const patient = async () => (await storage.loadCase(TENANT, 'MRN-1001'))?.state.patient;
    return { ingest, patient };
  }
  const otherSource = (patch: Record<string, unknown>) => ({ id: 'ehr-patch-1', tenantId: TENANT, patientId: 'MRN-1001', type: 'patient.patched', at: '2026-10-21T12:00:00Z', patch });

  it('a second registration (new visit) is a duplicate; updates keep the level of care and token, and bring the new payer', async () => {
    const { ingest, patient } = await clinic();
    await ingest(eventsOf(adt({ trigger: 'A04', controlId: 'CTRL-1' })));
    const token = (await patient())?.displayToken;
    await ingest([otherSource({ levelOfCare: 'iop' })]);

    const again = await ingest(eventsOf(adt({ trigger: 'A04', controlId: 'CTRL-2', payer: 'AETNA' })));
    expect(again.results.find((r) => r.id === hl7RegistrationId(TENANT, 'MRN-1001'))?.status).toBe('duplicate');
    await ingest(eventsOf(adt({ trigger: 'A08', controlId: 'CTRL-3' }), adt({ trigger: 'A03', controlId: 'CTRL-4' })));

    expect(await patient()).toMatchObject({ levelOfCare: 'iop', payer: 'aetna', displayToken: token, timeZone: 'America/Chicago', birthDate: '1988-04-12' });
  });

  // Core's `patient.patched` leaves `programs` out of a patch that does not name them, so an ADT update keeps them.
  it('updates keep the programs another source set', async () => {
    const { ingest, patient } = await clinic();
    await ingest(eventsOf(adt({ trigger: 'A04', controlId: 'CTRL-1' })));
    await ingest([otherSource({ programs: ['iop'] })]);
    await ingest(eventsOf(adt({ trigger: 'A08', controlId: 'CTRL-3' })));
    expect((await patient())?.programs).toEqual(['iop']);
  });
});
