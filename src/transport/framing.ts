import { NetconfFramingError } from './errors.js';
import type { MessageSink } from './message-sink.js';

/**
 * What the decoder hands message pieces to: a {@link MessageSink}'s `data` and `end` (the decoder
 * reports errors by throwing from {@link FrameDecoder.push}, never through the sink).
 */
export type FrameSink = Pick<MessageSink, 'data' | 'end'>;

/**
 * NETCONF message framing over a byte stream (RFC 6242).
 *
 * - `eom`: base:1.0 end-of-message framing, every message followed by `]]>]]>`.
 * - `chunked`: base:1.1 chunked framing, `\n#<size>\n<data>` chunks closed by `\n##\n`.
 *
 * Every session starts in `eom` (the hello is always end-of-message framed) and switches with
 * {@link FrameDecoder.upgrade} once both peers have advertised base:1.1.
 */
export type FramingMode = 'eom' | 'chunked';

/** The base:1.0 message delimiter. */
export const EOM_DELIMITER = ']]>]]>';
/** Largest chunk-size RFC 6242 allows. */
export const MAX_CHUNK_SIZE = 4294967295;
/**
 * Default bound on one message's size: 512 MiB less a little, just under V8's longest string, so
 * that any message accepted can still become a JavaScript string.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 512 * 1024 * 1024 - 64;

const DELIM = Buffer.from(EOM_DELIMITER, 'latin1');
const DELIM_LEN = DELIM.length;
const END_OF_CHUNKS = Buffer.from('\n##\n', 'latin1');
const LF = 0x0a;
const HASH = 0x23;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Where the chunked decoder stands between bytes. */
const enum ChunkState {
  /** Expecting the LF that opens a chunk header or the end-of-chunks marker. */
  HeaderLf,
  /** Expecting `#`. */
  HeaderHash,
  /** Expecting the first digit of a chunk size, or the second `#` of end-of-chunks. */
  SizeStart,
  /** Inside the digits of a chunk size, until LF. */
  Size,
  /** Inside chunk data. */
  Data,
  /** Expecting the LF that closes `\n##`. */
  EndLf,
}

/** Options of a {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /**
   * Largest message accepted, in bytes; a larger one is a {@link NetconfFramingError} raised as
   * soon as its size is known to exceed it (a chunk header announcing it, or the bytes seen so
   * far), before its bytes are buffered. Default {@link DEFAULT_MAX_MESSAGE_SIZE}.
   */
  maxMessageSize?: number;
}

/**
 * Called with each whole message: the byte segments that form it, in order, and their total size.
 * The segments are views on the buffers given to {@link FrameDecoder.push}, never copies; they stay
 * valid as long as the caller keeps them.
 */
export type MessageHandler = (segments: Buffer[], size: number) => void;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  return byte >= 0x21 && byte < 0x7f ? `'${String.fromCharCode(byte)}' (${hex})` : hex;
}

/** The sink that gathers each message's pieces and hands the whole message to a handler. */
class Collector implements FrameSink {
  segments: Buffer[] = [];
  size = 0;
  readonly #handler: MessageHandler;
  constructor(handler: MessageHandler) {
    this.#handler = handler;
  }
  data(piece: Buffer): void {
    this.segments.push(piece);
    this.size += piece.length;
  }
  end(): void {
    const { segments, size } = this;
    this.segments = [];
    this.size = 0;
    this.#handler(segments, size);
  }
}

const NOTHING = Buffer.alloc(0);

/**
 * Incremental NETCONF frame decoder working on Buffers.
 *
 * Linear in its input however it is split: delimiters split across pushes, several messages in one
 * push, a chunk of hundreds of MB. Message bytes are never copied here: with a
 * {@link MessageHandler}, each whole message is handed over as the list of segments that form it;
 * with a {@link FrameSink}, pieces are handed over as they arrive and nothing is held (for
 * streaming messages of any size). Decoding to text is the caller's business, once per message,
 * so multi-byte UTF-8 characters split across chunks or reads come out whole.
 *
 * Any violation of RFC 6242 throws a {@link NetconfFramingError} from {@link push}; the decoder is
 * then failed and rejects further input, since the stream cannot be resynchronised.
 */
export class FrameDecoder {
  readonly maxMessageSize: number;
  #mode: FramingMode = 'eom';
  readonly #sink: FrameSink;
  readonly #collector: Collector | undefined;
  /** Bytes of the current message seen so far (handed to the sink, or held back). */
  #size = 0;
  #unlimited = false;
  #failed: NetconfFramingError | undefined;
  // end-of-message framing: the last (up to 5) bytes seen, held back from the sink until it is
  // known whether they begin a delimiter split across pushes
  #held: Buffer = NOTHING;
  // chunked framing
  #state: ChunkState = ChunkState.HeaderLf;
  #chunkSize = 0;
  #sizeDigits = 0;
  #chunkRemaining = 0;
  #sawChunk = false;

