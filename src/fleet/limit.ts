/**
 * `--limit EXPR`: which devices of an inventory to work on. Comma-separated terms, their union:
 * a host name, a group name (its hosts), or a glob (`*`, `?`, `[abc]`) matched against host
 * and group names (`core,r9*`). A term starting with `!` removes what it names from the union
 * (`core,!r2`). A term that names nothing is an error (a typo must not silently shrink a run).
 * @module
 */
import { LimitError } from './errors.js';

/** A glob as a regular expression (whole name, case-sensitive). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const isGlob = (term: string): boolean => /[*?[]/.test(term);

/**
 * The host names an expression selects, in the inventory's order.
 * @param hosts - every host name, with its groups
 */
export function selectHosts(expression: string, hosts: ReadonlyMap<string, readonly string[]>, groups: ReadonlySet<string>): string[] {
  const terms = expression.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (terms.length === 0) throw new LimitError(`--limit '${expression}' names no host or group`);
  const byGroup = new Map<string, string[]>();
  for (const [host, hostGroups] of hosts) for (const g of hostGroups) (byGroup.get(g) ?? byGroup.set(g, []).get(g))?.push(host);
  const include = new Set<string>();
  const exclude = new Set<string>();
  let positive = false;
  for (const raw of terms) {
    const negative = raw.startsWith('!');
    const term = negative ? raw.slice(1) : raw;
    if (!negative) positive = true;
    const into = negative ? exclude : include;
    const matched: string[] = [];
    if (isGlob(term)) {
      const re = globToRegExp(term);
      for (const host of hosts.keys()) if (re.test(host)) matched.push(host);
      for (const group of groups) if (re.test(group)) matched.push(...(byGroup.get(group) ?? []));
    } else {
      if (hosts.has(term)) matched.push(term);
      if (groups.has(term)) matched.push(...(byGroup.get(term) ?? []));
      if (!hosts.has(term) && !groups.has(term)) throw new LimitError(`--limit: '${term}' is neither a host nor a group of the inventory`);
    }
    if (matched.length === 0 && isGlob(term)) throw new LimitError(`--limit: '${term}' matches no host or group of the inventory`);
    for (const m of matched) into.add(m);
  }
  // Only exclusions: from every host.
  const base = positive ? include : new Set(hosts.keys());
  return [...hosts.keys()].filter((h) => base.has(h) && !exclude.has(h));
}
