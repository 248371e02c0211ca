import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { debuglog } from 'node:util';
import ssh2, { type AnyAuthMethod, type Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { AuthenticationError, SSHError, SSHUnknownHostError } from './errors.js';
import { TransportError } from '../errors.js';
import { hostKeyInfo, type HostKeyInfo } from './host-key.js';
import { defaultKnownHostsFiles, KnownHosts } from './known-hosts.js';
import { Session, type SessionOptions } from './session.js';

// ssh2 is CommonJS: Node gives ESM only its default export.
const { Client: SSHClient, utils } = ssh2;
const debug = debuglog('netconf');

/** The IANA port of NETCONF over SSH (RFC 6242). */
export const NETCONF_SSH_PORT = 830;

/**
 * Decides whether to trust a host key that no known_hosts entry lists.
 *
 * @param host - the host name as given to `connect()`
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

/** Options of {@link SSHSession.connect}. Timeouts are in seconds, as in ncclient. */
export interface SSHConnectOptions extends SessionOptions {
  /** Host name or address of the server. */
  host: string;
  /** TCP port; default 830. */
  port?: number;
  /**
   * Seconds allowed for the TCP connection, the SSH handshake and authentication; also bounds
   * the hello exchange unless {@link SessionOptions.helloTimeout} is given. Default 30.
   */
  timeout?: number;
  /** User name; default the user running the process. */
  username?: string;
  /**
   * Password for `password` and `keyboard-interactive` authentication, and the passphrase of
   * encrypted private keys. Never logged or put in an error message.
   */
  password?: string;
  /** Private key file(s) to authenticate with, tried in order (any type OpenSSH writes). */
  keyFilename?: string | readonly string[];
  /** Use the SSH agent at `SSH_AUTH_SOCK` (or {@link agent}); default true. */
  allowAgent?: boolean;
  /** Path of the agent socket (Windows: `pageant` or a pipe name); default `SSH_AUTH_SOCK`. */
  agent?: string;
  /** Try `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa` when they exist; default true. */
  lookForKeys?: boolean;
  /** Verify the server's host key (known_hosts, then {@link unknownHostCb}); default true. */
  hostkeyVerify?: boolean;
  /** Called for a host key no known_hosts entry lists; default {@link defaultUnknownHostCb}. */
  unknownHostCb?: UnknownHostCallback;
  /** Seconds between SSH keepalive messages; 0 or absent: none. */
  keepalive?: number;
  /** An already connected socket or stream to run SSH over (a proxy, a jump host's channel). */
  sock?: Duplex;
}

/** One authentication attempt, described without secrets. */
type Attempt = { label: string; next: (username: string) => AnyAuthMethod };

const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function seconds(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number of seconds, got ${String(value)}`);
  }
  return value;
}

/**
 * A NETCONF session over SSH (RFC 6242), on the `ssh2` package: the `netconf` subsystem of an SSH
 * connection. Mirrors ncclient's `SSHSession`.
 *
 * ```ts
 * const session = new SSHSession();
 * session.loadKnownHosts();
 * await session.connect({ host: 'router1', username: 'admin', password: process.env.NC_PASSWORD });
 * console.log(session.id, [...session.serverCapabilities]);
 * await session.close();
 * ```
 */
export class SSHSession extends Session {
  readonly #knownHosts = new KnownHosts();
  #loadedKnownHosts = false;
  #client: Client | undefined;
  #clientClosed = false;

  /** The underlying `ssh2` client (keepalive, extra channels …); undefined before `connect()`. */
  get transport(): Client | undefined {
    return this.#client;
  }

  /** The known_hosts entries loaded so far. */
  get knownHosts(): KnownHosts {
    return this.#knownHosts;
  }

  /**
   * Load host keys from an OpenSSH `known_hosts` file; callable several times (entries add up).
   * Without a file name, loads `~/.ssh/known_hosts` (and `~/ssh/known_hosts` on Windows), where
   * they exist. A file named explicitly must exist.
   */
  loadKnownHosts(filename?: string): void {
    if (filename === undefined) {
      for (const file of defaultKnownHostsFiles()) this.#knownHosts.loadSync(file, { ignoreMissing: true });
    } else {
      this.#knownHosts.loadSync(filename);
    }
    this.#loadedKnownHosts = true;
  }

  /**
   * Connect, authenticate, open the `netconf` subsystem and run the hello exchange.
   *
   * Authentication tries public keys first (agent, `keyFilename`, then the default key files),
   * then the password (`password`, then `keyboard-interactive`). With `allowAgent` and
   * `lookForKeys` both false, only `keyFilename` keys are tried.
   *
   * When host-key verification is on and no known_hosts file was loaded, the default files are
   * loaded first (as `ssh` does). A host key listed for the host is accepted; a different or
   * revoked one is refused whatever `unknownHostCb` would say; an unlisted one is put to
   * `unknownHostCb`.
   *
   * @throws - {@link SSHUnknownHostError} when the host key is refused,
   *   {@link AuthenticationError} when every authentication method fails,
   *   {@link SSHError} for connection and SSH failures, {@link HelloError} for a failed hello.
   */
  async connect(options: SSHConnectOptions): Promise<void> {
    if (this.#client) throw new TransportError('SSHSession.connect() can be called once per session');
    const { host } = options;
    if (typeof host !== 'string' || host.length === 0) throw new TypeError('connect() needs a host');
    const port = options.port ?? NETCONF_SSH_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`port must be an integer from 1 to 65535, got ${String(port)}`);
    const timeout = seconds(options.timeout, 'timeout', 30);
    const helloTimeout = seconds(options.helloTimeout, 'helloTimeout', timeout);
    const keepalive = options.keepalive ?? 0;
    const username = options.username ?? userInfo().username;
    const hostkeyVerify = options.hostkeyVerify ?? true;
    const unknownHostCb = options.unknownHostCb ?? defaultUnknownHostCb;
    const where = `${host}:${port}`;
    const peer = `${username}@${where}`;
    const attempts = this.#authAttempts(options);
    if (hostkeyVerify && !this.#loadedKnownHosts) this.loadKnownHosts();

    const client = new SSHClient();
    this.#client = client;
    const tried: string[] = [];
    let hostKeyError: Error | undefined;
    let ready = false;

    const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
      // The (key, verify) form: ssh2 takes any other return value, a Promise included, as a verdict.
      if (!hostkeyVerify) return verify(true);
      let info: HostKeyInfo;
      try {
        info = hostKeyInfo(key);
      } catch (err) {
        hostKeyError = new SSHError(`Server at ${where} presented a malformed host key: ${(err as Error).message}`);
        return verify(false);
      }
      const status = this.#knownHosts.check(host, port, key);
      if (status === 'known') return verify(true);
      if (status === 'changed' || status === 'revoked') {
        hostKeyError = new SSHUnknownHostError(host, info.md5, status, undefined, info);
        return verify(false);
      }
      Promise.resolve()
        .then(() => unknownHostCb(host, info.md5, info))
        .then(
          (accepted) => {
            if (accepted !== true) hostKeyError = new SSHUnknownHostError(host, info.md5, 'unknown', undefined, info);
            verify(accepted === true);
          },
          (err: unknown) => {
            hostKeyError = new SSHUnknownHostError(host, info.md5, 'unknown', `unknownHostCb failed for ${host}: ${String(err)}`, info);
            verify(false);
          },
        );
    };

    const config: ConnectConfig = {
      host,
      port,
      username,
      readyTimeout: timeout * 1000,
      hostVerifier,
      keepaliveInterval: keepalive > 0 ? keepalive * 1000 : 0,
      authHandler: (methodsLeft: string[] | null, _partialSuccess, nextAuth) => {
        // ssh2 accepts false ("no more methods") though its type declarations omit it.
        const next = nextAuth as (auth: AnyAuthMethod | false) => void;
        for (;;) {
          const attempt = attempts.shift();
          if (!attempt) return next(false);
          const auth = attempt.next(username);
          // On the first call ssh2 passes null: every method is still possible.
          if (methodsLeft && !methodsLeft.includes(auth.type === 'agent' ? 'publickey' : auth.type)) continue;
          tried.push(attempt.label);
          return next(auth);
        }
      },
    };
    if (options.sock) config.sock = options.sock;

    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        void this.close();
        reject(err);
      };
      client.on('error', (err: Error & { level?: string }) => {
        debug('ssh error from %s (%s): %s', where, err.level, err.message);
        if (ready) return; // after the handshake, the session sees the channel close
        fail(this.#describeError(err, hostKeyError, peer, where, timeout, tried));
      });
      client.on('close', () => {
        this.#clientClosed = true;
        if (!ready) fail(hostKeyError ?? new SSHError(`Connection to ${where} closed during the SSH handshake`));
      });
      client.on('ready', () => {
        ready = true;
        // NETCONF is request/response: Nagle's algorithm would hold small RPCs back for ~40 ms.
        client.setNoDelay(true);
        client.subsys('netconf', (err: Error | undefined, channel: ClientChannel) => {
          if (err) {
            fail(new SSHError(`Server at ${where} refused the netconf subsystem: ${err.message}`));
            return;
          }
          this.startSession(channel, peer, { ...options, helloTimeout }).then(resolve, reject);
        });
      });
      client.connect(config);
    });
  }

  #describeError(err: Error & { level?: string }, hostKeyError: Error | undefined, peer: string, where: string, timeout: number, tried: string[]): Error {
    if (hostKeyError) return hostKeyError;
    switch (err.level) {
      case 'client-authentication':
        return new AuthenticationError(`Authentication failed for ${peer} (tried: ${tried.length ? tried.join(', ') : 'no method available'})`);
      case 'client-timeout':
        return new SSHError(`Timed out after ${timeout} s connecting to ${where}`, { cause: err });
      case 'client-socket':
        return new SSHError(`Could not connect to ${where}: ${err.message}`, { cause: err });
      default:
        return new SSHError(`SSH failure with ${where}: ${err.message}`, { cause: err });
    }
  }

  /** The authentication attempts to make, in order: keys first, then the password. */
  #authAttempts(options: SSHConnectOptions): Attempt[] {
    const attempts: Attempt[] = [];
    const { password } = options;
    const agent = options.agent ?? process.env['SSH_AUTH_SOCK'];
    if ((options.allowAgent ?? true) && agent) {
      attempts.push({ label: 'agent', next: (username) => ({ type: 'agent', username, agent }) });
    }
    const explicit = options.keyFilename === undefined ? [] : typeof options.keyFilename === 'string' ? [options.keyFilename] : [...options.keyFilename];
    for (const file of explicit) {
      let key: Buffer;
      try {
        key = readFileSync(file);
      } catch (err) {
        throw new SSHError(`Cannot read private key ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const parsed = utils.parseKey(key, password);
      if (parsed instanceof Error) throw new SSHError(`Cannot load private key ${file}: ${parsed.message}`);
      attempts.push(this.#keyAttempt(file, key, password));
    }
    if (options.lookForKeys ?? true) {
      for (const name of DEFAULT_KEY_FILES) {
        const file = join(homedir(), '.ssh', name);
        if (explicit.includes(file)) continue;
        let key: Buffer;
        try {
          key = readFileSync(file);
        } catch {
          continue; // absent or unreadable default keys are simply not tried
        }
        if (!(utils.parseKey(key, password) instanceof Error)) attempts.push(this.#keyAttempt(file, key, password));
      }
    }
    if (password !== undefined) {
      attempts.push({ label: 'password', next: (username) => ({ type: 'password', username, password }) });
      attempts.push({
        label: 'keyboard-interactive',
        next: (username) => ({
          type: 'keyboard-interactive',
          username,
          prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
        }),
      });
    }
    return attempts;
  }

  #keyAttempt(file: string, key: Buffer, passphrase: string | undefined): Attempt {
    return {
      label: `publickey ${file}`,
      next: (username) => (passphrase === undefined ? { type: 'publickey', username, key } : { type: 'publickey', username, key, passphrase }),
    };
  }

  protected override closeTransport(): Promise<void> {
    const client = this.#client;
    if (!client || this.#clientClosed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        client.destroy();
        resolve();
      }, 2000);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      client.end();
    });
  }
}

/**
 * True when `ssh2`'s native crypto binding was built on install. Without it AES-GCM and
 * ChaCha20-Poly1305 run in pure JavaScript, about 2.4 times slower, and ssh2 gives no warning.
 * (The binding is built by ssh2's install script; installing with `--ignore-scripts` skips it.)
 */
export function sshNativeCryptoAvailable(): boolean {
  try {
    const crypto = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as { bindingAvailable?: unknown };
    return crypto.bindingAvailable === true;
  } catch {
    return false;
  }
}
