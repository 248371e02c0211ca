import { MalformedMessageError } from '../errors.js';
import type { XmlElement } from './element.js';
import { XmlLimitError } from './limit-error.js';
import { resolveXmlLimits, type XmlLimits } from './limits.js';
import { TreeBuilder } from './tree-builder.js';
import { isWideNameChar, isWideNameStart, isXmlChar } from './xml-chars.js';

/**
 * The XML tokenizer of the library: incremental, namespace-aware, reading UTF-8 bytes as they
 * come off the wire (no decoding pass before parsing). Every document the library reads goes
 * through it: whole replies, notifications and hellos (`parseXml`), streamed replies, the root
 * element of a message (`findRoot`).
 *
 * What is checked, and how it compares with saxes (the reference the tests compare it with):
 * the documents accepted are those saxes (namespaces on) accepts, with the same tree, except that
 *  - invalid UTF-8 (an overlong form, a stray or missing continuation byte, an encoded
 *    surrogate, a code point above U+10FFFF, a sequence cut by the end of the document) is an
 *    error, and so is an unpaired surrogate in a string written (XML 1.0 `Char`);
 *  - an XML declaration with `version="1.x"` (x ≠ 0) is processed with XML 1.0 rules, as XML 1.0
 *    (5th ed.) §2.8 recommends; saxes switches to XML 1.1 character rules;
 *  - a document beyond one of the {@link XmlLimits} is refused ({@link XmlLimitError}).
 *
 * Well-formedness checked: names (XML 1.0 5th-edition `NameStartChar`/`NameChar` classes; QNames
 * have at most one colon and a non-empty prefix and local part; like saxes, the first character
 * of a local part after the colon is only checked as a `NameChar`), matching end tags, a single
 * root, only white space outside it, the five predefined entities and character references to
 * XML `Char`s, every character an XML 1.0 `Char`, `]]>` not in character data, `--` not in
 * comments, CDATA sections, PIs (skipped; target an NCName, `xml` in any case reserved), the XML
 * declaration (only at the very start, saxes' grammar; its `encoding` is checked for syntax
 * only), unique attributes (by expanded name), quoted attribute values without `<`, namespace
 * prefixes declared (`xml` predefined), the `xml`/`xmlns` namespace constraints, no prefix
 * undeclaration (`xmlns:p=""`). DOCTYPE is refused. Line ends are normalised (`\r\n`, `\r` →
 * `\n`), attribute values are normalised (tab, line end → space) and, as saxes does, namespace
 * URIs are trimmed. A UTF-8 byte order mark opening the document is skipped. Any violation
 * throws `MalformedMessageError` whose message starts with `Malformed XML:` and gives the
 * offset in bytes from the start of the stream (of the UTF-8 encoding, for strings written).
 *
 * Time is linear in the size of the input for every shape of document and every way of cutting
 * it into pieces: a token cut by the end of a piece is kept (as bytes) and not parsed again until
 * the bytes that can complete it have arrived (the closing `>` of a start tag outside quoted
 * values, `-->`, `]]>`, `?>`, the `<` after a text run), so that each byte is scanned a bounded
 * number of times.
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

/** A surrogate code unit not part of a pair. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `String.prototype.isWellFormed` (ES2024, in every Node this package supports): no lone surrogate. */
function isWellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

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
const NEED_COMMENT_END = Buffer.from('--');
const NEED_CDATA_END = Buffer.from(']]>');
const NEED_PI_END = Buffer.from('?>');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const NO_BYTES = new Uint8Array(0);
/** The smallest carry buffer allocated. */
const MIN_CARRY = 4096;
const DOCTYPE_OPEN = Buffer.from('<!DOCTYPE');

/** Whether the attribute name `an` is a namespace declaration (`xmlns`, `xmlns:p`). */
function isDeclaration(an: string): boolean {
  return an.charCodeAt(0) === 0x78 && an.startsWith('xmlns') && (an.length === 5 || an.charCodeAt(5) === COLON);
}

