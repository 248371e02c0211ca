import type { IntegerKind, Interval } from './schema.js';
import { q, Refusal, trimXmlSpace } from './value-refusal.js';

/**
 * Integer and decimal64 values: lexical parsing (XML text, and the JSON strings of int64, uint64
 * and decimal64), bounds and `range` checks, canonical forms as libyang prints them.
 */

/** The value space of each integer type (RFC 7950 §9.2): the compiler's default ranges, the values' bounds. */
export const INTEGER_LIMITS: Readonly<Record<IntegerKind, Interval>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-9223372036854775808n, 9223372036854775807n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 18446744073709551615n],
};

/** Ranges as plain numbers, for the ≤ 32-bit types (exact there), computed once per range object. */
const numberRanges = new WeakMap<readonly Interval[], Float64Array>();

function asNumbers(range: readonly Interval[]): Float64Array {
  let r = numberRanges.get(range);
  if (!r) {
    r = new Float64Array(range.length * 2);
    range.forEach(([lo, hi], i) => {
      r![2 * i] = Number(lo);
      r![2 * i + 1] = Number(hi);
    });
    numberRanges.set(range, r);
  }
  return r;
}

/** An optional sign and decimal digits: XSD's integer lexical space, as libyang reads it. */
const INTEGER = /^[+-]?[0-9]+$/;

/**
 * Parses an integer of a ≤ 32-bit type from its lexical form (leading/trailing XML whitespace
 * allowed, `+` sign and leading zeros accepted): the value as a JSON number, or a refusal.
 */
export function parseSmallInteger(kind: IntegerKind, range: readonly Interval[] | undefined, text: string): number | Refusal {
  const t = trimXmlSpace(text);
  if (!INTEGER.test(t)) return new Refusal(t === '' ? `invalid ${kind} value: empty` : `invalid ${kind} value ${q(text)}`);
  // Number() reads '+05' as 5; beyond 2^53 it is inexact, but such values are out of bounds anyway.
  const n = Number(t) + 0; // + 0 turns -0 into 0
  return checkSmall(kind, range, n, t);
}

/** Bounds and range of a ≤ 32-bit integer already read as a number. */
export function checkSmall(kind: IntegerKind, range: readonly Interval[] | undefined, n: number, shown: unknown): number | Refusal {
  const [lo, hi] = INTEGER_LIMITS[kind];
  if (n < Number(lo) || n > Number(hi)) return new Refusal(`value ${q(shown)} is out of the bounds of ${kind}`);
  if (range) {
    const r = asNumbers(range);
    let ok = false;
    for (let i = 0; i < r.length; i += 2) {
      if (n >= (r[i] as number) && n <= (r[i + 1] as number)) {
        ok = true;
        break;
      }
    }
    if (!ok) return new Refusal(`value ${q(shown)} is outside the allowed range`);
  }
  return n;
}

/** Parses a 64-bit integer from its lexical form: the canonical decimal string, or a refusal. */
export function parseBigInteger(kind: IntegerKind, range: readonly Interval[] | undefined, text: string): string | Refusal {
  const t = trimXmlSpace(text);
  if (!INTEGER.test(t)) return new Refusal(t === '' ? `invalid ${kind} value: empty` : `invalid ${kind} value ${q(text)}`);
  const n = BigInt(t);
  const [lo, hi] = INTEGER_LIMITS[kind];
  if (n < lo || n > hi) return new Refusal(`value ${q(t)} is out of the bounds of ${kind}`);
  if (range && !inRange(range, n)) return new Refusal(`value ${q(t)} is outside the allowed range`);
  return n.toString();
}

function inRange(range: readonly Interval[], n: bigint): boolean {
  for (const [lo, hi] of range) if (n >= lo && n <= hi) return true;
  return false;
}

/**
 * decimal64's lexical form as libyang reads it: a sign, integer digits, optionally `.` and fraction
 * digits. libyang also takes a missing integer part after a sign (`-.5`), but not without one
 * (`.5`); both quirks are kept so that we accept and refuse the same texts.
 */
const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]+))?$/;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/**
 * Parses a decimal64 value: the canonical form (no leading zeros, trailing fraction zeros removed
 * but at least one fraction digit: `1.50` → `1.5`, `1` → `1.0`, `-0` → `0.0`), or a refusal.
 * Fraction digits beyond `fraction-digits` are refused unless they are zeros.
 */
export function parseDecimal64(fractionDigits: number, range: readonly Interval[] | undefined, text: string): string | Refusal {
  const t = trimXmlSpace(text);
  const m = DECIMAL.exec(t);
  // libyang reads a lone sign as 0.0; we refuse it (a document nobody means to write).
  if (!m || (m[2] === '' && (m[1] === '' || m[3] === undefined))) return new Refusal(t === '' ? 'invalid decimal64 value: empty' : `invalid decimal64 value ${q(text)}`);
  const sign = m[1] as string;
  const intDigits = m[2] as string;
  let frac = m[3] ?? '';
  let end = frac.length;
  while (end > 0 && frac.charCodeAt(end - 1) === 0x30) end--;
  frac = frac.slice(0, end);
  if (frac.length > fractionDigits) return new Refusal(`value ${q(t)} has more than ${fractionDigits} fraction digits`);
  let scaled = BigInt((intDigits || '0') + frac.padEnd(fractionDigits, '0'));
  if (sign === '-') scaled = -scaled;
  if (scaled < INT64_MIN || scaled > INT64_MAX) return new Refusal(`value ${q(t)} is out of the bounds of decimal64 with ${fractionDigits} fraction digits`);
  if (range && !inRange(range, scaled)) return new Refusal(`value ${q(t)} is outside the allowed range`);
  return formatDecimal64(scaled, fractionDigits);
}

/** The canonical text of a scaled decimal64 value. */
export function formatDecimal64(scaled: bigint, fractionDigits: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(fractionDigits + 1, '0');
  const intPart = digits.slice(0, digits.length - fractionDigits);
  let frac = digits.slice(digits.length - fractionDigits);
  let end = frac.length;
  while (end > 1 && frac.charCodeAt(end - 1) === 0x30) end--;
  frac = end === 0 ? '0' : frac.slice(0, end);
  return `${negative ? '-' : ''}${intPart}.${frac || '0'}`;
}
