/**
 * Host names that are addresses, as OpenSSH's ssh.c treats them: it does not lower-case them,
 * and rewrites them in their numeric form (`127.1` is 127.0.0.1, `2001:DB8:0::1` is
 * 2001:db8::1), as getaddrinfo(3) and getnameinfo(3) with numeric flags would.
 * @module
 */
import { isIP } from 'node:net';

/** An IPv4 address in any form inet_aton(3) accepts (`10.1`, `0x7f.1`, `010.0.0.1`), as 4 bytes. */
function inetAton(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = Number(part);
    else return undefined;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255)) return undefined;
  const lastBytes = 4 - values.length;
  if (last >= 2 ** (8 * lastBytes)) return undefined;
  const bytes = [...values];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 2 ** (8 * i)) % 256);
  return bytes;
}

/** Whether OpenSSH takes `host` for an address (ssh.c `is_addr`): then it is not lower-cased. */
export function isAddress(host: string): boolean {
  return host.includes('%') || host.includes(':') || /^[0-9.]*$/.test(host) || isIP(host) !== 0 || inetAton(host) !== undefined;
}

/**
 * The numeric form OpenSSH gives an address host name (ssh.c `resolve_canonicalize` →
 * `resolve_addr`), or `host` unchanged when it is not an address or already in that form up to
 * case. Addresses with a zone (`%eth0`) and IPv6 addresses with an embedded IPv4 part are left
 * as they are.
 */
export function canonicalAddress(host: string): string {
  let canonical: string | undefined;
  if (host.includes(':')) {
    if (host.includes('%') || host.includes('.') || isIP(host) !== 6) return host;
    try {
      canonical = new URL(`http://[${host}]/`).hostname.slice(1, -1);
    } catch {
      return host;
    }
  } else {
    canonical = inetAton(host)?.join('.');
  }
  return canonical !== undefined && canonical.toLowerCase() !== host.toLowerCase() ? canonical : host;
}
