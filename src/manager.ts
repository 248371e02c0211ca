import type { Capabilities } from './transport/capabilities.js';
import { SessionCloseError } from './transport/errors.js';
import type { Session } from './transport/session.js';
import { SSHSession } from './transport/ssh.js';
import type { SSHConnectOptions } from './transport/ssh-options.js';
import { TLSSession } from './transport/tls.js';
import type { TLSConnectOptions } from './transport/tls-options.js';
import { requireCapability } from './operations/capability-check.js';
import * as commitOps from './operations/commit.js';
import type { ConfigSource, ConfigTarget } from './operations/datastore.js';
import { RPCDispatcher, type CallOptions, type DispatcherOptions, type RaiseMode } from './rpc/dispatcher.js';
import * as editOps from './operations/edit.js';
import * as lockOps from './operations/lock.js';
import * as nmdaOps from './operations/nmda.js';
import { NotificationQueue } from './rpc/notification.js';
import * as retrieveOps from './operations/retrieve.js';
import type { RPCReply } from './rpc/rpc-reply.js';
import { ReplyStream, type ReplyStreamOptions } from './rpc/reply-stream.js';
import * as schemaOps from './operations/schema.js';
import * as sessionOps from './operations/session-control.js';
import * as subscriptionOps from './operations/subscription.js';
import { rootIs, xmlText, type XmlInput } from './operations/xml-fragments.js';
import { isJsonInput, jsonInputXml, type JsonInput, type JsonObject } from './operations/json-config.js';
import type { ReplyJsonOptions } from './rpc/rpc-reply.js';
import { fetchDeviceModules, loadDeviceSchema, loadDirectorySchema, type DeviceModules, type DiscoveredSchema, type SchemaDiscoveryOptions } from './operations/schema-discovery.js';
import type { YangSchema } from './yang/schema.js';
import { NETCONF_NS } from './namespaces.js';

/** Options of a {@link Manager}, whatever the transport. */
export interface ManagerOptions {
  /** Default seconds to wait for an RPC reply; default 30. Each call can override it. */
  rpcTimeout?: number;
  /** When an `<rpc-error>` throws {@link RPCError}; default `'all'` (as ncclient). */
  raiseMode?: RaiseMode;
  /** How many unread notifications to keep (see {@link NotificationQueue}); default 10 000. */
  notificationBuffer?: number;
  /** Seconds `close()` waits for the `<close-session>` reply before closing anyway; default 5. */
  closeTimeout?: number;
  /** Called with a reply that matches no pending RPC (otherwise only logged with NODE_DEBUG=netconf). */
  onUnknownReply?: (reply: RPCReply) => void;
  /**
   * Directories of `.yang` files compiled into the manager's {@link Manager.schema} when it is
   * created (offline, every module implemented), for JSON in and out. See {@link Manager.loadSchema}.
   */
  yangDir?: string | readonly string[];
  /** With `yangDir`: the enabled features per module (default every feature). */
  yangFeatures?: ReadonlyMap<string, readonly string[]>;
}

/** Options of {@link Manager.loadSchema}. */
export interface LoadSchemaOptions extends CallOptions {
  /**
   * Directories of `.yang` files to compile instead of asking the device (offline; every module
   * in them implemented).
   */
  yangDir?: string | readonly string[];
  /** Enabled features per module; default the device's (with `yangDir`: every feature). */
  features?: ReadonlyMap<string, readonly string[]>;
  /**
   * The module cache directory, or `false` for none; default `$NETCONFKIT_YANG_CACHE`, else
   * `$XDG_CACHE_HOME/netconfkit/yang`, else `~/.cache/netconfkit/yang`.
   */
  cacheDir?: string | false;
  /** Fetch modules missing from the cache with `<get-schema>`; default true. */
  fetch?: boolean;
  /** Called before each `<get-schema>`. */
  onFetch?: (name: string, revision: string | undefined) => void;
}

/** Options of {@link connect} over SSH (the default): the SSH connection's, the manager's, and the client capabilities. */
export interface ConnectOptions extends SSHConnectOptions, ManagerOptions {
  /** `'ssh'` (the default): NETCONF over SSH (RFC 6242). */
  transport?: 'ssh';
  /** Client capabilities to advertise; default base:1.0 and base:1.1. */
  capabilities?: Iterable<string>;
}

