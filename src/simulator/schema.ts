/**
 * The YANG modules the simulator serves with `<get-schema>` (RFC 6022), read from a directory,
 * and what a light reading of them says about the data: which elements are lists (and their
 * keys), leaf-lists and containers: the statements are only tokenised and nested. (Validation
 * uses the modules compiled by the library's YANG compiler instead: yang-model.ts.)
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinSchemaModules, type BuiltinRole } from './builtin-modules.js';

/** One schema file the simulator serves. */
export interface SchemaModule {
  /** Module (or submodule) name. */
  name: string;
  /** Revision (`YYYY-MM-DD`), `''` when the module has none. */
  revision: string;
  /** The module's namespace; `''` for a submodule. */
  namespace: string;
  /** The module's prefix (the `belongs-to` prefix for a submodule). */
  prefix: string;
  /** True for a submodule (served, not advertised as a capability). */
  submodule: boolean;
  /** The YANG text. */
  text: string;
  /** For a module of the package's own (see builtin-modules.ts): when the simulator implements it. */
  builtin?: BuiltinRole;
}

/** What a schema says about an element, by local name. */
export type NodeKind = { kind: 'list'; keys: string[] } | { kind: 'leaf-list' } | { kind: 'container' } | { kind: 'leaf' };

interface Statement {
  keyword: string;
  arg: string | undefined;
  subs: Statement[];
}

/** Split YANG text into tokens: `{`, `}`, `;` and strings (quoted strings unquoted and concatenated). */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  let concat = false;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === '{' || c === '}' || c === ';') {
      tokens.push(c);
      i++;
    } else if (c === '+' && tokens.length > 0) {
      concat = true;
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < n && text[i] !== c) {
        if (c === '"' && text[i] === '\\' && i + 1 < n) {
          const e = text[i + 1] as string;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else {
          value += text[i];
          i++;
        }
      }
      i++;
      if (concat) tokens[tokens.length - 1] += value;
      else tokens.push(value);
      concat = false;
    } else {
      let j = i;
      while (j < n && !/[\s{};]/.test(text[j] as string) && !text.startsWith('//', j) && !text.startsWith('/*', j)) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

function parseStatements(tokens: string[]): Statement[] {
  let i = 0;
  const block = (): Statement[] => {
    const out: Statement[] = [];
    while (i < tokens.length) {
      const keyword = tokens[i++] as string;
      if (keyword === '}') return out;
      if (keyword === ';' || keyword === '{') continue;
      let arg: string | undefined;
      const next = tokens[i];
      if (next !== undefined && next !== ';' && next !== '{' && next !== '}') {
        arg = next;
        i++;
      }
      const stmt: Statement = { keyword, arg, subs: [] };
      if (tokens[i] === '{') {
        i++;
        stmt.subs = block();
      } else if (tokens[i] === ';') {
        i++;
      }
      out.push(stmt);
    }
    return out;
  };
  return block();
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * The schemas the simulator serves: those of a directory, which also give data-node hints, and
 * the built-in ones (builtin-modules.ts), which give none.
 */
export class SchemaRegistry {
  /** The directory's modules, then the built-in ones it does not replace. */
  readonly modules: readonly SchemaModule[];
  readonly #kinds = new Map<string, NodeKind>();
  readonly #ambiguous = new Set<string>();

  constructor(modules: readonly SchemaModule[] = [], builtins: readonly SchemaModule[] = []) {
    this.modules = [...modules, ...builtins];
    for (const m of modules) {
      try {
        for (const stmt of parseStatements(tokenize(m.text))) this.#collect(stmt);
      } catch {
        // A module we cannot read is still served; it just gives no hints.
      }
    }
  }

  /**
   * Every `name.yang` / `name@revision.yang` file of a directory (none without one), and the
   * built-in modules of the names it does not have.
   */
  static load(dir: string | undefined): SchemaRegistry {
    const modules: SchemaModule[] = [];
    for (const file of dir === undefined ? [] : readdirSync(dir).sort()) {
      const m = /^([^@]+?)(?:@(\d{4}-\d{2}-\d{2}))?\.yang$/.exec(file);
      if (!m) continue;
      const text = readFileSync(join(dir as string, file), 'utf8');
      modules.push(describeModule(text, m[1] as string, m[2]));
    }
    return new SchemaRegistry(modules, builtinSchemaModules(new Set(modules.map((m) => m.name))));
  }

  /** The modules of the directory (not the built-in ones). */
  get directoryModules(): SchemaModule[] {
    return this.modules.filter((m) => m.builtin === undefined);
  }

  /** What the schemas say about elements with this local name (undefined: unknown or ambiguous). */
  kind(local: string): NodeKind | undefined {
    return this.#ambiguous.has(local) ? undefined : this.#kinds.get(local);
  }

  /** The module prefix declared for a namespace, if a served module has that namespace. */
  prefixOf(namespace: string): string | undefined {
    return this.modules.find((m) => m.namespace === namespace && m.prefix)?.prefix;
  }

  /** The modules matching an identifier and (optionally) a revision. */
  find(identifier: string, revision?: string): SchemaModule[] {
    return this.modules.filter((m) => m.name === identifier && (revision === undefined || revision === '' || m.revision === revision));
  }

  #collect(stmt: Statement): void {
    const name = stmt.arg === undefined ? undefined : localName(stmt.arg);
    let kind: NodeKind | undefined;
    if (name !== undefined) {
      switch (stmt.keyword) {
        case 'list': {
          const key = stmt.subs.find((s) => s.keyword === 'key')?.arg;
          kind = { kind: 'list', keys: key ? key.trim().split(/\s+/).map(localName) : [] };
          break;
        }
        case 'leaf-list':
          kind = { kind: 'leaf-list' };
          break;
        case 'container':
          kind = { kind: 'container' };
          break;
        case 'leaf':
          kind = { kind: 'leaf' };
          break;
      }
    }
    if (kind && name !== undefined) {
      const known = this.#kinds.get(name);
      if (known === undefined) this.#kinds.set(name, kind);
      else if (JSON.stringify(known) !== JSON.stringify(kind)) this.#ambiguous.add(name);
    }
    for (const sub of stmt.subs) this.#collect(sub);
  }
}

/** Read name, revision, namespace and prefix from a module's text (file name as fallback). */
export function describeModule(text: string, fileName: string, fileRevision?: string): SchemaModule {
  let name = fileName;
  let namespace = '';
  let prefix = '';
  let submodule = false;
  const revisions: string[] = [];
  try {
    const top = parseStatements(tokenize(text))[0];
    if (top && (top.keyword === 'module' || top.keyword === 'submodule')) {
      submodule = top.keyword === 'submodule';
      if (top.arg) name = top.arg;
      for (const s of top.subs) {
        if (s.keyword === 'namespace' && s.arg) namespace = s.arg;
        else if (s.keyword === 'prefix' && s.arg) prefix = s.arg;
        else if (s.keyword === 'belongs-to') prefix = s.subs.find((p) => p.keyword === 'prefix')?.arg ?? prefix;
        else if (s.keyword === 'revision' && s.arg) revisions.push(s.arg);
      }
    }
  } catch {
    // keep the file name
  }
  const revision = fileRevision ?? revisions.sort().at(-1) ?? '';
  return { name, revision, namespace, prefix, submodule, text };
}
