/**
 * The NETCONF operations of the simulator (RFC 6241 §7–8, RFC 6022 `<get-schema>`, RFC 5277
 * `<create-subscription>`), and the dispatch of an RPC to them or to a user's handler.
 *
 * Parameters are checked as a device would: a missing one is `missing-element`, an unexpected
 * one `unknown-element`, a bad value `invalid-value`; an operation the simulator does not know,
 * or whose capability is not advertised, is `operation-not-supported`.
 * @module
 */
import { applyEdit, cloneRoot, emptyRoot, rootFromElement, type DatastoreName, type DefaultOperation, type ErrorOption } from './datastore.js';
import type { Device } from './device.js';
import { NetconfServerError, NetconfServerErrors, rpcErrors } from './errors.js';
import { buildSelection, emptySelection, selectWithAncestors, subtreeFilter } from './filter.js';
import { NETCONF_STREAM, type ChangedBy, type EventFilter } from './notifications.js';
import type { ServerSession } from './session.js';
import { stateTree } from './state.js';
import { checkMandatory, validateEdit } from './validate.js';
import { editData, getData } from './nmda.js';
import { fillDefaults, markDefaults, type ReportedNodes, type WithDefaultsMode } from './with-defaults.js';
import { appendChild, elementsOf, escapeText, serializeChildren } from './xml.js';
import { xpathSelect } from './xpath.js';
import { MONITORING_NS, NETCONF_NS, NMDA_NS, NOTIFICATION_NS } from '../namespaces.js';
import type { XmlElement } from '../index.js';

/** What an operation needs. */
export interface OperationContext {
  device: Device;
  session: ServerSession;
  /** The `<rpc>` element. */
  rpc: XmlElement;
  /** The operation element. */
  op: XmlElement;
  messageId: string;
}

/** What an operation produced. */
export interface OperationResult {
  /** Content of `<rpc-reply>`; default `<ok/>`. */
  body?: string;
  /** How many `<rpc-error>` the body holds (continue-on-error edits). */
  errorCount?: number;
  /** To run once the reply is sent (notifications, replay). */
  after?: () => void;
  /** Close the session after the reply (`<close-session>`). */
  closeSession?: boolean;
}

type Operation = (ctx: OperationContext) => OperationResult | Promise<OperationResult>;

const OK: OperationResult = {};

/** The parameters of an operation by local name, refusing unknown and repeated ones. */
export function parameters(op: XmlElement, allowed: readonly string[]): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  for (const c of elementsOf(op)) {
    if (!allowed.includes(c.local)) throw rpcErrors.unknownElement(c.local, `<${op.local}> has no parameter <${c.local}>`);
    if (out.has(c.local)) throw rpcErrors.unknownElement(c.local, `<${c.local}> given twice in <${op.local}>`);
    out.set(c.local, c);
  }
  return out;
}

function required(params: Map<string, XmlElement>, name: string, op: string): XmlElement {
  const el = params.get(name);
  if (!el) throw rpcErrors.missingElement(name, `<${op}> needs <${name}>`);
  return el;
}

export function requireCapability(device: Device, capability: string, what: string): void {
  if (!device.has(capability)) throw rpcErrors.operationNotSupported(`${what} needs the ${capability} capability, which this server does not advertise`);
}

/** Which datastore a `<target>` / `<source>` names; `config` when inline configuration is allowed and given. */
function datastoreIn(el: XmlElement, device: Device, allowed: readonly DatastoreName[], allowConfig: false): DatastoreName;
function datastoreIn(el: XmlElement, device: Device, allowed: readonly DatastoreName[], allowConfig: true): DatastoreName | XmlElement;
function datastoreIn(el: XmlElement, device: Device, allowed: readonly DatastoreName[], allowConfig: boolean): DatastoreName | XmlElement {
  const children = elementsOf(el);
  const choice = children[0];
  if (!choice) throw rpcErrors.missingElement(el.local, `<${el.local}> names no datastore`);
  if (children.length > 1) throw rpcErrors.unknownElement((children[1] as XmlElement).local, `<${el.local}> names more than one datastore`);
  if (choice.local === 'url') throw rpcErrors.operationNotSupported('the :url capability is not supported');
  if (choice.local === 'config' && allowConfig) return choice;
  const name = choice.local as DatastoreName;
  if (!allowed.includes(name)) throw rpcErrors.invalidValue(`<${choice.local}> is not a datastore this operation accepts here`, choice.local);
  if (name !== 'running') requireCapability(device, `:${name}`, `the ${name} datastore`);
  return name;
}

