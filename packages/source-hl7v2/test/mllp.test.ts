import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMllpListener,
  createSeenControlIds,
  frameMllp,
  ingestHl7,
  MllpDecoder,
  parseAck,
  sendMllp,
  type Hl7MappingResult,
  type MllpDelivery,
  type MllpListener,
} from '../src/index.js';
import { adt, siu } from './messages.js';
import { hl7Files } from './real-data.js';

const TENANT = 'clinic-a';
const open: MllpListener[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((listener) => listener.close()));
});

async function listen(extra: Partial<Parameters<typeof createMllpListener>[0]> = {}) {
  const delivered: MllpDelivery[] = [];
  const results: Hl7MappingResult[] = [];
  const listener = await createMllpListener({
    tenantId: TENANT,
    onMessage: (delivery) => {
      delivered.push(delivery);
    },
    onResult: (result) => results.push(result),
    ...extra,
  });
  open.push(listener);
  return { listener, delivered, results };
}

describe('MLLP listener over TCP on 127.0.0.1', () => {
  it('answers every shared sample, sent framed in one stream, with one ACK echoing its control id', async () => {
    const { listener, delivered } = await listen();
    const files = hl7Files();
    const acks = await sendMllp({ port: listener.port, messages: files.map(([, text]) => text) });
    expect(listener.host).toBe('127.0.0.1');
    expect(acks).toHaveLength(files.length);
    const codes: Record<string, number> = {};
    for (const [index, [name, text]] of files.entries()) {
      const ack = parseAck(acks[index]!);
      const expected = ingestHl7(text, { tenantId: TENANT });
      expect(ack?.controlId, name).toBe(expected.controlId);
      expect(ack?.code, name).toBe(expected.status === 'applied' ? 'AA' : 'AR');
      codes[ack!.code] = (codes[ack!.code] ?? 0) + 1;
    }
    expect(codes).toEqual({ AA: 28, AR: 9 });
    expect(delivered).toHaveLength(28);
    expect(delivered.every((d) => d.result.status === 'applied')).toBe(true);
    console.log(`MLLP: ${files.length} sample messages sent, ${acks.length} ACKs received`, codes);
  });

  it('reassembles frames that arrive one byte at a time', async () => {
    const { listener, delivered } = await listen();
    const messages = [adt({ controlId: 'B1' }), siu({ controlId: 'B2' }), adt({ controlId: 'B3', trigger: 'A01' })];
    const bytes = Buffer.concat(messages.map((m) => frameMllp(m)));
    const acks = await new Promise<string[]>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: listener.port });
      socket.setNoDelay(true);
      const decoder = new MllpDecoder();
      const got: string[] = [];
      socket.on('data', (chunk) => {
        for (const unit of decoder.push(chunk)) if (unit.kind === 'frame') got.push(unit.payload.toString());
        if (got.length === messages.length) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('error', reject);
      socket.on('connect', async () => {
        for (const byte of bytes) {
          socket.write(Buffer.of(byte));
          if (byte === 0x0d) await new Promise((r) => setImmediate(r));
        }
      });
    });
    expect(acks.map((a) => parseAck(a)?.controlId)).toEqual(['B1', 'B2', 'B3']);
    expect(delivered.map((d) => d.message.controlId)).toEqual(['B1', 'B2', 'B3']);
  });

  it('keeps the good messages around a malformed one, and answers the bad one AE naming the field', async () => {
    const { listener, delivered } = await listen();
    const bad = adt({ controlId: 'BAD' }).replace('MRN-1001^^^CLINIC^MR', '');
    const acks = await sendMllp({ port: listener.port, messages: [adt({ controlId: 'G1' }), bad, siu({ controlId: 'G2' })] });
    expect(acks.map((a) => parseAck(a))).toEqual([
      { code: 'AA', controlId: 'G1' },
      { code: 'AE', controlId: 'BAD', text: 'PID-3: patient identifier missing', errorCode: '101', errorLocation: 'PID-3' },
      { code: 'AA', controlId: 'G2' },
    ]);
    expect(delivered.map((d) => d.message.controlId)).toEqual(['G1', 'G2']);
  });

  it('survives garbage, an interrupted frame and an oversize frame on the same connection', async () => {
    const problems: string[] = [];
    const { listener, delivered } = await listen({ maxFrameBytes: 4096, onProblem: (error, stage) => problems.push(`${stage}: ${error.message}`) });
    const oversize = frameMllp(adt({ controlId: 'HUGE' }) + '\rNTE|1||' + 'x'.repeat(10_000));
    const interrupted = Buffer.concat([Buffer.of(0x0b), Buffer.from(adt({ controlId: 'CUT' }).slice(0, 90))]);
    const raw = Buffer.concat([
      Buffer.from('hello\r\n\x00\xff'),
      frameMllp(adt({ controlId: 'OK1' })),
      interrupted,
      frameMllp(adt({ controlId: 'OK2' })),
      oversize,
      Buffer.from([0x1c, 0x0d, 0x1c]),
      frameMllp(siu({ controlId: 'OK3' })),
    ]);
    const acks = (await sendMllp({ port: listener.port, raw, expectAcks: 5 })).map((a) => parseAck(a));
    expect(acks.map((a) => [a?.code, a?.controlId])).toEqual([
      ['AA', 'OK1'],
      ['AE', 'CUT'],
      ['AA', 'OK2'],
      ['AE', 'HUGE'],
      ['AA', 'OK3'],
    ]);
    expect(acks[3]?.text).toMatch(/exceeds the 4096-byte limit/);
    expect(delivered.map((d) => d.message.controlId)).toEqual(['OK1', 'OK2', 'OK3']);
    expect(problems.some((p) => p.startsWith('framing:'))).toBe(true);
  });

  it('answers AE when the application fails, so the sender retries; the retry is applied', async () => {
    let calls = 0;
    const { listener } = await listen({
      seen: createSeenControlIds(),
      onMessage: () => {
        calls += 1;
        if (calls === 1) throw new Error('database down');
      },
    });
    const [first] = await sendMllp({ port: listener.port, messages: [adt({ controlId: 'R1' })] });
    expect(parseAck(first!)).toMatchObject({ code: 'AE', controlId: 'R1', errorCode: '207' });
    expect(parseAck(first!)?.text).not.toMatch(/database/);
    const [second] = await sendMllp({ port: listener.port, messages: [adt({ controlId: 'R1' })] });
    expect(parseAck(second!)).toEqual({ code: 'AA', controlId: 'R1' });
    expect(calls).toBe(2);
  });

  it('with a seen store, acknowledges a retransmission without delivering it twice', async () => {
    const { listener, delivered, results } = await listen({ seen: createSeenControlIds() });
    const message = adt({ controlId: 'D1' });
    const acks = await sendMllp({ port: listener.port, messages: [message, message, adt({ controlId: 'D1', diagnoses: ['F32.1'] })] });
    expect(acks.map((a) => parseAck(a)?.code)).toEqual(['AA', 'AA', 'AE']);
    expect(parseAck(acks[2]!)).toMatchObject({ errorCode: '205', errorLocation: 'MSH-10' });
    expect(delivered).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(['applied', 'duplicate', 'failed']);
  });

  it('serves several connections at once and closes with connections still open', async () => {
    const { listener, delivered } = await listen();
    const idle = connect({ host: '127.0.0.1', port: listener.port });
    await new Promise((resolve) => idle.on('connect', resolve));
    const batches = await Promise.all(
      [0, 1, 2, 3].map((n) => sendMllp({ port: listener.port, messages: [adt({ controlId: `C${n}a` }), siu({ controlId: `C${n}b` })], oneWrite: false })),
    );
    expect(batches.flat().map((a) => parseAck(a)?.code)).toEqual(Array(8).fill('AA'));
    expect(delivered).toHaveLength(8);
    const closed = new Promise((resolve) => idle.on('close', resolve));
    await listener.close();
    open.splice(0);
    await closed;
    await expect(sendMllp({ port: listener.port, messages: [adt()], timeoutMs: 2000 })).rejects.toMatchObject({ code: 'adapter_failure' });
  });

  it('applies back-pressure to a sender that does not wait for ACKs, and still answers every message in order', async () => {
    const { listener, delivered } = await listen({
      maxPendingFrames: 2,
      onMessage: async (delivery) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        delivered.push(delivery);
      },
    });
    const ids = Array.from({ length: 40 }, (_, i) => `P${i}`);
    const acks = await sendMllp({ port: listener.port, messages: ids.map((id) => adt({ controlId: id })) });
    expect(acks.map((a) => parseAck(a)?.controlId)).toEqual(ids);
    expect(delivered.map((d) => d.message.controlId)).toEqual(ids);
  });

  it('refuses to start on a port that is taken, with a typed error', async () => {
    const { listener } = await listen();
    await expect(createMllpListener({ tenantId: TENANT, port: listener.port, onMessage: () => {} })).rejects.toMatchObject({ code: 'adapter_failure' });
  });
});

describe('MllpDecoder', () => {
  it('finds several frames in one chunk and a frame split across chunks, including a split end block', () => {
    const decoder = new MllpDecoder();
    const stream = Buffer.concat([frameMllp('A'), frameMllp('BB'), frameMllp('CCC')]);
    const units = [...decoder.push(stream.subarray(0, 9)), ...decoder.push(stream.subarray(9, 13)), ...decoder.push(stream.subarray(13))];
    expect(units.filter((u) => u.kind === 'frame').map((u) => (u.kind === 'frame' ? u.payload.toString() : ''))).toEqual(['A', 'BB', 'CCC']);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('bounds memory: an oversize frame is dropped with only its head kept', () => {
    const decoder = new MllpDecoder({ maxFrameBytes: 100 });
    const units = decoder.push(frameMllp('MSH|^~\\&|' + 'y'.repeat(10_000)));
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({ kind: 'oversize', bytes: 10_009 });
    expect(units[0]?.kind === 'oversize' && units[0].head.length).toBeLessThanOrEqual(2048);
  });
});
