/**
 * Types (RFC 7950 §7.3, §9): a `type` statement resolved through its typedef chain into one
 * {@link YangType} with every restriction applied (range/length against the base's limits,
 * patterns accumulated, enum values and bit positions assigned, decimal64 fraction-digits,
 * identityref bases, union members). Leafref targets are resolved later (compile-leafref.ts):
 * each leafref is registered with the node it belongs to.
 */
import { fail, lookupDef, type CompileState, type Def, type MNode, type Mutable, type Scope } from './compile-context.js';
import { ifFeaturesTrue } from './compile-features.js';
import { resolveIdentity } from './compile-identities.js';
import { DECIMAL64_LIMITS, LENGTH_LIMITS, parseDecimal64, parseIntervals, parseInteger } from './compile-ranges.js';
import { INTEGER_LIMITS } from './value-number.js';
import { subArgument, substatement, substatements } from './parser.js';
import type { IntegerKind, PatternRestriction, YangType } from './schema.js';
import type { Statement } from './statement.js';
import { xsdRegex } from './xsd-regex.js';
import { YangError } from './errors.js';

const INTEGER_KINDS = new Set<string>(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);
const BUILTINS = new Set<string>([
  ...INTEGER_KINDS, 'decimal64', 'string', 'binary', 'boolean', 'empty', 'enumeration', 'bits', 'identityref',
  'instance-identifier', 'leafref', 'union',
]);

/** Substatements of `type` that are not restrictions and may appear anywhere. */
const NEUTRAL = new Set(['description', 'reference', 'status']);

/** Which restriction substatements each built-in kind accepts. */
const ALLOWED: Record<string, ReadonlySet<string>> = {
  integer: new Set(['range']),
  decimal64: new Set(['range', 'fraction-digits']),
  string: new Set(['length', 'pattern']),
  binary: new Set(['length']),
  boolean: new Set(),
  empty: new Set(),
  enumeration: new Set(['enum']),
  bits: new Set(['bit']),
  identityref: new Set(['base']),
  'instance-identifier': new Set(['require-instance']),
  leafref: new Set(['path', 'require-instance']),
  union: new Set(['type']),
};

/** A resolved typedef: its type and what a leaf inherits from it. */
interface TypedefResult {
  readonly type: YangType;
  readonly default: string | undefined;
  readonly units: string | undefined;
  /** Whether a leafref is somewhere in the type (then each using node needs its own copy). */
  readonly hasLeafref: boolean;
}

/** Per-compilation type state: typedef memo and the scope each leafref path was written in. */
export class TypeResolver {
  private readonly typedefs = new Map<Statement, TypedefResult | 'resolving'>();
  /** For leafref types that came from a typedef: the typedef's scope (where the path's prefixes mean something). */
  private readonly leafrefScopes = new WeakMap<object, Scope>();

  constructor(private readonly state: CompileState) {}

  /**
   * Resolves the `type` substatement of a leaf/leaf-list (or a deviate's replacement) for `node`.
   * Returns the type and the default and units inherited from the typedef chain.
   */
  nodeType(typeStmt: Statement, scope: Scope, node: MNode): { type: YangType; default: string | undefined; units: string | undefined } {
    const r = this.resolve(typeStmt, scope, node);
    return { type: r.type, default: r.default, units: r.units };
  }

  /** Resolves a typedef (memoized; cycles refused). */
  private typedef(def: Def): TypedefResult {
    const done = this.typedefs.get(def.stmt);
    if (done === 'resolving') fail(`typedef "${def.stmt.argument}" refers to itself`, def.stmt);
    if (done) return done;
    this.typedefs.set(def.stmt, 'resolving');
    const typeStmt = substatement(def.stmt, 'type');
    if (!typeStmt) fail(`typedef "${def.stmt.argument}" has no type`, def.stmt);
    const inner = this.resolve(typeStmt, def.scope, undefined);
    const qname = `${def.scope.file.module.name}:${def.stmt.argument}`;
    const type = { ...inner.type, typedef: qname, typedefs: [qname, ...inner.type.typedefs] } as YangType;
    const ownDefault = subArgument(def.stmt, 'default');
    const result: TypedefResult = {
      type,
      default: ownDefault ?? inner.default,
      units: subArgument(def.stmt, 'units') ?? inner.units,
      hasLeafref: inner.hasLeafref,
    };
    if (inner.hasLeafref) this.copyLeafrefScopes(inner.type, type);
    this.typedefs.set(def.stmt, result);
    return result;
  }

