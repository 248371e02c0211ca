import { NETCONF_NS, ORIGIN_NS, WITH_DEFAULTS_NS, YANG_NS } from '../namespaces.js';
import type { XmlElement } from '../xml/element.js';
import type { YangSchema } from './schema.js';

/**
 * RFC 7952 metadata: XML attributes in data ↔ the `@` members of RFC 7951 JSON
 * (`"@": {...}` for a container or list entry, `"@leaf": {...}` for a leaf, `"@leaf-list": [...]`
 * for the entries of a leaf-list).
 *
 * The annotations a NETCONF client meets are known here by name and type, whether or not the
 * modules defining them are among the compiled ones (an edit-config `operation` must work with a
 * schema set that lacks ietf-netconf): ietf-netconf `operation`, ietf-netconf-with-defaults
 * `default` (RFC 6243 tagging), YANG's `insert`/`key`/`value` for ordered-by user lists (RFC 7950
 * §7.7.9, §7.8.6) and ietf-origin `origin` (RFC 8342). Any other attribute is unknown: refused in
 * strict mode, kept (when its namespace is a known module) or dropped with a warning in lenient mode.
 */

/** A metadata value its annotation refuses, or an attribute no annotation defines (message only; the codec adds the data path). */
export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataError';
  }
}

/** An annotation the codec knows. */
interface Annotation {
  /** The module defining it: the JSON qualifier. */
  readonly module: string;
  readonly namespace: string;
  readonly name: string;
  /** The prefix written in XML when none is declared yet. */
  readonly prefix: string;
  /** Its type: a set of enum names, boolean, string, or an identityref (JSON `module:identity`). */
  readonly type: ReadonlySet<string> | 'boolean' | 'string' | 'identityref';
}

const ANNOTATIONS: readonly Annotation[] = [
  { module: 'ietf-netconf', namespace: NETCONF_NS, name: 'operation', prefix: 'nc', type: new Set(['merge', 'replace', 'create', 'delete', 'remove']) },
  { module: 'ietf-netconf-with-defaults', namespace: WITH_DEFAULTS_NS, name: 'default', prefix: 'ncwd', type: 'boolean' },
  { module: 'yang', namespace: YANG_NS, name: 'insert', prefix: 'yang', type: new Set(['first', 'last', 'before', 'after']) },
  { module: 'yang', namespace: YANG_NS, name: 'key', prefix: 'yang', type: 'string' },
  { module: 'yang', namespace: YANG_NS, name: 'value', prefix: 'yang', type: 'string' },
  { module: 'ietf-origin', namespace: ORIGIN_NS, name: 'origin', prefix: 'or', type: 'identityref' },
];

/** By Clark name (`{namespace}name`), for XML. */
const BY_CLARK = new Map(ANNOTATIONS.map((a) => [`{${a.namespace}}${a.name}`, a]));
/** By JSON member name (`module:name`). */
const BY_MEMBER = new Map(ANNOTATIONS.map((a) => [`${a.module}:${a.name}`, a]));
/** Namespace ↔ module of the annotations' modules, for when the schema does not have them. */
const KNOWN_MODULES = new Map<string, string>([
  [NETCONF_NS, 'ietf-netconf'],
  [WITH_DEFAULTS_NS, 'ietf-netconf-with-defaults'],
  [YANG_NS, 'yang'],
  [ORIGIN_NS, 'ietf-origin'],
]);
const KNOWN_NAMESPACES = new Map([...KNOWN_MODULES].map(([ns, m]) => [m, ns]));

/** The module of a namespace: the schema's, else one of the annotation modules'. */
export function moduleOfNamespace(schema: YangSchema, namespace: string): string | undefined {
  return schema.byNamespace.get(namespace)?.name ?? KNOWN_MODULES.get(namespace);
}

/** The namespace of a module: the schema's, else one of the annotation modules'. */
export function namespaceOfModule(schema: YangSchema, module: string): string | undefined {
  return schema.modules.get(module)?.namespace ?? KNOWN_NAMESPACES.get(module);
}

/** Split a Clark name `{uri}local` (or a plain `local`). */
function splitClark(name: string): [namespace: string, local: string] {
  if (name.charCodeAt(0) !== 123 /* { */) return ['', name];
  const end = name.indexOf('}');
  return [name.slice(1, end), name.slice(end + 1)];
}

/** What {@link xmlMetadata} needs besides the element. */
export interface XmlMetadataContext {
  readonly schema: YangSchema;
  /** Resolve an XML prefix in scope at the element (identityref-valued annotations). */
  readonly namespaceOf: (prefix: string) => string | undefined;
  /** Keep or drop unknown attributes with a warning instead of refusing them. */
  readonly lenient: boolean;
  /** Collect a warning (lenient mode). */
  readonly warn: (message: string) => void;
}

