import type { YangSchema, YangType } from './schema.js';
import { identityFromJson, identityFromXml, identityToXml } from './value-identity.js';
import { instanceIdFromXml, instanceIdToXml } from './value-instance-identifier.js';
import { checkSmall, parseBigInteger, parseDecimal64, parseSmallInteger } from './value-number.js';
import { q, Refusal, trimXmlSpace } from './value-refusal.js';
import { canonicaliserFor, type Canonicaliser } from './value-typedef.js';
import { xpathFromXml, xpathToXml } from './value-xpath.js';

/**
 * The leaf-value layer of the RFC 7951 codec: one leaf or leaf-list value, XML text ↔ JSON value,
 * checked against its compiled type and written in canonical form — the form yanglint (libyang
 * 2.1.30) prints, found by asking it (test/yang/value.test.ts keeps asking it). In short:
 *
 * - integers: XML whitespace around the number is ignored, `+` and leading zeros accepted
 *   (`+05` → 5); ≤ 32-bit types are JSON numbers, int64/uint64 JSON strings (also trimmed).
 * - decimal64: JSON string; `1.50` → `"1.5"`, `1` → `"1.0"`; extra fraction digits must be zeros.
 * - string: as is (no trimming); length counts code points; patterns (and invert-match).
 * - boolean, enumeration: exact (no trimming). bits: any whitespace between names, written in
 *   position order with single spaces; duplicates refused.
 * - binary: base64 as written (no whitespace, padding required); length counts decoded bytes.
 * - empty: `""` ↔ `[null]`.
 * - identityref: `prefix:name` ↔ `module:name` (always qualified in our output, as libyang's;
 *   unqualified JSON input means the leaf's module).
 * - instance-identifier: see value-instance-identifier.ts. leafref: the target's type.
 * - union: the first member type that accepts the value, in order; from JSON, each member applies
 *   its own JSON typing (RFC 7951 §6.10): `"7"` is not an int32 but may be a decimal64.
 * - a few IETF typedefs are canonicalised like libyang's type plugins (value-typedef.ts), and
 *   yang:xpath1.0 expressions are re-printed with module names / prefixes (value-xpath.ts).
 *
 * These run for every leaf of large documents: per-type data (bit order, canonicalisers) is
 * computed once per YangType and cached, patterns are precompiled by the compiler, and refusals
 * inside a union are returned values, not exceptions.
 */

/** An RFC 7951 JSON leaf value. */
export type JsonLeafValue = string | number | boolean | readonly [null];

/**
 * A value its type refuses. The message says what is wrong with the value; the codec wraps it
 * into a YangDataError with the data path.
 */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** Resolves an XML prefix in scope to its namespace (`''`: the default namespace). */
export type NamespaceOf = (prefix: string) => string | undefined;
/** Returns the XML prefix to use for a namespace, declaring it on the element being written. */
export type Declare = (namespace: string, preferredPrefix: string) => string;

const EMPTY_VALUE: readonly [null] = Object.freeze([null]) as readonly [null];

/**
 * XML text of a leaf or leaf-list value → its RFC 7951 JSON value, in canonical form.
 *
 * @param type the leaf's compiled type.
 * @param text the element's text content (entities already replaced).
 * @param namespaceOf resolves the XML prefixes in scope at the element (`''` for the default
 *   namespace); used by identityref and instance-identifier.
 * @param schema the compiled schema (identities, modules, data nodes).
 * @param module the module of the leaf.
 * @throws ValueError when the type refuses the value.
 */
export function leafValueFromXml(type: YangType, text: string, namespaceOf: NamespaceOf, schema: YangSchema, module: string): JsonLeafValue {
  const r = fromXml(type, text, namespaceOf, schema, module);
  if (r instanceof Refusal) throw new ValueError(r.message);
  return r;
}

/**
 * An RFC 7951 JSON value of a leaf or leaf-list → its XML text, in canonical form. Strict about
 * JSON types (RFC 7951 §6): a number for ≤ 32-bit integers, a string for int64/uint64/decimal64,
 * a boolean for boolean, `[null]` for empty.
 *
 * The result is the lexical value, not escaped for XML (the caller escapes `&`, `<`, `>`).
 *
 * @param declare returns the prefix to use for a namespace and has the caller declare it on the
 *   element (identityref, instance-identifier).
 * @throws ValueError when the type refuses the value.
 */
export function leafValueToXml(type: YangType, value: unknown, declare: Declare, schema: YangSchema, module: string): string {
  const r = toXml(type, value, declare, schema, module);
  if (r instanceof Refusal) throw new ValueError(r.message);
  return r;
}

