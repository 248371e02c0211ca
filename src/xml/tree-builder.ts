import { XmlElement, type XmlNode } from './element.js';
import type { XmlStreamParserOptions } from './stream-parser.js';
import { XMLNS_NS, XML_NS } from '../namespaces.js';


const COLON = 0x3a;
/** Up to this many prefixed bindings in scope, a prefix is looked up by a scan; beyond, in a map. */
const SCAN_BINDINGS = 8;

/** Placeholder children of an element being built (never seen outside the builder). */
const PENDING_CHILDREN: XmlNode[] = [];
const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});
const EMPTY_RAW: ReadonlyArray<readonly [string, string]> = Object.freeze([]) as ReadonlyArray<readonly [string, string]>;

/** Before the root element, inside it, after it. */
const BEFORE_ROOT = 0;
const IN_ROOT = 1;
const AFTER_ROOT = 2;

/** `o[k] = v`, safe for a key `__proto__`. */
function setProp(o: Record<string, string>, k: string, v: string): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** What is wrong with binding `prefix` ('' for the default namespace) to `uri`, or ''. */
function nsPairProblem(prefix: string, uri: string): string {
  if (prefix === 'xml' && uri !== XML_NS) return `the xml prefix must be bound to ${XML_NS}`;
  if (prefix === 'xmlns') return 'the xmlns prefix must not be declared';
  if (uri === XMLNS_NS) return `no prefix may be bound to ${XMLNS_NS}`;
  if (uri === XML_NS && prefix !== 'xml') return `only the xml prefix may be bound to ${XML_NS}`;
  return '';
}

/**
 * The element-building half of the XML parser ({@link XmlStreamParser} is the tokenizer): the
 * tokenizer reports start tags, end tags and character data; the builder resolves namespaces,
 * checks what is about names and attributes (namespace declarations, prefixes declared, unique
 * attributes by expanded name, the `xml`/`xmlns` constraints, a single root) and builds the
 * {@link XmlElement}s: skeletons of the elements shallower than `emitDepth`, whole subtrees at
 * `emitDepth` (or when `onOpen` asks), calling the callbacks of {@link XmlStreamParserOptions}.
 *
 * Protocol, per start tag: the tokenizer writes the qualified names, local parts and decoded
 * values of the tag's `n` attributes into {@link attrNames}, {@link attrLocals} and
 * {@link attrValues} (indexes 0 to n-1), then calls {@link openElement}; {@link closeElement} at
 * the end tag (or right after a self-closing start tag); {@link text} with each run of
 * character data inside the root. The tokenizer checks that end tags match ({@link innermost}
 * has the open element), that no text or CDATA lies outside the root ({@link depth}), and the
 * limits on depth, attributes and names.
 *
 * Errors are reported through the `fail` callback given to the constructor, with the position
 * the tokenizer gave to {@link openElement}.
 *
 * Every operation costs time proportional to the tag or text it is given: prefixes are looked up
 * in a map once more than a few bindings are in scope, duplicate attributes are found with a set
 * once there are more than a few.
 *
 * Element names, attribute names and local parts are expected to be shared strings (the
 * tokenizer caches them): namespace prefixes are the attributes' local parts, not new strings.
 */
export class TreeBuilder {
  /** Scratch space for the attributes of the start tag being parsed: qualified names. */
  readonly attrNames: string[] = [];
  /** Local parts of {@link attrNames} (after the colon; the whole name without one). */
  readonly attrLocals: string[] = [];
  /** Decoded (entities, normalised white space) values of the attributes. */
  readonly attrValues: string[] = [];

  readonly #fail: (message: string, position: number) => never;
  readonly #emitDepth: number;
  readonly #onSubtree: (element: XmlElement, path: readonly XmlElement[]) => void;
  readonly #onOpen: ((element: XmlElement, path: readonly XmlElement[]) => boolean | void) | undefined;
  readonly #onClose: ((element: XmlElement, path: readonly XmlElement[]) => void) | undefined;
  readonly #onText: ((text: string, element: XmlElement, path: readonly XmlElement[]) => void) | undefined;

  #phase = BEFORE_ROOT;
  /** Number of open elements. */
  #depth = 0;
  #root: XmlElement | undefined = undefined;
  /** Skeletons of the open elements shallower than the element being built. */
  readonly #skeletons: XmlElement[] = [];
  /** The innermost open element of the subtree being built, or null. */
  #current: XmlElement | null = null;
  /** The root of the subtree being built, or null. */
  #buildRoot: XmlElement | null = null;
  /** Text not yet added to `#current`, and whether a text run is open (even an empty CDATA one). */
  #pendingText = '';
  #textOpen = false;
  /**
   * Children of the open elements being built, innermost last: `#kids[#kidMarks[d], #kidTop)` are
   * those of the open element at depth d so far. Each element gets an array of the right size at
   * its end tag (pushing into an empty array reserves 16 slots).
   */
  readonly #kids: XmlNode[] = [];
  #kidTop = 0;
  readonly #kidMarks: number[] = [];

