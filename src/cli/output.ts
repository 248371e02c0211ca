/**
 * What the `netconf` command prints on stdout: pretty-printed XML (the default), the XML exactly
 * as received (`--raw`), or JSON (`--json`).
 *
 * ## What is printed
 *
 * The *result* of an RPC is the content of the reply's `<data>` element when it has one (get,
 * get-config, get-schema, any RPC answering with `<data>`), otherwise the content of
 * `<rpc-reply>` (`<ok/>`, or the output elements of an RPC).
 *
 * - default: each element of the result, pretty-printed as a standalone XML element (the
 *   namespace declarations it needs are carried onto it, so it can be fed back to
 *   `netconf edit-config`); a result that is only text (a YANG module) is printed as that text;
 *   a reply that is a bare `<ok/>` prints `ok`. `<rpc-error>` elements are not printed on stdout
 *   (errors and warnings go to stderr).
 * - `--raw`: the whole `<rpc-reply>` (or `<notification>`) exactly as received, followed by a
 *   newline when it does not end with one.
 * - `--json`: the result mapped to JSON by {@link xmlToJson} (below); a notification is one line
 *   of JSON (NDJSON) per notification.
 *
 * ## XML → JSON mapping
 *
 * Faithful (nothing but comments, processing instructions, formatting white space and the
 * relative order of differently named siblings is lost), and independent of any YANG schema:
 *
 * - an element becomes a member keyed by its **local name**; a document `<a>…</a>` is `{"a": …}`;
 * - an element with only text, no attributes and no namespace change is a **string** (its text,
 *   verbatim); an empty one is `""`;
 * - otherwise it is an **object**:
 *   - `"@xmlns"`: the element's namespace URI, present when it differs from its parent element's
 *     (for the top-level elements of a result: from the NETCONF base namespace
 *     `urn:ietf:params:xml:ns:netconf:base:1.0`; for a whole document: always, unless empty).
 *     `""` means "no namespace";
 *   - `"@xmlns:p"`: each prefixed namespace declaration written on the element, so prefixed
 *     attribute names and QName values such as `ianaift:ethernetCsmacd` keep their meaning (a
 *     top-level element also carries the declarations it inherits and uses);
 *   - `"@name"`: each attribute, under its qualified name as written (`"@nc:operation"`);
 *   - `"#text"`: the element's own text (for mixed content, its text nodes joined);
 *   - child elements as members by local name; **repeated siblings** of one local name become an
 *     **array** in document order (a list with one entry stays an object: XML cannot tell);
 *     siblings of one local name in different namespaces share the array, each telling its own
 *     `@xmlns`.
 * - Formatting white space: a text node that is only white space is dropped when its element has
 *   child elements or when it contains a line break; any other text is kept verbatim.
 * - The result of an RPC is the mapping of the *content* of `<data>` / `<rpc-reply>`: an object
 *   with one member per top-level element (`{}` when empty), or a string when the content is only
 *   text (the YANG module of `get-schema`).
 *
 * Example: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth0</name>
 * <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></interface>
 * <interface><name>lo</name></interface></interfaces>` in `<data>` maps to
 * `{"interfaces": {"@xmlns": "urn:ietf:params:xml:ns:yang:ietf-interfaces", "interface": [{"name": "eth0",
 * "type": {"@xmlns:ianaift": "urn:ietf:params:xml:ns:yang:iana-if-type", "#text": "ianaift:ethernetCsmacd"}},
 * {"name": "lo"}]}}`.
 * @module
 */
import type { Notification, RPCReply, XmlElement, XmlNode } from '../index.js';
import { NETCONF_NS } from '../namespaces.js';
import { jsonText, MAX_INDENT_LEVELS } from './json-text.js';

