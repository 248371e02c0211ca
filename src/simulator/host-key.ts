/**
 * The simulator's SSH host key: given, or generated (ed25519), with what a client needs to trust
 * it (type, fingerprints, the OpenSSH public key line).
 * @module
 */
import ssh2 from 'ssh2';
import { hostKeyInfo } from '../index.js';

const { utils } = ssh2;

/** The simulator's public host key. */
export interface SimulatorHostKey {
  /** Key type, e.g. `ssh-ed25519`. */
  type: string;
  /** MD5 fingerprint, colon-delimited hex: what `unknownHostCb` receives as `fingerprint`. */
  md5: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  sha256: string;
  /** The OpenSSH public key line (`ssh-ed25519 AAAA…`), for a known_hosts entry. */
  publicKey: string;
  /** The public key blob (SSH wire format). */
  key: Buffer;
}

/**
 * Load the private host key (PEM or OpenSSH text), or generate an ed25519 one.
 * @throws TypeError when the key cannot be parsed or is not a private key
 */
export function loadHostKey(privateKey?: string | Buffer): { privateKey: string | Buffer; info: SimulatorHostKey } {
  const key = privateKey ?? generateHostKey();
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw new TypeError(`Cannot parse the host key: ${parsed.message}`);
  const k = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!k?.isPrivateKey()) throw new TypeError('The host key must be a private key');
  const blob = k.getPublicSSH();
  const info = hostKeyInfo(blob);
  return { privateKey: key, info: { type: info.type, md5: info.md5, sha256: info.sha256, publicKey: `${info.type} ${blob.toString('base64')}`, key: blob } };
}

/**
 * A new ed25519 private key in OpenSSH format. Measured with ssh2 1.17: about 0.7% of the keys its
 * `generateKeyPairSync('ed25519')` writes are refused by its own `parseKey` ("Malformed OpenSSH
 * private key"), so a key that does not parse back is generated again.
 */
function generateHostKey(): string {
  for (let attempt = 0; ; attempt++) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error) || attempt >= 20) return key;
  }
}
