/**
 * Whether to trust the host key an SSH server presents: a pinned key, else known_hosts (with
 * ssh_config's `HostKeyAlias` and `StrictHostKeyChecking`), else the caller's callback.
 * @module
 */
import { SSHError, SSHUnknownHostError, type HopInfo } from './errors.js';
import { hostKeyInfo, type HostKeyInfo } from './host-key.js';
import { appendKnownHost, knownHostsLine, type KnownHosts } from './known-hosts.js';

/**
 * Decides whether to trust a host key that no known_hosts entry lists.
 *
 * @param host - the name the key is looked up under in known_hosts: the host connected to (after
 *   ssh_config's `HostName`; a jump host's for a jump host), or its `HostKeyAlias`
 * @param fingerprint - MD5 fingerprint of the key, colon-delimited hex (`4b:69:6c:…`), the form
 *   `ssh-keygen -l -E md5` prints after `MD5:`
 * @param key - the key's type, its SHA256 fingerprint in OpenSSH's form and the raw key
 * @returns true to accept the key (for this connection only), false to refuse it. May be async,
 *   e.g. to ask a person.
 */
export type UnknownHostCallback = (host: string, fingerprint: string, key: HostKeyInfo) => boolean | Promise<boolean>;

/** The default {@link UnknownHostCallback}: refuses every unknown host key. */
export function defaultUnknownHostCb(_host: string, _fingerprint: string): boolean {
  return false;
}

/**
 * OpenSSH's `StrictHostKeyChecking`, as the library applies it to a key no known_hosts entry
 * lists (a changed or revoked key is refused in every mode but `'no'`):
 * - `'yes'`: the {@link UnknownHostCallback} decides (by default: refused);
 * - `'accept-new'`: accepted and appended to the first known_hosts file;
 * - `'no'`: every key accepted, changed ones too (no verification at all).
 */
export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';

/** The host-key rules of one SSH connection. */
export interface HostKeyPolicy {
  /** False: accept any key (`hostkeyVerify: false`, or `StrictHostKeyChecking no`). */
  verify: boolean;
  /** Accept exactly this key (SSH wire format) and nothing else; known_hosts is not consulted. */
  pinned: Buffer | undefined;
  knownHosts: KnownHosts;
  /** The name and port looked up in known_hosts (`HostKeyAlias`: the alias, port 22). */
  lookup: { host: string; port: number };
  strict: 'yes' | 'accept-new';
  /** Where `accept-new` writes; undefined (`UserKnownHostsFile none`): the key is accepted for this connection only. */
  acceptNewFile: string | undefined;
  unknownHostCb: UnknownHostCallback;
  /** Set by the verifier: the key the server presented. */
  presented?: HostKeyInfo;
}

/**
 * An ssh2 `hostVerifier` (the `(key, verify)` form) applying `policy` to the server at
 * `host:port`. A refusal is handed to `refused` before `verify(false)`: ssh2 then only says
 * that verification failed.
 */
export function hostVerifier(
  policy: HostKeyPolicy,
  server: { host: string; port: number; hop: HopInfo | undefined },
  refused: (error: SSHError) => void,
  note: (line: string) => void,
): (key: Buffer, verify: (valid: boolean) => void) => void {
  const { host, port, hop } = server;
  const where = `${host}:${port}`;
  const errorOptions = hop ? { hop, port } : { port };
  const reject = (info: HostKeyInfo, reason: 'unknown' | 'changed' | 'revoked', message?: string): void => {
    refused(new SSHUnknownHostError(host, info.md5, reason, message, info, errorOptions));
  };
  return (key, verify) => {
    let info: HostKeyInfo;
    try {
      info = hostKeyInfo(key);
    } catch (err) {
      if (!policy.verify) return verify(true);
      refused(new SSHError(`Server at ${where} presented a malformed host key: ${(err as Error).message}`, hop ? { hop } : undefined));
      return verify(false);
    }
    policy.presented = info;
    if (!policy.verify) return verify(true);
    if (policy.pinned) {
      if (policy.pinned.equals(key)) return verify(true);
      reject(info, 'changed', `Host key of ${where} (${info.type} ${info.sha256}) is not the pinned key: refusing to connect`);
      return verify(false);
    }
    const { lookup } = policy;
    const status = policy.knownHosts.check(lookup.host, lookup.port, key);
    if (status === 'known') return verify(true);
    if (status === 'changed' || status === 'revoked') {
      reject(info, status);
      return verify(false);
    }
    if (policy.strict === 'accept-new') {
      const file = policy.acceptNewFile;
      const line = knownHostsLine(lookup.host, lookup.port, info);
      if (file !== undefined) {
        try {
          appendKnownHost(file, line);
        } catch (err) {
          reject(info, 'unknown', `Unknown host key for ${where} (${info.type} ${info.sha256}): StrictHostKeyChecking accept-new could not write ${file}: ${(err as Error).message}`);
          return verify(false);
        }
      }
      policy.knownHosts.add(line, file ?? '<accept-new>');
      note(`accepted the new ${info.type} host key of ${where} (${info.sha256}), ${file === undefined ? 'for this connection only (no known_hosts file to add it to)' : `added to ${file}`}`);
      return verify(true);
    }
    const certOnly = policy.knownHosts.certAuthorityFor(lookup.host, lookup.port);
    const unknownMessage = certOnly
      ? `Host key for ${where} (${info.type} ${info.sha256}) is trusted only through a @cert-authority line in known_hosts: host certificates are not supported (the ssh2 library cannot verify them); add the host's own key to known_hosts to connect`
      : undefined;
    Promise.resolve()
      .then(() => policy.unknownHostCb(lookup.host, info.md5, info))
      .then(
        (accepted) => {
          if (accepted !== true) reject(info, 'unknown', unknownMessage);
          verify(accepted === true);
        },
        (err: unknown) => {
          reject(info, 'unknown', `unknownHostCb failed for ${host}: ${String(err)}`);
          verify(false);
        },
      );
  };
}
