import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import { debuglog } from 'node:util';
import type { Client, ClientChannel } from 'ssh2';
import { TransportError } from '../errors.js';
import { SSHError } from './errors.js';
import type { HostKeyInfo } from './host-key.js';
import { defaultKnownHostsFiles, KnownHosts } from './known-hosts.js';
import { ProxyProcess } from './proxy-command.js';
import { endClient, endpointName, forwardThrough, newClient, openSSHConnection, type SSHEndpoint } from './ssh-connection.js';
import type { SSHConnectOptions } from './ssh-options.js';
import { planRoute } from './ssh-route.js';
import { Session } from './session.js';

const debug = debuglog('netconf');

/**
 * A NETCONF session over SSH (RFC 6242), on the `ssh2` package: the `netconf` subsystem of an SSH
 * connection, reached directly, through jump hosts or through a proxy command, as the OpenSSH
 * client configuration says. Mirrors ncclient's `SSHSession`.
 *
 * ```ts
 * const session = new SSHSession();
 * await session.connect({ host: 'router1', username: 'admin', password: process.env.NC_PASSWORD });
 * console.log(session.id, [...session.serverCapabilities]);
 * await session.close();
 * ```
 */
export class SSHSession extends Session {
  readonly #knownHosts = new KnownHosts();
  #loadedKnownHosts = false;
  /** Every SSH connection made, jump hosts first; the last one carries the session. */
  readonly #clients: Client[] = [];
  /** Every ssh2 client created by `connect()`, also those still in their handshake (to abort them). */
  readonly #created: Client[] = [];
  #proxy: ProxyProcess | undefined;
  /** The NETCONF server's client, created when `connect()` starts. */
  #client: Client | undefined;
  #target: SSHEndpoint | undefined;

  /**
   * The `ssh2` client of the connection to the NETCONF server (not a jump host's), there from the
   * moment `connect()` is called (to listen to its events); undefined before.
   */
  get transport(): Client | undefined {
    return this.#client;
  }

  /** The host key the NETCONF server presented (type, fingerprints, blob), once the SSH handshake is done. */
  get hostKey(): HostKeyInfo | undefined {
    return this.#target?.hostKey.presented;
  }

  /** The known_hosts entries loaded so far (for the NETCONF server). */
  get knownHosts(): KnownHosts {
    return this.#knownHosts;
  }

