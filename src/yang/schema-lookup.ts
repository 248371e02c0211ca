import type { SchemaNode, SchemaNodeKind, YangSchema, YangType } from './schema.js';
import { dataChildren } from './schema.js';

/**
 * What the codecs (XML ↔ RFC 7951 JSON) need to know about a schema node, worked out once per
 * node and kept: its JSON member name, its list keys, the choices it sits in, and the index of its
 * children by XML name and by JSON member name. Built lazily, the first time a document reaches
 * the node, and cached (in a WeakMap keyed by the compiled schema node, so a schema that is no
 * longer used takes its cache with it).
 */
export interface NodeInfo {
  readonly node: SchemaNode;
  readonly kind: SchemaNodeKind;
  readonly name: string;
  readonly module: string;
  readonly namespace: string;
  /** `module:name`. */
  readonly qualified: string;
  /**
   * The JSON member name under its data parent: `module:name` at the top and where the module
   * differs from the parent's, the bare name otherwise (RFC 7951 §4).
   */
  readonly member: string;
  /** The leaf or leaf-list type. */
  readonly type: YangType | undefined;
  /** XML start tag without namespace declaration (`<name>`), with one (`<name xmlns="…">`), and the end tag (`</name>`). */
  readonly startTag: string;
  readonly startTagNs: string;
  readonly endTag: string;
  /** `config true`. */
  readonly config: boolean;
  /** Whether the node is a key leaf of its parent list. */
  readonly isKey: boolean;
  /** Position among the data children of its parent, in schema order. */
  readonly order: number;
  /**
   * The `choice` nodes between the node and its data parent, each with the case (or shorthand
   * case node) the node belongs to; empty for most nodes. Two siblings in different cases of
   * one choice are an error.
   */
  readonly cases: ReadonlyArray<readonly [choice: SchemaNode, branch: SchemaNode]>;
  /** Lists: the key leaves in key order (empty for a keyless list and for other kinds). */
  readonly keys: readonly NodeInfo[];
  /** rpc/action: the input and output nodes' infos (undefined when the schema has none). */
  readonly input: NodeInfo | undefined;
  readonly output: NodeInfo | undefined;
  /** The node's data children, indexed (containers, lists, rpc/action input and output, notifications …). */
  readonly children: ChildIndex;
}

/** The data children of one node (or of the schema's top level), looked up by XML or JSON name. */
export interface ChildIndex {
  /** The children in schema order (choice/case looked through). */
  readonly list: readonly NodeInfo[];
  /** The module of the owner, undefined at the top level. */
  readonly module: string | undefined;
  /** The child with that XML namespace and local name. */
  byXml(namespace: string, local: string): NodeInfo | undefined;
  /** The child with that JSON member name (`module:name`, or `name` for a child in the owner's module). */
  byMember(member: string): NodeInfo | undefined;
}

class Index implements ChildIndex {
  readonly list: NodeInfo[] = [];
  readonly module: string | undefined;
  // Local name → the child, or the children when augments bring the same name in other modules.
  readonly #byLocal = new Map<string, NodeInfo | NodeInfo[]>();
  readonly #byMember = new Map<string, NodeInfo>();

  constructor(module: string | undefined) {
    this.module = module;
  }

  add(info: NodeInfo): void {
    this.list.push(info);
    const seen = this.#byLocal.get(info.name);
    if (seen === undefined) this.#byLocal.set(info.name, info);
    else if (Array.isArray(seen)) seen.push(info);
    else this.#byLocal.set(info.name, [seen, info]);
    this.#byMember.set(info.qualified, info);
    if (info.module === this.module) this.#byMember.set(info.name, info);
  }

  byXml(namespace: string, local: string): NodeInfo | undefined {
    const found = this.#byLocal.get(local);
    if (found === undefined) return undefined;
    if (!Array.isArray(found)) return found.namespace === namespace ? found : undefined;
    for (const info of found) if (info.namespace === namespace) return info;
    return undefined;
  }

  byMember(member: string): NodeInfo | undefined {
    return this.#byMember.get(member);
  }
}

/** The (choice, case) pairs between `node` and its data parent. */
function casesOf(node: SchemaNode): Array<readonly [SchemaNode, SchemaNode]> {
  const out: Array<readonly [SchemaNode, SchemaNode]> = [];
  let branch = node;
  let p = node.parent;
  while (p && (p.kind === 'choice' || p.kind === 'case')) {
    if (p.kind === 'choice') out.push([p, branch]);
    branch = p;
    p = p.parent;
  }
  return out;
}