/** `netconf help json`: the mapping of the module documentation above, for the terminal. */
export const JSON_MAPPING_HELP = `--json: how XML becomes JSON

get, get-config and subscribe print RFC 7951 JSON when the YANG modules are known
(--yang-dir DIR, or the device's own, fetched with <get-schema> and cached; see
'netconf get --help'). Below is the schema-less mapping: the other commands, and
those three with --no-yang or when the device's modules cannot be had.

The output is the result of the RPC: the content of <data> when the reply has one
(get, get-config ...), else the content of <rpc-reply>, as one object with a member
per top-level element ({} when empty; a string when the content is only text, as
the YANG module of get-schema). Notifications (subscribe) are one line of JSON each:
{"notification": {...}}.

  element            a member named by its local name
  text-only element  a string, its text verbatim ("" when empty), when it has no
                     attributes and the same namespace as its parent
  any other element  an object:
    "@xmlns"           its namespace URI, when it differs from its parent's (for
                       top-level elements: from urn:ietf:params:xml:ns:netconf:base:1.0)
    "@xmlns:PREFIX"    each prefixed namespace declaration on it (top-level
                       elements also carry the inherited ones they use), so that
                       prefixed attributes and values like ianaift:ethernetCsmacd
                       keep their meaning
    "@NAME"            each attribute, by its name as written ("@nc:operation")
    "#text"            its own text (mixed content: the text pieces joined)
    CHILD              each child element by local name; repeated siblings of one
                       name become an array in document order (a list with a single
                       entry stays an object: XML cannot tell them apart)

White space only text is formatting and is dropped when the element has child
elements or when it spans lines; other text is kept exactly. Lost: comments,
processing instructions, and the relative order of siblings of different names.

<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">
  <interface><name>eth0</name><enabled>true</enabled></interface>
  <interface><name>eth1</name></interface>
</interfaces>
  becomes
{"interfaces": {"@xmlns": "urn:ietf:params:xml:ns:yang:ietf-interfaces",
                "interface": [{"name": "eth0", "enabled": "true"}, {"name": "eth1"}]}}
`;


/** A JSON value as produced by {@link xmlToJson}. */
export type JsonValue = string | JsonObject | JsonValue[];
/** A JSON object (null prototype: element names such as `__proto__` are safe keys). */
export type JsonObject = { [key: string]: JsonValue };

export type OutputMode = 'pretty' | 'raw' | 'json';

// ---- helpers on the tree ------------------------------------------------------------------

function isFormatting(text: string, hasElements: boolean): boolean {
  return /^\s*$/.test(text) && (hasElements || /[\r\n]/.test(text));
}

/** The element's own text with formatting white space removed ('' when none). */
function ownText(el: XmlElement): string {
  const hasElements = el.children.some((c) => typeof c !== 'string');
  let text = '';
  for (const c of el.children) if (typeof c === 'string' && !isFormatting(c, hasElements)) text += c;
  return text;
}

function prefixOf(qname: string): string {
  const i = qname.indexOf(':');
  return i === -1 ? '' : qname.slice(0, i);
}

/** Prefixes a subtree relies on: in element and attribute names, and `p:` inside text or values. */
function usedPrefixes(root: XmlElement): Set<string> {
  const into = new Set<string>();
  const scan = (text: string): void => {
    for (const m of text.matchAll(/(?:^|[^\w.:-])([A-Za-z_][\w.-]*):(?=[A-Za-z_*])/g)) into.add(m[1] as string);
  };
  // Every element of the subtree, in no particular order, without recursion (any depth).
  const todo = [root];
  while (todo.length !== 0) {
    const el = todo.pop()!;
    into.add(prefixOf(el.name));
    for (const [name, value] of el.rawAttributes) {
      if (name.includes(':')) into.add(prefixOf(name));
      scan(value);
    }
    for (const c of el.children) {
      if (typeof c === 'string') scan(c);
      else todo.push(c);
    }
  }
  return into;
}

/**
 * The namespace declarations an element inherits (declared on an ancestor, not on itself) and
 * its subtree uses: what it must carry to stand alone. Prefix `''` is the default namespace.
 */
export function inheritedDeclarations(el: XmlElement): Array<[string, string]> {
  const inherited = el.parent ? el.parent.inScopeNamespaces() : new Map<string, string>();
  const used = usedPrefixes(el);
  const out: Array<[string, string]> = [];
  for (const [prefix, uri] of inherited) {
    if (prefix in el.declarations || !used.has(prefix)) continue;
    if (prefix === '' && uri === '') continue;
    out.push([prefix, uri]);
  }
  return out;
}

// ---- pretty printer -----------------------------------------------------------------------

function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<"\n\r\t]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '"': '&quot;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' })[c] as string);
}

function startTag(el: XmlElement, extra: ReadonlyArray<readonly [string, string]>): string {
  let tag = `<${el.name}`;
  const decls: Array<readonly [string, string]> = [...extra, ...Object.entries(el.declarations)];
  for (const [prefix, uri] of decls) tag += `${prefix ? ` xmlns:${prefix}` : ' xmlns'}="${escapeAttribute(uri)}"`;
  for (const [name, value] of el.rawAttributes) tag += ` ${name}="${escapeAttribute(value)}"`;
  return tag;
}

