import { isAscii } from 'node:buffer';

/** What `MessageScan` learnt about one message. */
export interface ScanResult {
  /** Whether every byte is ASCII (so Latin-1 decoding equals UTF-8 decoding). */
  readonly ascii: boolean;
  /** The watched strings, each mapped to whether the message contains it. */
  readonly contains: ReadonlyMap<string, boolean>;
}

/**
 * Looks at a message's pieces as they arrive: whether it is all ASCII, and which of a few watched
 * strings it contains (found also when they straddle two pieces). Done while the rest of the
 * message is still on its way, this work is hidden in the wait for the network instead of
 * adding a pass over the whole message once it has arrived (measured: ~55 ms for a 100 MB reply
 * searched at its end, on the critical path of every large call).
 */
export class MessageScan {
  readonly #needles: Array<{ text: string; bytes: Buffer }> = [];
  #longest = 0;
  #found: boolean[] = [];
  #ascii = true;
  #tail: Buffer = Buffer.alloc(0);

  /** Watch for `text` (ASCII) in every message from the next one on. */
  watch(text: string): void {
    if (text.length === 0 || !isAscii(Buffer.from(text, 'latin1')) || this.#needles.some((n) => n.text === text)) return;
    this.#needles.push({ text, bytes: Buffer.from(text, 'latin1') });
    this.#longest = Math.max(this.#longest, text.length);
    this.#found.push(false);
  }

  /** Look at the next piece of the message. */
  push(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.#ascii && !isAscii(piece)) this.#ascii = false;
    const needles = this.#needles;
    if (needles.length === 0) return;
    const tail = this.#tail;
    for (let i = 0; i < needles.length; i++) {
      if (this.#found[i]) continue;
      const needle = (needles[i] as { bytes: Buffer }).bytes;
      if (piece.includes(needle)) this.#found[i] = true;
      else if (tail.length > 0 && needle.length > 1) {
        // an occurrence that starts in the previous piece and ends in this one
        const edge = Buffer.concat([tail.subarray(-(needle.length - 1)), piece.subarray(0, needle.length - 1)]);
        if (edge.includes(needle)) this.#found[i] = true;
      }
    }
    const keep = this.#longest - 1;
    if (keep > 0) this.#tail = piece.length >= keep ? piece.subarray(piece.length - keep) : Buffer.concat([tail, piece]).subarray(-keep);
  }

  /** The result for the message seen since the last reset, and reset for the next one. */
  take(): ScanResult {
    const contains = new Map<string, boolean>();
    this.#needles.forEach((needle, i) => contains.set(needle.text, this.#found[i] === true));
    const result = { ascii: this.#ascii, contains };
    this.reset();
    return result;
  }

  /** Forget the message seen so far. */
  reset(): void {
    this.#found.fill(false);
    this.#ascii = true;
    this.#tail = Buffer.alloc(0);
  }
}
