/**
 * The last pass over the compiled tree: nodes disabled by if-feature removed, `config` inherited
 * (false in rpc/action/notification), and the checks that need the final tree: list keys,
 * duplicate sibling names, config true under config false.
 */
import { fail, type CompileState, type MNode, type ModuleCtx } from './compile-context.js';

/** Kinds under which everything is config false. */
const OPERATION = new Set(['rpc', 'action', 'notification', 'input', 'output']);

/**
 * Removes disabled nodes, computes config, checks the tree. Returns the set of nodes in the final
 * tree (the leafref pass only resolves those).
 */
export function finishTree(state: CompileState, modules: ReadonlyMap<string, ModuleCtx>): Set<MNode> {
  const live = new Set<MNode>();
  const visit = (nodes: MNode[], parent: MNode | undefined, parentConfig: boolean, inOperation: boolean): MNode[] => {
    const kept = nodes.filter((n) => !state.info.get(n)?.disabled);
    for (const n of kept) {
      live.add(n);
      const info = state.info.get(n);
      const op = inOperation || OPERATION.has(n.kind);
      if (op) n.config = false;
      else {
        const explicit = info?.config;
        if (explicit === true && !parentConfig) fail(`"${n.name}" is config true inside config false data`, n.loc);
        n.config = explicit ?? parentConfig;
      }
      // State leaf-lists and keyless lists keep the order the server gives (RFC 7950 §7.7.7
      // ignores ordered-by for state data): libyang marks them user-ordered, and so do we.
      // (Keyless lists in rpc/action/notification too; leaf-lists there stay as declared.)
      if ((n.kind === 'list' && n.keys.length === 0) || (n.kind === 'leaf-list' && !op && !n.config)) n.orderedBy = 'user';
      n.children = visit(n.children, n, n.config, op);
      if (n.kind === 'list') checkKeys(n);
    }
    checkDuplicates(kept, parent);
    return kept;
  };
  for (const m of modules.values()) {
    const c = m.compiled;
    c.data = visit(c.data, undefined, true, false);
    c.rpcs = visit(c.rpcs, undefined, true, false);
    c.notifications = visit(c.notifications, undefined, true, false);
    checkDuplicates([...c.data, ...c.rpcs, ...c.notifications], undefined);
  }
  return live;
}

/** A list's keys are leaves among its direct children; a config list must have keys. */
function checkKeys(list: MNode): void {
  if (list.keys.length === 0) {
    if (list.config) fail(`list "${list.name}" is configuration data and has no key`, list.loc);
    return;
  }
  const seen = new Set<string>();
  for (const k of list.keys) {
    if (seen.has(k)) fail(`key "${k}" of list "${list.name}" given twice`, list.loc);
    seen.add(k);
    const leaf = list.children.find((c) => c.name === k && c.kind === 'leaf');
    if (!leaf) fail(`key "${k}" of list "${list.name}" is not a leaf of the list`, list.loc);
    if (leaf.config !== list.config && list.config) fail(`key "${k}" of list "${list.name}" has a different config`, leaf.loc);
  }
  // Keys first, in key order (as libyang orders them, and as XML encoding requires them).
  const keys = list.keys.map((k) => list.children.find((c) => c.name === k && c.kind === 'leaf')!);
  list.children = [...keys, ...list.children.filter((c) => !keys.includes(c))];
}

/** Sibling data nodes (choice/case looked through) must have distinct names within a module. */
function checkDuplicates(nodes: readonly MNode[], parent: MNode | undefined): void {
  if (parent && (parent.kind === 'choice' || parent.kind === 'case')) return; // checked at the data parent
  const seen = new Set<string>();
  const walk = (list: readonly MNode[]): void => {
    for (const n of list) {
      if (n.kind === 'choice' || n.kind === 'case') {
        walk(n.children);
        continue;
      }
      if (n.kind === 'input' || n.kind === 'output') continue;
      const key = `${n.module}\u0000${n.name}`;
      if (seen.has(key)) fail(`duplicate node name "${n.name}"`, n.loc);
      seen.add(key);
    }
  };
  walk(nodes);
}
