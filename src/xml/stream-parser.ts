import { MalformedMessageError } from '../errors.js';
import type { XmlElement } from './element.js';
import { TreeBuilder } from './tree-builder.js';
import { isWideNameChar, isWideNameStart, isXmlChar } from './xml-chars.js';

/**
 * A fast, incremental, namespace-aware XML parser specialised for NETCONF messages.
 *
 * It turns a document of any size, written in string chunks split anywhere, into a stream of
 * parsed subtrees ({@link XmlElement}) with memory bounded by the largest subtree plus the chain
 * of open ancestors: elements at `emitDepth` (0 is the root) are built whole, handed to
 * `onSubtree` and dropped; shallower elements are kept only as a *skeleton* (name, namespace,
 * attributes, namespace declarations; no children, no text).
 *
 * The result matches the saxes-based `parseXml` of ./parse.ts (same names, namespaces,
 * attribute keys and order, declarations, raw attributes, text runs, children order), and the
 * documents it accepts are those `parseXml` accepts, with these deliberate differences:
 *  - An unpaired surrogate code unit anywhere is an error here (XML 1.0 `Char`); saxes pairs a
 *    lone high surrogate with whatever follows and may accept it.
 *  - An XML declaration with `version="1.x"` (x ≠ 0) is processed with XML 1.0 rules, as XML 1.0
 *    (5th ed.) §2.8 recommends; saxes switches to XML 1.1 character rules (NEL/LS as line ends,
 *    C1 controls refused, prefix undeclaration allowed).
 *
 * Well-formedness checked: names (XML 1.0 5th-edition `NameStartChar`/`NameChar` classes; QNames
 * have at most one colon and a non-empty prefix and local part; like saxes, the first character
 * of a local part after the colon is only checked as a `NameChar`), matching end tags, a single
 * root, only white space outside it, the five predefined entities and character references to
 * XML `Char`s, every character an XML 1.0 `Char`, `]]>` not in character data, `--` not in
 * comments, CDATA sections, PIs (skipped; target an NCName, `xml` in any case reserved), the XML
 * declaration (only at the very start, saxes' grammar), unique attributes (by expanded name),
 * quoted attribute values without `<`, namespace prefixes bound (`xml` predefined), the
 * `xml`/`xmlns` namespace constraints, no prefix undeclaration (`xmlns:p=""`). DOCTYPE is refused.
 * Line ends are normalised (`\r\n`, `\r` → `\n`), attribute values are normalised (tab, line
 * end → space) and, as saxes does, namespace URIs are trimmed. A byte order mark opening the
 * document is skipped. Any violation throws {@link MalformedMessageError} whose message gives
 * the offset (UTF-16 code units from the start of the stream).
 *
 * Buffering: a single token (a start tag, a comment, a CDATA section, a PI) is held whole until
 * it is complete; character data is consumed as it arrives (only an unfinished entity reference,
 * a trailing `]`, CR or high surrogate is carried over to the next chunk).
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
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const SPACE = 0x20;

/** ASCII character classes: bit 1 = NameStartChar, bit 2 = NameChar, bit 4 = S (white space). */
const NAME_START = 1;
const NAME_CHAR = 2;
const WS = 4;
const ASCII = new Uint8Array(128);
for (let c = 0x41; c <= 0x5a; c++) ASCII[c] = NAME_START | NAME_CHAR;
for (let c = 0x61; c <= 0x7a; c++) ASCII[c] = NAME_START | NAME_CHAR;
for (let c = 0x30; c <= 0x39; c++) ASCII[c] = NAME_CHAR;
ASCII[0x5f] = NAME_START | NAME_CHAR; // _
ASCII[COLON] = NAME_START | NAME_CHAR;
ASCII[0x2d] = NAME_CHAR; // -
ASCII[0x2e] = NAME_CHAR; // .
ASCII[SPACE] = WS;
ASCII[TAB] = WS;
ASCII[LF] = WS;
ASCII[CR] = WS;

/** What {@link wideCodeAt} returns for a high surrogate at the very end of a chunk. */
const CUT_SURROGATE = 0x110000;