/** Options of an {@link XmlStreamParser}. */
export interface XmlStreamParserOptions {
  /**
   * Depth of the elements to build whole and emit: 0 is the root (the whole document is built and
   * emitted once, at its end tag), 1 its children, and so on.
   */
  emitDepth: number;
  /**
   * Called with each complete element at `emitDepth` (or an element `onOpen` asked for), in
   * document order. `element.parent` is the live skeleton of its parent (see {@link onOpen});
   * the chain of parents up to the root carries every namespace declaration in scope, so
   * `element.toString()` and `element.inScopeNamespaces()` work on it.
   * `path` holds the skeletons of the ancestors, root first (`path.length` is the depth of
   * `element`); it is the parser's own array, valid only during the call: copy it to keep it.
   * The parser keeps no reference to `element` after the call.
   */
  onSubtree(element: XmlElement, path: readonly XmlElement[]): void;
  /**
   * Called when a shallow element (depth < `emitDepth`) opens, as its skeleton: name, namespace,
   * attributes and declarations are there, `children` stays empty. Return `true` to have this
   * element built whole and handed to `onSubtree` instead (for instance an `<rpc-error>` or an
   * `<ok/>` directly under `<rpc-reply>` when `emitDepth` is 3). `path` as for `onSubtree`.
   */
  onOpen?(element: XmlElement, path: readonly XmlElement[]): boolean | void;
  /** Called at the end tag of a shallow element (not built whole). `path` as for `onSubtree`. */
  onClose?(element: XmlElement, path: readonly XmlElement[]): void;
  /**
   * Called with the direct character data of a shallow element (not built whole), entities
   * resolved, CDATA included, white space between child elements included: each text run whole,
   * once complete (a CDATA section is a run of its own). Skeletons do not keep their text.
   */
  onText?(text: string, element: XmlElement, path: readonly XmlElement[]): void;
  /** Limits on the document's shape; those left out take their default (`DEFAULT_XML_LIMITS`). */
  limits?: Partial<XmlLimits>;
  /**
   * Stop right after the root start tag: `root` is then set, the rest of the input is neither
   * parsed nor kept, and `end()` checks nothing more. For reading the root element of a message
   * at a cost proportional to its start tag (`findRoot`).
   */
  rootOnly?: boolean;
}

/**
 * An incremental, namespace-aware XML parser over UTF-8 bytes that emits the subtrees at a given
 * depth (see the module documentation above for what is checked).
 *
 * It turns a document of any size, written in pieces split anywhere (inside a token, inside a
 * multi-byte character), into a stream of parsed subtrees ({@link XmlElement}) with memory
 * bounded by the largest subtree plus the chain of open ancestors: elements at `emitDepth` (0 is
 * the root) are built whole, handed to `onSubtree` and dropped; shallower elements are kept only
 * as a *skeleton* (name, namespace, attributes, namespace declarations; no children, no text).
 *
 * ```ts
 * const parser = new XmlStreamParser({
 *   emitDepth: 3, // rpc-reply / data / interfaces / interface
 *   onSubtree(iface) { console.log(iface.childText('name')); },
 * });
 * for await (const bytes of socket) parser.write(bytes);
 * parser.end();
 * console.log(parser.root?.attributes['message-id']);
 * ```
 *
 * Skeletons: an emitted subtree's `parent` is the *live* skeleton of its parent (not a copy): the
 * same object for all siblings. Buffering: the unparsed tail of a piece (an unfinished token: a
 * tag, a comment, a CDATA section, a PI, a text run) is copied into a buffer of the parser, which
 * keeps no reference to the pieces written; every string in the elements is a fresh string.
 */
export class XmlStreamParser {
  /** Namespaces, checks on names and attributes, elements built and emitted. */
  readonly #builder: TreeBuilder;
  readonly #maxDepth: number;
  readonly #maxAttributes: number;
  readonly #maxDeclarations: number;
  readonly #maxNameLength: number;
  readonly #rootOnly: boolean;

