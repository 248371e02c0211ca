/**
 * The XPath subset of the simulator's `type="xpath"` filters (`:xpath` capability).
 *
 * Supported:
 * - absolute location paths: `/a/b`, `//b` (descendants at any depth), `/` (everything), and
 *   unions `p1 | p2`;
 * - name tests `prefix:name`, `name`, `*`, `prefix:*`; prefixes resolve through the namespace
 *   declarations in scope on the `<filter>` element; an unprefixed name matches any namespace
 *   (as most NETCONF servers do, unlike strict XPath 1.0);
 * - `.` as a step (self);
 * - predicates: `[name='value']`, `[p:name="value"]`, `[a/b='v']` (relative child paths),
 *   `[.='value']`, `!=`, numbers compared numerically (`[mtu=1500]`), existence `[name]`,
 *   positions `[1]`, `and` / `or` and parentheses, several predicates in a row.
 *
 * Not supported: other axes (`..`, `@attr`, `ancestor::` …), functions, arithmetic, variables.
 * An expression outside the subset is refused with an `invalid-value` error.
 *
 * The reply holds the selected nodes whole, their ancestors, and the key leaves of ancestor list
 * entries.
 * @module
 */
import { rpcErrors } from './errors.js';
import { elementsOf } from './xml.js';
import type { XmlElement } from '../index.js';

type Token =
  | { t: 'op'; v: '/' | '//' | '[' | ']' | '=' | '!=' | '|' | '(' | ')' | '.' | '*' }
  | { t: 'name'; prefix: string | undefined; local: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number };

interface NameTest {
  namespace: string | undefined;
  local: string;
}

type Operand = { kind: 'literal'; value: string | number } | { kind: 'path'; steps: Array<NameTest | 'self'> };

type Expr =
  | { kind: 'or' | 'and'; left: Expr; right: Expr }
  | { kind: 'cmp'; op: '=' | '!='; left: Operand; right: Operand }
  | { kind: 'test'; operand: Operand }
  | { kind: 'position'; index: number };

interface Step {
  axis: 'child' | 'descendant';
  test: NameTest | 'self';
  predicates: Expr[];
}

function invalid(select: string, why: string): Error {
  return rpcErrors.invalidValue(`unsupported or invalid XPath ${JSON.stringify(select)}: ${why}`, 'filter');
}

