import { escapeText, OpaqueError, opaqueJsonToXml } from './anydata.js';
import type { DataPathStep } from './data-path.js';
import { formatDataPath, pathValueText } from './data-path.js';
import { YangDataError } from './errors.js';
import { escapeAttribute, MetadataError, metadataToXml } from './metadata.js';
import type { ChildIndex, NodeInfo } from './schema-lookup.js';
import { topLevel } from './schema-lookup.js';
import type { SchemaNode, YangSchema } from './schema.js';
import { leafValueToXml } from './value.js';
import { XmlOutput } from './xml-output.js';

/** Options of {@link jsonToXml}. */
export interface JsonToXmlOptions {
  /**
   * What the JSON is: datastore content (default); an RPC or action with its input
   * (`{"module:rpc": {...}}`, or the data nodes down to the action); an RPC reply (with `rpc`: the
   * output members, qualified, `{"module:leaf": ...}`, written as the content of `<rpc-reply>`;
   * without: `{"module:rpc": {...output...}}`); a notification.
   */
  readonly kind?: 'data' | 'rpc' | 'reply' | 'notification';
  /** For `kind: 'reply'`: the RPC replied to, `module:rpc`. */
  readonly rpc?: string;
}

type Kind = 'data' | 'rpc' | 'reply' | 'notification';

/** How deep anydata content may nest other anydata converted with the schema (the rest is written without). */
const MAX_NESTED_ANYDATA = 32;

/**
 * Convert RFC 7951 JSON to the XML of its top-level elements: standalone (each element declares
 * its namespace where it changes, prefixes used in identityref and instance-identifier values and
 * in attributes are declared on the element that uses them), list keys first in each entry (as
 * NETCONF requires), RPC and action input/output parameters in schema order, RFC 7952 metadata
 * (`"@": {...}`, `"@leaf": {...}`) as attributes: ietf-netconf `operation` as `nc:operation`,
 * `yang:insert`/`key`/`value` in the YANG namespace.
 *
 * Always strict.
 * @throws {@link YangDataError} (with the data path) for an unknown member, a value of the wrong
 *   JSON type or that its type refuses, a list entry without its keys, a duplicate list entry or
 *   config leaf-list value, data from two cases of one choice, metadata without its data or that
 *   no known annotation defines.
 */
export function jsonToXml(schema: YangSchema, json: Record<string, unknown>, options: JsonToXmlOptions = {}): string {
  const out = convertJson(schema, json, options);
  return out === undefined ? '' : out.toString();
}

/**
 * {@link jsonToXml}, the XML as UTF-8 bytes: for a large document written to a file, a socket or
 * a stream, this skips decoding the output into a string and encoding it again.
 * @throws {@link YangDataError} as {@link jsonToXml}.
 */
export function jsonToXmlBytes(schema: YangSchema, json: Record<string, unknown>, options: JsonToXmlOptions = {}): Buffer {
  const out = convertJson(schema, json, options);
  return out === undefined ? Buffer.alloc(0) : out.toBuffer();
}

