/**
 * The first compiler pass: which module texts take part (the implemented modules and, through
 * `import`, the modules they need, each at one revision), with their submodules (`include`,
 * `belongs-to`) and per-file prefix tables.
 */
import { childScope, fail, type FileCtx, type ModuleCtx, type Scope } from './compile-context.js';
import { subArgument, substatement, substatements } from './parser.js';
import type { Statement } from './statement.js';
import { newestRevision, parseSource, type YangSource } from './sources.js';

/** The module texts chosen for a compilation. */
interface Choice {
  source: YangSource;
  root: Statement;
  /** Chosen because an import asked for this revision-date. */
  pinned: boolean;
}

/** Sources grouped by name, each group's sources with their (newest) revision. */
class SourceIndex {
  private readonly byName = new Map<string, { source: YangSource; revision: string | undefined }[]>();

  constructor(sources: readonly YangSource[]) {
    for (const source of sources) {
      let list = this.byName.get(source.name);
      if (!list) this.byName.set(source.name, (list = []));
      list.push({ source, revision: source.revision });
    }
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** The source of `name` at `revision` (exactly), or the newest when no revision is asked for. */
  find(name: string, revision: string | undefined): YangSource | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    if (revision !== undefined) {
      const exact = list.find((e) => e.revision === revision);
      if (exact) return exact.source;
      // A file whose newest revision is later may still contain the asked one in its history.
      return undefined;
    }
    let best = list[0]!;
    for (const e of list) if ((e.revision ?? '') > (best.revision ?? '')) best = e;
    return best.source;
  }
}

/** The root of a source, checked to be a module (or a submodule when `submodule`). */
function rootOf(source: YangSource, submodule: boolean): Statement {
  const root = parseSource(source);
  const want = submodule ? 'submodule' : 'module';
  if (root.keyword !== want) fail(`"${root.argument}" is a ${root.keyword}, expected a ${want}`, root);
  if (root.argument !== source.name) fail(`${root.keyword} "${root.argument}" found where "${source.name}" was expected`, root);
  return root;
}

/** The files of a module: the module and, transitively, the submodules it includes. */
function filesOf(index: SourceIndex, root: Statement, source: YangSource): { root: Statement; source: YangSource }[] {
  const files = [{ root, source }];
  const seen = new Set([root.argument]);
  for (let i = 0; i < files.length; i++) {
    for (const inc of substatements(files[i]!.root, 'include')) {
      const name = inc.argument!;
      if (seen.has(name)) continue;
      seen.add(name);
      const rev = subArgument(inc, 'revision-date');
      const subSource = index.find(name, rev);
      if (!subSource) fail(`submodule "${name}"${rev ? `@${rev}` : ''} included by "${root.argument}" not found`, inc, name);
      const sub = rootOf(subSource, true);
      const owner = substatement(sub, 'belongs-to')?.argument;
      if (owner !== root.argument) fail(`submodule "${name}" belongs to "${owner}", not "${root.argument}"`, sub);
      files.push({ root: sub, source: subSource });
    }
  }
  return files;
}

/** The chosen root statements (module name → choice), after following every import. */
function chooseModules(index: SourceIndex, implement: readonly string[]): Map<string, Choice> {
  const chosen = new Map<string, Choice>();
  const queue: string[] = [];
  for (const name of implement) {
    const source = index.find(name, undefined);
    if (!source) fail(`module "${name}" not found`, undefined, name);
    chosen.set(name, { source, root: rootOf(source, false), pinned: false });
    queue.push(name);
  }
  while (queue.length > 0) {
    const name = queue.shift()!;
    const choice = chosen.get(name)!;
    for (const { root: file } of filesOf(index, choice.root, choice.source)) {
      for (const imp of substatements(file, 'import')) {
        const target = imp.argument!;
        const rev = subArgument(imp, 'revision-date');
        const have = chosen.get(target);
        if (have && (rev === undefined || newestRevision(have.root) === rev)) continue;
        if (have && have.pinned) {
          fail(`"${file.argument}" imports "${target}" revision ${rev}, but revision ${newestRevision(have.root)} is required elsewhere`, imp);
        }
        const source = index.find(target, rev);
        if (!source) fail(`module "${target}"${rev ? `@${rev}` : ''} imported by "${file.argument}" not found`, imp, target);
        chosen.set(target, { source, root: rootOf(source, false), pinned: rev !== undefined });
        queue.push(target);
      }
    }
  }
  return chosen;
}

/**
 * Chooses and reads the modules: `implement` names the implemented modules (default: every
 * module among the sources). Returns the module contexts by name, imports resolved.
 */