  /** The scope recorded for a leafref object is kept on shallow copies of it. */
  private copyLeafrefScopes(from: YangType, to: YangType): void {
    const s = this.leafrefScopes.get(from);
    if (s) this.leafrefScopes.set(to, s);
  }

  /** Resolves one `type` statement in `scope`; `node` is set when compiling a real leaf. */
  private resolve(typeStmt: Statement, scope: Scope, node: MNode | undefined): TypedefResult {
    const name = typeStmt.argument!;
    let base: YangType | undefined;
    let builtin: string;
    let inherited: TypedefResult | undefined;
    if (!name.includes(':') && BUILTINS.has(name)) {
      builtin = name;
    } else {
      const def = lookupDef(scope, 'typedefs', name, typeStmt);
      if (!def) fail(`type "${name}" not found`, typeStmt);
      inherited = this.typedef(def);
      base = inherited.type;
      if (inherited.hasLeafref && node) base = this.instantiate(base, node);
      builtin = base.kind;
    }
    const group = INTEGER_KINDS.has(builtin) ? 'integer' : builtin;
    for (const s of typeStmt.substatements) {
      if (NEUTRAL.has(s.keyword) || s.keyword.includes(':')) continue;
      if (!ALLOWED[group]!.has(s.keyword)) fail(`"${s.keyword}" cannot restrict type "${name}"`, s);
    }
    const file = scope.file;
    let hasLeafref = inherited?.hasLeafref ?? false;
    const common = { typedef: base?.typedef, typedefs: base?.typedefs ?? [] };
    let type: YangType;
    switch (base?.kind ?? builtin) {
      case 'int8':
      case 'int16':
      case 'int32':
      case 'int64':
      case 'uint8':
      case 'uint16':
      case 'uint32':
      case 'uint64': {
        const kind = builtin as IntegerKind;
        const prev = base && 'range' in base ? base.range : undefined;
        const rangeStmt = substatement(typeStmt, 'range');
        const range = rangeStmt ? parseIntervals(rangeStmt, prev ?? [INTEGER_LIMITS[kind]], parseInteger) : prev;
        type = { ...common, kind, range };
        break;
      }
      case 'decimal64': {
        let fd: number;
        const fdStmt = substatement(typeStmt, 'fraction-digits');
        if (base?.kind === 'decimal64') {
          if (fdStmt) fail('fraction-digits can only be given on the built-in decimal64 type', fdStmt);
          fd = base.fractionDigits;
        } else {
          if (!fdStmt) fail('decimal64 needs fraction-digits', typeStmt);
          fd = Number(fdStmt.argument);
          if (!/^\d+$/.test(fdStmt.argument!) || fd < 1 || fd > 18) fail(`fraction-digits "${fdStmt.argument}" is not 1..18`, fdStmt);
        }
        const prev = base?.kind === 'decimal64' ? base.range : undefined;
        const rangeStmt = substatement(typeStmt, 'range');
        const range = rangeStmt ? parseIntervals(rangeStmt, prev ?? [DECIMAL64_LIMITS], (t) => parseDecimal64(t, fd)) : prev;
        type = { ...common, kind: 'decimal64', fractionDigits: fd, range };
        break;
      }
      case 'string': {
        const prev = base?.kind === 'string' ? base : undefined;
        const lengthStmt = substatement(typeStmt, 'length');
        const length = lengthStmt ? parseIntervals(lengthStmt, prev?.length ?? [LENGTH_LIMITS], parseInteger) : prev?.length;
        const patterns = [...(prev?.patterns ?? []), ...substatements(typeStmt, 'pattern').map((p) => compilePattern(p))];
        type = { ...common, kind: 'string', length, patterns };
        break;
      }
      case 'binary': {
        const prev = base?.kind === 'binary' ? base.length : undefined;
        const lengthStmt = substatement(typeStmt, 'length');
        const length = lengthStmt ? parseIntervals(lengthStmt, prev ?? [LENGTH_LIMITS], parseInteger) : prev;
        type = { ...common, kind: 'binary', length };
        break;
      }
      case 'boolean':
      case 'empty':
        type = { ...common, kind: builtin as 'boolean' | 'empty' };
        break;
      case 'enumeration':
        type = { ...common, kind: 'enumeration', enums: this.members(typeStmt, 'enum', base?.kind === 'enumeration' ? base.enums : undefined, scope) };
        break;
      case 'bits':
        type = { ...common, kind: 'bits', bits: this.members(typeStmt, 'bit', base?.kind === 'bits' ? base.bits : undefined, scope) };
        break;
      case 'identityref': {
        const baseStmts = substatements(typeStmt, 'base');
        if (base?.kind === 'identityref') {
          if (baseStmts.length > 0) fail('an identityref typedef cannot be given other bases', baseStmts[0]!);
          type = { ...common, kind: 'identityref', bases: base.bases };
        } else {
          if (baseStmts.length === 0) fail('identityref needs a base', typeStmt);
          if (baseStmts.length > 1 && !file.yang11) fail('several identityref bases need YANG 1.1', baseStmts[1]!);
          const bases = baseStmts.map((b) => resolveIdentity(file.module, file.prefixes, b.argument!, b));
          type = { ...common, kind: 'identityref', bases };
        }
        break;
      }
      case 'instance-identifier': {
        const ri = requireInstance(typeStmt);
        type = { ...common, kind: 'instance-identifier', requireInstance: ri ?? (base?.kind === 'instance-identifier' ? base.requireInstance : true) };
        break;
      }
      case 'leafref': {
        const pathStmt = substatement(typeStmt, 'path');
        const ri = requireInstance(typeStmt);
        if (ri !== undefined && base && !file.yang11) fail('require-instance on a derived leafref needs YANG 1.1', typeStmt);
        if (base?.kind === 'leafref') {
          if (pathStmt) fail('a leafref typedef cannot be given another path', pathStmt);
          const t: Mutable<Extract<YangType, { kind: 'leafref' }>> = { ...base, ...common, requireInstance: ri ?? base.requireInstance };
          this.copyLeafrefScopes(base, t);
          if (node) this.register(t, node, this.leafrefScopes.get(base) ?? scope, typeStmt);
          type = t;
        } else {
          if (!pathStmt) fail('leafref needs a path', typeStmt);
          const t = {
            ...common,
            kind: 'leafref',
            path: pathStmt.argument!,
            requireInstance: ri ?? true,
            target: undefined,
            targetType: undefined,
          } as unknown as Mutable<Extract<YangType, { kind: 'leafref' }>>;
          this.leafrefScopes.set(t, scope);
          if (node) this.register(t, node, scope, typeStmt);
          type = t;
        }
        hasLeafref = true;
        break;
      }
      case 'union': {
        const members = substatements(typeStmt, 'type');
        if (base?.kind === 'union') {
          if (members.length > 0) fail('a union typedef cannot be given other member types', members[0]!);
          type = { ...common, kind: 'union', types: base.types };
        } else {
          if (members.length === 0) fail('union needs member types', typeStmt);
          const types = members.map((m) => {
            const r = this.resolve(m, scope, node);
            if (r.hasLeafref) hasLeafref = true;
            if (!file.yang11 && (r.type.kind === 'empty' || r.type.kind === 'leafref')) fail(`a YANG 1.0 union cannot have a ${r.type.kind} member`, m);
            return r.type;
          });
          // A union member that is itself a union contributes its members, in order (as libyang
          // does): the value is tried against the same types in the same order either way.
          type = { ...common, kind: 'union', types: types.flatMap((m) => (m.kind === 'union' ? m.types : [m])) };
        }
        break;
      }
      default:
        fail(`unknown built-in type "${builtin}"`, typeStmt);
    }
    return { type, default: inherited?.default, units: inherited?.units, hasLeafref };
  }

