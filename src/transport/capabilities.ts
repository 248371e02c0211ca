/** The URI of base:1.0 (end-of-message framing). */
export const BASE_1_0 = 'urn:ietf:params:netconf:base:1.0';
/** The URI of base:1.1 (chunked framing). */
export const BASE_1_1 = 'urn:ietf:params:netconf:base:1.1';

/** The client capabilities sent by default: both base versions. */
export const DEFAULT_CLIENT_CAPABILITIES: readonly string[] = [BASE_1_0, BASE_1_1];

const CAPABILITY_PREFIX = 'urn:ietf:params:netconf:capability:';
const BASE_PREFIX = 'urn:ietf:params:netconf:base:';

/** One capability: its URI and what that URI says. */
export interface Capability {
  /** The URI as advertised, parameters included. */
  readonly uri: string;
  /** The URI without its `?…` parameters. */
  readonly base: string;
  /** The parameters (`module`, `revision`, `features`, `deviations`, `basic-mode` …). */
  readonly parameters: Readonly<Record<string, string>>;
  /** `:candidate` and `:candidate:1.0` style short names; empty for non-IETF URIs. */
  readonly abbreviations: readonly string[];
}

function abbreviate(base: string): string[] {
  if (base.startsWith(CAPABILITY_PREFIX)) {
    const [name, version] = base.slice(CAPABILITY_PREFIX.length).split(':');
    if (!name) return [];
    return version ? [`:${name}`, `:${name}:${version}`] : [`:${name}`];
  }
  if (base.startsWith(BASE_PREFIX)) {
    const version = base.slice(BASE_PREFIX.length);
    return [':base', `:base:${version}`];
  }
  return [];
}

/** Parse one capability URI. */
export function parseCapability(uri: string): Capability {
  const q = uri.indexOf('?');
  const base = q === -1 ? uri : uri.slice(0, q);
  const entries: Array<[string, string]> = [];
  if (q !== -1) {
    for (const pair of uri.slice(q + 1).split(/&(?:amp;)?/)) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? '' : pair.slice(eq + 1);
      try {
        entries.push([decodeURIComponent(key), decodeURIComponent(value)]);
      } catch {
        entries.push([key, value]);
      }
    }
  }
  // fromEntries defines own properties: a parameter named __proto__ is kept as data.
  return { uri, base, parameters: Object.fromEntries(entries), abbreviations: abbreviate(base) };
}

/**
 * A set of NETCONF capabilities, as exchanged in the hello.
 *
 * Iterating yields the URIs as advertised. {@link has} accepts a full URI (with or without its
 * parameters) or an abbreviation such as `:candidate`, `:candidate:1.0`, `:base:1.1`.
 */
export class Capabilities implements Iterable<string> {
  readonly #byUri = new Map<string, Capability>();
  readonly #byKey = new Map<string, Capability>();

  constructor(uris: Iterable<string> = []) {
    for (const raw of uris) {
      const uri = raw.trim();
      if (!uri || this.#byUri.has(uri)) continue;
      const cap = parseCapability(uri);
      this.#byUri.set(uri, cap);
      for (const key of [uri, cap.base, ...cap.abbreviations]) {
        if (!this.#byKey.has(key)) this.#byKey.set(key, cap);
      }
    }
  }

  /** How many distinct capabilities. */
  get size(): number {
    return this.#byUri.size;
  }

  /** True when the capability is present (full URI, URI without parameters, or abbreviation). */
  has(uriOrAbbreviation: string): boolean {
    return this.#byKey.has(uriOrAbbreviation);
  }

  /** The capability matching a full URI, a URI without parameters, or an abbreviation. */
  get(uriOrAbbreviation: string): Capability | undefined {
    return this.#byKey.get(uriOrAbbreviation);
  }

  /** The YANG modules advertised as `?module=` capabilities (RFC 6020), keyed by module name. */
  modules(): Map<string, Capability> {
    const out = new Map<string, Capability>();
    for (const cap of this.#byUri.values()) {
      const name = cap.parameters['module'];
      if (name) out.set(name, cap);
    }
    return out;
  }

  /** Every capability, parsed. */
  values(): IterableIterator<Capability> {
    return this.#byUri.values();
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.#byUri.keys();
  }

  /** The URIs, as advertised. */
  toArray(): string[] {
    return [...this.#byUri.keys()];
  }

  toJSON(): string[] {
    return this.toArray();
  }
}
