/**
 * Schema validation of an edit (`<edit-config>`'s `<config>`, `<edit-data>`'s `<config>`) against
 * the compiled YANG modules, before it is applied, answering what netconfd (yuma123) answers for
 * the same mistakes:
 *
 * - an element of a namespace no module has: `unknown-namespace` (bad-element, bad-namespace);
 * - an element the schema does not have there: `unknown-element`, error-path the parent,
 *   bad-element the element;
 * - child elements in a leaf, text in a container or list entry: `unknown-element`;
 * - a value its type refuses: `invalid-value` with error-app-tag `not-in-range`,
 *   `pattern-test-failed`, `not-in-value-set` or `data-invalid` (type `protocol`);
 * - a list entry without one of its keys: `missing-element` (bad-element the key);
 * - a leaf given twice in one parent: `unknown-element` ("extra value instance");
 * - a `config false` node: `access-denied` with error-app-tag `no-access`;
 * - `delete` / `remove` of a list key alone: `access-denied` (netconfd: "max-access exceeded");
 * - after the edit, a mandatory leaf missing ({@link checkMandatory}): `data-missing`.
 *
 * `data-exists` and `data-missing` are found while applying the edit (datastore.ts).
 * @module
 */
import { NetconfServerError, type RpcErrorSpec } from './errors.js';
import type { ListKeys } from './list-keys.js';
import { formatPath, pathOf, PrefixAllocator } from './paths.js';
import { elementsOf } from './xml.js';
import type { YangModel } from './yang-model.js';
import { NETCONF_NS } from '../namespaces.js';
import { leafValueFromXml, ValueError, type SchemaNode, type XmlElement, type YangType } from '../index.js';

const OPERATION_ATTR = `{${NETCONF_NS}}operation`;

/** Stops the walk at the first error. */
class Found extends Error {
  constructor(readonly error: NetconfServerError) {
    super(error.message);
  }
}

/**
 * Check an edit's content against the schema; the first problem found, or undefined.
 * @param config - the `<config>` element of the request
 */
export function validateEdit(config: XmlElement, model: YangModel, keys: ListKeys): NetconfServerError | undefined {
  const fail = (node: XmlElement | undefined, spec: RpcErrorSpec): never => {
    if (node === undefined) throw new Found(new NetconfServerError(spec));
    const prefixes = new PrefixAllocator(model);
    const path = formatPath(pathOf(node, keys, (el) => el === config), prefixes);
    throw new Found(new NetconfServerError({ ...spec, path, pathNamespaces: prefixes.declarations() }));
  };

  const checkChildren = (parent: XmlElement, parentNode: SchemaNode | undefined, inherited: string): void => {
    const seen = new Set<SchemaNode>();
    for (const el of elementsOf(parent)) {
      const node = parentNode === undefined ? model.top(el.namespace, el.local) : model.child(parentNode, el.namespace, el.local);
      if (!node) {
        if (!model.schema.byNamespace.has(el.namespace)) {
          fail(parentNode === undefined ? undefined : parent, {
            type: 'protocol',
            tag: 'unknown-namespace',
            appTag: 'data-invalid',
            message: `unknown namespace ${el.namespace || '(none)'} of <${el.local}>`,
            info: { 'bad-element': el.local, 'bad-namespace': el.namespace },
          });
        }
        fail(parentNode === undefined ? undefined : parent, { type: 'protocol', tag: 'unknown-element', appTag: 'data-invalid', message: `unknown element <${el.local}>`, info: { 'bad-element': el.local } });
      }
      const n = node as SchemaNode;
      const operation = el.attributes[OPERATION_ATTR] ?? inherited;
      if (!n.config) fail(el, { type: 'application', tag: 'access-denied', appTag: 'no-access', message: `<${el.local}> is config false: it cannot be written` });
      if ((n.kind === 'leaf' || n.kind === 'anydata' || n.kind === 'anyxml') && seen.has(n)) {
        fail(el, { type: 'application', tag: 'unknown-element', appTag: 'data-invalid', message: `<${el.local}> given more than once`, info: { 'bad-element': el.local } });
      }
      seen.add(n);
      if (n.kind === 'leaf' || n.kind === 'leaf-list') {
        const sub = elementsOf(el)[0];
        if (sub) fail(el, { type: 'protocol', tag: 'unknown-element', appTag: 'data-invalid', message: `<${el.local}> is a ${n.kind}: it has no child <${sub.local}>`, info: { 'bad-element': sub.local } });
        const deleting = operation === 'delete' || operation === 'remove';
        if (!(deleting && el.text === '' && n.kind === 'leaf')) checkValue(el, n, model, fail);
      } else if (n.kind === 'container' || n.kind === 'list') {
        if (el.children.some((c) => typeof c === 'string' && c.trim() !== '')) {
          fail(el, { type: 'protocol', tag: 'unknown-element', appTag: 'data-invalid', message: `<${el.local}> is a ${n.kind}: it holds no text`, info: { 'bad-element': el.local } });
        }
        if (n.kind === 'list') checkKeys(el, n, operation, fail);
        checkChildren(el, n, operation);
      }
    }
  };

  try {
    checkChildren(config, undefined, 'merge');
  } catch (err) {
    if (err instanceof Found) return err.error;
    throw err;
  }
  return undefined;
}

