/**
 * OpenSSH `known_hosts` files, for verifying the host key a server presents.
 *
 * Implements the format described in sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT":
 * `[marker] hostpatterns keytype base64key [comment]`, with comma-separated
 * pattern lists, `*`/`?` wildcards, `!` negation, hashed host names
 * (`|1|salt|hash`, as written by `ssh-keygen -H`) and the `@revoked` marker.
 * `@cert-authority` lines are recorded but trust nothing: host certificates are not supported
 * (the `ssh2` package cannot verify them), so a host trusted only through such a line is refused
 * with a message that says so ({@link KnownHosts.certAuthorityFor}).
 *
 * @module
 */

import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { keyType } from './host-key.js';

/**
 * Verdict of {@link KnownHosts.check} for a presented host key:
 * - `'known'`: an entry for the host lists exactly this key;
 * - `'changed'`: the host has entries, but none with this key (possible attack);
 * - `'revoked'`: a `@revoked` entry for the host lists this key;
 * - `'unknown'`: no entry applies to the host.
 */
export type HostKeyStatus = 'known' | 'changed' | 'revoked' | 'unknown';

/** A known_hosts line that was skipped because it could not be parsed. */
export interface KnownHostsWarning {
  /** Where the line came from: the file name, or the `source` given to {@link KnownHosts.add}. */
  source: string;
  /** 1-based line number within that source. */
  line: number;
  /** Why the line was skipped. */
  message: string;
}

/** Options for {@link KnownHosts.load} and {@link KnownHosts.loadSync}. */
export interface KnownHostsLoadOptions {
  /** Treat a missing file (`ENOENT`) as empty instead of failing. Default `false`. */
  ignoreMissing?: boolean;
}

interface Entry {
  revoked: boolean;
  matches: (name: string) => boolean;
  type: string;
  key: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A set of known_hosts entries, accumulated from one or more files or strings.
 *
 * Verdict rules of {@link KnownHosts.check}, in order:
 * 1. if a `@revoked` entry for the host lists the presented key → `'revoked'`
 *    (this wins even if another line lists the same key as known);
 * 2. if an (unmarked) entry for the host lists exactly this key (same key type
 *    and identical key bytes) → `'known'`;
 * 3. if any other unmarked entry exists for the host → `'changed'`. This is
 *    deliberately stricter than OpenSSH, which ignores known keys of a
 *    *different* key type; here any other key on record for the host counts;
 * 4. otherwise → `'unknown'`.
 *
 * `@revoked` entries never make a host `'changed'`; `@cert-authority` lines take
 * no part in the verdict (see {@link KnownHosts.certAuthorityFor}). Malformed lines are skipped, not fatal: each is recorded in
 * {@link KnownHosts.warnings} (and counted by {@link KnownHosts.skipped}).
 */
export class KnownHosts {
  readonly #entries: Entry[] = [];
  /** Host matchers of `@cert-authority` lines. */
  readonly #authorities: ((name: string) => boolean)[] = [];
  readonly #warnings: KnownHostsWarning[] = [];

  /**
   * Parse known_hosts text and add its entries. May be called several times;
   * entries accumulate.
   *
   * @param text - Contents of a known_hosts file.
   * @param source - Name used for this text in {@link KnownHosts.warnings}. Default `'<string>'`.
   */
  add(text: string, source = '<string>'): void {
    text.split(/\r?\n/).forEach((line, index) => {
      const problem = this.#addLine(line);
      if (problem !== undefined) this.#warnings.push({ source, line: index + 1, message: problem });
    });
  }

  /**
   * Read a known_hosts file and add its entries.
   *
   * @param filename - Path of the file.
   * @param options - `ignoreMissing: true` makes a missing file a no-op.
   * @throws The file system error (e.g. `ENOENT`) if the file cannot be read.
   */
  async load(filename: string, options: KnownHostsLoadOptions = {}): Promise<void> {
    let text: string;
    try {
      text = await readFile(filename, 'utf8');
    } catch (err) {
      if (options.ignoreMissing && isMissing(err)) return;
      throw err;
    }
    this.add(text, filename);
  }

  /**
   * Synchronous version of {@link KnownHosts.load}.
   *
   * @param filename - Path of the file.
   * @param options - `ignoreMissing: true` makes a missing file a no-op.
   * @throws The file system error (e.g. `ENOENT`) if the file cannot be read.
   */
  loadSync(filename: string, options: KnownHostsLoadOptions = {}): void {
    let text: string;
    try {
      text = readFileSync(filename, 'utf8');
    } catch (err) {
      if (options.ignoreMissing && isMissing(err)) return;
      throw err;
    }
    this.add(text, filename);
  }

  /**
   * Verdict for the key that a server at `host:port` presented.
   *
   * As in OpenSSH, the name looked up is `host` for port 22 and `[host]:port`
   * for any other port, lowercased. So a plain `host` entry does not match
   * port 830; only `[host]:830` does. IPv6 literals are given bare (`::1`);
   * surrounding brackets are accepted and removed.
   *
   * @param host - Host name or IP address, as used to connect.
   * @param port - TCP port, 1 to 65535.
   * @param blob - The presented public key in SSH wire format.
   * @returns See {@link HostKeyStatus} and the rules in the class description.
   * @throws RangeError for an invalid port; TypeError for an empty host or a malformed key blob.
   */
  check(host: string, port: number, blob: Buffer): HostKeyStatus {
    const name = hostName(host, port);
    const type = keyType(blob);
    let status: HostKeyStatus = 'unknown';
    for (const entry of this.#entries) {
      if (!entry.matches(name)) continue;
      const same = entry.type === type && entry.key.equals(blob);
      if (entry.revoked) {
        if (same) return 'revoked';
      } else if (same) {
        status = 'known';
      } else if (status === 'unknown') {
        status = 'changed';
      }
    }
    return status;
  }

