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
  /** The child nodes in document order: elements, and runs of text (adjacent text joined). */
  readonly children: XmlNode[];
  /** The parent element (for a subtree emitted by the streaming parser, its live skeleton), or null. */
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
    // A leaf (the usual case: a list key, a leaf value): its own text, nothing else to walk.
    const kids = this.children;
    let i = 0;
    while (i < kids.length && typeof kids[i] === 'string') out += kids[i++] as string;
    if (i === kids.length) return out;
    out = '';
    walk(this, (text) => (out += text), () => true, () => undefined);
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
   * each step matching any namespace; `*` matches any name. Level by level, without recursion.
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
    this.#serialize(parts, this.inScopeNamespaces());
    return parts.join('');
  }

  /** Serialize the children only (the content of this element), each standing on its own. */
  innerXml(): string {
    const parts: string[] = [];
    let scope: ReadonlyMap<string, string> | undefined;
    for (const c of this.children) {
      if (typeof c === 'string') parts.push(escapeText(c));
      else if (c.parent !== this) c.#serialize(parts, c.inScopeNamespaces());
      else {
        // What is in scope here, once, plus what the child declares (its inScopeNamespaces()).
        scope ??= this.inScopeNamespaces();
        const declare = new Map(scope);
        for (const [prefix, uri] of Object.entries(c.declarations)) declare.set(prefix, uri);
        c.#serialize(parts, declare);
      }
    }
    return parts.join('');
  }

  /**
   * Write this element and its descendants into `parts`, this element declaring `declare` and
   * each descendant its own declarations. Iterative: works at any depth.
   */
  #serialize(parts: string[], declare: Iterable<readonly [string, string]>): void {
    this.#startTag(parts, declare);
    if (this.children.length === 0) {
      parts.push('/>');
      return;
    }
    parts.push('>');
    walk(
      this,
      (text) => parts.push(escapeText(text)),
      (el) => {
        el.#startTag(parts, Object.entries(el.declarations));
        if (el.children.length === 0) {
          parts.push('/>');
          return false;
        }
        parts.push('>');
        return true;
      },
      (el) => parts.push('</', el.name, '>'),
    );
  }

  /** Write `<name`, the namespace declarations `declare` and the attributes into `parts`. */
  #startTag(parts: string[], declare: Iterable<readonly [string, string]>): void {
    parts.push('<', this.name);
    for (const [prefix, uri] of declare) parts.push(prefix ? ` xmlns:${prefix}="` : ' xmlns="', escapeXml(uri), '"');
    for (const [name, value] of this.rawAttributes) parts.push(' ', name, '="', escapeXml(value), '"');
  }
}

/**
 * Depth first over the content of `root`, without recursion (a tree may be as deep as the parser
 * allows): `text` for each text node, `open` for each element (its content is visited when it
 * returns true, and then `close` follows it), and `close` for `root` at the end.
 */
function walk(root: XmlElement, text: (text: string) => void, open: (el: XmlElement) => boolean, close: (el: XmlElement) => void): void {
  // The open elements and, for each, the index of its next child.
  const stack: XmlElement[] = [root];
  const next: number[] = [0];
  while (stack.length !== 0) {
    const top = stack.length - 1;
    const el = stack[top]!;
    const i = next[top]!;
    if (i === el.children.length) {
      close(el);
      stack.pop();
      next.pop();
      continue;
    }
    next[top] = i + 1;
    const child = el.children[i]!;
    if (typeof child === 'string') text(child);
    else if (open(child)) {
      stack.push(child);
      next.push(0);
    }
  }
}
