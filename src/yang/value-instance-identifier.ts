import { dataChildren, type CompiledModule, type SchemaNode, type YangSchema, type YangType } from './schema.js';
import type { JsonLeafValue } from './value.js';
import { q, Refusal } from './value-refusal.js';

/**
 * instance-identifier values (RFC 7950 §9.13, RFC 7951 §6.11): a path of data nodes with key,
 * leaf-list-value and position predicates. XML writes every step with an XML prefix; JSON
 * qualifies a step with its module name only where the module changes (the first step always),
 * and never a key name. Both are resolved against the schema and rewritten in canonical form:
 * prefixes as required by the target encoding, predicate values in their type's canonical form
 * (`[b='  05']` → `[b='5']`), single quotes unless the value contains one.
 *
 * The same code reads ietf-netconf-acm's `node-instance-identifier` (`nodeInstance`), which
 * libyang 2.1.30 also handles with a type plugin of its own rather than as the xpath1.0 it is
 * derived from: `/` alone is allowed, a list or leaf-list step may have no predicate, and paths
 * go into rpcs, actions and notifications (their input looked through; libyang does not find
 * output nodes).
 *
 * Checked as libyang does when it parses data (require-instance is not checked there): every
 * step names an existing data node; a list step has one predicate per key, or a single position
 * when the list is `config false`; a leaf-list step one `.=` predicate or a position (state
 * only); other nodes no predicate.
 */

/** What a parsed predicate says. */
type Predicate =
  | { readonly kind: 'key'; readonly key: SchemaNode; readonly value: string }
  | { readonly kind: 'dot'; readonly value: string }
  | { readonly kind: 'pos'; readonly position: string };

interface Step {
  readonly node: SchemaNode;
  readonly predicates: readonly Predicate[];
}

/** Converts a predicate value in the source encoding to its JSON value (canonical) for a type. */
export type PredicateValueReader = (type: YangType, text: string) => JsonLeafValue | Refusal;

/** Data children by `module:name`, per parent (or per schema for the top level), computed once. */
const childMaps = new WeakMap<object, Map<string, SchemaNode>>();
/** The same with operations: rpcs and notifications at the top, an operation's input looked through. */
const operationChildMaps = new WeakMap<object, Map<string, SchemaNode>>();

function childrenOf(parent: SchemaNode | undefined, schema: YangSchema, operations = false): Map<string, SchemaNode> {
  const owner: object = parent ?? schema;
  const maps = operations ? operationChildMaps : childMaps;
  let map = maps.get(owner);
  if (!map) {
    map = new Map();
    let nodes: SchemaNode[];
    if (!operations) nodes = dataChildren(parent ?? schema.data);
    else if (!parent) nodes = [...dataChildren(schema.data), ...schema.rpcs, ...schema.notifications];
    // libyang looks for the children of an operation in its input only (output nodes are "not found")
    else if (parent.kind === 'rpc' || parent.kind === 'action') nodes = parent.children.filter((c) => c.kind === 'input').flatMap((io) => dataChildren(io));
    else nodes = dataChildren(parent);
    for (const c of nodes) if (!map.has(`${c.module}:${c.name}`)) map.set(`${c.module}:${c.name}`, c);
    maps.set(owner, map);
  }
  return map;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_.-]*/y;

