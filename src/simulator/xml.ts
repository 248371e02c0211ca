/**
 * XML helpers of the simulator: namespaces, building and copying {@link XmlElement} trees in a
 * normalised form, and serialising them.
 *
 * Trees held by the simulator (datastores, replies) are *normalised*: every element's `name` is its
 * local name, it declares its namespace as the default one where that differs from its parent's,
 * a leaf whose value uses prefixes (an identityref `ianaift:ethernetCsmacd`, an
 * instance-identifier) carries the declarations of those prefixes, and no attributes are kept.
 * That makes any subtree serialisable on its own.
 * @module
 */
import { escapeXml, XmlElement } from '../index.js';

/** Escape character data. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** The child elements of `el` (no text nodes). */
export function elementsOf(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string') out.push(c);
  return out;
}

/** True when `el` has no child element (a leaf, a leaf-list entry, or an empty container). */
export function isLeaf(el: XmlElement): boolean {
  for (const c of el.children) if (typeof c !== 'string') return false;
  return true;
}

/** The trimmed text of the first child element named `local`, or undefined. */
export function childValue(el: XmlElement, local: string): string | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.local === local) return c.textContent.trim();
  return undefined;
}

/** True when the two elements have the same namespace and local name. */
export function sameTag(a: XmlElement, b: XmlElement): boolean {
  return a.local === b.local && a.namespace === b.namespace;
}

/**
 * A new normalised element, declaring `namespace` as default when it differs from the parent's.
 * @param extraDeclarations - prefixed declarations to carry (identityref values)
 */
export function makeElement(local: string, namespace: string, parentNamespace: string | null, extraDeclarations?: Record<string, string>): XmlElement {
  const declarations: Record<string, string> = {};
  if (namespace !== parentNamespace) declarations[''] = namespace;
  if (extraDeclarations) Object.assign(declarations, extraDeclarations);
  return new XmlElement({ name: local, local, namespace, declarations });
}

/** Append `child` to `parent`. */
export function appendChild(parent: XmlElement, child: XmlElement | string): void {
  if (typeof child !== 'string') child.parent = parent;
  parent.children.push(child);
}

/** Insert `child` after the last child of `parent` with the same tag, or at the end. */
export function insertGrouped(parent: XmlElement, child: XmlElement): void {
  child.parent = parent;
  for (let i = parent.children.length - 1; i >= 0; i--) {
    const c = parent.children[i];
    if (c !== undefined && typeof c !== 'string' && sameTag(c, child)) {
      parent.children.splice(i + 1, 0, child);
      return;
    }
  }
  parent.children.push(child);
}

/** Remove `child` from `parent`. */
export function removeChild(parent: XmlElement, child: XmlElement): void {
  const at = parent.children.indexOf(child);
  if (at !== -1) parent.children.splice(at, 1);
  child.parent = null;
}

/** Put `replacement` where `old` is. */
export function replaceChild(parent: XmlElement, old: XmlElement, replacement: XmlElement): void {
  const at = parent.children.indexOf(old);
  replacement.parent = parent;
  if (at === -1) parent.children.push(replacement);
  else parent.children[at] = replacement;
  old.parent = null;
}

const PREFIX_USE = /(?:^|[^\w.:-])([A-Za-z_][\w.-]*):(?=[A-Za-z_*])/g;

/**
 * A normalised deep copy of a parsed element, for storing it under a parent in `parentNamespace`.
 * Attributes are dropped; white space between child elements is dropped; a leaf keeps its text
 * and the declaration of a prefix its value uses.
 * @param keep - which child elements to copy (default all)
 */
