import type { SourceLocation, Statement } from './statement.js';

/**
 * The compiled schema tree: what the compiler produces from YANG modules and what the codecs
 * (RFC 7951 JSON ↔ XML), the type generator and the simulator read. Everything is resolved:
 * groupings are expanded, augments and deviations applied, typedefs flattened into
 * {@link YangType}s, features evaluated (nodes whose if-feature is false are absent), config
 * inherited.
 */

/** The kinds of schema node. `choice` and `case` are schema-only: they never appear in data. */
export type SchemaNodeKind =
  | 'container'
  | 'list'
  | 'leaf'
  | 'leaf-list'
  | 'choice'
  | 'case'
  | 'anydata'
  | 'anyxml'
  | 'rpc'
  | 'action'
  | 'input'
  | 'output'
  | 'notification';

/** A compiled YANG identity. */
export interface Identity {
  /** Module that defines it. */
  readonly module: string;
  readonly name: string;
  /** Its direct bases. */
  readonly bases: readonly Identity[];
  /** Every identity derived from this one, directly or not (not including itself). */
  readonly derived: ReadonlySet<Identity>;
  readonly description: string | undefined;
}

/** An inclusive interval of a range (integers as bigint; decimal64 scaled by 10^fraction-digits). */
export type Interval = readonly [min: bigint, max: bigint];

/** A `pattern` restriction. */
export interface PatternRestriction {
  /** The XSD regular expression as written. */
  readonly source: string;
  /** The same, compiled for JavaScript (anchored, `u` flag). */
  readonly regex: RegExp;
  /** `modifier invert-match` (YANG 1.1). */
  readonly invert: boolean;
  readonly errorMessage: string | undefined;
  readonly errorAppTag: string | undefined;
}

/** Fields every {@link YangType} has. */
export interface TypeBase {
  /** The qualified name of the typedef the node's type names (`ietf-inet-types:ipv4-address`), if any. */
  readonly typedef: string | undefined;
  /** The chain of typedefs from the named one down to the built-in type, outermost first. */
  readonly typedefs: readonly string[];
}

export type IntegerKind = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

/** A YANG type with every restriction of its typedef chain applied. */
export type YangType =
  | (TypeBase & { readonly kind: IntegerKind; readonly range: readonly Interval[] | undefined })
  | (TypeBase & { readonly kind: 'decimal64'; readonly fractionDigits: number; readonly range: readonly Interval[] | undefined })
  | (TypeBase & { readonly kind: 'string'; readonly length: readonly Interval[] | undefined; readonly patterns: readonly PatternRestriction[] })
  | (TypeBase & { readonly kind: 'binary'; readonly length: readonly Interval[] | undefined })
  | (TypeBase & { readonly kind: 'boolean' })
  | (TypeBase & { readonly kind: 'empty' })
  | (TypeBase & { readonly kind: 'enumeration'; readonly enums: ReadonlyMap<string, number> })
  /** `bits`: name → position; a value is written in position order. */
  | (TypeBase & { readonly kind: 'bits'; readonly bits: ReadonlyMap<string, number> })
  | (TypeBase & { readonly kind: 'identityref'; readonly bases: readonly Identity[] })
  | (TypeBase & { readonly kind: 'instance-identifier'; readonly requireInstance: boolean })
  /**
   * `leafref`: `path` as written; `target` is the schema node it points at and `targetType` that
   * node's type (leafrefs followed through), resolved by the compiler.
   */
  | (TypeBase & { readonly kind: 'leafref'; readonly path: string; readonly requireInstance: boolean; readonly target: SchemaNode; readonly targetType: YangType })
  | (TypeBase & { readonly kind: 'union'; readonly types: readonly YangType[] });

