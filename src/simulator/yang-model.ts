/**
 * The compiled YANG schema of a schema-aware simulator (`yangDir` with the compiler): the
 * modules of the directory compiled with the library's YANG compiler, the schema node of an
 * element of a datastore or of an edit, and what the hello and ietf-yang-library say about them.
 * @module
 */
import { builtinFeatures, builtinImplemented } from './builtin-modules.js';
import type { NodeKind, SchemaRegistry } from './schema.js';
import { compileYang, dataChildren, parseFeatureSpec, yangSourceFromText, yangSourcesFromDirectories, type SchemaNode, type XmlElement, type YangSchema } from '../index.js';
import { NETCONF_NS, NMDA_NS } from '../namespaces.js';

/** Enabled features: a `module:feature,…` list (as `--features`), or module → feature names. */
export type FeatureSelection = string | Readonly<Record<string, readonly string[]>>;

/** How to build a {@link YangModel}. */
export interface YangModelOptions {
  /** The directory of `.yang` files. */
  readonly dir: string;
  /** Its modules and the built-in ones it does not replace (builtin-modules.ts). */
  readonly registry: SchemaRegistry;
  /** Modules of the directory to implement; default all of them. */
  readonly modules?: readonly string[] | undefined;
  /** Enabled features; default every feature of every module of the directory. */
  readonly features?: FeatureSelection | undefined;
  /** Whether the YANG library is answered (ietf-yang-library implemented). */
  readonly yangLibrary: boolean;
  /** Whether the hello advertises a capability (the `ietf-netconf` features follow them). */
  readonly advertised: (capability: string) => boolean;
}

/** The schema the simulator validates and reports data with. */
export class YangModel {
  /** The compiled modules. */
  readonly schema: YangSchema;
  /** An opaque identifier of the module set (yang-library `module-set-id`). */
  readonly moduleSetId: string;
  readonly #top = new Map<string, SchemaNode>();
  readonly #children = new WeakMap<SchemaNode, Map<string, SchemaNode>>();

  constructor(schema: YangSchema) {
    this.schema = schema;
    for (const n of dataChildren(schema.data)) this.#top.set(`{${n.namespace}}${n.name}`, n);
    // A hash of the module set: it changes when the modules, revisions or features do.
    const text = [...schema.modules.values()].map((x) => `${x.name}@${x.revision ?? ''}:${[...x.features].join(',')}`).sort().join(';');
    let hash = 0;
    for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
    this.moduleSetId = hash.toString(16);
  }

  /**
   * Compile the modules of a directory with the built-in ones the simulator implements (the
   * features of those follow what the simulator supports, unless `features` names them).
   * @throws TypeError naming the problem when a module does not compile
   */
  static load(options: YangModelOptions): YangModel {
    const own = options.registry.directoryModules.filter((m) => !m.submodule).map((m) => m.name);
    const builtins = options.registry.modules.filter((m) => m.builtin !== undefined);
    const features =
      options.features === undefined
        ? new Map(own.map((name) => [name, ['*']]))
        : typeof options.features === 'string'
          ? parseFeatureSpec(options.features)
          : new Map(Object.entries(options.features));
    const named = new Set(options.features === undefined ? [] : features.keys());
    for (const [name, enabled] of builtinFeatures(options.advertised)) if (!named.has(name)) features.set(name, enabled);
    try {
      const sources = [...yangSourcesFromDirectories([options.dir]), ...builtins.map((b) => yangSourceFromText(b.text, `${b.name}@${b.revision}.yang (built in)`))];
      const modules = new Set([...(options.modules ?? own), ...builtinImplemented(options.yangLibrary)]);
      return new YangModel(compileYang(sources, { modules: [...modules], features }));
    } catch (err) {
      throw new TypeError(`yangDir ${options.dir}: the YANG modules do not compile: ${(err as Error).message}`);
    }
  }

  /** A top-level data node by namespace and name. */
  top(namespace: string, local: string): SchemaNode | undefined {
    return this.#top.get(`{${namespace}}${local}`);
  }

  /** A data child (choice and case looked through) of a schema node by namespace and name. */
  child(parent: SchemaNode, namespace: string, local: string): SchemaNode | undefined {
    let index = this.#children.get(parent);
    if (!index) {
      index = new Map();
      for (const c of dataChildren(parent)) index.set(`{${c.namespace}}${c.name}`, c);
      this.#children.set(parent, index);
    }
    return index.get(`{${namespace}}${local}`);
  }

  /**
   * The schema node of an element of a datastore or of an edit's `<config>`: its path of tags
   * from the root (an element without parent, or a NETCONF `<config>`/`<data>`) looked up in
   * the schema; undefined when some step is unknown.
   */
  nodeOf(el: XmlElement): SchemaNode | undefined {
    const chain: XmlElement[] = [];
    for (let e: XmlElement | null = el; e && !isRoot(e); e = e.parent) chain.push(e);
    let node: SchemaNode | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const e = chain[i] as XmlElement;
      node = node === undefined ? this.top(e.namespace, e.local) : this.child(node, e.namespace, e.local);
      if (!node) return undefined;
    }
    return node;
  }

  /** What the schema says an element is, for {@link ListKeys}. */
  kindOf(el: XmlElement): NodeKind | undefined {
    const node = this.nodeOf(el);
    switch (node?.kind) {
      case 'list':
        return { kind: 'list', keys: [...node.keys] };
      case 'leaf-list':
        return { kind: 'leaf-list' };
      case 'leaf':
        return { kind: 'leaf' };
      case 'container':
        return { kind: 'container' };
      default:
        return undefined;
    }
  }

  /** The prefix of the module with this namespace. */
  prefixOf(namespace: string): string | undefined {
    return this.schema.byNamespace.get(namespace)?.prefix;
  }

  /**
   * The `features=` and `deviations=` parameters of a module capability (RFC 6020 §5.6.4), for the
   * compiled module of that name and revision (`''` when it has none or is not compiled).
   */
  capabilityParameters(name: string, revision: string): string {
    const m = this.schema.modules.get(name);
    if (!m || (m.revision ?? '') !== revision) return '';
    let out = '';
    if (m.features.size > 0) out += `&features=${[...m.features].join(',')}`;
    if (m.deviatedBy.length > 0) out += `&deviations=${m.deviatedBy.join(',')}`;
    return out;
  }
}

/** The root of a datastore or an edit: no parent, or a NETCONF `<config>` / `<data>` (edit-data's `<config>` too). */
function isRoot(el: XmlElement): boolean {
  return el.parent === null || ((el.namespace === NETCONF_NS || el.namespace === NMDA_NS) && (el.local === 'config' || el.local === 'data'));
}
