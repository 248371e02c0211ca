import { MalformedMessageError } from '../errors.js';
import type { XmlElement } from './element.js';
import type { XmlStreamParserOptions } from './stream-parser.js';
import { TreeBuilder } from './tree-builder.js';
import { isWideNameChar, isWideNameStart, isXmlChar } from './xml-chars.js';

/**
 * An incremental, namespace-aware XML parser that reads UTF-8 bytes directly: the byte-level
 * twin of {@link XmlStreamParser} (./stream-parser.ts), for NETCONF replies as they come off the
 * wire, with no decoding pass before parsing.
 *
 * Same options ({@link XmlStreamParserOptions}), same results (the same {@link XmlElement}
 * subtrees at `emitDepth`, the same live skeletons and `path`, the same `onOpen`/`onClose`/
 * `onText` callbacks), the same well-formedness checks and the same documents accepted as
 * `XmlStreamParser` given the decoded text, plus UTF-8 validity. The differences:
 *  - Input is bytes in UTF-8 (a UTF-8 byte order mark opening the document is skipped). Invalid
 *    UTF-8 (an overlong form, a stray or missing continuation byte, an encoded surrogate, a code
 *    point above U+10FFFF, a sequence cut by the end of the document) is a well-formedness error,
 *    where a `TextDecoder` would have produced U+FFFD and `XmlStreamParser` accepted it. The
 *    `encoding` of an XML declaration is checked for syntax only, as `XmlStreamParser` does.
 *  - Error offsets are in bytes from the start of the stream (`at byte offset N`), not UTF-16
 *    code units; error messages may differ in wording.
 *  - Character data is delivered once its run is complete (at the next markup), so `onText`
 *    receives a run in one piece where `XmlStreamParser` may split it at chunk boundaries; a text
 *    run, like any token, is held whole (as bytes) until complete.
 *  - `detachStrings` is accepted and ignored: strings are always made from the bytes (fresh V8
 *    strings), never slices of a chunk, so they never keep a chunk alive.
 */

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const RBRACKET = 0x5d;
const SEMICOLON = 0x3b;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const SPACE = 0x20;

/** Byte classes. */
const NAME_START = 1; // ASCII NameStartChar
const NAME_CHAR = 2; // ASCII NameChar
const WS = 4; // S
const TSPEC = 8; // needs a look in text: & < ] CR, controls other than tab and LF, bytes >= 0x80
const ASPEC = 16; // needs a look in an attribute value: & < tab LF CR, other controls, bytes >= 0x80
const CLS = new Uint8Array(256);
for (let c = 0x41; c <= 0x5a; c++) CLS[c] = NAME_START | NAME_CHAR;
for (let c = 0x61; c <= 0x7a; c++) CLS[c] = NAME_START | NAME_CHAR;
for (let c = 0x30; c <= 0x39; c++) CLS[c] = NAME_CHAR;
CLS[0x5f] = NAME_START | NAME_CHAR; // _
CLS[COLON] = NAME_START | NAME_CHAR;
CLS[DASH] = NAME_CHAR;
CLS[0x2e] = NAME_CHAR; // .
CLS[SPACE] = WS;
CLS[TAB] = WS;
CLS[LF] = WS;
CLS[CR] = WS;
for (let c = 0; c < 0x20; c++) {
  if (c !== TAB && c !== LF) CLS[c]! |= TSPEC;
  CLS[c]! |= ASPEC;
}
for (let c = 0x80; c < 0x100; c++) CLS[c]! |= TSPEC | ASPEC;
CLS[AMP]! |= TSPEC | ASPEC;
CLS[LT]! |= TSPEC | ASPEC;
CLS[RBRACKET]! |= TSPEC;

/** Returned by a token method when the token is not complete in the buffer yet. */
const INCOMPLETE = -1;
/** Returned by {@link utf8Len} for an invalid sequence. */
const BAD = -2;
/** Set by {@link utf8Len}: the code point of the sequence just validated. */
let lastCp = 0;

/**
 * Validate the UTF-8 sequence at buf[i] (lead byte >= 0x80) as an XML 1.0 `Char`: its length,
 * INCOMPLETE when cut by `end`, BAD when invalid (overlong, surrogate, > U+10FFFF, U+FFFE,
 * U+FFFF, stray continuation byte). Sets {@link lastCp}.
 */
