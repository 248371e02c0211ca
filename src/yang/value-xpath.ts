import type { YangSchema } from './schema.js';
import { q, Refusal } from './value-refusal.js';

/**
 * Values of `ietf-yang-types:xpath1.0` (and typedefs derived from it, such as ietf-netconf-acm's
 * `node-instance-identifier`). libyang 2.1.30 has a type plugin for it: it parses the expression
 * (refusing what does not parse, unknown functions and unknown prefixes) and prints it back
 * re-spaced, with XML prefixes replaced by module names in JSON (and module names by prefixes in
 * XML). We do the same; the rules below were found by asking yanglint:
 *
 * - Spacing: `or and mod div * + - |` are written with one space on each side (unary minus too,
 *   so `1 - -2` becomes `1 -  - 2`); every other token is written without spaces.
 * - Names: in JSON a name is qualified with its module only when the module differs from the
 *   "current" one: the module of the last qualified name, reset by `or and mod div * + - |` to
 *   what it was when the enclosing `[…]` or `(…)` began (nothing at the top level), and restored
 *   when that bracket closes. Unqualified names stay unqualified and leave the current module
 *   alone. In XML every name with a known module gets its prefix.
 * - String literals that start with `prefix:` (a prefix in scope / a module name) have it
 *   rewritten too (they may be identityref values: `derived-from(., "ianaift:ethernetCsmacd")`).
 * - Variables lose their `$` (a libyang quirk we copy so that output matches); `$p:v` is refused.
 */

type TokenKind = 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'dot' | 'dotdot' | 'at' | 'comma' | 'axis-sep' | 'slash' | 'dslash' | 'op' | 'literal' | 'number' | 'name' | 'func' | 'axis' | 'var';

interface Token {
  readonly kind: TokenKind;
  /** The token as written (for names: the local part; for literals: including quotes). */
  readonly text: string;
  /** The prefix of a qualified name, variable or `prefix:*`. */
  readonly prefix?: string;
}

/** Operators written with a space on each side; they also reset the current module. */
const SPACED = new Set(['or', 'and', 'mod', 'div', '*', '+', '-', '|']);
const AXES = new Set([
  'ancestor', 'ancestor-or-self', 'attribute', 'child', 'descendant', 'descendant-or-self', 'following', 'following-sibling',
  'namespace', 'parent', 'preceding', 'preceding-sibling', 'self',
]);
const NODE_TYPES = new Set(['node', 'text', 'comment']);
/** XPath 1.0 core functions and YANG 1.1's (RFC 7950 §10); libyang knows no others. */
const FUNCTIONS = new Set([
  'last', 'position', 'count', 'id', 'local-name', 'namespace-uri', 'name', 'string', 'concat', 'starts-with', 'contains',
  'substring-before', 'substring-after', 'substring', 'string-length', 'normalize-space', 'translate', 'boolean', 'not', 'true',
  'false', 'lang', 'number', 'sum', 'floor', 'ceiling', 'round',
  'current', 're-match', 'deref', 'derived-from', 'derived-from-or-self', 'enum-value', 'bit-is-set',
]);

const NCNAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]*)?|\.[0-9]+/y;

