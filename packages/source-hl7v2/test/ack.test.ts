import { CareRelayError } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import { ackFor, ackHeaderOf, buildAck, ingestHl7, parseAck, parseHl7 } from '../src/index.js';
import { adt } from './messages.js';
import { hl7File } from './real-data.js';

const NOW = new Date('2026-11-01T15:00:00Z');

describe('ACK messages', () => {
  it('AA: swaps sender and receiver, echoes the control id and version, and parses as HL7', () => {
    const text = adt({ controlId: 'CTRL-42' });
    const ack = ackFor(text, ingestHl7(text, { tenantId: 't' }), NOW);
    const segments = ack.split('\r').filter(Boolean);
    expect(segments[0]).toBe('MSH|^~\\&|CARERELAY|CR|EHR|CLINIC|20261101150000+0000||ACK^A03^ACK|' + segments[0]!.split('|')[9] + '|P|2.5.1');
    expect(segments[1]).toBe('MSA|AA|CTRL-42');
    expect(segments).toHaveLength(2);
    expect(parseHl7(ack).ok).toBe(true);
    expect(parseAck(ack)).toEqual({ code: 'AA', controlId: 'CTRL-42' });
  });

  it('AE on v2.5+: an ERR segment with location, table-0357 code and reason', () => {
    const text = adt({ controlId: 'CTRL-43' }).replace('MRN-1001^^^CLINIC^MR', '');
    const ack = ackFor(text, ingestHl7(text, { tenantId: 't' }), NOW);
    expect(ack).toContain('MSA|AE|CTRL-43|PID-3: patient identifier missing\r');
    expect(ack).toContain('ERR||PID^1^3|101^Required field missing^HL70357|E||||PID-3: patient identifier missing\r');
    expect(parseAck(ack)).toEqual({ code: 'AE', controlId: 'CTRL-43', text: 'PID-3: patient identifier missing', errorCode: '101', errorLocation: 'PID-3' });
  });

  it('AR for an unsupported trigger; v2.8 carries the reason in ERR-8 only (MSA-3 was withdrawn)', () => {
    const text = hl7File('ADT-A05-01.hl7');
    const ack = ackFor(text, ingestHl7(text, { tenantId: 't' }), NOW);
    expect(parseAck(ack)).toMatchObject({ code: 'AR', controlId: 'MSG00001', errorCode: '201', errorLocation: 'MSH-9' });
    expect(ack).toContain('MSA|AR|MSG00001\r');
    expect(ack).toContain('|2.8\r');
  });

  it('v2.3 ACKs use ERR-1 (segment^sequence^field^code)', () => {
    const text = hl7File('ADT01-23.hl7').replace('ADT^A01', 'ADT^A99');
    const ack = ackFor(text, ingestHl7(text, { tenantId: 't' }), NOW);
    expect(ack).toContain('ERR|MSH^1^9^201&Unsupported event code&HL70357\r');
    expect(parseAck(ack)).toMatchObject({ code: 'AR', controlId: '599102', errorCode: '201' });
  });

  it('answers even an unreadable header with an AE (empty MSA-2, default delimiters)', () => {
    const ack = buildAck({ header: ackHeaderOf('\u0000garbage'), code: 'AE', error: new CareRelayError('invalid_input', 'MSH: missing', { issues: [{ path: 'MSH', message: 'missing' }] }), now: NOW });
    expect(parseAck(ack)).toMatchObject({ code: 'AE', errorCode: '101' });
    expect(parseAck(ack)?.controlId).toBeUndefined();
  });

  it('never lets control characters or delimiters from the original leak into the ACK structure', () => {
    const header = ackHeaderOf('MSH|^~\\&|A\u000bPP|F\u001cAC|||2026||ADT^A01|ID\u000d1|P|2.5.1');
    const ack = buildAck({ header, code: 'AA', now: NOW });
    expect(ack).not.toMatch(/[\u000b\u001c]/);
    expect(ack.split('\r').filter(Boolean)).toHaveLength(2);
  });

  it('uses the original delimiters', () => {
    const text = adt({ controlId: 'C-9' }).replaceAll('|', '!');
    const ack = ackFor(text, ingestHl7(text, { tenantId: 't' }), NOW);
    expect(ack.startsWith('MSH!^~\\&!')).toBe(true);
    expect(parseAck(ack)).toEqual({ code: 'AA', controlId: 'C-9' });
  });
});
