import { describe, expect, it } from 'vitest';
import {
  escapeHl7,
  hl7Date,
  hl7Instant,
  parseHl7,
  readAils,
  readAips,
  readDg1s,
  readEvn,
  readIn1s,
  readMsh,
  readPid,
  readPv1,
  readPv2,
  readSch,
  segmentReader,
  unescapeHl7,
  DEFAULT_DELIMITERS,
} from '../src/index.js';
import { adt } from './messages.js';
import { hl7File, hl7Files } from './real-data.js';

const parsed = (text: string) => {
  const result = parseHl7(text);
  if (!result.ok) throw result.error;
  return result.value;
};

describe('parseHl7 on the shared real-data samples', () => {
  const files = hl7Files();

  it('parses every file in shared/data/hl7v2', () => {
    const failures = files.filter(([, text]) => !parseHl7(text).ok).map(([name]) => name);
    expect(files.length).toBeGreaterThanOrEqual(37);
    expect(failures).toEqual([]);
    console.log(`HL7 v2 files parsed: ${files.length - failures.length} of ${files.length}`);
  });

  it('reads the message type from MSH-9, not from a disagreeing EVN-1', () => {
    const message = parsed(hl7File('ADT-A03-01.hl7'));
    expect(readEvn(message)?.eventTypeCode).toBe('A01');
    expect(message.messageType).toBe('ADT');
    expect(message.triggerEvent).toBe('A03');
    expect(message.messageStructure).toBe('ADT_A03');
  });

  it('skips the byte-order mark and trailing spaces of the v2.3 samples', () => {
    const message = parsed(hl7File('ADT01-23.hl7'));
    expect(message.version).toBe('2.3');
    expect(message.controlId).toBe('599102');
    expect(readPid(message)?.identifiers[0]).toEqual({ id: '10006579', assigningAuthority: '1', typeCode: 'MR', assigningFacility: '1' });
    expect(readPv1(message)?.patientClass).toBe('I');
    expect(readIn1s(message).map((in1) => in1.companyName)).toEqual(['MEDICARE', 'MEDICAL MUTUAL CALIF.', 'SELF PAY']);
  });

  it('reads the typed segments of a v2.8 admit', () => {
    const message = parsed(hl7File('ADT-A01-01.hl7'));
    const msh = readMsh(message);
    expect(msh).toMatchObject({ sendingApplication: 'ADTApp', sendingFacility: 'GHHSFacility', controlId: 'MSG00001', version: '2.8', processingId: 'P' });
    const pid = readPid(message)!;
    expect(pid.identifiers.map((cx) => [cx.id, cx.typeCode])).toEqual([
      ['PATID1234', 'MR'],
      ['123456789', 'SS'],
    ]);
    expect(pid.birthDateTime).toBe('198808181126+0215');
    const pv1 = readPv1(message)!;
    expect(pv1).toMatchObject({ patientClass: 'P', hospitalService: 'SUR', admitDateTime: '20150208113419+0110' });
    expect(pv1.visitNumber?.id).toBe('40007716');
    expect(readPv2(message)?.admitReason).toEqual({ code: '140004', text: 'Chronic pharyngitis', system: 'SCT' });
    expect(readDg1s(message)[0]).toMatchObject({ position: 1, codingMethod: 'I9', code: { code: '422504002', system: 'SCT' }, type: 'A' });
    expect(readIn1s(message)[0]).toMatchObject({ planId: { code: 'BAV', text: 'Blue Advantage HMO' }, companyId: { id: 'IC-1.31' }, companyName: 'Blue Cross Blue Shield of Texas' });
  });

  it('decodes escape sequences inside fields (PV1-14 "A\\T\\E")', () => {
    const message = parsed(hl7File('ADT-A01-01.hl7'));
    const pv1 = message.segments.find((s) => s.name === 'PV1')!;
    expect(segmentReader(message, pv1).value(14)).toBe('NHS Provider-General (inc.A&E-this Hosp)');
  });

  it('reads the scheduling segments of an SIU S12', () => {
    const message = parsed(hl7File('SIU-S12-01.hl7'));
    expect(readSch(message)).toMatchObject({ placerAppointmentId: '12345', fillerAppointmentId: '36996', fillerStatus: 'Booked', timingStart: '202010011126+0215' });
    expect(readAips(message)[0]).toMatchObject({ personnel: { id: '1210', family: 'GE', given: 'Robert' }, role: { code: '010', text: 'Gastroenterologist' }, startDateTime: '20210924093000+0215' });
    expect(readAils(message)[0]?.location).toEqual({ pointOfCare: '055', room: 'Room01', facility: 'GH Clinic' });
  });
});

