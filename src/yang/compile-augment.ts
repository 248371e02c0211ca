/**
 * `augment` (RFC 7950 §7.17): nodes added to a target in another place of the tree, in the
 * augmenting module's namespace. Top-level augments of the implemented modules are applied once
 * every module's tree exists, repeatedly until none is left, since an augment may target a node
 * another augment adds; one whose target never appears is an error (which also ends augment loops).
 */
import { childScope, fail, type MNode, type ModuleCtx } from './compile-context.js';
import { ifFeaturesTrue } from './compile-features.js';
import { resolveAbsolute } from './compile-paths.js';
import type { TreeBuilder, TreeCtx } from './compile-tree.js';
import { substatement, substatements } from './parser.js';
import type { Statement } from './statement.js';

/** The kinds of node an augment may add to. */
const TARGETS = new Set(['container', 'list', 'choice', 'case', 'input', 'output', 'notification']);

/**
 * Compiles an augment's body into `target` (`ctx.module` owns the new nodes). Into a choice,
 * nodes other than cases get their shorthand case. The augment's `when` is kept on each node.
 */
export function augmentInto(builder: TreeBuilder, aug: Statement, target: MNode, ctx: TreeCtx): void {
  if (!TARGETS.has(target.kind)) fail(`augment target "${aug.argument}" is a ${target.kind}, which cannot be augmented`, aug);
  const added: MNode[] = [];
  builder.children(aug, target, ctx, added);
  const when = substatement(aug, 'when')?.argument;
  const enabled = ifFeaturesTrue(aug, ctx.scope.file);
  for (const n of added) {
    if (when !== undefined) n.when.push(when);
    if (!enabled) builder.disable(n);
    if (ctx.module.name !== target.module && target.kind !== 'choice' && target.kind !== 'case' && isMandatory(n) && !when) {
      // RFC 7950 §7.17: an augment from another module must not add mandatory nodes (libyang agrees).
      fail(`augment "${aug.argument}" adds mandatory node "${n.name}" to another module`, aug);
    }
    target.children.push(n);
  }
}

/** A node that makes its parent's data invalid when absent. */
function isMandatory(n: MNode): boolean {
  if (n.kind === 'leaf' || n.kind === 'choice' || n.kind === 'anydata' || n.kind === 'anyxml') return n.mandatory;
  if (n.kind === 'list' || n.kind === 'leaf-list') return n.minElements > 0;
  if (n.kind === 'container' && n.presence === undefined) return n.children.some(isMandatory);
  return false;
}

/**
 * Applies the top-level augments of every implemented module, module by module in the order of
 * their names (as libyang does: nodes several modules add to one parent come in that order,
 * whatever order the modules were given or loaded in), each module's in document order.
 */
export function applyAugments(builder: TreeBuilder, modules: ReadonlyMap<string, ModuleCtx>): void {
  let pending: { aug: Statement; module: ModuleCtx; file: ModuleCtx['files'][number] }[] = [];
  const byName = [...modules.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const module of byName) {
    if (!module.implemented) continue;
    for (const file of module.files) for (const aug of substatements(file.root, 'augment')) pending.push({ aug, module, file });
  }
  while (pending.length > 0) {
    const waiting: typeof pending = [];
    for (const p of pending) {
      const target = resolveAbsolute(p.aug.argument!, p.file, p.aug);
      if (!target) {
        waiting.push(p);
        continue;
      }
      const ctx: TreeCtx = { scope: childScope(p.file.scope, p.aug), module: p.module, groupings: [], depth: depthOf(target) };
      augmentInto(builder, p.aug, target, ctx);
    }
    if (waiting.length === pending.length) {
      const first = waiting[0]!;
      fail(`augment target "${first.aug.argument}" not found`, first.aug);
    }
    pending = waiting;
  }
}

/** How deep a node is (bounds the nesting of what augments add). */
function depthOf(n: MNode): number {
  let d = 0;
  for (let p: MNode | undefined = n; p; p = p.parent) d++;
  return d;
}
