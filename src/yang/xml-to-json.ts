import { NETCONF_NS, NMDA_NS, NOTIFICATION_NS, XML_NS, YANG_NS } from '../namespaces.js';
import type { XmlElement, XmlNode } from '../xml/element.js';
import type { XmlLimits } from '../xml/limits.js';
import { parseXml } from '../xml/parse.js';
import { addMember, hasElementChild, isWhitespace, OpaqueError, opaqueElementToJson, opaqueName } from './anydata.js';
import type { DataPathStep } from './data-path.js';
import { formatDataPath, pathValueText } from './data-path.js';
import { YangDataError } from './errors.js';
import { MetadataError, xmlMetadata } from './metadata.js';
import type { ChildIndex, NodeInfo } from './schema-lookup.js';
import { topLevel } from './schema-lookup.js';
import type { SchemaNode, YangSchema } from './schema.js';
import { leafValueFromXml } from './value.js';
import { streamXmlToJson } from './xml-stream-to-json.js';

/** Options of {@link xmlToJson}. */
export interface XmlToJsonOptions {
  /** Keep what cannot be mapped (as schema-less JSON) and list warnings instead of throwing. Default false. */
  readonly lenient?: boolean;
  /**
   * What the elements are: datastore content (default); an RPC or action with its input (the RPC
   * element, or the data nodes down to the action); an RPC reply (the output of `rpc`, a qualified
   * name `module:rpc`, as the children of `<rpc-reply>`; without `rpc`, the RPC or action element
   * holding its output, as yanglint `-t reply` reads it); a notification (top-level, or nested in
   * its data nodes).
   */
  readonly kind?: 'data' | 'rpc' | 'reply' | 'notification';
  /** For `kind: 'reply'`: the RPC replied to, `module:rpc`. */
  readonly rpc?: string;
  /** Limits on the XML document when it is given as text or bytes (see `parseXml`). */
  readonly limits?: Partial<XmlLimits>;
}

/** What {@link xmlToJson} made of the elements. */
export interface JsonResult {
  /** The RFC 7951 JSON object. */
  readonly json: Record<string, unknown>;
  /** What lenient mode kept without schema or dropped, one message each (empty in strict mode). */
  readonly warnings: readonly string[];
}

/** Operation kinds allowed below data nodes, per document kind. */
export type Kind = 'data' | 'rpc' | 'reply' | 'notification';

/** How deep anydata content may nest other anydata converted with the schema (the rest is converted without). */
const MAX_NESTED_ANYDATA = 32;

/**
 * Convert XML instance data (parsed with `parseXml`) to RFC 7951 JSON, checking it against the
 * schema as libyang does: member names module-qualified at the top and where the module changes,
 * lists and leaf-lists as arrays (document order), leaf values in their JSON form, choice and
 * case looked through, RFC 7952 metadata (`@` members) from known annotations' attributes,
 * anydata/anyxml content converted with the schema where it names top-level data nodes and
 * without schema elsewhere.
 *
 * NETCONF envelopes are looked through: `<rpc-reply>` (an `<ok/>` in it left out), `<data>`/
 * `<config>` (NETCONF or NMDA namespace) for data, `<rpc>`/`<action>` for an RPC,
 * `<notification>` (its `eventTime` left out) for a notification.
 *
 * @param elements - the top-level elements (or one element); or a document as text or UTF-8 bytes
 *   (datastore content is then converted while it is parsed, without building the whole tree:
 *   much faster on large documents)
 * @throws {@link YangDataError} (with the data path of the node) for an element the schema does not
 *   know (strict mode), text its type refuses, a list entry without its keys or with keys after
 *   other children, a duplicate leaf, container or list entry, data from two cases of one choice.
 */