  /**
   * The unparsed tail of the input (an incomplete token): `#cbuf[0, #clen)`. Allocated when first
   * needed (a document parsed whole, or a root element found, never needs it), then grown.
   */
  #cbuf: Bytes = Buffer.alloc(0) as Bytes;
  #clen = 0;
  /** Bytes that new input must contain before the carried token can be complete (null: any). */
  #need: Uint8Array | null = null;
  /**
   * For a carried start tag (else -1): how far into it the search for its closing `>` (outside
   * quoted values) has gone, and the quote of the value it is in (0: none).
   */
  #tagFind = -1;
  #tagQuote = 0;
  /** Offset in the stream of the start of the buffer being parsed. */
  #base = 0;
  /** A high surrogate ending the last string written, waiting for its pair (or ''). */
  #surrogate = '';
  #started = false;
  #declPossible = true;
  #stopped = false;
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
   * @throws RangeError when `emitDepth` is not a non-negative integer, or a limit not a positive
   * integer.
   */
  constructor(options: XmlStreamParserOptions) {
    const limits = resolveXmlLimits(options.limits);
    this.#maxDepth = limits.maxDepth;
    this.#maxAttributes = limits.maxAttributes;
    this.#maxDeclarations = limits.maxNamespaceDeclarations;
    this.#maxNameLength = limits.maxNameLength;
    this.#rootOnly = options.rootOnly === true;
    this.#builder = new TreeBuilder(options, (message, position) => this.#fail(message, position));
  }

  /**
   * The root element: its skeleton (name, namespace, attributes, declarations, e.g. the
   * `message-id` of an `<rpc-reply>`) as soon as its start tag is parsed; with `emitDepth` 0,
   * the whole tree once it has been emitted. `undefined` before the root start tag.
   */
  get root(): XmlElement | undefined {
    return this.#builder.root;
  }

  /** Number of elements open at this point of the input (0 before the root and after it). */
  get depth(): number {
    return this.#builder.depth;
  }