/** Options of {@link connect} over TLS: the TLS connection's, the manager's, and the client capabilities. */
export interface ConnectTLSOptions extends TLSConnectOptions, ManagerOptions {
  /** NETCONF over TLS (RFC 7589). */
  transport: 'tls';
  /** Client capabilities to advertise; default base:1.0 and base:1.1. */
  capabilities?: Iterable<string>;
}

/** The options of schema discovery from those of {@link Manager.loadSchema}. */
function discoveryOptions(options: LoadSchemaOptions): SchemaDiscoveryOptions {
  const discovery: SchemaDiscoveryOptions = {};
  if (options.timeout !== undefined) discovery.timeout = options.timeout;
  if (options.signal) discovery.signal = options.signal;
  if (options.features) discovery.features = options.features;
  if (options.cacheDir !== undefined) discovery.cache = options.cacheDir;
  if (options.fetch !== undefined) discovery.fetch = options.fetch;
  if (options.onFetch) discovery.onFetch = options.onFetch;
  return discovery;
}

/**
 * Connect over SSH (or, with `transport: 'tls'`, over TLS) and return a {@link Manager}
 * (ncclient's `manager.connect`).
 *
 * ```ts
 * await using m = await connect({ host: 'router1', username: 'admin', password });
 * const reply = await m.getConfig('running', { filter: '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>' });
 * await using t = await connect({ transport: 'tls', host: 'router2', tls: { cert, key, ca } });
 * ```
 */
export async function connect(options: ConnectOptions | ConnectTLSOptions): Promise<Manager> {
  if (options.transport !== undefined && options.transport !== 'ssh' && options.transport !== 'tls') throw new TypeError(`transport must be 'ssh' or 'tls', got ${String(options.transport)}`);
  // Compiled before connecting: a module that does not compile leaves no session open.
  const schema = options.yangDir !== undefined ? loadDirectorySchema(options.yangDir, options.yangFeatures) : undefined;
  const managerOptions = { ...options, yangDir: undefined };
  let m: Manager;
  if (options.transport === 'tls') {
    const session = new TLSSession(options.capabilities);
    await session.connect(options);
    m = new Manager(session, managerOptions);
  } else {
    const session = new SSHSession(options.capabilities);
    await session.connect(options);
    m = new Manager(session, managerOptions);
  }
  if (schema) m.schema = schema;
  return m;
}

/**
 * A NETCONF client session with every operation as a method: the facade over an RPC dispatcher
 * and a transport {@link Session} (any: SSH, a stream of your own …). Methods take their options
 * plus `timeout` (seconds) and `signal` (AbortSignal); they resolve to an {@link RPCReply} or
 * throw {@link RPCError} (per the raise mode), {@link MissingCapabilityError} (before sending),
 * {@link TimeoutExpiredError}, {@link RPCAbortedError} or the transport's error.
 */
export class Manager implements AsyncDisposable {
  /** The transport session. */
  readonly session: Session;
  readonly #rpc: RPCDispatcher;
  readonly #notifications: NotificationQueue;
  readonly #closeTimeout: number;
  #closing: Promise<void> | undefined;
  #schema: YangSchema | undefined;
  #discovery: DiscoveredSchema | undefined;
  /** A `<close-session>` of closeSession() is in flight: the server hanging up is then no failure. */
  #closeRequested = false;
  /**
   * Settles when the session has ended, for whatever reason; never rejects. Resolves to
   * `undefined` when it was closed on purpose ({@link Manager.close}, `closeSession()`), and to the
   * error that ended it otherwise: a {@link SessionCloseError} for a lost connection (the server
   * went away, a keepalive went unanswered), a framing error … An application awaits it to
   * reconnect; locks and candidate changes do not survive into a new session.
   *
   * ```ts
   * const why = await m.closed;
   * if (why) console.error(`lost ${m.session.peer}: ${why.message}`);
   * ```
   */
  readonly closed: Promise<Error | undefined>;