/** Serialize children verbatim (no re-indentation): for mixed content. Iterative: any depth. */
function inline(nodes: readonly XmlNode[]): string {
  const parts: string[] = [];
  // What is left to write, last first: text as it is, or a node.
  const todo: Array<XmlNode | { text: string }> = [];
  for (let i = nodes.length - 1; i >= 0; i--) todo.push(nodes[i]!);
  while (todo.length !== 0) {
    const c = todo.pop()!;
    if (typeof c === 'string') parts.push(escapeText(c));
    else if (!('name' in c)) parts.push(c.text);
    else if (c.children.length === 0) parts.push(`${startTag(c, [])}/>`);
    else {
      parts.push(`${startTag(c, [])}>`);
      todo.push({ text: `</${c.name}>` });
      for (let i = c.children.length - 1; i >= 0; i--) todo.push(c.children[i]!);
    }
  }
  return parts.join('');
}

/**
 * Pretty-print an element as standalone XML: two-space indentation, namespace declarations and
 * attributes as written, plus the declarations it inherits and uses. Formatting white space is
 * re-done; mixed content and leaf text are kept verbatim. No trailing newline. Works at any
 * depth; indentation stops growing past {@link MAX_INDENT_LEVELS} levels (so that the output of
 * a very deep tree stays linear in its size).
 */
export function prettyXml(root: XmlElement, indent = '  '): string {
  const lines: string[] = [];
  const pads: string[] = [];
  // What is left to print, last first: a closing line, or an element at a depth.
  const todo: Array<string | { el: XmlElement; depth: number }> = [{ el: root, depth: 0 }];
  while (todo.length !== 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') {
      lines.push(item);
      continue;
    }
    const { el, depth } = item;
    const pad = (pads[depth] ??= indent.repeat(Math.min(depth, MAX_INDENT_LEVELS)));
    const start = startTag(el, el === root ? inheritedDeclarations(el) : []);
    const elements = el.elements;
    const text = ownText(el);
    if (elements.length === 0) lines.push(text === '' ? `${pad}${start}/>` : `${pad}${start}>${escapeText(text)}</${el.name}>`);
    else if (text !== '') {
      // Mixed content: white space is significant, print it as it is.
      lines.push(`${pad}${start}>${inline(el.children)}</${el.name}>`);
    } else {
      lines.push(`${pad}${start}>`);
      todo.push(`${pad}</${el.name}>`);
      for (let i = elements.length - 1; i >= 0; i--) todo.push({ el: elements[i]!, depth: depth + 1 });
    }
  }
  return lines.join('\n');
}

// ---- JSON mapping -------------------------------------------------------------------------

function obj(): JsonObject {
  return Object.create(null) as JsonObject;
}

function addMember(target: JsonObject, repeated: Set<string>, key: string, value: JsonValue): void {
  if (!Object.prototype.hasOwnProperty.call(target, key)) {
    target[key] = value;
  } else if (repeated.has(key)) {
    (target[key] as JsonValue[]).push(value);
  } else {
    target[key] = [target[key] as JsonValue, value];
    repeated.add(key);
  }
}

/** The JSON value of one element without its child elements: its text, or an object they will be added to. */
function ownValue(el: XmlElement, contextNamespace: string, extraDeclarations: ReadonlyArray<readonly [string, string]>): string | JsonObject {
  const out = obj();
  if (el.namespace !== contextNamespace) out['@xmlns'] = el.namespace;
  for (const [prefix, uri] of [...extraDeclarations, ...Object.entries(el.declarations)]) if (prefix !== '') out[`@xmlns:${prefix}`] = uri;
  for (const [name, value] of el.rawAttributes) out[`@${name}`] = value;
  const text = ownText(el);
  if (el.elements.length === 0 && Object.keys(out).length === 0) return text;
  if (text !== '') out['#text'] = text;
  return out;
}

/**
 * The JSON value of one element (see the module documentation for the mapping). Iterative: works
 * at any depth.
 * @param contextNamespace - the namespace `@xmlns` is relative to (the parent's)
 * @param extraDeclarations - inherited prefixed declarations to record (for a top-level element)
 */
