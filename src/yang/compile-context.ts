/**
 * The compiler's working state, shared by the compile-*.ts passes: the modules being compiled
 * (with their submodule files and prefix tables), lexical scopes for typedef/grouping lookup, and
 * the mutable form of the schema nodes before they are handed out as {@link SchemaNode}s.
 */
import { YangError } from './errors.js';
import type { CompiledModule, Identity, SchemaNode, YangType } from './schema.js';
import type { YangSource } from './sources.js';
import type { SourceLocation, Statement } from './statement.js';

/** Makes every property writable (the compiler builds objects the schema exposes read-only). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A schema node while it is being built. */
export interface MNode extends Omit<Mutable<SchemaNode>, 'children' | 'parent' | 'when' | 'must' | 'extensions' | 'defaults' | 'keys' | 'unique'> {
  children: MNode[];
  parent: MNode | undefined;
  when: string[];
  must: string[];
  extensions: Statement[];
  defaults: string[];
  keys: string[];
  unique: string[][];
}

/** What the compiler knows about a node beyond {@link SchemaNode}. */
export interface NodeInfo {
  /** `config` as written (or refined/deviated); undefined = inherited. */
  config: boolean | undefined;
  /** The lexical scope of the node's statement (for its type, its leafref path's prefixes). */
  scope: Scope;
  /** Whether `default` was set on the node itself (not taken from its typedef). */
  ownDefault: boolean;
  /**
   * An if-feature (of the node, a uses, an augment or a refine) is false: the node is built like
   * any other (so augments, deviations can still name it) and removed at the end, with its subtree.
   */
  disabled?: boolean;
}

/** A typedef or grouping definition with the scope it was written in. */
export interface Def {
  readonly stmt: Statement;
  readonly scope: Scope;
}

/**
 * A lexical scope: a statement that may define typedefs and groupings (module, container, list,
 * grouping, rpc …). Lookups walk to the parent scope, then the module's top level.
 */
export interface Scope {
  readonly file: FileCtx;
  readonly parent: Scope | undefined;
  readonly typedefs: Map<string, Def> | undefined;
  readonly groupings: Map<string, Def> | undefined;
}

/** One file of a module: the module itself or one of its submodules. */
export interface FileCtx {
  readonly module: ModuleCtx;
  readonly source: YangSource;
  readonly root: Statement;
  readonly file: string;
  readonly yang11: boolean;
  /** Prefix → module, including the file's own prefix (or belongs-to prefix) for its module. */
  readonly prefixes: Map<string, ModuleCtx>;
  /** The file's top-level scope (the module's typedefs and groupings, merged across files). */
  scope: Scope;
}

/** The state of one feature while features are evaluated. */
export type FeatureState = 'pending' | 'evaluating' | boolean;

/** One module (its submodules merged in). */
export interface ModuleCtx {
  readonly name: string;
  readonly revision: string | undefined;
  readonly namespace: string;
  readonly prefix: string;
  readonly yang11: boolean;
  implemented: boolean;
  readonly main: FileCtx;
  readonly files: FileCtx[];
  readonly typedefs: Map<string, Def>;
  readonly groupings: Map<string, Def>;
  readonly featureDefs: Map<string, { stmt: Statement; file: FileCtx }>;
  readonly identityDefs: Map<string, { stmt: Statement; file: FileCtx }>;
  readonly extensionDefs: Set<string>;
  /** Requested features (before the features' own if-features are applied). undefined = all. */
  requested: ReadonlySet<string> | undefined;
  readonly featureState: Map<string, FeatureState>;
  readonly identities: Map<string, MIdentity>;
  readonly compiled: Mutable<CompiledModule> & { data: MNode[]; rpcs: MNode[]; notifications: MNode[]; deviatedBy: string[]; submodules: Map<string, string | undefined> };
}

/** An identity while being built. */
export interface MIdentity extends Identity {
  bases: MIdentity[];
  derived: Set<Identity>;
  /** False when the identity's if-feature is false: it is then nobody's derived identity. */
  enabled: boolean;
}

