/**
 * The sending side of a simulated session: frames messages (base:1.0 or base:1.1), writes them
 * one after the other with backpressure, and carries out delivery faults (cut a message short,
 * break the framing, send nothing).
 * @module
 */
import type { Writable } from 'node:stream';
import type { MalformedFraming } from './faults.js';
import type { FramingMode } from '../index.js';
import { encodeMessage, EOM_DELIMITER, MAX_CHUNK_SIZE } from '../internals.js';

/** How to mangle the delivery of one message. */
export interface DeliveryFault {
  /** Send only the first `afterBytes` bytes of the framed message, then stall or drop. */
  cut?: { afterBytes: number; then: 'stall' | 'drop' };
  malformedFraming?: MalformedFraming;
  noReply?: boolean;
}

const DELIM = Buffer.from(EOM_DELIMITER, 'latin1');
const END_OF_CHUNKS = Buffer.from('\n##\n', 'latin1');
const BAD_FRAMING: Record<MalformedFraming, Buffer> = {
  'zero-chunk': Buffer.from('\n#0\n', 'latin1'),
  'bad-header': Buffer.from('\n#12x\n', 'latin1'),
  garbage: Buffer.from('\nthis is no chunk header\n', 'latin1'),
};
const NOT_XML = Buffer.from('this is not XML: the simulator was told to break the framing', 'latin1');

/** Writes framed messages to a stream, one at a time. */
export class MessageWriter {
  /** The framing in force; `chunked` once the hello exchange negotiated base:1.1. */
  mode: FramingMode = 'eom';
  readonly #stream: Writable;
  readonly #maxChunkSize: number;
  readonly #onDrop: () => void;
  #tail: Promise<void> = Promise.resolve();
  #muted = false;
  #closed = false;
  readonly #waiters = new Set<() => void>();

  /**
   * @param maxChunkSize - largest chunk in base:1.1 (messages are split into chunks of at most this)
   * @param onDrop - drops the connection (for the `drop` fault)
   */
  constructor(stream: Writable, options: { maxChunkSize?: number; onDrop: () => void }) {
    this.#stream = stream;
    this.#maxChunkSize = options.maxChunkSize ?? MAX_CHUNK_SIZE;
    this.#onDrop = options.onDrop;
  }

  /** True once a fault stopped all output (stall, broken framing, drop). */
  get muted(): boolean {
    return this.#muted;
  }

  /**
   * Queue a message (text, or pieces of text for a large one); resolves once written or given up.
   * @param framing - framing for this message (the hello is always `eom`); default {@link mode}
   */
  send(message: string | Iterable<string>, fault: DeliveryFault = {}, framing?: FramingMode): Promise<void> {
    const run = this.#tail.then(() => this.#write(message, fault, framing ?? this.mode));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Stop writing; pending and later messages are dropped. */
  close(): void {
    this.#closed = true;
    for (const w of [...this.#waiters]) w();
  }

  async #write(message: string | Iterable<string>, fault: DeliveryFault, mode: FramingMode): Promise<void> {
    if (this.#closed || this.#muted || fault.noReply) return;
    const pieces = typeof message === 'string' ? [Buffer.from(message, 'utf8')] : toBuffers(message);
    if (fault.malformedFraming) {
      this.#muted = true;
      await this.#writeMalformed(pieces, fault.malformedFraming, mode);
      return;
    }
    const limit = fault.cut?.afterBytes ?? Infinity;
    let sent = 0;
    if (typeof message === 'string' && limit === Infinity) {
      // One write per message: one SSH packet rather than a packet per framing piece.
      await this.#put(Buffer.concat([...this.#frame(pieces, true, mode)]));
      return;
    }
    for (const piece of this.#coalesce(this.#frame(pieces, typeof message === 'string', mode))) {
      if (this.#closed) return;
      if (sent + piece.length > limit) {
        const part = piece.subarray(0, limit - sent);
        if (part.length > 0) await this.#put(part, true);
        break;
      }
      await this.#put(piece, fault.cut !== undefined);
      sent += piece.length;
    }
    if (fault.cut) {
      this.#muted = true;
      if (fault.cut.then === 'drop') this.#onDrop();
    }
  }

  *#frame(pieces: Iterable<Buffer>, whole: boolean, mode: FramingMode): Generator<Buffer> {
    if (whole && (mode === 'eom' || this.#maxChunkSize >= MAX_CHUNK_SIZE)) {
      for (const p of pieces) if (p.length > 0) yield* encodeMessage(p, mode);
      return;
    }
    if (mode === 'eom') {
      for (const p of pieces) if (p.length > 0) yield p;
      yield DELIM;
      return;
    }
    for (const p of pieces) {
      for (let at = 0; at < p.length; at += this.#maxChunkSize) {
        const chunk = p.subarray(at, at + this.#maxChunkSize);
        yield Buffer.from(`\n#${chunk.length}\n`, 'latin1');
        yield chunk;
      }
    }
    yield END_OF_CHUNKS;
  }

  /** Join small framing pieces with their neighbours into writes of up to 64 KiB. */
  *#coalesce(pieces: Iterable<Buffer>): Generator<Buffer> {
    let pending: Buffer[] = [];
    let size = 0;
    for (const p of pieces) {
      pending.push(p);
      size += p.length;
      if (size >= 65536) {
        yield pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
        pending = [];
        size = 0;
      }
    }
    if (size > 0) yield pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
  }

  async #writeMalformed(pieces: Iterable<Buffer>, kind: MalformedFraming, mode: FramingMode): Promise<void> {
    if (mode === 'eom') {
      await this.#put(NOT_XML);
      await this.#put(DELIM);
      return;
    }
    let first: Buffer | undefined;
    for (const p of pieces) {
      if (p.length > 0) {
        first = p;
        break;
      }
    }
    if (first) {
      const half = first.subarray(0, Math.max(1, Math.floor(first.length / 2)));
      await this.#put(Buffer.from(`\n#${half.length}\n`, 'latin1'));
      await this.#put(half);
    }
    await this.#put(BAD_FRAMING[kind]);
  }

  /**
   * Write one buffer. Resolves at once unless the stream asks to wait ('drain'), or, with
   * `handedOver`, once the stream has passed the bytes on (before a cut, so that they are on the
   * wire before the connection drops). Resolves too when the writer is closed.
   */
  #put(buf: Buffer, handedOver = false): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const stream = this.#stream;
      const done = (): void => {
        this.#waiters.delete(done);
        stream.off('drain', done);
        resolve();
      };
      this.#waiters.add(done);
      try {
        const more = stream.write(buf, handedOver ? () => done() : undefined);
        if (handedOver) return;
        if (more) done();
        else stream.once('drain', done);
      } catch {
        done();
      }
    });
  }
}

function* toBuffers(pieces: Iterable<string>): Generator<Buffer> {
  for (const p of pieces) if (p) yield Buffer.from(p, 'utf8');
}
