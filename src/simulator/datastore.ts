/**
 * Configuration datastores as {@link XmlElement} trees, and the RFC 6241 `<edit-config>`
 * semantics on them (§7.2): the `operation` attribute (merge, replace, create, delete, remove) in
 * the NETCONF base namespace, inherited down the tree, `default-operation` merge / replace / none,
 * `data-exists` and `data-missing` errors, and `error-option`.
 *
 * A datastore is a normalised tree (see `xml.ts`) under a root `<config>` element in the NETCONF
 * namespace. Nodes are identified as {@link ListKeys} says: list entries by their keys, leaf-list
 * entries by value, the rest by name; leaves are replaced by value.
 * @module
 */
import { NetconfServerError } from './errors.js';
import type { ListKeys } from './list-keys.js';
import { formatPath, pathOf, type PathSegment, PrefixAllocator } from './paths.js';
import type { SchemaRegistry } from './schema.js';
import { appendChild, cloneElement, elementsOf, importElement, insertGrouped, isLeaf, makeElement, removeChild, replaceChild, serializeChildren } from './xml.js';
import { NETCONF_NS } from '../namespaces.js';
import { parseXml, type XmlElement } from '../index.js';

/** The configuration datastores of the simulator. */
export type DatastoreName = 'running' | 'candidate' | 'startup';

/** An empty datastore root. */
export function emptyRoot(): XmlElement {
  return makeElement('config', NETCONF_NS, null);
}

/** Deep copy of a datastore. */
export function cloneRoot(root: XmlElement): XmlElement {
  return cloneElement(root);
}

/** A datastore from a parsed `<config>` / `<data>` element (its children become the content). */
export function rootFromElement(source: XmlElement): XmlElement {
  const root = emptyRoot();
  for (const c of elementsOf(source)) appendChild(root, importElement(c, NETCONF_NS));
  return root;
}

/**
 * Parse configuration text: a `<config>` or `<data>` element (any namespace), or its content
 * (one or several elements).
 * @throws TypeError when it is not well-formed XML
 */
export function parseConfigText(xml: string, what = 'configuration'): XmlElement {
  const text = xml.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
  if (!text) return emptyRoot();
  let doc: XmlElement | undefined;
  try {
    doc = parseXml(text);
  } catch {
    doc = undefined;
  }
  if (doc && (doc.local === 'config' || doc.local === 'data')) return rootFromElement(doc);
  try {
    return rootFromElement(parseXml(`<config>${text}</config>`));
  } catch (err) {
    throw new TypeError(`Invalid ${what}: ${(err as Error).message}`);
  }
}

/** The datastore as a `<config xmlns="…netconf:base:1.0">` document. */
export function rootToXml(root: XmlElement): string {
  return `<config xmlns="${NETCONF_NS}">${serializeChildren(root, NETCONF_NS)}</config>`;
}

/** The edit operations of the `operation` attribute. */
export type EditOperation = 'merge' | 'replace' | 'create' | 'delete' | 'remove';
/** `default-operation` values. */
export type DefaultOperation = 'merge' | 'replace' | 'none';
/** `error-option` values. */
export type ErrorOption = 'stop-on-error' | 'continue-on-error' | 'rollback-on-error';

/** Parameters of {@link applyEdit}. */
export interface EditParameters {
  defaultOperation: DefaultOperation;
  errorOption: ErrorOption;
  keys: ListKeys;
  schema?: SchemaRegistry;
}

/** What {@link applyEdit} did. */
export interface EditOutcome {
  /** The new datastore content (the target itself, untouched, when the edit failed as a whole). */
  root: XmlElement;
  /** Errors met; with `continue-on-error` the rest of the edit was still applied. */
  errors: NetconfServerError[];
}

const OPERATIONS = new Set<string>(['merge', 'replace', 'create', 'delete', 'remove']);
const CREATING = new Set<string>(['merge', 'replace', 'create']);
const OPERATION_ATTR = `{${NETCONF_NS}}operation`;

class StopEdit extends Error {}

interface EditContext {
  readonly keys: ListKeys;
  readonly errors: NetconfServerError[];
  readonly stopOnError: boolean;
  readonly configRoot: XmlElement;
  readonly schema: SchemaRegistry | undefined;
}

