/**
 * Names in generated TypeScript: YANG identifiers turned into type names, collisions resolved in
 * the order names are asked for (which follows schema order, so the same input gives the same
 * names), and member keys quoted when they are not plain identifiers.
 */

/**
 * Global type names a generated declaration must not shadow: the generated file may be read next
 * to user code that expects the standard ones, and shadowing them silently would be confusing.
 */
const RESERVED: readonly string[] = [
  'Array', 'ArrayLike', 'Awaited', 'BigInt', 'Boolean', 'Capitalize', 'Date', 'Error', 'Exclude', 'Extract',
  'Function', 'InstanceType', 'Iterable', 'JSON', 'Map', 'Math', 'NonNullable', 'Number', 'Object', 'Omit',
  'Parameters', 'Partial', 'Pick', 'Promise', 'PropertyKey', 'Readonly', 'ReadonlyArray', 'ReadonlyMap',
  'ReadonlySet', 'Record', 'RegExp', 'Required', 'ReturnType', 'Set', 'String', 'Symbol', 'Uint8Array',
  'Uncapitalize', 'Uppercase', 'Lowercase',
];

/**
 * A YANG identifier (`ietf-interfaces`, `ipv4-address`, `ethernetCsmacd`) as a PascalCase
 * TypeScript name part: split at every character that cannot be in one (`-`, `.`, `_`), each part
 * capitalised, the rest of its letters kept.
 */
export function pascalCase(yangName: string): string {
  const parts = yangName.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
  let name = parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  if (name === '') name = 'X';
  if (/^[0-9]/.test(name)) name = `N${name}`;
  return name;
}

/**
 * Hands out unique type names: the first to ask for a name gets it, later ones get `_2`, `_3` …
 * Deterministic as long as the names are asked for in the same order.
 */
export class TypeNames {
  readonly #used = new Set<string>(RESERVED);

  /** A name not handed out before, `wanted` when it is free. */
  allocate(wanted: string): string {
    if (!this.#used.has(wanted)) {
      this.#used.add(wanted);
      return wanted;
    }
    for (let i = 2; ; i++) {
      const candidate = `${wanted}_${i}`;
      if (!this.#used.has(candidate)) {
        this.#used.add(candidate);
        return candidate;
      }
    }
  }
}

/** A TypeScript single-quoted string literal of `text`. */
export function quote(text: string): string {
  let out = "'";
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "'" || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // Controls, and the two line terminators a string literal may not hold raw in older targets.
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/** An object type member key: bare when it is an identifier, quoted otherwise (`mtu`, `'ietf-ip:ipv4'`). */
export function memberKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}
