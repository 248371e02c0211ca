import type { XmlElement, XmlNode } from '../xml/element.js';
import { escapeAttribute, moduleOfNamespace, namespaceOfModule } from './metadata.js';
import type { YangSchema } from './schema.js';

/**
 * Schema-less ("opaque") XML ↔ JSON, for what no schema node describes: the content of anydata
 * and anyxml nodes, and, in lenient mode, elements the schema does not know. The mapping is
 * libyang's:
 *
 * - an element with child elements becomes an object, one member per distinct name (siblings of
 *   the same name become an array, in document order);
 * - an element without child elements becomes a value from its text: `[null]` when empty,
 *   `true`/`false`, a number for an integer written canonically (and safe in a double), else a
 *   string;
 * - a name is qualified (`module:name`) where its namespace is a known module's and differs from
 *   the enclosing one's; an element in an unknown namespace keeps its bare name;
 * - attributes become RFC 7952 `@` members.
 *
 * Both directions walk with explicit stacks: the content may be as deep as the XML parser allows.
 */

/** Content the opaque mapping refuses (mixed text and elements, a JSON value of no XML form); message only. */
export class OpaqueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpaqueError';
  }
}

/** Arrays made for repeated names (as opposed to a `[null]` value), to push onto rather than wrap. */
type Repeats = WeakSet<unknown[]>;

/** A canonical decimal integer that a double holds exactly. */
function isCanonicalInteger(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 16) return false;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (i === n) return false;
  if (text.charCodeAt(i) === 48 /* 0 */) return n === i + 1 && i === 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number.isSafeInteger(Number(text));
}

/** The JSON value of the text of an element without child elements. */
export function opaqueScalar(text: string): unknown {
  if (text === '') return [null];
  if (text === 'true') return true;
  if (text === 'false') return false;
  return isCanonicalInteger(text) ? Number(text) : text;
}

/** Whether a string is only XML whitespace. */
export function isWhitespace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Set `obj[member] = value`, turning a repeated member into an array of its values. */
export function addMember(obj: Record<string, unknown>, member: string, value: unknown, repeats: Repeats): void {
  if (member === '__proto__') {
    // An element so named is data like any other: an own member, never the object's prototype.
    Object.defineProperty(obj, member, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  const seen = obj[member];
  if (seen === undefined) obj[member] = value;
  else if (Array.isArray(seen) && repeats.has(seen)) seen.push(value);
  else {
    const list = [seen, value];
    repeats.add(list);
    obj[member] = list;
  }
}

/** The member name of an element under a parent in `parentModule`, and the module it is in (or the parent's, for an unknown namespace). */
export function opaqueName(schema: YangSchema, el: XmlElement, parentModule: string | undefined): [member: string, module: string | undefined] {
  const module = el.namespace ? moduleOfNamespace(schema, el.namespace) : undefined;
  if (module === undefined) return [el.local, parentModule];
  return [module === parentModule ? el.local : `${module}:${el.local}`, module];
}

/** The `@` object of an element's attributes (names qualified by module where known), or undefined. */
function opaqueAttributes(schema: YangSchema, el: XmlElement): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const clark in el.attributes) {
    let name = clark;
    if (clark.charCodeAt(0) === 123) {
      const end = clark.indexOf('}');
      const module = moduleOfNamespace(schema, clark.slice(1, end));
      name = module === undefined ? clark.slice(end + 1) : `${module}:${clark.slice(end + 1)}`;
    }
    (out ??= {})[name] = el.attributes[clark];
  }
  return out;
}

/**
 * The JSON value of an element converted without schema (its content: an object, or a scalar when
 * it has no child elements). `module` is the module the element is in, for qualifying its
 * children's names. Attributes of the element itself are not included (the caller places them:
 * `@name` beside a scalar, `@` inside an object).
 * @param topLevel - called for each direct child element first: a [member, value, entry] when it
 *   can convert the child with a schema (anydata content; entry: a list or leaf-list entry, to
 *   collect in an array), undefined to go on without schema.
 */