/**
 * The code point at `i` (pairing surrogates), -1 for an unpaired surrogate, or
 * {@link CUT_SURROGATE} for a high surrogate ending `s` (a name scan takes it as a name character:
 * the name is then incomplete).
 */
function wideCodeAt(s: string, i: number, c: number): number {
  if (c < 0xd800 || c > 0xdfff) return c;
  if (c > 0xdbff) return -1;
  if (i + 1 >= s.length) return CUT_SURROGATE;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00) : -1;
}

/**
 * The end of the XML Name starting at `p` (`p` itself when `s[p]` cannot start a name), scanning
 * no further than `end`.
 */
function scanName(s: string, p: number, end: number): number {
  if (p >= end) return p;
  let c = s.charCodeAt(p);
  if (c < 128) {
    if ((ASCII[c]! & NAME_START) === 0) return p;
    p++;
  } else {
    const cp = wideCodeAt(s, p, c);
    if (cp !== CUT_SURROGATE && !isWideNameStart(cp)) return p;
    p += cp > 0xffff ? 2 : 1;
  }
  while (p < end) {
    c = s.charCodeAt(p);
    if (c < 128) {
      if ((ASCII[c]! & NAME_CHAR) === 0) return p;
      p++;
    } else {
      const cp = wideCodeAt(s, p, c);
      if (cp !== CUT_SURROGATE && !isWideNameChar(cp)) return p;
      p += cp > 0xffff ? 2 : 1;
    }
  }
  return p;
}

function isNameStartAt(s: string, p: number): boolean {
  return scanName(s, p, p + 2) !== p;
}

/** A copy of `s` that does not keep alive the (large) string it may be a slice of. */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Whether `s` holds only spaces, tabs and line feeds. */
function isPlainWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== SPACE && c !== LF && c !== TAB) return false;
  }
  return true;
}

/*
 * Strings seen, shared by all parsers (a hit costs a comparison, no allocation, and keeps no
 * slice of a chunk alive; an entry is only used when equal to the input). Bounded: direct-mapped.
 */
const NAME_CACHE_SIZE = 1024;
/** Names (element, attribute), by length and end characters; and their local parts. */
const NAMES: string[] = new Array<string>(NAME_CACHE_SIZE).fill('');
const LOCALS: string[] = new Array<string>(NAME_CACHE_SIZE).fill('');
/** Text and attribute values of 13 to 64 characters (when detaching strings): identities, enums. */
const VALUE_CACHE_SIZE = 1024;
const VALUE_CACHE_MAX = 64;
const VALUES: string[] = new Array<string>(VALUE_CACHE_SIZE).fill('');
/** White-space-only text runs, by length (pretty-printing indentation). */
const WS_CACHE_MAX = 128;
const WS_STRINGS: string[] = new Array<string>(WS_CACHE_MAX + 1).fill('');

/**
 * The characters that need a look in text (`&`, `<`, `]`, CR, other controls, surrogates,
 * U+FFFE/U+FFFF) and in attribute values (the same, without `]`, plus tab and line feed, which
 * are normalised to spaces). Code units: `.test()` leaves `lastIndex` just after the one found.
 */
const TEXT_SPECIAL = /[^\t\n\x20-\x25\x27-\x3b\x3d-\x5c\x5e-\ud7ff\ue000-\ufffd]/g;
const ATTR_SPECIAL = /[^\x20-\x25\x27-\x3b\x3d-\ud7ff\ue000-\ufffd]/g;

const XML_DECL =
  /^[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*$/;

/** Returned by a token method when the token is not complete in the buffer yet. */
const INCOMPLETE = -1;

/** Decoding modes of character data. */
const MODE_TEXT = 0;
const MODE_ATTR = 1;
const MODE_CDATA = 2;

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
   * Called with the direct character data of a shallow element (not built whole), in pieces as it
   * arrives (entities resolved, CDATA included, white space between child elements included):
   * concatenate the pieces to get its direct text. Skeletons do not keep their text.
   */
  onText?(text: string, element: XmlElement, path: readonly XmlElement[]): void;
  /**
   * Copy every string of 13 characters or more that goes into an element (text, attribute
   * values) instead of keeping a V8 slice of the input chunk, so that keeping a few strings of
   * each subtree (say the interface names) does not keep every chunk alive. Default `true`;
   * `false` is a little faster when subtrees are dropped whole.
   */
  detachStrings?: boolean;
}