  /** Wrap an already connected session. */
  constructor(session: Session, options: ManagerOptions = {}) {
    this.session = session;
    this.#closeTimeout = options.closeTimeout ?? 5;
    const notifications = new NotificationQueue(options.notificationBuffer, session.xmlLimits);
    this.#notifications = notifications;
    let ended!: (error: Error | undefined) => void;
    this.closed = new Promise((resolve) => (ended = resolve));
    const dispatcherOptions: DispatcherOptions = {
      onNotification: (raw) => notifications.push(raw),
      // the session ended: no more notifications (an error only when the end was not asked for)
      onClose: (error) => {
        const cause = this.#closing || this.#closeRequested ? undefined : error;
        notifications.end(cause);
        ended(cause);
      },
    };
    if (options.rpcTimeout !== undefined) dispatcherOptions.timeout = options.rpcTimeout;
    if (options.raiseMode !== undefined) dispatcherOptions.raiseMode = options.raiseMode;
    if (options.onUnknownReply !== undefined) dispatcherOptions.onUnknownReply = options.onUnknownReply;
    this.#rpc = new RPCDispatcher(session, dispatcherOptions);
    if (options.yangDir !== undefined) this.schema = loadDirectorySchema(options.yangDir, options.yangFeatures);
  }

  // ---- YANG --------------------------------------------------------------------------------

  /**
   * The compiled YANG schema of the session, when one is loaded ({@link loadSchema}, the
   * `yangDir` option, or set here): what `reply.json()`, `notificationJson()` and the `{ json }`
   * forms of {@link editConfig}, {@link editData} and {@link rpc} use.
   */
  get schema(): YangSchema | undefined {
    return this.#schema;
  }

  set schema(schema: YangSchema | undefined) {
    this.#schema = schema;
    this.#notifications.schema = schema;
  }

  /** What the last {@link loadSchema} from the device found: the module list, fetched and cached modules, warnings. */
  get schemaDiscovery(): DiscoveredSchema | undefined {
    return this.#discovery;
  }