export function loadModuleSet(sources: readonly YangSource[], implement: readonly string[] | undefined, extra: readonly string[] = []): Map<string, ModuleCtx> {
  const index = new SourceIndex(sources);
  let names = implement;
  if (names === undefined) {
    const all: string[] = [];
    for (const name of index.names()) if (parseSource(index.find(name, undefined)!).keyword === 'module') all.push(name);
    names = all;
  }
  names = [...names, ...extra.filter((n) => !names!.includes(n))];
  const chosen = chooseModules(index, names);
  const implemented = new Set(names);

  const modules = new Map<string, ModuleCtx>();
  for (const [name, choice] of chosen) {
    const root = choice.root;
    const namespace = subArgument(root, 'namespace');
    const prefix = subArgument(root, 'prefix');
    if (namespace === undefined) fail(`module "${name}" has no namespace`, root);
    if (prefix === undefined) fail(`module "${name}" has no prefix`, root);
    const version = subArgument(root, 'yang-version') ?? '1';
    if (version !== '1' && version !== '1.1' && version !== '1.0') fail(`unknown yang-version "${version}"`, substatement(root, 'yang-version'));
    const revision = newestRevision(root);
    const module: ModuleCtx = {
      name,
      revision,
      namespace,
      prefix,
      yang11: version === '1.1',
      implemented: implemented.has(name),
      main: undefined as unknown as FileCtx,
      files: [],
      typedefs: new Map(),
      groupings: new Map(),
      featureDefs: new Map(),
      identityDefs: new Map(),
      extensionDefs: new Set(),
      requested: undefined,
      featureState: new Map(),
      identities: new Map(),
      compiled: {
        name,
        revision,
        namespace,
        prefix,
        yangVersion: version === '1.1' ? '1.1' : '1',
        implemented: implemented.has(name),
        features: new Set(),
        allFeatures: new Set(),
        identities: new Map(),
        data: [],
        rpcs: [],
        notifications: [],
        deviatedBy: [],
        submodules: new Map(),
        file: choice.source.file,
      },
    };
    modules.set(name, module);
    for (const { root: fileRoot, source } of filesOf(index, root, choice.source)) {
      const fileVersion = subArgument(fileRoot, 'yang-version') ?? '1';
      const file: FileCtx = {
        module,
        source,
        root: fileRoot,
        file: source.file,
        yang11: fileVersion === '1.1',
        prefixes: new Map(),
        scope: undefined as unknown as Scope,
      };
      module.files.push(file);
      if (fileRoot !== root) module.compiled.submodules.set(fileRoot.argument!, newestRevision(fileRoot));
    }
    (module as { main: FileCtx }).main = module.files[0]!;
  }

  // Second loop: prefixes need every module context to exist.
  for (const module of modules.values()) {
    for (const file of module.files) {
      const own = file.root.keyword === 'module' ? subArgument(file.root, 'prefix') : subArgument(substatement(file.root, 'belongs-to')!, 'prefix');
      if (own === undefined) fail(`belongs-to of "${file.root.argument}" has no prefix`, file.root);
      file.prefixes.set(own, module);
      for (const imp of substatements(file.root, 'import')) {
        const p = subArgument(imp, 'prefix');
        if (p === undefined) fail(`import "${imp.argument}" has no prefix`, imp);
        if (file.prefixes.has(p)) fail(`prefix "${p}" used twice`, imp);
        file.prefixes.set(p, modules.get(imp.argument!)!);
      }
      collectTopLevel(module, file);
    }
  }
  return modules;
}

/** Registers a file's top-level definitions in its module (merged across submodules). */
function collectTopLevel(module: ModuleCtx, file: FileCtx): void {
  // The file's scope: the module-wide typedef/grouping maps, so submodules see each other's.
  file.scope = { file, parent: undefined, typedefs: module.typedefs, groupings: module.groupings };
  const local = childScope({ file, parent: undefined, typedefs: undefined, groupings: undefined }, file.root);
  for (const [kind, map] of [['typedef', local.typedefs], ['grouping', local.groupings]] as const) {
    if (!map) continue;
    const target = kind === 'typedef' ? module.typedefs : module.groupings;
    for (const [name, def] of map) {
      if (target.has(name)) fail(`duplicate ${kind} "${name}"`, def.stmt);
      target.set(name, { stmt: def.stmt, scope: file.scope });
    }
  }
  for (const s of file.root.substatements) {
    if (s.keyword === 'feature') {
      if (module.featureDefs.has(s.argument!)) fail(`duplicate feature "${s.argument}"`, s);
      module.featureDefs.set(s.argument!, { stmt: s, file });
    } else if (s.keyword === 'identity') {
      if (module.identityDefs.has(s.argument!)) fail(`duplicate identity "${s.argument}"`, s);
      module.identityDefs.set(s.argument!, { stmt: s, file });
    } else if (s.keyword === 'extension') {
      module.extensionDefs.add(s.argument!);
    }
  }
}