/**
 * An incremental, namespace-aware XML parser that emits the subtrees at a given depth (see the
 * module documentation above for what is checked and how it compares with `parseXml`).
 *
 * ```ts
 * const parser = new XmlStreamParser({
 *   emitDepth: 3, // rpc-reply / data / interfaces / interface
 *   onSubtree(iface) { console.log(iface.childText('name')); },
 * });
 * for await (const chunk of textChunks) parser.write(chunk);
 * parser.end();
 * console.log(parser.root?.attributes['message-id']);
 * ```
 *
 * Skeletons: elements shallower than `emitDepth` are {@link XmlElement}s with their name,
 * namespace, attributes, declarations and `parent`, but their `children` array stays empty and
 * their text is not kept (see `onText`). An emitted subtree's `parent` is the *live* skeleton of
 * its parent (not a copy): the same object for all siblings, no copying per subtree.
 *
 * Strings in emitted elements may be slices of the chunk they were parsed from (a V8 detail):
 * keeping a small part of many subtrees can keep their chunks alive.
 */
export class XmlStreamParser {
  /** Namespaces, checks on names and attributes, elements built and emitted. */
  readonly #builder: TreeBuilder;
  readonly #detach: boolean;

  /** Unprocessed tail of the input (an incomplete token). */
  #carry = '';
  /** The last two characters of `#carry` (which may be a long rope, not to be flattened again). */
  #tail = '';
  /** A string that must appear in new input before the carried token can be complete ('' for any input). */
  #need = '';
  /** Offset in the stream of the start of the buffer being parsed. */
  #base = 0;
  #started = false;
  #declPossible = true;
  #ended = false;
  #busy = false;
  #failure: unknown = undefined;

  /** The local part of the element name just scanned. */
  #local = '';

  /** Written with a character of each string to flatten, so that the read is not optimised away. */
  #sink = 0;
  /** Where the entity reference just decoded ends. */
  #entityEnd = 0;

