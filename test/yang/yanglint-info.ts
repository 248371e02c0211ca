/**
 * Test helper: compares our compiled modules with libyang's compiled form as `yanglint -f info`
 * prints it (a YANG-like text of the compiled tree: every node with its effective config,
 * mandatory, defaults, keys, min/max-elements, and its type flattened to the built-in type with
 * the effective restrictions). The text is read with our own parser.
 */
import { parseYang } from '../../src/yang/parser.js';
import type { CompiledModule, Interval, SchemaNode, YangSchema, YangType } from '../../src/yang/schema.js';
import type { Statement } from '../../src/yang/statement.js';

/** The modules of a `yanglint -f info` output, by name. */
export function parseInfo(text: string): Map<string, Statement> {
  const out = new Map<string, Statement>();
  const starts = [...text.matchAll(/^module \S+ \{$/gm)].map((m) => m.index);
  starts.forEach((start, i) => {
    // libyang's `derived` (identities) is not a YANG keyword: read it as an extension statement.
    const chunk = text.slice(start, starts[i + 1] ?? text.length).replace(/^(\s*)derived\b/gm, '$1yanglint:derived')
      // …and its `unique` is printed with an unbalanced quote, comma-separated.
      .replace(/^(\s*)unique "?([^"\n]*?)"?;$/gm, (_, sp: string, list: string) => `${sp}unique "${list.replace(/,\s*/g, ' ')}";`);
    const root = parseYang(chunk, 'yanglint-info');
    out.set(root.argument!, root);
  });
  return out;
}

const NODE_KEYWORDS = new Set(['container', 'list', 'leaf', 'leaf-list', 'choice', 'case', 'anydata', 'anyxml', 'rpc', 'action', 'input', 'output', 'notification']);

const args = (s: Statement, kw: string): string[] => s.substatements.filter((c) => c.keyword === kw).map((c) => c.argument ?? '');
const arg = (s: Statement, kw: string): string | undefined => s.substatements.find((c) => c.keyword === kw)?.argument;

/** libyang's type text, normalized. */
function infoType(t: Statement): string {
  const parts: string[] = [];
  for (const s of t.substatements) {
    switch (s.keyword) {
      case 'range':
      case 'length':
      case 'fraction-digits':
      case 'require-instance':
        parts.push(`${s.keyword}=${s.argument}`);
        break;
      case 'path':
        parts.push(`path=${s.argument}`);
        break;
      case 'pattern':
        parts.push(`pattern=${s.argument}${arg(s, 'modifier') === 'invert-match' ? '!' : ''}`);
        break;
      case 'enum':
        parts.push(`enum=${s.argument}:${arg(s, 'value')}`);
        break;
      case 'bit':
        parts.push(`bit=${s.argument}:${arg(s, 'position')}`);
        break;
      case 'base':
        parts.push(`base=${s.argument!.slice(s.argument!.indexOf(':') + 1)}`);
        break;
      case 'type':
        parts.push(`type=${infoType(s)}`);
        break;
      default:
        break;
    }
  }
  return `${t.argument}{${parts.join(';')}}`;
}

/** Interval list as libyang prints it. */
function intervals(list: readonly Interval[]): string {
  return list.map(([a, b]) => (a === b ? String(a) : `${a}..${b}`)).join(' | ');
}