/** Refuse to change a datastore another session has locked. */
function checkNotLockedByOther(ctx: OperationContext, name: DatastoreName): void {
  const lock = ctx.device.locks.get(name);
  if (lock && lock.sessionId !== ctx.session.id) {
    throw new NetconfServerError({ type: 'protocol', tag: 'in-use', message: `the ${name} datastore is locked by session ${lock.sessionId}`, info: { 'session-id': String(lock.sessionId) } });
  }
}

function changedBy(ctx: OperationContext): ChangedBy {
  return { username: ctx.session.username, sessionId: ctx.session.id, sourceHost: ctx.session.sourceHost };
}

/** Read a `<filter>` element (subtree by default, or `type="xpath"` with `select`). */
export function readFilter(el: XmlElement, device: Device): EventFilter {
  const type = el.attributes['type'] ?? el.attributes[`{${NETCONF_NS}}type`] ?? 'subtree';
  if (type === 'subtree') return { kind: 'subtree', nodes: elementsOf(el) };
  if (type === 'xpath') {
    requireCapability(device, ':xpath', 'an XPath filter');
    const select = el.attributes['select'] ?? el.attributes[`{${NETCONF_NS}}select`];
    if (select === undefined) throw new NetconfServerError({ type: 'protocol', tag: 'missing-attribute', message: 'an XPath filter needs a select attribute', info: { 'bad-attribute': 'select', 'bad-element': 'filter' } });
    return { kind: 'xpath', select, namespaces: el.inScopeNamespaces() };
  }
  throw new NetconfServerError({ type: 'protocol', tag: 'bad-attribute', message: `unknown filter type ${JSON.stringify(type)}`, info: { 'bad-attribute': 'type', 'bad-element': 'filter' } });
}

/** A copy of `root` reduced by a filter (or `root` itself without one). */
function filtered(root: XmlElement, filter: EventFilter | undefined, device: Device): XmlElement {
  if (!filter) return root;
  if (filter.kind === 'subtree') return subtreeFilter(root, filter.nodes);
  const selection = emptySelection();
  for (const node of xpathSelect(root, filter.select, filter.namespaces)) selectWithAncestors(selection, node, root);
  // Ancestor list entries come with their keys, so that the client can tell them apart.
  for (const ancestor of selection.included) {
    for (const key of device.keys.certainKeysOf(ancestor) ?? []) {
      const leaf = elementsOf(ancestor).find((c) => c.local === key);
      if (leaf) selection.selected.add(leaf);
    }
  }
  return buildSelection(root, selection);
}

/** The `<with-defaults>` mode asked for; undefined without one or when the simulator has no compiled modules. */
export function withDefaultsMode(params: Map<string, XmlElement>, device: Device): WithDefaultsMode | undefined {
  const el = params.get('with-defaults');
  if (!el || !device.model) return undefined;
  return oneOf<WithDefaultsMode>(el, ['report-all', 'report-all-tagged', 'trim', 'explicit'], 'explicit');
}

/**
 * Filter a copy of `root`, reporting defaults as `<with-defaults>` asks (RFC 6243): those of the
 * nodes the reply holds (`nodes`: configuration, state, or both).
 */
export function retrieved(root: XmlElement, filter: EventFilter | undefined, device: Device, mode: WithDefaultsMode | undefined, nodes: ReportedNodes): XmlElement {
  const model = device.model;
  if (!model || mode === undefined || mode === 'explicit') return filtered(root, filter, device);
  let tree = root;
  if (mode === 'report-all' || mode === 'report-all-tagged') {
    tree = cloneRoot(root);
    fillDefaults(tree, model, nodes);
  }
  tree = filtered(tree, filter, device);
  if (tree === root) tree = cloneRoot(root);
  if (mode !== 'report-all') markDefaults(tree, model, mode);
  return tree;
}

