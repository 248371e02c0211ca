import type { CompiledModule, Identity, YangSchema } from './schema.js';
import { q, Refusal } from './value-refusal.js';

/** identityref values: resolving `prefix:name` / `module:name`, checking the bases. */

/**
 * Whether `identity` is acceptable for a type with these bases. RFC 7950 §9.10.2 wants it derived
 * from ALL of them; libyang 2.1.30 accepts one derived from ANY of them (`identityref { base
 * mammal; base pet; }` takes `cat`, derived from mammal only). We follow libyang, the oracle:
 * the codec must not refuse documents libyang accepts.
 */
function derivesFromAny(identity: Identity, bases: readonly Identity[]): boolean {
  for (const b of bases) if (b.derived.has(identity)) return true;
  return false;
}

/** Finds the identity `name` in module `moduleName` and checks it against the bases. */
function resolve(schema: YangSchema, moduleName: string | undefined, name: string, bases: readonly Identity[], text: string): Identity | Refusal {
  const mod = moduleName === undefined ? undefined : schema.modules.get(moduleName);
  const identity = mod?.identities.get(name);
  if (!identity) return new Refusal(`invalid identityref ${q(text)}: no identity ${q(name)}${mod ? ` in module ${q(mod.name)}` : ''}`);
  // libyang refuses identities of import-only modules (RFC 7950 §5.6.5: a server that uses an
  // identity implements its module), and so do we.
  if (!(mod as CompiledModule).implemented) return new Refusal(`invalid identityref ${q(text)}: module ${q(identity.module)} is not implemented`);
  if (!derivesFromAny(identity, bases)) return new Refusal(`invalid identityref ${q(text)}: not derived from ${bases.map((b) => `${b.module}:${b.name}`).join(' or ')}`);
  return identity;
}

/**
 * XML `prefix:name` (or `name`: the default namespace in scope, as libyang reads it; without one,
 * the leaf's module) → RFC 7951 `module:name`, always qualified as libyang prints it. No
 * whitespace is trimmed (libyang refuses `" one"`).
 */
export function identityFromXml(
  bases: readonly Identity[],
  text: string,
  namespaceOf: (prefix: string) => string | undefined,
  schema: YangSchema,
  module: string,
): string | Refusal {
  const colon = text.indexOf(':');
  const prefix = colon === -1 ? '' : text.slice(0, colon);
  const ns = namespaceOf(prefix);
  let moduleName: string | undefined;
  if (ns !== undefined) moduleName = schema.byNamespace.get(ns)?.name;
  else if (colon === -1) moduleName = module;
  else return new Refusal(`invalid identityref ${q(text)}: prefix ${q(prefix)} is not declared`);
  if (moduleName === undefined) return new Refusal(`invalid identityref ${q(text)}: namespace ${q(ns)} is not a known module`);
  const identity = resolve(schema, moduleName, colon === -1 ? text : text.slice(colon + 1), bases, text);
  return identity instanceof Refusal ? identity : `${identity.module}:${identity.name}`;
}

/**
 * RFC 7951 `module:name` (or `name` for an identity of the leaf's own module, §6.8) → the identity,
 * checked against the bases.
 */
export function identityFromJson(bases: readonly Identity[], value: string, schema: YangSchema, module: string): Identity | Refusal {
  const colon = value.indexOf(':');
  return resolve(schema, colon === -1 ? module : value.slice(0, colon), colon === -1 ? value : value.slice(colon + 1), bases, value);
}

/** XML text of an identity: `prefix:name` with the prefix the codec declares for its module. */
export function identityToXml(identity: Identity, schema: YangSchema, declare: (namespace: string, preferredPrefix: string) => string): string {
  const mod = schema.modules.get(identity.module);
  if (!mod) throw new Error(`identity ${identity.module}:${identity.name} of an unknown module`);
  return `${declare(mod.namespace, mod.prefix)}:${identity.name}`;
}
