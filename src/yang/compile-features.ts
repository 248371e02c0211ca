/**
 * Which features are enabled: the requested set (all, or exactly those listed) narrowed by each
 * feature's own `if-feature` statements; and the evaluation of `if-feature` on any statement.
 */
import { fail, moduleOfPrefix, type FileCtx, type ModuleCtx } from './compile-context.js';
import { evaluateIfFeature, parseIfFeature } from './features.js';
import { substatements } from './parser.js';
import type { Statement } from './statement.js';

/**
 * Records the requested features on every module: `features` undefined enables everything; given,
 * exactly the listed ones (a module not listed has none; `*` in a module's list: all of its
 * features). Unknown modules or features are errors.
 */
export function requestFeatures(modules: ReadonlyMap<string, ModuleCtx>, features: ReadonlyMap<string, readonly string[]> | undefined): void {
  for (const m of modules.values()) m.requested = features === undefined ? undefined : new Set();
  if (features === undefined) return;
  for (const [name, list] of features) {
    const m = modules.get(name);
    if (!m) fail(`features given for module "${name}", which is not loaded`, undefined, name);
    if (list.includes('*')) {
      // `module:*` (yanglint's spelling): every feature of the module.
      m.requested = undefined;
      continue;
    }
    for (const f of list) if (!m.featureDefs.has(f)) fail(`module "${name}" has no feature "${f}"`, undefined);
    m.requested = new Set(list);
  }
}

/** Whether a feature of a module is enabled (requested, and its own if-features true). */
export function featureEnabled(module: ModuleCtx, name: string, at: Statement): boolean {
  const state = module.featureState.get(name);
  if (typeof state === 'boolean') return state;
  const def = module.featureDefs.get(name);
  if (!def) fail(`feature "${name}" not found in module "${module.name}"`, at);
  if (state === 'evaluating') fail(`feature "${name}" depends on itself through if-feature`, def.stmt);
  module.featureState.set(name, 'evaluating');
  const enabled = (module.requested === undefined || module.requested.has(name)) && ifFeaturesTrue(def.stmt, def.file);
  module.featureState.set(name, enabled);
  return enabled;
}

/** Whether every `if-feature` substatement of `stmt` (written in `file`) is true. */
export function ifFeaturesTrue(stmt: Statement, file: FileCtx): boolean {
  for (const s of substatements(stmt, 'if-feature')) {
    const expr = parseIfFeature(s.argument!, s.loc, file.yang11);
    const ok = evaluateIfFeature(expr, (prefix, name) => featureEnabled(moduleOfPrefix(file, prefix, s), name, s));
    if (!ok) return false;
  }
  return true;
}

/** Fills each module's `features` / `allFeatures`. */
export function finishFeatures(modules: ReadonlyMap<string, ModuleCtx>): void {
  for (const m of modules.values()) {
    const enabled = new Set<string>();
    for (const [name, def] of m.featureDefs) if (featureEnabled(m, name, def.stmt)) enabled.add(name);
    m.compiled.features = enabled;
    m.compiled.allFeatures = new Set(m.featureDefs.keys());
  }
}