  /**
   * Load host keys from an OpenSSH `known_hosts` file; callable several times (entries add up).
   * Without a file name, loads `~/.ssh/known_hosts` (and `~/ssh/known_hosts` on Windows), where
   * they exist. A file named explicitly must exist. Once called, `connect()` uses these entries
   * only (for the server and for jump hosts), not the `knownHostsFile` option nor ssh_config's
   * `UserKnownHostsFile`.
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
   * The host is first looked up in the ssh_config file ({@link SSHConnectOptions.sshConfig}), as
   * `ssh` does; options given here beat the file. Then, in order: the proxy command is started,
   * each jump host is connected (through the previous one), and the server itself.
   *
   * Authentication, for each connection, tries the named private keys (`keyFilename`, then
   * ssh_config's `IdentityFile`) first, then the agent, then the default key files, then the
   * password (`password`, then `keyboard-interactive`); with `identitiesOnly` only the named
   * keys and the password.
   *
   * A host key listed for the host in known_hosts is accepted; a different or revoked one is
   * refused; an unlisted one is put to `unknownHostCb` (or accepted and saved under
   * `strictHostKeyChecking: 'accept-new'`). Jump hosts are checked the same way.
   *
   * @throws - {@link SSHUnknownHostError} when a host key is refused,
   *   {@link AuthenticationError} when every authentication method fails,
   *   {@link SSHError} for connection and SSH failures (with `hop` set when a jump host failed),
   *   {@link ProxyCommandError} when the proxy command ends before the connection is made,
   *   {@link HelloError} for a failed hello.
   */
  async connect(options: SSHConnectOptions): Promise<void> {
    if (this.#client) throw new TransportError('SSHSession.connect() can be called once per session');
    const targetClient = newClient();
    this.#client = targetClient;
    this.#created.push(targetClient);
    const log = options.log;
    const note = (line: string): void => {
      debug('%s', line);
      log?.(line);
    };
    const route = planRoute(options, { knownHosts: this.#knownHosts, loadedByCaller: this.#loadedKnownHosts }, note);
    const { target } = route;
    this.#target = target;
    const helloTimeout = options.helloTimeout ?? target.timeout;
    await this.connecting(options.signal, `${target.host}:${target.port}`, () => this.#connectRoute(route, targetClient, note, { ...options, helloTimeout }));
  }

  /** The proxy command, each jump host, the server, its `netconf` subsystem, the hello. */
  async #connectRoute(route: ReturnType<typeof planRoute>, targetClient: Client, note: (line: string) => void, options: SSHConnectOptions): Promise<void> {
    const { target } = route;
    try {
      let sock: Duplex | undefined = options.sock;
      if (route.proxyCommand !== undefined) {
        this.#proxy = new ProxyProcess(route.proxyCommand);
        note(`proxy command started (pid ${String(this.#proxy.pid)}): ${route.proxyCommand}`);
        sock = this.#proxy.stream;
      }
      const endpoints = [...route.hops, target];
      for (const [index, endpoint] of endpoints.entries()) {
        const fresh = endpoint === target ? targetClient : newClient();
        if (fresh !== targetClient) this.#created.push(fresh);
        const client = await this.#open(endpoint, sock, note, fresh);
        const next = endpoints[index + 1];
        if (next) {
          sock = await forwardThrough(client, endpoint, next.host, next.port);
          note(`${endpointName(endpoint)}: forwarding to ${next.host}:${next.port}`);
        }
      }
      const channel = await new Promise<ClientChannel>((resolve, reject) => {
        targetClient.subsys('netconf', (err: Error | undefined, stream: ClientChannel) => {
          if (err) reject(new SSHError(`Server at ${target.host}:${target.port} refused the netconf subsystem: ${err.message}`));
          else resolve(stream);
        });
      });
      await this.startSession(channel, endpointName(target), options);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Connect one endpoint; after that, a failure of its connection ends the session. */
  async #open(endpoint: SSHEndpoint, sock: Duplex | undefined, note: (line: string) => void, fresh: Client): Promise<Client> {
    let client: Client;
    try {
      client = await openSSHConnection(endpoint, sock, note, fresh);
    } catch (err) {
      // the proxy command died first: that is the news, not the handshake it cut short
      const proxyFailure = sock !== undefined && sock === this.#proxy?.stream ? await this.#proxy.failure(500) : undefined;
      throw proxyFailure ?? err;
    }
    this.#clients.push(client);
    const name = endpointName(endpoint);
    client.on('error', (err: Error & { level?: string }) => {
      note(`${name}: ${err.message}`);
      const what = err.message === 'Keepalive timeout' ? `no answer to ${endpoint.keepaliveCountMax} keepalives sent every ${endpoint.keepalive} s` : err.message;
      this.transportLost(new SSHError(`${name}: ${what}`, endpoint.hop ? { hop: endpoint.hop, cause: err } : { cause: err }));
    });
    client.on('close', () => {
      if (endpoint.hop) this.transportLost(new SSHError(`${name}: connection closed`, { hop: endpoint.hop }));
    });
    return client;
  }

  protected override abortTransport(): void {
    for (const client of this.#created) client.destroy();
    void this.#proxy?.stop();
    super.abortTransport();
  }

  protected override async closeTransport(): Promise<void> {
    // the server's connection first, then each jump host, then the proxy command
    for (const client of [...this.#clients].reverse()) await endClient(client);
    await this.#proxy?.stop();
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
