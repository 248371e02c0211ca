/**
 * Features: the `--features` / `-F` specification (`module:feature,…`) and `if-feature`
 * expressions (RFC 7950 §7.20.2: `not`, `and`, `or`, parentheses, prefixed feature names).
 */
import { YangError } from './errors.js';
import type { SourceLocation } from './statement.js';

/**
 * Parses a feature specification `"m:f1,m:f2,n:g"` into module → enabled features. `"m:"` names a
 * module with no feature enabled, `"m:*"` one with all. As in yanglint's `-F m:f1,f2`, an item
 * without `:` is one more feature of the module named before it. Whitespace around items is ignored.
 */
export function parseFeatureSpec(spec: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    let feature: string;
    if (colon === -1) {
      if (!current) throw new YangError(`invalid feature "${item}": expected MODULE:FEATURE`);
      feature = item;
    } else {
      const module = item.slice(0, colon).trim();
      if (module === '') throw new YangError(`invalid feature "${item}": expected MODULE:FEATURE`);
      feature = item.slice(colon + 1).trim();
      current = out.get(module);
      if (!current) out.set(module, (current = []));
    }
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(feature) && feature !== '' && feature !== '*') throw new YangError(`invalid feature name "${feature}"`);
    if (feature !== '' && !current.includes(feature)) current.push(feature);
  }
  return out;
}

/** A parsed if-feature expression. */
export type IfFeatureExpr =
  | { readonly op: 'feature'; readonly prefix: string | undefined; readonly name: string }
  | { readonly op: 'not'; readonly arg: IfFeatureExpr }
  | { readonly op: 'and' | 'or'; readonly left: IfFeatureExpr; readonly right: IfFeatureExpr };

/**
 * Parses an if-feature argument. YANG 1.0 (`yang11` false) allows only a single feature name.
 * Precedence: `not` binds tighter than `and`, which binds tighter than `or`.
 */
export function parseIfFeature(text: string, loc: SourceLocation, yang11: boolean): IfFeatureExpr {
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const fail = (why: string): never => {
    throw new YangError(`invalid if-feature expression "${text}": ${why}`, loc);
  };
  const peek = (): string | undefined => tokens[i];
  const primary = (): IfFeatureExpr => {
    const t = tokens[i++];
    if (t === undefined) return fail('unexpected end');
    if (t === 'not') return { op: 'not', arg: primary() };
    if (t === '(') {
      const e = orExpr();
      if (tokens[i++] !== ')') fail('missing ")"');
      return e;
    }
    if (t === ')' || t === 'and' || t === 'or') return fail(`unexpected "${t}"`);
    const m = /^(?:([A-Za-z_][A-Za-z0-9_.-]*):)?([A-Za-z_][A-Za-z0-9_.-]*)$/.exec(t);
    if (!m) return fail(`invalid feature name "${t}"`);
    return { op: 'feature', prefix: m[1], name: m[2]! };
  };
  const andExpr = (): IfFeatureExpr => {
    let left = primary();
    while (peek() === 'and') {
      i++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): IfFeatureExpr => {
    let left = andExpr();
    while (peek() === 'or') {
      i++;
      left = { op: 'or', left, right: andExpr() };
    }
    return left;
  };
  if (tokens.length > 1000) fail('too long');
  const expr = orExpr();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}"`);
  if (!yang11 && expr.op !== 'feature') fail('YANG 1.0 allows only a feature name');
  return expr;
}

/** Evaluates an expression; `isEnabled` answers for one (prefix, name) feature reference. */
export function evaluateIfFeature(expr: IfFeatureExpr, isEnabled: (prefix: string | undefined, name: string) => boolean): boolean {
  switch (expr.op) {
    case 'feature':
      return isEnabled(expr.prefix, expr.name);
    case 'not':
      return !evaluateIfFeature(expr.arg, isEnabled);
    case 'and':
      return evaluateIfFeature(expr.left, isEnabled) && evaluateIfFeature(expr.right, isEnabled);
    case 'or':
      return evaluateIfFeature(expr.left, isEnabled) || evaluateIfFeature(expr.right, isEnabled);
  }
}