/** A node of the compiled schema tree. */
export interface SchemaNode {
  readonly kind: SchemaNodeKind;
  readonly name: string;
  /**
   * The module whose namespace the node is in: the module that defined it, or, for a node
   * added by `augment`, the augmenting module; for a node from a grouping, the module where the
   * `uses` is. RFC 7951 qualifies a member name with it where it differs from the parent's.
   */
  readonly module: string;
  /** That module's namespace URI (the XML namespace of the node's element). */
  readonly namespace: string;
  /** The parent schema node (a `choice`/`case` for nodes inside one), undefined at the top. */
  readonly parent: SchemaNode | undefined;
  /** The child schema nodes in schema order, including choice/case nodes, rpc input/output. */
  readonly children: readonly SchemaNode[];
  /** `config true` (inherited; false inside rpc, action, notification, and under config false). */
  readonly config: boolean;
  /** `mandatory true` (leaf, choice, anydata, anyxml). */
  readonly mandatory: boolean;
  /** The argument of `presence` (containers), undefined for a non-presence container. */
  readonly presence: string | undefined;
  /** List keys, in order (lists only; empty for a keyless config false list). */
  readonly keys: readonly string[];
  /** `unique` statements of a list: each a list of descendant schema-node paths. */
  readonly unique: ReadonlyArray<readonly string[]>;
  readonly orderedBy: 'system' | 'user';
  readonly minElements: number;
  /** `max-elements` (Infinity for unbounded). */
  readonly maxElements: number;
  /** The type of a leaf or leaf-list. */
  readonly type: YangType | undefined;
  /** Default values (a leaf's one default, a leaf-list's defaults, a choice's default case name). */
  readonly defaults: readonly string[];
  readonly units: string | undefined;
  readonly description: string | undefined;
  readonly status: 'current' | 'deprecated' | 'obsolete';
  /** `when` expressions, kept as text (not evaluated). */
  readonly when: readonly string[];
  /** `must` expressions, kept as text (not evaluated). */
  readonly must: readonly string[];
  /** Extension statements found on the node, as parsed (not interpreted). */
  readonly extensions: readonly Statement[];
  readonly loc: SourceLocation;
}

/** A compiled module (submodules are merged into their module). */
export interface CompiledModule {
  readonly name: string;
  readonly revision: string | undefined;
  readonly namespace: string;
  readonly prefix: string;
  readonly yangVersion: '1' | '1.1';
  /** Whether the module is implemented (its data nodes exist) or only imported for its typedefs/identities. */
  readonly implemented: boolean;
  /** The enabled features of this module. */
  readonly features: ReadonlySet<string>;
  /** Every feature the module defines. */
  readonly allFeatures: ReadonlySet<string>;
  readonly identities: ReadonlyMap<string, Identity>;
  /** Top-level data nodes (containers, lists, leaves, leaf-lists, choices, anydata …), augments excluded. */
  readonly data: readonly SchemaNode[];
  readonly rpcs: readonly SchemaNode[];
  readonly notifications: readonly SchemaNode[];
  /** Names of the modules that deviate this one. */
  readonly deviatedBy: readonly string[];
  /** Submodules included, by name → revision. */
  readonly submodules: ReadonlyMap<string, string | undefined>;
  /** The source file. */
  readonly file: string;
}

/** The result of compiling a set of modules. */
export interface YangSchema {
  /** Every module by name (implemented and import-only). */
  readonly modules: ReadonlyMap<string, CompiledModule>;
  /** Module by namespace URI. */
  readonly byNamespace: ReadonlyMap<string, CompiledModule>;
  /** Every top-level data node of every implemented module (the roots of a datastore). */
  readonly data: readonly SchemaNode[];
  readonly rpcs: readonly SchemaNode[];
  readonly notifications: readonly SchemaNode[];
}

/**
 * The data children of a node: its children with `choice` and `case` levels looked through (as
 * they appear in instance data), rpc/action `input`/`output` excluded.
 */
export function dataChildren(node: SchemaNode | readonly SchemaNode[]): SchemaNode[] {
  const out: SchemaNode[] = [];
  const visit = (nodes: readonly SchemaNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'choice' || n.kind === 'case') visit(n.children);
      else if (n.kind !== 'input' && n.kind !== 'output') out.push(n);
    }
  };
  visit(Array.isArray(node) ? (node as readonly SchemaNode[]) : (node as SchemaNode).children);
  return out;
}

/** The nearest ancestor that appears in data (choice/case skipped), or undefined at the top. */
export function dataParent(node: SchemaNode): SchemaNode | undefined {
  let p = node.parent;
  while (p && (p.kind === 'choice' || p.kind === 'case')) p = p.parent;
  return p;
}