export function xmlToJson(schema: YangSchema, elements: XmlElement | readonly XmlElement[] | string | Uint8Array, options: XmlToJsonOptions = {}): JsonResult {
  const kind = options.kind ?? 'data';
  if (typeof elements === 'string' || elements instanceof Uint8Array) {
    if (kind === 'data') return streamXmlToJson(schema, elements, options.lenient === true, options.limits);
    elements = parseXml(elements, options.limits);
  }
  const converter = new Converter(schema, options.lenient === true, kind);
  const els = unwrap(Array.isArray(elements) ? (elements as readonly XmlElement[]) : [elements as XmlElement], kind);
  const json: Record<string, unknown> = {};
  if (kind === 'reply' && options.rpc !== undefined) {
    const rpc = topLevel(schema).byMember(options.rpc);
    if (rpc === undefined || rpc.kind !== 'rpc') throw new YangDataError(`no RPC "${options.rpc}" in the schema`, '/');
    const output = rpc.output;
    if (output === undefined) {
      if (els.length !== 0) throw new YangDataError(`RPC "${options.rpc}" has no output`, `/${rpc.qualified}`);
    } else converter.convert(els, output.children, json, [{ module: rpc.module, name: rpc.name }], undefined, false);
  } else {
    converter.convert(els, topLevel(schema), json, [], undefined, true);
    if (kind !== 'data' && converter.operations !== 1) {
      const what = kind === 'notification' ? 'notification' : 'RPC or action';
      throw new YangDataError(converter.operations === 0 ? `no ${what} found` : `more than one ${what} found`, '/');
    }
  }
  return { json, warnings: converter.warnings };
}

/** Look through the NETCONF envelopes around the elements. */
function unwrap(els: readonly XmlElement[], kind: Kind): readonly XmlElement[] {
  for (;;) {
    if (els.length !== 1) return els;
    const el = els[0]!;
    const ns = el.namespace;
    const local = el.local;
    const envelope =
      (ns === NETCONF_NS && (local === 'rpc-reply' || (kind === 'data' && (local === 'data' || local === 'config')) || (kind === 'rpc' && local === 'rpc'))) ||
      (ns === NMDA_NS && kind === 'data' && local === 'data') ||
      (ns === YANG_NS && kind === 'rpc' && local === 'action') ||
      (ns === NOTIFICATION_NS && kind === 'notification' && local === 'notification');
    if (!envelope) return els;
    // Left out: a notification's eventTime, a reply's <ok/> (an RPC without output).
    els = el.children.filter((c): c is XmlElement => typeof c !== 'string' && !(c.namespace === NOTIFICATION_NS && c.local === 'eventTime') && !(c.namespace === NETCONF_NS && c.local === 'ok' && local === 'rpc-reply'));
  }
}

/** The text of a terminal node, or undefined when it has child elements. */
function leafText(el: XmlElement): string | undefined {
  const kids = el.children;
  if (kids.length === 0) return '';
  if (kids.length === 1) return typeof kids[0] === 'string' ? kids[0] : undefined;
  let out = '';
  for (const c of kids) {
    if (typeof c !== 'string') return undefined;
    out += c;
  }
  return out;
}

/**
 * The walk over one tree of elements: an explicit stack of frames, kept in parallel arrays and
 * reused. Exported for the streaming conversion (xml-stream-to-json.ts), which hands it one
 * subtree at a time.
 */
export class Converter {
  readonly warnings: string[] = [];
  /** RPCs, actions and notifications met (an RPC/notification document holds exactly one). */
  operations = 0;
  readonly #schema: YangSchema;
  readonly #lenient: boolean;
  readonly #kind: Kind;
  readonly #repeats = new WeakSet<unknown[]>();
  #anydataDepth = 0;

  // The frames of the current walk (only one walk at a time uses them; nested walks for anydata
  // content save and restore through convert()).
  #depth = 0;
  #els: XmlElement[] = [];
  #kids: XmlNode[][] = [];
  #pos: number[] = [];
  #infos: Array<NodeInfo | undefined> = [];
  #indexes: ChildIndex[] = [];
  #objs: Array<Record<string, unknown>> = [];
  /** List entries: the position (in the key order) of the last key seen. */
  #keyState: number[] = [];
  /** Per frame: the case chosen in each choice (only for objects with children in choices). */
  #chosen: Array<Map<SchemaNode, SchemaNode> | undefined> = [];
  /** Per list-entry frame: the array of the list's entries. */
  #lists: Array<unknown[] | undefined> = [];
  /** Key tuples (or config leaf-list values) of the lists and leaf-lists with more than one entry. */
  readonly #unique = new WeakMap<unknown[], Set<string>>();
  /** Per frame: whether operations (actions, nested notifications) may still appear below. */
  #data: boolean[] = [];
  #prefix: readonly DataPathStep[] = [];
  #topModule: string | undefined;
  /** The element whose prefixes {@link namespaceOf} resolves. */
  #current: XmlElement | undefined;

  constructor(schema: YangSchema, lenient: boolean, kind: Kind) {
    this.#schema = schema;
    this.#lenient = lenient;
    this.#kind = kind;
  }

