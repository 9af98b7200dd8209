import { stableHash, type CareRelayError } from '@carerelay/core';
import { DEFAULT_DELIMITERS, type Hl7Delimiters, isDelimiterProblem, readDelimiters } from './delimiters.js';
import { escapeHl7 } from './escape.js';
import { ackCodeFor, type Hl7MappingResult } from './mapping-result.js';
import { parseHl7Structure, valueAt } from './message.js';

/** The header fields an ACK echoes, read from the original MSH (as far as it could be read). */
export interface AckHeader {
  delimiters: Hl7Delimiters;
  /** Raw MSH-3..6 of the original (swapped into the ACK). */
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  controlId?: string;
  triggerEvent?: string;
  processingId?: string;
  version?: string;
}

// Control characters (framing bytes included) must never reach an ACK.
const clean = (value: string | undefined, max = 200) => value?.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, max);

/**
 * Reads what an ACK needs from a message's first line, even when the rest of the message is malformed; falls
 * back to the default delimiters and empty fields when even MSH-1/MSH-2 are unreadable.
 */
export function ackHeaderOf(text: string): AckHeader {
  const body = text.replace(/^[\uFEFF\s\0]+/, '');
  if (!body.startsWith('MSH')) return { delimiters: DEFAULT_DELIMITERS };
  const delimiters = readDelimiters(body);
  if (isDelimiterProblem(delimiters)) return { delimiters: DEFAULT_DELIMITERS };
  const line = body.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const raw = ['MSH', delimiters.field, ...line.split(delimiters.field).slice(1)];
  const field = (n: number) => clean(raw[n]) || undefined;
  const leaf = (n: number, comp = 1) => clean(valueAt(delimiters, raw[n], { comp }), 199) || undefined;
  const header: AckHeader = { delimiters };
  const entries: Array<[keyof AckHeader, string | undefined]> = [
    ['sendingApplication', field(3)],
    ['sendingFacility', field(4)],
    ['receivingApplication', field(5)],
    ['receivingFacility', field(6)],
    ['controlId', leaf(10)],
    ['triggerEvent', leaf(9, 2)],
    ['processingId', leaf(11)],
    ['version', leaf(12)],
  ];
  for (const [key, value] of entries) if (value !== undefined) (header as unknown as Record<string, string>)[key] = value;
  return header;
}

/** HL7 table 0357 code and text for an error. */
function errorCode(error: CareRelayError): [string, string] {
  const path = error.issues[0]?.path ?? '';
  switch (error.code) {
    case 'unsupported':
      if (path === 'MSH-9.2') return ['201', 'Unsupported event code'];
      if (path === 'MSH-12') return ['203', 'Unsupported version id'];
      return ['200', 'Unsupported message type'];
    case 'conflict':
      return ['205', 'Duplicate key identifier'];
    case 'invalid_input':
      if (path.startsWith('segment') || path === 'message' || (path === 'MSH' && /start/.test(error.message))) return ['100', 'Segment sequence error'];
      if (/missing/.test(error.message)) return ['101', 'Required field missing'];
      return ['102', 'Data type error'];
    default:
      return ['207', 'Application internal error'];
  }
}

