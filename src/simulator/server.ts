/**
 * The NETCONF device simulator: an SSH server (ssh2's server side) with the `netconf`
 * subsystem, in front of a simulated {@link Device}.
 * @module
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { debuglog } from 'node:util';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { Authenticator } from './auth.js';
import type { SimulatorUser } from './users.js';
import { cloneRoot, parseConfigText, rootToXml, type DatastoreName } from './datastore.js';
import { Device, type RpcEvent, type RpcHandler } from './device.js';
import type { Faults } from './faults.js';
import { loadHostKey, type SimulatorHostKey } from './host-key.js';
import { ListKeys } from './list-keys.js';
import { NETCONF_STREAM } from './notifications.js';
import { SchemaRegistry } from './schema.js';
import { ServerSession } from './session.js';
import { type FramingMode, parseXml, type XmlElement } from '../index.js';

const { Server: SSHServer } = ssh2;
const debug = debuglog('netconf-sim');

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Address to listen on; default `127.0.0.1`. */
  host?: string;
  /** TCP port; default 0 (any free port, see {@link Simulator.port}). */
  port?: number;
  /** The accepted users (at least one). */
  users: readonly SimulatorUser[];
  /** Private host key (PEM or OpenSSH text); default a new ed25519 key. */
  hostKey?: string | Buffer;
  /**
   * Initial configuration: XML text for running (a `<config>` or `<data>` element, or its
   * content), or text per datastore. Startup defaults to running, candidate to running.
   */
  config?: string | { running?: string; candidate?: string; startup?: string };
  /** A directory with `running.xml`, `startup.xml`, `candidate.xml` (each optional; `config` wins). */
  configDir?: string;
  /** A directory of `name.yang` / `name@revision.yang` files, served by `<get-schema>` and advertised. */
  yangDir?: string;
  /** Extra capability URIs to advertise. */
  capabilities?: readonly string[];
  /**
   * Capabilities not to advertise, as URIs or abbreviations (`:candidate`, `:confirmed-commit:1.1`,
   * `:xpath`, `:base:1.1` …); the operations needing them are then refused with
   * `operation-not-supported`.
   */
  omitCapabilities?: readonly string[];
  /** Offer base:1.1 (chunked framing); default true. False: base:1.0 only. */
  base11?: boolean;
  /**
   * Key leaves of list elements (`interface` or `{namespace}interface` → `['name']`; `[]` for
   * an element that is not a list), overriding the YANG modules and the heuristic (see `ListKeys`).
   */
  listKeys?: Readonly<Record<string, readonly string[]>>;
  /** Event streams besides `NETCONF`: name → description. */
  streams?: Readonly<Record<string, string>>;
  /** How many events to keep for replay; default 1000. */
  replayBufferSize?: number;
  /** Largest chunk of base:1.1 replies (smaller values exercise a client's chunk handling). */
  maxChunkSize?: number;
  /** Milliseconds to wait for the client's hello; default 30 000. */
  helloTimeout?: number;
}

/** A session as {@link Simulator.sessions} lists it. */
export interface SimulatorSessionInfo {
  id: number;
  username: string;
  sourceHost: string;
  loginTime: Date;
  /** Negotiated framing. */
  framing: FramingMode | undefined;
  /** True when it has a notification subscription. */
  subscribed: boolean;
  /** Datastores it has locked. */
  locks: DatastoreName[];
}

/** The events of a {@link Simulator}. */
export type SimulatorEvents = {
  /** A session finished its hello exchange. */
  session: [SimulatorSessionInfo];
  /** A session ended. */
  'session-end': [SimulatorSessionInfo];
  /** An RPC arrived (before it is carried out). */
  rpc: [RpcEvent];
};

/** Options of {@link Simulator.pushNotification}. */
export interface PushNotificationOptions {
  /** Default `NETCONF`. */
  stream?: string;
  /** Default now. */
  eventTime?: Date;
}

interface Connection_ {
  socket: Socket;
  client: Connection | undefined;
  username: string | undefined;
  sessions: Set<ServerSession>;
  closed: Promise<void>;
  timers: Set<NodeJS.Timeout>;
}

