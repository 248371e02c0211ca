import { isAscii } from 'node:buffer';
import type { ScanResult } from './message-scan.js';
import { findRoot, type RootElement } from '../xml/root-element.js';

/**
 * A message as received: its bytes (one Buffer, gathered as they arrived; see
 * `ReceiveBuffer`), decoded to text only when asked for. A large reply thus costs one copy
 * into its final form, not two: measured on this project's 2-core VMs, touching fresh memory is
 * what a 100 MB reply costs most.
 *
 * An all-ASCII message (the usual case for XML) is decoded as Latin-1, which Node keeps outside
 * the JavaScript heap for large strings (no garbage-collector copying of 100 MB), and its bytes
 * are then let go: asking for them again re-encodes the text, byte for byte the same.
 */
export class ReceivedMessage {
  /** The size in bytes. */
  readonly size: number;
  #bytes: Buffer | undefined;
  #text: string | undefined;
  #ascii: boolean | undefined;
  #recycle: ((bytes: Buffer) => void) | undefined;
  readonly #contains: ReadonlyMap<string, boolean> | undefined;
  #root: RootElement | undefined;

  /**
   * @param bytes - the message's bytes (UTF-8): one Buffer, or the pieces it arrived in (joined here)
   * @param options - from the session: `recycle`, where the bytes' memory may be given back once
   *   the text is decoded and the bytes were never handed out (its receive buffer); `scan`, what
   *   was learnt of the bytes as they arrived (ASCII or not, watched strings found); `root`, the
   *   root element when it was already found
   */
  constructor(bytes: Buffer | readonly Buffer[], options: { recycle?: (bytes: Buffer) => void; scan?: ScanResult; root?: RootElement | undefined } = {}) {
    this.#bytes = Buffer.isBuffer(bytes) ? bytes : bytes.length === 1 ? (bytes[0] as Buffer) : Buffer.concat(bytes);
    this.size = this.#bytes.length;
    this.#recycle = options.recycle;
    this.#ascii = options.scan?.ascii;
    this.#contains = options.scan?.contains;
    this.#root = options.root;
  }

  /** The message's bytes as one Buffer (not a copy, unless the text was decoded and the bytes let go). */
  get bytes(): Buffer {
    this.#recycle = undefined; // handed out: its memory can no longer be reused
    this.#bytes ??= Buffer.from(this.#text ?? '', this.#ascii ? 'latin1' : 'utf8');
    return this.#bytes;
  }

  /** The message decoded as UTF-8 (decoded on first access, then kept). */
  get text(): string {
    if (this.#text === undefined) {
      const bytes = this.#bytes ?? Buffer.alloc(0);
      this.#ascii ??= isAscii(bytes);
      // Latin-1 is UTF-8 for ASCII, and a Latin-1 string of more than ~1 MB lives outside V8's heap.
      this.#text = this.#ascii ? bytes.toString('latin1') : bytes.toString('utf8');
      if (this.#ascii) {
        this.#bytes = undefined;
        this.#recycle?.(bytes);
        this.#recycle = undefined;
      }
    }
    return this.#text;
  }

  /** True once {@link text} has been decoded. */
  get decoded(): boolean {
    return this.#text !== undefined;
  }

  /**
   * Whether the bytes contain `needle` (an ASCII string): known without a search when the session
   * watched for it as the message arrived, else searched in the bytes (never decoded for it).
   */
  includes(needle: string): boolean {
    const known = this.#contains?.get(needle);
    if (known !== undefined) return known;
    if (this.#text !== undefined) return this.#text.includes(needle);
    return (this.#bytes ?? this.bytes).includes(needle, 0, 'latin1');
  }

  /**
   * The root element, found once: given by the reader when it already found it, else read from
   * the bytes (or the text), only as far as the root start tag.
   * @throws - `MalformedMessageError` when the message has no well-formed root start tag.
   */
  get root(): RootElement {
    this.#root ??= findRoot(this.#bytes ?? this.text);
    return this.#root;
  }
}