function utf8Len(buf: Uint8Array, i: number, end: number): number {
  const b0 = buf[i]!;
  if (b0 < 0xc2) return BAD;
  if (b0 < 0xe0) {
    if (i + 1 >= end) return INCOMPLETE;
    const b1 = buf[i + 1]!;
    if ((b1 & 0xc0) !== 0x80) return BAD;
    lastCp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
    return 2;
  }
  if (b0 < 0xf0) {
    if (i + 2 >= end) return i + 1 < end && (buf[i + 1]! & 0xc0) !== 0x80 ? BAD : INCOMPLETE;
    const b1 = buf[i + 1]!;
    const b2 = buf[i + 2]!;
    if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return BAD;
    const cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
    if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || cp >= 0xfffe) return BAD;
    lastCp = cp;
    return 3;
  }
  if (b0 < 0xf5) {
    for (let k = 1; k < 4; k++) {
      if (i + k >= end) return INCOMPLETE;
      if ((buf[i + k]! & 0xc0) !== 0x80) return BAD;
    }
    const cp = ((b0 & 0x07) << 18) | ((buf[i + 1]! & 0x3f) << 12) | ((buf[i + 2]! & 0x3f) << 6) | (buf[i + 3]! & 0x3f);
    if (cp < 0x10000 || cp > 0x10ffff) return BAD;
    lastCp = cp;
    return 4;
  }
  return BAD;
}

const XML_DECL =
  /^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*$/;

/** Node's fast, unchecked slicing decoders (what `toString(encoding, start, end)` calls). */
type Bytes = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/*
 * Strings seen, shared by all parsers: a hit costs a comparison with the bytes and allocates
 * nothing. Bounded: direct-mapped.
 */
const NAME_CACHE_SIZE = 1024;
/** Names (element, attribute) with their local parts and UTF-8 bytes. */
const NAMES: string[] = new Array<string>(NAME_CACHE_SIZE).fill('');
const LOCALS: string[] = new Array<string>(NAME_CACHE_SIZE).fill('');
const NAME_BYTES: Uint8Array[] = new Array<Uint8Array>(NAME_CACHE_SIZE).fill(new Uint8Array(0));
/** ASCII text and attribute values of up to 64 bytes with nothing to decode (identities, enums). */
const VALUE_CACHE_SIZE = 1024;
const VALUE_CACHE_MAX = 64;
const VALUES: string[] = new Array<string>(VALUE_CACHE_SIZE).fill('');
/** White-space-only text runs, by length (pretty-printing indentation). */
const WS_CACHE_MAX = 128;
const WS_STRINGS: string[] = new Array<string>(WS_CACHE_MAX + 1).fill('');

/** Decoding modes of character data. */
const MODE_TEXT = 0;
const MODE_ATTR = 1;
const MODE_CDATA = 2;

/** Byte strings a carried token waits for before it can be complete (see `#need`). */
const NEED_GT = Buffer.from('>');
const NEED_LT = Buffer.from('<');
const NEED_DQUOTE = Buffer.from('"');
const NEED_SQUOTE = Buffer.from("'");
const NEED_COMMENT_END = Buffer.from('--');
const NEED_CDATA_END = Buffer.from(']]>');
const NEED_PI_END = Buffer.from('?>');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const NO_BYTES = new Uint8Array(0);
const DOCTYPE_OPEN = Buffer.from('<!DOCTYPE');

/**
 * An incremental, namespace-aware XML parser over UTF-8 bytes that emits the subtrees at a given
 * depth: {@link XmlStreamParser}'s behaviour (see its documentation for the checks made and the
 * callbacks), taking `Buffer`s instead of strings (see the module documentation above for the
 * differences: UTF-8 validation, offsets in bytes, text runs delivered whole, `detachStrings`
 * ignored).
 *
 * ```ts
 * const parser = new ByteStreamParser({
 *   emitDepth: 3, // rpc-reply / data / interfaces / interface
 *   onSubtree(iface) { console.log(iface.childText('name')); },
 * });
 * for await (const bytes of socket) parser.write(bytes); // split anywhere, even inside a character
 * parser.end();
 * console.log(parser.root?.attributes['message-id']);
 * ```
 *
 * Buffering: the unparsed tail of a piece (an unfinished token: a tag, a comment, a CDATA
 * section, a PI, a text run) is copied into a buffer of the parser, which keeps no reference to
 * the pieces written. Every string in the elements is a fresh string.
 */
export class ByteStreamParser {
  /** Namespaces, checks on names and attributes, elements built and emitted. */
  readonly #builder: TreeBuilder;

  /** The unparsed tail of the input (an incomplete token): `#cbuf[0, #clen)`. */
  #cbuf: Bytes = Buffer.allocUnsafe(65536) as Bytes;
  #clen = 0;
  /** Bytes that new input must contain before the carried token can be complete (null: any). */
  #need: Uint8Array | null = null;
  /** Offset in the stream of the start of the buffer being parsed. */
  #base = 0;
  #started = false;
  #declPossible = true;
  #ended = false;
  #busy = false;
  #failure: unknown = undefined;