/**
 * Apply an `<edit-config>`'s `<config>` element to a datastore. The target is never modified:
 * the outcome holds a new tree. With `stop-on-error` and `rollback-on-error` an error leaves the
 * datastore as it was (the simulator's edits are atomic); with `continue-on-error` the failing
 * nodes are skipped.
 */
export function applyEdit(target: XmlElement, config: XmlElement, params: EditParameters): EditOutcome {
  const ctx: EditContext = {
    keys: params.keys,
    errors: [],
    stopOnError: params.errorOption !== 'continue-on-error',
    configRoot: config,
    schema: params.schema,
  };
  let work: XmlElement;
  try {
    if (params.defaultOperation === 'replace') {
      // The <config> content becomes the whole datastore.
      work = emptyRoot();
      for (const c of elementsOf(config)) {
        const op = operationOf(c, 'replace', ctx);
        if (op === 'delete' || op === 'remove') continue;
        applyNode(work, c, op, ctx);
      }
    } else {
      work = cloneElement(target);
      for (const c of elementsOf(config)) applyNode(work, c, params.defaultOperation, ctx);
    }
  } catch (err) {
    if (!(err instanceof StopEdit)) throw err;
    return { root: target, errors: ctx.errors };
  }
  if (ctx.errors.length > 0 && ctx.stopOnError) return { root: target, errors: ctx.errors };
  return { root: work, errors: ctx.errors };
}

function operationOf(node: XmlElement, inherited: EditOperation | 'none', ctx: EditContext): EditOperation | 'none' {
  const value = node.attributes[OPERATION_ATTR];
  if (value === undefined) {
    if (node.attributes['operation'] !== undefined) {
      fail(ctx, node, {
        type: 'protocol',
        tag: 'unknown-attribute',
        message: `the operation attribute of <${node.local}> must be in the NETCONF namespace ${NETCONF_NS}`,
        info: { 'bad-attribute': 'operation', 'bad-element': node.local },
      });
    }
    return inherited;
  }
  if (!OPERATIONS.has(value)) {
    fail(ctx, node, { type: 'protocol', tag: 'bad-attribute', message: `invalid operation ${JSON.stringify(value)}`, info: { 'bad-attribute': 'operation', 'bad-element': node.local } });
  }
  return value as EditOperation;
}

function fail(ctx: EditContext, node: XmlElement, spec: ConstructorParameters<typeof NetconfServerError>[0]): never | void {
  const prefixes = new PrefixAllocator(ctx.schema);
  const segments = pathOf(node, ctx.keys, (el) => el === ctx.configRoot);
  const path = formatPath(segments, prefixes);
  ctx.errors.push(new NetconfServerError({ ...spec, path, pathNamespaces: prefixes.declarations() }));
  if (ctx.stopOnError) throw new StopEdit();
}

/** Does the subtree of `node` (itself included) carry an operation attribute in `ops`? */
function findOperation(node: XmlElement, ops: ReadonlySet<string>): XmlElement | undefined {
  const value = node.attributes[OPERATION_ATTR];
  if (value !== undefined && ops.has(value)) return node;
  for (const c of elementsOf(node)) {
    const found = findOperation(c, ops);
    if (found) return found;
  }
  return undefined;
}

/** A copy of a config node for storing, without the nodes its subtree deletes or removes. */
function importFresh(node: XmlElement, parentNamespace: string): XmlElement {
  return importElement(node, parentNamespace, (c) => {
    const op = c.attributes[OPERATION_ATTR];
    return op !== 'delete' && op !== 'remove';
  });
}

