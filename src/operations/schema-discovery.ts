/**
 * A device's YANG schema, from the device itself: which modules it implements (the YANG library,
 * else the hello; see module-inventory.ts), their texts from the disk cache or fetched with
 * `<get-schema>` (RFC 6022) and cached, submodules and imports the device does not list fetched
 * as well, then compiled with the features the device enables.
 * @module
 */
import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { RPCError } from '../rpc/rpc-error.js';
import { OperationError } from '../rpc/errors.js';
import { compileYangCached } from '../yang/compile-cache.js';
import { YangError } from '../yang/errors.js';
import { YangCache } from '../yang/schema-cache.js';
import type { YangSchema } from '../yang/schema.js';
import { parseSource, yangSourceFromText, yangSourcesFromDirectories, type YangSource } from '../yang/sources.js';
import type { Statement } from '../yang/statement.js';
import { getSchema } from './schema.js';
import { get } from './retrieve.js';
import {
  inventoryFeatures,
  modulesFromCapabilities,
  parseModulesState,
  parseYangLibrary,
  YANG_LIBRARY_NS,
  yangLibraryFilter,
  yangLibraryForm,
  type ModuleInventory,
} from './module-inventory.js';

/** Options of schema discovery from a device (`Manager.loadSchema`, `loadDeviceSchema`). */
export interface SchemaDiscoveryOptions extends CallOptions {
  /** The module cache: a {@link YangCache}, a directory, or `false` for none. Default: the user cache directory. */
  cache?: YangCache | string | false;
  /** Enabled features per module, instead of the device's (see `CompileOptions.features`). */
  features?: ReadonlyMap<string, readonly string[]>;
  /** `<get-schema>` requests in flight at once (pipelined on the session); default 4. */
  concurrency?: number;
  /**
   * Send `<get-schema>` for modules missing from the cache; default true. False: only the cache
   * is used (a module missing from it is left out with a warning).
   */
  fetch?: boolean;
  /** Called before each `<get-schema>` (revision undefined: the device's choice). */
  onFetch?: (name: string, revision: string | undefined) => void;
}

/** What schema discovery from a device (`Manager.loadSchema`) found and did. */
export interface DiscoveredSchema {
  readonly schema: YangSchema;
  /** The device's modules as it lists them. */
  readonly inventory: ModuleInventory;
  /** Every source compiled (modules and submodules). */
  readonly sources: readonly YangSource[];
  /** `name@revision` (or `name`) of each module fetched with `<get-schema>`. */
  readonly fetched: readonly string[];
  /** `name@revision` of each module taken from the cache. */
  readonly cached: readonly string[];
  /** Modules that could not be fetched or parsed (left out; the compile may then fail on them). */
  readonly warnings: readonly string[];
}

/**
 * The modules the device implements: from `/yang-library` (RFC 8525) or `/modules-state`
 * (RFC 7895) with a `<get>`, when the hello announces the library; else (or when that `<get>`
 * fails, or answers nothing) from the module capabilities of the hello.
 */
export async function discoverInventory(rpc: RPCDispatcher, options: CallOptions = {}): Promise<ModuleInventory> {
  const caps = rpc.session.serverCapabilities;
  const form = yangLibraryForm(caps);
  if (form !== undefined) {
    try {
      const reply = await get(rpc, { ...options, filter: yangLibraryFilter(form) });
      const root = reply.data?.elements.find((e) => e.local === form && e.namespace === YANG_LIBRARY_NS);
      const modules = root ? (form === 'yang-library' ? parseYangLibrary(root) : parseModulesState(root)) : [];
      if (modules.length > 0) return { source: form, modules };
    } catch (err) {
      // An access-control refusal or a broken library: the hello still lists the modules.
      if (!(err instanceof RPCError)) throw err;
    }
  }
  return { source: 'hello', modules: modulesFromCapabilities(caps) };
}

/** `import` and `include` of a parsed module: names with the revision-date when given. */
function dependencies(root: Statement): Array<{ name: string; revision: string | undefined }> {
  const out: Array<{ name: string; revision: string | undefined }> = [];
  for (const s of root.substatements) {
    if ((s.keyword !== 'import' && s.keyword !== 'include') || s.argument === undefined) continue;
    const date = s.substatements.find((d) => d.keyword === 'revision-date')?.argument;
    out.push({ name: s.argument, revision: date });
  }
  return out;
}

function label(name: string, revision: string | undefined): string {
  return revision ? `${name}@${revision}` : name;
}

/**
 * The sources of every module in the inventory, their submodules, and (transitively) the
 * modules they import or include that the device does not list: from the cache when there, else
 * fetched with `<get-schema>`, checked to parse, and cached.
 */
