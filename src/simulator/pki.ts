/**
 * A throw-away public key infrastructure for tests of NETCONF over TLS (RFC 7589): a CA, a server
 * certificate, a client certificate, and an unrelated second CA with its own client certificate
 * (for tests of refusals).
 *
 * The certificates are built here, in DER, on top of `node:crypto` (ECDSA P-256 keys, SHA-256
 * signatures): no dependency and no `openssl` binary needed. Node's `X509Certificate` and its TLS
 * stack (OpenSSL) accept them; the tests check both.
 * @module
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate made by {@link createTestCertificate} (PEM texts). */
export interface TestCertificate {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key (PKCS#8, unencrypted), PEM. */
  key: string;
  /** The subject's common name. */
  commonName: string;
  /** SHA-256 fingerprint of the certificate, colon-separated upper-case hex (as `openssl x509 -fingerprint -sha256` prints it). */
  fingerprint: string;
}

/** A certificate of {@link TestPki}: PEM texts and the files they were written to. */
export interface TestPkiCertificate extends TestCertificate {
  certFile: string;
  /** Written with mode 600. */
  keyFile: string;
}

/** What {@link generateTestPki} made. */
export interface TestPki {
  /** The directory of the files. */
  dir: string;
  /** The CA: `ca.crt`, `ca.key`. Give `ca.cert` to both the simulator (client certificates) and the client (server certificate). */
  ca: TestPkiCertificate;
  /** The server certificate, issued by `ca`: CN `netconfkit-simulator`, SANs `localhost`, `127.0.0.1`, `::1` (`server.crt`, `server.key`). */
  server: TestPkiCertificate;
  /** A client certificate issued by `ca`: CN `admin` unless told otherwise (`client.crt`, `client.key`). */
  client: TestPkiCertificate;
  /** A second, unrelated CA (`other-ca.crt`, `other-ca.key`). */
  otherCa: TestPkiCertificate;
  /** A client certificate issued by `otherCa`, with the same CN as `client` (`other-client.crt`, `other-client.key`): a server trusting `ca` refuses it. */
  otherClient: TestPkiCertificate;
}

/** Options of {@link generateTestPki}. */
export interface TestPkiOptions {
  /** Where to write the files (created if missing); default a new directory under the OS temp dir. */
  dir?: string;
  /** CN of the client certificates; default `admin` (the simulator's default cert-to-name maps it to that user). */
  clientCommonName?: string;
  /** Subject alternative names of the client certificates, as for {@link TestCertificateOptions.altNames}; default none. */
  clientAltNames?: readonly string[];
}

/** Options of {@link createTestCertificate}. */
export interface TestCertificateOptions {
  /** The subject's CN. */
  commonName: string;
  /** The issuing CA; absent: a self-signed certificate. */
  issuer?: TestCertificate;
  /** A CA certificate (basicConstraints CA, keyCertSign); default false. */
  ca?: boolean;
  /** Extended key usages of a leaf certificate; default both. */
  usage?: ReadonlyArray<'server' | 'client'>;
  /**
   * Subject alternative names: `DNS:name`, `IP:address` (IPv4 or IPv6), `email:user@host`
   * (`URI:…` too). A bare value is taken as an IP address when it is one, else as a DNS name.
   */
  altNames?: readonly string[];
  /** Default five minutes ago. */
  notBefore?: Date;
  /** Default a year after `notBefore` (ten years for a CA). */
  notAfter?: Date;
}

// ---- DER -----------------------------------------------------------------------------------

function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  let head: Buffer;
  if (n < 0x80) head = Buffer.from([tag, n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    head = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([head, body]);
}

const seq = (...parts: Buffer[]): Buffer => der(0x30, ...parts);
const set = (...parts: Buffer[]): Buffer => der(0x31, ...parts);
const octets = (b: Buffer): Buffer => der(0x04, b);
const bits = (b: Buffer, unused = 0): Buffer => der(0x03, Buffer.from([unused]), b);
const utf8 = (s: string): Buffer => der(0x0c, Buffer.from(s, 'utf8'));
const TRUE = der(0x01, Buffer.from([0xff]));

function integer(b: Buffer): Buffer {
  let start = 0;
  while (start < b.length - 1 && b[start] === 0 && ((b[start + 1] as number) & 0x80) === 0) start++;
  const v = b.subarray(start);
  return der(0x02, ((v[0] as number) & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [(arcs[0] as number) * 40 + (arcs[1] as number)];
  for (const arc of arcs.slice(2)) {
    const group: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift((v & 0x7f) | 0x80);
    out.push(...group);
  }
  return der(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const two = (n: number): string => String(n).padStart(2, '0');
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return y >= 1950 && y < 2050 ? der(0x17, Buffer.from(`${two(y % 100)}${rest}`)) : der(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`));
}

/** Read one TLV at `offset`: its tag, content start and end. */
function readTlv(buf: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = buf[offset] as number;
  let len = buf[offset + 1] as number;
  let start = offset + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (buf[start + i] as number);
    start += count;
  }
  return { tag, start, end: start + len };
}

// ---- X.509 ---------------------------------------------------------------------------------

const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function name(commonName: string): Buffer {
  return seq(set(seq(oid('2.5.4.10'), utf8('netconfkit test PKI'))), set(seq(oid('2.5.4.3'), utf8(commonName))));
}

/** The key identifier of a public key: SHA-1 of its subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1). */
function keyId(spki: Buffer): Buffer {
  const outer = readTlv(spki, 0);
  const algorithm = readTlv(spki, outer.start);
  const key = readTlv(spki, algorithm.end);
  return createHash('sha1').update(spki.subarray(key.start + 1, key.end)).digest();
}

function ipBytes(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  let text = address;
  let tail: number[] = [];
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 && isIPv4(v4[1] as string)) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    tail = [(a << 8) | b, (c << 8) | d];
    text = `${text.slice(0, v4.index)}:0:0`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right].map((g) => parseInt(g, 16));
  if (tail.length) groups.splice(6, 2, ...tail);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

function generalName(entry: string): Buffer {
  const colon = entry.indexOf(':');
  const type = colon > 0 ? entry.slice(0, colon).toLowerCase() : '';
  const value = colon > 0 && ['dns', 'ip', 'email', 'uri'].includes(type) ? entry.slice(colon + 1) : entry;
  const kind = ['dns', 'ip', 'email', 'uri'].includes(type) ? type : isIPv4(value) || isIPv6(value) ? 'ip' : 'dns';
  switch (kind) {
    case 'ip':
      if (!isIPv4(value) && !isIPv6(value)) throw new TypeError(`Not an IP address: ${JSON.stringify(value)}`);
      return der(0x87, ipBytes(value));
    case 'email':
      return der(0x81, Buffer.from(value, 'ascii'));
    case 'uri':
      return der(0x86, Buffer.from(value, 'ascii'));
    default:
      return der(0x82, Buffer.from(value, 'ascii'));
  }
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

function pem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

/**
 * Make a certificate and its ECDSA P-256 key: a self-signed CA, or a certificate issued by
 * `options.issuer`.
 * @throws TypeError for a malformed alternative name
 */
export function createTestCertificate(options: TestCertificateOptions): TestCertificate {
  const isCa = options.ca === true;
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const issuerKey = options.issuer ? createPrivateKey(options.issuer.key) : privateKey;
  const issuerSpki = options.issuer ? createPublicKey(options.issuer.cert).export({ type: 'spki', format: 'der' }) : spki;
  const issuerName = options.issuer ? name(options.issuer.commonName) : name(options.commonName);
  const notBefore = options.notBefore ?? new Date(Date.now() - 5 * 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (isCa ? 3650 : 365) * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40;

  const extensions: Buffer[] = [
    extension('2.5.29.19', true, isCa ? seq(TRUE) : seq()), // basicConstraints
    // keyUsage: CA keyCertSign + cRLSign (bits 5, 6); leaf digitalSignature (bit 0)
    extension('2.5.29.15', true, isCa ? bits(Buffer.from([0x06]), 1) : bits(Buffer.from([0x80]), 7)),
    extension('2.5.29.14', false, octets(keyId(spki))), // subjectKeyIdentifier
  ];
  if (options.issuer) extensions.push(extension('2.5.29.35', false, seq(der(0x80, keyId(issuerSpki))))); // authorityKeyIdentifier
  if (!isCa) {
    const usage = options.usage ?? ['server', 'client'];
    const ids = usage.map((u) => oid(u === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'));
    extensions.push(extension('2.5.29.37', false, seq(...ids))); // extKeyUsage
  }
  if (options.altNames && options.altNames.length > 0) extensions.push(extension('2.5.29.17', false, seq(...options.altNames.map(generalName))));

  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ECDSA_WITH_SHA256,
    issuerName,
    seq(time(notBefore), time(notAfter)),
    name(options.commonName),
    spki,
    der(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, issuerKey);
  const certDer = seq(tbs, ECDSA_WITH_SHA256, bits(signature));
  const cert = pem('CERTIFICATE', certDer);
  return {
    cert,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    commonName: options.commonName,
    fingerprint: new X509Certificate(certDer).fingerprint256,
  };
}

async function save(dir: string, base: string, c: TestCertificate): Promise<TestPkiCertificate> {
  const certFile = join(dir, `${base}.crt`);
  const keyFile = join(dir, `${base}.key`);
  await writeFile(certFile, c.cert, { mode: 0o644 });
  await writeFile(keyFile, c.key, { mode: 0o600 });
  await chmod(keyFile, 0o600); // an existing file keeps its mode through writeFile
  return { ...c, certFile, keyFile };
}

/** The CN of the simulator's test server certificate. */
export const TEST_SERVER_COMMON_NAME = 'netconfkit-simulator';

/**
 * Make a throw-away PKI for tests of NETCONF over TLS and write it as PEM files (keys with mode
 * 600): `ca`, `server` (CN `netconfkit-simulator`, SANs `DNS:localhost`, `IP:127.0.0.1`,
 * `IP:::1`), `client` (CN `admin` by default), and an unrelated `otherCa` with `otherClient`.
 *
 * ```ts
 * const pki = await generateTestPki();
 * const sim = await startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert } });
 * // connect with pki.client.cert / pki.client.key, trusting pki.ca.cert
 * ```
 * @param options - or the directory to write to
 */
export async function generateTestPki(options: TestPkiOptions | string = {}): Promise<TestPki> {
  const opts: TestPkiOptions = typeof options === 'string' ? { dir: options } : options;
  let dir = opts.dir;
  if (dir === undefined) dir = await mkdtemp(join(tmpdir(), 'netconfkit-pki-'));
  else await mkdir(dir, { recursive: true, mode: 0o700 });
  const clientName = opts.clientCommonName ?? 'admin';
  const clientAlt = opts.clientAltNames ? { altNames: opts.clientAltNames } : {};
  const ca = createTestCertificate({ commonName: 'netconfkit test CA', ca: true });
  const server = createTestCertificate({ commonName: TEST_SERVER_COMMON_NAME, issuer: ca, usage: ['server'], altNames: ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'] });
  const client = createTestCertificate({ commonName: clientName, issuer: ca, usage: ['client'], ...clientAlt });
  const otherCa = createTestCertificate({ commonName: 'netconfkit other test CA', ca: true });
  const otherClient = createTestCertificate({ commonName: clientName, issuer: otherCa, usage: ['client'], ...clientAlt });
  return {
    dir,
    ca: await save(dir, 'ca', ca),
    server: await save(dir, 'server', server),
    client: await save(dir, 'client', client),
    otherCa: await save(dir, 'other-ca', otherCa),
    otherClient: await save(dir, 'other-client', otherClient),
  };
}
