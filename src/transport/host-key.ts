/**
 * Fingerprints of SSH public keys, in the forms printed by `ssh-keygen -l`.
 *
 * All functions take the raw public key blob in SSH wire format: the bytes
 * obtained by base64-decoding the second field of an OpenSSH `.pub` line, and
 * the Buffer that `ssh2` passes to its `hostVerifier` callback.
 *
 * @module
 */

import { createHash } from 'node:crypto';

/** Everything a host-key check usually wants to know about a public key. */
export interface HostKeyInfo {
  /** Key type read from the blob, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  type: string;
  /** MD5 fingerprint as colon-delimited lowercase hex (see {@link md5Fingerprint}). */
  md5: string;
  /** SHA-256 fingerprint, `SHA256:` + unpadded base64 (see {@link sha256Fingerprint}). */
  sha256: string;
  /** The public key blob itself (SSH wire format). */
  key: Buffer;
}

/**
 * Read the key type, i.e. the first SSH `string` (uint32 big-endian length
 * followed by that many bytes) of a wire-format public key blob.
 *
 * @param blob - Public key in SSH wire format.
 * @returns The key type name, e.g. `ssh-ed25519`.
 * @throws TypeError if the blob is too short for its length prefix, the type
 *   is empty, or the type contains anything but printable ASCII.
 */
export function keyType(blob: Buffer): string {
  if (!Buffer.isBuffer(blob)) {
    throw new TypeError('SSH public key blob must be a Buffer');
  }
  if (blob.length < 4) {
    throw new TypeError(`malformed SSH public key blob: ${blob.length} bytes, too short for a length prefix`);
  }
  const length = blob.readUInt32BE(0);
  if (length === 0 || 4 + length > blob.length) {
    throw new TypeError(
      `malformed SSH public key blob: key type length ${length} does not fit in ${blob.length - 4} remaining bytes`,
    );
  }
  const type = blob.toString('latin1', 4, 4 + length);
  if (!/^[\x21-\x7e]+$/.test(type)) {
    throw new TypeError('malformed SSH public key blob: key type is not printable ASCII');
  }
  return type;
}

/**
 * MD5 fingerprint of a public key blob: colon-delimited lowercase hex of
 * MD5(blob), exactly as `ssh-keygen -l -E md5 -f key.pub` prints it after
 * `MD5:` (e.g. `38:47:eb:...:04`). The blob is hashed as-is, not validated.
 *
 * @param blob - Public key in SSH wire format.
 */
export function md5Fingerprint(blob: Buffer): string {
  const hex = createHash('md5').update(blob).digest('hex');
  return hex.replace(/(..)(?!$)/g, '$1:');
}

/**
 * SHA-256 fingerprint of a public key blob: `SHA256:` followed by the base64
 * of SHA-256(blob) without `=` padding, exactly as `ssh-keygen -l -f key.pub`
 * prints it. The blob is hashed as-is, not validated.
 *
 * @param blob - Public key in SSH wire format.
 */
export function sha256Fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/**
 * Key type and both fingerprints of a public key blob.
 *
 * @param blob - Public key in SSH wire format.
 * @throws TypeError if the blob is malformed (see `keyType`).
 */
export function hostKeyInfo(blob: Buffer): HostKeyInfo {
  return { type: keyType(blob), md5: md5Fingerprint(blob), sha256: sha256Fingerprint(blob), key: blob };
}
