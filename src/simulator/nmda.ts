/**
 * NMDA (RFC 8342) operations of RFC 8526 on a schema-aware simulator: `<get-data>` on running,
 * candidate, startup, intended (= running: the simulator has no inactive configuration or
 * templates) and operational (running and the state data), with subtree / XPath filters,
 * config-filter, max-depth (counted from the top-level nodes), with-defaults and with-origin /
 * origin-filter (configuration is `or:intended`, state data `or:system`); `<edit-data>` on running and candidate, validated as edit-config is.
 * Without compiled modules they are `operation-not-supported`, as before.
 * @module
 */
import { cloneRoot, emptyRoot, type DatastoreName, type DefaultOperation } from './datastore.js';
import { NetconfServerError, rpcErrors } from './errors.js';
import type { EventFilter } from './notifications.js';
import { applyEditTo, oneOf, parameters, requireCapability, retrieved, withDefaultsMode, type OperationContext, type OperationResult } from './operations.js';
import { stateTree } from './state.js';
import { appendChild, elementsOf, serializeChildren } from './xml.js';
import { DATASTORES_NS, NMDA_NS, ORIGIN_NS } from '../namespaces.js';
import { XmlElement } from '../index.js';

/** The NMDA datastores. */
export type NmdaDatastoreName = DatastoreName | 'intended' | 'operational';

const ORIGIN_ATTR = `{${ORIGIN_NS}}origin`;

function requireModel(ctx: OperationContext, what: string): void {
  if (!ctx.device.model) throw rpcErrors.operationNotSupported(`${what} needs the simulator's YANG modules (yangDir)`);
}

/** The `<datastore>` identity (`ds:running` …), checked. */
function datastoreOf(el: XmlElement | undefined, ctx: OperationContext, allowed: readonly NmdaDatastoreName[]): NmdaDatastoreName {
  if (!el) throw rpcErrors.missingElement('datastore');
  const text = el.textContent.trim();
  const colon = text.indexOf(':');
  const namespace = el.inScopeNamespaces().get(colon === -1 ? '' : text.slice(0, colon));
  const name = text.slice(colon + 1) as NmdaDatastoreName;
  if (namespace !== DATASTORES_NS || !allowed.includes(name)) throw rpcErrors.invalidValue(`datastore ${JSON.stringify(text)} is not one of ${allowed.map((d) => `ds:${d}`).join(', ')}`, 'datastore');
  if (name === 'candidate' || name === 'startup') requireCapability(ctx.device, `:${name}`, `the ${name} datastore`);
  return name;
}

/** An origin identity (`or:intended`) given as a filter → its name. */
function originOf(el: XmlElement): string {
  const text = el.textContent.trim();
  const colon = text.indexOf(':');
  if (el.inScopeNamespaces().get(colon === -1 ? '' : text.slice(0, colon)) !== ORIGIN_NS) throw rpcErrors.invalidValue(`unknown origin ${JSON.stringify(text)}`, el.local);
  return text.slice(colon + 1);
}