describe('parseHl7 structure', () => {
  it('accepts \\r, \\n and \\r\\n segment endings alike', () => {
    const base = adt();
    const lines = base.split('\r');
    const variants = [lines.join('\r'), lines.join('\n'), lines.join('\r\n'), lines.join('\r\n') + '\r\n\r\n'];
    const shapes = variants.map((text) => parsed(text).segments.map((s) => s.fields.join('|')));
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    expect(shapes[0]).toHaveLength(lines.length);
  });

  it('reads delimiters from MSH-1 and MSH-2 instead of assuming |^~\\&', () => {
    const text = adt().replaceAll('|', '#').replaceAll('^', '$').replace('MSH#$~\\&', 'MSH#$~\\&');
    const message = parsed(text);
    expect(message.delimiters).toEqual({ field: '#', component: '$', repetition: '~', escape: '\\', subcomponent: '&' });
    expect(readPid(message)?.identifiers[0]).toMatchObject({ id: 'MRN-1001', typeCode: 'MR' });
    expect(message.triggerEvent).toBe('A03');
  });

  it('keeps MSH-n at index n (MSH-1 is the separator itself)', () => {
    const message = parsed(adt());
    const msh = message.segments[0]!;
    expect(msh.fields[1]).toBe('|');
    expect(msh.fields[2]).toBe('^~\\&');
    expect(msh.fields[10]).toBe('CTRL-1');
  });

  it('treats the HL7 explicit null "" as empty', () => {
    const message = parsed(adt().replace('|PSY|', '|""|'));
    expect(readPv1(message)?.hospitalService).toBeUndefined();
  });

  const broken: Array<[string, string, string]> = [
    ['no MSH', 'PID|1||X', 'MSH'],
    ['bad field separator', 'MSHA^~\\&|X', 'MSH-1'],
    ['short encoding characters', 'MSH|^~|A|B', 'MSH-2'],
    ['repeated delimiter', 'MSH|^^\\&|A', 'MSH-2'],
    ['no message type', adt().replace('ADT^A03^ADT_A03', ''), 'MSH-9'],
    ['no trigger event', adt().replace('ADT^A03^ADT_A03', 'ADT'), 'MSH-9.2'],
    ['no control id', adt().replace('CTRL-1', ''), 'MSH-10'],
    ['no version', adt().replace('|P|2.5.1', '|P|'), 'MSH-12'],
    ['not a version', adt().replace('|P|2.5.1', '|P|banana'), 'MSH-12'],
    ['lowercase segment id', adt().replace('PID|', 'pid|'), 'segment 3'],
    ['second MSH', `${adt()}\r${adt()}`, 'segment 6'],
  ];
  it.each(broken)('refuses %s with an invalid_input error naming %s', (_name, text, path) => {
    const result = parseHl7(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.issues[0]?.path).toBe(path);
    expect(result.error.message.startsWith(path)).toBe(true);
  });

  it('never echoes message content in its errors', () => {
    const result = parseHl7(adt({ mrn: 'SECRET-MRN' }).replace('PID|', 'P!D|'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).not.toMatch(/SECRET|DOE|JORDAN/);
  });

  it('answers batch files as unsupported', () => {
    const result = parseHl7(`FHS|^~\\&\rBHS|^~\\&\r${adt()}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unsupported');
  });
});

describe('escape sequences', () => {
  const d = DEFAULT_DELIMITERS;
  it.each([
    ['\\F\\', '|'],
    ['\\S\\', '^'],
    ['\\T\\', '&'],
    ['\\R\\', '~'],
    ['\\E\\', '\\'],
    ['line\\.br\\break', 'line\nbreak'],
    ['\\H\\bold\\N\\', 'bold'],
    ['caf\\XC3A9\\', 'café'],
    ['\\X41\\\\X42\\', 'AB'],
    ['unterminated \\F', 'unterminated \\F'],
    ['unknown \\Q\\ kept', 'unknown \\Q\\ kept'],
  ])('unescapes %s', (raw, expected) => {
    expect(unescapeHl7(raw, d)).toBe(expected);
  });

  it('round-trips any text through escapeHl7', () => {
    const text = 'a|b^c&d~e\\f';
    expect(unescapeHl7(escapeHl7(text, d), d)).toBe(text);
  });
});

describe('HL7 timestamps', () => {
  it.each([
    ['20261101083000-0500', 'UTC', '2026-11-01T13:30:00.000Z'],
    ['198908181126+0215', 'UTC', '1989-08-18T09:11:00.000Z'],
    ['20210817151943.4+0200', 'UTC', '2021-08-17T13:19:43.400Z'],
    ['20261101', 'America/Chicago', '2026-11-01T05:00:00.000Z'],
    ['2026110108', 'America/Chicago', '2026-11-01T14:00:00.000Z'],
    ['202603080230', 'America/New_York', '2026-03-08T07:30:00.000Z'],
  ])('reads %s in %s as %s', (raw, zone, instant) => {
    expect(hl7Instant(raw, zone)).toBe(instant);
  });

  it.each(['2026130101', '20260230', 'yesterday', '2026-11-01', '20261101250000', '20261101+2500'])('refuses %s', (raw) => {
    expect(hl7Instant(raw, 'UTC')).toBeUndefined();
  });

  it('reads birth dates only when year, month and day are present', () => {
    expect(hl7Date('19880412')).toBe('1988-04-12');
    expect(hl7Date('198808181126+0215')).toBe('1988-08-18');
    expect(hl7Date('1988')).toBeUndefined();
  });
});
