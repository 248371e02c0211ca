import { q, Refusal } from './value-refusal.js';

/**
 * Canonical forms of a few IETF typedefs. libyang (2.1.30) has type plugins for some typedefs of
 * ietf-inet-types and ietf-yang-types that store the value in binary form and print it back in
 * a canonical form of their own; a string that satisfies the typedef's patterns can therefore
 * come out of yanglint different from how it went in. We do the same, keyed by the typedef's
 * qualified name (found anywhere in the leaf type's typedef chain, as a plugin applies to types
 * derived from its typedef too):
 *
 * - `ietf-inet-types:ipv6-address`, `ipv6-address-no-zone`: RFC 5952-style text as glibc's
 *   `inet_ntop` writes it (lowercase, longest run of zero groups as `::`, the first of equal runs,
 *   `::ffff:a.b.c.d` and `::a.b.c.d` with a dotted IPv4 tail); the zone (`%eth0`) is kept as written.
 * - `ietf-inet-types:ipv4-prefix`, `ipv6-prefix`: host bits cleared (`10.1.2.3/8` → `10.0.0.0/8`).
 * - `ietf-yang-types:date-and-time`: converted to UTC with offset `+00:00` (`Z` too), date and
 *   time fields that overflow carried (`02-30` → `03-02`, hour 24 …) like `mktime`; `-00:00`
 *   ("offset unknown") is kept; `-00:MM` counts as `+00:MM` (a libyang bug we copy). The
 *   fraction is kept as written. Non-ASCII digits (which the pattern's `\d` lets through) are
 *   refused: libyang prints garbage for them. NOTE: libyang prints the time in the time zone of
 *   the process (TZ), not UTC: yanglint agrees with us only under TZ=UTC.
 *
 * libyang's other plugins there (ipv4-address, ipv4-address-no-zone, mac-address, phys-address,
 * hex-string, uuid, dotted-quad) print the value as written.
 */

/** A canonicaliser: the canonical form of a value the typedef's patterns accepted, or a refusal. */
export type Canonicaliser = (value: string) => string | Refusal;

/** Parses an IPv6 address (no zone) into 8 16-bit groups, or undefined. */
function parseIpv6(s: string): number[] | undefined {
  const words: number[] = [];
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return undefined;
  const parseSide = (side: string, allowV4: boolean): number[] | undefined => {
    if (side === '') return [];
    const parts = side.split(':');
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i === parts.length - 1 && allowV4 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  if (dbl === -1) {
    const all = parseSide(s, true);
    if (!all || all.length !== 8) return undefined;
    return all;
  }
  const head = parseSide(s.slice(0, dbl), false);
  const tail = parseSide(s.slice(dbl + 2), true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  words.push(...head);
  for (let i = head.length + tail.length; i < 8; i++) words.push(0);
  words.push(...tail);
  return words;
}

/** Parses a dotted-quad IPv4 address into 4 bytes, or undefined. */
function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // glibc's inet_pton (libyang's parser) refuses a leading zero (`1.2.3.04`), though the
    // ietf-inet-types ipv6-address pattern lets it through.
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** 8 groups as text the way glibc's inet_ntop writes them. */
function formatIpv6(w: readonly number[]): string {
  // The longest run of two or more zero groups (the first of equal ones) becomes '::'.
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses end in dotted form.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += `${w[6]! >> 8}.${w[6]! & 0xff}.${w[7]! >> 8}.${w[7]! & 0xff}`;
      return s;
    }
    s += (w[i] as number).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

const ipv6Address: Canonicaliser = (value) => {
  const pct = value.indexOf('%');
  const words = parseIpv6(pct === -1 ? value : value.slice(0, pct));
  if (!words) return new Refusal(`invalid IPv6 address ${q(value)}`);
  return formatIpv6(words) + (pct === -1 ? '' : value.slice(pct));
};

/** Splits `address/length`; undefined when malformed or the length exceeds `max`. */
function splitPrefix(value: string, max: number): [string, number] | undefined {
  const slash = value.indexOf('/');
  if (slash === -1) return undefined;
  const len = value.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(len) || Number(len) > max) return undefined;
  return [value.slice(0, slash), Number(len)];
}

const ipv4Prefix: Canonicaliser = (value) => {
  const p = splitPrefix(value, 32);
  const bytes = p && parseIpv4(p[0]);
  if (!p || !bytes) return new Refusal(`invalid IPv4 prefix ${q(value)}`);
  const masked = bytes.map((b, i) => b & maskByte(p[1], i * 8, 8));
  return `${masked.join('.')}/${p[1]}`;
};

const ipv6Prefix: Canonicaliser = (value) => {
  const p = splitPrefix(value, 128);
  const words = p && parseIpv6(p[0]);
  if (!p || !words) return new Refusal(`invalid IPv6 prefix ${q(value)}`);
  return `${formatIpv6(words.map((w, i) => w & maskByte(p[1], i * 16, 16)))}/${p[1]}`;
};

/** The mask of a `width`-bit unit starting at bit `start` for a prefix of `len` bits. */
function maskByte(len: number, start: number, width: number): number {
  const keep = Math.max(0, Math.min(width, len - start));
  return keep === 0 ? 0 : ((1 << width) - 1) & ~((1 << (width - keep)) - 1);
}

const DATE_AND_TIME = /^([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

const dateAndTime: Canonicaliser = (value) => {
  const m = DATE_AND_TIME.exec(value);
  if (!m) return new Refusal(`invalid date-and-time ${q(value)}`);
  const zone = m[8] as string;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  let offset = '+00:00';
  if (zone === '-00:00') offset = zone;
  else if (zone !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = hours * 60 + Number(zone.slice(4, 6));
    // libyang reads the sign with the hours: `-00:30` counts as +00:30 (its bug, copied so that
    // the output matches; no real time zone is at -00:MM).
    const negative = zone[0] === '-' && hours !== 0;
    d.setTime(d.getTime() - (negative ? -minutes : minutes) * 60_000);
  }
  if (Number.isNaN(d.getTime())) return new Refusal(`invalid date-and-time ${q(value)}`);
  const two = (n: number): string => String(n).padStart(2, '0');
  const year = d.getUTCFullYear();
  const y = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${y}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${m[7] ?? ''}${offset}`;
};

const CANONICALISERS: ReadonlyMap<string, Canonicaliser> = new Map([
  ['ietf-inet-types:ipv6-address', ipv6Address],
  ['ietf-inet-types:ipv6-address-no-zone', ipv6Address],
  ['ietf-inet-types:ipv4-prefix', ipv4Prefix],
  ['ietf-inet-types:ipv6-prefix', ipv6Prefix],
  ['ietf-yang-types:date-and-time', dateAndTime],
]);

/** The canonicaliser for a type's typedef chain (outermost typedef with one wins), if any. */
export function canonicaliserFor(typedefs: readonly string[]): Canonicaliser | undefined {
  for (const t of typedefs) {
    const c = CANONICALISERS.get(t);
    if (c) return c;
  }
  return undefined;
}