  /**
   * Load the session's YANG schema and keep it as {@link schema}. From `yangDir` (offline), or
   * from the device: its modules from the YANG library (RFC 8525 / RFC 7895) or its hello, each
   * taken from the disk cache (`name@revision.yang`) or fetched with `<get-schema>` and cached
   * (so the next connection fetches nothing), compiled with the features the device enables.
   * Throws `YangError` when the modules do not compile.
   *
   * ```ts
   * await m.loadSchema();
   * const config = (await m.getConfig('running')).json();   // {"ietf-interfaces:interfaces": …}
   * ```
   */
  async loadSchema(options: LoadSchemaOptions = {}): Promise<YangSchema> {
    if (options.yangDir !== undefined) {
      this.schema = loadDirectorySchema(options.yangDir, options.features);
      this.#discovery = undefined;
      return this.schema;
    }
    const found = await loadDeviceSchema(this.#rpc, discoveryOptions(options));
    this.#discovery = found;
    this.schema = found.schema;
    return found.schema;
  }

  /**
   * The device's YANG modules (module and submodule texts, with the list the device gave), from
   * the cache or fetched with `<get-schema>` as {@link loadSchema} does, without compiling them
   * (`netconf yang fetch`). `yangDir` is ignored.
   */
  fetchModules(options: LoadSchemaOptions = {}): Promise<DeviceModules> {
    return this.#call(() => fetchDeviceModules(this.#rpc, discoveryOptions(options)));
  }

  /** The session-id the server assigned. */
  get sessionId(): string | null {
    return this.session.id;
  }

  get serverCapabilities(): Capabilities {
    return this.session.serverCapabilities;
  }

  get clientCapabilities(): Capabilities {
    return this.session.clientCapabilities;
  }

  get connected(): boolean {
    return this.session.connected;
  }

  /** Default seconds to wait for a reply. */
  get timeout(): number {
    return this.#rpc.timeout;
  }

  set timeout(seconds: number) {
    if (!(seconds > 0)) throw new TypeError(`timeout must be a positive number of seconds, got ${String(seconds)}`);
    this.#rpc.timeout = seconds;
  }

  get raiseMode(): RaiseMode {
    return this.#rpc.raiseMode;
  }

  set raiseMode(mode: RaiseMode) {
    if (!['all', 'errors', 'none'].includes(mode)) throw new TypeError(`raiseMode must be 'all', 'errors' or 'none', got ${String(mode)}`);
    this.#rpc.raiseMode = mode;
  }

  /** RPCs sent and awaiting their reply. */
  get pendingRequests(): number {
    return this.#rpc.pendingCount;
  }

  // ---- retrieval ---------------------------------------------------------------------------

  /** `<get>`: configuration and state, optionally filtered. */
  get(options?: retrieveOps.GetOptions): Promise<RPCReply> {
    return this.#reply(() => retrieveOps.get(this.#rpc, options));
  }

  /**
   * `<get-config>` from `running`, `candidate`, `startup` or `{ url }`. With `as: 'json'`, the
   * data as RFC 7951 JSON instead of the reply (see {@link getConfigJson}):
   * `await m.getConfig<IetfInterfaces>('running', { as: 'json' })`.
   */
  getConfig<T extends object = JsonObject>(source: ConfigTarget, options: retrieveOps.GetConfigOptions & { as: 'json' } & Pick<ReplyJsonOptions, 'lenient'>): Promise<T>;
  getConfig(source: ConfigTarget, options?: retrieveOps.GetConfigOptions & { as?: 'reply' }): Promise<RPCReply>;
  getConfig(source: ConfigTarget, options?: retrieveOps.GetConfigOptions & { as?: 'json' | 'reply'; lenient?: boolean }): Promise<RPCReply | object> {
    if (options?.as === 'json') return this.getConfigJson(source, options);
    return this.#reply(() => retrieveOps.getConfig(this.#rpc, source, options));
  }

  /**
   * `<get>` with the reply consumed as a stream of parsed subtrees, never held whole:
   * `for await (const entry of m.getStream({ depth: 3 }))`. See {@link ReplyStream}.
   */
  getStream(options: retrieveOps.GetOptions & ReplyStreamOptions = {}): ReplyStream {
    return this.#stream(() => retrieveOps.getOperation(this.#rpc, options), options);
  }

  /**
   * `<get-config>` with the reply consumed as a stream of parsed subtrees (one per list entry
   * with the default depth 3: rpc-reply / data / container / entry), in bounded memory whatever
   * the reply's size. See {@link ReplyStream}.
   */
  getConfigStream(source: ConfigTarget, options: retrieveOps.GetConfigOptions & ReplyStreamOptions = {}): ReplyStream {
    return this.#stream(() => retrieveOps.getConfigOperation(this.#rpc, source, options), options);
  }

  /** `<get-data>` (NMDA, RFC 8526). */
  getData(datastore: nmdaOps.NmdaDatastore, options?: nmdaOps.GetDataOptions): Promise<RPCReply> {
    return this.#reply(() => nmdaOps.getData(this.#rpc, datastore, options));
  }

  /**
   * `<get-config>`, the data as RFC 7951 JSON (`reply.json()` by the session's {@link schema}).
   * `T` is a type from `netconf yang types` (e.g. `IetfInterfaces`): the result is typed by it,
   * as the caller asserts (the run-time check is the schema's, not the type's).
   */
  async getConfigJson<T extends object = JsonObject>(source: ConfigTarget, options: retrieveOps.GetConfigOptions & Pick<ReplyJsonOptions, 'lenient'> = {}): Promise<T> {
    const reply = await this.#reply(() => retrieveOps.getConfig(this.#rpc, source, options));
    return reply.json({ lenient: options.lenient === true }) as T;
  }

  /** `<get>`, the data as RFC 7951 JSON (see {@link getConfigJson}). */
  async getJson<T extends object = JsonObject>(options: retrieveOps.GetOptions & Pick<ReplyJsonOptions, 'lenient'> = {}): Promise<T> {
    return (await this.get(options)).json({ lenient: options.lenient === true }) as T;
  }

  /** `<get-data>` (NMDA), the data as RFC 7951 JSON (see {@link getConfigJson}). */
  async getDataJson<T extends object = JsonObject>(datastore: nmdaOps.NmdaDatastore, options: nmdaOps.GetDataOptions & Pick<ReplyJsonOptions, 'lenient'> = {}): Promise<T> {
    return (await this.getData(datastore, options)).json({ lenient: options.lenient === true }) as T;
  }

  /** `<get-schema>` (RFC 6022): the module text is `reply.data?.textContent`. */
  getSchema(identifier: string, options?: schemaOps.GetSchemaOptions): Promise<RPCReply> {
    return this.#call(() => schemaOps.getSchema(this.#rpc, identifier, options));
  }

  // ---- editing -----------------------------------------------------------------------------

  /**
   * `<edit-config>`; target defaults to candidate when the server has `:candidate`, else running.
   * `config` is XML, `{ url }`, or `{ json }`: RFC 7951 JSON converted (strictly) by the
   * session's {@link schema}, with `"@": {"ietf-netconf:operation": "delete"}` metadata for
   * operations: `m.editConfig({ json: { 'ietf-interfaces:interfaces': { interface: [{ name: 'eth0', … }] } } })`.
   * With a type from `netconf yang types`, the change is checked at compile time too:
   * `m.editConfig<IetfInterfacesEdit>({ json: { … } })`.
   */
  editConfig<T extends object = JsonObject>(config: XmlInput | { url: string } | JsonInput<T>, options?: editOps.EditConfigOptions): Promise<RPCReply> {
    return this.#call(() => editOps.editConfig(this.#rpc, isJsonInput(config) ? jsonInputXml(this.#schema, config, 'data', 'edit-config') : config, options));
  }

  /** `<edit-data>` (NMDA, RFC 8526); `config` is XML or `{ json }` (RFC 7951, as for {@link editConfig}). */
  editData<T extends object = JsonObject>(datastore: nmdaOps.NmdaDatastore, config: XmlInput | JsonInput<T>, options?: nmdaOps.EditDataOptions): Promise<RPCReply> {
    return this.#call(() => nmdaOps.editData(this.#rpc, datastore, isJsonInput(config) ? jsonInputXml(this.#schema, config, 'data', 'edit-data') : config, options));
  }

  /** `<copy-config>` from a datastore, `{ url }` or `{ config }` to a datastore or `{ url }`. */
  copyConfig(source: ConfigSource, target: ConfigTarget, options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => editOps.copyConfig(this.#rpc, source, target, options));
  }

  /** `<delete-config>`. */
  deleteConfig(target: ConfigTarget, options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => editOps.deleteConfig(this.#rpc, target, options));
  }

  /** `<validate>` a datastore, `{ url }` or inline `{ config }`. */
  validate(source: ConfigSource = 'candidate', options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => editOps.validate(this.#rpc, source, options));
  }

  // ---- locking -----------------------------------------------------------------------------

  /** `<lock>`. */
  lock(target: ConfigTarget = 'running', options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => lockOps.lock(this.#rpc, target, options));
  }

  /** `<unlock>`. */
  unlock(target: ConfigTarget = 'running', options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => lockOps.unlock(this.#rpc, target, options));
  }

  /**
   * Lock `target` and get a handle that unlocks it: `await using lock = await m.locked('candidate')`
   * (ncclient's `with m.locked(...)`), or call `release()`.
   */
  locked(target: ConfigTarget, options?: CallOptions): Promise<lockOps.HeldLock> {
    return this.#call(() => lockOps.acquireLock(this.#rpc, target, options));
  }

  /** Run `fn` with `target` locked, unlocking afterwards whatever happens. */
  withLock<T>(target: ConfigTarget, fn: () => Promise<T> | T, options?: CallOptions): Promise<T> {
    return this.#call(() => lockOps.withLock(this.#rpc, target, fn, options));
  }

  // ---- commit ------------------------------------------------------------------------------

  /**
   * `<commit>`. For a confirmed commit, `timeout` is the confirm-timeout in seconds; the time to
   * wait for the reply is `rpcTimeout` here.
   */
  commit(options?: commitOps.CommitOptions): Promise<RPCReply> {
    return this.#call(() => commitOps.commit(this.#rpc, options));
  }

  /** `<cancel-commit>` (`:confirmed-commit:1.1`). */
  cancelCommit(persistId?: string, options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => commitOps.cancelCommit(this.#rpc, persistId, options));
  }

  /** `<discard-changes>`. */
  discardChanges(options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => commitOps.discardChanges(this.#rpc, options));
  }

  // ---- sessions ----------------------------------------------------------------------------

  /** `<kill-session>` of another session. */
  killSession(sessionId: string | number, options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => sessionOps.killSession(this.#rpc, sessionId, options));
  }

  /** `<close-session>`, then close the transport. Use {@link close} to close whatever happens. */
  async closeSession(options?: CallOptions): Promise<RPCReply> {
    // The server may send the reply and hang up in one read: the hang-up is then reported before
    // this function resumes, and must not end the notifications with an error.
    this.#closeRequested = true;
    let reply: RPCReply;
    try {
      reply = await this.#call(() => sessionOps.closeSession(this.#rpc, options));
    } finally {
      this.#closeRequested = false;
    }
    await this.#shutdown();
    return reply;
  }

  // ---- notifications -----------------------------------------------------------------------

  /** `<create-subscription>` (RFC 5277); read the notifications with {@link notifications}. */
  createSubscription(options?: subscriptionOps.CreateSubscriptionOptions): Promise<RPCReply> {
    return this.#call(() => subscriptionOps.createSubscription(this.#rpc, options));
  }

  /** `<establish-subscription>` (RFC 8639); resolves to the subscription id and the reply. */
  establishSubscription(options?: subscriptionOps.EstablishSubscriptionOptions): Promise<subscriptionOps.EstablishedSubscription> {
    return this.#call(() => subscriptionOps.establishSubscription(this.#rpc, options));
  }

  /** `<delete-subscription>` (RFC 8639). */
  deleteSubscription(id: string | number, options?: CallOptions): Promise<RPCReply> {
    return this.#call(() => subscriptionOps.deleteSubscription(this.#rpc, id, options));
  }

  /**
   * The notifications received on this session: `for await (const n of m.notifications())`.
   * Buffered from the moment the manager exists, up to `notificationBuffer` (oldest dropped and
   * counted beyond that); the loop ends when the session closes.
   */
  notifications(): NotificationQueue {
    return this.#notifications;
  }

  // ---- anything else -----------------------------------------------------------------------

  /**
   * Send any other RPC (vendor RPCs, YANG actions): `operation` is the content of `<rpc>`, e.g.
   * `<get-chassis-inventory/>`, or `{ json }`: the RPC with its input as RFC 7951 JSON
   * (`{ 'example:reboot': { delay: 5 } }`), converted by the session's {@link schema}.
   * `capability`, when given, is checked first.
   */
  rpc(operation: XmlInput | JsonInput, options: CallOptions & { capability?: string } = {}): Promise<RPCReply> {
    return this.#reply(() => {
      const text = isJsonInput(operation) ? jsonInputXml(this.#schema, operation, 'rpc', 'rpc') : xmlText(operation);
      if (!text) throw new TypeError('rpc: empty operation');
      if (rootIs(text, 'rpc', ['', NETCONF_NS])) throw new TypeError('rpc: pass the operation element, not a whole <rpc> (message-id and namespace are added for you)');
      if (options.capability) requireCapability(this.serverCapabilities, options.capability, 'rpc');
      return this.#rpc.request(text, options);
    });
  }

  /** Any RPC, its reply consumed as a stream of parsed subtrees (see {@link ReplyStream}). */
  rpcStream(operation: XmlInput, options: CallOptions & ReplyStreamOptions = {}): ReplyStream {
    return this.#stream(() => {
      const text = xmlText(operation);
      if (!text) throw new TypeError('rpc: empty operation');
      return text;
    }, options);
  }

  // ---- closing -----------------------------------------------------------------------------

  /**
   * Close: `<close-session>` with a short timeout (`closeTimeout`), then close the transport
   * whatever happened. Idempotent. RPCs still pending are rejected with {@link SessionCloseError}.
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = (async () => {
      if (this.session.connected) {
        await sessionOps.closeSession(this.#rpc, { timeout: this.#closeTimeout }).catch(() => undefined);
      }
      await this.#shutdown();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #shutdown(): Promise<void> {
    this.#closing ??= Promise.resolve();
    this.#notifications.end();
    await this.session.close(); // the dispatcher rejects what is still pending

  }

  /** Start a streamed RPC; argument and capability errors surface when the stream is read. */
  #stream(build: () => string, options: CallOptions & ReplyStreamOptions): ReplyStream {
    try {
      const stream = this.#rpc.requestStream(build(), options);
      stream.schema = this.#schema;
      return stream;
    } catch (err) {
      const failed = new ReplyStream('', this.session, this.session.peer, () => false);
      failed.fail(err as Error);
      return failed;
    }
  }

  /** `#call` for a reply that `json()` may be asked of: it gets the session's schema. */
  #reply(op: () => Promise<RPCReply>): Promise<RPCReply> {
    return this.#call(op).then((reply) => {
      reply.schema ??= this.#schema;
      return reply;
    });
  }

  /** Run an operation, turning synchronous throws (bad arguments, missing capability) into rejections. */
  #call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return op();
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
}