export function opaqueElementToJson(
  schema: YangSchema,
  el: XmlElement,
  module: string | undefined,
  strict: boolean,
  topLevel?: (child: XmlElement) => readonly [member: string, value: unknown, entry: boolean] | undefined,
): unknown {
  if (!hasElementChild(el)) return opaqueScalar(el.text);
  const repeats: Repeats = new WeakSet();
  const root: Record<string, unknown> = {};
  // Frames: the element whose children are walked, the next child, the object filled, the module.
  const els: XmlElement[] = [el];
  const pos: number[] = [0];
  const objs: Array<Record<string, unknown>> = [root];
  const mods: Array<string | undefined> = [module];
  while (els.length !== 0) {
    const d = els.length - 1;
    const kids: XmlNode[] = els[d]!.children;
    const i = pos[d]!;
    if (i === kids.length) {
      els.pop();
      pos.pop();
      objs.pop();
      mods.pop();
      continue;
    }
    pos[d] = i + 1;
    const child = kids[i]!;
    if (typeof child === 'string') {
      if (strict && !isWhitespace(child)) throw new OpaqueError(`text "${child.trim().slice(0, 40)}" beside child elements of "${els[d]!.local}"`);
      continue;
    }
    const obj = objs[d]!;
    if (d === 0 && topLevel) {
      const done = topLevel(child);
      if (done !== undefined) {
        // A list or leaf-list entry goes into an array even when alone, as with the schema.
        const seen = done[2] ? obj[done[0]] : undefined;
        if (!done[2]) addMember(obj, done[0], done[1], repeats);
        else if (Array.isArray(seen) && repeats.has(seen)) seen.push(done[1]);
        else {
          const list = [done[1]];
          repeats.add(list);
          obj[done[0]] = list;
        }
        continue;
      }
    }
    const [member, childModule] = opaqueName(schema, child, mods[d]);
    const attributes = child.rawAttributes.length === 0 ? undefined : opaqueAttributes(schema, child);
    if (hasElementChild(child)) {
      const inner: Record<string, unknown> = {};
      if (attributes) inner['@'] = attributes;
      addMember(obj, member, inner, repeats);
      els.push(child);
      pos.push(0);
      objs.push(inner);
      mods.push(childModule);
    } else {
      addMember(obj, member, opaqueScalar(child.text), repeats);
      if (attributes) addMember(obj, `@${member}`, attributes, repeats);
    }
  }
  return root;
}

/** Whether an element has a child element. */
export function hasElementChild(el: XmlElement): boolean {
  for (const c of el.children) if (typeof c !== 'string') return true;
  return false;
}

/** Escape character data. */
export function escapeText(text: string): string {
  return /[&<>\r]/.test(text) ? text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;')) : text;
}

