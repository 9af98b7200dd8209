import { CareRelayError, type Result } from '@carerelay/core';
import { type Hl7Delimiters, isDelimiterProblem, readDelimiters } from './delimiters.js';
import { unescapeHl7 } from './escape.js';

/** One segment: its name and its raw (still escaped) fields, indexed by HL7 field number. */
export interface Hl7Segment {
  /** Three-character segment id, e.g. `PID`. */
  readonly name: string;
  /**
   * Raw fields by HL7 number: `fields[0]` is the name, `fields[1]` is field 1. In MSH, `fields[1]` is the field
   * separator itself and `fields[2]` the encoding characters, so MSH-n is `fields[n]` as in the standard.
   */
  readonly fields: readonly string[];
  /** 1-based position of the segment in the message. */
  readonly position: number;
}

/** A parsed HL7 v2 message: delimiters, segments, and the header facts every consumer needs. */
export interface Hl7Message {
  readonly delimiters: Hl7Delimiters;
  readonly segments: readonly Hl7Segment[];
  /** MSH-9.1, e.g. `ADT`. */
  readonly messageType: string;
  /** MSH-9.2, e.g. `A01` (never EVN-1). */
  readonly triggerEvent: string;
  /** MSH-9.3 when sent, e.g. `ADT_A01`. */
  readonly messageStructure?: string;
  /** MSH-10: the sender's unique id of this message. */
  readonly controlId: string;
  /** MSH-12.1, e.g. `2.5.1`. */
  readonly version: string;
  /** The message text with segments joined by `\r` (byte-for-byte the input otherwise, minus a leading BOM). */
  readonly text: string;
}

/** Where a value sits: field (1-based), repetition, component and sub-component (1-based; default 1). */
export interface Hl7Position {
  rep?: number;
  comp?: number;
  sub?: number;
}

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;
/** Longest message text the parser accepts (characters). */
export const MAX_MESSAGE_CHARS = 4 * 1024 * 1024;

function invalid(path: string, message: string): { ok: false; error: CareRelayError } {
  return { ok: false, error: new CareRelayError('invalid_input', `${path}: ${message}`, { issues: [{ path, message }] }) };
}

/** The structure of a message before its header is interpreted: delimiters and segments. */
export interface Hl7Structure {
  readonly delimiters: Hl7Delimiters;
  readonly segments: readonly Hl7Segment[];
}

/**
 * Splits a message into segments and fields (no header checks beyond MSH-1/MSH-2). Segments may end with `\r`,
 * `\n` or `\r\n`; a leading byte-order mark and blank lines are ignored; trailing spaces are dropped.
 */
export function parseHl7Structure(input: string): Result<Hl7Structure> {
  if (typeof input !== 'string') return invalid('message', 'not text');
  if (input.length > MAX_MESSAGE_CHARS) return invalid('message', `longer than ${MAX_MESSAGE_CHARS} characters`);
  const text = input.replace(/^[\uFEFF\s\0]+/, '');
  if (text.startsWith('FHS') || text.startsWith('BHS')) {
    return { ok: false, error: new CareRelayError('unsupported', 'FHS/BHS: batch files are not supported; send one message per frame', { issues: [{ path: 'FHS', message: 'batch files are not supported' }] }) };
  }
  if (!text.startsWith('MSH')) return invalid('MSH', 'message does not start with an MSH segment');
  const delimiters = readDelimiters(text);
  if (isDelimiterProblem(delimiters)) return invalid(delimiters.path, delimiters.message);

  const lines = text.split(/\r\n|\r|\n/);
  const segments: Hl7Segment[] = [];
  for (const rawLine of lines) {
    const line = rawLine.replace(/[ \t\0]+$/, '');
    if (line.trim() === '') continue;
    const position = segments.length + 1;
    const name = line.slice(0, 3);
    if (!SEGMENT_NAME.test(name) || (line.length > 3 && line.charAt(3) !== delimiters.field)) {
      return invalid(`segment ${position}`, 'not a segment: expected a three-character uppercase id followed by the field separator');
    }
    if (name === 'MSH' && position > 1) return invalid(`segment ${position}`, 'a second MSH segment: send one message per frame');
    const parts = line.split(delimiters.field);
    // MSH-1 is the separator itself: re-insert it so MSH-n sits at index n.
    const fields = name === 'MSH' ? ['MSH', delimiters.field, ...parts.slice(1)] : parts;
    segments.push({ name, fields, position });
  }
  return { ok: true, value: { delimiters, segments } };
}