  /**
   * True when a `@cert-authority` line covers `host:port`. Such a line trusts host certificates
   * signed by that CA, which this library cannot verify: a caller can then explain why a host
   * that the user believes trusted is refused.
   */
  certAuthorityFor(host: string, port: number): boolean {
    const name = hostName(host, port);
    return this.#authorities.some((matches) => matches(name));
  }

  /** Number of entries held (revoked ones included; skipped and `@cert-authority` lines excluded). */
  get size(): number {
    return this.#entries.length;
  }

  /** Malformed lines that were skipped, in the order met. */
  get warnings(): readonly KnownHostsWarning[] {
    return this.#warnings;
  }

  /** Number of malformed lines skipped (`warnings.length`). */
  get skipped(): number {
    return this.#warnings.length;
  }

  /** Add one line; returns a reason if the line is malformed, else undefined. */
  #addLine(line: string): string | undefined {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]?.startsWith('#')) return undefined;

    let revoked = false;
    let authority = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@cert-authority') authority = true;
      else if (marker === '@revoked') revoked = true;
      else return `unknown marker ${marker}`;
    }
    const [hosts, type, encoded] = fields;
    if (hosts === undefined || type === undefined || encoded === undefined) {
      return 'expected: [marker] hostpatterns keytype base64key [comment]';
    }
    if (!BASE64.test(encoded)) return 'key is not valid base64';
    const key = Buffer.from(encoded, 'base64');
    let blobType: string;
    try {
      blobType = keyType(key);
    } catch (err) {
      return (err as Error).message;
    }
    if (blobType !== type) return `key type field ${type} does not match key blob type ${blobType}`;

    const matches = hosts.startsWith('|') ? hashedMatcher(hosts) : patternMatcher(hosts);
    if (typeof matches === 'string') return matches;
    if (authority) this.#authorities.push(matches);
    else this.#entries.push({ revoked, matches, type, key });
    return undefined;
  }
}

/**
 * Default known_hosts files of the current user: `~/.ssh/known_hosts`, and on
 * Windows also `~/ssh/known_hosts`. Files are not checked for existence; load
 * them with `ignoreMissing: true`.
 *
 * @param platform - Platform to answer for. Default `process.platform`.
 * @param home - Home directory. Default `os.homedir()`.
 */
export function defaultKnownHostsFiles(platform: NodeJS.Platform = process.platform, home: string = homedir()): string[] {
  const files = [join(home, '.ssh', 'known_hosts')];
  if (platform === 'win32') files.push(join(home, 'ssh', 'known_hosts'));
  return files;
}

/**
 * The known_hosts line that trusts `key` for `host:port`, as OpenSSH writes it (not hashed):
 * `host type base64` for port 22, `[host]:port type base64` otherwise.
 */
export function knownHostsLine(host: string, port: number, key: { type: string; key: Buffer }): string {
  return `${hostName(host, port)} ${key.type} ${key.key.toString('base64')}`;
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

/** The name OpenSSH looks up: `host` for port 22, else `[host]:port`; lowercased. */
function hostName(host: string, port: number): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid port ${port}`);
  const bare = (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
  if (bare === '') throw new TypeError('empty host name');
  return port === 22 ? bare : `[${bare}]:${port}`;
}

/** Matcher for a hashed host field `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. */
function hashedMatcher(field: string): ((name: string) => boolean) | string {
  const parts = field.split('|');
  const [, magic, salt64, hash64] = parts;
  if (parts.length !== 4 || magic !== '1' || salt64 === undefined || hash64 === undefined) {
    return 'unsupported hashed host name (expected |1|salt|hash)';
  }
  if (!BASE64.test(salt64) || !BASE64.test(hash64)) return 'hashed host name is not valid base64';
  const salt = Buffer.from(salt64, 'base64');
  const hash = Buffer.from(hash64, 'base64');
  if (hash.length !== 20) return 'hashed host name has wrong hash length';
  return (name) => createHmac('sha1', salt).update(name).digest().equals(hash);
}

/**
 * Matcher for a comma-separated pattern list with `*`, `?` and `!negation`,
 * case-insensitive. The entry applies if some positive pattern matches and no
 * negated pattern does.
 */
function patternMatcher(list: string): (name: string) => boolean {
  const patterns = list.split(',').map((raw) => {
    const negated = raw.startsWith('!');
    const glob = (negated ? raw.slice(1) : raw).toLowerCase();
    const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return { negated, regex: new RegExp(`^${source}$`, 's') };
  });
  return (name) => {
    let matched = false;
    for (const { negated, regex } of patterns) {
      if (!regex.test(name)) continue;
      if (negated) return false;
      matched = true;
    }
    return matched;
  };
}

function isMissing(err: unknown): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
