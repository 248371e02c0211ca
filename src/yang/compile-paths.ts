/**
 * Schema node identifiers (RFC 7950 §6.5): `/a:x/a:y` (augment and deviation targets) and
 * `x/y` (refine and augment inside `uses`), resolved against the compiled nodes. Every schema
 * node counts as a step: choice, case, input, output included.
 */
import { fail, moduleOfPrefix, NeedsImplementation, splitName, type FileCtx, type MNode, type ModuleCtx } from './compile-context.js';
import type { Statement } from './statement.js';

/** The steps of a schema node identifier, each `[prefix, name]`. */
function steps(path: string, at: Statement): [string | undefined, string][] {
  const body = path.trim().replace(/^\//, '');
  if (body === '') fail(`empty schema node identifier "${path}"`, at);
  return body.split('/').map((step) => {
    const s = step.trim();
    if (!/^(?:[A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$/.test(s)) fail(`invalid schema node identifier "${path}"`, at);
    return splitName(s);
  });
}

/** The child of `nodes` with `name` in `module`. */
function child(nodes: readonly MNode[], module: ModuleCtx, name: string): MNode | undefined {
  for (const n of nodes) if (n.name === name && n.module === module.name) return n;
  return undefined;
}

/**
 * Resolves an absolute schema node identifier (augment, deviation). The first step's prefix picks
 * the module whose top-level nodes (data, rpcs, notifications) it starts from. Returns undefined
 * when a step does not exist (the caller decides: an augment may wait for another augment).
 */
export function resolveAbsolute(path: string, file: FileCtx, at: Statement): MNode | undefined {
  if (!path.trim().startsWith('/')) fail(`"${path}" must be an absolute schema node identifier`, at);
  const list = steps(path, at);
  let current: MNode | undefined;
  for (const [prefix, name] of list) {
    const module = moduleOfPrefix(file, prefix, at);
    if (!module.implemented) throw new NeedsImplementation(module.name);
    if (!current) {
      const c = module.compiled;
      current = child(c.data, module, name) ?? child(c.rpcs, module, name) ?? child(c.notifications, module, name);
    } else {
      current = child(current.children, module, name);
    }
    if (!current) return undefined;
  }
  return current;
}

/**
 * Resolves a descendant schema node identifier (refine, augment in uses) among `nodes`, the nodes
 * a `uses` produced. Prefixes naming the file's own module mean the uses site's module (`owner`),
 * whose namespace those nodes are in.
 */
export function resolveDescendant(path: string, nodes: readonly MNode[], file: FileCtx, owner: ModuleCtx, at: Statement): MNode | undefined {
  if (path.trim().startsWith('/')) fail(`"${path}" must be a descendant schema node identifier`, at);
  let current: readonly MNode[] = nodes;
  let found: MNode | undefined;
  for (const [prefix, name] of steps(path, at)) {
    let module = moduleOfPrefix(file, prefix, at);
    if (module === file.module) module = owner;
    found = child(current, module, name);
    // Nodes of a grouping from another module nested in this one: match by name alone.
    if (!found) {
      const byName = current.filter((n) => n.name === name);
      if (byName.length === 1) found = byName[0];
    }
    if (!found) return undefined;
    current = found.children;
  }
  return found;
}
