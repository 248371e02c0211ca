/**
 * The YANG compiler's entry point: sources → {@link YangSchema}, in passes like libyang's —
 * module set (imports, includes, revisions) → features → identities → the data trees (typedefs
 * and groupings resolved on the way) → augments → deviations → if-feature removal and config
 * inheritance → leafref targets → defaults checked against their types.
 */
import { applyAugments } from './compile-augment.js';
import { checkDefaults } from './compile-defaults.js';
import { fail, NeedsImplementation, type CompileState, type FileCtx, type MNode, type ModuleCtx } from './compile-context.js';
import { applyDeviations } from './compile-deviations.js';
import { finishFeatures, requestFeatures } from './compile-features.js';
import { finishTree } from './compile-finish.js';
import { compileIdentities } from './compile-identities.js';
import { resolveLeafrefs } from './compile-leafref.js';
import { loadModuleSet } from './compile-module-set.js';
import { TreeBuilder } from './compile-tree.js';
import { TypeResolver } from './compile-types.js';
import type { CompiledModule, SchemaNode, YangSchema } from './schema.js';
import type { YangSource } from './sources.js';
import type { Statement } from './statement.js';

/** What to compile. */
export interface CompileOptions {
  /** Modules to implement (their data nodes exist). Default: every (non-sub)module among the sources. */
  readonly modules?: readonly string[];
  /**
   * Enabled features per module. undefined = every feature of every module enabled (pyang's
   * default); given = exactly those listed, modules not listed have none (yanglint -F).
   */
  readonly features?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Compiles YANG sources into a schema. Throws {@link YangError} (with `file:line:column`, and
 * `missingModule` for an import/include no source provides) when a module is invalid.
 */
export function compileYang(sources: readonly YangSource[], options: CompileOptions = {}): YangSchema {
  const extra: string[] = [];
  for (;;) {
    try {
      return compileOnce(sources, options, extra);
    } catch (err) {
      // An augment/deviation/leafref into an import-only module: implement it and start over.
      if (!(err instanceof NeedsImplementation) || extra.includes(err.module)) throw err;
      extra.push(err.module);
    }
  }
}

/** One compilation with a fixed set of implemented modules (`options.modules` plus `extra`). */
function compileOnce(sources: readonly YangSource[], options: CompileOptions, extra: readonly string[]): YangSchema {
  const modules = loadModuleSet(sources, options.modules, extra);
  for (const m of modules.values()) for (const f of m.files) checkExtensions(f);
  requestFeatures(modules, options.features);
  finishFeatures(modules);
  compileIdentities(modules);

  const state: CompileState = { modules, info: new Map(), leafrefs: [] };
  const builder = new TreeBuilder(state, new TypeResolver(state));
  for (const m of modules.values()) if (m.implemented) compileTopLevel(builder, m);
  applyAugments(builder, modules);
  applyDeviations(builder, modules);
  const live = finishTree(state, modules);
  resolveLeafrefs(state, modules, live);
  const schema = schemaOf(modules);
  checkDefaults(state, schema, live);
  return schema;
}

/** The top-level data nodes, rpcs and notifications of a module (all its files). */
function compileTopLevel(builder: TreeBuilder, m: ModuleCtx): void {
  for (const file of m.files) {
    const nodes: MNode[] = [];
    builder.children(file.root, undefined, { scope: file.scope, module: m, groupings: [], depth: 0 }, nodes);
    for (const n of nodes) {
      if (n.kind === 'rpc') m.compiled.rpcs.push(n);
      else if (n.kind === 'notification') m.compiled.notifications.push(n);
      else if (n.kind === 'action') fail('"action" cannot be at the top of a module', n.loc);
      else m.compiled.data.push(n);
    }
  }
}

/**
 * Every `prefix:keyword` statement of a file must name an extension of an imported module (or of
 * the module itself): the error names the unknown prefix or extension.
 */
function checkExtensions(file: FileCtx): void {
  const stack: Statement[] = [file.root];
  while (stack.length > 0) {
    const s = stack.pop()!;
    const colon = s.keyword.indexOf(':');
    if (colon !== -1) {
      const prefix = s.keyword.slice(0, colon);
      const module = file.prefixes.get(prefix);
      if (!module) fail(`extension "${s.keyword}": prefix "${prefix}" is not the prefix of an imported module`, s);
      if (!module.extensionDefs.has(s.keyword.slice(colon + 1))) fail(`extension "${s.keyword}" is not defined in module "${module.name}"`, s);
    }
    for (const c of s.substatements) stack.push(c);
  }
}

/** The public result. */
function schemaOf(modules: ReadonlyMap<string, ModuleCtx>): YangSchema {
  const byName = new Map<string, CompiledModule>();
  const byNamespace = new Map<string, CompiledModule>();
  const data: SchemaNode[] = [];
  const rpcs: SchemaNode[] = [];
  const notifications: SchemaNode[] = [];
  for (const m of modules.values()) {
    const c = m.compiled;
    byName.set(m.name, c);
    if (!byNamespace.has(m.namespace) || m.implemented) byNamespace.set(m.namespace, c);
    if (!m.implemented) continue;
    data.push(...c.data);
    rpcs.push(...c.rpcs);
    notifications.push(...c.notifications);
  }
  return { modules: byName, byNamespace, data, rpcs, notifications };
}
