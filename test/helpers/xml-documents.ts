/**
 * Shared helpers of the XML parser tests (test/xml/stream-parser.test.ts): namespace constants,
 * a seeded PRNG, a tree comparison, a generator of random well-formed documents, mutators that
 * (mostly) break them, and a way to capture whether a parse succeeded.
 */
import * as assert from 'node:assert/strict';
import { MalformedMessageError } from '../../src/errors.js';
import type { XmlElement } from '../../src/xml/element.js';

/** The NETCONF base namespace. */
export const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
/** The ietf-interfaces YANG module's namespace. */
export const IF = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
/** The iana-if-type YANG module's namespace. */
export const IANAIFT = 'urn:ietf:params:xml:ns:yang:iana-if-type';

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG in [0, 1), with a few conveniences. */
export class Random {
  #a: number;
  constructor(seed: number) {
    this.#a = seed >>> 0;
  }
  /** The next number in [0, 1). */
  next(): number {
    this.#a = (this.#a + 0x6d2b79f5) >>> 0;
    let t = this.#a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing trees; capturing outcomes
// ---------------------------------------------------------------------------------------------

/**
 * Assert two trees are the same: names, namespaces, attributes (keys, values, order), declarations,
 * raw attributes, children (text runs and elements, in order) and parent links within the tree.
 */
export function assertSameTree(actual: XmlElement, expected: XmlElement, where = ''): void {
  const at = `${where}/${expected.name}`;
  assert.equal(actual.name, expected.name, `name at ${at}`);
  assert.equal(actual.local, expected.local, `local at ${at}`);
  assert.equal(actual.namespace, expected.namespace, `namespace at ${at}`);
  assert.deepEqual(Object.entries(actual.attributes), Object.entries(expected.attributes), `attributes at ${at}`);
  assert.deepEqual(Object.entries(actual.declarations), Object.entries(expected.declarations), `declarations at ${at}`);
  assert.deepEqual(
    actual.rawAttributes.map((a) => [...a]),
    expected.rawAttributes.map((a) => [...a]),
    `raw attributes at ${at}`,
  );
  assert.equal(actual.children.length, expected.children.length, `number of children at ${at}`);
  for (let i = 0; i < expected.children.length; i++) {
    const a = actual.children[i]!;
    const e = expected.children[i]!;
    if (typeof e === 'string') assert.equal(a, e, `text child ${i} at ${at}`);
    else {
      assert.ok(typeof a !== 'string', `child ${i} at ${at} should be an element`);
      assert.equal(a.parent, actual, `parent link of child ${i} at ${at}`);
      assertSameTree(a, e, at);
    }
  }
}

/** What a parse gave: its value, or the error it threw (and whether that is a MalformedMessageError). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; malformed: boolean; error: unknown };

/** Run `parse`, catching what it throws. */
export function outcome<T>(parse: () => T): Outcome<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, malformed: error instanceof MalformedMessageError, error };
  }
}

/** `accepts`, or `refuses (the error)`, for assertion messages. */
export function describeOutcome(o: Outcome<unknown>): string {
  return o.ok ? 'accepts' : `refuses (${String(o.error)})`;
}

// ---------------------------------------------------------------------------------------------
// Random well-formed documents
// ---------------------------------------------------------------------------------------------

/** Local names: ASCII, non-ASCII, astral, combining marks, `-`, `.`, `·`. */
export const LOCALS = ['a', 'b', 'data', 'interface', 'name', 'type', 'x-y', 'x.y', '_u', 'é', 'ñame', 'データ', '\u{10000}v', 'z9', 'A', 'ietf-interfaces', 'a\u0300b', 'k·l'];
/** Namespace prefixes. */
export const PREFIXES = ['p', 'q', 'nc', 'ianaift', 'if', 'é', 'x-1'];
/** Namespace URIs (one with `&`, one astral, one padded with spaces). */
export const URIS = [NC, IF, IANAIFT, 'urn:x', 'urn:y', 'http://example.com/ns#a?b=c&d', 'urn:😀', ' urn:padded '];
/** Pieces of text: values, non-ASCII and astral characters, a BOM, markup-like characters, line ends. */
export const WORDS = [
  'eth0', 'ge-0/0/1', 'ianaift:ethernetCsmacd', 'true', '1500', 'a b', 'é', 'ü€', '😀', '𝄞', '\u{10FFFF}', '\u{FEFF}', '>', ']', ']]', '"', "'", '=', '/', '?', '-', '--',
  '\t', '\n', '\r\n', '\r', '  ', 'a long value of more than 13 characters',
];
/** Predefined entities and character references (decimal, hex, zero-padded, line ends, tab). */
export const ENTITIES = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x41;', '&#x1F600;', '&#128512;', '&#10;', '&#13;', '&#9;', '&#x20;', '&#0032;', '&#xe9;'];