/** Splits an expression into tokens (XPath 1.0 §3.7, with its operator/name disambiguation). */
function tokenize(text: string): Token[] | Refusal {
  const tokens: Token[] = [];
  let i = 0;
  const bad = (why: string): Refusal => new Refusal(`invalid XPath expression ${q(text)}: ${why}`);
  // After these (or at the start) a `*` is a name test and an NCName a name, not an operator.
  const operandExpected = (): boolean => {
    const last = tokens[tokens.length - 1];
    return !last || ['at', 'axis-sep', 'lparen', 'lbracket', 'comma', 'op', 'slash', 'dslash'].includes(last.kind);
  };
  const nextNonSpace = (from: number): string => {
    let j = from;
    while (j < text.length && ' \t\n\r'.includes(text[j] as string)) j++;
    return text.slice(j, j + 2);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (' \t\n\r'.includes(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (c === '(') tokens.push({ kind: 'lparen', text: c });
    else if (c === ')') tokens.push({ kind: 'rparen', text: c });
    else if (c === '[') tokens.push({ kind: 'lbracket', text: c });
    else if (c === ']') tokens.push({ kind: 'rbracket', text: c });
    else if (c === ',') tokens.push({ kind: 'comma', text: c });
    else if (c === '@') tokens.push({ kind: 'at', text: c });
    else if (two === '::') {
      tokens.push({ kind: 'axis-sep', text: two });
      i += 2;
      continue;
    } else if (two === '//') {
      tokens.push({ kind: 'dslash', text: two });
      i += 2;
      continue;
    } else if (c === '/') tokens.push({ kind: 'slash', text: c });
    else if (two === '..') {
      tokens.push({ kind: 'dotdot', text: two });
      i += 2;
      continue;
    } else if (c === '.' && !/[0-9]/.test(text[i + 1] ?? '')) tokens.push({ kind: 'dot', text: c });
    else if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two });
      i += 2;
      continue;
    } else if ('=<>+-|'.includes(c)) tokens.push({ kind: 'op', text: c });
    else if (c === '*') tokens.push(operandExpected() ? { kind: 'name', text: '*' } : { kind: 'op', text: '*' });
    else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return bad('unterminated literal');
      tokens.push({ kind: 'literal', text: text.slice(i, end + 1) });
      i = end + 1;
      continue;
    } else if (/[0-9.]/.test(c)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) return bad(`unexpected ${q(c)}`);
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
      continue;
    } else if (c === '$' || /[A-Za-z_]/.test(c)) {
      const variable = c === '$';
      NCNAME.lastIndex = variable ? i + 1 : i;
      const m = NCNAME.exec(text);
      if (!m) return bad(`unexpected ${q(c)}`);
      let j = NCNAME.lastIndex;
      let prefix: string | undefined;
      let local = m[0];
      if (text[j] === ':' && text[j + 1] !== ':') {
        if (text[j + 1] === '*' && !variable) {
          tokens.push({ kind: 'name', text: '*', prefix: local });
          i = j + 2;
          continue;
        }
        NCNAME.lastIndex = j + 1;
        const m2 = NCNAME.exec(text);
        if (!m2) return bad(`invalid name at character ${j + 2}`);
        prefix = local;
        local = m2[0];
        j = NCNAME.lastIndex;
      }
      if (variable) tokens.push(prefix === undefined ? { kind: 'var', text: local } : { kind: 'var', text: local, prefix });
      else if (prefix === undefined && !operandExpected() && ['and', 'or', 'mod', 'div'].includes(local)) tokens.push({ kind: 'op', text: local });
      else if (prefix === undefined && nextNonSpace(j).startsWith('::')) {
        if (!AXES.has(local)) return bad(`unknown axis ${q(local)}`);
        tokens.push({ kind: 'axis', text: local });
      } else if (prefix === undefined && nextNonSpace(j).startsWith('(')) {
        if (!FUNCTIONS.has(local) && !NODE_TYPES.has(local)) return bad(`unknown function ${q(local)}`);
        tokens.push({ kind: 'func', text: local });
      } else tokens.push(prefix === undefined ? { kind: 'name', text: local } : { kind: 'name', text: local, prefix });
      i = j;
      continue;
    } else return bad(`unexpected ${q(c)}`);
    i++;
  }
  return tokens;
}

/** Checks the token sequence against the XPath 1.0 grammar (recursive descent). */
class Checker {
  private i = 0;
  constructor(private readonly t: readonly Token[]) {}

  check(): string | undefined {
    if (this.t.length === 0) return 'empty expression';
    if (!this.expr()) return `unexpected ${this.here()}`;
    return this.i === this.t.length ? undefined : `unexpected ${this.here()}`;
  }

  private here(): string {
    const tok = this.t[this.i];
    return tok ? q(tok.prefix ? `${tok.prefix}:${tok.text}` : tok.text) : 'end';
  }

