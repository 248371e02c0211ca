/**
 * The YANG parser: text → the generic {@link Statement} tree (RFC 7950 §6.3), nothing resolved.
 * Iterative (an explicit stack), so a deeply nested or hostile text cannot overflow the call
 * stack; the depth is bounded all the same.
 */
import { YangError } from './errors.js';
import { YangLexer, type YangToken } from './lexer.js';
import type { SourceLocation, Statement } from './statement.js';

/** Deepest statement nesting accepted: far beyond any real module, well within the compiler's stack. */
export const MAX_STATEMENT_DEPTH = 500;

/** The YANG 1.1 keywords (RFC 7950 §14), plus YANG 1.0's. Anything else must be `prefix:name`. */
const KEYWORDS = new Set([
  'action', 'anydata', 'anyxml', 'argument', 'augment', 'base', 'belongs-to', 'bit', 'case', 'choice', 'config',
  'contact', 'container', 'default', 'description', 'deviate', 'deviation', 'enum', 'error-app-tag',
  'error-message', 'extension', 'feature', 'fraction-digits', 'grouping', 'identity', 'if-feature', 'import',
  'include', 'input', 'key', 'leaf', 'leaf-list', 'length', 'list', 'mandatory', 'max-elements', 'min-elements',
  'modifier', 'module', 'must', 'namespace', 'notification', 'ordered-by', 'organization', 'output', 'path',
  'pattern', 'position', 'prefix', 'presence', 'range', 'reference', 'refine', 'require-instance', 'revision',
  'revision-date', 'rpc', 'status', 'submodule', 'type', 'typedef', 'unique', 'units', 'uses', 'value', 'when',
  'yang-version', 'yin-element',
]);

/** Keywords that take no argument. */
const NO_ARGUMENT = new Set(['input', 'output']);

/** An identifier (RFC 7950 §14 `identifier`), optionally prefixed. */
const KEYWORD_RE = /^(?:[A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A statement under construction. */
interface Building {
  keyword: string;
  argument: string | undefined;
  substatements: Statement[];
  loc: SourceLocation;
  /** Inside an extension's body, any keyword is accepted (it is the extension's business). */
  inExtension: boolean;
}

/**
 * Parses one YANG module or submodule. Returns its root statement (`module` or `submodule`);
 * throws {@link YangError} (message starting `file:line:column:`) on a syntax error.
 */
export function parseYang(text: string, file: string): Statement {
  const lexer = new YangLexer(text, file);
  const stack: Building[] = [];
  let root: Statement | undefined;

  for (;;) {
    const tok = lexer.next();
    if (tok.kind === 'eof') {
      if (stack.length > 0) throw new YangError(`unexpected end of text: "${stack[stack.length - 1]!.keyword}" not closed`, tok.loc);
      if (!root) throw new YangError('empty text: expected "module" or "submodule"', tok.loc);
      break;
    }
    if (tok.kind === '}') {
      const done = stack.pop();
      if (!done) throw new YangError('unexpected "}"', tok.loc);
      const stmt = freeze(done);
      if (stack.length === 0) root = stmt;
      else stack[stack.length - 1]!.substatements.push(stmt);
      continue;
    }
    if (tok.kind !== 'string') throw new YangError(`unexpected "${tok.kind}": expected a keyword`, tok.loc);
    if (root) throw new YangError(`unexpected "${tok.text}" after the end of the ${root.keyword}`, tok.loc);

    // The keyword.
    const parent = stack[stack.length - 1];
    const inExtension = parent !== undefined && (parent.inExtension || parent.keyword.includes(':'));
    if (tok.quoted || !KEYWORD_RE.test(tok.text)) throw new YangError(`invalid keyword "${tok.text}"`, tok.loc);
    const keyword = tok.text;
    if (!keyword.includes(':') && !KEYWORDS.has(keyword) && !inExtension) throw new YangError(`unknown keyword "${keyword}"`, tok.loc);
    if (!parent && keyword !== 'module' && keyword !== 'submodule') {
      throw new YangError(`expected "module" or "submodule", found "${keyword}"`, tok.loc);
    }

    // The argument, if any, then `;` or `{`.
    let next: YangToken = lexer.next();
    let argument: string | undefined;
    if (next.kind === 'string') {
      argument = next.text;
      next = lexer.next();
    }
    if (!inExtension && !keyword.includes(':')) {
      if (argument === undefined && !NO_ARGUMENT.has(keyword)) throw new YangError(`"${keyword}" needs an argument`, tok.loc);
      if (argument !== undefined && NO_ARGUMENT.has(keyword)) throw new YangError(`"${keyword}" takes no argument`, tok.loc);
    }
    const building: Building = { keyword, argument, substatements: [], loc: tok.loc, inExtension };
    if (next.kind === ';') {
      const stmt = freeze(building);
      if (!parent) root = stmt;
      else parent.substatements.push(stmt);
    } else if (next.kind === '{') {
      if (stack.length >= MAX_STATEMENT_DEPTH) throw new YangError(`statements nested deeper than ${MAX_STATEMENT_DEPTH}`, tok.loc);
      stack.push(building);
    } else {
      const what = next.kind === 'eof' ? 'end of text' : next.kind === 'string' ? `"${next.text}"` : `"${next.kind}"`;
      throw new YangError(`unexpected ${what} after "${keyword}": expected ";" or "{"`, next.loc);
    }
  }
  return root;
}

function freeze(b: Building): Statement {
  return { keyword: b.keyword, argument: b.argument, substatements: b.substatements, loc: b.loc };
}

/** The first substatement with `keyword`, if any. */
export function substatement(stmt: Statement, keyword: string): Statement | undefined {
  for (const s of stmt.substatements) if (s.keyword === keyword) return s;
  return undefined;
}

/** The argument of the first substatement with `keyword`, if any. */
export function subArgument(stmt: Statement, keyword: string): string | undefined {
  for (const s of stmt.substatements) if (s.keyword === keyword) return s.argument;
  return undefined;
}

/** Every substatement with `keyword`, in order. */
export function substatements(stmt: Statement, keyword: string): Statement[] {
  const out: Statement[] = [];
  for (const s of stmt.substatements) if (s.keyword === keyword) out.push(s);
  return out;
}
