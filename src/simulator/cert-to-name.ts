/**
 * RFC 7589 §7 / RFC 7407 cert-to-name: the NETCONF user name of a TLS client, derived from its
 * certificate by an ordered list of rules (ietf-x509-cert-to-name).
 * @module
 */
import type { DetailedPeerCertificate } from 'node:tls';

/** How a matching cert-to-name entry derives the user name from the client certificate. */
export type CertToNameMap = 'common-name' | 'san-dns-name' | 'san-ip-address' | 'san-rfc822-name' | 'san-any';

/**
 * One cert-to-name entry. The entries are tried in order, the first that yields a name wins; when
 * none does, the connection is closed before the hello.
 *
 * - `{ fingerprint, user }`: the certificate with that SHA-256 fingerprint maps to `user`
 *   (ietf-x509-cert-to-name's `specified`).
 * - `{ map, fingerprint? }`: the name is taken from the client certificate: its subject's CN, or
 *   its first subjectAltName of the kind (`san-any`: the first rfc822Name, dNSName or iPAddress).
 *   DNS names and the host part of e-mail addresses are lower-cased; IPv4 addresses are written
 *   dotted, IPv6 addresses as 32 lower-case hex digits without colons (RFC 7407 §4.1.3).
 *   The entry is skipped when the certificate has no such field.
 *
 * A fingerprint (hex, colons optional, any case; RFC 7407's `tls-fingerprint` form with the
 * leading hash-algorithm octet `04:` is accepted too) is compared with the client's certificate
 * and with every CA certificate of its verified chain, so that one entry can cover all the
 * certificates a CA issued. Without a fingerprint the entry applies to every certificate.
 */
export type CertToName = { fingerprint: string; user: string } | { fingerprint?: string; map: CertToNameMap };

const MAPS: readonly CertToNameMap[] = ['common-name', 'san-dns-name', 'san-ip-address', 'san-rfc822-name', 'san-any'];

/** A fingerprint as 64 lower-case hex digits. @throws TypeError when it is not a SHA-256 fingerprint */
export function normalizeFingerprint(text: string): string {
  let hex = text.replace(/[:\s]/g, '').toLowerCase();
  if (hex.length === 66 && hex.startsWith('04')) hex = hex.slice(2); // tls-fingerprint: 0x04 = SHA-256
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new TypeError(`Not a SHA-256 fingerprint: ${JSON.stringify(text)}`);
  return hex;
}

interface Rule {
  fingerprint: string | undefined;
  user: string | undefined;
  map: CertToNameMap | undefined;
}

/** A checked cert-to-name list. */
export class CertToNameMapper {
  readonly #rules: Rule[];

  /** @throws TypeError for a malformed entry */
  constructor(entries: readonly CertToName[] = [{ map: 'common-name' }]) {
    if (!Array.isArray(entries)) throw new TypeError('certToName must be an array');
    this.#rules = entries.map((e, i) => {
      const fingerprint = e.fingerprint === undefined ? undefined : normalizeFingerprint(e.fingerprint);
      if ('user' in e && e.user !== undefined) {
        if (typeof e.user !== 'string' || !e.user) throw new TypeError(`certToName[${i}]: user must be a non-empty string`);
        if (fingerprint === undefined) throw new TypeError(`certToName[${i}]: an entry naming a user needs a fingerprint`);
        return { fingerprint, user: e.user, map: undefined };
      }
      const map = (e as { map?: unknown }).map;
      if (!MAPS.includes(map as CertToNameMap)) throw new TypeError(`certToName[${i}]: map must be one of ${MAPS.join(', ')}`);
      return { fingerprint, user: undefined, map: map as CertToNameMap };
    });
  }

  /** The user name of the client with this certificate (and chain), or undefined when no entry matches. */
  nameOf(cert: DetailedPeerCertificate): string | undefined {
    const chain = chainFingerprints(cert);
    for (const rule of this.#rules) {
      if (rule.fingerprint !== undefined && !chain.has(rule.fingerprint)) continue;
      const name = rule.user ?? mapName(cert, rule.map as CertToNameMap);
      if (name) return name;
    }
    return undefined;
  }
}

/** The fingerprints of a certificate and of its issuers (as Node completed the chain). */
function chainFingerprints(cert: DetailedPeerCertificate): Set<string> {
  const out = new Set<string>();
  let c: DetailedPeerCertificate | undefined = cert;
  for (let depth = 0; c && depth < 16; depth++) {
    if (c.fingerprint256) out.add(normalizeFingerprint(c.fingerprint256));
    const next: DetailedPeerCertificate | undefined = c.issuerCertificate;
    if (!next || next === c) break;
    c = next;
  }
  return out;
}

/** The entries of Node's `subjectaltname` text: `DNS:a, IP Address:1.2.3.4, email:"x, y"@z`. */
export function parseSubjectAltName(text: string | undefined): Array<{ type: string; value: string }> {
  const out: Array<{ type: string; value: string }> = [];
  if (!text) return out;
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    const colon = text.indexOf(':', i);
    if (colon === -1) break;
    const type = text.slice(i, colon);
    i = colon + 1;
    let value: string;
    if (text[i] === '"') {
      // Node quotes values with special characters as JSON strings.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(i, j + 1)) as string;
      } catch {
        value = text.slice(i + 1, j);
      }
      i = j + 1;
    } else {
      const end = text.indexOf(', ', i);
      value = end === -1 ? text.slice(i) : text.slice(i, end);
      i = end === -1 ? text.length : end;
    }
    out.push({ type, value });
  }
  return out;
}

function ipName(value: string): string {
  if (!value.includes(':')) return value;
  // Node prints IPv6 SANs as 8 groups (0:0:0:0:0:0:0:1); expand :: in case.
  const [head = '', rest] = value.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.toLowerCase().padStart(4, '0')).join('');
}

function sanName(type: string, value: string): string | undefined {
  switch (type) {
    case 'DNS':
      return value.toLowerCase();
    case 'IP Address':
      return ipName(value);
    case 'email': {
      const at = value.lastIndexOf('@');
      return at === -1 ? value : `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`;
    }
    default:
      return undefined;
  }
}

const SAN_TYPE: Record<string, string> = { 'san-dns-name': 'DNS', 'san-ip-address': 'IP Address', 'san-rfc822-name': 'email' };

function mapName(cert: DetailedPeerCertificate, map: CertToNameMap): string | undefined {
  if (map === 'common-name') {
    const cn = (cert.subject as unknown as Record<string, string | string[] | undefined> | undefined)?.['CN'];
    const value = Array.isArray(cn) ? cn[cn.length - 1] : cn;
    return value || undefined;
  }
  for (const { type, value } of parseSubjectAltName(cert.subjectaltname)) {
    if (map !== 'san-any' && SAN_TYPE[map] !== type) continue;
    const name = sanName(type, value);
    if (name) return name;
  }
  return undefined;
}
