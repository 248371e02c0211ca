/**
 * Where YANG texts come from: files in directories (`name.yang`, `name@revision.yang`) or texts
 * in memory (e.g. fetched with `<get-schema>`). A source knows its module name and revision
 * without being compiled; the text is read when needed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { YangError } from './errors.js';
import { parseYang } from './parser.js';
import type { Statement } from './statement.js';

/** One YANG module or submodule text. */
export interface YangSource {
  /** The module (or submodule) name. */
  readonly name: string;
  /** Its newest revision, if it has one. */
  readonly revision: string | undefined;
  /** Where the text came from (used in error locations). */
  readonly file: string;
  /** The text. */
  text(): string;
}

/** The parsed root statement of a source, computed once per source object. */
const parsed = new WeakMap<YangSource, Statement>();

/** The statement tree of a source (parsed on first use, then cached). */
export function parseSource(source: YangSource): Statement {
  let root = parsed.get(source);
  if (!root) {
    root = parseYang(source.text(), source.file);
    parsed.set(source, root);
  }
  return root;
}

/** The newest `revision` date among a module's revision statements. */
export function newestRevision(root: Statement): string | undefined {
  let newest: string | undefined;
  for (const s of root.substatements) {
    if (s.keyword === 'revision' && s.argument !== undefined && (newest === undefined || s.argument > newest)) newest = s.argument;
  }
  return newest;
}

const FILE_RE = /^([A-Za-z_][A-Za-z0-9_.-]*?)(?:@(\d{4}-\d{2}-\d{2}))?\.yang$/;

/**
 * Every `*.yang` file in the directories (not recursive). `name@revision.yang` gives the name and
 * revision; for a plain `name.yang` the revision is read from the text.
 */
export function yangSourcesFromDirectories(dirs: readonly string[]): YangSource[] {
  const out: YangSource[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      throw new YangError(`cannot read YANG directory ${dir}: ${(err as Error).message}`, undefined, { cause: err });
    }
    for (const entry of entries) {
      const m = FILE_RE.exec(entry);
      if (!m) continue;
      const file = join(dir, entry);
      try {
        if (!statSync(file).isFile()) continue;
      } catch {
        continue;
      }
      out.push(fileSource(m[1]!, m[2], file));
    }
  }
  return out;
}

/** A source read from `file` on first use; the revision from the name, else from the text. */
function fileSource(name: string, revisionFromName: string | undefined, file: string): YangSource {
  let text: string | undefined;
  const read = (): string => {
    if (text === undefined) {
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new YangError(`cannot read ${file}: ${(err as Error).message}`, undefined, { cause: err });
      }
    }
    return text;
  };
  const source: YangSource = {
    name,
    file,
    text: read,
    get revision(): string | undefined {
      return revisionFromName ?? newestRevision(parseSource(source));
    },
  };
  return source;
}

/** A source from a text in memory: the name and revision are read from the text (which must parse). */
export function yangSourceFromText(text: string, file: string): YangSource {
  const root = parseYang(text, file);
  const source: YangSource = { name: root.argument ?? '', revision: newestRevision(root), file, text: () => text };
  parsed.set(source, root);
  return source;
}