export async function moduleSources(
  rpc: RPCDispatcher,
  inventory: ModuleInventory,
  options: SchemaDiscoveryOptions = {},
): Promise<{ sources: YangSource[]; fetched: string[]; cached: string[]; warnings: string[] }> {
  const cache = options.cache === false ? new YangCache('') : options.cache instanceof YangCache ? options.cache : new YangCache(options.cache);
  const useCache = options.cache !== false;
  const sources: YangSource[] = [];
  const fetched: string[] = [];
  const cached: string[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>(); // module names asked for (one revision per name)
  const queue: Array<{ name: string; revision: string | undefined; listed: boolean }> = [];
  const want = (name: string, revision: string | undefined, listed: boolean): void => {
    if (seen.has(name)) return;
    seen.add(name);
    queue.push({ name, revision, listed });
  };
  for (const m of inventory.modules) {
    want(m.name, m.revision, true);
    for (const s of m.submodules) want(s.name, s.revision, true);
  }

  const one = async (item: { name: string; revision: string | undefined; listed: boolean }): Promise<void> => {
    const { name, revision } = item;
    let source: YangSource | undefined;
    if (useCache) source = revision !== undefined || item.listed ? cache.get(name, revision) : cache.latest(name);
    if (source) cached.push(label(name, revision ?? source.revision));
    else if (options.fetch === false) {
      warnings.push(`${label(name, revision)} is not in the cache (${cache.dir}) and fetching is off`);
      return;
    } else {
      options.onFetch?.(name, revision);
      let text: string;
      try {
        const reply = await getSchema(rpc, name, { ...(revision !== undefined ? { version: revision } : {}), ...(options.timeout !== undefined ? { timeout: options.timeout } : {}), ...(options.signal ? { signal: options.signal } : {}) });
        text = reply.data?.textContent ?? '';
      } catch (err) {
        if (!(err instanceof RPCError)) throw err;
        warnings.push(`get-schema ${label(name, revision)} failed: ${err.message}`);
        return;
      }
      fetched.push(label(name, revision));
      const origin = `<get-schema ${label(name, revision)}>`;
      try {
        // An import the device does not list, fetched without revision: its text names the revision
        // to cache it under (found again with cache.latest()). A listed module without revision is
        // not cached (see schema-cache.ts).
        const cacheAs = revision ?? (item.listed ? undefined : yangSourceFromText(text, origin).revision);
        source = cache.put(name, useCache ? cacheAs : undefined, text, origin);
      } catch (err) {
        if (!(err instanceof YangError)) throw err;
        warnings.push(`${label(name, revision)} from the device does not parse: ${err.message}`);
        return;
      }
    }
    sources.push(source);
    // Parsed already (checked when cached or fetched): parseSource() returns that tree.
    for (const dep of dependencies(parseSource(source))) want(dep.name, dep.revision, false);
  };

  const concurrency = Math.max(1, options.concurrency ?? 4);
  // The queue grows while it is worked on (imports found in fetched modules): each worker takes
  // what is there; when they are all done and a late import was queued, another round starts.
  const drain = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await one(item);
  };
  while (queue.length > 0) await Promise.all(Array.from({ length: concurrency }, drain));
  sources.sort((a, b) => a.name.localeCompare(b.name));
  return { sources, fetched, cached, warnings };
}

/** The device's modules, fetched or cached, not compiled: {@link DiscoveredSchema} without the schema. */
export type DeviceModules = Omit<DiscoveredSchema, 'schema'>;

/**
 * The device's module list ({@link discoverInventory}) and the sources of its modules
 * ({@link moduleSources}), without compiling them. Throws {@link OperationError} when the device
 * lists no module at all.
 */
export async function fetchDeviceModules(rpc: RPCDispatcher, options: SchemaDiscoveryOptions = {}): Promise<DeviceModules> {
  const callOptions: CallOptions = {};
  if (options.timeout !== undefined) callOptions.timeout = options.timeout;
  if (options.signal) callOptions.signal = options.signal;
  const inventory = await discoverInventory(rpc, callOptions);
  if (inventory.modules.length === 0) throw new OperationError('the device lists no YANG module (no YANG library, no module capabilities in its hello)');
  return { inventory, ...(await moduleSources(rpc, inventory, options)) };
}

/**
 * The device's schema: {@link discoverInventory}, {@link moduleSources}, then `compileYang` with
 * the implemented modules and the device's features (or `options.features`). A module the device
 * lists but does not serve (get-schema fails) is left out, with a warning. Throws
 * {@link YangError} when the modules do not compile, and {@link OperationError} when the device
 * lists no module at all or none could be had.
 */
export async function loadDeviceSchema(rpc: RPCDispatcher, options: SchemaDiscoveryOptions = {}): Promise<DiscoveredSchema> {
  const { inventory, sources, fetched, cached, warnings } = await fetchDeviceModules(rpc, options);
  if (sources.length === 0) throw new OperationError(`none of the device's YANG modules could be had: ${warnings.slice(0, 3).join('; ')}${warnings.length > 3 ? ' …' : ''}`);
  // A module the device lists but does not serve is left out (it is in the warnings): the others
  // still compile unless they import it.
  const available = new Set(sources.map((s) => s.name));
  const implemented = inventory.modules.filter((m) => m.conformance === 'implement' && available.has(m.name)).map((m) => m.name);
  const deviceFeatures = new Map([...inventoryFeatures(inventory)].filter(([name]) => available.has(name)));
  const schema = compileYangCached(sources, { modules: implemented, features: options.features ?? deviceFeatures });
  return { schema, inventory, sources, fetched, cached, warnings };
}

/**
 * A schema from directories of `.yang` files (offline: no device involved): every module in them
 * implemented, with the given features (default every feature enabled). Throws `YangError`.
 */
export function loadDirectorySchema(dirs: string | readonly string[], features?: ReadonlyMap<string, readonly string[]>): YangSchema {
  const list = typeof dirs === 'string' ? [dirs] : dirs;
  if (list.length === 0) throw new TypeError('no YANG directory given');
  return compileYangCached(yangSourcesFromDirectories(list), features ? { features } : {});
}
