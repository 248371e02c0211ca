/**
 * Host-key policy of the `netconf` command:
 *
 * - default: a key listed in known_hosts (`~/.ssh/known_hosts` plus every `--known-hosts FILE`)
 *   is accepted; anything else is refused.
 * - `--accept-new`: an *unknown* key is accepted and appended to the first `--known-hosts` file
 *   (else `~/.ssh/known_hosts`; created with its directory when missing) as OpenSSH writes it:
 *   `[host]:port type base64` (`host type base64` for port 22), not hashed. A *changed* or
 *   `@revoked` key is never accepted.
 * - `--insecure-accept-any-host-key`: no verification at all, with a warning on stderr.
 * @module
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultKnownHostsFiles, type HostKeyInfo } from '../index.js';

/** How OpenSSH names a host in known_hosts: `host` for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The known_hosts line accepting `key` for `host:port`. */
export function knownHostsLine(host: string, port: number, key: HostKeyInfo): string {
  return `${knownHostsName(host, port)} ${key.type} ${key.key.toString('base64')}`;
}

/** Where `--accept-new` writes: the first `--known-hosts` file, else the user's default. */
export function acceptNewTarget(knownHostsFiles: readonly string[]): string {
  return knownHostsFiles[0] ?? defaultKnownHostsFiles()[0] ?? '.ssh/known_hosts';
}

/**
 * Append a line to a known_hosts file, creating the file (mode 600) and its directory (700) when
 * missing, and starting on a new line when the file does not end with one.
 */
export function appendKnownHost(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) prefix = '\n';
  }
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
}
