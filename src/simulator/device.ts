/**
 * The simulated device, independent of SSH: capabilities, datastores, locks, confirmed commits,
 * sessions, notifications, faults and custom RPC handlers.
 * @module
 */
import { CommitManager } from './commit.js';
import { cloneRoot, diffRoots, type DatastoreName } from './datastore.js';
import { Faults } from './faults.js';
import type { ListKeys } from './list-keys.js';
import { configChangeEvent, NETCONF_STREAM, NotificationHub, type ChangedBy } from './notifications.js';
import type { SchemaRegistry } from './schema.js';
import type { ServerSession } from './session.js';
import type { YangModel } from './yang-model.js';
import { BASE_1_0, BASE_1_1, Capabilities, parseCapability, type XmlElement } from '../index.js';

const CAP = 'urn:ietf:params:netconf:capability:';
/** RFC 6243 `:with-defaults`. */
export const WITH_DEFAULTS_CAPABILITY = `${CAP}with-defaults:1.0`;
/** RFC 7950 §5.6.4: the server has an RFC 7895 YANG library. */
export const YANG_LIBRARY_CAPABILITY = `${CAP}yang-library:1.0`;
/** RFC 8526 §2: the server has an RFC 8525 YANG library (`/yang-library`). */
export const YANG_LIBRARY_1_1_CAPABILITY = `${CAP}yang-library:1.1`;
/** The ietf-yang-library namespace. */
export const YANG_LIBRARY_NS = 'urn:ietf:params:xml:ns:yang:ietf-yang-library';

/** Capabilities for the operations the simulator implements. */
const FEATURE_CAPABILITIES = [
  `${CAP}writable-running:1.0`,
  `${CAP}candidate:1.0`,
  `${CAP}confirmed-commit:1.0`,
  `${CAP}confirmed-commit:1.1`,
  `${CAP}rollback-on-error:1.0`,
  `${CAP}validate:1.0`,
  `${CAP}validate:1.1`,
  `${CAP}startup:1.0`,
  `${CAP}xpath:1.0`,
  `${CAP}notification:1.0`,
  `${CAP}interleave:1.0`,
];

/** What one RPC looked like, for the `rpc` event. */
export interface RpcEvent {
  sessionId: number;
  /** Local name of the operation (undefined when the message had none or was not an `<rpc>`). */
  operation: string | undefined;
  messageId: string | undefined;
  /** The whole message as received. */
  xml: string;
}

/**
 * A user-supplied RPC implementation. Return the content of `<rpc-reply>` (`<data>…</data>`,
 * `<ok/>`, anything); nothing means `<ok/>`. Throw {@link NetconfServerError} to answer with an
 * `<rpc-error>`.
 */
export type RpcHandler = (request: RpcRequest) => string | void | Promise<string | void>;

/** What an {@link RpcHandler} is given. */
export interface RpcRequest {
  sessionId: number;
  username: string;
  messageId: string;
  /** The operation element (the child of `<rpc>`). */
  operation: XmlElement;
  /** The `<rpc>` element. */
  rpc: XmlElement;
}

/** Settings of a {@link Device}. */
export interface DeviceSettings {
  base11: boolean;
  extraCapabilities: readonly string[];
  omitCapabilities: readonly string[];
  schema: SchemaRegistry;
  /** The compiled modules of a schema-aware simulator (validation, yang-library, with-defaults). */
  model: YangModel | undefined;
  /** Answer the YANG library (RFC 7895 `/modules-state`, RFC 8525 `/yang-library`) and advertise it (needs `model`). */
  yangLibrary: boolean;
  keys: ListKeys;
  running: XmlElement;
  candidate: XmlElement;
  startup: XmlElement;
  streams: ReadonlyMap<string, string>;
  replayCapacity: number;
  maxChunkSize: number | undefined;
  helloTimeout: number;
  onRpc: (event: RpcEvent) => void;
  onSessionStart: (session: ServerSession) => void;
  onSessionEnd: (session: ServerSession) => void;
}

/** All the state of the simulated device. */
export class Device {
  readonly faults = new Faults();
  readonly hub: NotificationHub;
  readonly schema: SchemaRegistry;
  /** The compiled modules, when the simulator is schema-aware. */
  readonly model: YangModel | undefined;
  /** True when `<get>` answers the YANG library. */
  readonly yangLibrary: boolean;
  readonly keys: ListKeys;
  readonly base11: boolean;
  readonly maxChunkSize: number | undefined;
  readonly helloTimeout: number;
  /** The capabilities of the server hello, in order. */
  readonly capabilities: readonly string[];
  readonly #caps: Capabilities;
  readonly datastores: Record<DatastoreName, XmlElement>;
  /** True when the candidate differs from running by edits not yet committed or discarded. */
  candidateDirty = false;
  /** Datastore → the session holding its lock, and since when. */
  readonly locks = new Map<DatastoreName, { sessionId: number; since: Date }>();
  readonly commits: CommitManager;
  readonly sessions = new Map<number, ServerSession>();
  readonly handlers = new Map<string, RpcHandler>();
  readonly #settings: DeviceSettings;
  #nextSessionId = 1;

