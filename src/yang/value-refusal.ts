/**
 * How the leaf-value functions say "this type does not accept this value" internally: a returned
 * object instead of a thrown error, so that a union can try its member types one after the other
 * without paying for an exception per refusal (unions are common in IETF modules: ip-address,
 * host, port-number-or-any …). Only the public entry points turn a refusal into a ValueError.
 */
export class Refusal {
  constructor(readonly message: string) {}
}

/** The XML whitespace characters (`\s` of XML 1.0), the only ones libyang trims from numbers. */
function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Removes leading and trailing XML whitespace (libyang does so for integers, decimal64 and bits,
 * not for strings, booleans, enumerations, binary or identityrefs). `String.prototype.trim` would
 * also remove NBSP and other Unicode spaces, which libyang keeps (and then refuses).
 */
export function trimXmlSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isXmlSpace(s.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** A value quoted for a message. */
export function q(value: unknown): string {
  return JSON.stringify(typeof value === 'bigint' ? String(value) : value) ?? String(value);
}
