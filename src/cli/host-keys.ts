/**
 * Host-key policy of the `netconf` command (the library applies it; this module holds what the
 * command still needs for its messages):
 *
 * - default: a key listed in known_hosts (every `--known-hosts FILE`, plus ssh_config's
 *   `UserKnownHostsFile`, else `~/.ssh/known_hosts`) is accepted; anything else is refused, and
 *   the message shows the key and the known_hosts line that would accept it.
 * - `--accept-new` (the library's `strictHostKeyChecking: 'accept-new'`): an *unknown* key is
 *   accepted and appended to the first `--known-hosts` file (else the first `UserKnownHostsFile`,
 *   else `~/.ssh/known_hosts`; created with its directory when missing) as OpenSSH writes it:
 *   `[host]:port type base64` (`host type base64` for port 22), not hashed. A *changed* or
 *   `@revoked` key is never accepted. Jump hosts follow the same policy.
 * - `--insecure-accept-any-host-key`: no verification at all, with a warning on stderr.
 *
 * A `--known-hosts` file that does not exist counts as empty, as OpenSSH treats
 * `UserKnownHostsFile` (see connection.ts).
 * @module
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultKnownHostsFiles, type ResolvedSSHConfig } from '../index.js';

/** How OpenSSH names a host in known_hosts: `host` for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * Where `--accept-new` writes, as the library decides: the first `--known-hosts` file, else the
 * first `UserKnownHostsFile` of the host's ssh_config entry, else the user's default.
 */
export function acceptNewTarget(knownHostsFiles: readonly string[], config?: ResolvedSSHConfig): string {
  return knownHostsFiles[0] ?? config?.userKnownHostsFiles?.[0] ?? defaultKnownHostsFiles()[0] ?? '.ssh/known_hosts';
}

/** Create an empty known_hosts file (mode 600) and its directory (700) when missing. */
export function createKnownHostsFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, '', { mode: 0o600 });
}

/** The first known_hosts file with a plain entry for the host (where a stale key is to be removed). */
export function fileListing(host: string, port: number, files: readonly string[]): string | undefined {
  const name = knownHostsName(host, port).toLowerCase();
  return files.find((file) => {
    try {
      return readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => line.trim().replace(/^@\S+\s+/, '').split(/\s/)[0]?.toLowerCase().split(',').includes(name));
    } catch {
      return false;
    }
  });
}
