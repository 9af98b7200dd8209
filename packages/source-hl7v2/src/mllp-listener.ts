import { createServer, type Server, type Socket } from 'node:net';
import { CareRelayError, toCareRelayError } from '@carerelay/core';
import { ackFor, ackHeaderOf, buildAck } from './ack.js';
import { ingestHl7, messageIdentity, seenResult } from './ingest.js';
import { defaultHl7MappingConfig, mapHl7Message } from './map-message.js';
import type { Hl7MappingConfig } from './mapping-config.js';
import type { Hl7MappingResult } from './mapping-result.js';
import { parseHl7, type Hl7Message } from './message.js';
import { frameMllp, MllpDecoder, type MllpUnit } from './mllp-frame.js';
import type { SeenControlIds } from './seen-control-ids.js';

/** An applied message handed to the application. */
export interface MllpDelivery {
  /** The mapping result (status `applied`): events, each valid under core `EventSchema`, and warnings. */
  result: Hl7MappingResult;
  /** The parsed message. */
  message: Hl7Message;
}

/** Where in the pipeline a problem arose. */
export type MllpProblemStage = 'framing' | 'parse' | 'map' | 'handler' | 'socket';

/** Options of {@link createMllpListener}. */
export interface MllpListenerOptions {
  /** Interface to bind; loopback by default. */
  host?: string;
  /** TCP port; 0 (default) picks a free one (read it from `listener.port`). */
  port?: number;
  /** The tenant every message on this listener belongs to. */
  tenantId: string;
  /** Validated mapping configuration; defaults apply when absent. */
  config?: Hl7MappingConfig;
  /**
   * Receives each applied message. The ACK (`AA`) is sent after it resolves; if it throws or rejects, the sender
   * gets `AE` (so it retransmits) and the message is not remembered as seen.
   */
  onMessage: (delivery: MllpDelivery) => void | Promise<void>;
  /** Called for every message once its ACK code is decided (applied, duplicate, rejected or failed). */
  onResult?: (result: Hl7MappingResult) => void;
  /** Called for problems that are not one message's fault or that the application should know (never PHI). */
  onProblem?: (error: CareRelayError, stage: MllpProblemStage) => void;
  /** Remembers applied messages so a retransmission is acknowledged without being delivered again. */
  seen?: SeenControlIds;
  /** Largest accepted frame in bytes (default 1 MiB); larger frames are discarded and answered `AE`. */
  maxFrameBytes?: number;
  /** Character encoding of frame payloads (default `utf8`; `latin1` for 8859-1 feeds). */
  encoding?: BufferEncoding;
  /**
   * Closes connections idle this long, in ms (default 0: never; interface engines keep one connection open for
   * days). TCP keep-alive is on either way, so dead peers are noticed.
   */
  idleTimeoutMs?: number;
  /** Stop reading from a connection while this many of its frames await their ACK (default 1,000). */
  maxPendingFrames?: number;
  /** Clock for ACK timestamps (default: the system clock). */
  now?: () => Date;
}

/** A running MLLP listener. */
export interface MllpListener {
  readonly host: string;
  /** The bound port. */
  readonly port: number;
  /** Stops accepting connections, closes open ones, and resolves when the server has closed. */
  close(): Promise<void>;
}

function safely(call: () => void): void {
  try {
    call();
  } catch {
    // A throwing observer must not take the listener down.
  }
}

/**
 * Starts an MLLP (TCP) listener that answers every framed HL7 v2 message with an ACK: `AA` when applied (or a
 * known duplicate), `AE` with an ERR segment when malformed (or the application failed), `AR` when the type or
 * version is not supported; MSA-2 echoes the control id. Partial frames, several frames per chunk, garbage between
 * frames, interrupted frames and oversize frames are all handled; bad bytes never crash it. Messages of one
 * connection are handled (and acknowledged) in order.
 */