  /**
   * Parse the next piece of the document: bytes (UTF-8), or a string (encoded to UTF-8). A piece
   * may end anywhere: inside a token, inside a multi-byte character, between the halves of a
   * surrogate pair. The parser does not keep `piece` (what it needs of it is copied). Callbacks
   * run synchronously, before this returns.
   * @throws `MalformedMessageError` when the document is not well-formed so far (or not
   * valid UTF-8), {@link XmlLimitError} when it goes beyond a limit; the parser is then unusable.
   * @throws Error when called after `end()`, after a failure, or from one of the callbacks.
   */
  write(piece: Uint8Array | string): void {
    this.#checkUsable();
    const text = typeof piece === 'string';
    if (!text && !(piece instanceof Uint8Array)) throw new TypeError('XmlStreamParser.write() takes a Buffer, a Uint8Array or a string');
    if (piece.length === 0 || this.#stopped) return;
    this.#busy = true;
    try {
      if (text) this.#writeString(piece);
      else this.#writeBytes((Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.length)) as Bytes);
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
   * @throws `MalformedMessageError` otherwise.
   * @throws Error when called after `end()`, after a failure, or from one of the callbacks.
   */
  end(): void {
    this.#checkUsable();
    this.#busy = true;
    try {
      if (!this.#stopped) {
        if (this.#surrogate !== '') this.#fail('unpaired surrogate at the end of the document', this.#clen);
        const clen = this.#clen;
        this.#clen = 0;
        if (clen !== 0) this.#feed(this.#cbuf, clen, true);
        const builder = this.#builder;
        if (!this.#stopped) {
          if (builder.root === undefined) this.#fail('empty document: no root element', clen);
          if (builder.depth !== 0) this.#fail(`unexpected end of document: <${builder.innermost()?.name ?? '?'}> is not closed`, clen);
        }
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
      throw new Error('XmlStreamParser: unusable after an exception thrown by one of its callbacks', { cause: this.#failure });
    }
    if (this.#ended) throw new Error('XmlStreamParser: write() or end() after end()');
    if (this.#busy) throw new Error('XmlStreamParser: write() or end() called from one of its callbacks');
  }

  #fail(message: string, pos: number): never {
    throw new MalformedMessageError(`Malformed XML: ${message} (at byte offset ${this.#base + pos})`);
  }

  /** Refuse the document for going beyond the limit `limit` (`value`): `what` says how. */
  #limit(limit: keyof XmlLimits, value: number, what: string, pos: number): never {
    throw new XmlLimitError(limit, value, `Malformed XML: ${what} (limit ${limit}: ${value}) (at byte offset ${this.#base + pos})`);
  }

  /** A string piece: encoded to UTF-8, with surrogate pairs kept whole across pieces. */
  #writeString(s: string): void {
    if (this.#surrogate !== '') {
      s = this.#surrogate + s;
      this.#surrogate = '';
    }
    // A high surrogate ending the piece waits for the next one.
    let held = '';
    const last = s.charCodeAt(s.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      held = s.slice(-1);
      s = s.slice(0, -1);
    }
    if (!isWellFormed(s)) {
      // The document up to the surrogate first: an earlier error, or the root found, comes first.
      const bad = s.search(LONE_SURROGATE);
      if (bad > 0) this.#writeBytes(Buffer.from(s.slice(0, bad), 'utf8') as Bytes);
      if (!this.#stopped) this.#fail('unpaired surrogate', this.#clen);
      return;
    }
    if (s.length !== 0) this.#writeBytes(Buffer.from(s, 'utf8') as Bytes);
    this.#surrogate = held;
  }

  #writeBytes(piece: Bytes): void {
    if (this.#surrogate !== '') this.#fail('unpaired surrogate', this.#clen);
    const len = piece.length;
    if (this.#clen === 0) {
      // Parse the piece in place; copy only its unfinished tail.
      const pos = this.#feed(piece, len, false);
      if (this.#stopped) return;
      if (pos < len) {
        const n = len - pos;
        if (n > this.#cbuf.length) this.#cbuf = Buffer.allocUnsafe(Math.max(n, this.#cbuf.length * 2, MIN_CARRY)) as Bytes;
        piece.copy(this.#cbuf, 0, pos, len);
        this.#clen = n;
      }
      this.#base += pos;
      return;
    }
    const old = this.#clen;
    const total = old + len;
    if (total > this.#cbuf.length) {
      const grown = Buffer.allocUnsafe(Math.max(total, this.#cbuf.length * 2, MIN_CARRY)) as Bytes;
      this.#cbuf.copy(grown, 0, 0, old);
      this.#cbuf = grown;
    }
    const cb = this.#cbuf;
    piece.copy(cb, old);
    this.#clen = total;
    if (this.#tagFind !== -1) {
      if (!this.#findTagEnd(cb, total)) return;
    } else {
      const need = this.#need;
      if (need !== null) {
        // Only the new bytes are searched (the needed ones may straddle the old end).
        const from = old - need.length + 1;
        if (cb.subarray(from > 0 ? from : 0, total).indexOf(need) === -1) return;
      }
    }
    const pos = this.#feed(cb, total, false);
    if (this.#stopped) {
      this.#clen = 0;
      return;
    }
    if (pos < total) cb.copyWithin(0, pos, total);
    this.#clen = total - pos;
    this.#base += pos;
  }

  /**
   * Continue the search for the end of the carried start tag `cb[0, total)`: a `>` outside quoted
   * values. Every byte is looked at once, whatever the number of pieces the tag comes in.
   */
  #findTagEnd(cb: Bytes, total: number): boolean {
    const view = cb.subarray(0, total);
    let i = this.#tagFind;
    let quote = this.#tagQuote;
    while (i < total) {
      if (quote !== 0) {
        const close = view.indexOf(quote, i);
        if (close === -1) {
          i = total;
          break;
        }
        quote = 0;
        i = close + 1;
        continue;
      }
      const b = view[i]!;
      if (b === GT) {
        this.#tagFind = -1;
        this.#tagQuote = 0;
        return true;
      }
      if (b === DQUOTE || b === SQUOTE) quote = b;
      i++;
    }
    this.#tagFind = i;
    this.#tagQuote = quote;
    return false;
  }

  /**
   * The token at `pos` is cut by the end of the input: wait for `need` (null: any byte), or fail
   * with `what` when there is no more input.
   */
  #incomplete(need: Uint8Array | null, final: boolean, pos: number, what: string): number {
    if (final) this.#fail(what, pos);
    this.#need = need;
    return INCOMPLETE;
  }

  /** The start tag at `lt` is cut by the end of the input: look for its end from there on. */
  #tagIncomplete(final: boolean, lt: number): number {
    if (final) this.#fail('unterminated start tag', lt);
    this.#tagFind = 1;
    this.#tagQuote = 0;
    return INCOMPLETE;
  }

  /** Parse buf[0, len); returns where the unparsed (incomplete) tail starts. */
  #feed(buf: Bytes, len: number, final: boolean): number {
    // A view of exactly the input, so that no search runs into the stale end of the carry buffer.
    if (len < buf.length) buf = buf.subarray(0, len) as Bytes;
    let p = 0;
    if (!this.#started) {
      if (len < 3 && !final) return 0;
      this.#started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
    }
    while (p < len) {
      let next: number;
      if (buf[p] !== LT) next = this.#text(buf, p, len, final);
      else if (p + 1 >= len) next = this.#incomplete(null, final, p, 'unexpected end of document after <');
      else {
        const c = buf[p + 1]!;
        if ((CLS[c]! & NAME_START) !== 0 || c >= 0x80) {
          next = this.#startTag(buf, p, len, final);
          if (next !== INCOMPLETE && this.#rootOnly) {
            this.#stopped = true;
            return len;
          }
        } else if (c === SLASH) next = this.#endTag(buf, p, len, final);
        else if (c === BANG) next = this.#markup(buf, p, len, final);
        else if (c === QUESTION) next = this.#pi(buf, p, len, final);
        else this.#fail('invalid character after <: a tag with no name', p + 1);
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
          this.#fail(builder.root === undefined ? 'expected the root element, found text' : 'text after the root element', i);
        }
      }
      return i;
    }
    let i = start;
    let flags = 0; // 1: non-ASCII, 2: needs decoding (& ] CR)
    for (;;) {
      while (i < len && (CLS[buf[i]!]! & TSPEC) === 0) i++;
      if (i >= len) return this.#incomplete(NEED_LT, final, start, this.#notClosed());
      const b = buf[i]!;
      if (b === LT) break;
      if (b >= 0x80) {
        const n = utf8Len(buf, i, len);
        if (n < 0) {
          if (n === INCOMPLETE) return this.#incomplete(NEED_LT, final, start, this.#notClosed());
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
      if ((flags & 2) !== 0) this.#decodeSlow(buf, start, i, MODE_TEXT, flags, '');
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
    else t = this.#decodeSlow(buf, start, i, MODE_TEXT, flags, '');
    builder.text(t);
    return i;
  }

  /** The message for a document ending inside an element. */
  #notClosed(): string {
    return `unexpected end of document: <${this.#builder.innermost()?.name ?? '?'}> is not closed`;
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
   * ends, attribute value white space. `flags` bit 1: non-ASCII bytes present. `where` is added
   * to the message of an error in a reference (` in the value of attribute x`).
   */
  #decodeSlow(buf: Bytes, start: number, end: number, mode: number, flags: number, where: string): string {
    const utf8 = (flags & 1) !== 0;
    let out = '';
    let from = start;
    let i = start;
    while (i < end) {
      const b = buf[i]!;
      if (b === AMP && mode !== MODE_CDATA) {
        if (i > from) out += utf8 ? buf.utf8Slice(from, i) : buf.latin1Slice(from, i);
        out += this.#entity(buf, i, end, where);
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
  #entity(buf: Bytes, amp: number, end: number, where: string): string {
    let semi = amp + 1;
    while (semi < end && buf[semi] !== SEMICOLON) semi++;
    if (semi >= end) this.#fail(`unterminated entity reference${where}`, amp);
    this.#entityEnd = semi + 1;
    if (buf[amp + 1] === HASH) {
      let code = 0;
      let i = amp + 2;
      const hex = buf[i] === 0x78; // x
      if (hex) i++;
      if (i === semi) this.#fail(`empty character reference${where}`, amp);
      for (; i < semi; i++) {
        const c = buf[i]!;
        let v: number;
        if (c >= 0x30 && c <= 0x39) v = c - 0x30;
        else if (hex && c >= 0x61 && c <= 0x66) v = c - 0x57;
        else if (hex && c >= 0x41 && c <= 0x46) v = c - 0x37;
        else this.#fail(`malformed character reference${where}`, amp);
        code = code * (hex ? 16 : 10) + v;
        if (code > 0x10ffff) code = 0x110000; // stays out of range
      }
      if (!isXmlChar(code)) this.#fail(`character reference to U+${code.toString(16)}, not an XML character${where}`, amp);
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
    return this.#fail(`unknown entity &${buf.utf8Slice(amp + 1, Math.min(semi, amp + 40))};${where}`, amp);
  }

  // ---------------------------------------------------------------------------------- names

  /** The end of the XML Name at buf[p] (p when none); INCOMPLETE when cut by `len`. */
  #scanName(buf: Bytes, p: number, len: number): number {
    const start = p;
    while (p < len) {
      const c = buf[p]!;
      if (c < 0x80) {
        if ((CLS[c]! & (p === start ? NAME_START : NAME_CHAR)) === 0) break;
        p++;
      } else {
        const n = utf8Len(buf, p, len);
        if (n === INCOMPLETE) {
          p = len;
          break;
        }
        if (n === BAD) this.#fail('invalid UTF-8 or a character not allowed in XML in a name', p);
        if (!(p === start ? isWideNameStart(lastCp) : isWideNameChar(lastCp))) break;
        p += n;
      }
    }
    if (p - start > this.#maxNameLength) this.#limit('maxNameLength', this.#maxNameLength, `a name longer than ${this.#maxNameLength} bytes`, start);
    return p >= len ? INCOMPLETE : p;
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
    if (p === INCOMPLETE) return this.#tagIncomplete(final, lt);
    if (p === lt + 1) this.#fail('invalid character after <: a tag with no name', p);
    const builder = this.#builder;
    const name = this.#name(buf, lt + 1, p);
    const local = this.#local;
    const nameBytes = this.#nameBytes;
    if (builder.depth >= this.#maxDepth) this.#limit('maxDepth', this.#maxDepth, `element <${name}> nested deeper than ${this.#maxDepth} levels`, lt);
    let c = buf[p]!;
    let n = 0;
    let selfClosing = false;
    if (c === GT) p++;
    else if (c === SLASH) {
      if (p + 1 >= len) return this.#tagIncomplete(final, lt);
      if (buf[p + 1] !== GT) this.#fail('/ not followed by > in a start tag', p);
      p += 2;
      selfClosing = true;
    } else if ((CLS[c]! & WS) === 0) {
      this.#fail(`invalid character in element name <${name}`, p);
    } else {
      const names = builder.attrNames;
      const locals = builder.attrLocals;
      const values = builder.attrValues;
      let declarations = 0;
      for (;;) {
        // buf[p] is white space here
        let q = p + 1;
        while (q < len && (CLS[(c = buf[q]!)]! & WS) !== 0) q++;
        if (q >= len) return this.#tagIncomplete(final, lt);
        if (c === GT) {
          p = q + 1;
          break;
        }
        if (c === SLASH) {
          if (q + 1 >= len) return this.#tagIncomplete(final, lt);
          if (buf[q + 1] !== GT) this.#fail('/ not followed by > in a start tag', q);
          p = q + 2;
          selfClosing = true;
          break;
        }
        const nameEnd = this.#scanName(buf, q, len);
        if (nameEnd === INCOMPLETE) return this.#tagIncomplete(final, lt);
        if (nameEnd === q) this.#fail(`invalid character in the start tag of <${name}>`, q);
        const an = this.#name(buf, q, nameEnd);
        const al = this.#local;
        if (isDeclaration(an)) {
          if (++declarations > this.#maxDeclarations) {
            this.#limit('maxNamespaceDeclarations', this.#maxDeclarations, `more than ${this.#maxDeclarations} namespace declarations on <${name}>`, q);
          }
        } else if (n - declarations >= this.#maxAttributes) {
          this.#limit('maxAttributes', this.#maxAttributes, `more than ${this.#maxAttributes} attributes on <${name}>`, q);
        }
        let r = nameEnd;
        while (r < len && (CLS[(c = buf[r]!)]! & WS) !== 0) r++;
        if (r >= len) return this.#tagIncomplete(final, lt);
        if (c !== EQUALS) this.#fail(`attribute ${an} without a value`, r);
        r++;
        while (r < len && (CLS[(c = buf[r]!)]! & WS) !== 0) r++;
        if (r >= len) return this.#tagIncomplete(final, lt);
        if (c !== DQUOTE && c !== SQUOTE) this.#fail(`unquoted value of attribute ${an}`, r);
        if (this.#attrValue(buf, r + 1, len, c, an) === INCOMPLETE) return this.#tagIncomplete(final, lt);
        names[n] = an;
        locals[n] = al;
        values[n] = this.#value;
        n++;
        p = this.#valEnd + 1;
        if (p >= len) return this.#tagIncomplete(final, lt);
        c = buf[p]!;
        if (c === GT) {
          p++;
          break;
        }
        if (c === SLASH) {
          if (p + 1 >= len) return this.#tagIncomplete(final, lt);
          if (buf[p + 1] !== GT) this.#fail('/ not followed by > in a start tag', p);
          p += 2;
          selfClosing = true;
          break;
        }
        if ((CLS[c]! & WS) === 0) this.#fail('missing white space after an attribute value', p);
      }
    }
    this.#declPossible = false;
    this.#openBytes[builder.depth] = nameBytes;
    builder.openElement(name, local, n, lt);
    if (selfClosing) builder.closeElement();
    return p;
  }

  /** The value of attribute `name` from buf[a] to the closing `quote`: sets `#value`, `#valEnd`. */
  #attrValue(buf: Bytes, a: number, len: number, quote: number, name: string): number {
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
      if (b === LT) this.#fail(`< in the value of attribute ${name}`, i);
      if (b === AMP || b === CR || b === LF || b === TAB) {
        flags |= 2;
        i++;
        continue;
      }
      this.#fail(`character U+${b.toString(16).padStart(4, '0')} is not allowed in XML`, i);
    }
    this.#valEnd = i;
    this.#value =
      flags === 0 ? this.#plainValue(buf, a, i) : flags === 1 ? buf.utf8Slice(a, i) : this.#decodeSlow(buf, a, i, MODE_ATTR, flags, ` in the value of attribute ${name}`);
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
    for (let k = 0; k < avail; k++) if (buf[p + k] !== expected[k]) this.#mismatch(buf, lt, len, expected);
    if (avail < n) return this.#incomplete(NEED_GT, final, lt, 'unterminated end tag');
    p += n;
    let c = 0;
    while (p < len && (CLS[(c = buf[p]!)]! & WS) !== 0) p++;
    if (p >= len) return this.#incomplete(NEED_GT, final, lt, 'unterminated end tag');
    if (c !== GT) this.#mismatch(buf, lt, len, expected);
    this.#builder.closeElement();
    return p + 1;
  }

  /** Fail on the end tag at buf[lt], which does not close the element whose name is `expected`. */
  #mismatch(buf: Bytes, lt: number, len: number, expected: Uint8Array): never {
    let e = lt + 2;
    const stop = Math.min(len, e + expected.length + 40);
    while (e < stop && (CLS[buf[e]!]! & WS) === 0 && buf[e] !== GT && buf[e] !== LT) e++;
    return this.#fail(`mismatched end tag </${buf.utf8Slice(lt + 2, e)}>, expected </${Buffer.from(expected).toString()}>`, lt);
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
    if (lt + 2 >= len) return this.#incomplete(null, final, lt, 'unterminated markup after <!');
    const c = buf[lt + 2];
    if (c === DASH) {
      if (lt + 3 >= len) return this.#incomplete(null, final, lt, 'unterminated comment');
      if (buf[lt + 3] !== DASH) this.#fail('invalid markup, expected <!--', lt);
      const dd = this.#find(buf, lt + 4, len, DASH, DASH, 0);
      if (dd === -1) return this.#incomplete(NEED_COMMENT_END, final, lt, 'unterminated comment');
      if (dd + 2 >= len) return this.#incomplete(null, final, lt, 'unterminated comment');
      if (buf[dd + 2] !== GT) this.#fail('-- inside a comment', dd);
      this.#checkChars(buf, lt + 4, dd);
      this.#declPossible = false;
      return dd + 3;
    }
    if (c === 0x5b) {
      const avail = Math.min(len - lt, 9);
      for (let k = 0; k < avail; k++) if (buf[lt + k] !== CDATA_OPEN[k]) this.#fail('invalid markup, expected <![CDATA[', lt);
      if (avail < 9) return this.#incomplete(null, final, lt, 'unterminated CDATA section');
      const close = this.#find(buf, lt + 9, len, RBRACKET, RBRACKET, GT);
      if (close === -1) return this.#incomplete(NEED_CDATA_END, final, lt, 'unterminated CDATA section');
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
          flags === 0 ? buf.latin1Slice(lt + 9, close) : flags === 1 ? buf.utf8Slice(lt + 9, close) : this.#decodeSlow(buf, lt + 9, close, MODE_CDATA, flags, '');
        this.#builder.text(t);
      }
      return close + 3;
    }
    if (c === 0x44) {
      const avail = Math.min(len - lt, 9);
      for (let k = 0; k < avail; k++) if (buf[lt + k] !== DOCTYPE_OPEN[k]) this.#fail('invalid markup', lt);
      if (avail < 9) return this.#incomplete(null, final, lt, 'unterminated markup after <!');
      this.#fail('document type declarations (DOCTYPE) are not allowed', lt);
    }
    return this.#fail('invalid markup after <!', lt);
  }

  /** `<?`: a processing instruction (skipped) or the XML declaration. */
  #pi(buf: Bytes, lt: number, len: number, final: boolean): number {
    const p = lt + 2;
    const nameEnd = this.#scanName(buf, p, len);
    // (a PI cannot be complete before its `?>`)
    if (nameEnd === INCOMPLETE) return this.#incomplete(NEED_PI_END, final, lt, 'unterminated processing instruction');
    if (nameEnd === p) this.#fail('processing instruction without a valid target', p);
    const target = buf.utf8Slice(p, nameEnd);
    if (target.indexOf(':') !== -1) this.#fail(`invalid processing instruction target ${target}`, p);
    const c = buf[nameEnd]!;
    if (c !== QUESTION && (CLS[c]! & WS) === 0) this.#fail(`invalid character in processing instruction target ${target}`, nameEnd);
    if (target === 'xml') {
      // The declaration ends at its first `?`, which must be followed by `>`.
      if (!this.#declPossible) this.#fail('an XML declaration is only allowed at the start of the document', lt);
      const q = buf.indexOf(QUESTION, nameEnd);
      if (q === -1) return this.#incomplete(NEED_PI_END, final, lt, 'unterminated processing instruction (the XML declaration)');
      if (q + 1 >= len) return this.#incomplete(null, final, lt, 'unterminated processing instruction (the XML declaration)');
      if (buf[q + 1] !== GT || !XML_DECL.test(buf.latin1Slice(nameEnd, q))) this.#fail('malformed XML declaration', lt);
      this.#declPossible = false;
      return q + 2;
    }
    if (target.length === 3 && target.toLowerCase() === 'xml') this.#fail(`reserved processing instruction target ${target}`, lt);
    const qe = this.#find(buf, nameEnd, len, QUESTION, GT, 0);
    if (qe === -1) return this.#incomplete(NEED_PI_END, final, lt, 'unterminated processing instruction');
    this.#checkChars(buf, nameEnd, qe);
    this.#declPossible = false;
    return qe + 2;
  }
}