class Info implements NodeInfo {
  readonly node: SchemaNode;
  readonly kind: SchemaNodeKind;
  readonly name: string;
  readonly module: string;
  readonly namespace: string;
  readonly qualified: string;
  readonly member: string;
  readonly type: YangType | undefined;
  readonly startTag: string;
  readonly startTagNs: string;
  readonly endTag: string;
  readonly config: boolean;
  readonly isKey: boolean;
  readonly order: number;
  readonly cases: ReadonlyArray<readonly [SchemaNode, SchemaNode]>;
  #children: ChildIndex | undefined;
  #keys: readonly NodeInfo[] | undefined;
  #input: NodeInfo | null | undefined;
  #output: NodeInfo | null | undefined;

  constructor(node: SchemaNode, parentModule: string | undefined, isKey: boolean, order: number) {
    this.node = node;
    this.kind = node.kind;
    this.name = node.name;
    this.module = node.module;
    this.namespace = node.namespace;
    this.qualified = `${node.module}:${node.name}`;
    this.member = node.module === parentModule ? node.name : this.qualified;
    this.type = node.type;
    this.startTag = `<${node.name}>`;
    this.startTagNs = `<${node.name} xmlns="${escapeNamespace(node.namespace)}">`;
    this.endTag = `</${node.name}>`;
    this.config = node.config;
    this.isKey = isKey;
    this.order = order;
    this.cases = casesOf(node);
  }

  get children(): ChildIndex {
    if (this.#children === undefined) {
      // An input/output node's children are qualified against the rpc's or action's module.
      const owner = this.kind === 'input' || this.kind === 'output' ? (this.node.parent ?? this.node) : this.node;
      this.#children = buildIndex(dataChildren(this.node), owner.module, this.kind === 'list' ? this.node.keys : undefined);
    }
    return this.#children;
  }

  get keys(): readonly NodeInfo[] {
    if (this.#keys === undefined) {
      const index = this.kind === 'list' && this.node.keys.length !== 0 ? this.children : undefined;
      this.#keys = index
        ? this.node.keys.map((k) => {
            const info = index.byMember(k);
            // The compiler checks keys; a hand-built schema might not.
            if (info === undefined) throw new Error(`list ${this.qualified}: key ${k} is not among its children`);
            return info;
          })
        : [];
    }
    return this.#keys;
  }

  get input(): NodeInfo | undefined {
    if (this.#input === undefined) this.#input = this.#operationPart('input');
    return this.#input ?? undefined;
  }

  get output(): NodeInfo | undefined {
    if (this.#output === undefined) this.#output = this.#operationPart('output');
    return this.#output ?? undefined;
  }

  #operationPart(kind: 'input' | 'output'): NodeInfo | null {
    const part = this.node.children.find((c) => c.kind === kind);
    return part ? infoOf(part, this.module) : null;
  }
}

/** A namespace URI as an attribute value. */
function escapeNamespace(uri: string): string {
  return uri.replace(/[&<"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&quot;'));
}

const infos = new WeakMap<SchemaNode, NodeInfo>();

/** The info of a node whose data parent is in `parentModule` (undefined at the top). */
function infoOf(node: SchemaNode, parentModule: string | undefined, isKey = false, order = 0): NodeInfo {
  let info = infos.get(node);
  if (info === undefined) {
    info = new Info(node, parentModule, isKey, order);
    infos.set(node, info);
  }
  return info;
}

function buildIndex(nodes: readonly SchemaNode[], module: string | undefined, keys: readonly string[] | undefined): Index {
  const index = new Index(module);
  nodes.forEach((node, order) => index.add(infoOf(node, module, keys !== undefined && node.kind === 'leaf' && node.module === module && keys.includes(node.name), order)));
  return index;
}

/** The info of one schema node (its member name qualified against its data parent's module). */
export function nodeInfo(node: SchemaNode): NodeInfo {
  const known = infos.get(node);
  if (known !== undefined) return known;
  let p = node.parent;
  while (p && (p.kind === 'choice' || p.kind === 'case')) p = p.parent;
  if (p === undefined) return infoOf(node, undefined);
  // Through the parent's index, so that key and position are set as for every sibling.
  const parent = nodeInfo(p);
  if (node.kind === 'input') return parent.input ?? infoOf(node, p.module);
  if (node.kind === 'output') return parent.output ?? infoOf(node, p.module);
  for (const info of parent.children.list) if (info.node === node) return info;
  return infoOf(node, p.module);
}

const topIndexes = new WeakMap<YangSchema, ChildIndex>();

/**
 * The top level of a schema: every top-level data node of the implemented modules, every RPC and
 * every top-level notification (which are allowed where is the codec's business).
 */
export function topLevel(schema: YangSchema): ChildIndex {
  let index = topIndexes.get(schema);
  if (index === undefined) {
    index = buildIndex([...dataChildren(schema.data), ...schema.rpcs, ...schema.notifications], undefined, undefined);
    topIndexes.set(schema, index);
  }
  return index;
}
