/**
 * File-name globbing for ssh_config's `Include`, as glob(3) does it for OpenSSH: `*`, `?` and
 * bracket expressions (`[a-z]`, `[!x]`) within one path component, `\` quoting the next
 * character; a wildcard does not match a leading `.`; only existing paths are returned, sorted.
 * `~` is expanded by the caller.
 * @module
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a path component holds an unquoted wildcard. */
function isMagic(component: string): boolean {
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Remove the `\` quoting from a component without wildcards. */
function unquote(component: string): string {
  return component.replace(/\\(.)/g, '$1');
}

function escapeRegExp(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** One path component's pattern as an anchored RegExp (fnmatch(3) with FNM_PERIOD). */
function componentRegExp(component: string): RegExp {
  let out = '';
  for (let i = 0; i < component.length; i++) {
    const c = component[i] as string;
    if (c === '\\' && i + 1 < component.length) {
      out += escapeRegExp(component[++i] as string);
    } else if (c === '*') {
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      const end = bracketEnd(component, i);
      if (end === -1) {
        out += '\\[';
        continue;
      }
      let body = component.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      let cls = '';
      for (let j = 0; j < body.length; j++) {
        const b = body[j] as string;
        if (b === '\\' && j + 1 < body.length) cls += escapeRegExp(body[++j] as string);
        else if (b === '-' && j > 0 && j + 1 < body.length) cls += '-';
        else cls += escapeRegExp(b);
      }
      out += `[${negate ? '^' : ''}${cls}]`;
      i = end;
    } else {
      out += escapeRegExp(c);
    }
  }
  return new RegExp(`^${out}$`, 's');
}

/** Index of the `]` closing the bracket expression opened at `start`, or -1. */
function bracketEnd(component: string, start: number): number {
  let j = start + 1;
  if (component[j] === '!' || component[j] === '^') j++;
  if (component[j] === ']') j++; // a leading ']' is a member
  for (; j < component.length; j++) {
    if (component[j] === '\\') j++;
    else if (component[j] === ']') return j;
  }
  return -1;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The existing paths matching the absolute `pattern`, sorted; `[]` when none does (glob(3)'s
 * GLOB_NOMATCH).
 */
export function globPaths(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const components = pattern.split('/').filter((c) => c !== '');
  let paths = [absolute ? '/' : '.'];
  for (const component of components) {
    const next: string[] = [];
    if (!isMagic(component)) {
      const name = unquote(component);
      for (const dir of paths) next.push(join(dir, name));
    } else {
      const re = componentRegExp(component);
      const explicitDot = component.startsWith('.') || component.startsWith('\\.');
      for (const dir of paths) {
        for (const name of entries(dir).sort()) {
          if (name.startsWith('.') && !explicitDot) continue;
          if (re.test(name)) next.push(join(dir, name));
        }
      }
    }
    paths = next;
  }
  return paths.filter((path) => existsSync(path)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