function applyNode(parent: XmlElement, node: XmlElement, inherited: EditOperation | 'none', ctx: EditContext): void {
  const op = operationOf(node, inherited, ctx);
  const leafList = isLeaf(node) && ctx.keys.isLeafList(node, node.parent, parent);
  const existing = ctx.keys.findMatch(parent, node, leafList);
  switch (op) {
    case 'create':
      if (existing) {
        fail(ctx, node, { type: 'application', tag: 'data-exists', message: `<${node.local}> already exists` });
        return;
      }
      createNode(parent, node, 'merge', ctx);
      return;
    case 'delete':
      if (!existing) {
        fail(ctx, node, { type: 'application', tag: 'data-missing', message: `<${node.local}> does not exist` });
        return;
      }
      removeChild(parent, existing);
      return;
    case 'remove':
      if (existing) removeChild(parent, existing);
      return;
    case 'replace': {
      const fresh = importFresh(node, parent.namespace);
      if (existing) replaceChild(parent, existing, fresh);
      else insertGrouped(parent, fresh);
      return;
    }
    case 'merge':
      if (!existing) {
        createNode(parent, node, 'merge', ctx);
      } else if (isLeaf(node)) {
        // A leaf takes the new value; an empty element merged onto a container changes nothing.
        if (isLeaf(existing) && existing.text !== node.text) replaceChild(parent, existing, importFresh(node, parent.namespace));
      } else {
        for (const c of elementsOf(node)) applyNode(existing, c, 'merge', ctx);
      }
      return;
    case 'none':
      if (existing) {
        for (const c of elementsOf(node)) applyNode(existing, c, 'none', ctx);
        return;
      }
      if (findOperation(node, CREATING)) {
        createNode(parent, node, 'none', ctx);
        return;
      }
      {
        const deleted = findOperation(node, new Set(['delete']));
        if (deleted) fail(ctx, deleted, { type: 'application', tag: 'data-missing', message: `<${deleted.local}> does not exist` });
        else if (!findOperation(node, new Set(['remove']))) fail(ctx, node, { type: 'application', tag: 'data-missing', message: `<${node.local}> does not exist` });
      }
      return;
  }
}

/**
 * Create `node` under `parent`: a leaf with its value, or an element whose children are then
 * applied one by one (so that operations inside it are honoured). Under `none`, the key leaves
 * of a list entry are copied first, since they only identify it.
 */
function createNode(parent: XmlElement, node: XmlElement, childOperation: EditOperation | 'none', ctx: EditContext): void {
  if (isLeaf(node)) {
    insertGrouped(parent, importFresh(node, parent.namespace));
    return;
  }
  const shell = makeElement(node.local, node.namespace, parent.namespace);
  insertGrouped(parent, shell);
  const keys = childOperation === 'none' ? (ctx.keys.keysOf(node) ?? []) : [];
  for (const c of elementsOf(node)) {
    if (keys.includes(c.local) && c.attributes[OPERATION_ATTR] === undefined) appendChild(shell, importFresh(c, shell.namespace));
    else applyNode(shell, c, childOperation, ctx);
  }
}

/** One change between two versions of a datastore. */
export interface ConfigChange {
  target: PathSegment[];
  operation: 'create' | 'delete' | 'replace';
}

/**
 * The changes that turn `before` into `after`: nodes created and deleted, leaves whose value
 * changed (`replace`). At most `limit` changes; beyond that the list is cut.
 */
export function diffRoots(before: XmlElement, after: XmlElement, keys: ListKeys, limit = 1000): ConfigChange[] {
  const out: ConfigChange[] = [];
  const root = after;
  const pathTo = (el: XmlElement, rootOf: XmlElement): PathSegment[] => pathOf(el, keys, (x) => x === rootOf);
  const walk = (a: XmlElement, b: XmlElement): void => {
    const matched = new Set<XmlElement>();
    for (const bc of elementsOf(b)) {
      if (out.length >= limit) return;
      const leafList = isLeaf(bc) && keys.isLeafList(bc, a, b);
      const ac = keys.findMatch(a, bc, leafList, matched);
      if (!ac) {
        out.push({ target: pathTo(bc, root), operation: 'create' });
        continue;
      }
      matched.add(ac);
      const aLeaf = isLeaf(ac);
      const bLeaf = isLeaf(bc);
      if (aLeaf && bLeaf) {
        if (ac.text.trim() !== bc.text.trim()) out.push({ target: pathTo(bc, root), operation: 'replace' });
      } else if (aLeaf !== bLeaf) {
        out.push({ target: pathTo(bc, root), operation: 'replace' });
      } else {
        walk(ac, bc);
      }
    }
    for (const ac of elementsOf(a)) {
      if (out.length >= limit) return;
      if (!matched.has(ac)) out.push({ target: pathTo(ac, before), operation: 'delete' });
    }
  };
  walk(before, after);
  return out;
}
