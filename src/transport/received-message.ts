import { StringDecoder } from 'node:string_decoder';
import { MalformedMessageError } from './errors.js';
import { findRoot, type RootElement } from './root-element.js';

/** How many leading bytes are decoded to find a message's root element. */
const ROOT_PREFIX = 4096;

/**
 * A message as received: the pieces its bytes arrived in (never copied here), its text decoded
 * only when asked for, and its bytes joined only when asked for. A large reply thus costs one
 * copy (to whichever form the consumer wants), not two: measured on this project's 2-core VMs,
 * touching fresh memory is what a 100 MB reply costs most.
 */
export class ReceivedMessage {
  /** The size in bytes. */
  readonly size: number;
  #pieces: readonly Buffer[];
  #bytes: Buffer | undefined;
  #text: string | undefined;

  /** @param pieces - the message's bytes (UTF-8), in the pieces they arrived in */
  constructor(pieces: Buffer | readonly Buffer[]) {
    this.#pieces = Buffer.isBuffer(pieces) ? [pieces] : pieces;
    let size = 0;
    for (const piece of this.#pieces) size += piece.length;
    this.size = size;
    if (this.#pieces.length === 1) this.#bytes = this.#pieces[0];
  }

  /** The pieces the message's bytes arrived in, in order (views; no copy). */
  get pieces(): readonly Buffer[] {
    return this.#pieces;
  }

  /** The message's bytes as one Buffer (joined on first access, then kept). */
  get bytes(): Buffer {
    this.#bytes ??= Buffer.concat(this.#pieces, this.size);
    return this.#bytes;
  }

  /** The message decoded as UTF-8 (decoded on first access, then kept). */
  get text(): string {
    if (this.#text === undefined) {
      if (this.#bytes) {
        this.#text = this.#bytes.toString('utf8');
      } else {
        // decode piece by piece and join once: no joined Buffer in between
        const decoder = new StringDecoder('utf8');
        const parts = this.#pieces.map((piece) => decoder.write(piece));
        parts.push(decoder.end());
        this.#text = parts.join('');
      }
    }
    return this.#text;
  }

  /** True once {@link text} has been decoded. */
  get decoded(): boolean {
    return this.#text !== undefined;
  }

  /** Whether the bytes contain `needle` (an ASCII string), searched without joining or decoding. */
  includes(needle: string): boolean {
    if (this.#text !== undefined) return this.#text.includes(needle);
    const pattern = Buffer.from(needle, 'latin1');
    let previous: Buffer | undefined;
    for (const piece of this.#pieces) {
      if (piece.includes(pattern)) return true;
      if (previous) {
        // an occurrence straddling two pieces
        const edge = Buffer.concat([previous.subarray(-(pattern.length - 1)), piece.subarray(0, pattern.length - 1)]);
        if (edge.includes(pattern)) return true;
      }
      previous = piece;
    }
    return false;
  }

  /** The root element, found from the first few KB (the whole text only when the root tag is longer). */
  root(): RootElement {
    const first = this.#pieces[0] ?? Buffer.alloc(0);
    const head = first.length >= ROOT_PREFIX || this.#pieces.length === 1 ? first : Buffer.concat(this.#pieces.slice(0, 8)).subarray(0, ROOT_PREFIX);
    return rootOfBytes(head, this.size, () => this.text);
  }
}

/**
 * Find the root element of a message from its leading bytes: a small prefix is decoded first;
 * the whole text (from `full`) only when the root start tag does not fit in it.
 * @throws {@link MalformedMessageError}
 */
export function rootOfBytes(head: Buffer, size: number, full: () => string): RootElement {
  if (head.length >= size) return findRoot(head.toString('utf8'));
  try {
    return findRoot(head.toString('utf8', 0, Math.min(head.length, ROOT_PREFIX)));
  } catch (err) {
    if (!(err instanceof MalformedMessageError)) throw err;
    return findRoot(full());
  }
}
