import { connect } from 'node:net';
import { CareRelayError } from '@carerelay/core';
import { frameMllp, MllpDecoder } from './mllp-frame.js';

/** Options of {@link sendMllp}. */
export interface SendMllpOptions {
  host?: string;
  port: number;
  /** Messages to send, each in its own frame. */
  messages?: readonly string[];
  /** Raw bytes to send after the messages (for testing how a listener copes with bad framing). */
  raw?: Uint8Array;
  /** How many ACKs to wait for (default: one per message). */
  expectAcks?: number;
  /** Send all frames in one write (default) or one write per frame. */
  oneWrite?: boolean;
  /** Give up after this many ms (default 10 s). */
  timeoutMs?: number;
  encoding?: BufferEncoding;
}

/**
 * A small MLLP client: connects, sends the framed messages (and any raw bytes), and resolves with the ACK texts
 * received, in order, once `expectAcks` have arrived. Rejects with a `CareRelayError` (`adapter_failure`) on
 * connection errors or timeout.
 */
export function sendMllp(options: SendMllpOptions): Promise<string[]> {
  const encoding = options.encoding ?? 'utf8';
  const frames = (options.messages ?? []).map((m) => frameMllp(m, encoding));
  if (options.raw) frames.push(Buffer.from(options.raw));
  const expected = options.expectAcks ?? (options.messages?.length ?? 0);
  return new Promise((resolve, reject) => {
    const acks: string[] = [];
    const decoder = new MllpDecoder({ maxFrameBytes: 16 * 1024 * 1024 });
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port });
    let settled = false;
    const finish = (error?: CareRelayError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(acks);
    };
    const timer = setTimeout(
      () => finish(new CareRelayError('adapter_failure', `MLLP: timed out after ${acks.length} of ${expected} ACKs`)),
      options.timeoutMs ?? 10_000,
    );
    socket.on('connect', () => {
      if (expected === 0 && frames.length === 0) return finish();
      if (options.oneWrite === false) for (const frame of frames) socket.write(frame);
      else socket.write(Buffer.concat(frames));
      if (expected === 0) socket.end(() => finish());
    });
    socket.on('data', (chunk: Buffer) => {
      for (const unit of decoder.push(chunk)) if (unit.kind === 'frame') acks.push(unit.payload.toString(encoding));
      if (acks.length >= expected) finish();
    });
    socket.on('error', (cause) => finish(new CareRelayError('adapter_failure', 'MLLP connection failed', { cause })));
    socket.on('close', () => {
      if (acks.length < expected) finish(new CareRelayError('adapter_failure', `MLLP: connection closed after ${acks.length} of ${expected} ACKs`));
    });
  });
}
