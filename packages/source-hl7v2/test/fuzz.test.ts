import { connect } from 'node:net';
import { CareRelayError, EventSchema } from '@carerelay/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ackCodeFor,
  ackFor,
  createMllpListener,
  frameMllp,
  ingestHl7,
  MllpDecoder,
  parseAck,
  parseHl7,
  sendMllp,
  type Hl7MappingResult,
  type MllpListener,
} from '../src/index.js';
import { adt, siu } from './messages.js';
import { hl7Files } from './real-data.js';

const SAMPLES = [...hl7Files().map(([, text]) => text), adt(), adt({ trigger: 'A01' }), siu(), siu({ trigger: 'S26' })];
const PHI = /EVERYMAN|JORDAN|DONALD|Bixby|19880412|MRN-1001|PATID1234/;
const CHARS = ['|', '^', '~', '\\', '&', '\r', '\n', '\u0000', '\u00ff', '\u{1F600}', '"', 'X', '9', ' ', '#', '\u000b', '\u001c'];

/** One mutation of a message text. */
type Mutation = (text: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...CHARS)).map(([at, c]): Mutation => (t) => (t.length === 0 ? c : t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1))),
  fc.nat().map((at): Mutation => (t) => t.slice(0, t.length === 0 ? 0 : at % t.length)),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, n]): Mutation => (t) => (t.length === 0 ? t : t.slice(0, at % t.length) + t.slice((at % t.length) + n))),
  fc.tuple(fc.nat(), fc.string({ maxLength: 30 })).map(([at, s]): Mutation => (t) => (t.length === 0 ? s : t.slice(0, at % t.length) + s + t.slice(at % t.length))),
  fc.tuple(fc.constantFrom('|', '^', '~', '\\', '&'), fc.constantFrom('|', '^', '~', '\\', '&', '#', '!')).map(([a, b]): Mutation => (t) => t.split(a).join(b)),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => (t) => {
    const segments = t.split(/\r\n|\r|\n/);
    const a = i % segments.length;
    const b = j % segments.length;
    [segments[a], segments[b]] = [segments[b]!, segments[a]!];
    return segments.join('\r');
  }),
  fc.constantFrom<Mutation>((t) => t.replaceAll('\n', '\r'), (t) => t.replaceAll('\n', '\r\n'), (t) => `\uFEFF${t}`, (t) => t.toLowerCase()),
);
const mutatedMessage = fc.tuple(fc.constantFrom(...SAMPLES), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce((acc, m) => m(acc), text));

/** Checks one result the way a sender and an operator would see it. */
function expectWellFormed(text: string, result: Hl7MappingResult): void {
  expect(['applied', 'duplicate', 'rejected', 'failed']).toContain(result.status);
  if (result.status === 'applied') {
    expect(result.errors).toEqual([]);
    for (const event of result.events) EventSchema.parse(event);
  } else {
    const error = result.errors[0];
    expect(error).toBeInstanceOf(CareRelayError);
    expect(['invalid_input', 'unsupported', 'conflict']).toContain(error!.code);
    const path = error!.issues[0]?.path ?? '';
    expect(path.length).toBeGreaterThan(0);
    expect(error!.message.startsWith(path)).toBe(true);
    expect(error!.message).not.toMatch(PHI);
  }
  for (const warning of result.warnings) expect(warning.message).not.toMatch(PHI);
  const ack = parseAck(ackFor(text, result, new Date('2026-11-01T00:00:00Z')));
  expect(ack?.code).toBe(ackCodeFor(result));
}

describe('fuzz: mutated HL7 never crashes the parser or the mapping', () => {
  it('byte flips, truncation, deletions, garbage, delimiter swaps and segment swaps give a result or a typed error', () => {
    fc.assert(
      fc.property(mutatedMessage, (text) => {
        const result = ingestHl7(text, { tenantId: 'fuzz' });
        expectWellFormed(text, result);
      }),
      { numRuns: 1500 },
    );
  });

  it('arbitrary text (any code points) never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ maxLength: 400 }).map((s) => `MSH|^~\\&|${s}`)), (text) => {
        expect(() => parseHl7(text)).not.toThrow();
        expectWellFormed(text, ingestHl7(text, { tenantId: 'fuzz' }));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('fuzz: mutated HL7 over MLLP never crashes the listener', () => {
  let listener: MllpListener;
  const delivered: string[] = [];
  beforeAll(async () => {
    listener = await createMllpListener({ tenantId: 'fuzz', maxFrameBytes: 64 * 1024, onMessage: ({ message }) => void delivered.push(message.controlId) });
  });
  afterAll(() => listener.close());

  it('one ACK per frame; good messages around bad ones are applied', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedMessage, { minLength: 1, maxLength: 4 }), async (bad) => {
        run += 1;
        // Frame bytes inside a payload would split it into other frames: this property is about content.
        const payloads = bad.map((text) => text.replace(/[\u000b\u001c]/g, '?'));
        const before = `GOOD-${run}-A`;
        const after = `GOOD-${run}-B`;
        const messages = [adt({ controlId: before }), ...payloads, siu({ controlId: after })];
        const acks = await sendMllp({ port: listener.port, messages });
        expect(acks).toHaveLength(messages.length);
        const parsed = acks.map((a) => parseAck(a));
        expect(parsed.every((a) => a !== undefined && ['AA', 'AE', 'AR'].includes(a.code))).toBe(true);
        expect(parsed[0]).toEqual({ code: 'AA', controlId: before });
        expect(parsed.at(-1)).toEqual({ code: 'AA', controlId: after });
        for (const [index, text] of payloads.entries()) {
          const ack = parsed[index + 1]!;
          const expected = ingestHl7(text, { tenantId: 'fuzz' });
          expect(ack.code).toBe(ackCodeFor(expected));
          if (ack.code !== 'AA') expect(ack.text ?? '').not.toBe('');
        }
        expect(delivered).toContain(before);
        expect(delivered).toContain(after);
      }),
      { numRuns: 60 },
    );
  });

  it('raw random bytes (framing bytes included) are survived, and the next good frame is answered AA', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (bytes, sprinkle) => {
        run += 1;
        const noise = Buffer.from(bytes);
        if (sprinkle && noise.length > 2) {
          noise[0] = 0x0b;
          noise[Math.floor(noise.length / 2)] = 0x1c;
        }
        const id = `AFTER-NOISE-${run}`;
        const acks = await untilAck(listener.port, Buffer.concat([noise, Buffer.of(0x1c, 0x0d), frameMllp(adt({ controlId: id }))]), id);
        expect(parseAck(acks.at(-1)!)).toEqual({ code: 'AA', controlId: id });
        for (const ack of acks) expect(parseAck(ack)).toBeDefined();
      }),
      { numRuns: 80 },
    );
  });
});

/** Sends raw bytes and collects ACKs until one acknowledges `controlId`. */
function untilAck(port: number, bytes: Buffer, controlId: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const decoder = new MllpDecoder();
    const acks: string[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ACK for ${controlId}`));
    }, 5000);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      for (const unit of decoder.push(chunk)) if (unit.kind === 'frame') acks.push(unit.payload.toString());
      if (acks.some((a) => parseAck(a)?.controlId === controlId)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(acks);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