/**
 * The RFC 7951 metadata object of an element's attributes (`{"ietf-netconf:operation": "delete"}`),
 * or undefined when it has none.
 * @throws {@link MetadataError} for an attribute no known annotation defines (strict mode) or a value its annotation refuses.
 */
export function xmlMetadata(el: XmlElement, ctx: XmlMetadataContext): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const clark in el.attributes) {
    const text = el.attributes[clark]!;
    const annotation = BY_CLARK.get(clark);
    if (annotation !== undefined) {
      (out ??= {})[`${annotation.module}:${annotation.name}`] = annotationFromXml(annotation, text, ctx);
      continue;
    }
    const [namespace, local] = splitClark(clark);
    const module = namespace ? moduleOfNamespace(ctx.schema, namespace) : undefined;
    const problem = namespace === '' ? `attribute "${local}" has no namespace (metadata must be qualified)` : module === undefined ? `attribute "${local}" is in namespace "${namespace}" of no known module` : `no annotation "${module}:${local}" is known`;
    if (!ctx.lenient) throw new MetadataError(problem);
    if (module === undefined) ctx.warn(`${problem}: dropped`);
    else {
      ctx.warn(`${problem}: kept as a string`);
      (out ??= {})[`${module}:${local}`] = text;
    }
  }
  return out;
}

function annotationFromXml(a: Annotation, text: string, ctx: XmlMetadataContext): unknown {
  const type = a.type;
  if (type === 'string') return text;
  if (type === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw new MetadataError(`invalid boolean value "${text}" of annotation ${a.module}:${a.name}`);
  }
  if (type === 'identityref') {
    const colon = text.indexOf(':');
    const prefix = colon < 0 ? '' : text.slice(0, colon);
    const namespace = ctx.namespaceOf(prefix);
    const module = namespace === undefined ? undefined : moduleOfNamespace(ctx.schema, namespace);
    if (module === undefined) throw new MetadataError(`invalid identityref value "${text}" of annotation ${a.module}:${a.name}: prefix "${prefix}" not bound to a known module`);
    return `${module}:${text.slice(colon + 1)}`;
  }
  if (!type.has(text)) throw new MetadataError(`invalid enumeration value "${text}" of annotation ${a.module}:${a.name}`);
  return text;
}

/**
 * XML attributes (` p:name="value"`, each with a leading space) for an RFC 7951 metadata object.
 * `declare(namespace, preferredPrefix)` gives the prefix to write and has the caller declare it.
 * @throws {@link MetadataError} for a member no known annotation defines, an unqualified member, or a value of the wrong JSON type.
 */
export function metadataToXml(meta: unknown, schema: YangSchema, declare: (namespace: string, preferredPrefix: string) => string): string {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new MetadataError('metadata must be a JSON object');
  let out = '';
  for (const member in meta) {
    const value = (meta as Record<string, unknown>)[member];
    if (!member.includes(':')) throw new MetadataError(`metadata member "${member}" must be module-qualified`);
    const a = BY_MEMBER.get(member);
    if (a === undefined) throw new MetadataError(`no annotation "${member}" is known`);
    let text: string;
    const type = a.type;
    if (type === 'boolean') {
      if (typeof value !== 'boolean') throw new MetadataError(`annotation ${member} needs a JSON boolean`);
      text = String(value);
    } else if (typeof value !== 'string') {
      throw new MetadataError(`annotation ${member} needs a JSON string`);
    } else if (type === 'identityref') {
      const colon = value.indexOf(':');
      const namespace = colon < 0 ? undefined : namespaceOfModule(schema, value.slice(0, colon));
      if (namespace === undefined) throw new MetadataError(`invalid identityref value "${value}" of annotation ${member}: not qualified by a known module`);
      const module = schema.modules.get(value.slice(0, colon));
      text = `${declare(namespace, module?.prefix ?? a.prefix)}:${value.slice(colon + 1)}`;
    } else {
      if (type !== 'string' && !type.has(value)) throw new MetadataError(`invalid enumeration value "${value}" of annotation ${member}`);
      text = value;
    }
    out += ` ${declare(a.namespace, a.prefix)}:${a.name}="${escapeAttribute(text)}"`;
  }
  return out;
}

/** Escape an attribute value (quotes, markup, and whitespace that attribute normalisation would fold). */
export function escapeAttribute(text: string): string {
  return /[&<>"\t\n\r]/.test(text) ? text.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]!) : text;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