/** Splits a path such as `DG1[2]-3.1` into segment, sequence, field and component. */
function locationOf(path: string | undefined): [segment: string, sequence: string, field: string, component: string] | undefined {
  const m = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\.(\d+))?)?$/.exec(path ?? '');
  if (!m) return undefined;
  return [m[1]!, m[2] ?? '1', m[3] ?? '', m[4] ?? ''];
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** Formats an instant as an HL7 DTM in UTC (`YYYYMMDDHHMMSS+0000`). */
export function hl7TimestampOf(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}+0000`;
}

/** What the ACK answers: a mapping result, or a framing-level problem with its own code and error. */
export interface AckInput {
  header: AckHeader;
  code: 'AA' | 'AE' | 'AR';
  error?: CareRelayError;
  /** When the ACK is made (MSH-7). */
  now: Date;
}

/**
 * Builds an original-mode HL7 ACK: MSH (sender and receiver swapped, `ACK^<trigger>^ACK`, same version and
 * delimiters), MSA (code, the original control id, and the reason), and for `AE`/`AR` an ERR segment with the
 * location, the HL7 table-0357 code and the reason (ERR-2/3/4/8 from v2.5, ERR-1 before). Segments end with `\r`.
 */
export function buildAck(input: AckInput): string {
  const { header, code, error } = input;
  const d = header.delimiters;
  const f = d.field;
  const text = (value: string) => escapeHl7(clean(value, 400) ?? '', d);
  const version = header.version ?? '2.5.1';
  const controlId = header.controlId ?? '';
  const ackControlId = `A${stableHash('ack', controlId, input.now.toISOString(), code)}`.slice(0, 20);
  const messageType = header.triggerEvent ? ['ACK', header.triggerEvent, 'ACK'].join(d.component) : 'ACK';
  const encoding = [d.component, d.repetition, d.escape, d.subcomponent, d.truncation ?? ''].join('');
  const msh = [
    'MSH',
    encoding,
    header.receivingApplication ?? '',
    header.receivingFacility ?? '',
    header.sendingApplication ?? '',
    header.sendingFacility ?? '',
    hl7TimestampOf(input.now),
    '',
    messageType,
    ackControlId,
    header.processingId ?? 'P',
    version,
  ].join(f);
  const reason = error ? text(error.message) : '';
  // MSA-3 (text) was withdrawn in v2.7: there the reason travels in ERR-8 only.
  const legacyText = /^2\.[3-6](\.|$)/.test(version);
  const msa = (legacyText && reason ? ['MSA', code, text(controlId), reason] : ['MSA', code, text(controlId)]).join(f);
  const segments = [msh, msa];
  if (error && code !== 'AA') {
    const [errCode, errText] = errorCode(error);
    const location = locationOf(error.issues[0]?.path);
    const modern = !/^2\.[34](\.|$)/.test(version);
    if (modern) {
      const erl = location ? [location[0], location[1], location[2], '', location[3]].join(d.component).replace(new RegExp(`\\${d.component}+$`), '') : '';
      segments.push(['ERR', '', erl, [errCode, errText, 'HL70357'].join(d.component), 'E', '', '', '', reason].join(f));
    } else {
      const eld = [location?.[0] ?? '', location?.[1] ?? '', location?.[2] ?? '', [errCode, errText, 'HL70357'].join(d.subcomponent)].join(d.component);
      segments.push(['ERR', eld].join(f));
    }
  }
  return segments.join('\r') + '\r';
}

/** Builds the ACK for a mapping result of the message `text`. */
export function ackFor(text: string, result: Hl7MappingResult, now: Date): string {
  const error = result.errors[0];
  return buildAck({ header: ackHeaderOf(text), code: ackCodeFor(result), now, ...(error === undefined ? {} : { error }) });
}

/** An ACK as a client reads it. */
export interface ParsedAck {
  /** MSA-1 */
  code: string;
  /** MSA-2: the acknowledged message's control id. */
  controlId?: string;
  /** MSA-3 text, or ERR-8 when present. */
  text?: string;
  /** ERR-3.1 (or ERR-1.4.1 before v2.5): the HL7 table-0357 error code. */
  errorCode?: string;
  /** ERR location as `SEG-field`, when the ACK names one. */
  errorLocation?: string;
}

/** Reads an ACK message (for clients and tests); undefined when it is not an ACK with an MSA. */
export function parseAck(text: string): ParsedAck | undefined {
  const parsed = parseHl7Structure(text);
  if (!parsed.ok) return undefined;
  const message = parsed.value;
  const d = message.delimiters;
  const msa = message.segments.find((s) => s.name === 'MSA');
  if (!msa) return undefined;
  const code = valueAt(d, msa.fields[1]);
  if (code === undefined) return undefined;
  const err = message.segments.find((s) => s.name === 'ERR');
  const result: ParsedAck = { code };
  const controlId = valueAt(d, msa.fields[2]);
  if (controlId !== undefined) result.controlId = controlId;
  const reason = (err ? valueAt(d, err.fields[8]) : undefined) ?? valueAt(d, msa.fields[3]);
  if (reason !== undefined) result.text = reason;
  if (err) {
    const modernCode = valueAt(d, err.fields[3]);
    const legacyCode = valueAt(d, err.fields[1], { comp: 4, sub: 1 });
    const errorCode = modernCode ?? legacyCode;
    if (errorCode !== undefined) result.errorCode = errorCode;
    const segment = valueAt(d, err.fields[2]) ?? valueAt(d, err.fields[1]);
    const field = valueAt(d, err.fields[2], { comp: 3 }) ?? valueAt(d, err.fields[1], { comp: 3 });
    if (segment !== undefined) result.errorLocation = field === undefined ? segment : `${segment}-${field}`;
  }
  return result;
}