/** Our type, in the same normalized text. */
function ourType(t: YangType): string {
  const parts: string[] = [];
  switch (t.kind) {
    case 'decimal64':
      parts.push(`fraction-digits=${t.fractionDigits}`);
      // libyang 2.1.30's printer shows decimal64 ranges scaled (as stored).
      if (t.range) parts.push(`range=${intervals(t.range)}`);
      break;
    case 'string':
      if (t.length) parts.push(`length=${intervals(t.length)}`);
      for (const p of t.patterns) parts.push(`pattern=${p.source}${p.invert ? '!' : ''}`);
      break;
    case 'binary':
      if (t.length) parts.push(`length=${intervals(t.length)}`);
      break;
    case 'enumeration':
      for (const [n, v] of t.enums) parts.push(`enum=${n}:${v}`);
      break;
    case 'bits':
      for (const [n, v] of t.bits) parts.push(`bit=${n}:${v}`);
      break;
    case 'identityref':
      for (const b of t.bases) parts.push(`base=${b.name}`);
      break;
    case 'instance-identifier':
      parts.push(`require-instance=${t.requireInstance}`);
      break;
    case 'leafref':
      parts.push(`path=${t.path}`, `require-instance=${t.requireInstance}`, `type=${ourType(t.targetType)}`);
      break;
    case 'union':
      for (const m of t.types) parts.push(`type=${ourType(m)}`);
      break;
    case 'boolean':
    case 'empty':
      break;
    default:
      if (t.range) parts.push(`range=${intervals(t.range)}`);
  }
  return `${t.kind}{${parts.join(';')}}`;
}

/** Compares one of our nodes with libyang's statement; pushes differences. */
function compareNode(ours: SchemaNode, info: Statement, path: string, schema: YangSchema, diffs: string[], inOperation: boolean): void {
  const d = (what: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${path}: ${what}: libyang ${JSON.stringify(a)} ours ${JSON.stringify(b)}`);
  };
  d('kind', info.keyword, ours.kind);
  if (!inOperation && ours.kind !== 'case' && ours.kind !== 'choice' && ours.kind !== 'rpc' && ours.kind !== 'notification' && ours.kind !== 'action') {
    const c = arg(info, 'config');
    if (c !== undefined) d('config', c === 'true', ours.config);
  }
  if (ours.kind === 'leaf' || ours.kind === 'choice' || ours.kind === 'anydata' || ours.kind === 'anyxml') d('mandatory', arg(info, 'mandatory') === 'true', ours.mandatory);
  d('status', arg(info, 'status') ?? 'current', ours.status);
  // libyang prints defaults in canonical form (identityrefs module-qualified); ours are as written.
  const local = (v: string): string => (ours.type?.kind === 'identityref' ? v.slice(v.indexOf(':') + 1) : v);
  if (ours.kind === 'leaf' || ours.kind === 'leaf-list' || ours.kind === 'choice') d('default', args(info, 'default').map(local), ours.defaults.map(local));
  // libyang 2.1.30 prints the keys without separators.
  if (ours.kind === 'list') d('key', arg(info, 'key') ?? '', ours.keys.join(''));
  // libyang prints each unique node by its name alone.
  if (ours.kind === 'list') d('unique', args(info, 'unique'), ours.unique.map((u) => u.map((p) => p.slice(p.lastIndexOf('/') + 1).replace(/^.*:/, '')).join(' ')));
  if (ours.kind === 'list' || ours.kind === 'leaf-list') {
    d('min-elements', Number(arg(info, 'min-elements') ?? 0), ours.minElements);
    d('max-elements', Number(arg(info, 'max-elements') ?? 4294967295), ours.maxElements === Infinity ? 4294967295 : ours.maxElements);
    d('ordered-by', arg(info, 'ordered-by') ?? 'system', ours.orderedBy);
  }
  if (ours.kind === 'container') d('presence', arg(info, 'presence') !== undefined, ours.presence !== undefined);
  if (ours.kind === 'leaf' || ours.kind === 'leaf-list') {
    d('units', arg(info, 'units'), ours.units);
    const t = info.substatements.find((s) => s.keyword === 'type');
    d('type', t ? infoType(t) : undefined, ours.type ? ourType(ours.type) : undefined);
  }
  d('must', args(info, 'must'), ours.must);
  d('when', args(info, 'when'), ours.when);
  const ext = info.substatements.filter((s) => s.keyword.includes(':')).map((s) => s.keyword);
  const ourExt = ours.extensions.map((s) => {
    const [p, n] = s.keyword.split(':');
    const mod = [...schema.modules.values()].find((m) => m.prefix === p);
    return `${mod?.name ?? p}:${n}`;
  });
  // libyang's NACM plugin copies default-deny-* down the tree: ours must be among libyang's.
  const missing = ourExt.filter((e) => !ext.includes(e));
  if (missing.length > 0) diffs.push(`${path}: extensions ${missing.join(', ')} not in libyang's`);
  compareChildren(ours.children, info, path, schema, diffs, inOperation || ours.kind === 'rpc' || ours.kind === 'action' || ours.kind === 'notification');
}

function compareChildren(ours: readonly SchemaNode[], info: Statement, path: string, schema: YangSchema, diffs: string[], inOperation: boolean): void {
  const theirs = info.substatements.filter((s) => NODE_KEYWORDS.has(s.keyword));
  // libyang keeps actions and notifications in lists of their own, printed after the data nodes.
  const op = (n: SchemaNode): boolean => n.kind === 'action' || n.kind === 'notification';
  const kept = ours.filter((n) => !((n.kind === 'input' || n.kind === 'output') && n.children.length === 0));
  const mine = path.split('/').length > 2 ? [...kept.filter((n) => !op(n)), ...kept.filter(op)] : kept;
  const a = theirs.map((s) => `${s.keyword} ${s.argument ?? ''}`.trim());
  const b = mine.map((n) => (n.kind === 'input' || n.kind === 'output' ? n.kind : `${n.kind} ${n.name}`));
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    diffs.push(`${path}: children: libyang ${JSON.stringify(a)} ours ${JSON.stringify(b)}`);
    return;
  }
  mine.forEach((n, i) => compareNode(n, theirs[i]!, `${path}/${n.name}`, schema, diffs, inOperation));
}