  private peek(): Token | undefined {
    return this.t[this.i];
  }

  private isOp(...ops: string[]): boolean {
    const tok = this.t[this.i];
    return tok !== undefined && tok.kind === 'op' && ops.includes(tok.text);
  }

  private binary(ops: string[], operand: () => boolean): boolean {
    if (!operand()) return false;
    while (this.isOp(...ops)) {
      this.i++;
      if (!operand()) return false;
    }
    return true;
  }

  private expr(): boolean {
    return this.binary(['or'], () => this.binary(['and'], () => this.binary(['=', '!='], () => this.binary(['<', '>', '<=', '>='], () => this.binary(['+', '-'], () => this.binary(['*', 'div', 'mod'], () => this.unary()))))));
  }

  private unary(): boolean {
    while (this.isOp('-')) this.i++;
    return this.binary(['|'], () => this.path());
  }

  private path(): boolean {
    const tok = this.peek();
    if (!tok) return false;
    if (tok.kind === 'slash') {
      this.i++;
      // `/` alone is the root; a step may follow
      if (this.startsStep()) return this.relative();
      return true;
    }
    if (tok.kind === 'dslash') {
      this.i++;
      return this.relative();
    }
    if (tok.kind === 'var' || tok.kind === 'lparen' || tok.kind === 'literal' || tok.kind === 'number' || (tok.kind === 'func' && !NODE_TYPES.has(tok.text))) {
      if (!this.primary()) return false;
      while (this.peek()?.kind === 'lbracket') if (!this.predicate()) return false;
      const next = this.peek();
      if (next?.kind === 'slash' || next?.kind === 'dslash') {
        this.i++;
        return this.relative();
      }
      return true;
    }
    return this.relative();
  }

  private primary(): boolean {
    const tok = this.t[this.i++] as Token;
    if (tok.kind === 'lparen') {
      if (!this.expr()) return false;
      return this.t[this.i++]?.kind === 'rparen';
    }
    if (tok.kind === 'func') {
      if (this.t[this.i++]?.kind !== 'lparen') return false;
      if (this.peek()?.kind === 'rparen') {
        this.i++;
        return true;
      }
      for (;;) {
        if (!this.expr()) return false;
        const next = this.t[this.i++];
        if (next?.kind === 'rparen') return true;
        if (next?.kind !== 'comma') return false;
      }
    }
    return true; // var, literal, number
  }

  private startsStep(): boolean {
    const k = this.peek()?.kind;
    return k === 'name' || k === 'dot' || k === 'dotdot' || k === 'at' || k === 'axis' || (k === 'func' && NODE_TYPES.has(this.peek()!.text));
  }

  private relative(): boolean {
    if (!this.step()) return false;
    while (this.peek()?.kind === 'slash' || this.peek()?.kind === 'dslash') {
      this.i++;
      if (!this.step()) return false;
    }
    return true;
  }

  private step(): boolean {
    const tok = this.peek();
    if (!tok) return false;
    if (tok.kind === 'dot' || tok.kind === 'dotdot') {
      this.i++;
      return true;
    }
    if (tok.kind === 'at') this.i++;
    else if (tok.kind === 'axis') {
      this.i++;
      if (this.t[this.i++]?.kind !== 'axis-sep') return false;
    }
    const test = this.t[this.i++];
    if (!test) return false;
    if (test.kind === 'func' && NODE_TYPES.has(test.text)) {
      if (this.t[this.i++]?.kind !== 'lparen' || this.t[this.i++]?.kind !== 'rparen') return false;
    } else if (test.kind !== 'name') return false;
    while (this.peek()?.kind === 'lbracket') if (!this.predicate()) return false;
    return true;
  }

  private predicate(): boolean {
    this.i++;
    if (!this.expr()) return false;
    return this.t[this.i++]?.kind === 'rbracket';
  }
}