  /**
   * Convert `els` (siblings under an owner whose children are `index`) into `obj`.
   * @param prefix - the data path of the owner
   * @param topModule - the module names at this level are qualified against (undefined: always qualified)
   * @param data - whether the level is plain data (operations may appear below), false inside an operation
   */
  convert(els: readonly XmlElement[], index: ChildIndex, obj: Record<string, unknown>, prefix: readonly DataPathStep[], topModule: string | undefined, data: boolean): void {
    const saved = [this.#depth, this.#els, this.#kids, this.#pos, this.#infos, this.#indexes, this.#objs, this.#keyState, this.#chosen, this.#lists, this.#data, this.#prefix, this.#topModule] as const;
    this.#depth = 0;
    this.#els = [els[0]!];
    this.#kids = [els as XmlElement[]];
    this.#pos = [0];
    this.#infos = [undefined];
    this.#indexes = [index];
    this.#objs = [obj];
    this.#keyState = [0];
    this.#chosen = [undefined];
    this.#lists = [undefined];
    this.#data = [data];
    this.#prefix = prefix;
    this.#topModule = topModule;
    try {
      if (els.length !== 0) this.#walk();
    } finally {
      [this.#depth, this.#els, this.#kids, this.#pos, this.#infos, this.#indexes, this.#objs, this.#keyState, this.#chosen, this.#lists, this.#data, this.#prefix, this.#topModule] = saved;
    }
  }

  #walk(): void {
    for (;;) {
      const d = this.#depth;
      const kids = this.#kids[d]!;
      const i = this.#pos[d]!;
      if (i === kids.length) {
        if (d === 0) return;
        this.#close(d);
        this.#depth = d - 1;
        continue;
      }
      this.#pos[d] = i + 1;
      const c = kids[i]!;
      if (typeof c === 'string') {
        if (!isWhitespace(c)) this.#problem(d, undefined, `text "${c.trim().slice(0, 40)}" inside an inner node`, 'dropped');
        continue;
      }
      const info = this.#indexes[d]!.byXml(c.namespace, c.local);
      if (info === undefined || !this.#allowed(info, d)) {
        this.#unknown(d, c);
        continue;
      }
      if (info.cases.length !== 0) this.#checkCases(d, info);
      const obj = this.#objs[d]!;
      const member = d === 0 ? this.#memberAtTop(info) : info.member;
      switch (info.kind) {
        case 'leaf': {
          if (info.isKey && this.#infos[d]?.kind === 'list') this.#checkKeyPosition(d, info);
          const value = this.#leafValue(d, info, c);
          if (obj[member] !== undefined) {
            this.#problem(d, info, `duplicate instance of "${info.name}"`, 'the first one kept');
            break;
          }
          obj[member] = value;
          if (c.rawAttributes.length !== 0) this.#metadata(d, info, c, obj, `@${member}`, -1);
          break;
        }
        case 'leaf-list': {
          const value = this.#leafValue(d, info, c);
          let list = obj[member] as unknown[] | undefined;
          if (list === undefined) obj[member] = list = [];
          list.push(value);
          if (info.config && list.length > 1) this.#checkUnique(d, info, list, { module: info.module, name: info.name, value: pathValueText(value) });
          if (c.rawAttributes.length !== 0) this.#metadata(d, info, c, obj, `@${member}`, list.length - 1);
          break;
        }
        case 'container':
        case 'notification': {
          let inner = obj[member] as Record<string, unknown> | undefined;
          if (inner !== undefined) this.#problem(d, info, `duplicate instance of "${info.name}"`, 'merged into the first one');
          else obj[member] = inner = {};
          if (info.kind === 'notification') this.operations++;
          this.#push(c, info, info.children, inner, this.#data[d]! && info.kind === 'container');
          if (c.rawAttributes.length !== 0) this.#metadata(d + 1, undefined, c, inner, '@', -1);
          break;
        }
        case 'list': {
          let list = obj[member] as unknown[] | undefined;
          if (list === undefined) obj[member] = list = [];
          const entry: Record<string, unknown> = {};
          list.push(entry);
          this.#push(c, info, info.children, entry, this.#data[d]!, list);
          if (c.rawAttributes.length !== 0) this.#metadata(d + 1, undefined, c, entry, '@', -1);
          break;
        }
        case 'anydata':
        case 'anyxml': {
          if (obj[member] !== undefined) {
            this.#problem(d, info, `duplicate instance of "${info.name}"`, 'the first one kept');
            break;
          }
          obj[member] = this.#anydata(d, info, c);
          if (c.rawAttributes.length !== 0) this.#metadata(d, info, c, obj, `@${member}`, -1);
          break;
        }
        case 'rpc':
        case 'action': {
          if (obj[member] !== undefined) throw this.#error(d, info, `duplicate instance of "${info.name}"`);
          const part = this.#kind === 'rpc' ? info.input : info.output;
          const inner: Record<string, unknown> = {};
          obj[member] = inner;
          this.operations++;
          this.#push(c, info, part ? part.children : EMPTY_INDEX, inner, false);
          break;
        }
        default:
          this.#unknown(d, c);
      }
    }
  }

  /** Whether a node of that kind may appear at depth d for this kind of document. */
  #allowed(info: NodeInfo, d: number): boolean {
    const k = info.kind;
    if (k === 'rpc') return d === 0 && this.#data[0]! && (this.#kind === 'rpc' || this.#kind === 'reply');
    if (k === 'action') return d > 0 && this.#data[d]! && (this.#kind === 'rpc' || this.#kind === 'reply');
    if (k === 'notification') return this.#data[d]! && this.#kind === 'notification';
    return true;
  }

  #push(el: XmlElement, info: NodeInfo, index: ChildIndex, obj: Record<string, unknown>, data: boolean, list?: unknown[]): void {
    const d = ++this.#depth;
    this.#els[d] = el;
    this.#kids[d] = el.children;
    this.#pos[d] = 0;
    this.#infos[d] = info;
    this.#indexes[d] = index;
    this.#objs[d] = obj;
    this.#keyState[d] = 0;
    this.#chosen[d] = undefined;
    this.#lists[d] = list;
    this.#data[d] = data;
  }