export function elementValue(el: XmlElement, contextNamespace: string, extraDeclarations: ReadonlyArray<readonly [string, string]> = []): JsonValue {
  const value = ownValue(el, contextNamespace, extraDeclarations);
  // Elements whose object still lacks its children's members, in no particular order: each
  // object gets all of them at once, in document order.
  const todo: Array<{ el: XmlElement; out: JsonObject }> = typeof value === 'string' ? [] : [{ el, out: value }];
  while (todo.length !== 0) {
    const { el: parent, out } = todo.pop()!;
    const repeated = new Set<string>();
    for (const child of parent.elements) {
      const childValue = ownValue(child, parent.namespace, []);
      addMember(out, repeated, child.local, childValue);
      if (typeof childValue !== 'string') todo.push({ el: child, out: childValue });
    }
  }
  return value;
}

/** A whole document: `{ "<local name of the root>": value }`, `@xmlns` relative to no namespace. */
export function xmlToJson(root: XmlElement): JsonObject {
  const out = obj();
  out[root.local] = elementValue(root, '', inheritedDeclarations(root));
  return out;
}

/**
 * The content of a container element (`<data>`, `<rpc-reply>`) as JSON: one member per child
 * element, top-level namespaces relative to the NETCONF base namespace; the text when the
 * content is only text. `skip` leaves out children by local name.
 */
export function contentToJson(container: XmlElement, skip: readonly string[] = []): JsonValue {
  const elements = container.elements.filter((e) => !skip.includes(e.local));
  if (elements.length === 0) {
    const text = ownText(container);
    return text === '' ? obj() : text;
  }
  const out = obj();
  const repeated = new Set<string>();
  for (const child of elements) addMember(out, repeated, child.local, elementValue(child, NETCONF_NS, inheritedDeclarations(child).filter(([p]) => p !== '')));
  return out;
}

// ---- replies ------------------------------------------------------------------------------

/** The element holding an RPC's result: `<data>` when the reply has one, else `<rpc-reply>`. */
export function resultContainer(reply: RPCReply): XmlElement {
  return reply.data ?? reply.document;
}

/** The text of a text-only result (a YANG module): leading blank lines removed, one final newline. */
export function moduleText(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/\s*$/, '\n');
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Writes results to stdout in the chosen mode. */
export class Output {
  readonly mode: OutputMode;
  readonly #write: (text: string) => void;

  constructor(mode: OutputMode, write: (text: string) => void) {
    this.mode = mode;
    this.#write = write;
  }

  /** Print text as it is (a newline added when missing). */
  text(text: string): void {
    this.#write(withNewline(text));
  }

  /** Print a value as JSON (indented unless `compact`). */
  json(value: unknown, compact = false): void {
    this.#write(`${JSON.stringify(value, null, compact ? undefined : 2)}\n`);
  }

  /** Print the JSON mapping of XML (indented unless `compact`), however deep (see {@link jsonText}). */
  #jsonOfXml(value: JsonValue, compact = false): void {
    this.#write(`${jsonText(value, compact ? '' : '  ')}\n`);
  }

  /** Print an RPC's result (see the module documentation). */
  reply(reply: RPCReply): void {
    if (this.mode === 'raw') return this.#write(withNewline(reply.xml));
    const container = resultContainer(reply);
    if (this.mode === 'json') return this.#jsonOfXml(contentToJson(container));
    const elements = container.elements.filter((e) => e.local !== 'rpc-error');
    if (elements.length === 0) {
      const text = ownText(container);
      if (text !== '') this.#write(moduleText(text));
      return;
    }
    if (container === reply.document && elements.length === 1 && elements[0]?.local === 'ok' && elements[0].namespace === NETCONF_NS) {
      return this.#write('ok\n');
    }
    for (const el of elements) this.#write(`${prettyXml(el)}\n`);
  }

  /** Print a reply that carries rpc-errors: only in `--raw` / `--json` mode (stderr has the rest). */
  errorReply(xml: string, document: () => XmlElement): void {
    if (this.mode === 'raw') this.#write(withNewline(xml));
    else if (this.mode === 'json') this.#jsonOfXml(contentToJson(document()));
  }

  /** Print one notification: pretty XML, raw, or one line of JSON. */
  notification(n: Notification): void {
    if (this.mode === 'raw') this.#write(withNewline(n.raw));
    else if (this.mode === 'json') this.#jsonOfXml(xmlToJson(n.document), true);
    else this.#write(`${prettyXml(n.document)}\n`);
  }
}
