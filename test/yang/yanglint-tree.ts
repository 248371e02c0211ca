/**
 * Test helper: the compiled tree as `yanglint -f tree` shows it, normalized to one comparable
 * line per node (`path flags marker keys type`), and the parser of yanglint's output into the
 * same form. Column alignment and if-feature annotations are left out.
 */
import { spawnSync } from 'node:child_process';
import type { SchemaNode, YangSchema } from '../../src/yang/schema.js';

/** Runs yanglint; fails (never skips) when it is missing or fails. */
export function yanglint(args: readonly string[]): string {
  const r = spawnSync('yanglint', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`yanglint could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`yanglint ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

/** yanglint's tree text → normalized lines (module sections, rpcs and notifications; augment sections skipped). */
export function parseYanglintTree(text: string): string[] {
  const out: string[] = [];
  let module = '';
  let section: 'data' | 'rpcs' | 'notifications' | 'skip' = 'skip';
  let stack: { col: number; path: string }[] = [];
  for (const line of text.split('\n')) {
    const mod = /^module: (\S+)/.exec(line);
    if (mod) {
      module = mod[1]!;
      section = 'data';
      stack = [];
      continue;
    }
    const head = /^\s+(rpcs|notifications):\s*$/.exec(line) ?? /^\s+(augment|grouping|yang-data)\b.*:\s*$/.exec(line);
    if (head) {
      section = head[1] === 'rpcs' || head[1] === 'notifications' ? head[1] : 'skip';
      stack = [];
      continue;
    }
    if (section === 'skip') continue;
    // `+` current, `x` deprecated, `o` obsolete; `----` is a node inside a notification.
    const m = /^([\s|]*)[+xo]--(rw|ro|-x|-w|-n|--|:)\s*(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const col = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.col >= col) stack.pop();
    let name = m[3]!;
    let rest = m[4]!.replace(/\s*\{[^}]*\}\?\s*$/, '').trim();
    let marker = '';
    const flags = m[2] === ':' ? 'case' : m[2] === '--' ? 'ro' : m[2]!;
    if (flags === 'case') name = name.replace(/^\(/, '').replace(/\)\??$/, '');
    else if (name.startsWith('(')) {
      marker = name.endsWith('?') ? '?' : '';
      name = name.replace(/^\(/, '').replace(/\)\??$/, '');
      marker = `choice${marker}`;
    } else if (/[?*!]$/.test(name)) {
      marker = name.slice(-1);
      name = name.slice(0, -1);
    }
    let keys = '';
    const k = /^\[([^\]]*)\]\s*(.*)$/.exec(rest);
    if (k) {
      keys = k[1]!;
      rest = k[2]!;
    }
    const type = rest === '' ? '' : rest.startsWith('->') ? '->' : rest.slice(rest.indexOf(':') + 1);
    const path = `${stack.length > 0 ? stack[stack.length - 1]!.path : `${module}|${section}`}/${name}`;
    stack.push({ col, path });
    out.push(`${path} ${flags} ${marker} [${keys}] ${type}`);
  }
  return out;
}

/** Our compiled tree, for the given modules, in the same normalized form. */
export function ourTree(schema: YangSchema, modules: readonly string[]): string[] {
  const out: string[] = [];
  const prefixOf = (module: string): string => schema.modules.get(module)!.prefix;
  const walk = (list: readonly SchemaNode[], parentPath: string, section: string, mode: 'data' | 'input' | 'output' | 'notif'): void => {
    // yanglint prints a node's actions and notifications after its data children.
    const op = (n: SchemaNode): boolean => n.kind === 'action' || n.kind === 'notification';
    const nodes = parentPath.includes('/') ? [...list.filter((n) => !op(n)), ...list.filter(op)] : list;
    for (const n of nodes) {
      if ((n.kind === 'input' || n.kind === 'output') && n.children.length === 0) continue;
      const name = n.module === section ? n.name : `${prefixOf(n.module)}:${n.name}`;
      let flags: string;
      if (n.kind === 'case') flags = 'case';
      else if (n.kind === 'rpc' || n.kind === 'action') flags = '-x';
      else if (n.kind === 'notification') flags = '-n';
      else if (n.kind === 'input' || mode === 'input') flags = '-w';
      else if (n.kind === 'output' || mode === 'output' || mode === 'notif') flags = 'ro';
      else flags = n.config ? 'rw' : 'ro';
      let marker = '';
      const isKey = n.parent?.kind === 'list' && n.parent.keys.includes(n.name);
      if (n.kind === 'choice') marker = n.mandatory ? 'choice' : 'choice?';
      else if (n.kind === 'list' || n.kind === 'leaf-list') marker = '*';
      else if (n.kind === 'container' && n.presence !== undefined) marker = '!';
      else if ((n.kind === 'leaf' || n.kind === 'anydata' || n.kind === 'anyxml') && !n.mandatory && !isKey) marker = '?';
      let type = '';
      if (n.type) type = n.type.typedef ? n.type.typedef.slice(n.type.typedef.indexOf(':') + 1) : n.type.kind === 'leafref' ? '->' : n.type.kind;
      else if (n.kind === 'anydata' || n.kind === 'anyxml') type = n.kind;
      const path = `${parentPath}/${name}`;
      out.push(`${path} ${flags} ${marker} [${n.keys.join(' ')}] ${type}`);
      const next = n.kind === 'input' ? 'input' : n.kind === 'output' ? 'output' : n.kind === 'notification' ? 'notif' : mode;
      walk(n.children, path, section, next);
    }
  };
  for (const name of modules) {
    const m = schema.modules.get(name)!;
    walk(m.data, `${name}|data`, name, 'data');
    walk(m.rpcs, `${name}|rpcs`, name, 'data');
    walk(m.notifications, `${name}|notifications`, name, 'notif');
  }
  return out;
}