  constructor(handler: MessageHandler | FrameSink, options: FrameDecoderOptions = {}) {
    const max = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    if (!Number.isSafeInteger(max) || max <= 0) {
      throw new RangeError(`maxMessageSize must be a positive integer, got ${String(max)}`);
    }
    this.maxMessageSize = max;
    if (typeof handler === 'function') {
      this.#collector = new Collector(handler);
      this.#sink = this.#collector;
    } else {
      this.#sink = handler;
    }
  }

  /** The framing now in force. */
  get mode(): FramingMode {
    return this.#mode;
  }

  /** Bytes of a message received so far but not yet complete. */
  get bufferedBytes(): number {
    return this.#size;
  }

  /** True while a message is partly received (framing bytes included). */
  get inMessage(): boolean {
    if (this.#mode === 'eom') return this.#size > 0;
    return this.#sawChunk || this.#state !== ChunkState.HeaderLf;
  }

  /**
   * The bytes of the unfinished message that the decoder holds, for error reports (a copy). With
   * a {@link FrameSink}, the pieces already handed to it are not included.
   */
  pending(): Buffer {
    return Buffer.concat([...(this.#collector?.segments ?? []), this.#held]);
  }

  /**
   * Switch to chunked framing (base:1.1). Call it between messages: typically from the handler of
   * the hello, so that the rest of the same push is already read as chunked.
   */
  upgrade(): void {
    if (this.#mode === 'chunked') return;
    if (this.#size > 0) {
      throw new NetconfFramingError('Cannot switch to chunked framing in the middle of a message');
    }
    this.#mode = 'chunked';
    this.#state = ChunkState.HeaderLf;
    this.#sawChunk = false;
  }

  /** Feed received bytes. Whole messages are handed over before this returns. */
  push(data: Buffer): void {
    if (this.#failed) throw this.#failed;
    let offset = 0;
    try {
      // Each step stops after at most one message, so that a mode switch made by the handler
      // applies to the bytes that follow it.
      while (offset < data.length) {
        offset = this.#mode === 'eom' ? this.#pushEom(data, offset) : this.#pushChunked(data, offset);
      }
    } catch (err) {
      if (err instanceof NetconfFramingError) {
        this.#failed = err;
        if (this.#collector) this.#collector.segments = [];
        this.#held = NOTHING;
        this.#size = 0;
      }
      throw err;
    }
  }

  /**
   * Lift the size limit for the message being received (until it ends): for a message that is
   * consumed as it arrives rather than buffered, whose memory the consumer bounds.
   */
  unlimitCurrentMessage(): void {
    this.#unlimited = true;
  }

  #checkSize(size: number): void {
    if (size > this.maxMessageSize && !this.#unlimited) {
      throw new NetconfFramingError(
        `Message exceeds the maximum size of ${this.maxMessageSize} bytes (at least ${size} bytes)`,
      );
    }
  }

  #deliver(piece: Buffer): void {
    if (piece.length > 0) this.#sink.data(piece);
  }

  #end(): void {
    this.#size = 0;
    this.#unlimited = false;
    this.#held = NOTHING;
    this.#sawChunk = false;
    this.#sink.end();
  }

  // ---- end-of-message framing -------------------------------------------------------------

  #pushEom(data: Buffer, start: number): number {
    const held = this.#held;
    if (held.length > 0) {
      // A delimiter may begin in the held-back bytes and end in this push.
      const probe = Buffer.concat([held, data.subarray(start, start + DELIM_LEN - 1)]);
      const at = probe.indexOf(DELIM);
      if (at !== -1 && at < held.length) {
        this.#deliver(held.subarray(0, at));
        this.#end();
        return start + DELIM_LEN - (held.length - at);
      }
    }
    const at = data.indexOf(DELIM, start);
    if (at !== -1) {
      this.#checkSize(this.#size + (at - start));
      this.#deliver(held);
      this.#deliver(data.subarray(start, at));
      this.#end();
      return at + DELIM_LEN;
    }
    // No delimiter yet: hand over all but the last 5 bytes seen, which may begin one.
    this.#checkSize(this.#size + (data.length - start));
    this.#size += data.length - start;
    const keep = DELIM_LEN - 1;
    if (data.length - start >= keep) {
      this.#deliver(held);
      this.#deliver(data.subarray(start, data.length - keep));
      this.#held = data.subarray(data.length - keep);
    } else {
      const joined = Buffer.concat([held, data.subarray(start)]);
      this.#deliver(joined.subarray(0, Math.max(0, joined.length - keep)));
      this.#held = joined.subarray(Math.max(0, joined.length - keep));
    }
    return data.length;
  }

  // ---- chunked framing --------------------------------------------------------------------

  #pushChunked(data: Buffer, start: number): number {
    let i = start;
    const end = data.length;
    while (i < end) {
      if (this.#state === ChunkState.Data) {
        const take = Math.min(this.#chunkRemaining, end - i);
        this.#sink.data(data.subarray(i, i + take));
        this.#size += take;
        this.#chunkRemaining -= take;
        i += take;
        if (this.#chunkRemaining === 0) {
          this.#state = ChunkState.HeaderLf;
          this.#sawChunk = true;
        }
        continue;
      }
      const byte = data[i++] as number;
      switch (this.#state) {
        case ChunkState.HeaderLf:
          if (byte === LF) this.#state = ChunkState.HeaderHash;
          else if (!(isSpace(byte) && !this.#sawChunk)) this.#fail(`expected LF to open a chunk header, got ${describeByte(byte)}`);
          break;
        case ChunkState.HeaderHash:
          // Blank lines between messages are tolerated; inside a message they are not.
          if (byte === HASH) this.#state = ChunkState.SizeStart;
          else if (!(isSpace(byte) && !this.#sawChunk)) this.#fail(`expected '#' in chunk header, got ${describeByte(byte)}`);
          break;
        case ChunkState.SizeStart:
          if (byte === HASH) {
            if (!this.#sawChunk) this.#fail('end-of-chunks marker before any chunk');
            this.#state = ChunkState.EndLf;
          } else if (byte > DIGIT_0 && byte <= DIGIT_9) {
            this.#chunkSize = byte - DIGIT_0;
            this.#sizeDigits = 1;
            this.#state = ChunkState.Size;
          } else if (byte === DIGIT_0) {
            this.#fail('chunk size must start with a digit 1-9 (zero-sized or zero-padded chunk)');
          } else {
            this.#fail(`expected a chunk size or '#', got ${describeByte(byte)}`);
          }
          break;
        case ChunkState.Size:
          if (byte >= DIGIT_0 && byte <= DIGIT_9) {
            this.#chunkSize = this.#chunkSize * 10 + (byte - DIGIT_0);
            if (++this.#sizeDigits > 10 || this.#chunkSize > MAX_CHUNK_SIZE) {
              this.#fail(`chunk size exceeds the maximum of ${MAX_CHUNK_SIZE}`);
            }
          } else if (byte === LF) {
            this.#checkSize(this.#size + this.#chunkSize);
            this.#chunkRemaining = this.#chunkSize;
            this.#state = ChunkState.Data;
          } else {
            this.#fail(`expected a digit or LF in chunk size, got ${describeByte(byte)}`);
          }
          break;
        case ChunkState.EndLf:
          if (byte !== LF) this.#fail(`expected LF to close the end-of-chunks marker, got ${describeByte(byte)}`);
          this.#state = ChunkState.HeaderLf;
          this.#end();
          return i;
      }
    }
    return i;
  }

  #fail(what: string): never {
    throw new NetconfFramingError(`Malformed chunked framing: ${what}`);
  }
}

/**
 * Frame one message for sending: the buffers to write, in order (the message itself is not
 * copied).
 *
 * In `eom` framing a message containing `]]>]]>` cannot be framed (it cannot occur in well-formed
 * XML) and is refused. In `chunked` framing a message larger than {@link MAX_CHUNK_SIZE} is split
 * into several chunks.
 */
export function encodeMessage(message: Buffer, mode: FramingMode): Buffer[] {
  if (message.length === 0) throw new NetconfFramingError('Cannot send an empty NETCONF message');
  if (mode === 'eom') {
    if (message.indexOf(DELIM) !== -1) {
      throw new NetconfFramingError(`Message contains the end-of-message delimiter ${EOM_DELIMITER}; it cannot be sent with base:1.0 framing`);
    }
    return [message, DELIM];
  }
  const out: Buffer[] = [];
  for (let at = 0; at < message.length; at += MAX_CHUNK_SIZE) {
    const piece = message.subarray(at, at + MAX_CHUNK_SIZE);
    out.push(Buffer.from(`\n#${piece.length}\n`, 'latin1'), piece);
  }
  out.push(END_OF_CHUNKS);
  return out;
}