function readOptional(dir: string | undefined, file: string): string | undefined {
  if (!dir) return undefined;
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * A simulated NETCONF device over SSH, for tests. Start it with {@link startSimulator}; stop it
 * with {@link close}, which ends every session and leaves no socket or timer behind.
 *
 * ```ts
 * const sim = await startSimulator({ users: [{ username: 'admin', password: 'admin' }], config: '<system xmlns="urn:example"><hostname>r1</hostname></system>' });
 * const m = await connect({ host: '127.0.0.1', port: sim.port, username: 'admin', password: 'admin',
 *   allowAgent: false, lookForKeys: false, unknownHostCb: (_h, fp) => fp === sim.hostKey.md5 });
 * …
 * await m.close();
 * await sim.close();
 * ```
 */
export class Simulator extends EventEmitter<SimulatorEvents> implements AsyncDisposable {
  /** The address listened on. */
  readonly host: string;
  /** The host key clients will see. */
  readonly hostKey: SimulatorHostKey;
  readonly #device: Device;
  readonly #auth: Authenticator;
  readonly #net: NetServer;
  readonly #connections = new Set<Connection_>();
  readonly #byAddress = new Map<string, Connection_>();
  #port = 0;
  #closing: Promise<void> | undefined;

  private constructor(options: SimulatorOptions) {
    super();
    if (!Array.isArray(options.users) || options.users.length === 0) throw new TypeError('startSimulator: give at least one user');
    this.host = options.host ?? '127.0.0.1';
    this.#auth = new Authenticator(options.users);
    const hostKey = loadHostKey(options.hostKey);
    this.hostKey = hostKey.info;
    const schema = options.yangDir ? SchemaRegistry.fromDirectory(options.yangDir) : new SchemaRegistry();
    const config = typeof options.config === 'string' ? { running: options.config } : (options.config ?? {});
    const text = (name: DatastoreName): string | undefined => config[name] ?? readOptional(options.configDir, `${name}.xml`);
    const runningText = text('running') ?? text('startup');
    const running = runningText === undefined ? parseConfigText('') : parseConfigText(runningText, 'running configuration');
    const startupText = text('startup');
    const candidateText = text('candidate');
    const streams = new Map<string, string>([[NETCONF_STREAM, 'default NETCONF event stream']]);
    for (const [name, description] of Object.entries(options.streams ?? {})) streams.set(name, description);
    const replayCapacity = options.replayBufferSize ?? 1000;
    if (!(Number.isInteger(replayCapacity) && replayCapacity >= 0)) throw new TypeError('replayBufferSize must be an integer >= 0');
    if (options.maxChunkSize !== undefined && !(Number.isSafeInteger(options.maxChunkSize) && options.maxChunkSize > 0)) throw new TypeError('maxChunkSize must be a positive integer');
    this.#device = new Device({
      base11: options.base11 ?? true,
      extraCapabilities: options.capabilities ?? [],
      omitCapabilities: [...(options.omitCapabilities ?? []), ...(options.base11 === false ? [':base:1.1'] : [])],
      schema,
      keys: new ListKeys(options.listKeys, schema),
      running,
      candidate: candidateText === undefined ? cloneRoot(running) : parseConfigText(candidateText, 'candidate configuration'),
      startup: startupText === undefined ? cloneRoot(running) : parseConfigText(startupText, 'startup configuration'),
      streams,
      replayCapacity,
      maxChunkSize: options.maxChunkSize,
      helloTimeout: options.helloTimeout ?? 30_000,
      onRpc: (e) => this.emit('rpc', e),
      onSessionStart: (s) => this.emit('session', this.#info(s)),
      onSessionEnd: (s) => this.emit('session-end', this.#info(s)),
    });
    if (candidateText !== undefined) this.#device.setCandidate(this.#device.datastores.candidate);
    const ssh = new SSHServer({ hostKeys: [hostKey.privateKey] }, (client, info) => this.#onClient(client, `${info.ip}|${info.port}`));
    this.#net = createServer((socket) => this.#onSocket(socket, ssh));
  }

  /** Start a simulator; resolves once it listens. */
  static async start(options: SimulatorOptions): Promise<Simulator> {
    const sim = new Simulator(options);
    await new Promise<void>((resolve, reject) => {
      sim.#net.once('error', reject);
      sim.#net.listen(options.port ?? 0, sim.host, () => {
        sim.#net.off('error', reject);
        resolve();
      });
    });
    const address = sim.#net.address();
    sim.#port = typeof address === 'object' && address ? address.port : 0;
    return sim;
  }

  /** The TCP port listened on. */
  get port(): number {
    return this.#port;
  }

  /** Fault injection rules (see {@link Faults}). */
  get faults(): Faults {
    return this.#device.faults;
  }

  /** The capabilities of the server hello. */
  get capabilities(): readonly string[] {
    return this.#device.capabilities;
  }

  /** A known_hosts line for this simulator (`[127.0.0.1]:PORT ssh-ed25519 AAAA…`). */
  get knownHostsLine(): string {
    const host = this.#port === 22 ? this.host : `[${this.host}]:${this.#port}`;
    return `${host} ${this.hostKey.publicKey}`;
  }

  /**
   * The open NETCONF sessions: every session whose hello (with its session-id) was sent, so a
   * client's session is listed as soon as its `connect()` resolves (`framing` is undefined until
   * the client's hello has been read).
   */
  get sessions(): SimulatorSessionInfo[] {
    return [...this.#device.sessions.values()].map((s) => this.#info(s));
  }

  /** A datastore's content now, as a `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">` document. */
  datastore(name: DatastoreName): string {
    return rootToXml(this.#device.datastores[name]);
  }

  /** A datastore's content now, parsed (a copy: changing it changes nothing). */
  datastoreElement(name: DatastoreName): XmlElement {
    return parseXml(this.datastore(name));
  }

  /**
   * Replace a datastore's content (test setup). Replacing running sends `netconf-config-change`
   * to subscribers, as a change by the server.
   * @throws TypeError when `xml` is not well-formed
   */
  setDatastore(name: DatastoreName, xml: string): void {
    const root = parseConfigText(xml, `${name} configuration`);
    if (name === 'running') this.#device.setRunning(root, 'server')();
    else if (name === 'candidate') this.#device.setCandidate(root);
    else this.#device.datastores.startup = root;
  }

  /**
   * Send an event to the sessions subscribed to its stream (and keep it for replay).
   * @param content - the event element, e.g. `<link-down xmlns="urn:example"><if>eth0</if></link-down>`
   * @returns how many sessions it was sent to
   * @throws TypeError for an unknown stream or content that is not XML
   */
  pushNotification(content: string | XmlElement, options: PushNotificationOptions = {}): number {
    return this.#device.hub.publish(options.stream ?? NETCONF_STREAM, content, options.eventTime);
  }

  /**
   * Implement an RPC yourself (a vendor RPC, or a replacement for a built-in one), by operation
   * name (`get-chassis`) or `{namespace}name`; `undefined` removes it.
   */
  setRpcHandler(operation: string, handler: RpcHandler | undefined): void {
    if (handler) this.#device.handlers.set(operation, handler);
    else this.#device.handlers.delete(operation);
  }

  /**
   * Drop a session's connection from the server side, as a crashing device would (no reply, no
   * SSH disconnect). Returns false when there is no such session.
   */
  disconnect(sessionId: number): boolean {
    for (const conn of this.#connections) {
      for (const s of conn.sessions) {
        if (s.id === sessionId) {
          this.#drop(conn);
          return true;
        }
      }
    }
    return false;
  }

  /** Close every session and connection and stop listening. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const listening = new Promise<void>((resolve) => this.#net.close(() => resolve()));
      this.#device.close();
      for (const conn of this.#connections) {
        if (conn.client) conn.client.end();
        else conn.socket.end();
      }
      const all = Promise.all([...this.#connections].map((c) => c.closed));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
      });
      await Promise.race([all, late]);
      clearTimeout(timer);
      for (const conn of this.#connections) conn.socket.destroy();
      await all;
      await listening;
    })();
    return this.#closing;
  }

  /** `await using sim = await startSimulator(…)`: closes the simulator. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #info(s: ServerSession): SimulatorSessionInfo {
    const locks: DatastoreName[] = [];
    for (const [name, holder] of this.#device.locks) if (holder.sessionId === s.id) locks.push(name);
    return { id: s.id, username: s.username, sourceHost: s.sourceHost, loginTime: s.loginTime, framing: s.framing, subscribed: this.#device.hub.isSubscribed(s.id), locks };
  }

  #onSocket(socket: Socket, ssh: InstanceType<typeof SSHServer>): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    const key = `${socket.remoteAddress}|${socket.remotePort}`;
    let markClosed: () => void = () => undefined;
    const conn: Connection_ = {
      socket,
      client: undefined,
      username: undefined,
      sessions: new Set(),
      closed: new Promise<void>((resolve) => {
        markClosed = resolve;
      }),
      timers: new Set(),
    };
    this.#connections.add(conn);
    this.#byAddress.set(key, conn);
    socket.setNoDelay(true);
    socket.on('error', (err) => debug('socket error: %s', err.message));
    socket.once('close', () => {
      for (const t of conn.timers) clearTimeout(t);
      conn.timers.clear();
      this.#connections.delete(conn);
      this.#byAddress.delete(key);
      for (const s of [...conn.sessions]) s.close();
      markClosed();
    });
    ssh.injectSocket(socket);
  }

  #onClient(client: Connection, key: string): void {
    const conn = this.#byAddress.get(key);
    if (!conn) {
      client.end();
      return;
    }
    conn.client = client;
    client.on('error', (err: Error) => debug('ssh error: %s', err.message));
    client.on('authentication', (ctx) => this.#auth.handle(ctx, (username) => (conn.username = username)));
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('subsystem', (acceptSubsystem, reject, info) => {
          if (info.name !== 'netconf' || this.#closing) {
            reject();
            return;
          }
          this.#startSession(conn, acceptSubsystem());
        });
      });
    });
  }

  #startSession(conn: Connection_, channel: ServerChannel): void {
    const session = new ServerSession(this.#device, channel, { username: conn.username ?? '', sourceHost: conn.socket.remoteAddress ?? '' }, {
      drop: () => this.#drop(conn),
      closed: (s) => {
        conn.sessions.delete(s);
        if (conn.sessions.size > 0) return;
        // End the SSH connection once the channel is closed (or after a grace period).
        const end = (): void => {
          clearTimeout(timer);
          conn.timers.delete(timer);
          conn.client?.end();
        };
        const timer = setTimeout(end, 1000);
        conn.timers.add(timer);
        channel.once('close', end);
      },
    });
    conn.sessions.add(session);
    session.start();
  }

  /** Close the TCP connection without an SSH disconnect (after flushing what was written). */
  #drop(conn: Connection_): void {
    conn.socket.end();
    const timer = setTimeout(() => conn.socket.destroy(), 200);
    conn.timers.add(timer);
  }
}

/** Start a NETCONF device simulator (see {@link Simulator}). */
export function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  return Simulator.start(options);
}