  constructor(options: XmlStreamParserOptions) {
    this.#builder = new TreeBuilder(options, (message, position) => this.#fail(message, position));
    this.#detach = options.detachStrings ?? true;
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
   * Parse the next piece of the document; it may end anywhere (inside a tag, an attribute value,
   * an entity reference, a CDATA section, a comment, between the halves of a surrogate pair).
   * Callbacks run synchronously, before this returns.
   * @throws {@link MalformedMessageError} when the document is not well-formed so far; the parser
   * is then unusable.
   */
  write(chunk: string): void {
    this.#checkUsable();
    if (typeof chunk !== 'string') throw new TypeError('XmlStreamParser.write() takes a string (decode bytes first, e.g. with a TextDecoder in stream mode)');
    if (chunk.length === 0) return;
    if (!this.#started) {
      this.#started = true;
      if (chunk.charCodeAt(0) === 0xfeff) {
        chunk = chunk.slice(1);
        this.#base = 1;
        if (chunk.length === 0) return;
      }
    }
    let buf = chunk;
    const carry = this.#carry;
    if (carry.length !== 0) {
      const need = this.#need;
      if (need.length !== 0) {
        const k = need.length - 1;
        const found = chunk.indexOf(need) !== -1 || (k !== 0 && (this.#tail.slice(-k) + chunk.slice(0, k)).indexOf(need) !== -1);
        if (!found) {
          this.#carry = carry + chunk; // a rope; flattened once the token is complete
          this.#tail = chunk.length >= 2 ? chunk.slice(-2) : (this.#tail + chunk).slice(-2);
          return;
        }
      }
      buf = carry + chunk;
      this.#carry = '';
    }
    this.#guard(buf, false);
  }

  /**
   * Signal the end of the document and check it is complete (a root element, all closed, no
   * unfinished token).
   * @throws {@link MalformedMessageError} otherwise.
   */
  end(): void {
    this.#checkUsable();
    const carry = this.#carry;
    this.#carry = '';
    if (carry.length !== 0) this.#guard(carry, true);
    try {
      const builder = this.#builder;
      if (builder.root === undefined) this.#fail('no root element', 0);
      if (builder.depth !== 0) {
        const open = builder.innermost();
        this.#fail(`unexpected end of document: <${open?.name ?? '?'}> is not closed`, 0);
      }
    } catch (err) {
      this.#failure = err;
      throw err;
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

  #guard(buf: string, final: boolean): void {
    this.#busy = true;
    try {
      this.#feed(buf, final);
    } catch (err) {
      this.#failure = err;
      throw err;
    } finally {
      this.#busy = false;
    }
  }

  #fail(message: string, pos: number): never {
    throw new MalformedMessageError(`Malformed XML: ${message} (at offset ${this.#base + pos})`);
  }

  /** Parse as much of `s` as forms complete tokens; carry the rest (or fail, when `final`). */
  #feed(s: string, final: boolean): void {
    const len = s.length;
    let pos = 0;
    while (pos < len) {
      const lt = s.indexOf('<', pos);
      if (lt === -1) {
        let cut = len;
        if (!final) {
          cut = this.#safeTextEnd(s, pos, len);
          this.#need = '';
        }
        if (cut > pos) this.#text(s, pos, cut);
        pos = cut;
        break;
      }
      if (lt > pos) this.#text(s, pos, lt);
      const c = s.charCodeAt(lt + 1);
      let next: number;
      if (c < 128 ? (ASCII[c]! & NAME_START) !== 0 : c === c && isNameStartAt(s, lt + 1)) next = this.#startTag(s, lt, final);
      else if (c === SLASH) next = this.#endTag(s, lt, final);
      else if (c === BANG) next = this.#markup(s, lt, final);
      else if (c === QUESTION) next = this.#pi(s, lt, final);
      else if (lt + 1 >= len) next = this.#incomplete('', final, lt);
      else if (c >= 0xd800 && c <= 0xdbff && lt + 2 >= len) next = this.#incomplete('', final, lt);
      else this.#fail('invalid character after <', lt + 1);
      if (next === INCOMPLETE) {
        pos = lt;
        break;
      }
      pos = next;
    }
    if (pos < len) {
      this.#carry = s.slice(pos);
      this.#tail = s.slice(Math.max(pos, len - 2));
    }
    this.#base += pos;
  }

  #incomplete(need: string, final: boolean, pos: number): number {
    if (final) this.#fail('unexpected end of document', pos);
    this.#need = need;
    return INCOMPLETE;
  }

  /**
   * How much of the character data s[pos, len) (no `<` in it, more input to come) can be decoded
   * now: all but an unfinished entity reference, a CR (maybe followed by LF), trailing `]`s (maybe
   * followed by `>`), a high surrogate.
   */
  #safeTextEnd(s: string, pos: number, len: number): number {
    let cut = len;
    const amp = s.lastIndexOf('&', len - 1);
    if (amp >= pos && s.indexOf(';', amp) === -1) {
      // An unfinished reference: only name characters, `#` may follow the `&` so far.
      for (let i = amp + 1; i < len; i++) {
        const c = s.charCodeAt(i);
        if (!(c < 128 && ((ASCII[c]! & NAME_CHAR) !== 0 || c === HASH) && c !== COLON)) this.#fail('unterminated entity reference', amp);
      }
      cut = amp;
    }
    if (cut > pos) {
      const c = s.charCodeAt(cut - 1);
      if (c === CR || (c >= 0xd800 && c <= 0xdbff)) cut--;
      else if (c === RBRACKET) {
        cut--;
        if (cut > pos && s.charCodeAt(cut - 1) === RBRACKET) cut--;
      }
    }
    return cut;
  }

