/**
 * Hand-built compiled schemas for the TypeScript generator's tests: a small builder of
 * {@link SchemaNode} trees (parent links, config inheritance) and identities, so the generator can
 * be tested without the compiler.
 */
import type { CompiledModule, Identity, IntegerKind, SchemaNode, SchemaNodeKind, YangSchema, YangType } from '../../../src/yang/schema.js';

/** What a node is made of; everything but kind and name has a default. */
export interface NodeSpec {
  readonly kind: SchemaNodeKind;
  readonly name: string;
  readonly module?: string;
  readonly config?: boolean;
  readonly mandatory?: boolean;
  readonly presence?: string;
  readonly keys?: readonly string[];
  readonly orderedBy?: 'system' | 'user';
  readonly minElements?: number;
  readonly type?: YangType;
  readonly defaults?: readonly string[];
  readonly units?: string;
  readonly description?: string;
  readonly status?: 'current' | 'deprecated' | 'obsolete';
  readonly when?: readonly string[];
  readonly children?: readonly NodeSpec[];
}

const base = { typedef: undefined, typedefs: [] as readonly string[] };

/** Built-in types. */
export const t = {
  int: (kind: IntegerKind): YangType => ({ ...base, kind, range: undefined }),
  decimal64: (fractionDigits: number): YangType => ({ ...base, kind: 'decimal64', fractionDigits, range: undefined }),
  string: (typedef?: string): YangType => ({ ...base, typedef, kind: 'string', length: undefined, patterns: [] }),
  binary: (): YangType => ({ ...base, kind: 'binary', length: undefined }),
  boolean: (): YangType => ({ ...base, kind: 'boolean' }),
  empty: (): YangType => ({ ...base, kind: 'empty' }),
  enumeration: (...names: string[]): YangType => ({ ...base, kind: 'enumeration', enums: new Map(names.map((n, i) => [n, i])) }),
  bits: (...names: string[]): YangType => ({ ...base, kind: 'bits', bits: new Map(names.map((n, i) => [n, i])) }),
  identityref: (...bases: Identity[]): YangType => ({ ...base, kind: 'identityref', bases }),
  instanceIdentifier: (): YangType => ({ ...base, kind: 'instance-identifier', requireInstance: true }),
  union: (...types: YangType[]): YangType => ({ ...base, kind: 'union', types }),
  leafref: (path: string, target: SchemaNode): YangType => {
    const targetType = target.type;
    if (targetType === undefined) throw new Error('leafref target without a type');
    return { ...base, kind: 'leafref', path, requireInstance: true, target, targetType };
  },
};

type MutableIdentity = { -readonly [K in keyof Identity]: Identity[K] } & { derived: Set<Identity> };

/** Identities of one module; `derive` links a new identity to its bases (and theirs). */
export function identity(module: string, name: string, bases: readonly Identity[] = [], description?: string): Identity {
  const id: MutableIdentity = { module, name, bases, derived: new Set(), description };
  const up = (b: Identity): void => {
    (b.derived as Set<Identity>).add(id);
    b.bases.forEach(up);
  };
  bases.forEach(up);
  return id;
}

/** A schema node tree from its spec, `parent` linked, config inherited (false inside operations). */
export function node(spec: NodeSpec, parent?: SchemaNode, module?: string): SchemaNode {
  const mod = spec.module ?? module ?? parent?.module ?? 'm';
  const inOperation = ['rpc', 'action', 'input', 'output', 'notification'].includes(spec.kind);
  const n = {
    kind: spec.kind,
    name: spec.name,
    module: mod,
    namespace: `urn:test:${mod}`,
    parent,
    children: [] as SchemaNode[],
    config: inOperation ? false : (spec.config ?? parent?.config ?? true) && (parent?.config ?? true),
    mandatory: spec.mandatory ?? false,
    presence: spec.presence,
    keys: spec.keys ?? [],
    unique: [],
    orderedBy: spec.orderedBy ?? 'system',
    minElements: spec.minElements ?? 0,
    maxElements: Infinity,
    type: spec.type,
    defaults: spec.defaults ?? [],
    units: spec.units,
    description: spec.description,
    status: spec.status ?? 'current',
    when: spec.when ?? [],
    must: [],
    extensions: [],
    loc: { file: `${mod}.yang`, line: 1, column: 1 },
  } satisfies SchemaNode;
  for (const c of spec.children ?? []) n.children.push(node(c, n, mod));
  return n;
}

/** A compiled module around already built nodes. */
export function compiledModule(name: string, parts: { data?: SchemaNode[]; rpcs?: SchemaNode[]; notifications?: SchemaNode[]; identities?: Identity[]; implemented?: boolean }): CompiledModule {
  return {
    name,
    revision: '2026-01-01',
    namespace: `urn:test:${name}`,
    prefix: name,
    yangVersion: '1.1',
    implemented: parts.implemented ?? true,
    features: new Set(),
    allFeatures: new Set(),
    identities: new Map((parts.identities ?? []).map((i) => [i.name, i])),
    data: parts.data ?? [],
    rpcs: parts.rpcs ?? [],
    notifications: parts.notifications ?? [],
    deviatedBy: [],
    submodules: new Map(),
    file: `${name}.yang`,
  };
}

/** A schema of these modules. */
export function schemaOf(...modules: CompiledModule[]): YangSchema {
  return {
    modules: new Map(modules.map((m) => [m.name, m])),
    byNamespace: new Map(modules.map((m) => [m.namespace, m])),
    data: modules.filter((m) => m.implemented).flatMap((m) => m.data),
    rpcs: modules.filter((m) => m.implemented).flatMap((m) => m.rpcs),
    notifications: modules.filter((m) => m.implemented).flatMap((m) => m.notifications),
  };
}