/** The XML text of a JSON scalar (`[null]` and null: empty). */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || (Array.isArray(value) && value.length === 1 && value[0] === null)) return '';
  throw new OpaqueError(`value ${JSON.stringify(value)} has no XML form`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The XML attributes of an opaque `@` object: `module:name` members in that module's namespace. */
function opaqueAttributesToXml(schema: YangSchema, meta: unknown, declare: (namespace: string, prefix: string) => string): string {
  if (!isPlainObject(meta)) throw new OpaqueError('metadata must be a JSON object');
  let out = '';
  for (const name in meta) {
    const colon = name.indexOf(':');
    const value = meta[name];
    let written = name;
    if (colon >= 0) {
      const module = name.slice(0, colon);
      const namespace = namespaceOfModule(schema, module);
      if (namespace === undefined) throw new OpaqueError(`metadata "${name}": no module "${module}"`);
      written = `${declare(namespace, schema.modules.get(module)?.prefix ?? module)}:${name.slice(colon + 1)}`;
    }
    out += ` ${written}="${escapeAttribute(typeof value === 'string' ? value : JSON.stringify(value))}"`;
  }
  return out;
}

/**
 * Write JSON content (the members of `value`, an object; or a scalar as text) as XML without
 * schema, the elements in `namespace` unless qualified. Returns the XML of the content (not of an
 * enclosing element).
 * @param topLevel - called for each member of the outermost object first: the XML of the member
 *   when it can convert it with a schema (anydata content), undefined to go on without schema.
 */
export function opaqueJsonToXml(
  schema: YangSchema,
  value: unknown,
  namespace: string,
  topLevel?: (member: string, value: unknown, meta: unknown) => string | undefined,
): string {
  if (!isPlainObject(value)) return scalarText(value);
  let out = '';
  let prefixes: Map<string, string> | undefined;
  let declarations = '';
  const declare = (ns: string, preferred: string): string => {
    prefixes ??= new Map();
    for (const [p, n] of prefixes) if (n === ns) return p;
    let p = preferred;
    for (let k = 1; prefixes.has(p); k++) p = `${preferred}${k}`;
    prefixes.set(p, ns);
    declarations += ` xmlns:${p}="${escapeAttribute(ns)}"`;
    return p;
  };
  // Two kinds of frame: an object being written (its member names, the next one), and the entries
  // of a repeated name (an array, the next entry, with the name and its metadata array).
  interface Frame {
    readonly obj: Record<string, unknown> | undefined;
    readonly names: readonly string[];
    readonly entries: readonly unknown[] | undefined;
    readonly metas: readonly unknown[] | undefined;
    readonly local: string;
    readonly xmlns: string;
    /** Namespace of the elements written in this frame (of the object's children, or of the entries). */
    readonly ns: string;
    readonly close: string;
    pos: number;
  }
  const objectFrame = (obj: Record<string, unknown>, ns: string, close: string): Frame => ({ obj, names: Object.keys(obj), entries: undefined, metas: undefined, local: '', xmlns: '', ns, close, pos: 0 });
  const stack: Frame[] = [objectFrame(value, namespace, '')];
  // Write one entry (an element); returns the frame to push for an object entry.
  const writeEntry = (local: string, xmlns: string, ns: string, entry: unknown, meta: unknown): Frame | undefined => {
    prefixes = undefined;
    declarations = '';
    if (isPlainObject(entry)) {
      const attributes = entry['@'] === undefined ? '' : opaqueAttributesToXml(schema, entry['@'], declare);
      out += `<${local}${xmlns}${declarations}${attributes}>`;
      return objectFrame(entry, ns, `</${local}>`);
    }
    const attributes = meta === undefined || meta === null ? '' : opaqueAttributesToXml(schema, meta, declare);
    const text = scalarText(entry);
    out += text === '' ? `<${local}${xmlns}${declarations}${attributes}/>` : `<${local}${xmlns}${declarations}${attributes}>${text}</${local}>`;
    return undefined;
  };
  while (stack.length !== 0) {
    const d = stack.length - 1;
    const f = stack[d]!;
    if (f.entries !== undefined) {
      if (f.pos === f.entries.length) {
        stack.pop();
        continue;
      }
      const k = f.pos++;
      const next = writeEntry(f.local, f.xmlns, f.ns, f.entries[k], f.metas?.[k]);
      if (next) stack.push(next);
      continue;
    }
    if (f.pos === f.names.length) {
      out += f.close;
      stack.pop();
      continue;
    }
    const obj = f.obj!;
    const member = f.names[f.pos++]!;
    if (member.charCodeAt(0) === 64 /* @ */) {
      if (member !== '@' && obj[member.slice(1)] === undefined) throw new OpaqueError(`metadata "${member}" without its data "${member.slice(1)}"`);
      continue;
    }
    const item = obj[member];
    const meta = obj[`@${member}`];
    if (d === 0 && topLevel) {
      const done = topLevel(member, item, meta);
      if (done !== undefined) {
        out += done;
        continue;
      }
    }
    const colon = member.indexOf(':');
    let ns = f.ns;
    let local = member;
    if (colon >= 0) {
      const module = member.slice(0, colon);
      const found = namespaceOfModule(schema, module);
      if (found === undefined) throw new OpaqueError(`member "${member}": no module "${module}"`);
      ns = found;
      local = member.slice(colon + 1);
    }
    const xmlns = ns !== f.ns ? ` xmlns="${escapeAttribute(ns)}"` : '';
    // A repeated name is an array of values; `[null]` is one empty element.
    if (Array.isArray(item) && !(item.length === 1 && item[0] === null)) {
      stack.push({ obj: undefined, names: [], entries: item, metas: Array.isArray(meta) ? meta : undefined, local, xmlns, ns, close: '', pos: 0 });
      continue;
    }
    const next = writeEntry(local, xmlns, ns, item, meta);
    if (next) stack.push(next);
  }
  return out;
}