/** The conversion of both; undefined for the reply of an RPC without output. */
function convertJson(schema: YangSchema, json: Record<string, unknown>, options: JsonToXmlOptions): XmlOutput | undefined {
  const kind = options.kind ?? 'data';
  if (!isPlainObject(json)) throw new YangDataError('the JSON document must be an object', '/');
  const writer = new Writer(schema, kind);
  if (kind === 'reply' && options.rpc !== undefined) {
    const rpc = topLevel(schema).byMember(options.rpc);
    if (rpc === undefined || rpc.kind !== 'rpc') throw new YangDataError(`no RPC "${options.rpc}" in the schema`, '/');
    const output = rpc.output;
    if (output === undefined) {
      if (Object.keys(json).length !== 0) throw new YangDataError(`RPC "${options.rpc}" has no output`, `/${rpc.qualified}`);
      return undefined;
    }
    return writer.write(json, output.children, [{ module: rpc.module, name: rpc.name }], '', undefined, false, true);
  }
  const out = writer.write(json, topLevel(schema), [], '', undefined, true, false);
  if (kind !== 'data' && writer.operations !== 1) {
    const what = kind === 'notification' ? 'notification' : 'RPC or action';
    throw new YangDataError(writer.operations === 0 ? `no ${what} found` : `more than one ${what} found`, '/');
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON type name for messages. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** One frame of the walk: an object whose members are written, or the entries of a list. */
interface Frame {
  /** The object (for an entries frame: undefined). */
  readonly obj: Record<string, unknown> | undefined;
  /** The member names to write, in order. */
  readonly names: readonly string[];
  /** A list's entries. */
  readonly entries: readonly unknown[] | undefined;
  /** The node owning the object, or the list of the entries; undefined at the top. */
  readonly info: NodeInfo | undefined;
  readonly index: ChildIndex;
  /** The namespace of the element the object is the content of ('' at the top). */
  readonly ns: string;
  /** The closing tag written when the frame ends. */
  readonly close: string;
  /** Whether operations may appear below (false inside an rpc/action/notification). */
  readonly data: boolean;
  pos: number;
  /** The case chosen per choice (objects with children in choices). */
  chosen: Map<SchemaNode, SchemaNode> | undefined;
  /** Key tuples of a list's entries seen (entries frame of a keyed list). */
  seen: Set<string> | undefined;
}

class Writer {
  operations = 0;
  readonly #schema: YangSchema;
  readonly #kind: Kind;
  #anydataDepth = 0;
  #stack: Frame[] = [];
  #out = new XmlOutput(0);
  #prefix: readonly DataPathStep[] = [];
  // The namespace declarations of the element being written (values' and attributes' prefixes).
  #declarations = '';
  #prefixes: string[] = [];
  #namespaces: string[] = [];

  constructor(schema: YangSchema, kind: Kind) {
    this.#schema = schema;
    this.#kind = kind;
  }

  /** `declare` for values and attributes: a prefix for the namespace, declared on the element being written. */
  readonly declare = (namespace: string, preferred: string): string => {
    const k = this.#namespaces.indexOf(namespace);
    if (k >= 0) return this.#prefixes[k]!;
    let prefix = preferred === '' || preferred.toLowerCase().startsWith('xml') ? 'p' : preferred;
    if (this.#prefixes.includes(prefix)) {
      let n = 1;
      while (this.#prefixes.includes(`${prefix}${n}`)) n++;
      prefix = `${prefix}${n}`;
    }
    this.#prefixes.push(prefix);
    this.#namespaces.push(namespace);
    this.#declarations += ` xmlns:${prefix}="${escapeAttribute(namespace)}"`;
    return prefix;
  };

  #resetDeclarations(): void {
    if (this.#prefixes.length === 0) return;
    this.#declarations = '';
    this.#prefixes.length = 0;
    this.#namespaces.length = 0;
  }

  /**
   * Write the members of `obj` (children of an owner whose children are `index`, in namespace `ns`).
   * @param topModule - the module unqualified names at this level belong to (undefined: names must be qualified)
   * @param data - whether operations may appear below
   * @param schemaOrder - write the members in schema order (RPC input/output parameters)
   */
  write(obj: Record<string, unknown>, index: ChildIndex, prefix: readonly DataPathStep[], ns: string, topModule: string | undefined, data: boolean, schemaOrder: boolean): XmlOutput {
    const saved = [this.#stack, this.#prefix, this.#out] as const;
    this.#prefix = prefix;
    this.#stack = [];
    this.#out = new XmlOutput();
    try {
      const top: Frame = { obj, names: this.#names(obj, index, schemaOrder, 0, topModule), entries: undefined, info: undefined, index, ns, close: '', data, pos: 0, chosen: undefined, seen: undefined };
      this.#stack.push(top);
      this.#walk(topModule);
      return this.#out;
    } finally {
      [this.#stack, this.#prefix, this.#out] = saved;
    }
  }

  /** The member names of an object, in the order to write them (schema order when asked). */
  #names(obj: Record<string, unknown>, index: ChildIndex, schemaOrder: boolean, depth: number, topModule: string | undefined): string[] {
    const names = Object.keys(obj);
    if (!schemaOrder) return names;
    const order = (name: string): number => {
      if (name.charCodeAt(0) === 64) return -1;
      // An unknown member is refused when the walk reaches it (with the path of the object).
      return this.#lookup(index, name, depth, topModule)?.order ?? Infinity;
    };
    return names.map((n) => [order(n), n] as const).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  }

  /** The child a member names (at the top with a module given, an unqualified name is in it). */
  #lookup(index: ChildIndex, name: string, depth: number, topModule: string | undefined): NodeInfo | undefined {
    if (depth === 0 && !name.includes(':')) return topModule === undefined ? undefined : index.byMember(`${topModule}:${name}`);
    return index.byMember(name);
  }

  #walk(topModule: string | undefined): void {
    const out = this.#out;
    const stack = this.#stack;
    for (;;) {
      const d = stack.length - 1;
      if (d < 0) return;
      const f = stack[d]!;
      if (f.entries !== undefined) {
        // The entries of a list: one element each, a frame for its content.
        if (f.pos === f.entries.length) {
          stack.pop();
          continue;
        }
        const k = f.pos++;
        const entry = f.entries[k];
        const info = f.info!;
        if (!isPlainObject(entry)) throw this.#error(d - 1, info, `list "${info.name}" entries must be JSON objects, found ${jsonType(entry)}`);
        this.#openEntry(d, f, info, entry);
        continue;
      }
      if (f.pos === f.names.length) {
        if (f.close !== '') out.write(f.close);
        stack.pop();
        continue;
      }
      const obj = f.obj!;
      const member = f.names[f.pos++]!;
      if (member.charCodeAt(0) === 64 /* @ */) {
        if (member !== '@' && obj[member.slice(1)] === undefined) throw new YangDataError(`metadata "${member}" without its data "${member.slice(1)}"`, formatDataPath(this.#path(d)));
        continue;
      }
      const info = this.#lookup(f.index, member, d, topModule);
      if (info === undefined || !this.#allowed(info, d, f)) {
        const where = f.info ? `"${f.info.name}"` : 'the top level';
        const hint = d === 0 && !member.includes(':') ? ' (top-level members must be module-qualified)' : '';
        throw new YangDataError(`unknown member "${member}" in ${where}${hint}`, formatDataPath(this.#path(d)));
      }
      // A list's keys were written with the entry's start tag.
      if (info.isKey && f.info?.kind === 'list') continue;
      // The same node named twice (bare and redundantly qualified).
      if (member !== info.member && d !== 0 && obj[info.member] !== undefined) throw this.#error(d, info, `duplicate instance of "${info.name}"`);
      if (info.cases.length !== 0) this.#checkCases(d, f, info);
      const value = obj[member];
      const ns = f.ns;
      switch (info.kind) {
        case 'leaf':
          this.#leafWith(d, info, value, ns, obj[`@${member}`]);
          break;
        case 'leaf-list': {
          if (!Array.isArray(value)) throw this.#error(d, info, `leaf-list "${info.name}" must be a JSON array, found ${jsonType(value)}`);
          const metas = obj[`@${member}`];
          if (metas !== undefined && !Array.isArray(metas)) throw this.#error(d, info, `metadata "@${member}" of a leaf-list must be a JSON array`);
          const seen = info.config ? new Set<string>() : undefined;
          for (let k = 0; k < value.length; k++) {
            const item: unknown = value[k];
            if (seen) {
              const text = typeof item === 'string' ? item : JSON.stringify(item);
              if (seen.has(text)) throw this.#error(d, info, `duplicate instance of "${info.name}"`, undefined, pathValueText(item));
              seen.add(text);
            }
            this.#leafWith(d, info, item, ns, (metas as unknown[] | undefined)?.[k]);
          }
          break;
        }
        case 'container':
        case 'notification': {
          if (!isPlainObject(value)) throw this.#error(d, info, `${info.kind} "${info.name}" must be a JSON object, found ${jsonType(value)}`);
          if (info.kind === 'notification') this.operations++;
          this.#open(d, info, value['@'], ns);
          stack.push({
            obj: value,
            names: this.#names(value, info.children, info.kind === 'notification', d + 1, topModule),
            entries: undefined,
            info,
            index: info.children,
            ns: info.namespace,
            close: info.endTag,
            data: f.data && info.kind === 'container',
            pos: 0,
            chosen: undefined,
            seen: undefined,
          });
          break;
        }
        case 'list': {
          if (!Array.isArray(value)) throw this.#error(d, info, `list "${info.name}" must be a JSON array of objects, found ${jsonType(value)}`);
          stack.push({ obj: undefined, names: [], entries: value, info, index: info.children, ns, close: '', data: f.data, pos: 0, chosen: undefined, seen: info.keys.length !== 0 ? new Set() : undefined });
          break;
        }
        case 'anydata':
        case 'anyxml':
          out.write(this.#anydata(d, info, value, ns, obj[`@${member}`]));
          break;
        case 'rpc':
        case 'action': {
          if (!isPlainObject(value)) throw this.#error(d, info, `${info.kind} "${info.name}" must be a JSON object, found ${jsonType(value)}`);
          this.operations++;
          const part = this.#kind === 'rpc' ? info.input : info.output;
          const index = part ? part.children : EMPTY_INDEX;
          this.#open(d, info, undefined, ns);
          stack.push({ obj: value, names: this.#names(value, index, true, d + 1, topModule), entries: undefined, info, index, ns: info.namespace, close: info.endTag, data: false, pos: 0, chosen: undefined, seen: undefined });
          break;
        }
        default:
          throw this.#error(d, info, `"${info.name}" (${info.kind}) cannot appear in data`);
      }
    }
  }

  #allowed(info: NodeInfo, d: number, f: Frame): boolean {
    const k = info.kind;
    if (k === 'rpc') return d === 0 && f.data && (this.#kind === 'rpc' || this.#kind === 'reply');
    if (k === 'action') return d > 0 && f.data && (this.#kind === 'rpc' || this.#kind === 'reply');
    if (k === 'notification') return f.data && this.#kind === 'notification';
    return true;
  }

  /** The start tag of a container or operation (in an element of namespace `ns`), with its metadata. */
  #open(d: number, info: NodeInfo, meta: unknown, ns: string, entry?: Record<string, unknown>): void {
    if (meta === undefined) {
      this.#out.write(info.namespace === ns ? info.startTag : info.startTagNs);
      return;
    }
    this.#resetDeclarations();
    const attributes = this.#attributes(d, info, meta, entry);
    const xmlns = info.namespace === ns ? '' : ` xmlns="${escapeAttribute(info.namespace)}"`;
    this.#out.write(`<${info.name}${xmlns}${this.#declarations}${attributes}>`);
  }

  #attributes(d: number, info: NodeInfo | undefined, meta: unknown, entry?: Record<string, unknown>): string {
    try {
      return metadataToXml(meta, this.#schema, this.declare);
    } catch (error) {
      if (error instanceof MetadataError) throw info ? this.#error(d, info, error.message, entry) : new YangDataError(error.message, formatDataPath(this.#path(d)));
      throw error;
    }
  }

  /** Open a list entry: its start tag and keys; push the frame for the rest of its content. */
  #openEntry(d: number, f: Frame, info: NodeInfo, entry: Record<string, unknown>): void {
    this.#open(d - 1, info, entry['@'], f.ns, entry);
    // The entry's frame first, so that errors in its keys name the entry.
    this.#stack.push({
      obj: entry,
      names: Object.keys(entry),
      entries: undefined,
      info,
      index: info.children,
      ns: info.namespace,
      close: info.endTag,
      data: f.data,
      pos: 0,
      chosen: undefined,
      seen: undefined,
    });
    const keys = info.keys;
    if (keys.length !== 0) {
      let tuple = '';
      let first = true;
      for (const key of keys) {
        let value = entry[key.member];
        let name = key.member;
        if (value === undefined) {
          value = entry[key.qualified];
          name = key.qualified;
        }
        if (value === undefined) throw this.#error(d - 1, info, `list instance is missing its key "${key.name}"`, entry);
        tuple = first ? (typeof value === 'string' ? value : JSON.stringify(value)) : `${tuple}\u0000${JSON.stringify(value)}`;
        first = false;
        this.#leafWith(d + 1, key, value, info.namespace, entry[`@${name}`]);
      }
      if (f.seen!.has(tuple)) throw this.#error(d - 1, info, `duplicate instance of "${info.name}"`, entry);
      f.seen!.add(tuple);
    }
  }

  /** A leaf or leaf-list entry, with its metadata (`@member`, or the entry's in `@leaf-list`). */
  #leafWith(d: number, info: NodeInfo, value: unknown, ns: string, meta: unknown): void {
    this.#resetDeclarations();
    let text: string;
    try {
      text = leafValueToXml(info.type!, value, this.declare, this.#schema, info.module);
    } catch (error) {
      throw this.#error(d, info, error instanceof Error ? error.message : String(error), undefined, info.kind === 'leaf-list' ? pathValueText(value) : undefined);
    }
    const out = this.#out;
    if ((meta === undefined || meta === null) && this.#prefixes.length === 0) {
      // The common case: no namespace declaration, no attribute; tags from the node's cache.
      if (text === '') {
        const start = info.namespace === ns ? info.startTag : info.startTagNs;
        out.write(start.slice(0, -1));
        out.write('/>');
        return;
      }
      out.write(info.namespace === ns ? info.startTag : info.startTagNs);
      out.write(escapeText(text));
      out.write(info.endTag);
      return;
    }
    const attributes = meta === undefined || meta === null ? '' : this.#attributes(d, info, meta);
    const xmlns = info.namespace === ns ? '' : ` xmlns="${escapeAttribute(info.namespace)}"`;
    if (text === '') out.write(`<${info.name}${xmlns}${this.#declarations}${attributes}/>`);
    else out.write(`<${info.name}${xmlns}${this.#declarations}${attributes}>${escapeText(text)}</${info.name}>`);
  }

  #checkCases(d: number, f: Frame, info: NodeInfo): void {
    let chosen = f.chosen;
    if (chosen === undefined) f.chosen = chosen = new Map();
    for (const [choice, branch] of info.cases) {
      const was = chosen.get(choice);
      if (was === undefined) chosen.set(choice, branch);
      else if (was !== branch) throw new YangDataError(`data for both cases "${was.name}" and "${branch.name}" of choice "${choice.name}" exist`, formatDataPath(this.#path(d)));
    }
  }

  /** anydata/anyxml: its content written without schema, except members naming top-level data nodes (with the schema when they conform). */
  #anydata(d: number, info: NodeInfo, value: unknown, ns: string, meta: unknown): string {
    if (info.kind === 'anydata' && !isPlainObject(value)) throw this.#error(d, info, `anydata "${info.name}" must be a JSON object, found ${jsonType(value)}`);
    let content: string;
    try {
      content = opaqueJsonToXml(this.#schema, value, info.namespace, (member, item, itemMeta) => this.#anydataMember(d, info, member, item, itemMeta));
    } catch (error) {
      if (error instanceof OpaqueError) throw this.#error(d, info, error.message);
      throw error;
    }
    this.#resetDeclarations();
    const attributes = meta === undefined || meta === null ? '' : this.#attributes(d, info, meta);
    const xmlns = info.namespace === ns ? '' : ` xmlns="${escapeAttribute(info.namespace)}"`;
    const decl = this.#declarations;
    return content === '' ? `<${info.name}${xmlns}${decl}${attributes}/>` : `<${info.name}${xmlns}${decl}${attributes}>${content}</${info.name}>`;
  }

  #anydataMember(d: number, info: NodeInfo, member: string, item: unknown, meta: unknown): string | undefined {
    if (this.#anydataDepth >= MAX_NESTED_ANYDATA) return undefined;
    const top = topLevel(this.#schema);
    const node = top.byMember(member.includes(':') ? member : `${info.module}:${member}`);
    if (node === undefined || node.kind === 'rpc' || node.kind === 'notification') return undefined;
    const holder: Record<string, unknown> = { [member]: item };
    if (meta !== undefined) holder[`@${member}`] = meta;
    const inner = new Writer(this.#schema, 'data');
    inner.#anydataDepth = this.#anydataDepth + 1;
    try {
      return inner.write(holder, top, [...this.#path(d), { module: info.module, name: info.name }], info.namespace, info.module, true, false).toString();
    } catch (error) {
      if (error instanceof YangDataError) return undefined;
      throw error;
    }
  }

  #error(d: number, info: NodeInfo, message: string, entry?: Record<string, unknown>, value?: string): YangDataError {
    const path = this.#path(d);
    path.push(this.#step(info, entry, value));
    return new YangDataError(message, formatDataPath(path));
  }

  #step(info: NodeInfo, entry?: Record<string, unknown>, value?: string): DataPathStep {
    if (value !== undefined) return { module: info.module, name: info.name, value };
    if (entry === undefined || info.kind !== 'list') return { module: info.module, name: info.name };
    const keys: Array<readonly [string, string]> = [];
    for (const key of info.keys) {
      const v = entry[key.member] ?? entry[key.qualified];
      if (v !== undefined) keys.push([key.name, pathValueText(v)]);
    }
    return { module: info.module, name: info.name, keys };
  }

  /** The data path of the object of frame d (entries frames are skipped: the entry's own frame names the list). */
  #path(d: number): DataPathStep[] {
    const out = [...this.#prefix];
    for (let k = 1; k <= d; k++) {
      const f = this.#stack[k]!;
      if (f.entries !== undefined || f.info === undefined) continue;
      out.push(this.#step(f.info, f.obj));
    }
    return out;
  }
}

/** The children of an operation without input or output. */
const EMPTY_INDEX: ChildIndex = {
  list: [],
  module: undefined,
  byXml: () => undefined,
  byMember: () => undefined,
};
