/**
 * `uses` (RFC 7950 §7.13): the grouping's nodes are compiled where the uses is (in its module's
 * namespace, with the grouping's own lexical scope for types and nested groupings), then the
 * uses' `augment`s and `refine`s are applied to them. A grouping that (directly or not) uses
 * itself is an error, not an endless expansion.
 */
import { augmentInto } from './compile-augment.js';
import { childScope, fail, lookupDef, type MNode } from './compile-context.js';
import { ifFeaturesTrue } from './compile-features.js';
import { resolveDescendant } from './compile-paths.js';
import { boolArg, checkExtension, count, type TreeBuilder, type TreeCtx } from './compile-tree.js';
import { substatement, substatements } from './parser.js';
import type { Statement } from './statement.js';

/** Expands a `uses` statement into `out` (children of `parent`). */
export function expandUses(builder: TreeBuilder, uses: Statement, parent: MNode | undefined, ctx: TreeCtx, out: MNode[]): void {
  const def = lookupDef(ctx.scope, 'groupings', uses.argument!, uses);
  if (!def) fail(`grouping "${uses.argument}" not found`, uses);
  if (ctx.groupings.includes(def.stmt)) fail(`grouping "${def.stmt.argument}" uses itself`, uses);
  const inner: TreeCtx = {
    scope: childScope(def.scope, def.stmt),
    module: ctx.module,
    groupings: [...ctx.groupings, def.stmt],
    depth: ctx.depth + 1,
  };
  const added: MNode[] = [];
  builder.children(def.stmt, parent, inner, added);

  const file = ctx.scope.file;
  for (const aug of substatements(uses, 'augment')) {
    const target = resolveDescendant(aug.argument!, added, file, ctx.module, aug);
    if (!target) fail(`augment target "${aug.argument}" not found in grouping "${def.stmt.argument}"`, aug);
    augmentInto(builder, aug, target, { ...ctx, scope: childScope(ctx.scope, aug) });
  }
  for (const refine of substatements(uses, 'refine')) {
    const target = resolveDescendant(refine.argument!, added, file, ctx.module, refine);
    if (!target) fail(`refine target "${refine.argument}" not found in grouping "${def.stmt.argument}"`, refine);
    // A refine adding a false if-feature (YANG 1.1) removes the node.
    if (!applyRefine(builder, refine, target, ctx)) builder.disable(target);
  }
  const when = substatement(uses, 'when')?.argument;
  const enabled = ifFeaturesTrue(uses, file);
  for (const n of added) {
    if (when !== undefined) n.when.push(when);
    if (!enabled) builder.disable(n);
    out.push(n);
  }
}

/** Applies one `refine` (RFC 7950 §7.13.2) to its target node; false when it removes the node. */
function applyRefine(builder: TreeBuilder, refine: Statement, target: MNode, ctx: TreeCtx): boolean {
  const info = builder.state.info.get(target)!;
  if (!ifFeaturesTrue(refine, ctx.scope.file)) return false;
  for (const s of refine.substatements) {
    switch (s.keyword) {
      case 'description':
        target.description = s.argument;
        break;
      case 'reference':
      case 'if-feature':
        break;
      case 'config':
        info.config = boolArg(s);
        break;
      case 'mandatory':
        target.mandatory = boolArg(s)!;
        break;
      case 'presence':
        if (target.kind !== 'container') fail('presence can only refine a container', s);
        target.presence = s.argument;
        break;
      case 'default': {
        const all = substatements(refine, 'default').map((d) => d.argument!);
        if (target.kind === 'choice') {
          target.defaults = [all[0]!];
        } else {
          if (target.kind !== 'leaf' && target.kind !== 'leaf-list') fail('default can only refine a leaf, leaf-list or choice', s);
          target.defaults = all;
          info.ownDefault = true;
        }
        break;
      }
      case 'must':
        target.must.push(s.argument!);
        break;
      case 'min-elements':
        target.minElements = count(s);
        break;
      case 'max-elements':
        target.maxElements = s.argument === 'unbounded' ? Infinity : count(s);
        break;
      case 'units':
        target.units = s.argument;
        break;
      default:
        if (s.keyword.includes(':')) {
          checkExtension(s, ctx.scope);
          target.extensions.push(s);
        } else {
          fail(`"${s.keyword}" cannot be refined`, s);
        }
    }
  }
  return true;
}