export function importElement(src: XmlElement, parentNamespace: string | null, keep?: (child: XmlElement) => boolean): XmlElement {
  const leaf = isLeaf(src);
  let extra: Record<string, string> | undefined;
  if (leaf) {
    // The declarations of prefixes the value uses: identityrefs, instance-identifiers, XPath.
    const text = src.text;
    let scope: Map<string, string> | undefined;
    for (const m of text.matchAll(PREFIX_USE)) {
      const prefix = m[1] as string;
      scope ??= src.inScopeNamespaces();
      const uri = scope.get(prefix);
      if (uri !== undefined) (extra ??= {})[prefix] = uri;
    }
  }
  const copy = makeElement(src.local, src.namespace, parentNamespace, extra);
  for (const c of src.children) {
    if (typeof c === 'string') {
      if (leaf || c.trim()) appendChild(copy, c);
    } else if (!keep || keep(c)) {
      appendChild(copy, importElement(c, src.namespace, keep));
    }
  }
  return copy;
}

/** Deep copy of a normalised element (declarations kept as they are). */
export function cloneElement(src: XmlElement): XmlElement {
  const copy = new XmlElement({ name: src.name, local: src.local, namespace: src.namespace, declarations: { ...src.declarations } });
  for (const c of src.children) appendChild(copy, typeof c === 'string' ? c : cloneElement(c));
  return copy;
}

/** Copy of a normalised element without its children. */
export function shallowCopy(src: XmlElement): XmlElement {
  return new XmlElement({ name: src.name, local: src.local, namespace: src.namespace, declarations: { ...src.declarations } });
}

/**
 * Serialise a normalised element: the default namespace is declared wherever it differs from the
 * parent's (`parentNamespace`, `null` for a root), prefixed declarations as stored.
 */
export function serialize(el: XmlElement, parentNamespace: string | null, parts: string[] = []): string[] {
  parts.push('<', el.local);
  if (el.namespace !== parentNamespace) parts.push(' xmlns="', escapeXml(el.namespace), '"');
  for (const [prefix, uri] of Object.entries(el.declarations)) if (prefix) parts.push(' xmlns:', prefix, '="', escapeXml(uri), '"');
  for (const [name, value] of Object.entries(el.attributes)) serializeMetadata(name, value, el.declarations, parts);
  if (el.children.length === 0) {
    parts.push('/>');
    return parts;
  }
  parts.push('>');
  for (const c of el.children) {
    if (typeof c === 'string') parts.push(escapeText(c));
    else serialize(c, el.namespace, parts);
  }
  parts.push('</', el.local, '>');
  return parts;
}

/** Prefixes of the RFC 7952 metadata the simulator adds to replies (with-defaults, NMDA origin). */
const METADATA_PREFIXES: Readonly<Record<string, string>> = {
  'urn:ietf:params:xml:ns:netconf:default:1.0': 'wd',
  'urn:ietf:params:xml:ns:yang:ietf-origin': 'or',
};

/**
 * A `{namespace}name` attribute of a reply element (RFC 7952 metadata such as `wd:default`,
 * `or:origin`; stored trees have none), with its prefix declared.
 */
function serializeMetadata(name: string, value: string, declarations: Readonly<Record<string, string>>, parts: string[]): void {
  const m = /^\{([^}]*)\}(.+)$/.exec(name);
  if (!m) {
    parts.push(' ', name, '="', escapeXml(value), '"');
    return;
  }
  const ns = m[1] as string;
  const prefix = METADATA_PREFIXES[ns] ?? 'md';
  if (declarations[prefix] !== ns) parts.push(' xmlns:', prefix, '="', escapeXml(ns), '"');
  parts.push(' ', prefix, ':', m[2] as string, '="', escapeXml(value), '"');
}

/** Serialise the children of a normalised element as if they stood in `parentNamespace`. */
export function serializeChildren(el: XmlElement, parentNamespace: string | null): string {
  const parts: string[] = [];
  for (const c of el.children) {
    if (typeof c === 'string') parts.push(escapeText(c));
    else serialize(c, parentNamespace, parts);
  }
  return parts.join('');
}

/** `<name>text</name>` with the text escaped. */
export function textElement(name: string, text: string | number): string {
  return `<${name}>${escapeText(String(text))}</${name}>`;
}
