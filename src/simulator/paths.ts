/**
 * Paths to configuration nodes, written as XPath / YANG instance-identifiers with prefixes
 * (`/if:interfaces/if:interface[if:name='eth0']/if:mtu`), for `<error-path>` and for the
 * `target` of `netconf-config-change` notifications.
 * @module
 */
import type { ListKeys } from './list-keys.js';
import type { SchemaRegistry } from './schema.js';
import { childValue, isLeaf } from './xml.js';
import type { XmlElement } from '../index.js';

/** One step of a path. */
export interface PathSegment {
  namespace: string;
  local: string;
  /** Key leaves of a list entry. */
  keys?: Array<{ local: string; value: string }>;
  /** The value of a leaf-list entry. */
  value?: string;
}

/** The path from the root down to `node`; the walk stops below an element for which `isRoot` is true. */
export function pathOf(node: XmlElement, keys: ListKeys, isRoot: (el: XmlElement) => boolean): PathSegment[] {
  const out: PathSegment[] = [];
  for (let el: XmlElement | null = node; el && !isRoot(el); el = el.parent) {
    const seg: PathSegment = { namespace: el.namespace, local: el.local };
    if (isLeaf(el)) {
      if (keys.isLeafList(el, el.parent)) seg.value = el.text.trim();
    } else {
      const k = keys.keysOf(el);
      if (k) {
        const present: Array<{ local: string; value: string }> = [];
        for (const name of k) {
          const value = childValue(el, name);
          if (value !== undefined) present.push({ local: name, value });
        }
        if (present.length > 0) seg.keys = present;
      }
    }
    out.push(seg);
  }
  return out.reverse();
}

/** Gives each namespace a prefix: the module's own prefix when known, else `n1`, `n2` … */
export class PrefixAllocator {
  readonly #schema: Pick<SchemaRegistry, 'prefixOf'> | undefined;
  readonly #byNs = new Map<string, string>();
  readonly #used = new Set<string>();

  /** @param schema - where module prefixes come from (the YANG files, or the compiled modules) */
  constructor(schema?: Pick<SchemaRegistry, 'prefixOf'>) {
    this.#schema = schema;
  }

  /** The prefix for a namespace (`''` for no namespace). */
  prefix(namespace: string): string {
    if (!namespace) return '';
    const known = this.#byNs.get(namespace);
    if (known) return known;
    let prefix = this.#schema?.prefixOf(namespace);
    if (!prefix || this.#used.has(prefix) || prefix === 'xml' || prefix === 'xmlns') {
      let i = this.#byNs.size + 1;
      while (this.#used.has(`n${i}`)) i++;
      prefix = `n${i}`;
    }
    this.#byNs.set(namespace, prefix);
    this.#used.add(prefix);
    return prefix;
  }

  /** The declarations (prefix → namespace) for every prefix handed out. */
  declarations(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [ns, prefix] of this.#byNs) out[prefix] = ns;
    return out;
  }
}

function literal(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return `concat('${value.replace(/'/g, `', "'", '`)}')`;
}

/** Write a path with prefixes from `prefixes`. */
export function formatPath(segments: readonly PathSegment[], prefixes: PrefixAllocator): string {
  let out = '';
  for (const seg of segments) {
    const p = prefixes.prefix(seg.namespace);
    const q = (local: string): string => (p ? `${p}:${local}` : local);
    out += `/${q(seg.local)}`;
    for (const k of seg.keys ?? []) out += `[${q(k.local)}=${literal(k.value)}]`;
    if (seg.value !== undefined) out += `[.=${literal(seg.value)}]`;
  }
  return out || '/';
}
