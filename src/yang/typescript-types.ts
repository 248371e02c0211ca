/**
 * YANG leaf types → TypeScript types of their RFC 7951 JSON values (RFC 7951 §6): what a value
 * of each built-in type looks like in JSON, and the identityref value sets as named unions.
 */
import { commentBlock, descriptionLines } from './typescript-doc.js';
import { TypeNames, pascalCase, quote } from './typescript-names.js';
import type { Identity, YangSchema, YangType } from './schema.js';

/** One named union of identity names, emitted once and referred to by every identityref of that base. */
interface IdentityAlias {
  readonly name: string;
  readonly base: Identity;
  readonly members: readonly Identity[];
}

/**
 * The identities an identityref accepts, in a deterministic order (modules in schema order,
 * identities in the order each module defines them), and the named unions for them.
 */
export class IdentityTypes {
  readonly #order = new Map<Identity, number>();
  readonly #aliases = new Map<Identity, IdentityAlias>();
  readonly #names: TypeNames;

  constructor(schema: YangSchema, names: TypeNames) {
    this.#names = names;
    for (const mod of schema.modules.values()) for (const identity of mod.identities.values()) this.#order.set(identity, this.#order.size);
  }

  /** Identities derived from every one of `bases` (RFC 7950 §9.10.2: not the bases themselves). */
  #valuesOf(bases: readonly Identity[]): Identity[] {
    const [first, ...rest] = bases;
    if (first === undefined) return [];
    const values = [...first.derived].filter((i) => rest.every((b) => b.derived.has(i)));
    return values.sort((a, b) => (this.#order.get(a) ?? Infinity) - (this.#order.get(b) ?? Infinity) || compare(`${a.module}:${a.name}`, `${b.module}:${b.name}`));
  }

  /**
   * The union parts for an identityref (`string` when no identity derived from the bases is
   * known). Values are the qualified names `module:identity`, which is what libyang prints; with
   * `acceptSimple`, identities of `leafModule` may also be given bare (RFC 7951 §6.8 lets a
   * request omit the module when it is the leaf's own).
   */
  parts(bases: readonly Identity[], leafModule: string, acceptSimple: boolean): string[] {
    const values = this.#valuesOf(bases);
    // No identity known (the modules defining them were not loaded): nothing to enumerate, so
    // any string rather than `never`, which would make a mandatory leaf impossible to write.
    if (values.length === 0) return ['string'];
    const parts: string[] = [];
    const [only] = bases;
    if (bases.length === 1 && only !== undefined) parts.push(this.#alias(only, values).name);
    else parts.push(...values.map((i) => quote(`${i.module}:${i.name}`)));
    if (acceptSimple) for (const i of values) if (i.module === leafModule) parts.push(quote(i.name));
    return parts;
  }

  #alias(base: Identity, members: readonly Identity[]): IdentityAlias {
    let alias = this.#aliases.get(base);
    if (alias === undefined) {
      alias = { name: this.#names.allocate(`${pascalCase(base.module)}_${pascalCase(base.name)}Identity`), base, members };
      this.#aliases.set(base, alias);
    }
    return alias;
  }

  /** Whether any alias was handed out. */
  get used(): boolean {
    return this.#aliases.size > 0;
  }

  /** The declarations of the aliases handed out, in the order they were first used. */
  declarations(): string[] {
    const out: string[] = [];
    for (const alias of this.#aliases.values()) {
      const doc = commentBlock(
        [
          ...descriptionLines(alias.base.description),
          ...(alias.base.description === undefined ? [] : ['']),
          `The identities derived from \`${alias.base.module}:${alias.base.name}\` known when these types were generated, as RFC 7951 JSON writes them.`,
        ],
        '',
      );
      const lines = alias.members.map((i) => `  | ${quote(`${i.module}:${i.name}`)}`);
      out.push([...doc, `export type ${alias.name} =`, ...lines].join('\n') + ';');
    }
    return out;
  }
}

/** Plain code-unit order (locale-independent, so the output does not depend on the machine). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the mapping of a leaf type needs to know about where the leaf is. */
export interface LeafTypeContext {
  /** The module of the leaf (for the identityref simple form). */
  readonly module: string;
  /** Whether the value goes to the server (edit, RPC input): RFC 7951 accepts more forms there. */
  readonly request: boolean;
  readonly identities: IdentityTypes;
}

/**
 * The TypeScript union parts of a leaf type's JSON value (RFC 7951 §6): 32-bit and smaller
 * integers are numbers; int64, uint64 and decimal64 are strings (JSON numbers lose their
 * precision); `empty` is `[null]`; enumerations are their names; bits, binary and
 * instance-identifier are strings; leafrefs are their target's type; unions are the union of
 * their members' parts (duplicates removed, string literals dropped when `string` already
 * covers them).
 */
export function leafTypeParts(type: YangType, ctx: LeafTypeContext): string[] {
  const parts: string[] = [];
  collect(type, ctx, parts);
  const unique = [...new Set(parts)];
  if (unique.includes('string')) return unique.filter((p) => !p.startsWith("'"));
  return unique;
}

function collect(type: YangType, ctx: LeafTypeContext, out: string[]): void {
  switch (type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint8':
    case 'uint16':
    case 'uint32':
      out.push('number');
      return;
    case 'int64':
    case 'uint64':
    case 'decimal64':
    case 'string':
    case 'binary':
    case 'bits':
    case 'instance-identifier':
      out.push('string');
      return;
    case 'boolean':
      out.push('boolean');
      return;
    case 'empty':
      out.push('[null]');
      return;
    case 'enumeration':
      for (const name of type.enums.keys()) out.push(quote(name));
      return;
    case 'identityref':
      out.push(...ctx.identities.parts(type.bases, ctx.module, ctx.request));
      return;
    case 'leafref':
      collect(type.targetType, ctx, out);
      return;
    case 'union':
      for (const member of type.types) collect(member, ctx, out);
      return;
  }
}