function dataReply(root: XmlElement): OperationResult {
  return { body: `<data>${serializeChildren(root, NETCONF_NS)}</data>` };
}

function readDatastore(device: Device, name: DatastoreName): XmlElement {
  return device.datastores[name];
}

const get: Operation = (ctx) => {
  const params = parameters(ctx.op, ['filter', 'with-defaults']);
  const filterEl = params.get('filter');
  const filter = filterEl && readFilter(filterEl, ctx.device);
  const mode = withDefaultsMode(params, ctx.device);
  const root = cloneRoot(ctx.device.datastores.running);
  for (const c of elementsOf(stateTree(ctx.device))) appendChild(root, c);
  return dataReply(retrieved(root, filter, ctx.device, mode, { config: true, state: true }));
};

const getConfig: Operation = (ctx) => {
  const params = parameters(ctx.op, ['source', 'filter', 'with-defaults']);
  const source = datastoreIn(required(params, 'source', 'get-config'), ctx.device, ['running', 'candidate', 'startup'], false);
  const filterEl = params.get('filter');
  const filter = filterEl && readFilter(filterEl, ctx.device);
  return dataReply(retrieved(readDatastore(ctx.device, source), filter, ctx.device, withDefaultsMode(params, ctx.device), { config: true, state: false }));
};

