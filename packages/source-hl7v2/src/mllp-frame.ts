/** MLLP start block (vertical tab). */
export const MLLP_START = 0x0b;
/** MLLP end block (file separator), followed by a carriage return. */
export const MLLP_END = 0x1c;
/** Carriage return closing the end block. */
export const MLLP_CR = 0x0d;

/** Wraps one message in MLLP framing: `0x0B` + message + `0x1C 0x0D`. */
export function frameMllp(message: string | Uint8Array, encoding: BufferEncoding = 'utf8'): Buffer {
  const body = typeof message === 'string' ? Buffer.from(message, encoding) : Buffer.from(message);
  return Buffer.concat([Buffer.of(MLLP_START), body, Buffer.of(MLLP_END, MLLP_CR)]);
}

/** What the decoder found in the byte stream. */
export type MllpUnit =
  /** A complete frame (start block … end block). */
  | { kind: 'frame'; payload: Buffer }
  /**
   * A frame cut short by a new start block: the sender began again without ending it. Reported with what
   * arrived, so it can still be answered (it is usually a truncated message).
   */
  | { kind: 'interrupted'; payload: Buffer }
  /** A frame longer than the limit: discarded up to its end; `head` keeps its first bytes (for the control id). */
  | { kind: 'oversize'; head: Buffer; bytes: number }
  /** Bytes outside any frame, discarded. */
  | { kind: 'garbage'; bytes: number };

const HEAD_BYTES = 2048;

/**
 * Incremental MLLP decoder: feed it chunks as they arrive (a frame may span chunks; a chunk may hold several
 * frames) and it returns the units completed so far. Memory is bounded by `maxFrameBytes` per connection.
 */
export class MllpDecoder {
  private readonly maxFrameBytes: number;
  private state: 'idle' | 'frame' | 'skipping' = 'idle';
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer = Buffer.alloc(0);
  /** The previous chunk ended with an end block whose carriage return has not arrived yet. */
  private pendingEnd = false;
  private garbage = 0;

  constructor(options: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = Math.max(16, options.maxFrameBytes ?? 1024 * 1024);
  }

  /** Bytes of the frame in progress (0 when between frames). */
  get pendingBytes(): number {
    return this.state === 'idle' ? 0 : this.size;
  }

  /** Feeds one chunk; returns the units it completed, in order. */
  push(chunk: Uint8Array): MllpUnit[] {
    const units: MllpUnit[] = [];
    let i = 0;
    if (this.pendingEnd) {
      this.pendingEnd = false;
      this.finish(units);
      if (chunk[0] === MLLP_CR) i = 1;
    }
    while (i < chunk.length) {
      if (this.state === 'idle') {
        const start = chunk.indexOf(MLLP_START, i);
        const stop = start === -1 ? chunk.length : start;
        this.garbage += stop - i;
        if (start === -1) break;
        this.flushGarbage(units);
        this.begin();
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(MLLP_END, i);
      const restart = chunk.indexOf(MLLP_START, i);
      if (restart !== -1 && (end === -1 || restart < end)) {
        // A new start block before the end block: the current frame was abandoned.
        this.append(chunk.subarray(i, restart));
        this.interrupt(units);
        this.begin();
        i = restart + 1;
        continue;
      }
      if (end === -1) {
        this.append(chunk.subarray(i));
        break;
      }
      this.append(chunk.subarray(i, end));
      if (end + 1 >= chunk.length) {
        this.pendingEnd = true;
        i = chunk.length;
        break;
      }
      this.finish(units);
      // The end block is `0x1C 0x0D`; a sender that omits the CR is tolerated.
      i = chunk[end + 1] === MLLP_CR ? end + 2 : end + 1;
    }
    this.flushGarbage(units);
    return units;
  }

  private begin(): void {
    this.state = 'frame';
    this.parts = [];
    this.size = 0;
    this.head = Buffer.alloc(0);
  }

  private append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.state === 'skipping') return;
    if (this.size > this.maxFrameBytes) {
      this.head = Buffer.concat([...this.parts, Buffer.from(bytes)]).subarray(0, HEAD_BYTES);
      this.parts = [];
      this.state = 'skipping';
      return;
    }
    this.parts.push(Buffer.from(bytes));
  }

  private finish(units: MllpUnit[]): void {
    if (this.state === 'skipping') units.push({ kind: 'oversize', head: this.head, bytes: this.size });
    else units.push({ kind: 'frame', payload: Buffer.concat(this.parts) });
    this.reset();
  }

  private interrupt(units: MllpUnit[]): void {
    if (this.state === 'skipping') units.push({ kind: 'oversize', head: this.head, bytes: this.size });
    else units.push({ kind: 'interrupted', payload: Buffer.concat(this.parts) });
    this.reset();
  }

  private reset(): void {
    this.state = 'idle';
    this.parts = [];
    this.size = 0;
    this.head = Buffer.alloc(0);
  }

  private flushGarbage(units: MllpUnit[]): void {
    if (this.garbage > 0) units.push({ kind: 'garbage', bytes: this.garbage });
    this.garbage = 0;
  }
}
