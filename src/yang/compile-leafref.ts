/**
 * Leafref paths (RFC 7950 §9.9.2) resolved to their target leaf or leaf-list once the tree is
 * final (augments, deviations, features applied): `target` and `targetType` (followed through
 * leafrefs to leafrefs; a leafref cycle is an error).
 */
import { fail, moduleOfPrefix, NeedsImplementation, type CompileState, type MNode, type ModuleCtx, type Scope } from './compile-context.js';
import type { YangType } from './schema.js';
import type { SourceLocation } from './statement.js';

type LeafrefEntry = CompileState['leafrefs'][number];

/** The steps of a leafref path: `..` or a node name, predicates dropped (they do not change the target). */
function pathSteps(path: string, loc: SourceLocation): { absolute: boolean; steps: ({ up: true } | { up: false; prefix: string | undefined; name: string })[] } {
  let text = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth < 0) fail(`invalid leafref path "${path}": unbalanced "]"`, loc);
    } else if (depth === 0) text += c;
  }
  if (depth !== 0) fail(`invalid leafref path "${path}": unbalanced "["`, loc);
  text = text.replace(/\s+/g, '');
  const absolute = text.startsWith('/');
  const parts = (absolute ? text.slice(1) : text).split('/');
  const steps = parts.map((p) => {
    if (p === '..') return { up: true as const };
    const m = /^(?:([A-Za-z_][A-Za-z0-9_.-]*):)?([A-Za-z_][A-Za-z0-9_.-]*)$/.exec(p);
    if (!m) fail(`invalid leafref path "${path}"`, loc);
    return { up: false as const, prefix: m[1], name: m[2]! };
  });
  if (steps.length === 0) fail(`empty leafref path`, loc);
  return { absolute, steps };
}

/** The parent as seen by XPath: choice, case, input and output are looked through. */
function xpathParent(n: MNode): MNode | undefined {
  let p = n.parent;
  while (p && (p.kind === 'choice' || p.kind === 'case' || p.kind === 'input' || p.kind === 'output')) p = p.parent;
  return p;
}

/** Children as seen by XPath (choice/case/input/output looked through). */
function xpathChildren(nodes: readonly MNode[], out: MNode[] = []): MNode[] {
  for (const n of nodes) {
    if (n.kind === 'choice' || n.kind === 'case' || n.kind === 'input' || n.kind === 'output') xpathChildren(n.children, out);
    else out.push(n);
  }
  return out;
}

/** Resolves every registered leafref of a live node (`live`: the nodes of the final tree). */
export function resolveLeafrefs(state: CompileState, modules: ReadonlyMap<string, ModuleCtx>, live: ReadonlySet<MNode>): void {
  const roots: MNode[] = [];
  for (const m of modules.values()) if (m.implemented) roots.push(...m.compiled.data);
  const entries = new Map<YangType, LeafrefEntry>();
  for (const e of state.leafrefs) {
    if (live.has(e.node) && typeReaches(e.node.type, e.type)) entries.set(e.type as YangType, e);
  }
  const resolving = new Set<LeafrefEntry>();
  const resolve = (e: LeafrefEntry): void => {
    if (e.type.target !== undefined) return;
    if (resolving.has(e)) fail(`leafref path "${e.type.path}" leads back to itself`, e.loc);
    resolving.add(e);
    const target = findTarget(e, roots, e.scope, live);
    let targetType = target.type!;
    if (targetType.kind === 'leafref') {
      const next = entries.get(targetType);
      if (next) resolve(next);
      targetType = targetType.targetType;
    }
    e.type.target = target;
    e.type.targetType = targetType;
    resolving.delete(e);
  };
  for (const e of entries.values()) resolve(e);
}

/** Whether `t` is (or is a member of) the node's type: a deviation may have replaced it. */
function typeReaches(type: YangType | undefined, t: object): boolean {
  if (!type) return false;
  if (type === t) return true;
  return type.kind === 'union' && type.types.some((m) => typeReaches(m, t));
}

/** Walks the path from the leaf (relative) or the roots (absolute) to its target. */
function findTarget(e: LeafrefEntry, roots: readonly MNode[], scope: Scope, live: ReadonlySet<MNode>): MNode {
  const { absolute, steps } = pathSteps(e.type.path, e.loc);
  let current: MNode | undefined = absolute ? undefined : e.node;
  for (const step of steps) {
    if (step.up) {
      if (!current) fail(`leafref path "${e.type.path}" goes above the top of the tree`, e.loc);
      current = xpathParent(current);
      continue;
    }
    const candidates = xpathChildren(current ? current.children : roots).filter((n) => n.name === step.name && live.has(n));
    // Unprefixed names are in the current node's module (RFC 7950 §6.4.1); a prefix names its module.
    const moduleCtx = step.prefix === undefined ? undefined : moduleOfPrefix(scope.file, step.prefix, e.loc);
    // Any step in an import-only module (its top, or a node it augments in) makes it implemented.
    if (moduleCtx && !moduleCtx.implemented) throw new NeedsImplementation(moduleCtx.name);
    const module = moduleCtx?.name ?? e.node.module;
    let next = candidates.find((n) => n.module === module);
    // A path written in a grouping from another module names that module's prefix for nodes
    // instantiated in the uses site's namespace: a name alone decides when it is unambiguous.
    if (!next && candidates.length === 1) next = candidates[0];
    if (!next) fail(`leafref path "${e.type.path}": node "${step.prefix ? `${step.prefix}:` : ''}${step.name}" not found`, e.loc);
    current = next;
  }
  if (!current || (current.kind !== 'leaf' && current.kind !== 'leaf-list')) {
    fail(`leafref path "${e.type.path}" does not point to a leaf or leaf-list`, e.loc);
  }
  return current;
}
