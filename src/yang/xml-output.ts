/**
 * An output buffer for large XML documents: text is encoded into UTF-8 chunks as it is written and
 * decoded into one flat string at the end. Appending millions of small pieces to a string builds a
 * rope whose cells all outlive the young generation; writing bytes leaves nothing behind but the
 * chunks, which is what keeps the JSON → XML conversion of a 100 000-entry document out of the
 * garbage collector.
 */
export class XmlOutput {
  #chunks: Buffer[] = [];
  #buf: Buffer;
  #pos = 0;
  #size: number;
  /** Whether everything written so far is ASCII (then decoding is a copy: latin1). */
  #ascii = true;

  constructor(initialSize = 16 * 1024) {
    this.#size = initialSize;
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  /** Append text. */
  write(text: string): void {
    const n = text.length;
    // A UTF-16 code unit encodes to at most 3 UTF-8 bytes.
    if (this.#pos + n * 3 > this.#buf.length) this.#grow(n * 3);
    const buf = this.#buf;
    let pos = this.#pos;
    if (n > 32) {
      const written = buf.write(text, pos, 'utf8');
      if (written !== n) this.#ascii = false;
      this.#pos = pos + written;
      return;
    }
    // Short text (tags, most values): byte by byte while it is ASCII, cheaper than a native call.
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        // The rest through the encoder (i starts a character: everything before it was ASCII).
        this.#ascii = false;
        this.#pos = pos + buf.write(i === 0 ? text : text.slice(i), pos, 'utf8');
        return;
      }
      buf[pos++] = c;
    }
    this.#pos = pos;
  }

  #grow(need: number): void {
    if (this.#pos !== 0) this.#chunks.push(this.#buf.subarray(0, this.#pos));
    // Chunks double up to 4 MiB: few chunks for large documents, little waste for small ones.
    this.#size = Math.min(Math.max(this.#size * 2, 16 * 1024), 4 * 1024 * 1024);
    this.#buf = Buffer.allocUnsafe(Math.max(this.#size, need));
    this.#pos = 0;
  }

  /** Everything written, as UTF-8 bytes (one copy of the chunks, nothing decoded). */
  toBuffer(): Buffer {
    return Buffer.concat([...this.#chunks, this.#buf.subarray(0, this.#pos)]);
  }

  /** Everything written, as one string. */
  toString(): string {
    // Each chunk ends where a write ended, never inside a character: decode them one by one.
    const encoding = this.#ascii ? 'latin1' : 'utf8';
    let out = '';
    for (const chunk of this.#chunks) out += chunk.toString(encoding);
    return out + this.#buf.toString(encoding, 0, this.#pos);
  }
}