type Fail = (node: XmlElement | undefined, spec: RpcErrorSpec) => never;

/** Every key of a list entry present once; no operation on a key that would change it alone. */
function checkKeys(el: XmlElement, list: SchemaNode, operation: string, fail: Fail): void {
  const children = elementsOf(el);
  for (const key of list.keys) {
    const found = children.filter((c) => c.local === key && c.namespace === list.namespace);
    if (found.length === 0) fail(el, { type: 'application', tag: 'missing-element', appTag: 'data-invalid', message: `list entry <${el.local}> without its key <${key}>`, info: { 'bad-element': key } });
    if (found.length > 1) fail(found[1], { type: 'application', tag: 'unknown-element', appTag: 'data-invalid', message: `key <${key}> given more than once`, info: { 'bad-element': key } });
    const keyOp = (found[0] as XmlElement).attributes[OPERATION_ATTR];
    // A key only identifies its entry: deleting it alone is refused as netconfd does (max-access).
    if (keyOp === 'delete' || keyOp === 'remove') {
      if (operation !== 'delete' && operation !== 'remove') fail(found[0], { type: 'application', tag: 'access-denied', appTag: 'no-access', message: `the key <${key}> of a list entry cannot be deleted on its own: delete the entry` });
    }
  }
}

/**
 * The mandatory leaves (`mandatory true`, outside choices) missing from the nodes of a datastore:
 * the first one, as netconfd reports it (`data-missing`, error-app-tag `instance-required`,
 * error-path the missing leaf).
 */
export function checkMandatory(root: XmlElement, model: YangModel, keys: ListKeys): NetconfServerError | undefined {
  const walk = (parent: XmlElement, parentNode: SchemaNode | undefined): NetconfServerError | undefined => {
    if (parentNode !== undefined) {
      for (const child of parentNode.children) {
        if (child.kind !== 'leaf' || !child.mandatory || !child.config) continue;
        if (elementsOf(parent).some((c) => c.local === child.name && c.namespace === child.namespace)) continue;
        const prefixes = new PrefixAllocator(model);
        const path = `${formatPath(pathOf(parent, keys, (el) => el === root), prefixes)}/${prefixes.prefix(child.namespace)}:${child.name}`;
        return new NetconfServerError({ type: 'application', tag: 'data-missing', appTag: 'instance-required', path, pathNamespaces: prefixes.declarations(), message: `the mandatory leaf <${child.name}> is missing`, info: { 'bad-element': child.name } });
      }
    }
    for (const el of elementsOf(parent)) {
      const node = parentNode === undefined ? model.top(el.namespace, el.local) : model.child(parentNode, el.namespace, el.local);
      if (node && (node.kind === 'container' || node.kind === 'list')) {
        const found = walk(el, node);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(root, undefined);
}

/** The type's verdict on a leaf's text; a refusal is `invalid-value` with the app-tag netconfd uses. */
function checkValue(el: XmlElement, node: SchemaNode, model: YangModel, fail: Fail): void {
  const type = node.type;
  if (!type) return;
  let scope: Map<string, string> | undefined;
  try {
    leafValueFromXml(type, el.text, (prefix) => (scope ??= el.inScopeNamespaces()).get(prefix), model.schema, node.module);
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    fail(el, { type: 'protocol', tag: 'invalid-value', appTag: appTagFor(type, el.text), message: `invalid value ${JSON.stringify(el.text)} of <${el.local}>: ${err.message}`, info: { 'bad-element': el.local } });
  }
}

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** The error-app-tag of a refused value, as netconfd chooses it (its own `error-app-tag` first). */
export function appTagFor(type: YangType, text: string): string {
  switch (type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
    case 'decimal64':
      return NUMBER.test(text) ? 'not-in-range' : 'data-invalid';
    case 'enumeration':
    case 'bits':
      return 'not-in-value-set';
    case 'string': {
      const failed = type.patterns.find((p) => p.regex.test(text) === p.invert);
      if (failed) return failed.errorAppTag ?? 'pattern-test-failed';
      return type.length ? 'not-in-range' : 'data-invalid';
    }
    case 'leafref':
      return appTagFor(type.targetType, text);
    case 'union':
      return type.types.some((t) => t.kind === 'string' && t.patterns.length > 0) ? 'pattern-test-failed' : 'data-invalid';
    default:
      return 'data-invalid';
  }
}
