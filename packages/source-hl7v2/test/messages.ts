/** Builds small, readable HL7 v2 messages for tests (segments joined by `\r`). */
export interface AdtOptions {
  trigger?: string;
  controlId?: string;
  version?: string;
  patientClass?: string;
  hospitalService?: string;
  mrn?: string;
  diagnoses?: string[];
  payer?: string;
  admit?: string;
  discharge?: string;
  visit?: string;
}

/** An ADT message for a behavioral-health stay. */
export function adt(options: AdtOptions = {}): string {
  const trigger = options.trigger ?? 'A03';
  const version = options.version ?? '2.5.1';
  const segments = [
    `MSH|^~\\&|EHR|CLINIC|CARERELAY|CR|20261101090000-0500||ADT^${trigger}^ADT_${trigger}|${options.controlId ?? 'CTRL-1'}|P|${version}`,
    `EVN|${trigger}|20261101085500-0500`,
    `PID|1||${options.mrn ?? 'MRN-1001'}^^^CLINIC^MR||DOE^JORDAN^Q||19880412|F`,
    `PV1|1|${options.patientClass ?? 'I'}|4W^401^A^CLINIC||||1234^WELBY^MARCUS|||${options.hospitalService ?? 'PSY'}|||||||||${options.visit ?? 'V-77'}^^^CLINIC^VN|||||||||||||||||||||||||${options.admit ?? '20261020140000-0500'}|${options.discharge ?? '20261101083000-0500'}`,
    ...(options.diagnoses ?? ['F41.0']).map((code, i) => `DG1|${i + 1}|I10|${code}^Some diagnosis^I10||20261020|A`),
    ...(options.payer === undefined ? [] : [`IN1|1|PLAN1^Plan|${options.payer}^^^^NIIP|${options.payer} Health`]),
  ];
  return segments.join('\r');
}

/** An SIU message for one appointment. */
export function siu(options: { trigger?: string; controlId?: string; status?: string; start?: string; role?: string; service?: string; mrn?: string } = {}): string {
  const trigger = options.trigger ?? 'S12';
  return [
    `MSH|^~\\&|SCHED|CLINIC|CARERELAY|CR|20261101090000-0500||SIU^${trigger}^SIU_S12|${options.controlId ?? 'SIU-1'}|P|2.5.1`,
    sch({ 1: 'APT-9^SCHED', 2: 'APT-9^SCHED', 8: `${options.service ?? 'IND'}^Individual therapy^L`, 11: `^^^${options.start ?? '20261105100000-0500'}^20261105105000-0500`, 25: options.status ?? 'Booked' }),
    `PID|1||${options.mrn ?? 'MRN-1001'}^^^CLINIC^MR||DOE^JORDAN||19880412|F`,
    'RGS|1',
    `AIP|1||ther-1^KIM^ALEX|${options.role ?? '103T00000X'}^Psychologist^NUCC||${options.start ?? '20261105100000-0500'}`,
  ].join('\r');
}

function sch(fields: Record<number, string>): string {
  const out = ['SCH'];
  for (let i = 1; i <= 25; i++) out.push(fields[i] ?? '');
  return out.join('|');
}