  /** Per open element (by depth): the UTF-8 bytes of its name, for its end tag. */
  readonly #openBytes: Uint8Array[] = [];

  /** Results of helpers: local part and bytes of the name just read, value just read and its end. */
  #local = '';
  #nameBytes: Uint8Array = NO_BYTES;
  #value = '';
  #valEnd = 0;
  /** Where the entity reference just decoded ends. */
  #entityEnd = 0;

  /**
   * @param options as for {@link XmlStreamParser}; `detachStrings` is ignored (strings made from
   * bytes never keep a piece alive).
   * @throws RangeError when `emitDepth` is not a non-negative integer.
   */
  constructor(options: XmlStreamParserOptions) {
    this.#builder = new TreeBuilder(options, (message, position) => this.#fail(message, position));
  }

  /**
   * The root element: its skeleton (name, namespace, attributes, declarations) as soon as its
   * start tag is parsed; with `emitDepth` 0, the whole tree once it has been emitted.
   * `undefined` before the root start tag.
   */
  get root(): XmlElement | undefined {
    return this.#builder.root;
  }

  /** Number of elements open at this point of the input (0 before the root and after it). */
  get depth(): number {
    return this.#builder.depth;
  }

  /**
   * Parse the next piece of the document; it may end anywhere, inside a multi-byte character too.
   * The parser does not keep `piece` (what it needs of it is copied). Callbacks run
   * synchronously, before this returns.
   * @throws {@link MalformedMessageError} when the document is not well-formed so far (or not
   * valid UTF-8); the parser is then unusable.
   * @throws Error when called after `end()`, after a failure, or from one of the callbacks.
   */
  write(piece: Buffer | Uint8Array): void {
    this.#checkUsable();
    if (!(piece instanceof Uint8Array)) throw new TypeError('ByteStreamParser.write() takes a Buffer or a Uint8Array');
    const len = piece.length;
    if (len === 0) return;
    const buf = (Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, len)) as Bytes;
    this.#busy = true;
    try {
      this.#write(buf, len);
    } catch (err) {
      this.#failure = err;
      throw err;
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Signal the end of the document and check it is complete (a root element, all closed, no
   * unfinished token or character).
   * @throws {@link MalformedMessageError} otherwise.
   * @throws Error when called after `end()`, after a failure, or from one of the callbacks.
   */
  end(): void {
    this.#checkUsable();
    this.#busy = true;
    try {
      const clen = this.#clen;
      this.#clen = 0;
      if (clen !== 0) this.#feed(this.#cbuf, clen, true);
      const builder = this.#builder;
      if (builder.root === undefined) this.#fail('no root element', 0);
      if (builder.depth !== 0) {
        const open = builder.innermost();
        this.#fail(`unexpected end of document: <${open?.name ?? '?'}> is not closed`, 0);
      }
    } catch (err) {
      this.#failure = err;
      throw err;
    } finally {
      this.#busy = false;
    }
    this.#ended = true;
  }

  #checkUsable(): void {
    if (this.#failure !== undefined) {
      if (this.#failure instanceof MalformedMessageError) throw this.#failure;
      throw new Error('ByteStreamParser: unusable after an exception thrown by one of its callbacks', { cause: this.#failure });
    }
    if (this.#ended) throw new Error('ByteStreamParser: write() or end() after end()');
    if (this.#busy) throw new Error('ByteStreamParser: write() or end() called from one of its callbacks');
  }

  #fail(message: string, pos: number): never {
    throw new MalformedMessageError(`Malformed XML: ${message} (at byte offset ${this.#base + pos})`);
  }

  #write(piece: Bytes, len: number): void {
    if (this.#clen === 0) {
      // Parse the piece in place; copy only its unfinished tail.
      const pos = this.#feed(piece, len, false);
      if (pos < len) {
        const n = len - pos;
        if (n > this.#cbuf.length) this.#cbuf = Buffer.allocUnsafe(Math.max(n, this.#cbuf.length * 2)) as Bytes;
        piece.copy(this.#cbuf, 0, pos, len);
        this.#clen = n;
      }
      this.#base += pos;
      return;
    }
    const old = this.#clen;
    const total = old + len;
    if (total > this.#cbuf.length) {
      const grown = Buffer.allocUnsafe(Math.max(total, this.#cbuf.length * 2)) as Bytes;
      this.#cbuf.copy(grown, 0, 0, old);
      this.#cbuf = grown;
    }
    const cb = this.#cbuf;
    piece.copy(cb, old);
    this.#clen = total;
    const need = this.#need;
    if (need !== null) {
      // (the needed bytes may straddle the old end)
      const from = old - need.length + 1;
      if (cb.subarray(from > 0 ? from : 0, total).indexOf(need) === -1) return;
    }
    const pos = this.#feed(cb, total, false);
    if (pos < total) cb.copyWithin(0, pos, total);
    this.#clen = total - pos;
    this.#base += pos;
  }

  #incomplete(need: Uint8Array | null, final: boolean, pos: number): number {
    if (final) this.#fail('unexpected end of document', pos);
    this.#need = need;
    return INCOMPLETE;
  }

  /** Parse buf[0, len); returns where the unparsed (incomplete) tail starts. */
  #feed(buf: Bytes, len: number, final: boolean): number {
    let p = 0;
    if (!this.#started) {
      if (len < 3 && !final) return 0;
      this.#started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
    }
    while (p < len) {
      let next: number;
      if (buf[p] !== LT) next = this.#text(buf, p, len, final);
      else if (p + 1 >= len) next = this.#incomplete(null, final, p);
      else {
        const c = buf[p + 1]!;
        if ((CLS[c]! & NAME_START) !== 0 || c >= 0x80) next = this.#startTag(buf, p, len, final);
        else if (c === SLASH) next = this.#endTag(buf, p, len, final);
        else if (c === BANG) next = this.#markup(buf, p, len, final);
        else if (c === QUESTION) next = this.#pi(buf, p, len, final);
        else this.#fail('invalid character after <', p + 1);
      }
      if (next === INCOMPLETE) break;
      p = next;
    }
    return p;
  }

  // ---------------------------------------------------------------------------------- text

  /** Character data from buf[start] to the next `<`; returns where it ends. */
  #text(buf: Bytes, start: number, len: number, final: boolean): number {
    this.#declPossible = false;
    const builder = this.#builder;
    if (builder.depth === 0) {
      // Outside the root: white space only, consumed as it comes.
      let i = start;
      for (; i < len; i++) {
        const b = buf[i]!;
        if ((CLS[b]! & WS) === 0) {
          if (b === LT) break;
          this.#fail('text outside the root element', i);
        }
      }
      return i;
    }
    let i = start;
    let flags = 0; // 1: non-ASCII, 2: needs decoding (& ] CR)
    for (;;) {
      while (i < len && (CLS[buf[i]!]! & TSPEC) === 0) i++;
      if (i >= len) return this.#incomplete(NEED_LT, final, start);
      const b = buf[i]!;
      if (b === LT) break;
      if (b >= 0x80) {
        const n = utf8Len(buf, i, len);
        if (n < 0) {
          if (n === INCOMPLETE) return this.#incomplete(NEED_LT, final, start);
          this.#fail('invalid UTF-8 or a character not allowed in XML', i);
        }
        flags |= 1;
        i += n;
        continue;
      }
      if (b === AMP || b === RBRACKET || b === CR) {
        flags |= 2;
        i++;
        continue;
      }
      this.#fail(`character U+${b.toString(16).padStart(4, '0')} is not allowed in XML`, i);
    }
    if ((flags & 2) !== 0) {
      for (let k = start; k + 2 < i; k++) if (buf[k] === RBRACKET && buf[k + 1] === RBRACKET && buf[k + 2] === GT) this.#fail(']]> in character data', k);
    }
    if (!builder.wantsText()) {
      // Skeleton text nobody wants: checked, not built.
      if ((flags & 2) !== 0) this.#decodeSlow(buf, start, i, MODE_TEXT, flags);
      return i;
    }
    let t: string;
    const n = i - start;
    const b0 = buf[start];
    if (flags === 0 && n <= WS_CACHE_MAX && (b0 === LF || b0 === SPACE || b0 === TAB)) {
      // Indentation: reuse the string of the last white-space run of that length when equal.
      const cached = WS_STRINGS[n]!;
      let hit = cached.length === n;
      if (hit) {
        for (let k = 0; k < n; k++) {
          if (cached.charCodeAt(k) !== buf[start + k]) {
            hit = false;
            break;
          }
        }
      }
      if (hit) t = cached;
      else {
        t = buf.latin1Slice(start, i);
        let ws = true;
        for (let k = start; k < i; k++) {
          if ((CLS[buf[k]!]! & WS) === 0) {
            ws = false;
            break;
          }
        }
        if (ws) WS_STRINGS[n] = t;
      }
    } else if (flags === 0) t = this.#plainValue(buf, start, i);
    else if (flags === 1) t = buf.utf8Slice(start, i);
    else t = this.#decodeSlow(buf, start, i, MODE_TEXT, flags);
    builder.text(t);
    return i;
  }

  /** The ASCII run buf[a, b) with nothing to decode, as a fresh string (cached when short). */
  #plainValue(buf: Bytes, a: number, b: number): string {
    const n = b - a;
    if (n === 0) return '';
    if (n > VALUE_CACHE_MAX) return buf.latin1Slice(a, b);
    const h = (n * 7 + buf[a]! * 31 + buf[b - 1]! * 17 + buf[a + (n >> 1)]!) & (VALUE_CACHE_SIZE - 1);
    const cached = VALUES[h]!;
    if (cached.length === n) {
      let k = 0;
      while (k < n && cached.charCodeAt(k) === buf[a + k]) k++;
      if (k === n) return cached;
    }
    return (VALUES[h] = buf.latin1Slice(a, b));
  }

  /**
   * Decode buf[start, end) (checked already): entity references (text, attribute values), line
   * ends, attribute value white space. `flags` bit 1: non-ASCII bytes present.
   */
  #decodeSlow(buf: Bytes, start: number, end: number, mode: number, flags: number): string {
    const utf8 = (flags & 1) !== 0;
    let out = '';
    let from = start;
    let i = start;
    while (i < end) {
      const b = buf[i]!;
      if (b === AMP && mode !== MODE_CDATA) {
        if (i > from) out += utf8 ? buf.utf8Slice(from, i) : buf.latin1Slice(from, i);
        out += this.#entity(buf, i, end);
        i = from = this.#entityEnd;
        continue;
      }
      if (b === CR) {
        if (i > from) out += utf8 ? buf.utf8Slice(from, i) : buf.latin1Slice(from, i);
        out += mode === MODE_ATTR ? ' ' : '\n';
        i += i + 1 < end && buf[i + 1] === LF ? 2 : 1;
        from = i;
        continue;
      }
      if ((b === LF || b === TAB) && mode === MODE_ATTR) {
        if (i > from) out += utf8 ? buf.utf8Slice(from, i) : buf.latin1Slice(from, i);
        out += ' ';
        from = ++i;
        continue;
      }
      i++;
    }
    if (end > from) out += utf8 ? buf.utf8Slice(from, end) : buf.latin1Slice(from, end);
    return out;
  }

  /** The replacement of the reference at buf[amp] (sets `#entityEnd` after its `;`). */
  #entity(buf: Bytes, amp: number, end: number): string {
    let semi = amp + 1;
    while (semi < end && buf[semi] !== SEMICOLON) semi++;
    if (semi >= end) this.#fail('unterminated entity reference', amp);
    this.#entityEnd = semi + 1;
    if (buf[amp + 1] === HASH) {
      let code = 0;
      let i = amp + 2;
      const hex = buf[i] === 0x78; // x
      if (hex) i++;
      if (i === semi) this.#fail('empty character reference', amp);
      for (; i < semi; i++) {
        const c = buf[i]!;
        let v: number;
        if (c >= 0x30 && c <= 0x39) v = c - 0x30;
        else if (hex && c >= 0x61 && c <= 0x66) v = c - 0x57;
        else if (hex && c >= 0x41 && c <= 0x46) v = c - 0x37;
        else this.#fail('malformed character reference', amp);
        code = code * (hex ? 16 : 10) + v;
        if (code > 0x10ffff) code = 0x110000; // stays out of range
      }
      if (!isXmlChar(code)) this.#fail(`character reference to U+${code.toString(16)}, not an XML character`, amp);
      return String.fromCodePoint(code);
    }
    const n = semi - amp - 1;
    const c1 = buf[amp + 1];
    const c2 = buf[amp + 2];
    if (n === 2 && c2 === 0x74) {
      if (c1 === 0x6c) return '<'; // lt
      if (c1 === 0x67) return '>'; // gt
    }
    if (n === 3 && c1 === 0x61 && c2 === 0x6d && buf[amp + 3] === 0x70) return '&';
    if (n === 4 && buf[amp + 3] === 0x6f) {
      if (c1 === 0x71 && c2 === 0x75 && buf[amp + 4] === 0x74) return '"';
      if (c1 === 0x61 && c2 === 0x70 && buf[amp + 4] === 0x73) return "'";
    }
    return this.#fail(`unknown entity &${buf.utf8Slice(amp + 1, Math.min(semi, amp + 40))};`, amp);
  }

  // ---------------------------------------------------------------------------------- names

  /** The end of the XML Name at buf[p] (p when none); INCOMPLETE when cut by `len`. */
  #scanName(buf: Bytes, p: number, len: number): number {
    const start = p;
    while (p < len) {
      const c = buf[p]!;
      if (c < 0x80) {
        if ((CLS[c]! & (p === start ? NAME_START : NAME_CHAR)) === 0) return p;
        p++;
      } else {
        const n = utf8Len(buf, p, len);
        if (n === INCOMPLETE) return INCOMPLETE;
        if (n === BAD) this.#fail('invalid UTF-8 or a character not allowed in XML in a name', p);
        if (!(p === start ? isWideNameStart(lastCp) : isWideNameChar(lastCp))) return p;
        p += n;
      }
    }
    return INCOMPLETE;
  }

