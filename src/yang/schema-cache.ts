/**
 * A disk cache of YANG modules fetched from devices, one file per module revision
 * (`name@revision.yang`), so that the second connection to a device (or to another device with
 * the same modules) fetches nothing.
 *
 * - Where: `NETCONFKIT_YANG_CACHE`, else `$XDG_CACHE_HOME/netconfkit/yang`, else
 *   `~/.cache/netconfkit/yang` ({@link defaultYangCacheDir}); or any directory given.
 * - What: only modules and submodules **with a revision**. A module without one cannot be told
 *   apart from another text of the same name (devices do ship edited copies), so it is never
 *   cached: it is fetched again on each connection.
 * - A text is cached only when it parses as the YANG module or submodule it claims to be; a write
 *   goes to a temporary file in the same directory, then is renamed over the final name, so a
 *   reader (another process) never sees half a module.
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { YangError } from './errors.js';
import { parseSource, yangSourceFromText, type YangSource } from './sources.js';

/** The environment variable naming the cache directory (beats XDG_CACHE_HOME). */
export const YANG_CACHE_ENV = 'NETCONFKIT_YANG_CACHE';

/**
 * The default cache directory: `$NETCONFKIT_YANG_CACHE`, else `$XDG_CACHE_HOME/netconfkit/yang`,
 * else `~/.cache/netconfkit/yang`.
 */
export function defaultYangCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env[YANG_CACHE_ENV];
  if (own) return own;
  const xdg = env['XDG_CACHE_HOME'];
  // XDG Base Directory: a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'netconfkit', 'yang');
  return join(env['HOME'] || homedir(), '.cache', 'netconfkit', 'yang');
}

/** How the cache was used since it was opened. */
export interface YangCacheStats {
  /** Modules found in the cache. */
  hits: number;
  /** Modules asked for and not found (or not cacheable: no revision). */
  misses: number;
  /** Modules written. */
  writes: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const REVISION = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a module name and revision can name a cache file (no path tricks, a real revision). */
export function isCacheable(name: string, revision: string | undefined): revision is string {
  return NAME.test(name) && revision !== undefined && REVISION.test(revision);
}

/** `text` as a source, checked to be the module or submodule `name` (parsed once: the compiler reuses the tree). */
function checkedSource(name: string, text: string, file: string): YangSource {
  const source = yangSourceFromText(text, file);
  const root = parseSource(source);
  if (root.keyword !== 'module' && root.keyword !== 'submodule') throw new YangError(`not a YANG module: starts with '${root.keyword}'`, root.loc);
  if (root.argument !== name) throw new YangError(`expected ${name}, got ${root.keyword} ${String(root.argument)}`, root.loc);
  return source;
}

/**
 * Check that `text` is the YANG module or submodule `name`: it parses, and its first statement
 * is `module NAME` or `submodule NAME`. Throws {@link YangError} otherwise.
 */
export function checkModuleText(name: string, text: string, file: string): void {
  checkedSource(name, text, file);
}

/** A directory of cached YANG modules (see the module documentation). */
export class YangCache {
  /** The directory (created on the first write). */
  readonly dir: string;
  /** Hits, misses and writes so far. */
  readonly stats: YangCacheStats = { hits: 0, misses: 0, writes: 0 };

  /** @param dir - the cache directory; default {@link defaultYangCacheDir} */
  constructor(dir: string = defaultYangCacheDir()) {
    this.dir = dir;
  }

  /** The file a module revision is cached in. */
  file(name: string, revision: string): string {
    return join(this.dir, `${name}@${revision}.yang`);
  }

  /**
   * The cached module `name@revision`, or undefined (counted as a miss) when it is not there, has
   * no revision, or the file does not parse as that module (a damaged file is ignored and will be
   * replaced by the next {@link put}).
   */
  get(name: string, revision: string | undefined): YangSource | undefined {
    if (!isCacheable(name, revision)) {
      this.stats.misses++;
      return undefined;
    }
    const file = this.file(name, revision);
    let source: YangSource;
    try {
      source = checkedSource(name, readFileSync(file, 'utf8'), file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return source;
  }

  /**
   * The newest cached revision of `name` (for an import without `revision-date` that the device
   * does not list, whose revision is known only once fetched), or undefined.
   */
  latest(name: string): YangSource | undefined {
    if (!NAME.test(name)) return undefined;
    let files: string[];
    try {
      files = readdirSync(this.dir);
    } catch {
      return undefined;
    }
    const revisions = files
      .map((f) => (f.startsWith(`${name}@`) && f.endsWith('.yang') ? f.slice(name.length + 1, -5) : ''))
      .filter((r) => REVISION.test(r))
      .sort();
    const newest = revisions.at(-1);
    return newest === undefined ? undefined : this.get(name, newest);
  }

  /**
   * Check a fetched module (it must parse as `name`; {@link YangError} otherwise) and cache it
   * when it has a revision. Returns it as a source (backed by the cache file when written).
   * @param origin - how error messages name the text (`<get-schema ietf-ip@2014-06-16>`)
   */
  put(name: string, revision: string | undefined, text: string, origin = `<${name}${revision ? `@${revision}` : ''}>`): YangSource {
    const checked = checkedSource(name, text, origin);
    if (!isCacheable(name, revision)) return checked;
    const file = this.file(name, revision);
    mkdirSync(this.dir, { recursive: true });
    // Same directory as the final file: the rename is atomic (one file system).
    const temp = join(this.dir, `.${name}@${revision}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      writeFileSync(temp, text);
      renameSync(temp, file);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
    this.stats.writes++;
    // The same text, named by its file now (for error messages of the compiler).
    return yangSourceFromText(text, file);
  }
}
