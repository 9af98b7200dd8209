/**
 * Runnable example: an MLLP listener with a vendor mapping, fed an admission, a discharge and a booking over TCP.
 * Run from the repository root: `npx tsx --conditions=@carerelay/source packages/source-hl7v2/examples/mllp-demo.ts`
 */
import type { CareEvent } from '@carerelay/core';
import { createHl7MappingConfig, createMllpListener, createSeenControlIds, parseAck, sendMllp } from '@carerelay/source-hl7v2';

const config = createHl7MappingConfig({
  timeZone: 'America/Chicago',
  payers: { '60054': 'aetna', SELFPAY: null },
  services: { GRP: 'group_therapy' },
  programs: { PSY: 'inpatient_psych' }, // PV1-10 hospital service → program (read only when configured)
  diagnosisCategories: { 'F43.2*': 'adjustment_disorder' },
});

const listener = await createMllpListener({
  port: 0, // any free port on 127.0.0.1
  tenantId: 'clinic-a',
  config,
  seen: createSeenControlIds(),
  onMessage: ({ result }) => {
    for (const event of result.events) console.log('event   ', event.type, detail(event));
    for (const warning of result.warnings) console.log('warning ', warning.code, warning.path, warning.message);
  },
});

/** What to print of an event: a fact as is; of a patient event only its shape (names and dates are PHI). */
function detail(event: CareEvent): string {
  if (event.type === 'fact.recorded') return JSON.stringify(event.fact);
  if (event.type === 'patient.registered') return `token ${event.patient.displayToken}, zone ${event.patient.timeZone}`;
  if (event.type === 'patient.patched') return `fields ${Object.keys(event.patch).join(', ')}`;
  return '';
}

const admit = [
  'MSH|^~\\&|EHR|CLINIC|CARERELAY|CR|20261020141000-0500||ADT^A01^ADT_A01|MSG-0|P|2.5.1',
  'EVN|A01|20261020140500-0500',
  'PID|1||MRN-1001^^^CLINIC^MR||DOE^JORDAN||19880412|F',
  `PV1|1|I|4W^401^A|||||||PSY|||||||||V-77^^^CLINIC^VN${'|'.repeat(25)}20261020140000-0500`,
  'IN1|1|PLAN1^Plan|60054^^^^NIIP|Aetna',
].join('\r');
const discharge = [
  'MSH|^~\\&|EHR|CLINIC|CARERELAY|CR|20261030090000-0500||ADT^A03^ADT_A03|MSG-1|P|2.5.1',
  'EVN|A03|20261030085500-0500',
  'PID|1||MRN-1001^^^CLINIC^MR||DOE^JORDAN||19880412|F',
  // PV1-2 patient class, PV1-10 hospital service, PV1-19 visit number, PV1-44/45 admit and discharge times.
  `PV1|1|I|4W^401^A|||||||PSY|||||||||V-77^^^CLINIC^VN${'|'.repeat(25)}20261020140000-0500|20261030083000-0500`,
  'DG1|1|I10|F41.0^Panic disorder^I10||20261020|A',
  'IN1|1|PLAN1^Plan|60054^^^^NIIP|Aetna',
].join('\r');
const booking = [
  'MSH|^~\\&|SCHED|CLINIC|CARERELAY|CR|20261030100000-0500||SIU^S12^SIU_S12|MSG-2|P|2.5.1',
  'SCH|APT-9|APT-9||||||GRP^Group therapy^L|||^^^20261105100000-0500',
  'PID|1||MRN-1001^^^CLINIC^MR||DOE^JORDAN||19880412|F',
  'RGS|1',
  'AIP|1||ther-1^KIM^ALEX|103T00000X^Psychologist^NUCC',
].join('\r');

// The admission registers the patient; the discharge only patches what it states. It is sent twice: the
// retransmission is acknowledged but not delivered again. A cancel of that discharge (A13) would withdraw its
// follow-up milestone (a `discharge_cancelled` transition for visit V-77).
const acks = await sendMllp({ port: listener.port, messages: [admit, discharge, booking, discharge, 'not HL7 at all'] });
for (const ack of acks) console.log('ack     ', JSON.stringify(parseAck(ack)));
await listener.close();
