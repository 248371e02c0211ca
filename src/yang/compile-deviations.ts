/**
 * `deviation` (RFC 7950 §7.20.3) of the implemented modules, applied after the augments:
 * not-supported removes the target node, add/replace/delete change its properties (type, units,
 * default, config, mandatory, min/max-elements, must, unique).
 */
import { childScope, fail, type MNode, type ModuleCtx } from './compile-context.js';
import { resolveAbsolute } from './compile-paths.js';
import { boolArg, checkExtension, count, type TreeBuilder } from './compile-tree.js';
import { substatements } from './parser.js';
import type { Statement } from './statement.js';

/** Applies every deviation of the implemented modules. */
export function applyDeviations(builder: TreeBuilder, modules: ReadonlyMap<string, ModuleCtx>): void {
  for (const module of modules.values()) {
    if (!module.implemented) continue;
    for (const file of module.files) {
      for (const dev of substatements(file.root, 'deviation')) {
        const target = resolveAbsolute(dev.argument!, file, dev);
        if (!target) fail(`deviation target "${dev.argument}" not found`, dev);
        const targetModule = modules.get(target.module)!;
        if (!targetModule.compiled.deviatedBy.includes(module.name) && targetModule !== module) targetModule.compiled.deviatedBy.push(module.name);
        const deviates = substatements(dev, 'deviate');
        if (deviates.length === 0) fail('deviation without deviate', dev);
        const scope = childScope(file.scope, dev);
        for (const d of deviates) {
          if (d.argument === 'not-supported') {
            if (deviates.length > 1) fail('"deviate not-supported" cannot be combined with other deviates', d);
            remove(target, modules);
          } else if (d.argument === 'add' || d.argument === 'replace' || d.argument === 'delete') {
            deviate(builder, d, d.argument, target, scope);
          } else {
            fail(`invalid deviate "${d.argument}"`, d);
          }
        }
      }
    }
  }
}

/** Removes a node from its parent (or its module's top level). */
function remove(target: MNode, modules: ReadonlyMap<string, ModuleCtx>): void {
  const siblings = target.parent ? target.parent.children : topList(target, modules);
  const i = siblings.indexOf(target);
  if (i !== -1) siblings.splice(i, 1);
}

function topList(target: MNode, modules: ReadonlyMap<string, ModuleCtx>): MNode[] {
  const c = modules.get(target.module)!.compiled;
  return target.kind === 'rpc' ? c.rpcs : target.kind === 'notification' ? c.notifications : c.data;
}

/** Applies one `deviate add|replace|delete`. */
function deviate(builder: TreeBuilder, d: Statement, how: 'add' | 'replace' | 'delete', target: MNode, scope: ReturnType<typeof childScope>): void {
  const info = builder.state.info.get(target)!;
  const isLeafy = target.kind === 'leaf' || target.kind === 'leaf-list';
  const need = (ok: boolean, s: Statement): void => {
    if (!ok) fail(`"${s.keyword}" cannot be deviated on a ${target.kind}`, s);
  };
  const defaults = substatements(d, 'default').map((s) => s.argument!);
  if (defaults.length > 0) {
    const s = substatements(d, 'default')[0]!;
    need(isLeafy || target.kind === 'choice', s);
    if (how === 'delete') {
      for (const v of defaults) {
        if (!target.defaults.includes(v)) fail(`default "${v}" is not a default of "${target.name}"`, s);
      }
      target.defaults = target.defaults.filter((v) => !defaults.includes(v));
    } else if (how === 'add' && target.kind === 'leaf-list') {
      target.defaults = [...(info.ownDefault ? target.defaults : []), ...defaults];
    } else {
      if (how === 'add' && info.ownDefault && target.kind !== 'leaf-list') fail(`"${target.name}" already has a default`, s);
      // A default inherited from the typedef is not the node's own: nothing to replace (libyang agrees).
      if (how === 'replace' && !info.ownDefault && target.kind !== 'choice') fail(`"${target.name}" has no default to replace`, s);
      target.defaults = defaults;
    }
    info.ownDefault = target.defaults.length > 0;
  }
  for (const s of d.substatements) {
    switch (s.keyword) {
      case 'default':
        break;
      case 'type': {
        if (how !== 'replace') fail('a type can only be replaced', s);
        need(isLeafy, s);
        target.type = builder.types.nodeType(s, scope, target).type;
        break;
      }
      case 'units':
        need(isLeafy, s);
        target.units = how === 'delete' ? undefined : s.argument;
        break;
      case 'config':
        if (how === 'delete') fail('config cannot be deleted', s);
        info.config = boolArg(s);
        break;
      case 'mandatory':
        if (how === 'delete') fail('mandatory cannot be deleted', s);
        target.mandatory = boolArg(s)!;
        break;
      case 'min-elements':
        if (how === 'delete') fail('min-elements cannot be deleted', s);
        target.minElements = count(s);
        break;
      case 'max-elements':
        if (how === 'delete') fail('max-elements cannot be deleted', s);
        target.maxElements = s.argument === 'unbounded' ? Infinity : count(s);
        break;
      case 'must':
        if (how === 'replace') fail('must cannot be replaced', s);
        if (how === 'add') target.must.push(s.argument!);
        else target.must = target.must.filter((m) => m !== s.argument);
        break;
      case 'unique': {
        if (how === 'replace') fail('unique cannot be replaced', s);
        need(target.kind === 'list', s);
        const paths = s.argument!.trim().split(/\s+/);
        if (how === 'add') target.unique.push(paths);
        else target.unique = target.unique.filter((u) => u.join(' ') !== paths.join(' '));
        break;
      }
      default:
        if (s.keyword.includes(':')) {
          checkExtension(s, scope);
          target.extensions.push(s);
        } else if (s.keyword !== 'description' && s.keyword !== 'reference') {
          fail(`"${s.keyword}" cannot be deviated`, s);
        }
    }
  }
}