  /** Namespace bindings in scope (prefixed ones, innermost last); the default namespace apart. */
  readonly #nsPrefixes: string[] = [];
  readonly #nsUris: string[] = [];
  /** Per binding: the index of the binding of the same prefix it hides, or -1. */
  readonly #nsHidden: number[] = [];
  #nsTop = 0;
  /** The innermost binding of each prefix in scope (index into the arrays above), while `#indexed`. */
  readonly #nsIndex = new Map<string, number>();
  /** More than {@link SCAN_BINDINGS} bindings are in scope: prefixes are looked up in `#nsIndex`. */
  #indexed = false;
  #defaultNs = '';
  /** Per open element (by depth): `#nsTop` and `#defaultNs` to restore at its end. */
  readonly #nsMarks: number[] = [];
  readonly #defaultMarks: string[] = [];

  /** Per attribute of the start tag: whether it is a namespace declaration. */
  readonly #attrIsDecl: boolean[] = [];
  /** Expanded names of the regular attributes of the start tag (duplicate check). */
  readonly #keys: string[] = [];
  /** The last single declaration made, shared by the elements that repeat it. */
  #lastDeclaration: { prefix: string; uri: string; record: Record<string, string> } | undefined = undefined;

  /**
   * @param options the parser's options (the limits are the tokenizer's business).
   * @param fail reports a well-formedness error at a position given by the tokenizer; must throw.
   * @throws RangeError when `emitDepth` is not a non-negative integer.
   */
  constructor(options: XmlStreamParserOptions, fail: (message: string, position: number) => never) {
    const depth = options.emitDepth;
    if (!Number.isInteger(depth) || depth < 0) throw new RangeError(`emitDepth must be a non-negative integer, got ${depth}`);
    this.#fail = fail;
    this.#emitDepth = depth;
    this.#onSubtree = options.onSubtree;
    this.#onOpen = options.onOpen;
    this.#onClose = options.onClose;
    this.#onText = options.onText;
  }

  /** The root element (skeleton, or whole tree once emitted with `emitDepth` 0), or undefined. */
  get root(): XmlElement | undefined {
    return this.#root;
  }

  /** Number of open elements (0 before the root and after it). */
  get depth(): number {
    return this.#depth;
  }

  /** The innermost open element (being built, or a skeleton), or undefined at depth 0. */
  innermost(): XmlElement | undefined {
    return this.#current ?? this.#skeletons[this.#skeletons.length - 1];
  }

  /** Whether {@link text} uses text at this point (inside a subtree being built, or `onText` given). */
  wantsText(): boolean {
    return this.#current !== null || this.#onText !== undefined;
  }

  /**
   * Character data `t` (a piece of a run, possibly empty for an empty CDATA section) of the
   * innermost open element (depth > 0).
   */
  text(t: string): void {
    if (this.#current !== null) {
      if (this.#textOpen) this.#pendingText += t;
      else {
        this.#pendingText = t;
        this.#textOpen = true;
      }
    } else if (this.#onText !== undefined && t.length !== 0) {
      const skeletons = this.#skeletons;
      this.#onText(t, skeletons[skeletons.length - 1]!, skeletons);
    }
  }

  /** Add the open text run to the children of the element being built (`kids` is `#kids`). */
  #flushText(kids: XmlNode[]): void {
    kids[this.#kidTop++] = this.#pendingText;
    this.#textOpen = false;
    this.#pendingText = '';
  }

  /** The namespace bound to the prefix name[0, colon), or undefined. */
  #resolve(name: string, colon: number): string | undefined {
    if (this.#indexed) {
      const k = this.#nsIndex.get(name.slice(0, colon));
      if (k !== undefined) return this.#nsUris[k];
    } else {
      // Few bindings: a scan, without making the prefix string.
      const prefixes = this.#nsPrefixes;
      for (let k = this.#nsTop - 1; k >= 0; k--) {
        const prefix = prefixes[k]!;
        if (prefix.length === colon && name.startsWith(prefix)) return this.#nsUris[k];
      }
    }
    if (colon === 3 && name.startsWith('xml')) return XML_NS;
    return undefined;
  }