/** Text with entities, astral characters, line ends; never `]]>`, not even next to other text. */
export function genText(r: Random, max = 6): string {
  let out = '';
  for (let n = 1 + r.int(max); n > 0; n--) out += r.chance(0.3) ? r.pick(ENTITIES) : r.pick(WORDS);
  if (out.endsWith(']')) out += '.';
  return out.replace(/]]>/g, ']]&gt;');
}

/** An attribute value (to be quoted with `q`) encoding random text. */
export function genAttrValue(r: Random, q: string): string {
  return genText(r, 4).replace(q === '"' ? /"/g : /'/g, q === '"' ? '&quot;' : '&apos;');
}

/** White space (or nothing) between markup. */
export function ws(r: Random): string {
  return r.pick(['', '', ' ', '\n  ', '\t', '\r\n', '  \n    ', '\r\n\t']);
}

/**
 * A random well-formed document, as saxes reads it: elements up to `maxDepth` deep with up to
 * `maxChildren` children each; namespace declarations (default, prefixed, undeclared, the xml
 * prefix) after or before the attributes that use them; prefixed and xml:* attributes; text,
 * CDATA, comments, PIs; white space around `=` and in tags; sometimes a BOM and an XML
 * declaration (version 1.0, or 1.1: see each test file for how it is compared).
 */
export function genDocument(r: Random, maxDepth: number, maxChildren: number): string {
  const misc = (): string => r.pick(['', '', ' ', '\n', '\r\n', `<!--${genText(r, 3).replace(/-/g, '')}-->`, '<?app x="1"?>', '<?app?>']);
  const element = (depth: number, scope: Map<string, string>): string => {
    const inner = new Map(scope);
    const attrs: string[] = [];
    const q = (): string => (r.chance(0.7) ? '"' : "'");
    // Namespace declarations.
    if (r.chance(0.3)) {
      const quote = q();
      attrs.push(`xmlns=${quote}${(r.chance(0.15) ? '' : r.pick(URIS)).replace(/&/g, '&amp;')}${quote}`);
    }
    const declared = new Set<string>();
    for (let i = r.int(3); i > 0; i--) {
      const prefix = r.pick(PREFIXES);
      if (declared.has(prefix)) continue;
      declared.add(prefix);
      const uri = r.pick(URIS);
      const quote = q();
      attrs.push(`xmlns:${prefix}=${quote}${uri.replace(/&/g, '&amp;')}${quote}`);
      inner.set(prefix, uri.trim());
    }
    if (r.chance(0.05)) attrs.push('xmlns:xml="http://www.w3.org/XML/1998/namespace"');
    // Attributes, unique by expanded name.
    const seen = new Set<string>();
    for (let i = r.int(4); i > 0; i--) {
      const attrLocal = r.pick(LOCALS);
      let name = attrLocal;
      let expanded = attrLocal;
      const roll = r.next();
      if (roll < 0.3 && inner.size > 0) {
        const prefix = r.pick([...inner.keys()]);
        name = `${prefix}:${attrLocal}`;
        expanded = `{${inner.get(prefix)}}${attrLocal}`;
      } else if (roll < 0.35) {
        name = `xml:${attrLocal}`;
        expanded = `{xml}${attrLocal}`;
      }
      if (seen.has(expanded)) continue;
      seen.add(expanded);
      const quote = q();
      const value = genAttrValue(r, quote);
      attrs.push(`${name}${r.pick(['', ' '])}=${r.pick(['', '\n'])}${quote}${value}${quote}`);
    }
    // Shuffle (declarations may come after the attributes that use them).
    for (let i = attrs.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [attrs[i], attrs[j]] = [attrs[j]!, attrs[i]!];
    }
    const prefixes = [...inner.keys()];
    const local = r.pick(LOCALS);
    const name = prefixes.length > 0 && r.chance(0.4) ? `${r.pick(prefixes)}:${local}` : local;
    const open = `<${name}${attrs.map((a) => `${r.pick([' ', '\n\t', '  ', '\r\n'])}${a}`).join('')}${r.pick(['', '', ' ', '\r\n'])}`;
    const nChildren = depth >= maxDepth ? 0 : r.int(maxChildren + 1);
    if (nChildren === 0 && r.chance(0.5)) return `${open}/>`;
    let content = '';
    for (let i = 0; i < nChildren; i++) {
      const roll = r.next();
      if (roll < 0.45) content += element(depth + 1, inner);
      else if (roll < 0.75) content += genText(r);
      else if (roll < 0.83) content += `<![CDATA[${r.chance(0.2) ? '' : genText(r).replace(/&/g, '& <')}]]>`;
      else if (roll < 0.9) content += `<!--${r.chance(0.2) ? '' : genText(r, 3).replace(/-/g, ' - ').replace(/&/g, '&amp')}-->`;
      else if (roll < 0.95) content += `<?pi-${r.int(9)} ${genText(r, 2).replace(/\?>/g, '? >')}?>`;
      else content += ws(r);
    }
    return `${open}>${content}</${name}${r.chance(0.1) ? ' \n' : ''}>`;
  };
  let doc = r.chance(0.1) ? '\uFEFF' : '';
  if (r.chance(0.3)) doc += r.pick(['<?xml version="1.0"?>', "<?xml version='1.0' encoding='UTF-8'?>", '<?xml version="1.0" encoding="utf-8" standalone="no"?>', '<?xml version="1.1"?>']);
  doc += misc() + misc() + element(0, new Map()) + misc() + misc();
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Mutations (fuzzing)
// ---------------------------------------------------------------------------------------------

/** What `mutate` inserts or replaces with: markup characters and tokens, control characters, non-characters, lone surrogates. */
export const MUTATION_CHARS = [
  '<', '>', '&', ';', '"', "'", '=', '/', '!', '?', '-', ']', '[', ':', ' ', '\t', '\r', '\n', 'a', '1', '#', 'x', 'é', '€', '😀', '\u0000', '\u0001', '\u001f', '\uFFFE', '\uFEFF',
  '\uD800', '\uDC00', 'xmlns', 'xmlns:p', 'xml:', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<?xml version="1.0"?>', '<!DOCTYPE', '&amp;', '&#0;', '&#xD800;', '</', '/>',
];

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * 1 to 3 edits of the text: replace, insert, delete, truncate, duplicate a slice, swap. The edits
 * work on UTF-16 code units and may leave unpaired surrogates; with `wellFormed`, swaps work on
 * code points and unpaired surrogates become `?`, so that the result has a UTF-8 encoding.
 */
export function mutate(doc: string, r: Random, { wellFormed = false } = {}): string {
  let out = doc;
  for (let k = 1 + r.int(3); k > 0; k--) {
    const at = r.int(out.length + 1);
    switch (r.int(6)) {
      case 0: // replace a code unit
        out = out.slice(0, at) + r.pick(MUTATION_CHARS) + out.slice(at + 1);
        break;
      case 1: // insert
        out = out.slice(0, at) + r.pick(MUTATION_CHARS) + out.slice(at);
        break;
      case 2: // delete a few code units
        out = out.slice(0, at) + out.slice(at + 1 + r.int(3));
        break;
      case 3: // truncate
        out = out.slice(0, at);
        break;
      case 4: {
        // duplicate a slice somewhere else
        const from = r.int(out.length + 1);
        out = out.slice(0, at) + out.slice(from, from + r.int(20)) + out.slice(at);
        break;
      }
      default: {
        // swap two code units (code points if wellFormed)
        const b = r.int(out.length);
        const chars = wellFormed ? [...out] : out.split('');
        if (at < chars.length && b < chars.length) [chars[at], chars[b]] = [chars[b]!, chars[at]!];
        out = chars.join('');
      }
    }
  }
  return wellFormed ? out.replace(LONE_SURROGATE, '?') : out;
}

/** 1 to 4 random byte edits (often making invalid UTF-8) of a copy of `bytes`, sometimes truncated. */
export function mutateBytes(bytes: Uint8Array, r: Random): Buffer {
  const out = Buffer.from(bytes);
  for (let k = 1 + r.int(4); k > 0; k--) {
    const at = r.int(out.length);
    if (r.chance(0.5)) out[at] = r.int(256);
    else out[at] = out[at]! ^ (1 << r.int(8));
  }
  return r.chance(0.2) ? out.subarray(0, r.int(out.length + 1)) : out;
}

/** `mutateBytes` of the UTF-8 encoding of `doc`, decoded back (invalid sequences become U+FFFD, a leading BOM is dropped). */
export function mutateEncoded(doc: string, r: Random): string {
  return new TextDecoder().decode(mutateBytes(Buffer.from(doc, 'utf8'), r));
}
