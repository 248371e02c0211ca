/**
 * `range` and `length` restrictions (RFC 7950 §9.2.4, §9.4.4): parsed against the limits of the
 * type they restrict (`min`/`max` are that type's bounds), checked to be ascending, disjoint and
 * no wider than the base.
 */
import { fail } from './compile-context.js';
import type { Interval } from './schema.js';
import type { Statement } from './statement.js';
import { INTEGER_LIMITS } from './value-number.js';

/** decimal64 values, scaled by 10^fraction-digits, are 64-bit integers. */
export const DECIMAL64_LIMITS: Interval = INTEGER_LIMITS.int64;

/** `length` counts characters or octets: 0 .. 2^64-1. */
export const LENGTH_LIMITS: Interval = INTEGER_LIMITS.uint64;

/** Parses a decimal64 literal into its value scaled by 10^fractionDigits; undefined if not one. */
export function parseDecimal64(text: string, fractionDigits: number): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  if (frac.length > fractionDigits) return undefined;
  const scaled = BigInt(m[2]! + frac.padEnd(fractionDigits, '0'));
  return m[1] === '-' ? -scaled : scaled;
}

/**
 * Parses a range/length argument. `base` is the effective set of intervals of the type being
 * restricted; `value` parses one bound (undefined = invalid).
 */
export function parseIntervals(stmt: Statement, base: readonly Interval[], value: (text: string) => bigint | undefined): Interval[] {
  const text = stmt.argument!;
  const low = base[0]![0];
  const high = base[base.length - 1]![1];
  const bound = (t: string): bigint => {
    const s = t.trim();
    if (s === 'min') return low;
    if (s === 'max') return high;
    const v = value(s);
    if (v === undefined) fail(`invalid ${stmt.keyword} bound "${s}" in "${text}"`, stmt);
    return v;
  };
  const out: Interval[] = [];
  for (const part of text.split('|')) {
    const dots = part.indexOf('..');
    const lo = bound(dots === -1 ? part : part.slice(0, dots));
    const hi = dots === -1 ? lo : bound(part.slice(dots + 2));
    if (hi < lo) fail(`${stmt.keyword} "${text}": ${lo} is greater than ${hi}`, stmt);
    const prev = out[out.length - 1];
    if (prev && lo <= prev[1]) fail(`${stmt.keyword} "${text}": intervals must be ascending and disjoint`, stmt);
    if (!base.some(([bl, bh]) => bl <= lo && hi <= bh)) fail(`${stmt.keyword} "${text}" is not within the base type's ${stmt.keyword}`, stmt);
    out.push([lo, hi]);
  }
  return out;
}

/** A decimal integer (YANG integer-value), as bigint. */
export function parseInteger(text: string): bigint | undefined {
  return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}