export function oneOf<T extends string>(el: XmlElement | undefined, allowed: readonly T[], fallback: T): T {
  if (!el) return fallback;
  const value = el.textContent.trim();
  if (!(allowed as readonly string[]).includes(value)) throw rpcErrors.invalidValue(`<${el.local}> must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, el.local);
  return value as T;
}

const editConfig: Operation = (ctx) => {
  const { device } = ctx;
  const params = parameters(ctx.op, ['target', 'default-operation', 'test-option', 'error-option', 'config', 'url']);
  const target = datastoreIn(required(params, 'target', 'edit-config'), device, ['running', 'candidate'], false);
  if (target === 'running') requireCapability(device, ':writable-running', 'edit-config on running');
  const defaultOperation = oneOf<DefaultOperation>(params.get('default-operation'), ['merge', 'replace', 'none'], 'merge');
  const testOption = oneOf(params.get('test-option'), ['test-then-set', 'set', 'test-only'], 'test-then-set');
  if (params.has('test-option')) requireCapability(device, testOption === 'test-only' ? ':validate:1.1' : ':validate', `test-option ${testOption}`);
  const errorOption = oneOf<ErrorOption>(params.get('error-option'), ['stop-on-error', 'continue-on-error', 'rollback-on-error'], 'stop-on-error');
  if (errorOption === 'rollback-on-error') requireCapability(device, ':rollback-on-error', 'error-option rollback-on-error');
  if (params.has('url')) throw rpcErrors.operationNotSupported('the :url capability is not supported');
  const config = required(params, 'config', 'edit-config');
  return applyEditTo(ctx, target, config, { defaultOperation, errorOption, testOnly: testOption === 'test-only' });
};

/**
 * An edit of a datastore (edit-config, edit-data): validated against the compiled modules when
 * there are some, applied, and stored.
 */
export function applyEditTo(ctx: OperationContext, target: DatastoreName, config: XmlElement, options: { defaultOperation: DefaultOperation; errorOption: ErrorOption; testOnly: boolean }): OperationResult {
  const { device } = ctx;
  const { defaultOperation, errorOption } = options;
  checkNotLockedByOther(ctx, target);
  if (device.model) {
    const invalid = validateEdit(config, device.model, device.keys);
    if (invalid) throw invalid;
  }
  const outcome = applyEdit(device.datastores[target], config, { defaultOperation, errorOption, keys: device.keys, schema: device.schema });
  if (outcome.errors.length > 0 && errorOption !== 'continue-on-error') throw new NetconfServerErrors(outcome.errors);
  if (device.model && outcome.root !== device.datastores[target]) {
    const missing = checkMandatory(outcome.root, device.model, device.keys);
    if (missing) throw missing;
  }
  const result: OperationResult = {};
  if (outcome.errors.length > 0) {
    result.body = outcome.errors.map((e) => e.toXml()).join('');
    result.errorCount = outcome.errors.length;
  }
  if (options.testOnly || outcome.root === device.datastores[target]) return result;
  if (target === 'running') result.after = device.setRunning(outcome.root, changedBy(ctx));
  else device.setCandidate(outcome.root);
  return result;
}

/** With compiled modules, check a whole configuration given inline (`<config>`) as an edit would be. */
function checkContent(device: Device, config: XmlElement): void {
  if (!device.model) return;
  const invalid = validateEdit(config, device.model, device.keys) ?? checkMandatory(rootFromElement(config), device.model, device.keys);
  if (invalid) throw invalid;
}

/** Store a whole new content in a datastore (copy-config, delete-config). */
function store(ctx: OperationContext, target: DatastoreName, root: XmlElement): OperationResult {
  const { device } = ctx;
  if (target === 'running') return { after: device.setRunning(root, changedBy(ctx)) };
  if (target === 'candidate') device.setCandidate(root);
  else device.datastores.startup = root;
  return OK;
}

const copyConfig: Operation = (ctx) => {
  const { device } = ctx;
  const params = parameters(ctx.op, ['target', 'source']);
  const target = datastoreIn(required(params, 'target', 'copy-config'), device, ['running', 'candidate', 'startup'], false);
  const source = datastoreIn(required(params, 'source', 'copy-config'), device, ['running', 'candidate', 'startup'], true);
  if (source === target) throw rpcErrors.invalidValue('source and target are the same datastore');
  if (target === 'running') requireCapability(device, ':writable-running', 'copy-config to running');
  checkNotLockedByOther(ctx, target);
  if (typeof source !== 'string') checkContent(device, source);
  const root = typeof source === 'string' ? cloneRoot(device.datastores[source]) : rootFromElement(source);
  return store(ctx, target, root);
};

const deleteConfig: Operation = (ctx) => {
  const params = parameters(ctx.op, ['target']);
  const target = datastoreIn(required(params, 'target', 'delete-config'), ctx.device, ['running', 'candidate', 'startup'], false);
  if (target === 'running') throw rpcErrors.invalidValue('the running datastore cannot be deleted', 'running');
  checkNotLockedByOther(ctx, target);
  return store(ctx, target, emptyRoot());
};

const lock: Operation = (ctx) => {
  const { device, session } = ctx;
  const params = parameters(ctx.op, ['target']);
  const target = datastoreIn(required(params, 'target', 'lock'), device, ['running', 'candidate', 'startup'], false);
  const held = device.locks.get(target);
  if (held) {
    throw new NetconfServerError({
      type: 'protocol',
      tag: 'lock-denied',
      message: held.sessionId === session.id ? `this session already holds the lock on ${target}` : `the ${target} datastore is locked by session ${held.sessionId}`,
      info: { 'session-id': String(held.sessionId) },
    });
  }
  if (target === 'candidate' && device.candidateDirty) {
    throw new NetconfServerError({ type: 'protocol', tag: 'lock-denied', message: 'the candidate has changes that are neither committed nor discarded', info: { 'session-id': '0' } });
  }
  device.locks.set(target, { sessionId: session.id, since: new Date() });
  return OK;
};

const unlock: Operation = (ctx) => {
  const { device, session } = ctx;
  const params = parameters(ctx.op, ['target']);
  const target = datastoreIn(required(params, 'target', 'unlock'), device, ['running', 'candidate', 'startup'], false);
  const held = device.locks.get(target);
  if (!held) throw rpcErrors.operationFailed(`the ${target} datastore is not locked`);
  if (held.sessionId !== session.id) throw new NetconfServerError({ type: 'protocol', tag: 'operation-failed', message: `the lock on ${target} is held by session ${held.sessionId}`, info: { 'session-id': String(held.sessionId) } });
  device.locks.delete(target);
  return OK;
};

const validate: Operation = (ctx) => {
  requireCapability(ctx.device, ':validate', 'validate');
  const params = parameters(ctx.op, ['source']);
  const source = datastoreIn(required(params, 'source', 'validate'), ctx.device, ['running', 'candidate', 'startup'], true);
  const model = ctx.device.model;
  if (model) {
    // With compiled modules: what the edits cannot catch alone (a whole inline configuration, mandatory leaves).
    if (typeof source !== 'string') checkContent(ctx.device, source);
    else {
      const missing = checkMandatory(ctx.device.datastores[source], model, ctx.device.keys);
      if (missing) throw missing;
    }
  }
  return OK;
};

function text(params: Map<string, XmlElement>, name: string): string | undefined {
  return params.get(name)?.textContent.trim();
}

const commit: Operation = (ctx) => {
  const { device } = ctx;
  requireCapability(device, ':candidate', 'commit');
  const params = parameters(ctx.op, ['confirmed', 'confirm-timeout', 'persist', 'persist-id']);
  const confirmed = params.has('confirmed');
  if (confirmed) requireCapability(device, ':confirmed-commit', 'a confirmed commit');
  if ((params.has('persist') || params.has('persist-id')) && !device.has(':confirmed-commit:1.1')) {
    throw rpcErrors.operationNotSupported('persist and persist-id need :confirmed-commit:1.1');
  }
  let timeout = 600;
  const timeoutText = text(params, 'confirm-timeout');
  if (timeoutText !== undefined) {
    if (!confirmed) throw rpcErrors.unknownElement('confirm-timeout', '<confirm-timeout> applies to a confirmed commit only');
    timeout = Number(timeoutText);
    if (!/^\d+$/.test(timeoutText) || timeout < 1 || timeout > 4294967295) throw rpcErrors.invalidValue(`invalid confirm-timeout ${JSON.stringify(timeoutText)}`, 'confirm-timeout');
  }
  const persist = text(params, 'persist');
  if (persist !== undefined && !confirmed) throw rpcErrors.unknownElement('persist', '<persist> applies to a confirmed commit only');
  checkNotLockedByOther(ctx, 'running');
  checkNotLockedByOther(ctx, 'candidate');
  const after = device.commits.commit(ctx.session.id, changedBy(ctx), { confirmed, timeout, persist, persistId: text(params, 'persist-id') });
  return { after };
};

const cancelCommit: Operation = (ctx) => {
  requireCapability(ctx.device, ':confirmed-commit:1.1', 'cancel-commit');
  const params = parameters(ctx.op, ['persist-id']);
  return { after: ctx.device.commits.cancel(ctx.session.id, text(params, 'persist-id')) };
};

const discardChanges: Operation = (ctx) => {
  requireCapability(ctx.device, ':candidate', 'discard-changes');
  parameters(ctx.op, []);
  checkNotLockedByOther(ctx, 'candidate');
  ctx.device.resetCandidate();
  return OK;
};

const killSession: Operation = (ctx) => {
  const params = parameters(ctx.op, ['session-id']);
  const idText = required(params, 'session-id', 'kill-session').textContent.trim();
  const id = Number(idText);
  if (!/^\d+$/.test(idText)) throw rpcErrors.invalidValue(`invalid session-id ${JSON.stringify(idText)}`, 'session-id');
  if (id === ctx.session.id) throw rpcErrors.invalidValue('a session cannot kill itself: use close-session', 'session-id');
  const victim = ctx.device.sessions.get(id);
  if (!victim) throw rpcErrors.invalidValue(`no session ${id}`, 'session-id');
  victim.close();
  return OK;
};

const closeSession: Operation = (ctx) => {
  parameters(ctx.op, []);
  return { closeSession: true };
};

const getSchema: Operation = (ctx) => {
  const params = parameters(ctx.op, ['identifier', 'version', 'format']);
  const identifier = required(params, 'identifier', 'get-schema').textContent.trim();
  const version = text(params, 'version');
  const format = text(params, 'format');
  if (format !== undefined && format !== 'yang' && !/^[\w.-]+:yang$/.test(format)) throw rpcErrors.invalidValue(`schema format ${JSON.stringify(format)} is not available (only yang)`, 'format');
  const found = ctx.device.schema.find(identifier, version);
  if (found.length === 0) throw rpcErrors.invalidValue(`no schema ${identifier}${version ? `@${version}` : ''}`, 'identifier');
  if (found.length > 1) throw new NetconfServerError({ type: 'protocol', tag: 'operation-failed', appTag: 'data-not-unique', message: `several revisions of ${identifier}: give a version` });
  return { body: `<data xmlns="${MONITORING_NS}">${escapeText((found[0] as { text: string }).text)}</data>` };
};

function dateParam(params: Map<string, XmlElement>, name: string): Date | undefined {
  const value = text(params, name);
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw rpcErrors.invalidValue(`invalid ${name} ${JSON.stringify(value)}`, name);
  return date;
}

const createSubscription: Operation = (ctx) => {
  requireCapability(ctx.device, ':notification', 'create-subscription');
  const params = parameters(ctx.op, ['stream', 'filter', 'startTime', 'stopTime']);
  const filterEl = params.get('filter');
  const subscribe: Parameters<typeof ctx.device.hub.subscribe>[1] = { stream: text(params, 'stream') ?? NETCONF_STREAM };
  if (filterEl) subscribe.filter = readFilter(filterEl, ctx.device);
  const startTime = dateParam(params, 'startTime');
  const stopTime = dateParam(params, 'stopTime');
  if (startTime) subscribe.startTime = startTime;
  if (stopTime) subscribe.stopTime = stopTime;
  return { after: ctx.device.hub.subscribe(ctx.session, subscribe) };
};

const OPERATIONS = new Map<string, Operation>([
  [`{${NETCONF_NS}}get`, get],
  [`{${NETCONF_NS}}get-config`, getConfig],
  [`{${NETCONF_NS}}edit-config`, editConfig],
  [`{${NETCONF_NS}}copy-config`, copyConfig],
  [`{${NETCONF_NS}}delete-config`, deleteConfig],
  [`{${NETCONF_NS}}lock`, lock],
  [`{${NETCONF_NS}}unlock`, unlock],
  [`{${NETCONF_NS}}validate`, validate],
  [`{${NETCONF_NS}}commit`, commit],
  [`{${NETCONF_NS}}cancel-commit`, cancelCommit],
  [`{${NETCONF_NS}}discard-changes`, discardChanges],
  [`{${NETCONF_NS}}kill-session`, killSession],
  [`{${NETCONF_NS}}close-session`, closeSession],
  [`{${MONITORING_NS}}get-schema`, getSchema],
  [`{${NOTIFICATION_NS}}create-subscription`, createSubscription],
  [`{${NMDA_NS}}get-data`, (ctx) => getData(ctx)],
  [`{${NMDA_NS}}edit-data`, (ctx) => editData(ctx)],
]);

/** Carry out one operation: a user's handler first (by `{namespace}name` or name), then the built-in ones. */
export async function execute(ctx: OperationContext): Promise<OperationResult> {
  const { op, device } = ctx;
  const tag = op.namespace ? `{${op.namespace}}${op.local}` : op.local;
  const custom = device.handlers.get(tag) ?? device.handlers.get(op.local);
  if (custom) {
    const body = await custom({ sessionId: ctx.session.id, username: ctx.session.username, messageId: ctx.messageId, operation: op, rpc: ctx.rpc });
    return { body: typeof body === 'string' && body.trim() ? body : '<ok/>' };
  }
  const builtin = OPERATIONS.get(tag);
  if (!builtin) throw rpcErrors.operationNotSupported(`operation <${op.local}>${op.namespace ? ` in ${op.namespace}` : ''} is not supported`);
  return builtin(ctx);
}