function tokenize(select: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\/\/|\/|\[|\]|!=|=|\||\(|\)|\.(?!\d)|\*)|('[^']*'|"[^"]*")|(\d+(?:\.\d+)?|\.\d+)|([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*|\*))?)/y;
  let at = 0;
  while (at < select.length) {
    if (/^\s*$/.test(select.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(select);
    if (!m) throw invalid(select, `unexpected text at ${JSON.stringify(select.slice(at, at + 20))}`);
    at = re.lastIndex;
    if (m[1] !== undefined) out.push({ t: 'op', v: m[1] as '/' });
    else if (m[2] !== undefined) out.push({ t: 'str', v: m[2].slice(1, -1) });
    else if (m[3] !== undefined) out.push({ t: 'num', v: Number(m[3]) });
    else if (m[5] !== undefined) out.push({ t: 'name', prefix: m[4], local: m[5] });
    else out.push({ t: 'name', prefix: undefined, local: m[4] as string });
  }
  return out;
}

class Parser {
  #tokens: Token[];
  #i = 0;
  readonly #select: string;
  readonly #namespaces: ReadonlyMap<string, string>;

  constructor(select: string, namespaces: ReadonlyMap<string, string>) {
    this.#select = select;
    this.#namespaces = namespaces;
    this.#tokens = tokenize(select);
  }

  parse(): Step[][] {
    const paths = [this.#path()];
    while (this.#isOp('|')) {
      this.#i++;
      paths.push(this.#path());
    }
    if (this.#i < this.#tokens.length) throw invalid(this.#select, 'unexpected token after the expression');
    return paths;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#i];
  }

  #isOp(v: string): boolean {
    const t = this.#peek();
    return t?.t === 'op' && t.v === v;
  }

  #expectOp(v: string): void {
    if (!this.#isOp(v)) throw invalid(this.#select, `expected '${v}'`);
    this.#i++;
  }

  #path(): Step[] {
    if (!this.#isOp('/') && !this.#isOp('//')) throw invalid(this.#select, 'only absolute location paths are supported');
    const steps: Step[] = [];
    while (this.#isOp('/') || this.#isOp('//')) {
      const axis = (this.#tokens[this.#i++] as { v: string }).v === '//' ? 'descendant' : 'child';
      const next = this.#peek();
      if (axis === 'child' && steps.length === 0 && (next === undefined || (next.t === 'op' && (next.v === '|' || next.v === ')')))) return []; // "/"
      const test = this.#nameTest(true);
      const predicates: Expr[] = [];
      while (this.#isOp('[')) {
        this.#i++;
        predicates.push(this.#predicate());
        this.#expectOp(']');
      }
      steps.push({ axis, test, predicates });
    }
    return steps;
  }

  #nameTest(allowSelf: boolean): NameTest | 'self' {
    const t = this.#peek();
    if (t?.t === 'op' && t.v === '.' && allowSelf) {
      this.#i++;
      return 'self';
    }
    if (t?.t === 'op' && t.v === '*') {
      this.#i++;
      return { namespace: undefined, local: '*' };
    }
    if (t?.t !== 'name') throw invalid(this.#select, 'expected a name');
    this.#i++;
    if (t.prefix === undefined) return { namespace: undefined, local: t.local };
    const namespace = this.#namespaces.get(t.prefix);
    if (namespace === undefined) throw invalid(this.#select, `prefix '${t.prefix}' is not declared on the filter`);
    return { namespace, local: t.local };
  }

  #predicate(): Expr {
    const t = this.#peek();
    const after = this.#tokens[this.#i + 1];
    if (t?.t === 'num' && after?.t === 'op' && after.v === ']') {
      this.#i++;
      if (!Number.isInteger(t.v) || t.v < 1) throw invalid(this.#select, 'positions start at 1');
      return { kind: 'position', index: t.v };
    }
    return this.#or();
  }

  #or(): Expr {
    let left = this.#and();
    while (this.#isWord('or')) {
      this.#i++;
      left = { kind: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): Expr {
    let left = this.#condition();
    while (this.#isWord('and')) {
      this.#i++;
      left = { kind: 'and', left, right: this.#condition() };
    }
    return left;
  }

  #isWord(word: string): boolean {
    const t = this.#peek();
    return t?.t === 'name' && t.prefix === undefined && t.local === word;
  }

  #condition(): Expr {
    if (this.#isOp('(')) {
      this.#i++;
      const inner = this.#or();
      this.#expectOp(')');
      return inner;
    }
    const left = this.#operand();
    if (this.#isOp('=') || this.#isOp('!=')) {
      const op = (this.#tokens[this.#i++] as { v: '=' | '!=' }).v;
      return { kind: 'cmp', op, left, right: this.#operand() };
    }
    return { kind: 'test', operand: left };
  }

  #operand(): Operand {
    const t = this.#peek();
    if (t?.t === 'str' || t?.t === 'num') {
      this.#i++;
      return { kind: 'literal', value: t.v };
    }
    const steps: Array<NameTest | 'self'> = [this.#nameTest(true)];
    while (this.#isOp('/')) {
      this.#i++;
      steps.push(this.#nameTest(true));
    }
    return { kind: 'path', steps };
  }
}

function testMatches(test: NameTest, el: XmlElement): boolean {
  return (test.local === '*' || test.local === el.local) && (test.namespace === undefined || test.namespace === el.namespace);
}

function relative(node: XmlElement, steps: ReadonlyArray<NameTest | 'self'>): XmlElement[] {
  let current = [node];
  for (const step of steps) {
    if (step === 'self') continue;
    const next: XmlElement[] = [];
    for (const c of current) for (const e of elementsOf(c)) if (testMatches(step, e)) next.push(e);
    current = next;
  }
  return current;
}

type Value = { nodes: XmlElement[] } | { literal: string | number };

function valueOf(operand: Operand, node: XmlElement): Value {
  return operand.kind === 'literal' ? { literal: operand.value } : { nodes: relative(node, operand.steps) };
}

function equal(text: string, literal: string | number): boolean {
  return typeof literal === 'number' ? Number(text.trim()) === literal : text.trim() === literal;
}

function compare(op: '=' | '!=', a: Value, b: Value): boolean {
  const test = (x: string | number, y: string | number): boolean => {
    const eq = typeof x === 'number' || typeof y === 'number' ? Number(x) === Number(y) : x === y;
    return op === '=' ? eq : !eq;
  };
  if ('nodes' in a && 'nodes' in b) return a.nodes.some((x) => b.nodes.some((y) => test(x.textContent.trim(), y.textContent.trim())));
  if ('nodes' in a && 'literal' in b) return a.nodes.some((x) => (op === '=' ? equal(x.textContent, b.literal) : !equal(x.textContent, b.literal)));
  if ('literal' in a && 'nodes' in b) return compare(op, b, a);
  return test((a as { literal: string | number }).literal, (b as { literal: string | number }).literal);
}

function evaluate(expr: Expr, node: XmlElement, position: number): boolean {
  switch (expr.kind) {
    case 'or':
      return evaluate(expr.left, node, position) || evaluate(expr.right, node, position);
    case 'and':
      return evaluate(expr.left, node, position) && evaluate(expr.right, node, position);
    case 'position':
      return position === expr.index;
    case 'cmp':
      return compare(expr.op, valueOf(expr.left, node), valueOf(expr.right, node));
    case 'test': {
      const v = valueOf(expr.operand, node);
      return 'nodes' in v ? v.nodes.length > 0 : v.literal !== '' && v.literal !== 0;
    }
  }
}

function descendants(node: XmlElement, out: XmlElement[]): void {
  for (const c of elementsOf(node)) {
    out.push(c);
    descendants(c, out);
  }
}

/**
 * Evaluate an XPath filter over the children of `root` (the document's top-level nodes are the
 * root's children). Returns the selected elements; selecting `/` returns the top-level nodes.
 * @param namespaces - prefix → namespace, from the `<filter>` element's scope
 * @throws {@link NetconfServerError} `invalid-value` for an expression outside the subset
 */
export function xpathSelect(root: XmlElement, select: string, namespaces: ReadonlyMap<string, string>): XmlElement[] {
  if (!select.trim()) throw invalid(select, 'empty expression');
  const paths = new Parser(select, namespaces).parse();
  const result = new Set<XmlElement>();
  for (const steps of paths) {
    if (steps.length === 0) {
      for (const c of elementsOf(root)) result.add(c);
      continue;
    }
    let context: XmlElement[] = [root];
    for (const step of steps) {
      const next = new Set<XmlElement>();
      for (const c of context) {
        let candidates: XmlElement[];
        if (step.test === 'self') {
          candidates = [c];
          if (step.axis === 'descendant') descendants(c, candidates);
        } else {
          const pool: XmlElement[] = [];
          if (step.axis === 'child') pool.push(...elementsOf(c));
          else descendants(c, pool);
          const test = step.test;
          candidates = pool.filter((e) => testMatches(test, e));
        }
        for (const predicate of step.predicates) candidates = candidates.filter((e, i) => evaluate(predicate, e, i + 1));
        for (const e of candidates) if (e !== root) next.add(e);
      }
      context = [...next];
    }
    for (const e of context) result.add(e);
  }
  return [...result];
}
