/**
 * The NETCONF device simulator: an SSH server (ssh2's server side) with the `netconf`
 * subsystem, or a TLS server (RFC 7589), in front of a simulated {@link Device}; listening, or
 * calling the client home (RFC 8071).
 * @module
 */
import { X509Certificate } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect, createServer, isIP, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { createSecureContext, createServer as createTlsServer, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { debuglog } from 'node:util';
import ssh2, { type Connection } from 'ssh2';
import { Authenticator } from './auth.js';
import { CertToNameMapper, type CertToName } from './cert-to-name.js';
import type { SimulatorUser } from './users.js';
import { cloneRoot, parseConfigText, rootToXml, type DatastoreName } from './datastore.js';
import { capabilityOmitted, Device, type RpcEvent, type RpcHandler } from './device.js';
import type { Faults } from './faults.js';
import { loadHostKey, type SimulatorHostKey } from './host-key.js';
import { ListKeys } from './list-keys.js';
import { NETCONF_STREAM } from './notifications.js';
import { SchemaRegistry } from './schema.js';
import { ServerSession, type SessionPeer } from './session.js';
import { YangModel } from './yang-model.js';
import { type FramingMode, parseXml, type XmlElement } from '../index.js';

const { Server: SSHServer } = ssh2;
const debug = debuglog('netconf-sim');

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Address to listen on; default `127.0.0.1`. */
  host?: string;
  /** TCP port; default 0 (any free port, see {@link Simulator.port}). */
  port?: number;
  /**
   * The accepted users. Over SSH (at least one): user names with passwords or keys. Over TLS:
   * the names cert-to-name may give a client (`{ username }` is enough); absent, any name it gives
   * is accepted.
   */
  users?: readonly SimulatorUser[];
  /**
   * Serve NETCONF over TLS (RFC 7589) instead of SSH: the server certificate and key, and the CA
   * client certificates must chain to (a client certificate is required; see {@link SimulatorTlsOptions}).
   */
  tls?: SimulatorTlsOptions;
  /**
   * Call the client home (RFC 8071) instead of listening: dial `host:port` and play the SSH (or,
   * with `tls`, the TLS) server over that connection (see {@link SimulatorCallHomeOptions}).
   */
  callHome?: SimulatorCallHomeOptions;
  /** Private host key (PEM or OpenSSH text); default a new ed25519 key. */
  hostKey?: string | Buffer;
  /**
   * Initial configuration: XML text for running (a `<config>` or `<data>` element, or its
   * content), or text per datastore. Startup defaults to running, candidate to running.
   */
  config?: string | { running?: string; candidate?: string; startup?: string };
  /** A directory with `running.xml`, `startup.xml`, `candidate.xml` (each optional; `config` wins). */
  configDir?: string;
  /**
   * A directory of `name.yang` / `name@revision.yang` files, served by `<get-schema>` and
   * advertised. The modules are also compiled (see {@link SimulatorOptions.yangValidation}): edits are then
   * validated against them, the module capabilities carry their features and deviations,
   * `:with-defaults` (RFC 6243), the NMDA operations (RFC 8526 `<get-data>`, `<edit-data>`) and
   * the YANG library are supported. The modules of what the simulator implements itself
   * (`ietf-netconf`, `ietf-netconf-monitoring`, `ietf-yang-library` …) ship with the package and are
   * served (and compiled) with them, unless the directory has its own.
   */
  yangDir?: string;
  /** With `yangDir`: the modules to implement (default every module of the directory). */
  modules?: readonly string[];
  /**
   * With `yangDir`: the enabled features, as `module:feature,…` (like `--features`) or module →
   * feature names; a module not listed has none. Default: every feature of every module.
   */
  features?: string | Readonly<Record<string, readonly string[]>>;
  /**
   * With `yangDir`: compile the modules and be schema-aware (default true; startSimulator throws
   * when they do not compile). False: the files are only served and advertised, as a light
   * reading of them gives list keys, and nothing is validated.
   */
  yangValidation?: boolean;
  /**
   * With `yangDir` (compiled): answer the YANG library to `<get>` (RFC 7895 `/modules-state` and
   * RFC 8525 `/yang-library`) and advertise it (`yang-library:1.0` and `:1.1` capabilities), as
   * a device does. Default true; false: clients discover the modules from the hello.
   */
  yangLibrary?: boolean;
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

/** NETCONF over TLS (RFC 7589): what the simulator presents and what it requires. */
export interface SimulatorTlsOptions {
  /** The server certificate (chain), PEM. */
  cert: string | Buffer;
  /** Its private key, PEM. */
  key: string | Buffer;
  /** The passphrase of an encrypted `key`. */
  passphrase?: string;
  /** The CA certificate(s), PEM, that a client certificate must chain to. */
  ca: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * How a client certificate maps to a user name (RFC 7589 §7); the first entry that yields a
   * name wins; none: the connection is closed before the hello. Default `[{ map: 'common-name' }]`.
   */
  certToName?: readonly CertToName[];
  /** Lowest TLS version accepted; default and minimum `'TLSv1.2'`. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Highest TLS version offered (e.g. `'TLSv1.2'` to test a client against a TLS 1.2 server); default the highest Node has. */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** RFC 8071 call home: where to dial and how often. */
export interface SimulatorCallHomeOptions {
  /** The client's (management station's) address. */
  host: string;
  /** Its port; default 4334 over SSH, 4335 over TLS. */
  port?: number;
  /** Default `'tls'` when {@link SimulatorOptions.tls} is given, else `'ssh'`. */
  transport?: 'ssh' | 'tls';
  /** Local address to dial from. */
  localAddress?: string;
  /** When to dial (again); see {@link SimulatorReconnectOptions}. */
  reconnect?: SimulatorReconnectOptions;
}

/**
 * The connection type and reconnect strategy of call home (RFC 8071 §4.1, ietf-netconf-server's
 * `persistent` and `periodic` connection types). A failed call (connection refused: the client is
 * not listening yet; unreachable; timed out) is tried again `interval` seconds later; after
 * `maxAttempts` failures in a row the simulator stops calling (event `call-home-error` with
 * `final: true`). Calls start at least `interval` seconds apart, and there is at most one call-home
 * connection at a time.
 */
export interface SimulatorReconnectOptions {
  /**
   * `persistent` (default): when the connection ends, call again (at once if it lasted at least
   * `interval`). `periodic`: call every `interval` seconds (a call is skipped while the previous
   * connection is still up). `once`: one connection; after it ends, no more calls.
   */
  strategy?: 'persistent' | 'periodic' | 'once';
  /** Seconds between two calls (retries, periods); default 5. */
  interval?: number;
  /** Failed calls in a row before giving up; default unlimited. */
  maxAttempts?: number;
}

/** A call home attempt, for the `call-home-connect` and `call-home-error` events. */
export interface CallHomeAttempt {
  host: string;
  port: number;
  transport: 'ssh' | 'tls';
  /** 1 for the first call, counting every call. */
  attempt: number;
}

/** A refused client (TLS: handshake failed, no or untrusted certificate, no cert-to-name match, unknown user). */
export interface SimulatorRejection {
  transport: 'ssh' | 'tls';
  address: string;
  port: number;
  /** Why, e.g. `UNABLE_TO_GET_ISSUER_CERT`, `no cert-to-name entry matches the client certificate`. */
  reason: string;
  /** The client certificate's subject, when it sent one. */
  subject?: string;
}

/** A session as {@link Simulator.sessions} lists it. */
export interface SimulatorSessionInfo {
  id: number;
  /** The SSH user, or the name cert-to-name gave the TLS client. */
  username: string;
  sourceHost: string;
  loginTime: Date;
  transport: 'ssh' | 'tls';
  /** True when the simulator called the client home. */
  callHome: boolean;
  /** Over TLS: the client certificate's subject (`O=…, CN=admin`) and SHA-256 fingerprint. */
  clientCertificate?: { subject: string; fingerprint: string };
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
  /** A client was refused before the hello (TLS). */
  rejected: [SimulatorRejection];
  /** Call home: the TCP connection to the client is up (the SSH or TLS handshake follows). */
  'call-home-connect': [CallHomeAttempt & { localAddress: string; localPort: number }];
  /** Call home: a call failed (`final`: the simulator gives up calling). */
  'call-home-error': [CallHomeAttempt & { error: Error; final: boolean }];
  /**
   * Call home: the simulator stopped calling by itself: the `once` connection ended, or
   * `maxAttempts` calls in a row failed (not emitted on close()).
   */
  'call-home-stop': [{ reason: 'once' | 'max-attempts' }];
};

/** Options of {@link Simulator.pushNotification}. */
export interface PushNotificationOptions {
  /** Default `NETCONF`. */
  stream?: string;
  /** Default now. */
  eventTime?: Date;
}

interface Connection_ {
  /** The TCP connection. */
  socket: Socket;
  transport: 'ssh' | 'tls';
  callHome: boolean;
  /** SSH: the client connection. */
  client: Connection | undefined;
  /** TLS: the secured socket, once the handshake succeeded. */
  tls: TLSSocket | undefined;
  clientCertificate: { subject: string; fingerprint: string } | undefined;
  username: string | undefined;
  sessions: Set<ServerSession>;
  closed: Promise<void>;
  timers: Set<NodeJS.Timeout>;
}

/** The TLS options, with the cert-to-name list checked and the accepted user names (undefined: any). */
type TlsState = SimulatorTlsOptions & { mapper: CertToNameMapper; users: Set<string> | undefined };

interface CallHome {
  host: string;
  port: number;
  transport: 'ssh' | 'tls';
  localAddress: string | undefined;
  strategy: 'persistent' | 'periodic' | 'once';
  interval: number;
  maxAttempts: number;
}

/** `O=…, CN=…` from Node's subject object. */
function subjectText(cert: DetailedPeerCertificate): string {
  try {
    return new X509Certificate(cert.raw).subject.split('\n').join(', ');
  } catch {
    return '';
  }
}

function callHomeOptions(options: SimulatorOptions): CallHome | undefined {
  const ch = options.callHome;
  if (!ch) return undefined;
  if (typeof ch.host !== 'string' || !ch.host) throw new TypeError('callHome.host: give the address of the client to call');
  const transport = ch.transport ?? (options.tls ? 'tls' : 'ssh');
  if (transport !== 'ssh' && transport !== 'tls') throw new TypeError(`callHome.transport must be 'ssh' or 'tls'`);
  if (transport === 'tls' && !options.tls) throw new TypeError('callHome over TLS needs the tls option (certificate, key, CA)');
  if (transport === 'ssh' && options.tls) throw new TypeError(`callHome.transport 'ssh' contradicts the tls option`);
  const port = ch.port ?? (transport === 'tls' ? 4335 : 4334);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new TypeError('callHome.port must be 1 to 65535');
  const r = ch.reconnect ?? {};
  const strategy = r.strategy ?? 'persistent';
  if (!['persistent', 'periodic', 'once'].includes(strategy)) throw new TypeError(`callHome.reconnect.strategy must be 'persistent', 'periodic' or 'once'`);
  const interval = r.interval ?? 5;
  if (!(typeof interval === 'number' && interval >= 0 && Number.isFinite(interval))) throw new TypeError('callHome.reconnect.interval must be a number of seconds >= 0');
  const maxAttempts = r.maxAttempts ?? Infinity;
  if (!(maxAttempts === Infinity || (Number.isInteger(maxAttempts) && maxAttempts >= 1))) throw new TypeError('callHome.reconnect.maxAttempts must be an integer >= 1');
  return { host: ch.host, port, transport, localAddress: ch.localAddress, strategy, interval, maxAttempts };
}

function readOptional(dir: string | undefined, file: string): string | undefined {
  if (!dir) return undefined;
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/**
 * A simulated NETCONF device over SSH or TLS, for tests. Start it with {@link startSimulator}; stop
 * it with {@link close}, which ends every session (and stops calling home) and leaves no socket or
 * timer behind.
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
  /** The address listened on; for call home, the address called. */
  readonly host: string;
  /** The host key clients will see (over SSH). */
  readonly hostKey: SimulatorHostKey;
  /** `'ssh'`, or `'tls'` with the {@link SimulatorOptions.tls} option. */
  readonly transport: 'ssh' | 'tls';
  /** Over TLS: the SHA-256 fingerprint of the server certificate (colon-separated hex), for a client's pin. */
  readonly tlsFingerprint: string | undefined;
  readonly #device: Device;
  readonly #auth: Authenticator | undefined;
  readonly #hostKeyText: string | Buffer;
  readonly #tls: TlsState | undefined;
  readonly #callHome: CallHome | undefined;
  readonly #net: NetServer | undefined;
  readonly #connections = new Set<Connection_>();
  readonly #helloTimeout: number;
  #port = 0;
  #closing: Promise<void> | undefined;
  /** Call home: the loop dialling the client, the socket being dialled, the pause between calls. */
  #dialer: Promise<void> | undefined;
  #dialling: Socket | undefined;
  #pause: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  #callHomeAddress: string | undefined;

  private constructor(options: SimulatorOptions) {
    super();
    this.#callHome = callHomeOptions(options);
    this.transport = options.tls ? 'tls' : 'ssh';
    if (options.users !== undefined && !Array.isArray(options.users)) throw new TypeError('startSimulator: users must be an array');
    if (this.transport === 'ssh') {
      if (!options.users || options.users.length === 0) throw new TypeError('startSimulator: give at least one user');
      this.#auth = new Authenticator(options.users);
    } else {
      for (const u of options.users ?? []) if (typeof u?.username !== 'string' || !u.username) throw new TypeError('Every simulator user needs a username');
    }
    this.host = this.#callHome?.host ?? options.host ?? '127.0.0.1';
    const hostKey = loadHostKey(options.hostKey);
    this.hostKey = hostKey.info;
    this.#hostKeyText = hostKey.privateKey;
    this.#helloTimeout = options.helloTimeout ?? 30_000;
    if (options.tls) {
      const t = options.tls;
      if (!t.cert || !t.key) throw new TypeError('tls: give the server certificate and key');
      if (!t.ca || (Array.isArray(t.ca) && t.ca.length === 0)) throw new TypeError('tls: give the CA certificate(s) that client certificates must chain to');
      if (t.minVersion !== undefined && t.minVersion !== 'TLSv1.2' && t.minVersion !== 'TLSv1.3') throw new TypeError(`tls.minVersion must be 'TLSv1.2' or 'TLSv1.3'`);
      try {
        createSecureContext(this.#tlsContextOptions(t)); // bad PEM, wrong key: fail now, not at the first client
      } catch (err) {
        throw new TypeError(`tls: ${(err as Error).message}`);
      }
      const first = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(t.cert.toString());
      this.tlsFingerprint = first ? new X509Certificate(first[0]).fingerprint256 : undefined;
      const users = options.users && options.users.length > 0 ? new Set(options.users.map((u) => u.username)) : undefined;
      this.#tls = { ...t, mapper: new CertToNameMapper(t.certToName), users };
    }
    const schema = SchemaRegistry.load(options.yangDir);
    if ((options.modules !== undefined || options.features !== undefined || options.yangLibrary) && !options.yangDir) throw new TypeError('startSimulator: modules, features and yangLibrary need yangDir');
    if (options.yangLibrary && options.yangValidation === false) throw new TypeError('startSimulator: yangLibrary needs the compiled modules (yangValidation false)');
    const schemaAware = options.yangDir !== undefined && options.yangValidation !== false;
    const yangLibrary = schemaAware && options.yangLibrary !== false;
    const omit = [...(options.omitCapabilities ?? []), ...(options.base11 === false ? [':base:1.1'] : [])];
    const model =
      schemaAware && options.yangDir !== undefined
        ? YangModel.load({ dir: options.yangDir, registry: schema, modules: options.modules, features: options.features, yangLibrary, advertised: (uri) => !capabilityOmitted(uri, omit) })
        : undefined;
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
      omitCapabilities: omit,
      schema,
      model,
      yangLibrary,
      keys: new ListKeys(options.listKeys, schema, model && ((el) => model.kindOf(el))),
      running,
      candidate: candidateText === undefined ? cloneRoot(running) : parseConfigText(candidateText, 'candidate configuration'),
      startup: startupText === undefined ? cloneRoot(running) : parseConfigText(startupText, 'startup configuration'),
      streams,
      replayCapacity,
      maxChunkSize: options.maxChunkSize,
      helloTimeout: this.#helloTimeout,
      onRpc: (e) => this.emit('rpc', e),
      onSessionStart: (s) => this.emit('session', this.#info(s)),
      onSessionEnd: (s) => this.emit('session-end', this.#info(s)),
    });
    if (candidateText !== undefined) this.#device.setCandidate(this.#device.datastores.candidate);
    if (!this.#callHome) this.#net = createServer((socket) => this.#onSocket(socket, false));
  }

  /**
   * Start a simulator; resolves once it listens. With `callHome`, resolves at once: the calls go
   * on in the background (events `call-home-connect`, `call-home-error`, then `session`).
   */
  static async start(options: SimulatorOptions): Promise<Simulator> {
    const sim = new Simulator(options);
    const net = sim.#net;
    if (net) {
      await new Promise<void>((resolve, reject) => {
        net.once('error', reject);
        net.listen(options.port ?? 0, sim.host, () => {
          net.off('error', reject);
          resolve();
        });
      });
      const address = net.address();
      sim.#port = typeof address === 'object' && address ? address.port : 0;
    } else if (sim.#callHome) {
      sim.#dialer = sim.#callHomeLoop(sim.#callHome);
    }
    return sim;
  }

  /** The TCP port listened on (0 when calling home). */
  get port(): number {
    return this.#port;
  }

  /** Call home: where the simulator calls, and over what; undefined when it listens. */
  get callHome(): { host: string; port: number; transport: 'ssh' | 'tls' } | undefined {
    const ch = this.#callHome;
    return ch ? { host: ch.host, port: ch.port, transport: ch.transport } : undefined;
  }

  /** Fault injection rules (see {@link Faults}). */
  get faults(): Faults {
    return this.#device.faults;
  }

  /** The capabilities of the server hello. */
  get capabilities(): readonly string[] {
    return this.#device.capabilities;
  }

  /**
   * A known_hosts line for this simulator (`[127.0.0.1]:PORT ssh-ed25519 AAAA…`). When calling
   * home, the plain address the client sees the call come from (`127.0.0.1 ssh-ed25519 AAAA…`):
   * the local address of the last call, else `callHome.localAddress`, else the called address
   * when it is an IP address (loopback calls come from it), else `127.0.0.1`.
   */
  get knownHostsLine(): string {
    const ch = this.#callHome;
    if (ch) {
      const address = this.#callHomeAddress ?? ch.localAddress ?? (isIP(ch.host) ? ch.host : '127.0.0.1');
      return `${address} ${this.hostKey.publicKey}`;
    }
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

  /** Close every session and connection and stop listening (or calling home). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const net = this.#net;
      const listening = net ? new Promise<void>((resolve) => net.close(() => resolve())) : Promise.resolve();
      this.#dialling?.destroy();
      if (this.#pause) {
        clearTimeout(this.#pause.timer);
        this.#pause.wake();
      }
      this.#device.close();
      for (const conn of this.#connections) {
        if (conn.client) conn.client.end();
        else if (conn.tls) conn.tls.end();
        else conn.socket.end();
      }
      const all = Promise.all([...this.#connections].map((c) => c.closed));
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 1000);
      });
      await Promise.race([all, late]);
      clearTimeout(timer);
      for (const conn of this.#connections) {
        conn.tls?.destroy();
        conn.socket.destroy();
      }
      await all;
      await listening;
      await this.#dialer;
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
    const info: SimulatorSessionInfo = {
      id: s.id,
      username: s.username,
      sourceHost: s.sourceHost,
      loginTime: s.loginTime,
      transport: s.peer.transport,
      callHome: s.peer.callHome,
      framing: s.framing,
      subscribed: this.#device.hub.isSubscribed(s.id),
      locks,
    };
    if (s.peer.clientCertificate) info.clientCertificate = { ...s.peer.clientCertificate };
    return info;
  }

  /** A TCP connection, accepted or dialled (call home): start the SSH or TLS server side on it. */
  #onSocket(socket: Socket, callHome: boolean): Connection_ | undefined {
    if (this.#closing) {
      socket.destroy();
      return undefined;
    }
    let markClosed: () => void = () => undefined;
    const conn: Connection_ = {
      socket,
      transport: this.transport,
      callHome,
      client: undefined,
      tls: undefined,
      clientCertificate: undefined,
      username: undefined,
      sessions: new Set(),
      closed: new Promise<void>((resolve) => {
        markClosed = resolve;
      }),
      timers: new Set(),
    };
    this.#connections.add(conn);
    socket.setNoDelay(true);
    socket.on('error', (err) => debug('socket error: %s', err.message));
    let gone = false;
    const onClose = (): void => {
      if (gone) return;
      gone = true;
      for (const t of conn.timers) clearTimeout(t);
      conn.timers.clear();
      this.#connections.delete(conn);
      for (const s of [...conn.sessions]) s.close();
      conn.tls?.destroy();
      markClosed();
    };
    socket.once('close', onClose);
    if (this.transport === 'tls') this.#startTls(conn, onClose);
    else {
      // One ssh2 server per connection, so that its client is known to belong to this socket.
      const ssh = new SSHServer({ hostKeys: [this.#hostKeyText] }, (client) => this.#onClient(conn, client));
      ssh.injectSocket(socket);
    }
    return conn;
  }

  #onClient(conn: Connection_, client: Connection): void {
    if (this.#closing || !this.#connections.has(conn)) {
      client.end();
      return;
    }
    conn.client = client;
    client.on('error', (err: Error) => debug('ssh error: %s', err.message));
    client.on('authentication', (ctx) => this.#auth?.handle(ctx, (username) => (conn.username = username)));
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

  #tlsContextOptions(t: SimulatorTlsOptions): Parameters<typeof createSecureContext>[0] & object {
    const options: Parameters<typeof createSecureContext>[0] & object = { cert: t.cert, key: t.key, ca: t.ca as string | Buffer | Array<string | Buffer>, minVersion: t.minVersion ?? 'TLSv1.2' };
    if (t.passphrase !== undefined) options.passphrase = t.passphrase;
    if (t.maxVersion !== undefined) options.maxVersion = t.maxVersion;
    return options;
  }

  /**
   * The TLS server side on a TCP connection: a `tls.Server` of its own (requiring a client
   * certificate from the CA, TLS 1.2 at least) is handed the socket, as if it had accepted it.
   */
  #startTls(conn: Connection_, onClose: () => void): void {
    const t = this.#tls as TlsState;
    const address = conn.socket.remoteAddress ?? '';
    const port = conn.socket.remotePort ?? 0;
    const server = createTlsServer({ ...this.#tlsContextOptions(t), requestCert: true, rejectUnauthorized: true, handshakeTimeout: this.#helloTimeout });
    server.on('tlsClientError', (err: Error & { code?: string }, socket: TLSSocket) => {
      const reason = socket.authorizationError ? String(socket.authorizationError) : (err.code ?? err.message);
      debug('tls handshake with %s:%d failed: %s', address, port, reason);
      const rejection: SimulatorRejection = { transport: 'tls', address, port, reason };
      const peer = socket.getPeerCertificate?.(true) as DetailedPeerCertificate | undefined;
      if (peer?.raw) rejection.subject = subjectText(peer);
      this.emit('rejected', rejection);
      conn.socket.destroy();
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      conn.tls = socket;
      socket.on('error', (err) => debug('tls error: %s', err.message));
      socket.once('close', onClose);
      if (this.#closing) {
        socket.destroy();
        return;
      }
      const cert = socket.getPeerCertificate(true);
      const subject = subjectText(cert);
      const username = t.mapper.nameOf(cert);
      let reason: string | undefined;
      if (username === undefined) reason = 'no cert-to-name entry matches the client certificate';
      else if (t.users && !t.users.has(username)) reason = `the certificate maps to ${JSON.stringify(username)}, not a user of the simulator`;
      if (reason !== undefined) {
        debug('tls client %s:%d (%s) refused: %s', address, port, subject, reason);
        this.emit('rejected', { transport: 'tls', address, port, reason, subject });
        socket.end(); // close_notify, before any hello
        const timer = setTimeout(() => socket.destroy(), 1000);
        conn.timers.add(timer);
        return;
      }
      conn.username = username;
      conn.clientCertificate = { subject, fingerprint: cert.fingerprint256 };
      this.#startSession(conn, socket);
    });
    server.emit('connection', conn.socket);
  }

  #startSession(conn: Connection_, stream: Duplex): void {
    const peer: SessionPeer = { username: conn.username ?? '', sourceHost: conn.socket.remoteAddress ?? '', transport: conn.transport, callHome: conn.callHome };
    if (conn.clientCertificate) peer.clientCertificate = conn.clientCertificate;
    const session = new ServerSession(this.#device, stream, peer, {
      drop: () => this.#drop(conn),
      closed: (s) => {
        conn.sessions.delete(s);
        if (conn.sessions.size > 0) return;
        // End the connection once the stream is closed (or after a grace period).
        const end = (): void => {
          clearTimeout(timer);
          conn.timers.delete(timer);
          if (conn.client) conn.client.end();
          else conn.tls?.destroy();
        };
        const timer = setTimeout(end, 1000);
        conn.timers.add(timer);
        stream.once('close', end);
      },
    });
    conn.sessions.add(session);
    session.start();
  }

  /** Wait `ms` (woken early by close()). */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#closing) {
        resolve();
        return;
      }
      const wake = (): void => {
        this.#pause = undefined;
        resolve();
      };
      this.#pause = { timer: setTimeout(wake, Math.max(0, ms)), wake };
    });
  }

  /** Open a TCP connection to the client (call home). */
  #dial(ch: CallHome): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = netConnect(ch.localAddress ? { host: ch.host, port: ch.port, localAddress: ch.localAddress } : { host: ch.host, port: ch.port });
      this.#dialling = socket;
      const timer = setTimeout(() => socket.destroy(new Error(`timed out calling ${ch.host}:${ch.port}`)), 30_000);
      const settle = (): void => {
        clearTimeout(timer);
        this.#dialling = undefined;
        socket.off('error', onError);
        socket.off('close', onEarlyClose);
      };
      const onError = (err: Error): void => {
        settle();
        reject(err);
      };
      const onEarlyClose = (): void => {
        settle();
        reject(new Error('call home stopped'));
      };
      socket.once('error', onError);
      socket.once('close', onEarlyClose);
      socket.once('connect', () => {
        settle();
        resolve(socket);
      });
    });
  }

  /** RFC 8071: call the client, again and again as the reconnect strategy says, until close(). */
  async #callHomeLoop(ch: CallHome): Promise<void> {
    const period = ch.interval * 1000;
    let attempt = 0;
    let failures = 0;
    while (!this.#closing) {
      const started = Date.now();
      attempt++;
      const about: CallHomeAttempt = { host: ch.host, port: ch.port, transport: ch.transport, attempt };
      let socket: Socket;
      try {
        socket = await this.#dial(ch);
      } catch (err) {
        if (this.#closing) break;
        failures++;
        const final = failures >= ch.maxAttempts;
        debug('call home %s:%d (attempt %d) failed: %s', ch.host, ch.port, attempt, (err as Error).message);
        this.emit('call-home-error', { ...about, error: err as Error, final });
        if (final) {
          this.emit('call-home-stop', { reason: 'max-attempts' });
          break;
        }
        await this.#sleep(started + period - Date.now());
        continue;
      }
      failures = 0;
      if (this.#closing) {
        socket.destroy();
        break;
      }
      this.#callHomeAddress = socket.localAddress;
      debug('call home %s:%d (attempt %d): connected from %s:%d', ch.host, ch.port, attempt, socket.localAddress, socket.localPort);
      const conn = this.#onSocket(socket, true);
      this.emit('call-home-connect', { ...about, localAddress: socket.localAddress ?? '', localPort: socket.localPort ?? 0 });
      if (!conn) break;
      await conn.closed;
      if (this.#closing) break;
      if (ch.strategy === 'once') {
        this.emit('call-home-stop', { reason: 'once' });
        break;
      }
      const elapsed = Date.now() - started;
      // periodic: the next multiple of the period; persistent: at once, but calls at least `interval` apart
      const wait = ch.strategy === 'periodic' ? (period > 0 ? Math.ceil(elapsed / period) * period - elapsed : 0) : period - elapsed;
      await this.#sleep(wait);
    }
  }

  /** Close the TCP connection without an SSH disconnect or TLS close_notify (after flushing what was written). */
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