/** Differences between our module and libyang's (empty when they agree). */
export function compareWithInfo(schema: YangSchema, module: CompiledModule, info: Statement): string[] {
  const diffs: string[] = [];
  const top = [...module.data, ...module.rpcs, ...module.notifications];
  // libyang prints the nodes in source order, rpcs and notifications mixed with data.
  const order = info.substatements.filter((s) => NODE_KEYWORDS.has(s.keyword)).map((s) => s.argument);
  top.sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name));
  compareChildren(top, info, `/${module.name}`, schema, diffs, false);
  const idents = info.substatements.filter((s) => s.keyword === 'identity');
  for (const s of idents) {
    const ours = module.identities.get(s.argument!);
    if (!ours) diffs.push(`identity ${s.argument} missing`);
    else {
      // libyang prints the directly derived identities (not the bases), qualified by prefix
      // when from another module; ours are transitive: compare the direct ones.
      const byPrefix = new Map([...schema.modules.values()].map((m) => [m.prefix, m.name]));
      const da = args(s, 'yanglint:derived').map((x) => (x.includes(':') ? `${byPrefix.get(x.split(':')[0]!)}:${x.split(':')[1]}` : `${module.name}:${x}`)).sort();
      const db = [...ours.derived].filter((x) => x.bases.includes(ours)).map((x) => `${x.module}:${x.name}`).sort();
      const transitive = new Set<string>();
      const walk = (id: typeof ours): void => {
        for (const x of schema.modules.values()) for (const y of x.identities.values()) if (y.bases.includes(id) && !transitive.has(`${y.module}:${y.name}`)) { transitive.add(`${y.module}:${y.name}`); walk(y); }
      };
      walk(ours);
      const all = [...ours.derived].map((x) => `${x.module}:${x.name}`).sort();
      if (JSON.stringify(all) !== JSON.stringify([...transitive].sort())) diffs.push(`identity ${s.argument}: derived is not the transitive closure`);
      if (JSON.stringify(da) !== JSON.stringify(db)) diffs.push(`identity ${s.argument}: derived libyang ${da} ours ${db}`);
    }
  }
  if (idents.length !== module.identities.size) diffs.push(`identities: libyang ${idents.length} ours ${module.identities.size}`);
  return diffs;
}