export async function createMllpListener(options: MllpListenerOptions): Promise<MllpListener> {
  const host = options.host ?? '127.0.0.1';
  const config = options.config ?? defaultHl7MappingConfig();
  const encoding = options.encoding ?? 'utf8';
  const now = options.now ?? (() => new Date());
  const idleTimeoutMs = options.idleTimeoutMs ?? 0;
  const maxPending = Math.max(1, options.maxPendingFrames ?? 1000);
  const sockets = new Set<Socket>();
  const problem = (error: CareRelayError, stage: MllpProblemStage) => safely(() => options.onProblem?.(error, stage));

  async function answer(text: string): Promise<string> {
    const parsed = parseHl7(text);
    if (!parsed.ok) {
      const result = ingestHl7(text, { tenantId: options.tenantId, config });
      safely(() => options.onResult?.(result));
      return ackFor(text, result, now());
    }
    const message = parsed.value;
    const identity = options.seen ? messageIdentity(message, options.tenantId) : undefined;
    if (options.seen && identity) {
      const verdict = options.seen.check(identity.key, identity.fingerprint);
      if (verdict !== 'new') {
        const result = seenResult(message, verdict);
        safely(() => options.onResult?.(result));
        return ackFor(text, result, now());
      }
    }
    let result = mapHl7Message(message, { tenantId: options.tenantId, config });
    if (result.status === 'applied') {
      try {
        await options.onMessage({ result, message });
        if (options.seen && identity) options.seen.remember(identity.key, identity.fingerprint);
      } catch (cause) {
        problem(new CareRelayError('adapter_failure', 'onMessage failed; the message was answered AE', { cause: toCareRelayError(cause) }), 'handler');
        result = { ...result, status: 'failed', events: [], errors: [new CareRelayError('internal', 'the receiving application could not apply the message; retry later')] };
      }
    }
    safely(() => options.onResult?.(result));
    return ackFor(text, result, now());
  }

  function ackForUnit(unit: Exclude<MllpUnit, { kind: 'garbage' }>): Promise<string> {
    if (unit.kind === 'oversize') {
      const head = unit.head.toString(encoding);
      const limit = options.maxFrameBytes ?? 1024 * 1024;
      const error = new CareRelayError('invalid_input', `message: frame of ${unit.bytes} bytes exceeds the ${limit}-byte limit`, {
        issues: [{ path: 'message', message: `frame exceeds the ${limit}-byte limit` }],
      });
      const result: Hl7MappingResult = { status: 'failed', events: [], warnings: [], errors: [error] };
      const header = ackHeaderOf(head);
      if (header.controlId !== undefined) result.controlId = header.controlId;
      safely(() => options.onResult?.(result));
      return Promise.resolve(buildAck({ header, code: 'AE', error, now: now() }));
    }
    if (unit.kind === 'interrupted') problem(new CareRelayError('invalid_input', 'a frame was interrupted by a new start block'), 'framing');
    return answer(unit.payload.toString(encoding));
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const decoder = new MllpDecoder(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes });
    let queue: Promise<void> = Promise.resolve();
    let pending = 0;
    socket.setKeepAlive(true, 60_000);
    if (idleTimeoutMs > 0) socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      let units: MllpUnit[];
      try {
        units = decoder.push(chunk);
      } catch (cause) {
        problem(new CareRelayError('internal', 'MLLP decoding failed; connection closed', { cause }), 'framing');
        socket.destroy();
        return;
      }
      for (const unit of units) {
        if (unit.kind === 'garbage') {
          problem(new CareRelayError('invalid_input', `${unit.bytes} byte(s) outside any MLLP frame were discarded`), 'framing');
          continue;
        }
        pending += 1;
        // Back-pressure: a sender that does not wait for ACKs cannot make this connection buffer without bound.
        if (pending >= maxPending) socket.pause();
        queue = queue
          .then(() => ackForUnit(unit))
          .catch((cause: unknown) => {
            // Last line of defence: any unexpected failure still answers AE.
            problem(toCareRelayError(cause), 'map');
            const error = new CareRelayError('internal', 'message could not be processed');
            const text = unit.kind === 'oversize' ? '' : unit.payload.toString(encoding);
            return buildAck({ header: ackHeaderOf(text), code: 'AE', error, now: now() });
          })
          .then((ack) => {
            pending -= 1;
            if (!socket.destroyed && socket.writable) socket.write(frameMllp(ack, encoding));
            if (socket.isPaused() && pending < Math.max(1, maxPending / 2)) socket.resume();
          });
      }
    });
    socket.on('error', (cause) => problem(new CareRelayError('adapter_failure', 'MLLP connection error', { cause }), 'socket'));
    socket.on('close', () => {
      sockets.delete(socket);
      if (decoder.pendingBytes > 0) problem(new CareRelayError('invalid_input', 'connection closed inside an unfinished frame'), 'framing');
    });
  });
  server.on('error', (cause) => problem(new CareRelayError('adapter_failure', 'MLLP server error', { cause }), 'socket'));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(new CareRelayError('adapter_failure', `MLLP listener could not bind ${host}:${options.port ?? 0}`, { cause: error }));
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);

  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
