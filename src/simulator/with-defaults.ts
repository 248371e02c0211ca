/**
 * RFC 6243 with-defaults on the replies of a schema-aware simulator. The simulator stores what
 * clients set (basic mode `explicit`); `report-all` adds the schema defaults of leaves and
 * leaf-lists that are not set (in existing list entries, in non-presence containers, in the
 * active or default case of a choice), `report-all-tagged` does so and marks every value equal to
 * its default with `wd:default="true"`, `trim` leaves out every value equal to its default.
 * @module
 */
import { appendChild, elementsOf, isLeaf, makeElement, removeChild, replaceChild } from './xml.js';
import type { YangModel } from './yang-model.js';
import { leafValueFromXml, leafValueToXml, XmlElement, type NamespaceOf, type SchemaNode } from '../index.js';

/** The modes of `<with-defaults>`. */
export type WithDefaultsMode = 'report-all' | 'report-all-tagged' | 'trim' | 'explicit';

/** The namespace of the `default` attribute (RFC 6243 §6). */
export const WD_ATTRIBUTE_NS = 'urn:ietf:params:xml:ns:netconf:default:1.0';
const DEFAULT_ATTR = `{${WD_ATTRIBUTE_NS}}default`;

/** Which nodes a reply holds: configuration (`<get-config>`), state as well (`<get>`, operational). */
export interface ReportedNodes {
  readonly config: boolean;
  readonly state: boolean;
}

/**
 * Add the defaults not set to a tree (changed in place), for report-all and report-all-tagged:
 * those of configuration nodes, of state nodes, or of both, as the reply holds them.
 */
export function fillDefaults(root: XmlElement, model: YangModel, nodes: ReportedNodes): void {
  fillLevel(root, model.schema.data, model, nodes);
}

/** Mark (report-all-tagged) or leave out (trim) the values equal to their defaults (in place). */
export function markDefaults(root: XmlElement, model: YangModel, mode: 'report-all-tagged' | 'trim'): void {
  const walk = (el: XmlElement, node: SchemaNode | undefined): void => {
    for (const c of elementsOf(el)) {
      const n = node === undefined ? model.top(c.namespace, c.local) : model.child(node, c.namespace, c.local);
      if (!n) continue;
      if ((n.kind === 'leaf' || n.kind === 'leaf-list') && n.defaults.length > 0 && isLeaf(c) && isDefault(c, n, model)) {
        if (mode === 'trim') removeChild(el, c);
        else replaceChild(el, c, tagged(c));
      } else if (n.kind === 'container' || n.kind === 'list') {
        walk(c, n);
      }
    }
  };
  walk(root, undefined);
}

/** The defaults of one level: `schemaChildren` are the schema children of `el` (choices included). */
function fillLevel(el: XmlElement, schemaChildren: readonly SchemaNode[], model: YangModel, nodes: ReportedNodes): void {
  const present = elementsOf(el);
  const has = (n: SchemaNode): boolean => present.some((c) => c.local === n.name && c.namespace === n.namespace);
  for (const n of schemaChildren) {
    if (n.kind === 'choice') {
      const cases = n.children.map((c) => (c.kind === 'case' ? c : undefined)).filter((c): c is SchemaNode => c !== undefined);
      const active = cases.find((c) => hasData(el, c)) ?? cases.find((c) => c.name === n.defaults[0]);
      if (active) fillLevel(el, active.children, model, nodes);
      continue;
    }
    if (n.kind === 'case') {
      fillLevel(el, n.children, model, nodes);
      continue;
    }
    if (!n.config && !nodes.state) continue; // a state subtree, in <get-config>
    const reported = n.config ? nodes.config : nodes.state;
    if (n.kind === 'leaf' && n.defaults.length > 0 && !has(n)) {
      if (reported) appendChild(el, defaultElement(n, n.defaults[0] as string, el.namespace, model));
    } else if (n.kind === 'leaf-list' && n.defaults.length > 0 && !has(n)) {
      if (reported) for (const d of n.defaults) appendChild(el, defaultElement(n, d, el.namespace, model));
    } else if (n.kind === 'container') {
      const existing = present.find((c) => c.local === n.name && c.namespace === n.namespace);
      if (existing) fillLevel(existing, n.children, model, nodes);
      else if (n.presence === undefined) {
        const shell = makeElement(n.name, n.namespace, el.namespace);
        fillLevel(shell, n.children, model, nodes);
        if (shell.children.length > 0) appendChild(el, shell);
      }
    } else if (n.kind === 'list') {
      for (const entry of present) if (entry.local === n.name && entry.namespace === n.namespace) fillLevel(entry, n.children, model, nodes);
    }
  }
}

/** Whether a case has one of its data nodes in `el`. */
function hasData(el: XmlElement, node: SchemaNode): boolean {
  return node.children.some((c) => (c.kind === 'choice' || c.kind === 'case' ? hasData(el, c) : elementsOf(el).some((e) => e.local === c.name && e.namespace === c.namespace)));
}

/**
 * A default value as an element, in canonical form; the prefixes of an identityref or
 * instance-identifier declared on it (a default is written with the YANG prefixes of its module).
 */
function defaultElement(node: SchemaNode, value: string, parentNamespace: string, model: YangModel): XmlElement {
  const declarations: Record<string, string> = {};
  let text = value;
  if (node.type) {
    try {
      const json = leafValueFromXml(node.type, value, defaultScope(node, model), model.schema, node.module);
      text = leafValueToXml(
        node.type,
        json,
        (namespace, preferred) => {
          let prefix = preferred;
          for (let i = 2; declarations[prefix] !== undefined && declarations[prefix] !== namespace; i++) prefix = `${preferred}${i}`;
          declarations[prefix] = namespace;
          return prefix;
        },
        model.schema,
        node.module,
      );
    } catch {
      // a default the compiler let through but the value code refuses: as written
    }
  }
  const el = makeElement(node.name, node.namespace, parentNamespace, declarations);
  appendChild(el, text);
  return el;
}

/** The prefixes a default is written with: its module's own, and its imports' (approximated by the prefixes of the compiled modules). */
function defaultScope(node: SchemaNode, model: YangModel): NamespaceOf {
  const own = model.schema.modules.get(node.module);
  return (p) => (own && p === own.prefix ? own.namespace : [...model.schema.modules.values()].find((m) => m.prefix === p)?.namespace);
}

/** A copy of a leaf element with `wd:default="true"`. */
function tagged(el: XmlElement): XmlElement {
  const copy = new XmlElement({ name: el.name, local: el.local, namespace: el.namespace, declarations: { ...el.declarations }, attributes: { [DEFAULT_ATTR]: 'true' } });
  for (const c of el.children) appendChild(copy, c);
  return copy;
}

/** Whether a leaf's value equals its default (a leaf-list entry: one of the defaults), compared canonically. */
function isDefault(el: XmlElement, node: SchemaNode, model: YangModel): boolean {
  const type = node.type;
  const text = el.text;
  if (!type) return node.defaults.includes(text);
  const canonical = (value: string, namespaceOf: (prefix: string) => string | undefined): string | undefined => {
    try {
      return JSON.stringify(leafValueFromXml(type, value, namespaceOf, model.schema, node.module));
    } catch {
      return undefined;
    }
  };
  const scope = el.inScopeNamespaces();
  const mine = canonical(text, (p) => scope.get(p));
  const defaults = defaultScope(node, model);
  return node.defaults.some((d) => (mine !== undefined ? canonical(d, defaults) === mine : d === text));
}