  /** Bind `prefix` to `uri` in the scope of the element being opened. */
  #bind(prefix: string, uri: string): void {
    const k = this.#nsTop++;
    this.#nsPrefixes[k] = prefix;
    this.#nsUris[k] = uri;
    if (this.#indexed) {
      this.#nsHidden[k] = this.#nsIndex.get(prefix) ?? -1;
      this.#nsIndex.set(prefix, k);
    } else if (k + 1 > SCAN_BINDINGS) {
      // Past a few bindings, look prefixes up in a map (built once here, kept while they last).
      this.#indexed = true;
      for (let j = 0; j <= k; j++) {
        const p = this.#nsPrefixes[j]!;
        this.#nsHidden[j] = this.#nsIndex.get(p) ?? -1;
        this.#nsIndex.set(p, j);
      }
    }
  }

  /** Drop the bindings made from index `mark` on (the scope of the element being closed). */
  #unbind(mark: number): void {
    if (this.#indexed) {
      if (mark <= SCAN_BINDINGS) {
        // Back to a few bindings: back to the scan (the map is dropped, not unwound).
        this.#nsIndex.clear();
        this.#indexed = false;
      } else {
        for (let k = this.#nsTop - 1; k >= mark; k--) {
          const hidden = this.#nsHidden[k]!;
          if (hidden === -1) this.#nsIndex.delete(this.#nsPrefixes[k]!);
          else this.#nsIndex.set(this.#nsPrefixes[k]!, hidden);
        }
      }
    }
    this.#nsTop = mark;
  }

  /**
   * A frozen `{prefix: uri}` for an element's single namespace declaration, shared with the last
   * element that made the same one (large replies repeat the same declaration on every list
   * entry). `declarations` is read-only for users, and elements without any share one too.
   */
  #sharedDeclaration(prefix: string, uri: string): Record<string, string> {
    const last = this.#lastDeclaration;
    if (last !== undefined && last.prefix === prefix && last.uri === uri) return last.record;
    const record: Record<string, string> = {};
    setProp(record, prefix, uri);
    Object.freeze(record);
    this.#lastDeclaration = { prefix, uri, record };
    return record;
  }

  /**
   * A start tag: element `name` (qualified, as written) with local part `local`, and `n`
   * attributes in the scratch arrays. `position` is where errors are reported.
   */
  openElement(name: string, local: string, n: number, position: number): void {
    if (this.#phase !== IN_ROOT) {
      if (this.#phase === AFTER_ROOT) this.#fail(`a second root element <${name}>`, position);
      this.#phase = IN_ROOT;
    }
    const depth = this.#depth;
    this.#nsMarks[depth] = this.#nsTop;
    this.#defaultMarks[depth] = this.#defaultNs;
    this.#depth = depth + 1;

    let attributes = EMPTY_RECORD as Record<string, string>;
    let declarations = EMPTY_RECORD as Record<string, string>;
    let raw = EMPTY_RAW as Array<readonly [string, string]>;
    if (n !== 0) {
      const names = this.attrNames;
      const values = this.attrValues;
      const isDecl = this.#attrIsDecl;
      let regular = 0;
      const declStart = this.#nsTop;
      // Duplicates: pairwise comparison for a few attributes, a set for many.
      const seen: Set<string> | null = n > 16 ? new Set() : null;
      let declaredDefault = false;
      let declCount = 0;
      let onlyPrefix = '';
      let onlyUri = '';
      for (let i = 0; i < n; i++) {
        const an = names[i]!;
        if (an.charCodeAt(0) === 0x78 && an.startsWith('xmlns') && (an.length === 5 || an.charCodeAt(5) === COLON)) {
          isDecl[i] = true;
          const uri = values[i]!.trim();
          let prefix = '';
          if (an.length === 5) {
            if (declaredDefault) this.#fail('duplicate attribute xmlns', position);
            declaredDefault = true;
          } else {
            prefix = this.attrLocals[i]!; // the cached local part: no new string
            if (prefix === '' || prefix.indexOf(':') !== -1) this.#fail(`malformed attribute name ${an}`, position);
            if (uri === '') this.#fail(`the namespace prefix ${prefix} cannot be undeclared in XML 1.0`, position);
            if (seen === null) {
              for (let k = declStart; k < this.#nsTop; k++) if (this.#nsPrefixes[k] === prefix) this.#fail(`duplicate attribute ${an}`, position);
            } else if (seen.has(prefix)) this.#fail(`duplicate attribute ${an}`, position);
            else seen.add(prefix);
          }
          const problem = nsPairProblem(prefix, uri);
          if (problem !== '') this.#fail(problem, position);
          // One declaration (the usual case) is kept aside and shared below; more make an object.
          if (++declCount === 1) {
            onlyPrefix = prefix;
            onlyUri = uri;
          } else {
            if (declCount === 2) {
              declarations = {};
              setProp(declarations, onlyPrefix, onlyUri);
            }
            setProp(declarations, prefix, uri);
          }
          if (prefix === '') this.#defaultNs = uri;
          else this.#bind(prefix, uri);
        } else {
          isDecl[i] = false;
          regular++;
        }
      }
      if (declCount === 1) declarations = this.#sharedDeclaration(onlyPrefix, onlyUri);
      if (regular !== 0) {
        if (seen !== null) seen.clear();
        attributes = {};
        raw = [];
        const keys = this.#keys;
        let nk = 0;
        for (let i = 0; i < n; i++) {
          if (isDecl[i]) continue;
          const an = names[i]!;
          const value = values[i]!;
          const colon = an.indexOf(':');
          let key = an;
          if (colon !== -1) {
            if (colon === 0 || colon === an.length - 1 || an.indexOf(':', colon + 1) !== -1) this.#fail(`malformed attribute name ${an}`, position);
            const uri = this.#resolve(an, colon);
            if (uri === undefined) this.#fail(`undeclared namespace prefix '${an.slice(0, colon)}' (attribute ${an})`, position);
            key = `{${uri}}${an.slice(colon + 1)}`;
          }
          if (seen === null) {
            for (let k = 0; k < nk; k++) if (keys[k] === key) this.#fail(`duplicate attribute ${an}`, position);
          } else if (seen.has(key)) this.#fail(`duplicate attribute ${an}`, position);
          else seen.add(key);
          keys[nk++] = key;
          setProp(attributes, key, value);
          raw.push([an, value]);
        }
      }
    }

    let namespace: string;
    if (local === name) namespace = this.#defaultNs;
    else {
      const colon = name.length - local.length - 1;
      if (colon === 0 || local.length === 0 || local.indexOf(':') !== -1) this.#fail(`malformed element name ${name}`, position);
      if (colon === 5 && name.startsWith('xmlns')) this.#fail(`element <${name}> has the prefix xmlns`, position);
      const uri = this.#resolve(name, colon);
      if (uri === undefined) this.#fail(`undeclared namespace prefix '${name.slice(0, colon)}' (element <${name}>)`, position);
      namespace = uri;
    }
    const cur = this.#current;
    // Inside a subtree being built, children are set at the end tag: no empty array meanwhile.
    const el = new XmlElement({ name, local, namespace, attributes, declarations, rawAttributes: raw, children: cur !== null ? PENDING_CHILDREN : undefined });

    if (cur !== null) {
      const kids = this.#kids;
      if (this.#textOpen) this.#flushText(kids);
      el.parent = cur;
      kids[this.#kidTop++] = el;
      this.#kidMarks[depth] = this.#kidTop;
      this.#current = el;
      return;
    }
    const skeletons = this.#skeletons;
    if (depth === 0) this.#root = el;
    else el.parent = skeletons[depth - 1]!;
    let build = depth >= this.#emitDepth;
    if (!build && this.#onOpen !== undefined) build = this.#onOpen(el, skeletons) === true;
    if (build) {
      this.#current = el;
      this.#buildRoot = el;
      this.#kidTop = 0;
      this.#kidMarks[depth] = 0;
    } else skeletons.push(el);
  }

  /** The end of the innermost open element (the tokenizer has checked its end tag). */
  closeElement(): void {
    const depth = --this.#depth;
    this.#unbind(this.#nsMarks[depth]!);
    this.#defaultNs = this.#defaultMarks[depth]!;
    if (depth === 0) this.#phase = AFTER_ROOT;
    const cur = this.#current;
    if (cur !== null) {
      const kids = this.#kids;
      if (this.#textOpen) this.#flushText(kids);
      const mark = this.#kidMarks[depth]!;
      if (this.#kidTop > mark) {
        // XmlElement.children is readonly for users; the builder sets it once, at the end tag.
        (cur as { children: XmlNode[] }).children = kids.slice(mark, this.#kidTop);
        this.#kidTop = mark;
      } else if (cur.children === PENDING_CHILDREN) (cur as { children: XmlNode[] }).children = [];
      if (cur !== this.#buildRoot) {
        this.#current = cur.parent;
        return;
      }
      this.#current = null;
      this.#buildRoot = null;
      // Forget the nodes of this subtree (the scratch array is reused, not reallocated).
      if (kids.length > 256) kids.length = 0;
      else kids.fill('');
      this.#onSubtree(cur, this.#skeletons);
      return;
    }
    const skeletons = this.#skeletons;
    const el = skeletons.pop()!;
    this.#onClose?.(el, skeletons);
  }
}