/**
 * Parses an HL7 v2 (2.3–2.8) message. Segments may end with `\r`, `\n` or `\r\n`; a leading byte-order mark and
 * blank lines are ignored; trailing spaces at a segment's end are dropped. Delimiters come from MSH-1 and MSH-2.
 * MSH-9 (type and trigger), MSH-10 (control id) and MSH-12 (version) are required.
 * Never throws: a malformed message gives a `CareRelayError` (code `invalid_input`) whose issue names the
 * segment and field (e.g. `MSH-9`, `segment 4`), never message content.
 */
export function parseHl7(input: string): Result<Hl7Message> {
  const structure = parseHl7Structure(input);
  if (!structure.ok) return structure;
  const { delimiters, segments } = structure.value;
  const msh = segments[0]!;
  const read = (n: number, pos: Hl7Position = {}) => valueAt(delimiters, msh.fields[n], pos);
  const messageType = read(9);
  const triggerEvent = read(9, { comp: 2 });
  const messageStructure = read(9, { comp: 3 });
  const controlId = read(10);
  const version = read(12);
  if (!messageType) return invalid('MSH-9', 'message type missing');
  if (!/^[A-Z0-9]{3}$/.test(messageType)) return invalid('MSH-9', 'message type is not a three-character code');
  if (!triggerEvent) return invalid('MSH-9.2', 'trigger event missing');
  if (!/^[A-Z0-9]{3}$/.test(triggerEvent)) return invalid('MSH-9.2', 'trigger event is not a three-character code');
  if (!controlId) return invalid('MSH-10', 'message control id missing');
  if (controlId.length > 199) return invalid('MSH-10', 'message control id longer than 199 characters');
  if (!version) return invalid('MSH-12', 'version id missing');
  if (!/^2\.\d{1,2}(\.\d{1,2})?$/.test(version)) return invalid('MSH-12', 'version id is not an HL7 v2 version such as 2.5.1');
  const message: Hl7Message = {
    delimiters,
    segments,
    messageType,
    triggerEvent,
    controlId,
    version,
    text: segments.map((s) => (s.name === 'MSH' ? ['MSH', ...s.fields.slice(2)].join(delimiters.field) : s.fields.join(delimiters.field))).join('\r'),
    ...(messageStructure ? { messageStructure } : {}),
  };
  return { ok: true, value: message };
}

/**
 * The decoded value at one position of a raw field: repetition, component and sub-component (all 1-based).
 * Empty values and the HL7 explicit null `""` give `undefined`.
 */
export function valueAt(delimiters: Hl7Delimiters, rawField: string | undefined, pos: Hl7Position = {}): string | undefined {
  if (rawField === undefined || rawField === '') return undefined;
  const rep = nthPart(rawField, delimiters.repetition, pos.rep ?? 1);
  const comp = rep === undefined ? undefined : nthPart(rep, delimiters.component, pos.comp ?? 1);
  const sub = comp === undefined ? undefined : nthPart(comp, delimiters.subcomponent, pos.sub ?? 1);
  if (sub === undefined || sub === '' || sub === '""') return undefined;
  const decoded = unescapeHl7(sub, delimiters).trim();
  return decoded === '' ? undefined : decoded;
}

/** The n-th (1-based) part of `text` split on `separator`, without splitting the whole string. */
function nthPart(text: string, separator: string, n: number): string | undefined {
  if (n < 1) return undefined;
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf(separator, start);
    if (next === -1) return undefined;
    start = next + 1;
  }
  const end = text.indexOf(separator, start);
  return end === -1 ? text.slice(start) : text.slice(start, end);
}

/** The raw repetitions of a field (empty list when the field is empty). */
export function repetitionsOf(delimiters: Hl7Delimiters, rawField: string | undefined): string[] {
  if (rawField === undefined || rawField === '') return [];
  return rawField.split(delimiters.repetition);
}

/** The segments with this name, in message order. */
export function segmentsNamed(message: Hl7Message, name: string): Hl7Segment[] {
  return message.segments.filter((segment) => segment.name === name);
}

/** The first segment with this name, if any. */
export function firstSegment(message: Hl7Message, name: string): Hl7Segment | undefined {
  return message.segments.find((segment) => segment.name === name);
}