/** The whole compilation. */
export interface CompileState {
  readonly modules: Map<string, ModuleCtx>;
  readonly info: Map<MNode, NodeInfo>;
  /** Leafref types created during the tree pass, resolved at the end. */
  readonly leafrefs: { type: Mutable<Extract<YangType, { kind: 'leafref' }>>; node: MNode; scope: Scope; loc: SourceLocation }[];
}

/**
 * Thrown inside the compiler when an augment, deviation or leafref reaches into a module that is
 * only imported: like libyang, the compilation is redone with that module implemented too.
 */
export class NeedsImplementation extends Error {
  constructor(readonly module: string) {
    super(`module "${module}" must be implemented`);
  }
}

/** Throws a {@link YangError} at a statement. */
export function fail(message: string, at: Statement | SourceLocation | undefined, missingModule?: string): never {
  const loc = at === undefined ? undefined : 'keyword' in at ? at.loc : at;
  throw new YangError(message, loc, missingModule === undefined ? {} : { missingModule });
}

/** Splits `prefix:name` (prefix undefined when absent). */
export function splitName(qname: string): [prefix: string | undefined, name: string] {
  const colon = qname.indexOf(':');
  return colon === -1 ? [undefined, qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

/** The module a prefix names in a file; error at `at` when the prefix is unknown. */
export function moduleOfPrefix(file: FileCtx, prefix: string | undefined, at: Statement | SourceLocation): ModuleCtx {
  if (prefix === undefined) return file.module;
  const m = file.prefixes.get(prefix);
  if (!m) fail(`unknown prefix "${prefix}"`, at);
  return m;
}

/** A new scope for a statement, registering its typedefs and groupings (if it has any). */
export function childScope(parent: Scope, stmt: Statement): Scope {
  let typedefs: Map<string, Def> | undefined;
  let groupings: Map<string, Def> | undefined;
  for (const s of stmt.substatements) {
    if (s.keyword !== 'typedef' && s.keyword !== 'grouping') continue;
    const map = s.keyword === 'typedef' ? (typedefs ??= new Map()) : (groupings ??= new Map());
    if (map.has(s.argument!)) fail(`duplicate ${s.keyword} "${s.argument}"`, s);
    map.set(s.argument!, { stmt: s, scope: undefined as unknown as Scope });
  }
  if (!typedefs && !groupings) return parent;
  const scope: Scope = { file: parent.file, parent, typedefs, groupings };
  // The definitions live in the scope they are written in (needed for their own lookups).
  for (const map of [typedefs, groupings]) if (map) for (const [k, d] of map) map.set(k, { stmt: d.stmt, scope });
  return scope;
}

/**
 * Finds a typedef or grouping by (possibly prefixed) name: the lexical scopes outward for an
 * unprefixed name or the file's own prefix, else the named module's top level.
 */
export function lookupDef(scope: Scope, kind: 'typedefs' | 'groupings', qname: string, at: Statement): Def | undefined {
  const [prefix, name] = splitName(qname);
  const module = moduleOfPrefix(scope.file, prefix, at);
  if (module === scope.file.module) {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const d = s[kind]?.get(name);
      if (d) return d;
    }
    return undefined;
  }
  return module[kind].get(name);
}

/** A fresh node with every field at its default. */
export function newNode(kind: SchemaNode['kind'], name: string, module: ModuleCtx, parent: MNode | undefined, loc: SourceLocation): MNode {
  return {
    kind,
    name,
    module: module.name,
    namespace: module.namespace,
    parent,
    children: [],
    config: true,
    mandatory: false,
    presence: undefined,
    keys: [],
    unique: [],
    orderedBy: 'system',
    minElements: 0,
    maxElements: Infinity,
    type: undefined,
    defaults: [],
    units: undefined,
    description: undefined,
    status: 'current',
    when: [],
    must: [],
    extensions: [],
    loc,
  };
}