  /** Registers a leafref of `node` for resolution once the tree is complete. */
  private register(t: Mutable<Extract<YangType, { kind: 'leafref' }>>, node: MNode, scope: Scope, at: Statement): void {
    this.state.leafrefs.push({ type: t, node, scope, loc: at.loc });
  }

  /** A copy of a typedef's type whose leafrefs are new objects registered for `node`. */
  private instantiate(type: YangType, node: MNode): YangType {
    if (type.kind === 'leafref') {
      const t = { ...type } as Mutable<Extract<YangType, { kind: 'leafref' }>>;
      const scope = this.leafrefScopes.get(type)!;
      this.leafrefScopes.set(t, scope);
      this.register(t, node, scope, { loc: node.loc } as Statement);
      return t;
    }
    if (type.kind === 'union') {
      return { ...type, types: type.types.map((m) => this.instantiate(m, node)) };
    }
    return type;
  }

  /**
   * `enum` / `bit` members: on the built-in type, every member with its value (auto-assigned:
   * one more than the highest so far); on a derived type (YANG 1.1), a subset of the base's with
   * the same values. Members whose if-feature is false are left out.
   */
  private members(typeStmt: Statement, keyword: 'enum' | 'bit', base: ReadonlyMap<string, number> | undefined, scope: Scope): Map<string, number> {
    const stmts = substatements(typeStmt, keyword);
    const valueKw = keyword === 'enum' ? 'value' : 'position';
    const [lo, hi] = keyword === 'enum' ? [-2147483648, 2147483647] : [0, 4294967295];
    if (base) {
      if (stmts.length === 0) return new Map(base);
      if (!scope.file.yang11) fail(`restricting an ${keyword === 'enum' ? 'enumeration' : 'bits'} type needs YANG 1.1`, stmts[0]!);
    } else if (stmts.length === 0) {
      fail(`${keyword === 'enum' ? 'enumeration' : 'bits'} needs at least one ${keyword}`, typeStmt);
    }
    const out = new Map<string, number>();
    const used = new Set<number>();
    let highest: number | undefined;
    for (const s of stmts) {
      const name = s.argument!;
      if (out.has(name)) fail(`duplicate ${keyword} "${name}"`, s);
      const vStmt = substatement(s, valueKw);
      let v: number;
      if (vStmt) {
        if (!/^-?\d+$/.test(vStmt.argument!)) fail(`invalid ${valueKw} "${vStmt.argument}"`, vStmt);
        v = Number(vStmt.argument);
        if (v < lo || v > hi) fail(`${valueKw} ${vStmt.argument} is out of range`, vStmt);
      } else if (base) {
        const bv = base.get(name);
        if (bv === undefined) fail(`${keyword} "${name}" is not in the base type`, s);
        v = bv;
      } else {
        v = highest === undefined ? 0 : highest + 1;
        if (v > hi) fail(`no ${valueKw} left for ${keyword} "${name}"`, s);
      }
      if (base) {
        const bv = base.get(name);
        if (bv === undefined) fail(`${keyword} "${name}" is not in the base type`, s);
        if (bv !== v) fail(`${keyword} "${name}" has ${valueKw} ${bv} in the base type`, s);
      }
      if (used.has(v)) fail(`${valueKw} ${v} used twice`, s);
      used.add(v);
      if (highest === undefined || v > highest) highest = v;
      if (ifFeaturesTrue(s, scope.file)) out.set(name, v);
    }
    if (keyword === 'bit') return new Map([...out].sort((a, b) => a[1] - b[1]));
    return out;
  }
}

/** `require-instance true|false`, if given. */
function requireInstance(typeStmt: Statement): boolean | undefined {
  const s = substatement(typeStmt, 'require-instance');
  if (!s) return undefined;
  if (s.argument !== 'true' && s.argument !== 'false') fail(`invalid require-instance "${s.argument}"`, s);
  return s.argument === 'true';
}

/** A `pattern` statement compiled (XSD regex) with its modifier and error statements. */
function compilePattern(p: Statement): PatternRestriction {
  let regex: RegExp;
  try {
    regex = xsdRegex(p.argument!);
  } catch (err) {
    // xsdRegex's message already names the pattern; add the place.
    const why = err instanceof Error ? err.message : String(err);
    throw new YangError(err instanceof YangError ? why : `invalid pattern "${p.argument}": ${why}`, p.loc, { cause: err });
  }
  const modifier = subArgument(p, 'modifier');
  if (modifier !== undefined && modifier !== 'invert-match') fail(`invalid modifier "${modifier}"`, substatement(p, 'modifier'));
  return {
    source: p.argument!,
    regex,
    invert: modifier === 'invert-match',
    errorMessage: subArgument(p, 'error-message'),
    errorAppTag: subArgument(p, 'error-app-tag'),
  };
}
