/**
 * Identities (RFC 7950 §7.18): one object per identity, bases resolved across modules (several
 * bases allowed in YANG 1.1), and each identity's transitive set of derived identities.
 */
import { fail, splitName, type MIdentity, type ModuleCtx } from './compile-context.js';
import { ifFeaturesTrue } from './compile-features.js';
import { subArgument, substatements } from './parser.js';
import type { Statement } from './statement.js';

/** Builds every module's identities, resolves bases, refuses cycles, computes `derived`. */
export function compileIdentities(modules: ReadonlyMap<string, ModuleCtx>): void {
  for (const m of modules.values()) {
    for (const [name, { stmt, file }] of m.identityDefs) {
      const identity: MIdentity = {
        module: m.name,
        name,
        bases: [],
        derived: new Set(),
        description: subArgument(stmt, 'description'),
        enabled: ifFeaturesTrue(stmt, file),
      };
      m.identities.set(name, identity);
    }
  }
  for (const m of modules.values()) {
    for (const [name, { stmt, file }] of m.identityDefs) {
      const identity = m.identities.get(name)!;
      const bases = substatements(stmt, 'base');
      if (bases.length > 1 && !file.yang11) fail(`identity "${name}": several bases need YANG 1.1`, bases[1]!);
      for (const b of bases) identity.bases.push(resolveIdentity(m, file.prefixes, b.argument!, b));
    }
    m.compiled.identities = m.identities;
  }
  // Cycle check and derived sets: walk up from each identity through its bases.
  for (const m of modules.values()) {
    for (const identity of m.identities.values()) {
      const seen = new Set<MIdentity>();
      const stack = [...identity.bases];
      while (stack.length > 0) {
        const base = stack.pop()!;
        if (base === identity) fail(`identity "${identity.name}" is derived from itself`, m.identityDefs.get(identity.name)!.stmt);
        if (seen.has(base)) continue;
        seen.add(base);
        if (identity.enabled) base.derived.add(identity);
        stack.push(...base.bases);
      }
    }
  }
}

/** The identity a (possibly prefixed) name refers to, in a file with the given prefixes. */
export function resolveIdentity(
  module: ModuleCtx,
  prefixes: ReadonlyMap<string, ModuleCtx>,
  qname: string,
  at: Statement,
): MIdentity {
  const [prefix, name] = splitName(qname);
  const target = prefix === undefined ? module : prefixes.get(prefix);
  if (!target) fail(`unknown prefix "${prefix}" in "${qname}"`, at);
  const identity = target.identities.get(name);
  if (!identity) fail(`identity "${qname}" not found`, at);
  return identity;
}

