import { MalformedMessageError } from './errors.js';
import { findRoot, type RootElement } from './root-element.js';

/** How many leading bytes are decoded to find a message's root element. */
const ROOT_PREFIX = 4096;

/**
 * A message as received: its bytes, and its text decoded (once) only when asked for. Lets a
 * consumer that wants raw bytes skip the string copy of a large reply.
 */
export class ReceivedMessage {
  /** The message's bytes (UTF-8). */
  readonly bytes: Buffer;
  #text: string | undefined;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** Size in bytes. */
  get size(): number {
    return this.bytes.length;
  }

  /** The message decoded as UTF-8 (decoded on first access, then kept). */
  get text(): string {
    this.#text ??= this.bytes.toString('utf8');
    return this.#text;
  }

  /** True once {@link text} has been decoded. */
  get decoded(): boolean {
    return this.#text !== undefined;
  }

  /** The root element, found from the first few KB (the whole text only when the root tag is longer). */
  root(): RootElement {
    return rootOfBytes(this.bytes, () => this.text);
  }
}

/**
 * Find the root element of a message from its leading bytes: a small prefix is decoded first;
 * the whole text (from `full`) only when the root start tag does not fit in it.
 * @throws {@link MalformedMessageError}
 */
export function rootOfBytes(bytes: Buffer, full?: () => string): RootElement {
  if (bytes.length <= ROOT_PREFIX) return findRoot(bytes.toString('utf8'));
  try {
    return findRoot(bytes.toString('utf8', 0, ROOT_PREFIX));
  } catch (err) {
    if (!(err instanceof MalformedMessageError)) throw err;
    return findRoot(full ? full() : bytes.toString('utf8'));
  }
}