/** `<get-data>` (RFC 8526 §3.1). */
export function getData(ctx: OperationContext): OperationResult {
  requireModel(ctx, 'get-data');
  const { device } = ctx;
  const all = ['datastore', 'subtree-filter', 'xpath-filter', 'config-filter', 'max-depth', 'origin-filter', 'negated-origin-filter', 'with-origin', 'with-defaults'];
  const single = new Map<string, XmlElement>();
  const origins: string[] = [];
  const negated: string[] = [];
  for (const c of elementsOf(ctx.op)) {
    if (!all.includes(c.local)) throw rpcErrors.unknownElement(c.local, `<get-data> has no parameter <${c.local}>`);
    if (c.local === 'origin-filter') origins.push(originOf(c));
    else if (c.local === 'negated-origin-filter') negated.push(originOf(c));
    else single.set(c.local, c);
  }
  const datastore = datastoreOf(single.get('datastore'), ctx, ['running', 'candidate', 'startup', 'intended', 'operational']);
  const operational = datastore === 'operational';
  if ((single.has('with-origin') || origins.length > 0 || negated.length > 0) && !operational) {
    throw rpcErrors.invalidValue('with-origin and origin filters apply to the operational datastore only', single.has('with-origin') ? 'with-origin' : 'origin-filter');
  }
  if (single.has('subtree-filter') && single.has('xpath-filter')) throw rpcErrors.invalidValue('give a subtree-filter or an xpath-filter, not both', 'xpath-filter');
  const configFilter = oneOf(single.get('config-filter'), ['true', 'false', 'both'], 'both');
  const mode = withDefaultsMode(single, device);

  // The datastore's content, each top-level node with its origin.
  const root = emptyRoot();
  const config = datastore === 'intended' || operational ? device.datastores.running : device.datastores[datastore];
  const origin = new Map<XmlElement, string>();
  if (configFilter !== 'false') {
    for (const c of elementsOf(cloneRoot(config))) {
      appendChild(root, c);
      origin.set(c, 'intended');
    }
  }
  if (operational && configFilter !== 'true') {
    for (const c of elementsOf(stateTree(device))) {
      appendChild(root, c);
      origin.set(c, 'system');
    }
  }
  for (const c of elementsOf(root)) {
    const o = origin.get(c) as string;
    if ((origins.length > 0 && !origins.includes(o)) || negated.includes(o)) root.children.splice(root.children.indexOf(c), 1);
  }

  let filter: EventFilter | undefined;
  const subtree = single.get('subtree-filter');
  const xpath = single.get('xpath-filter');
  if (subtree) filter = { kind: 'subtree', nodes: elementsOf(subtree) };
  else if (xpath) filter = { kind: 'xpath', select: xpath.textContent.trim(), namespaces: xpath.inScopeNamespaces() };
  const result = retrieved(root, filter, device, mode, { config: configFilter !== 'false', state: operational && configFilter !== 'true' });
  const depthText = single.get('max-depth')?.textContent.trim();
  if (depthText !== undefined && depthText !== 'unbounded') {
    const depth = Number(depthText);
    if (!/^\d+$/.test(depthText) || depth < 1 || depth > 65535) throw rpcErrors.invalidValue(`invalid max-depth ${JSON.stringify(depthText)}`, 'max-depth');
    prune(result, depth);
  }
  if (single.has('with-origin')) {
    // The origin is inherited (RFC 8342 §5.3.4): mark the top-level nodes.
    for (const c of elementsOf(result)) {
      const source = elementsOf(root).find((r) => r.local === c.local && r.namespace === c.namespace);
      const o = (source && origin.get(source)) ?? 'intended';
      result.children[result.children.indexOf(c)] = withAttribute(c, ORIGIN_ATTR, `or:${o}`);
    }
  }
  return { body: `<data xmlns="${NMDA_NS}">${serializeChildren(result, NMDA_NS)}</data>` };
}

/**
 * Keep `depth` levels below the root (RFC 8526 `max-depth`, counted from the top-level nodes
 * rather than from each node a filter selects); a leaf keeps its value.
 */
function prune(el: XmlElement, depth: number): void {
  for (const c of elementsOf(el)) {
    if (depth <= 1) {
      if (elementsOf(c).length > 0) c.children.length = 0;
    } else {
      prune(c, depth - 1);
    }
  }
}

/** A copy of an element (children shared) with one more attribute. */
function withAttribute(el: XmlElement, name: string, value: string): XmlElement {
  const copy = new XmlElement({ name: el.name, local: el.local, namespace: el.namespace, declarations: { ...el.declarations, or: ORIGIN_NS }, attributes: { ...el.attributes, [name]: value } });
  for (const c of el.children) {
    if (typeof c !== 'string') c.parent = copy;
    copy.children.push(c);
  }
  copy.parent = el.parent;
  return copy;
}

/** `<edit-data>` (RFC 8526 §3.2) on running or candidate. */
export function editData(ctx: OperationContext): OperationResult {
  requireModel(ctx, 'edit-data');
  const params = parameters(ctx.op, ['datastore', 'default-operation', 'config', 'url']);
  const datastore = datastoreOf(params.get('datastore'), ctx, ['running', 'candidate']) as DatastoreName;
  if (params.has('url')) throw rpcErrors.operationNotSupported('the :url capability is not supported');
  const defaultOperation = oneOf<DefaultOperation>(params.get('default-operation'), ['merge', 'replace', 'none'], 'merge');
  const config = params.get('config');
  if (!config) throw rpcErrors.missingElement('config', '<edit-data> needs <config>');
  if (datastore === 'running' && !ctx.device.has(':writable-running') && !ctx.device.has(':candidate')) throw new NetconfServerError({ type: 'protocol', tag: 'operation-not-supported', message: 'running is not writable' });
  return applyEditTo(ctx, datastore, config, { defaultOperation, errorOption: 'stop-on-error', testOnly: false });
}