  /** Character data s[start, end) (complete, or cut at a safe place). */
  #text(s: string, start: number, end: number): void {
    this.#declPossible = false;
    const builder = this.#builder;
    if (builder.depth === 0) {
      for (let i = start; i < end; i++) {
        const c = s.charCodeAt(i);
        if (c >= 128 || (ASCII[c]! & WS) === 0) this.#fail('text outside the root element', i);
      }
      return;
    }
    let t: string;
    const n = end - start;
    const c0 = s.charCodeAt(start);
    if (n <= WS_CACHE_MAX && (c0 === LF || c0 === SPACE || c0 === TAB)) {
      // Indentation: reuse the string of the last white-space run of that length when equal.
      const cached = WS_STRINGS[n]!;
      if (cached.length === n && s.startsWith(cached, start)) t = cached;
      else {
        t = this.#decode(s, start, end, MODE_TEXT);
        if (t.length === n && isPlainWhitespace(t)) WS_STRINGS[n] = t = detach(t);
      }
    } else t = this.#decode(s, start, end, MODE_TEXT);
    builder.text(t);
  }

  /**
   * Decode and check character data s[start, end): text (entities, line ends, `]]>` refused),
   * attribute value (entities, white space normalisation, `<` refused) or CDATA (line ends).
   */
  #decode(s: string, start: number, end: number, mode: number): string {
    // Fast path: nothing to replace or check further. A regular expression finds the first
    // character that needs a look (irregexp scans far faster than a charCodeAt loop); text and
    // attribute values always stop at the `<` that follows them, so the scan never runs far.
    let i: number;
    if (mode === MODE_CDATA) i = this.#plainCdataEnd(s, start, end);
    else {
      const re = mode === MODE_TEXT ? TEXT_SPECIAL : ATTR_SPECIAL;
      re.lastIndex = start;
      i = re.test(s) ? re.lastIndex - 1 : s.length;
      if (i > end) i = end;
    }
    if (i === end) {
      const n = end - start;
      if (n < 13 || !this.#detach) return s.slice(start, end);
      if (n > VALUE_CACHE_MAX) return detach(s.slice(start, end));
      // Repeated values (identities, enums) are shared rather than copied again.
      const h = (n * 7 + s.charCodeAt(start) * 31 + s.charCodeAt(end - 1) * 17 + s.charCodeAt(start + (n >> 1))) & (VALUE_CACHE_SIZE - 1);
      const cached = VALUES[h]!;
      if (cached.length === n && s.startsWith(cached, start)) return cached;
      return (VALUES[h] = detach(s.slice(start, end)));
    }
    return this.#decodeSlow(s, start, end, i, mode);
  }

  /** Where the first character of CDATA content s[start, end) that needs a look is, or `end`. */
  #plainCdataEnd(s: string, start: number, end: number): number {
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 ? c >= 0xd800 : c !== LF && c !== TAB) return i;
    }
    return end;
  }

  #decodeSlow(s: string, start: number, end: number, i: number, mode: number): string {
    let out = s.slice(start, i);
    let from = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0xd800) {
        if (c === AMP && mode !== MODE_CDATA) {
          out += s.slice(from, i) + this.#entity(s, i, end);
          i = from = this.#entityEnd;
          continue;
        }
        if (c === LT && mode !== MODE_CDATA) this.#fail('< in an attribute value', i);
        if (c === RBRACKET && mode === MODE_TEXT && s.charCodeAt(i + 1) === RBRACKET && s.charCodeAt(i + 2) === GT) {
          this.#fail(']]> in character data', i);
        }
        i++;
        continue;
      }
      if (c === CR) {
        out += s.slice(from, i) + (mode === MODE_ATTR ? ' ' : '\n');
        i += s.charCodeAt(i + 1) === LF && i + 1 < end ? 2 : 1;
        from = i;
        continue;
      }
      if (c === LF || c === TAB) {
        if (mode === MODE_ATTR) {
          out += s.slice(from, i) + ' ';
          from = i + 1;
        }
        i++;
        continue;
      }
      if (c < 0x20) this.#fail(`character U+${c.toString(16).padStart(4, '0')} is not allowed in XML`, i);
      if (c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff && i + 1 < end)) this.#fail('unpaired surrogate', i);
        i += 2;
        continue;
      }
      if (c <= 0xdfff) this.#fail('unpaired surrogate', i);
      if (c >= 0xfffe) this.#fail(`character U+${c.toString(16)} is not allowed in XML`, i);
      i++;
    }
    out += s.slice(from, end);
    // `out` is a flat copy (< 13 characters) or a concatenation (a V8 cons string) of slices of
    // the chunk: reading it flattens it in place, and it stops referring to those slices.
    if (this.#detach && out.length >= 13) this.#sink ^= out.charCodeAt(0);
    return out;
  }

  /** Check that s[start, end) holds only XML 1.0 `Char`s (comments, PIs). */
  #checkChars(s: string, start: number, end: number): void {
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0xd800) continue;
      if (c === LF || c === TAB || c === CR) continue;
      if (c < 0x20) this.#fail(`character U+${c.toString(16).padStart(4, '0')} is not allowed in XML`, i);
      if (c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (!(d >= 0xdc00 && d <= 0xdfff && i + 1 < end)) this.#fail('unpaired surrogate', i);
        i++;
        continue;
      }
      if (c <= 0xdfff) this.#fail('unpaired surrogate', i);
      if (c >= 0xfffe) this.#fail(`character U+${c.toString(16)} is not allowed in XML`, i);
    }
  }

  /** The replacement of the reference at s[amp] (sets `#entityEnd` after its `;`). */
  #entity(s: string, amp: number, end: number): string {
    const semi = s.indexOf(';', amp + 1);
    if (semi === -1 || semi >= end) this.#fail('unterminated entity reference', amp);
    this.#entityEnd = semi + 1;
    if (s.charCodeAt(amp + 1) === HASH) {
      let code = 0;
      let i = amp + 2;
      const hex = s.charCodeAt(i) === 0x78; // x
      if (hex) i++;
      if (i === semi) this.#fail('empty character reference', amp);
      for (; i < semi; i++) {
        const c = s.charCodeAt(i);
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
    switch (s.slice(amp + 1, semi)) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return this.#fail(`unknown entity &${s.slice(amp + 1, Math.min(semi, amp + 40))};`, amp);
    }
  }

  /** A start tag at s[lt]; returns the position after it. */
  #startTag(s: string, lt: number, final: boolean): number {
    const len = s.length;
    let p = scanName(s, lt + 1, len);
    if (p >= len) return this.#incomplete('>', final, lt);
    const name = this.#name(s, lt + 1, p);
    const local = this.#local;
    let c = s.charCodeAt(p);
    let n = 0;
    let selfClosing = false;
    if (c === GT) p++;
    else if (c === SLASH) {
      if (p + 1 >= len) return this.#incomplete('>', final, lt);
      if (s.charCodeAt(p + 1) !== GT) this.#fail('/ not followed by > in a start tag', p);
      p += 2;
      selfClosing = true;
    } else if (c >= 128 || (ASCII[c]! & WS) === 0) {
      this.#fail(`invalid character in element name <${name}`, p);
    } else {
      const names = this.#builder.attrNames;
      const locals = this.#builder.attrLocals;
      const values = this.#builder.attrValues;
      for (;;) {
        // s[p] is white space here
        let q = p + 1;
        while (q < len && (c = s.charCodeAt(q)) < 128 && (ASCII[c]! & WS) !== 0) q++;
        if (q >= len) return this.#incomplete('>', final, lt);
        if (c === GT) {
          p = q + 1;
          break;
        }
        if (c === SLASH) {
          if (q + 1 >= len) return this.#incomplete('>', final, lt);
          if (s.charCodeAt(q + 1) !== GT) this.#fail('/ not followed by > in a start tag', q);
          p = q + 2;
          selfClosing = true;
          break;
        }
        const nameEnd = scanName(s, q, len);
        if (nameEnd === q) this.#fail(`invalid character in the start tag of <${name}>`, q);
        if (nameEnd >= len) return this.#incomplete('>', final, lt);
        let r = nameEnd;
        while (r < len && (c = s.charCodeAt(r)) < 128 && (ASCII[c]! & WS) !== 0) r++;
        if (r >= len) return this.#incomplete('>', final, lt);
        if (c !== EQUALS) this.#fail(`attribute ${s.slice(q, nameEnd)} without a value`, r);
        r++;
        while (r < len && (c = s.charCodeAt(r)) < 128 && (ASCII[c]! & WS) !== 0) r++;
        if (r >= len) return this.#incomplete('>', final, lt);
        if (c !== DQUOTE && c !== SQUOTE) this.#fail(`unquoted value of attribute ${s.slice(q, nameEnd)}`, r);
        const close = s.indexOf(c === DQUOTE ? '"' : "'", r + 1);
        if (close === -1) {
          // Fail now rather than wait for a quote that a `<` already rules out.
          const bad = s.indexOf('<', r + 1);
          if (bad !== -1) this.#fail('< in an attribute value', bad);
          return this.#incomplete(c === DQUOTE ? '"' : "'", final, lt);
        }
        names[n] = this.#name(s, q, nameEnd);
        locals[n] = this.#local;
        values[n] = this.#decode(s, r + 1, close, MODE_ATTR);
        n++;
        p = close + 1;
        if (p >= len) return this.#incomplete('>', final, lt);
        c = s.charCodeAt(p);
        if (c === GT) {
          p++;
          break;
        }
        if (c === SLASH) {
          if (p + 1 >= len) return this.#incomplete('>', final, lt);
          if (s.charCodeAt(p + 1) !== GT) this.#fail('/ not followed by > in a start tag', p);
          p += 2;
          selfClosing = true;
          break;
        }
        if (c >= 128 || (ASCII[c]! & WS) === 0) this.#fail('missing white space after an attribute value', p);
      }
    }
    this.#declPossible = false;
    this.#builder.openElement(name, local, n, lt);
    if (selfClosing) this.#builder.closeElement();
    return p;
  }

  /**
   * The name s[start, end), from the cache when seen before (no allocation, no slice of the chunk
   * kept); sets `#local` to its local part.
   */
  #name(s: string, start: number, end: number): string {
    const n = end - start;
    const h = (n * 7 + s.charCodeAt(start) * 31 + s.charCodeAt(end - 1)) & (NAME_CACHE_SIZE - 1);
    let name = NAMES[h]!;
    if (name.length === n && s.startsWith(name, start)) this.#local = LOCALS[h]!;
    else {
      name = detach(s.slice(start, end));
      const colon = name.indexOf(':');
      this.#local = colon === -1 ? name : name.slice(colon + 1);
      NAMES[h] = name;
      LOCALS[h] = this.#local;
    }
    return name;
  }

  /** An end tag at s[lt]. */
  #endTag(s: string, lt: number, final: boolean): number {
    const len = s.length;
    if (this.#builder.depth === 0) this.#fail('end tag outside the root element', lt);
    const open = this.#builder.innermost()!;
    const name = open.name;
    let p = lt + 2;
    if (!s.startsWith(name, p)) {
      if (len - p < name.length && name.startsWith(s.slice(p))) return this.#incomplete('>', final, lt);
      this.#fail(`mismatched end tag </${s.slice(p, Math.max(scanName(s, p, len), p + 1))}>, expected </${name}>`, lt);
    }
    p += name.length;
    let c = 0;
    while (p < len && (c = s.charCodeAt(p)) < 128 && (ASCII[c]! & WS) !== 0) p++;
    if (p >= len) return this.#incomplete('>', final, lt);
    if (c !== GT) this.#fail(`mismatched end tag, expected </${name}>`, p);
    this.#builder.closeElement();
    return p + 1;
  }

  /** `<!`: a comment, a CDATA section; DOCTYPE and anything else refused. */
  #markup(s: string, lt: number, final: boolean): number {
    const len = s.length;
    const c = s.charCodeAt(lt + 2);
    if (c === 0x2d) {
      if (lt + 3 >= len) return this.#incomplete('', final, lt);
      if (s.charCodeAt(lt + 3) !== 0x2d) this.#fail('invalid markup, expected <!--', lt);
      const dd = s.indexOf('--', lt + 4);
      if (dd === -1) return this.#incomplete('--', final, lt);
      if (dd + 2 >= len) return this.#incomplete('', final, lt);
      if (s.charCodeAt(dd + 2) !== GT) this.#fail('-- inside a comment', dd);
      this.#checkChars(s, lt + 4, dd);
      this.#declPossible = false;
      return dd + 3;
    }
    if (c === 0x5b) {
      const avail = Math.min(len - lt, 9);
      if (!'<![CDATA['.startsWith(s.slice(lt, lt + avail))) this.#fail('invalid markup, expected <![CDATA[', lt);
      if (avail < 9) return this.#incomplete('', final, lt);
      const close = s.indexOf(']]>', lt + 9);
      if (close === -1) return this.#incomplete(']]>', final, lt);
      if (this.#builder.depth === 0) this.#fail('CDATA section outside the root element', lt);
      this.#builder.text(this.#decode(s, lt + 9, close, MODE_CDATA));
      return close + 3;
    }
    if (c === 0x44) {
      const avail = Math.min(len - lt, 9);
      if (!'<!DOCTYPE'.startsWith(s.slice(lt, lt + avail))) this.#fail('invalid markup', lt);
      if (avail < 9) return this.#incomplete('', final, lt);
      this.#fail('document type declarations (DOCTYPE) are not allowed', lt);
    }
    if (lt + 2 >= len) return this.#incomplete('', final, lt);
    return this.#fail('invalid markup after <!', lt);
  }

  /** `<?`: a processing instruction (skipped) or the XML declaration. */
  #pi(s: string, lt: number, final: boolean): number {
    const len = s.length;
    const p = lt + 2;
    const nameEnd = scanName(s, p, len);
    if (nameEnd >= len) return this.#incomplete('', final, lt);
    if (nameEnd === p) {
      if (s.charCodeAt(p) >= 0xd800 && s.charCodeAt(p) <= 0xdbff && p + 1 >= len) return this.#incomplete('', final, lt);
      this.#fail('processing instruction without a valid target', p);
    }
    const target = s.slice(p, nameEnd);
    if (target.indexOf(':') !== -1) this.#fail(`invalid processing instruction target ${target}`, p);
    const c = s.charCodeAt(nameEnd);
    if (c !== QUESTION && (c >= 128 || (ASCII[c]! & WS) === 0)) this.#fail(`invalid character in processing instruction target ${target}`, nameEnd);
    if (target === 'xml') {
      if (!this.#declPossible) this.#fail('an XML declaration is only allowed at the start of the document', lt);
      const q = s.indexOf('?', nameEnd);
      if (q === -1) return this.#incomplete('?>', final, lt);
      if (q + 1 >= len) return this.#incomplete('', final, lt);
      if (s.charCodeAt(q + 1) !== GT || !XML_DECL.test(s.slice(nameEnd, q))) this.#fail('malformed XML declaration', lt);
      this.#declPossible = false;
      return q + 2;
    }
    if (target.length === 3 && target.toLowerCase() === 'xml') this.#fail(`reserved processing instruction target ${target}`, lt);
    const qe = s.indexOf('?>', nameEnd);
    if (qe === -1) return this.#incomplete('?>', final, lt);
    this.#checkChars(s, nameEnd, qe);
    this.#declPossible = false;
    return qe + 2;
  }
}

/**
 * Parse a whole XML document into an {@link XmlElement} tree: the same result as `parseXml`
 * (saxes), faster (see {@link XmlStreamParser} for the checks and the two
 * deliberate differences).
 * @throws {@link MalformedMessageError} when the document is not well-formed.
 */
export function parseXmlFast(xml: string): XmlElement {
  let root: XmlElement | undefined;
  const parser = new XmlStreamParser({
    emitDepth: 0,
    detachStrings: false, // the tree is larger than the document anyway
    onSubtree(element) {
      root = element;
    },
  });
  parser.write(xml);
  parser.end();
  return root!;
}