  constructor(settings: DeviceSettings) {
    this.#settings = settings;
    this.schema = settings.schema;
    this.model = settings.model;
    this.yangLibrary = settings.yangLibrary && settings.model?.schema.modules.get('ietf-yang-library')?.implemented === true;
    this.keys = settings.keys;
    this.base11 = settings.base11;
    this.maxChunkSize = settings.maxChunkSize;
    this.helloTimeout = settings.helloTimeout;
    this.hub = new NotificationHub(settings.streams, settings.replayCapacity);
    this.datastores = { running: settings.running, candidate: settings.candidate, startup: settings.startup };
    this.capabilities = buildCapabilities(settings);
    this.#caps = new Capabilities(this.capabilities);
    const device = this;
    this.commits = new CommitManager({
      get running() {
        return device.datastores.running;
      },
      get candidate() {
        return device.datastores.candidate;
      },
      setRunning: (root, by) => this.setRunning(root, by),
      resetCandidate: () => this.resetCandidate(),
    });
  }

  /** True when the server advertises the capability (URI or abbreviation such as `:candidate`). */
  has(capability: string): boolean {
    return this.#caps.has(capability);
  }

  /** A new session-id. */
  allocateSessionId(): number {
    return this.#nextSessionId++;
  }

  /** A session exists (its hello, with its session-id, is being sent). */
  register(session: ServerSession): void {
    this.sessions.set(session.id, session);
  }

  /** A session finished its hello exchange. */
  sessionStarted(session: ServerSession): void {
    this.#settings.onSessionStart(session);
  }

  /** Report a received RPC. */
  rpcReceived(event: RpcEvent): void {
    this.#settings.onRpc(event);
  }

  /**
   * A session ended: its locks are released (a locked candidate is discarded), its
   * non-persistent confirmed commit rolled back, its subscription ended.
   */
  sessionEnded(session: ServerSession): void {
    for (const [name, holder] of [...this.locks]) {
      if (holder.sessionId !== session.id) continue;
      this.locks.delete(name);
      if (name === 'candidate' && this.candidateDirty) this.resetCandidate();
    }
    this.commits.sessionEnded(session.id);
    this.hub.unsubscribe(session.id);
    if (this.sessions.delete(session.id) && session.framing !== undefined) this.#settings.onSessionEnd(session);
  }

  /** Reset the candidate to a copy of running. */
  resetCandidate(): void {
    this.datastores.candidate = cloneRoot(this.datastores.running);
    this.candidateDirty = false;
  }

  /** Set the candidate (an edit): marks it modified when it differs from running. */
  setCandidate(root: XmlElement): void {
    this.datastores.candidate = root;
    this.candidateDirty = diffRoots(this.datastores.running, root, this.keys, 1).length > 0;
  }

  /**
   * Replace running. A candidate without pending edits follows it. Returns a thunk that publishes
   * the `netconf-config-change` notification (call it once the reply is sent).
   */
  setRunning(root: XmlElement, by: ChangedBy): () => void {
    const before = this.datastores.running;
    this.datastores.running = root;
    if (!this.candidateDirty) this.datastores.candidate = cloneRoot(root);
    const changes = diffRoots(before, root, this.keys);
    if (changes.length === 0) return () => undefined;
    const event = configChangeEvent(by, 'running', changes, this.schema);
    return () => {
      this.hub.publish(NETCONF_STREAM, event);
    };
  }

  /** Close every session and clear every timer. */
  close(): void {
    for (const session of [...this.sessions.values()]) session.close();
    this.commits.close();
    this.hub.close();
  }
}

function buildCapabilities(settings: DeviceSettings): string[] {
  const uris = [BASE_1_0];
  if (settings.base11) uris.push(BASE_1_1);
  uris.push(...FEATURE_CAPABILITIES);
  const model = settings.model;
  if (model) {
    // RFC 6243: basic mode explicit, since the simulator stores what clients set.
    uris.push(`${WITH_DEFAULTS_CAPABILITY}?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim`);
    const library = model.schema.modules.get('ietf-yang-library');
    if (settings.yangLibrary && library?.implemented && library.revision) {
      // Both forms: RFC 7950 §5.6.4 (modules-state) and, when the module has it, RFC 8526 §2 (yang-library, NMDA).
      uris.push(`${YANG_LIBRARY_CAPABILITY}?revision=${library.revision}&module-set-id=${model.moduleSetId}`);
      if (model.top(YANG_LIBRARY_NS, 'yang-library')) uris.push(`${YANG_LIBRARY_1_1_CAPABILITY}?revision=${library.revision}&content-id=${model.moduleSetId}`);
    }
  }
  // The modules: those of yangDir, and the built-in ones the simulator implements (builtin-modules.ts).
  for (const m of settings.schema.modules) {
    if (m.submodule || !m.namespace) continue;
    if (m.builtin !== undefined && !(model ? model.schema.modules.get(m.name)?.implemented === true : m.builtin === 'base')) continue;
    const extra = model ? model.capabilityParameters(m.name, m.revision) : '';
    uris.push(`${m.namespace}?module=${encodeURIComponent(m.name)}${m.revision ? `&revision=${m.revision}` : ''}${extra}`);
  }
  uris.push(...settings.extraCapabilities);
  return [...new Set(uris)].filter((u) => !capabilityOmitted(u, settings.omitCapabilities));
}

/** Whether a capability is left out by `omitCapabilities` (URIs or abbreviations; base:1.0 never is). */
export function capabilityOmitted(uri: string, omit: readonly string[]): boolean {
  if (uri === BASE_1_0) return false;
  const cap = parseCapability(uri);
  return omit.some((o) => o === uri || o === cap.base || cap.abbreviations.includes(o));
}