class PathReader {
  pos = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos++;
  }

  eat(c: string): boolean {
    this.ws();
    if (this.text[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  identifier(): string | undefined {
    IDENTIFIER.lastIndex = this.pos;
    const m = IDENTIFIER.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** `[prefix:]name`; undefined when there is no identifier here. */
  qname(): [prefix: string | undefined, name: string] | undefined {
    this.ws();
    const first = this.identifier();
    if (first === undefined) return undefined;
    if (this.text[this.pos] !== ':') return [undefined, first];
    this.pos++;
    const second = this.identifier();
    return second === undefined ? undefined : [first, second];
  }

  quoted(): string | undefined {
    this.ws();
    const quote = this.text[this.pos];
    if (quote !== "'" && quote !== '"') return undefined;
    const end = this.text.indexOf(quote, this.pos + 1);
    if (end === -1) return undefined;
    const s = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return s;
  }
}

/**
 * Parses an instance-identifier. `moduleOf(prefix)` gives the module a prefix stands for (an XML
 * prefix in scope, or a module name in JSON). In JSON, a step without a prefix is in its parent's
 * module, and a prefix repeating it is refused (as libyang does); in XML every step needs one.
 */
function parsePath(
  text: string,
  json: boolean,
  moduleOf: (prefix: string) => CompiledModule | undefined,
  schema: YangSchema,
  nodeInstance: boolean,
): Step[] | Refusal {
  const r = new PathReader(text);
  const bad = (why: string): Refusal => new Refusal(`invalid ${nodeInstance ? 'node-' : ''}instance-identifier ${q(text)}: ${why}`);
  const steps: Step[] = [];
  let parent: SchemaNode | undefined;
  r.ws();
  if (r.pos === text.length) return bad('empty');
  // a node-instance-identifier may be the root itself
  if (nodeInstance && text.trim() === '/') return steps;
  for (;;) {
    r.ws();
    if (r.pos === text.length) break;
    if (!r.eat('/')) return bad(`expected "/" at character ${r.pos + 1}`);
    const qn = r.qname();
    if (!qn) return bad(`expected a node name at character ${r.pos + 1}`);
    const [prefix, name] = qn;
    let mod: CompiledModule | undefined;
    if (prefix === undefined) {
      if (!json || !parent) return bad(`prefix missing for ${q(name)}`);
      mod = schema.modules.get(parent.module);
    } else {
      mod = moduleOf(prefix);
      if (!mod) return bad(`unknown prefix ${q(prefix)}`);
      if (json && parent && parent.module === mod.name) return bad(`redundant prefix for ${q(`${prefix}:${name}`)}`);
    }
    const node = mod && childrenOf(parent, schema, nodeInstance).get(`${mod.name}:${name}`);
    if (!node) return bad(`no data node ${q(name)}${parent ? ` in ${q(parent.name)}` : ''}`);
    const predicates: Predicate[] = [];
    while (r.eat('[')) {
      r.ws();
      const c = text[r.pos];
      if (c !== undefined && c >= '0' && c <= '9') {
        const start = r.pos;
        while (r.pos < text.length && (text[r.pos] as string) >= '0' && (text[r.pos] as string) <= '9') r.pos++;
        const position = text.slice(start, r.pos);
        if (/^0+$/.test(position)) return bad('position 0');
        predicates.push({ kind: 'pos', position: String(BigInt(position)) });
      } else {
        let key: SchemaNode | undefined;
        if (c === '.') r.pos++;
        else {
          const kq = r.qname();
          if (!kq) return bad(`invalid predicate at character ${r.pos + 1}`);
          if (kq[0] === undefined) {
            // XML names every node with its prefix, keys included (libyang refuses a bare key).
            if (!json) return bad(`prefix missing for key ${q(kq[1])}`);
          } else {
            if (json) return bad(`redundant prefix for key ${q(`${kq[0]}:${kq[1]}`)}`);
            if (moduleOf(kq[0])?.name !== node.module) return bad(`key ${q(`${kq[0]}:${kq[1]}`)} not in the module of ${q(node.name)}`);
          }
          key = node.kind === 'list' && node.keys.includes(kq[1]) ? childrenOf(node, schema).get(`${node.module}:${kq[1]}`) : undefined;
          if (!key) return bad(`${q(kq[1])} is not a key of ${q(node.name)}`);
        }
        if (!r.eat('=')) return bad(`expected "=" at character ${r.pos + 1}`);
        const value = r.quoted();
        if (value === undefined) return bad(`expected a quoted value at character ${r.pos + 1}`);
        predicates.push(key ? { kind: 'key', key, value } : { kind: 'dot', value });
      }
      if (!r.eat(']')) return bad(`expected "]" at character ${r.pos + 1}`);
    }
    // node-instance-identifier (ietf-netconf-acm): a list or leaf-list step may go without
    // predicates (every instance); given key predicates must still name every key.
    const check = nodeInstance && predicates.length === 0 ? undefined : checkPredicates(node, predicates);
    if (check) return bad(check);
    steps.push({ node, predicates });
    parent = node;
  }
  return steps;
}

/** Why a step's predicates do not fit its node, or undefined when they do. */
function checkPredicates(node: SchemaNode, predicates: readonly Predicate[]): string | undefined {
  const first = predicates[0];
  if (node.kind === 'list') {
    if (!first) return `predicate missing for list ${q(node.name)}`;
    if (first.kind === 'pos' || node.keys.length === 0) {
      if (predicates.length !== 1 || first.kind !== 'pos') return `list ${q(node.name)} takes one position predicate`;
      return node.config ? `position predicate for configuration list ${q(node.name)}` : undefined;
    }
    const seen = new Set<string>();
    for (const p of predicates) {
      if (p.kind !== 'key') return `list ${q(node.name)} takes key predicates`;
      if (seen.has(p.key.name)) return `duplicate predicate for key ${q(p.key.name)}`;
      seen.add(p.key.name);
    }
    if (seen.size !== node.keys.length) return `predicate missing for a key of list ${q(node.name)}`;
    return undefined;
  }
  if (node.kind === 'leaf-list') {
    if (!first) return `predicate missing for leaf-list ${q(node.name)}`;
    if (predicates.length !== 1) return `leaf-list ${q(node.name)} takes one predicate`;
    if (first.kind === 'pos' && node.config) return `position predicate for configuration leaf-list ${q(node.name)}`;
    return first.kind === 'key' ? `key predicate for leaf-list ${q(node.name)}` : undefined;
  }
  return first ? `predicate for ${node.kind} ${q(node.name)}` : undefined;
}

/** A predicate value quoted for XPath: single quotes unless it contains one. */
function quote(value: string): string | Refusal {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return new Refusal(`value ${q(value)} contains both quote characters`);
}

/** A JSON leaf value as predicate text. */
function predicateText(v: JsonLeafValue): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? '' : String(v);
}

/**
 * Writes parsed steps: `stepName(node, previous)` gives a step's name as written, `keyName` a
 * key's, `value(type, text)` a predicate value's text in the target encoding.
 */
function writePath(
  steps: readonly Step[],
  stepName: (node: SchemaNode, previous: SchemaNode | undefined) => string,
  keyName: (key: SchemaNode) => string,
  value: (type: YangType, text: string) => string | Refusal,
): string | Refusal {
  let out = '';
  let previous: SchemaNode | undefined;
  for (const { node, predicates } of steps) {
    out += `/${stepName(node, previous)}`;
    for (const p of predicates) {
      if (p.kind === 'pos') {
        out += `[${p.position}]`;
        continue;
      }
      const type = p.kind === 'key' ? p.key.type : node.type;
      if (!type) return new Refusal(`node ${q(node.name)} has no type`);
      const v = value(type, p.value);
      if (v instanceof Refusal) return v;
      const quoted = quote(v);
      if (quoted instanceof Refusal) return quoted;
      out += `[${p.kind === 'key' ? keyName(p.key) : '.'}=${quoted}]`;
    }
    previous = node;
  }
  return out;
}

/** XML instance-identifier → RFC 7951 form. `readValue` reads a predicate value in XML form. */
export function instanceIdFromXml(
  text: string,
  namespaceOf: (prefix: string) => string | undefined,
  schema: YangSchema,
  readValue: PredicateValueReader,
  nodeInstance = false,
): string | Refusal {
  const moduleOf = (prefix: string): CompiledModule | undefined => {
    const ns = namespaceOf(prefix);
    return ns === undefined ? undefined : schema.byNamespace.get(ns);
  };
  const steps = parsePath(text, false, moduleOf, schema, nodeInstance);
  if (steps instanceof Refusal) return steps;
  if (steps.length === 0) return '/';
  return writePath(
    steps,
    (node, previous) => (previous && previous.module === node.module ? node.name : `${node.module}:${node.name}`),
    (key) => key.name,
    (type, t) => {
      const v = readValue(type, t);
      return v instanceof Refusal ? v : predicateText(v);
    },
  );
}

/**
 * RFC 7951 instance-identifier → XML form, every step and key with the prefix `declare` gives
 * for its module. `readValue` reads a predicate value in JSON form (module names as prefixes);
 * `writeValue` turns the result into XML text.
 */
export function instanceIdToXml(
  value: string,
  schema: YangSchema,
  declare: (namespace: string, preferredPrefix: string) => string,
  readValue: PredicateValueReader,
  writeValue: (type: YangType, value: JsonLeafValue) => string | Refusal,
  nodeInstance = false,
): string | Refusal {
  const steps = parsePath(value, true, (prefix) => schema.modules.get(prefix), schema, nodeInstance);
  if (steps instanceof Refusal) return steps;
  if (steps.length === 0) return '/';
  const prefixed = (node: SchemaNode): string => `${declare(node.namespace, schema.modules.get(node.module)?.prefix ?? node.module)}:${node.name}`;
  return writePath(steps, prefixed, prefixed, (type, t) => {
    const v = readValue(type, t);
    return v instanceof Refusal ? v : writeValue(type, v);
  });
}