/** Per-type data worth computing once. */
interface TypeInfo {
  /** string: the typedef canonicaliser, if any. */
  readonly canonicaliser: Canonicaliser | undefined;
  /** bits: names in position order. */
  readonly bitOrder: readonly string[] | undefined;
  /** string: derived from ietf-yang-types:xpath1.0 (prefixes rewritten, see value-xpath.ts). */
  readonly xpath: boolean;
  /** string: ietf-netconf-acm:node-instance-identifier (read as an instance-identifier). */
  readonly nodeInstance: boolean;
}

const infos = new WeakMap<YangType, TypeInfo>();

function info(type: YangType): TypeInfo {
  let i = infos.get(type);
  if (!i) {
    i = {
      canonicaliser: type.kind === 'string' ? canonicaliserFor(type.typedefs) : undefined,
      bitOrder: type.kind === 'bits' ? [...type.bits].sort((a, b) => a[1] - b[1]).map(([n]) => n) : undefined,
      xpath: type.kind === 'string' && type.typedefs.includes('ietf-yang-types:xpath1.0'),
      nodeInstance: type.kind === 'string' && type.typedefs.includes('ietf-netconf-acm:node-instance-identifier'),
    };
    infos.set(type, i);
  }
  return i;
}

/** XML → JSON, refusals returned. */
function fromXml(type: YangType, text: string, namespaceOf: NamespaceOf, schema: YangSchema, module: string): JsonLeafValue | Refusal {
  switch (type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
      return parseSmallInteger(type.kind, type.range, text);
    case 'int64':
    case 'uint64':
      return parseBigInteger(type.kind, type.range, text);
    case 'decimal64':
      return parseDecimal64(type.fractionDigits, type.range, text);
    case 'string': {
      const r = checkString(type, text);
      if (r instanceof Refusal) return r;
      const i = info(type);
      if (i.nodeInstance) return instanceIdFromXml(r, namespaceOf, schema, (t, v) => fromXml(t, v, namespaceOf, schema, module), true);
      return i.xpath ? xpathFromXml(r, namespaceOf, schema) : r;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : new Refusal(`invalid boolean value ${q(text)}`);
    case 'enumeration':
      return type.enums.has(text) ? text : new Refusal(`invalid enumeration value ${q(text)}`);
    case 'bits':
      return parseBits(type, text);
    case 'binary':
      return checkBinary(type, text);
    case 'empty':
      return text === '' ? EMPTY_VALUE : new Refusal(`invalid empty value ${q(text)}: must have no content`);
    case 'identityref':
      return identityFromXml(type.bases, text, namespaceOf, schema, module);
    case 'instance-identifier':
      return instanceIdFromXml(text, namespaceOf, schema, (t, v) => fromXml(t, v, namespaceOf, schema, module));
    case 'leafref':
      return fromXml(type.targetType, text, namespaceOf, schema, module);
    case 'union': {
      for (const member of type.types) {
        const r = fromXml(member, text, namespaceOf, schema, module);
        if (!(r instanceof Refusal)) return r;
      }
      return new Refusal(`invalid union value ${q(text)}: no member type accepts it`);
    }
  }
}

/** JSON → XML, refusals returned. */
function toXml(type: YangType, value: unknown, declare: Declare, schema: YangSchema, module: string): string | Refusal {
  switch (type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return new Refusal(`invalid ${type.kind} value ${q(value)}: must be a JSON integer number`);
      const r = checkSmall(type.kind, type.range, value + 0, value);
      return r instanceof Refusal ? r : String(r);
    }
    case 'int64':
    case 'uint64':
      if (typeof value !== 'string') return new Refusal(`invalid ${type.kind} value ${q(value)}: must be a JSON string`);
      return parseBigInteger(type.kind, type.range, value);
    case 'decimal64':
      if (typeof value !== 'string') return new Refusal(`invalid decimal64 value ${q(value)}: must be a JSON string`);
      return parseDecimal64(type.fractionDigits, type.range, value);
    case 'string': {
      if (typeof value !== 'string') return new Refusal(`invalid string value ${q(value)}: must be a JSON string`);
      const r = checkString(type, value);
      if (r instanceof Refusal) return r;
      const i = info(type);
      if (i.nodeInstance) return instanceIdToXml(r, schema, declare, jsonReader(schema, module), (t, v) => toXml(t, v, declare, schema, module), true);
      return i.xpath ? xpathToXml(r, schema, declare) : r;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return new Refusal(`invalid boolean value ${q(value)}: must be JSON true or false`);
      return value ? 'true' : 'false';
    case 'enumeration':
      if (typeof value !== 'string' || !type.enums.has(value)) return new Refusal(`invalid enumeration value ${q(value)}`);
      return value;
    case 'bits':
      if (typeof value !== 'string') return new Refusal(`invalid bits value ${q(value)}: must be a JSON string`);
      return parseBits(type, value);
    case 'binary':
      if (typeof value !== 'string') return new Refusal(`invalid binary value ${q(value)}: must be a JSON string`);
      return checkBinary(type, value);
    case 'empty':
      return Array.isArray(value) && value.length === 1 && value[0] === null ? '' : new Refusal(`invalid empty value ${q(value)}: must be [null]`);
    case 'identityref': {
      if (typeof value !== 'string') return new Refusal(`invalid identityref value ${q(value)}: must be a JSON string`);
      const identity = identityFromJson(type.bases, value, schema, module);
      return identity instanceof Refusal ? identity : identityToXml(identity, schema, declare);
    }
    case 'instance-identifier': {
      if (typeof value !== 'string') return new Refusal(`invalid instance-identifier value ${q(value)}: must be a JSON string`);
      return instanceIdToXml(value, schema, declare, jsonReader(schema, module), (t, v) => toXml(t, v, declare, schema, module));
    }
    case 'leafref':
      return toXml(type.targetType, value, declare, schema, module);
    case 'union': {
      for (const member of type.types) {
        const r = toXml(member, value, declare, schema, module);
        if (!(r instanceof Refusal)) return r;
      }
      return new Refusal(`invalid union value ${q(value)}: no member type accepts it`);
    }
  }
}

/**
 * Reads an instance-identifier predicate value written in JSON form: as XML text, but an
 * identityref's prefix there is a module name.
 */
function jsonReader(schema: YangSchema, module: string): (type: YangType, text: string) => JsonLeafValue | Refusal {
  const jsonNamespaceOf = (prefix: string): string | undefined => (prefix === '' ? undefined : schema.modules.get(prefix)?.namespace);
  return (t, v) => fromXml(t, v, jsonNamespaceOf, schema, module);
}

/** Number of code points of a string (what YANG's `length` counts for strings). */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // a high surrogate followed by a low one is one code point
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function lengthOk(length: readonly (readonly [bigint, bigint])[], n: number): boolean {
  const b = BigInt(n);
  for (const [lo, hi] of length) if (b >= lo && b <= hi) return true;
  return false;
}

function checkString(type: Extract<YangType, { kind: 'string' }>, text: string): string | Refusal {
  if (type.length && !lengthOk(type.length, codePoints(text))) return new Refusal(`string ${q(text)} has a length outside the allowed range`);
  for (const p of type.patterns) {
    if (p.regex.test(text) === p.invert) {
      return new Refusal(p.errorMessage ?? (p.invert ? `string ${q(text)} matches the inverted pattern ${q(p.source)}` : `string ${q(text)} does not match the pattern ${q(p.source)}`));
    }
  }
  const canonicaliser = info(type).canonicaliser;
  return canonicaliser ? canonicaliser(text) : text;
}

/** Separators between bit names (XML whitespace). */
const BIT_SEPARATOR = /[ \t\n\r]+/;

function parseBits(type: Extract<YangType, { kind: 'bits' }>, text: string): string | Refusal {
  const t = trimXmlSpace(text);
  if (t === '') return '';
  const names = t.split(BIT_SEPARATOR);
  if (names.length === 1) return type.bits.has(t) ? t : new Refusal(`invalid bit ${q(t)}`);
  const set = new Set<string>();
  for (const n of names) {
    if (!type.bits.has(n)) return new Refusal(`invalid bit ${q(n)}`);
    if (set.has(n)) return new Refusal(`duplicate bit ${q(n)}`);
    set.add(n);
  }
  const out: string[] = [];
  for (const n of info(type).bitOrder as readonly string[]) if (set.has(n)) out.push(n);
  return out.join(' ');
}

/** base64 (RFC 4648 §4) as libyang checks it: no whitespace, length a multiple of 4, `=` padding only at the end. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkBinary(type: Extract<YangType, { kind: 'binary' }>, text: string): string | Refusal {
  if (!BASE64.test(text)) return new Refusal(`invalid base64 value ${q(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
  if (type.length) {
    const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    const bytes = (text.length / 4) * 3 - padding;
    if (!lengthOk(type.length, bytes)) return new Refusal(`binary value of ${bytes} bytes: length outside the allowed range`);
  }
  return text;
}
