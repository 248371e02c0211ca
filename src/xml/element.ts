import { escapeXml } from '../xml/text.js';

/** A node of a parsed document: an element, or a run of text. */
export type XmlNode = XmlElement | string;

function escapeText(text: string): string {
  // A literal CR would be read back as LF (line-end normalisation): write it as a reference.
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/**
 * An element of a parsed XML document, namespace-resolved.
 *
 * A small, read-mostly tree: what NETCONF replies, errors and notifications need (names in
 * namespaces, attributes, children, text) and a serializer that keeps every namespace declaration
 * a detached subtree needs.
 */
export class XmlElement {
  /** The qualified name as written (`nc:data`, `interface`). */
  readonly name: string;
  /** The local name (`data`). */
  readonly local: string;
  /** The namespace URI, `''` for none. */
  readonly namespace: string;
  /** Attributes in Clark notation (`{uri}local`; un-namespaced ones by plain name). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Namespace declarations made on this element: prefix (`''` for the default) → URI. */
  readonly declarations: Readonly<Record<string, string>>;
  /** Attributes as written (qualified names), namespace declarations excluded. */
  readonly rawAttributes: ReadonlyArray<readonly [string, string]>;
  readonly children: XmlNode[];
  parent: XmlElement | null = null;

  constructor(init: {
    name: string;
    local: string;
    namespace: string;
    attributes?: Record<string, string>;
    declarations?: Record<string, string>;
    rawAttributes?: Array<readonly [string, string]>;
    /** The children, when known (default: none yet, a new empty array). */
    children?: XmlNode[] | undefined;
  }) {
    this.name = init.name;
    this.local = init.local;
    this.namespace = init.namespace;
    this.attributes = init.attributes ?? {};
    this.declarations = init.declarations ?? {};
    this.rawAttributes = init.rawAttributes ?? [];
    this.children = init.children ?? [];
  }

  /** The name in Clark notation: `{namespace}local`, or `local` without a namespace. */
  get tag(): string {
    return this.namespace ? `{${this.namespace}}${this.local}` : this.local;
  }

  /** The element's own text: its direct text children joined (not descendants'). */
  get text(): string {
    let out = '';
    for (const child of this.children) if (typeof child === 'string') out += child;
    return out;
  }

  /** All text inside, descendants included. */
  get textContent(): string {
    let out = '';
    for (const child of this.children) out += typeof child === 'string' ? child : child.textContent;
    return out;
  }

  /** The child elements, in order. */
  get elements(): XmlElement[] {
    return this.children.filter((c): c is XmlElement => typeof c !== 'string');
  }

  /** The first child element with that local name (and namespace, when given). */
  child(local: string, namespace?: string): XmlElement | undefined {
    for (const c of this.children) {
      if (typeof c !== 'string' && c.local === local && (namespace === undefined || c.namespace === namespace)) return c;
    }
    return undefined;
  }

  /** Every child element with that local name (and namespace, when given). */
  childrenNamed(local: string, namespace?: string): XmlElement[] {
    return this.elements.filter((c) => c.local === local && (namespace === undefined || c.namespace === namespace));
  }

  /** The trimmed text of the first child element so named, or `undefined`. */
  childText(local: string, namespace?: string): string | undefined {
    return this.child(local, namespace)?.textContent.trim();
  }

  /**
   * Elements reached by a path of local names separated by `/` (`interfaces/interface/name`),
   * each step matching any namespace; `*` matches any name.
   */
  findAll(path: string): XmlElement[] {
    let current: XmlElement[] = [this];
    for (const step of path.split('/').filter(Boolean)) {
      const next: XmlElement[] = [];
      for (const el of current) for (const c of el.elements) if (step === '*' || c.local === step) next.push(c);
      current = next;
    }
    return current;
  }

  /** The first element {@link findAll} would give. */
  find(path: string): XmlElement | undefined {
    return this.findAll(path)[0];
  }

  /** The namespace declarations in force on this element (inherited ones included). */
  inScopeNamespaces(): Map<string, string> {
    const chain: XmlElement[] = [];
    for (let el: XmlElement | null = this; el; el = el.parent) chain.push(el);
    const out = new Map<string, string>();
    for (const el of chain.reverse()) for (const [prefix, uri] of Object.entries(el.declarations)) out.set(prefix, uri);
    return out;
  }

  /**
   * Serialize this element and its descendants as XML. The element carries every namespace
   * declaration in force on it, so the result stands on its own (prefixed values such as
   * `ianaift:ethernetCsmacd` keep their meaning).
   */
  toString(): string {
    const parts: string[] = [];
    this.#write(parts, this.inScopeNamespaces());
    return parts.join('');
  }

  /** Serialize the children only (the content of this element). */
  innerXml(): string {
    const parts: string[] = [];
    for (const c of this.children) {
      if (typeof c === 'string') parts.push(escapeText(c));
      else c.#write(parts, c.inScopeNamespaces());
    }
    return parts.join('');
  }

  #write(parts: string[], declare: ReadonlyMap<string, string> | Readonly<Record<string, string>>): void {
    parts.push('<', this.name);
    const decls = declare instanceof Map ? declare : new Map(Object.entries(declare));
    for (const [prefix, uri] of decls) parts.push(prefix ? ` xmlns:${prefix}="` : ' xmlns="', escapeXml(uri), '"');
    for (const [name, value] of this.rawAttributes) parts.push(' ', name, '="', escapeXml(value), '"');
    if (this.children.length === 0) {
      parts.push('/>');
      return;
    }
    parts.push('>');
    for (const c of this.children) {
      if (typeof c === 'string') parts.push(escapeText(c));
      else c.#write(parts, c.declarations);
    }
    parts.push('</', this.name, '>');
  }
}