  /** The end of an element with children: a list entry must have all its keys, and be the only one with them. */
  #close(d: number): void {
    const info = this.#infos[d]!;
    if (info.kind === 'container') {
      // An empty non-presence container carries no information; libyang leaves it out.
      if (info.node.presence === undefined && isEmptyObject(this.#objs[d]!)) delete this.#objs[d - 1]![d === 1 ? this.#memberAtTop(info) : info.member];
      return;
    }
    if (info.kind !== 'list') return;
    const keys = info.keys;
    if (keys.length === 0) return;
    const obj = this.#objs[d]!;
    for (const key of keys) {
      if (obj[key.member] !== undefined) continue;
      const path = this.#path(d - 1);
      path.push(this.#step(info, obj));
      if (!this.#lenient) throw new YangDataError(`list instance is missing its key "${key.name}"`, formatDataPath(path));
      this.warnings.push(`${formatDataPath(path)}: list instance is missing its key "${key.name}"; kept`);
      return;
    }
    const list = this.#lists[d]!;
    if (list.length > 1) this.#checkUnique(d - 1, info, list, this.#step(info, obj));
  }

  /** The member name of a node at the top of the walk. */
  #memberAtTop(info: NodeInfo): string {
    return info.module === this.#topModule ? info.name : info.qualified;
  }

  /**
   * Refuse a list entry with the keys of an earlier one, or a config leaf-list value seen before
   * (the last item of `list` against the others). Short lists (an interface's addresses) are
   * compared one by one; a set of tuples is made only when a list grows long: a set (and its
   * weak-map entry) per short list would be most of the garbage of a large document.
   */
  #checkUnique(d: number, info: NodeInfo, list: unknown[], step: DataPathStep): void {
    const n = list.length - 1;
    const tuple = tupleOf(info, list[n]);
    let duplicate = false;
    if (n < SHORT_LIST) {
      for (let k = 0; k < n && !duplicate; k++) duplicate = tupleOf(info, list[k]) === tuple;
    } else {
      let set = this.#unique.get(list);
      if (set === undefined) {
        set = new Set();
        for (let k = 0; k < n; k++) set.add(tupleOf(info, list[k]));
        this.#unique.set(list, set);
      }
      duplicate = set.has(tuple);
      set.add(tuple);
    }
    if (!duplicate) return;
    const path = this.#path(d);
    path.push(step);
    if (!this.#lenient) throw new YangDataError(`duplicate instance of "${info.name}"`, formatDataPath(path));
    this.warnings.push(`${formatDataPath(path)}: duplicate instance of "${info.name}"; kept`);
  }

  /**
   * Keys in key order. RFC 7950 §7.8.5 wants them first too; libyang only refuses a key after a
   * later key (and accepts other children before them), and so do we.
   */
  #checkKeyPosition(d: number, info: NodeInfo): void {
    const k = this.#infos[d]!.keys.indexOf(info);
    if (k < this.#keyState[d]!) this.#problem(d, info, `invalid position of the key "${info.name}" in a list`, 'accepted');
    else this.#keyState[d] = k;
  }

  /** Data from two cases of one choice under one parent is an error. */
  #checkCases(d: number, info: NodeInfo): void {
    let chosen = this.#chosen[d];
    if (chosen === undefined) this.#chosen[d] = chosen = new Map();
    for (const [choice, branch] of info.cases) {
      const was = chosen.get(choice);
      if (was === undefined) chosen.set(choice, branch);
      else if (was !== branch) this.#problem(d, undefined, `data for both cases "${was.name}" and "${branch.name}" of choice "${choice.name}" exist`, 'kept');
    }
  }

  #leafValue(d: number, info: NodeInfo, c: XmlElement): unknown {
    const text = leafText(c);
    if (text === undefined) {
      if (!this.#lenient) throw this.#error(d, info, `child element inside the terminal node "${info.name}"`);
      this.warnings.push(`${formatDataPath([...this.#path(d), this.#step(info)])}: child elements of a terminal node, kept as schema-less JSON`);
      return opaqueElementToJson(this.#schema, c, info.module, false);
    }
    this.#current = c;
    try {
      return leafValueFromXml(info.type!, text, this.namespaceOf, this.#schema, info.module);
    } catch (error) {
      if (!this.#lenient || !(error instanceof Error)) throw this.#error(d, info, error instanceof Error ? error.message : String(error));
      this.warnings.push(`${formatDataPath([...this.#path(d), this.#step(info)])}: ${error.message}; kept as a string`);
      return text;
    }
  }

  /** Resolve an XML prefix at the current leaf: its declarations, its ancestors' in the walk, then above the walked tree. */
  readonly namespaceOf = (prefix: string): string | undefined => {
    if (prefix === 'xml') return XML_NS;
    const c = this.#current;
    if (c !== undefined && Object.hasOwn(c.declarations, prefix)) return c.declarations[prefix];
    for (let d = this.#depth; d >= 1; d--) {
      const decl = this.#els[d]!.declarations;
      if (Object.hasOwn(decl, prefix)) return decl[prefix];
    }
    // Above the walk: the top-level element's ancestors in the parsed document (envelopes).
    for (let el = this.#depth >= 1 ? this.#els[1]!.parent : (c?.parent ?? null); el; el = el.parent) {
      if (Object.hasOwn(el.declarations, prefix)) return el.declarations[prefix];
    }
    return undefined;
  };

  #metadata(d: number, info: NodeInfo | undefined, c: XmlElement, obj: Record<string, unknown>, member: string, entry: number): void {
    this.#current = c;
    let meta: Record<string, unknown> | undefined;
    try {
      meta = xmlMetadata(c, { schema: this.#schema, namespaceOf: this.namespaceOf, lenient: this.#lenient, warn: (m) => this.warnings.push(`${formatDataPath(info ? [...this.#path(d), this.#step(info)] : this.#path(d))}: ${m}`) });
    } catch (error) {
      if (error instanceof MetadataError) throw new YangDataError(error.message, formatDataPath(info ? [...this.#path(d), this.#step(info)] : this.#path(d)));
      throw error;
    }
    if (meta === undefined) return;
    if (entry < 0) {
      obj[member] = meta;
      return;
    }
    // A leaf-list: one metadata object per entry, null for entries without (RFC 7952 §5.2.2).
    let metas = obj[member] as unknown[] | undefined;
    if (metas === undefined) obj[member] = metas = [];
    while (metas.length < entry) metas.push(null);
    metas[entry] = meta;
  }

  #anydata(d: number, info: NodeInfo, c: XmlElement): unknown {
    if (!hasElementChild(c)) {
      // No elements: an empty object, anyxml's text as a string (as libyang prints them).
      const text = c.text;
      if (isWhitespace(text)) return {};
      if (info.kind === 'anyxml') return text;
      this.#problem(d, info, `text "${text.trim().slice(0, 40)}" inside the anydata node "${info.name}"`, 'kept as a string');
      return text;
    }
    try {
      return opaqueElementToJson(this.#schema, c, info.module, !this.#lenient, (child) => this.#anydataChild(d, info, child));
    } catch (error) {
      if (error instanceof OpaqueError) throw this.#error(d, info, error.message);
      throw error;
    }
  }

  /** A child of anydata/anyxml content naming a top-level data node: converted with the schema if it conforms, else undefined (converted without). */
  #anydataChild(d: number, info: NodeInfo, child: XmlElement): readonly [string, unknown, boolean] | undefined {
    if (this.#anydataDepth >= MAX_NESTED_ANYDATA) return undefined;
    const top = topLevel(this.#schema);
    const node = top.byXml(child.namespace, child.local);
    if (node === undefined || node.kind === 'rpc' || node.kind === 'notification') return undefined;
    const holder: Record<string, unknown> = {};
    const warnings = this.warnings.length;
    const operations = this.operations;
    const path = [...this.#path(d), this.#step(info)];
    this.#anydataDepth++;
    try {
      // Strict and as data, whatever the document: content that does not conform falls back to the schema-less form.
      const inner = new Converter(this.#schema, false, 'data');
      inner.#anydataDepth = this.#anydataDepth;
      inner.convert([child], top, holder, path, info.module, true);
    } catch (error) {
      if (error instanceof YangDataError) return undefined;
      throw error;
    } finally {
      this.#anydataDepth--;
      this.warnings.length = warnings;
      this.operations = operations;
    }
    const [member] = opaqueName(this.#schema, child, info.module);
    const value = holder[member];
    if (value === undefined) return undefined;
    return node.kind === 'list' || node.kind === 'leaf-list' ? [member, (value as unknown[])[0], true] : [member, value, false];
  }

  /** An element the schema does not know here. */
  #unknown(d: number, c: XmlElement): void {
    const owner = this.#infos[d];
    const where = owner ? `"${owner.name}"` : 'the top level';
    if (!this.#lenient) throw new YangDataError(`element "${c.local}" (namespace "${c.namespace}") is not a known child of ${where}`, formatDataPath(this.#path(d)));
    const module = owner?.module ?? this.#topModule;
    const [member] = opaqueName(this.#schema, c, module);
    this.warnings.push(`${formatDataPath(this.#path(d))}: unknown element "${c.local}" (namespace "${c.namespace}"), kept as schema-less JSON "${member}"`);
    addMember(this.#objs[d]!, member, opaqueElementToJson(this.#schema, c, module, false), this.#repeats);
  }

  /** Throw in strict mode, warn in lenient mode. */
  #problem(d: number, info: NodeInfo | undefined, message: string, lenientOutcome: string): void {
    const path = info ? [...this.#path(d), this.#step(info)] : this.#path(d);
    if (!this.#lenient) throw new YangDataError(message, formatDataPath(path));
    this.warnings.push(`${formatDataPath(path)}: ${message}; ${lenientOutcome}`);
  }

  #error(d: number, info: NodeInfo, message: string, entry?: Record<string, unknown>): YangDataError {
    const path = this.#path(d);
    path.push(this.#step(info, entry));
    return new YangDataError(message, formatDataPath(path));
  }

  /** The path step of a node (a list entry with the keys known so far). */
  #step(info: NodeInfo, entry?: Record<string, unknown>): DataPathStep {
    if (entry === undefined || info.kind !== 'list') return { module: info.module, name: info.name };
    const keys: Array<readonly [string, string]> = [];
    for (const key of info.keys) {
      const value = entry[key.member];
      if (value !== undefined) keys.push([key.name, pathValueText(value)]);
    }
    return { module: info.module, name: info.name, keys };
  }

  /** The data path of the object at depth d. */
  #path(d: number): DataPathStep[] {
    const out = [...this.#prefix];
    for (let k = 1; k <= d; k++) out.push(this.#step(this.#infos[k]!, this.#objs[k]));
    return out;
  }
}

/** Whether an object has no member. */
function isEmptyObject(obj: Record<string, unknown>): boolean {
  for (const _ in obj) return false;
  return true;
}

/** What identifies a list entry (its keys' values) or a leaf-list value, as one string. */
/** Lists up to this many entries are checked for duplicates without a set. */
const SHORT_LIST = 16;

function tupleOf(info: NodeInfo, item: unknown): string {
  if (info.kind !== 'list') return typeof item === 'string' ? item : JSON.stringify(item);
  const entry = item as Record<string, unknown>;
  const keys = info.keys;
  if (keys.length === 1) {
    const value = entry[keys[0]!.member];
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  let tuple = '';
  for (const key of keys) tuple += `${JSON.stringify(entry[key.member])}\u0000`;
  return tuple;
}

/** The children of an operation without input or output. */
const EMPTY_INDEX: ChildIndex = {
  list: [],
  module: undefined,
  byXml: () => undefined,
  byMember: () => undefined,
};