  /** The name buf[a, b) from the cache (no allocation on a hit); sets `#local`, `#nameBytes`. */
  #name(buf: Bytes, a: number, b: number): string {
    const n = b - a;
    const h = (n * 7 + buf[a]! * 31 + buf[b - 1]! + buf[a + (n >> 1)]! * 5) & (NAME_CACHE_SIZE - 1);
    const bytes = NAME_BYTES[h]!;
    if (bytes.length === n) {
      let k = 0;
      while (k < n && bytes[k] === buf[a + k]) k++;
      if (k === n) {
        this.#local = LOCALS[h]!;
        this.#nameBytes = bytes;
        return NAMES[h]!;
      }
    }
    const name = buf.utf8Slice(a, b);
    const colon = name.indexOf(':');
    const local = colon === -1 ? name : name.slice(colon + 1);
    const copy = new Uint8Array(n);
    for (let k = 0; k < n; k++) copy[k] = buf[a + k]!;
    NAMES[h] = name;
    LOCALS[h] = this.#local = local;
    NAME_BYTES[h] = this.#nameBytes = copy;
    return name;
  }

  // ---------------------------------------------------------------------------------- tags

  /** A start tag at buf[lt]; returns the position after it. */
  #startTag(buf: Bytes, lt: number, len: number, final: boolean): number {
    let p = this.#scanName(buf, lt + 1, len);
    if (p === INCOMPLETE) return this.#incomplete(NEED_GT, final, lt);
    if (p === lt + 1) this.#fail('invalid character after <', p);
    const name = this.#name(buf, lt + 1, p);
    const local = this.#local;
    const nameBytes = this.#nameBytes;
    let c = buf[p]!;
    let n = 0;
    let selfClosing = false;
    if (c === GT) p++;
    else if (c === SLASH) {
      if (p + 1 >= len) return this.#incomplete(NEED_GT, final, lt);
      if (buf[p + 1] !== GT) this.#fail('/ not followed by > in a start tag', p);
      p += 2;
      selfClosing = true;
    } else if ((CLS[c]! & WS) === 0) {
      this.#fail(`invalid character in element name <${name}`, p);
    } else {
      const names = this.#builder.attrNames;
      const locals = this.#builder.attrLocals;
      const values = this.#builder.attrValues;
      for (;;) {
        // buf[p] is white space here
        let q = p + 1;
        while (q < len && (CLS[(c = buf[q]!)]! & WS) !== 0) q++;
        if (q >= len) return this.#incomplete(NEED_GT, final, lt);
        if (c === GT) {
          p = q + 1;
          break;
        }
        if (c === SLASH) {
          if (q + 1 >= len) return this.#incomplete(NEED_GT, final, lt);
          if (buf[q + 1] !== GT) this.#fail('/ not followed by > in a start tag', q);
          p = q + 2;
          selfClosing = true;
          break;
        }
        const nameEnd = this.#scanName(buf, q, len);
        if (nameEnd === INCOMPLETE) return this.#incomplete(NEED_GT, final, lt);
        if (nameEnd === q) this.#fail(`invalid character in the start tag of <${name}>`, q);
        let r = nameEnd;
        while (r < len && (CLS[(c = buf[r]!)]! & WS) !== 0) r++;
        if (r >= len) return this.#incomplete(NEED_GT, final, lt);
        if (c !== EQUALS) this.#fail(`attribute ${buf.utf8Slice(q, nameEnd)} without a value`, r);
        r++;
        while (r < len && (CLS[(c = buf[r]!)]! & WS) !== 0) r++;
        if (r >= len) return this.#incomplete(NEED_GT, final, lt);
        if (c !== DQUOTE && c !== SQUOTE) this.#fail(`unquoted value of attribute ${buf.utf8Slice(q, nameEnd)}`, r);
        if (this.#attrValue(buf, r + 1, len, c) === INCOMPLETE) return this.#incomplete(c === DQUOTE ? NEED_DQUOTE : NEED_SQUOTE, final, lt);
        names[n] = this.#name(buf, q, nameEnd);
        locals[n] = this.#local;
        values[n] = this.#value;
        n++;
        p = this.#valEnd + 1;
        if (p >= len) return this.#incomplete(NEED_GT, final, lt);
        c = buf[p]!;
        if (c === GT) {
          p++;
          break;
        }
        if (c === SLASH) {
          if (p + 1 >= len) return this.#incomplete(NEED_GT, final, lt);
          if (buf[p + 1] !== GT) this.#fail('/ not followed by > in a start tag', p);
          p += 2;
          selfClosing = true;
          break;
        }
        if ((CLS[c]! & WS) === 0) this.#fail('missing white space after an attribute value', p);
      }
    }
    this.#declPossible = false;
    this.#openBytes[this.#builder.depth] = nameBytes;
    this.#builder.openElement(name, local, n, lt);
    if (selfClosing) this.#builder.closeElement();
    return p;
  }

  /** The attribute value from buf[a] to the closing `quote`: sets `#value`, `#valEnd`. */
  #attrValue(buf: Bytes, a: number, len: number, quote: number): number {
    let i = a;
    let flags = 0;
    for (;;) {
      let b = 0;
      while (i < len && (b = buf[i]!) !== quote && (CLS[b]! & ASPEC) === 0) i++;
      if (i >= len) return INCOMPLETE;
      if (b === quote) break;
      if (b >= 0x80) {
        const n = utf8Len(buf, i, len);
        if (n === INCOMPLETE) return INCOMPLETE;
        if (n === BAD) this.#fail('invalid UTF-8 or a character not allowed in XML', i);
        flags |= 1;
        i += n;
        continue;
      }
      if (b === LT) this.#fail('< in an attribute value', i);
      if (b === AMP || b === CR || b === LF || b === TAB) {
        flags |= 2;
        i++;
        continue;
      }
      this.#fail(`character U+${b.toString(16).padStart(4, '0')} is not allowed in XML`, i);
    }
    this.#valEnd = i;
    this.#value = flags === 0 ? this.#plainValue(buf, a, i) : flags === 1 ? buf.utf8Slice(a, i) : this.#decodeSlow(buf, a, i, MODE_ATTR, flags);
    return i;
  }

  /** An end tag at buf[lt]. */
  #endTag(buf: Bytes, lt: number, len: number, final: boolean): number {
    const depth = this.#builder.depth;
    if (depth === 0) this.#fail('end tag outside the root element', lt);
    const expected = this.#openBytes[depth - 1]!;
    const n = expected.length;
    let p = lt + 2;
    const avail = Math.min(n, len - p);
    for (let k = 0; k < avail; k++) if (buf[p + k] !== expected[k]) this.#fail(`mismatched end tag, expected </${Buffer.from(expected).toString()}>`, lt);
    if (avail < n) return this.#incomplete(NEED_GT, final, lt);
    p += n;
    let c = 0;
    while (p < len && (CLS[(c = buf[p]!)]! & WS) !== 0) p++;
    if (p >= len) return this.#incomplete(NEED_GT, final, lt);
    if (c !== GT) this.#fail(`mismatched end tag, expected </${Buffer.from(expected).toString()}>`, p);
    this.#builder.closeElement();
    return p + 1;
  }

  /** Check that buf[a, b) holds only XML `Char`s in valid UTF-8 (comments, PIs). */
  #checkChars(buf: Bytes, a: number, b: number): void {
    for (let i = a; i < b; ) {
      const c = buf[i]!;
      if ((c >= 0x20 && c < 0x80) || c === LF || c === TAB || c === CR) {
        i++;
        continue;
      }
      if (c < 0x20) this.#fail(`character U+${c.toString(16).padStart(4, '0')} is not allowed in XML`, i);
      const n = utf8Len(buf, i, b);
      if (n < 0) this.#fail('invalid UTF-8 or a character not allowed in XML', i);
      i += n;
    }
  }

  /** Index of the first occurrence of the bytes x y [z] (z 0: two bytes) in buf[from, len), or -1. */
  #find(buf: Bytes, from: number, len: number, x: number, y: number, z: number): number {
    for (let i = buf.indexOf(x, from); i !== -1 && i < len; i = buf.indexOf(x, i + 1)) {
      if (i + 1 >= len) return -1;
      if (buf[i + 1] === y && (z === 0 || (i + 2 < len && buf[i + 2] === z))) return i;
    }
    return -1;
  }

  /** `<!`: a comment, a CDATA section; DOCTYPE and anything else refused. */
  #markup(buf: Bytes, lt: number, len: number, final: boolean): number {
    if (lt + 2 >= len) return this.#incomplete(null, final, lt);
    const c = buf[lt + 2];
    if (c === DASH) {
      if (lt + 3 >= len) return this.#incomplete(null, final, lt);
      if (buf[lt + 3] !== DASH) this.#fail('invalid markup, expected <!--', lt);
      const dd = this.#find(buf, lt + 4, len, DASH, DASH, 0);
      if (dd === -1) return this.#incomplete(NEED_COMMENT_END, final, lt);
      if (dd + 2 >= len) return this.#incomplete(null, final, lt);
      if (buf[dd + 2] !== GT) this.#fail('-- inside a comment', dd);
      this.#checkChars(buf, lt + 4, dd);
      this.#declPossible = false;
      return dd + 3;
    }
    if (c === 0x5b) {
      const avail = Math.min(len - lt, 9);
      for (let k = 0; k < avail; k++) if (buf[lt + k] !== CDATA_OPEN[k]) this.#fail('invalid markup, expected <![CDATA[', lt);
      if (avail < 9) return this.#incomplete(null, final, lt);
      const close = this.#find(buf, lt + 9, len, RBRACKET, RBRACKET, GT);
      if (close === -1) return this.#incomplete(NEED_CDATA_END, final, lt);
      if (this.#builder.depth === 0) this.#fail('CDATA section outside the root element', lt);
      let flags = 0;
      for (let i = lt + 9; i < close; ) {
        const b = buf[i]!;
        if ((b >= 0x20 && b < 0x80) || b === LF || b === TAB) {
          i++;
          continue;
        }
        if (b === CR) {
          flags |= 2;
          i++;
          continue;
        }
        if (b < 0x20) this.#fail(`character U+${b.toString(16).padStart(4, '0')} is not allowed in XML`, i);
        const n = utf8Len(buf, i, close);
        if (n < 0) this.#fail('invalid UTF-8 or a character not allowed in XML', i);
        flags |= 1;
        i += n;
      }
      if (this.#builder.wantsText()) {
        const t =
          flags === 0 ? buf.latin1Slice(lt + 9, close) : flags === 1 ? buf.utf8Slice(lt + 9, close) : this.#decodeSlow(buf, lt + 9, close, MODE_CDATA, flags);
        this.#builder.text(t);
      }
      return close + 3;
    }
    if (c === 0x44) {
      const avail = Math.min(len - lt, 9);
      for (let k = 0; k < avail; k++) if (buf[lt + k] !== DOCTYPE_OPEN[k]) this.#fail('invalid markup', lt);
      if (avail < 9) return this.#incomplete(null, final, lt);
      this.#fail('document type declarations (DOCTYPE) are not allowed', lt);
    }
    return this.#fail('invalid markup after <!', lt);
  }

  /** `<?`: a processing instruction (skipped) or the XML declaration. */
  #pi(buf: Bytes, lt: number, len: number, final: boolean): number {
    const p = lt + 2;
    const nameEnd = this.#scanName(buf, p, len);
    if (nameEnd === INCOMPLETE) return this.#incomplete(null, final, lt);
    if (nameEnd === p) this.#fail('processing instruction without a valid target', p);
    const target = buf.utf8Slice(p, nameEnd);
    if (target.indexOf(':') !== -1) this.#fail(`invalid processing instruction target ${target}`, p);
    const c = buf[nameEnd]!;
    if (c !== QUESTION && (CLS[c]! & WS) === 0) this.#fail(`invalid character in processing instruction target ${target}`, nameEnd);
    if (target === 'xml') {
      // The declaration ends at its first `?`, which must be followed by `>`.
      if (!this.#declPossible) this.#fail('an XML declaration is only allowed at the start of the document', lt);
      const q = buf.indexOf(QUESTION, nameEnd);
      if (q === -1 || q >= len) return this.#incomplete(NEED_PI_END, final, lt);
      if (q + 1 >= len) return this.#incomplete(null, final, lt);
      if (buf[q + 1] !== GT || !XML_DECL.test(buf.latin1Slice(nameEnd, q))) this.#fail('malformed XML declaration', lt);
      this.#declPossible = false;
      return q + 2;
    }
    if (target.length === 3 && target.toLowerCase() === 'xml') this.#fail(`reserved processing instruction target ${target}`, lt);
    const qe = this.#find(buf, nameEnd, len, QUESTION, GT, 0);
    if (qe === -1) return this.#incomplete(NEED_PI_END, final, lt);
    this.#checkChars(buf, nameEnd, qe);
    this.#declPossible = false;
    return qe + 2;
  }
}