/** Tokenizes and checks an expression. */
function parse(text: string): Token[] | Refusal {
  const tokens = tokenize(text);
  if (tokens instanceof Refusal) return tokens;
  for (const t of tokens) if (t.kind === 'var' && t.prefix !== undefined) return new Refusal(`invalid XPath expression ${q(text)}: variable with a prefix`);
  const why = new Checker(tokens).check();
  return why === undefined ? tokens : new Refusal(`invalid XPath expression ${q(text)}: ${why}`);
}

const LITERAL_PREFIX = /^([A-Za-z_][A-Za-z0-9_.-]*):/;

/**
 * Writes tokens back with libyang's spacing. `nameOf(prefix, local, current)` writes a name test,
 * reading and updating the current module; `literalPrefix(prefix)` gives what replaces a
 * literal's leading `prefix:` (undefined: left alone).
 */
function print(
  tokens: readonly Token[],
  nameOf: (prefix: string | undefined, local: string, current: { module: string | undefined }) => string | Refusal,
  literalPrefix: (prefix: string) => string | undefined,
): string | Refusal {
  let out = '';
  const current: { module: string | undefined } = { module: undefined };
  // per open bracket: the module current when it opened (restored at its close, and what a
  // reset inside it goes back to)
  const bases: Array<string | undefined> = [];
  let base: string | undefined;
  for (const t of tokens) {
    switch (t.kind) {
      case 'lparen':
      case 'lbracket':
        bases.push(base);
        base = current.module;
        out += t.text;
        break;
      case 'rparen':
      case 'rbracket':
        current.module = base;
        base = bases.pop();
        out += t.text;
        break;
      case 'op':
        if (SPACED.has(t.text)) {
          out += ` ${t.text} `;
          current.module = base;
        } else out += t.text;
        break;
      case 'name': {
        const n = nameOf(t.prefix, t.text, current);
        if (n instanceof Refusal) return n;
        out += n;
        break;
      }
      case 'var':
        out += t.text;
        break;
      case 'literal': {
        const m = LITERAL_PREFIX.exec(t.text.slice(1));
        const replaced = m ? literalPrefix(m[1] as string) : undefined;
        out += replaced === undefined ? t.text : `${t.text[0]}${replaced}:${t.text.slice(1 + (m as RegExpExecArray)[0].length)}`;
        break;
      }
      default:
        out += t.text;
    }
  }
  return out;
}

/** An xpath1.0 value in XML (prefixes in scope) → RFC 7951 (module names), as libyang prints it. */
export function xpathFromXml(text: string, namespaceOf: (prefix: string) => string | undefined, schema: YangSchema): string | Refusal {
  const tokens = parse(text);
  if (tokens instanceof Refusal) return tokens;
  const moduleOf = (prefix: string): string | undefined => {
    const ns = namespaceOf(prefix);
    return ns === undefined ? undefined : schema.byNamespace.get(ns)?.name;
  };
  return print(
    tokens,
    (prefix, local, current) => {
      if (prefix === undefined) return local;
      const module = moduleOf(prefix);
      if (module === undefined) return new Refusal(`invalid XPath expression ${q(text)}: unknown prefix ${q(prefix)}`);
      if (module === current.module) return local;
      current.module = module;
      return `${module}:${local}`;
    },
    moduleOf,
  );
}

/** An xpath1.0 value in RFC 7951 form (module names) → XML, declaring the prefixes it uses. */
export function xpathToXml(value: string, schema: YangSchema, declare: (namespace: string, preferredPrefix: string) => string): string | Refusal {
  const tokens = parse(value);
  if (tokens instanceof Refusal) return tokens;
  const prefixOf = (module: string): string | undefined => {
    const mod = schema.modules.get(module);
    return mod ? declare(mod.namespace, mod.prefix) : undefined;
  };
  return print(
    tokens,
    (prefix, local, current) => {
      const module = prefix ?? current.module;
      if (module === undefined) return local;
      const p = prefixOf(module);
      if (p === undefined) return new Refusal(`invalid XPath expression ${q(value)}: unknown module ${q(module)}`);
      current.module = module;
      return `${p}:${local}`;
    },
    prefixOf,
  );
}
