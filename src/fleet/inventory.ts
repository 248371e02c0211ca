/**
 * The inventory: devices and groups in a YAML or JSON file (read with the `yaml` package; JSON is
 * YAML). Every serialisable option of `connect()` may be set on a group or a host under its own
 * name; a host's values beat its groups', a later group's beat an earlier one's, and the
 * defaults given by the program (the `netconf` command's flags) are beaten by all of them.
 *
 * ```yaml
 * defaults:                          # optional: every host
 *   port: 830
 * groups:
 *   core:
 *     username: netconf
 *     passwordEnv: NETCONF_PASSWORD  # secrets by reference: read where the device is contacted
 *     knownHostsFile: ./known_hosts  # paths: relative to this file; ~ is the home directory
 *     timeout: 10                    # seconds, as everywhere in the API
 *     vars: { site: par1 }           # free variables for the task
 *   edge:
 *     keyFilename: ~/.ssh/id_ed25519
 *     proxyJump: bastion.example.net
 * hosts:
 *   r1: { host: 10.0.0.1, groups: [core] }
 *   r2: { host: r2.example.net, port: 830, groups: [core, edge] }
 *   r3: {}                           # host defaults to the name
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { ConnectOptions, ConnectTLSOptions, TLSCredentials } from '../index.js';
import { InventoryError } from './errors.js';
import { selectHosts } from './limit.js';
import type { FleetDefaults, FleetTarget, FleetTargetInfo } from './target.js';

type Kind = 'string' | 'number' | 'boolean' | 'path' | 'paths' | 'strings' | 'object' | 'jump' | 'transport';
type FileKey = Exclude<keyof ConnectOptions | keyof ConnectTLSOptions | keyof FleetTargetInfo, 'name' | 'groups' | 'sock' | 'unknownHostCb' | 'log' | 'onUnknownReply'>;

/**
 * The options an inventory may set, with their kind. Typed against `connect()`'s options: a
 * name that is not one of them does not compile. Callbacks and sockets cannot come from a file.
 */
export const INVENTORY_OPTIONS = {
  host: 'string',
  port: 'number',
  username: 'string',
  password: 'string',
  passwordEnv: 'string',
  passphraseEnv: 'string',
  keyFilename: 'paths',
  identitiesOnly: 'boolean',
  allowAgent: 'boolean',
  agent: 'path',
  lookForKeys: 'boolean',
  hostkeyB64: 'string',
  hostKeyAlias: 'string',
  timeout: 'number',
  helloTimeout: 'number',
  maxMessageSize: 'number',
  xmlLimits: 'object',
  sshConfig: 'path',
  proxyJump: 'jump',
  proxyCommand: 'string',
  hostkeyVerify: 'boolean',
  knownHostsFile: 'paths',
  strictHostKeyChecking: 'string',
  allowStrictHostKeyCheckingNo: 'boolean',
  keepalive: 'number',
  keepaliveCountMax: 'number',
  rpcTimeout: 'number',
  raiseMode: 'string',
  notificationBuffer: 'number',
  closeTimeout: 'number',
  transport: 'transport',
  capabilities: 'strings',
  tls: 'object',
  vars: 'object',
} as const satisfies Partial<Record<FileKey, Kind>>;

/** The option values of a group, a host or the defaults, as read from a file. */
export type InventoryValues = Partial<Record<keyof typeof INVENTORY_OPTIONS, unknown>>;

/** Options of {@link Inventory.parse} and {@link Inventory.load}. */
export interface InventoryOptions {
  /** `'yaml'` (default; JSON is YAML too) or `'json'` (strict JSON). */
  format?: 'yaml' | 'json';
  /** The directory relative paths are resolved against; default the file's (or the current one). */
  baseDir?: string;
  /** How messages name the source; default the file name. */
  source?: string;
  /**
   * Defaults beaten by everything in the file (the `netconf` command's flags): any
   * {@link FleetTarget} field but `name`.
   */
  defaults?: FleetDefaults;
}

/**
 * The `yaml` package's parser, loaded on first use: every `netconf` command imports this module
 * (through the command list), and loading `yaml` costs ~150 ms that only inventories need.
 */
let yamlParse: ((text: string, options: { prettyErrors: boolean; uniqueKeys: boolean }) => unknown) | undefined;
function parseYaml(text: string, options: { prettyErrors: boolean; uniqueKeys: boolean }): unknown {
  yamlParse ??= (createRequire(import.meta.url)('yaml') as { parse: typeof yamlParse }).parse;
  return (yamlParse as NonNullable<typeof yamlParse>)(text, options);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path from the file: `~` is the home directory; relative to `base`. */
function filePath(value: string, base: string): string {
  if (value === '~' || value.startsWith('~/')) return resolve(homedir(), value.slice(2));
  return isAbsolute(value) ? value : resolve(base, value);
}

/** PEM text as it is; anything else is a file to read (relative to `base`). */
function pem(value: unknown, base: string, where: string): string {
  if (typeof value !== 'string') throw new InventoryError(`${where}: must be a file name or PEM text`);
  if (value.includes('-----BEGIN')) return value;
  const path = filePath(value, base);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InventoryError(`${where}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Check and normalise one block of options (a group, a host, the defaults). */
function readValues(raw: unknown, where: string, base: string, extra: readonly string[]): InventoryValues {
  if (raw === null || raw === undefined) return {};
  if (!isObject(raw)) throw new InventoryError(`${where}: must be a mapping of options`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (extra.includes(key)) continue;
    const kind = (INVENTORY_OPTIONS as Record<string, Kind>)[key];
    const at = `${where}.${key}`;
    if (kind === undefined) throw new InventoryError(`${at}: unknown option (options are connect()'s, by the same names: ${Object.keys(INVENTORY_OPTIONS).join(', ')})`);
    if (value === null || value === undefined) continue;
    switch (kind) {
      case 'string':
        if (typeof value !== 'string') throw new InventoryError(`${at}: must be a string`);
        out[key] = value;
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new InventoryError(`${at}: must be a number`);
        out[key] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw new InventoryError(`${at}: must be true or false`);
        out[key] = value;
        break;
      case 'path':
        if (typeof value === 'boolean' && key === 'sshConfig' && value === false) out[key] = false;
        else if (typeof value !== 'string') throw new InventoryError(`${at}: must be a file name`);
        else out[key] = key === 'sshConfig' && value === 'none' ? false : filePath(value, base);
        break;
      case 'paths': {
        const list = Array.isArray(value) ? value : [value];
        if (!list.every((v) => typeof v === 'string')) throw new InventoryError(`${at}: must be a file name or a list of them`);
        out[key] = list.map((v) => filePath(v as string, base));
        break;
      }
      case 'strings':
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new InventoryError(`${at}: must be a list of strings`);
        out[key] = value;
        break;
      case 'jump':
        if (typeof value !== 'string' && !(Array.isArray(value) && value.every(isObject))) throw new InventoryError(`${at}: must be a -J string or a list of jump hosts`);
        out[key] = value;
        break;
      case 'transport':
        if (value !== 'ssh' && value !== 'tls') throw new InventoryError(`${at}: must be ssh or tls`);
        out[key] = value;
        break;
      case 'object':
        if (!isObject(value)) throw new InventoryError(`${at}: must be a mapping`);
        out[key] = key === 'tls' ? readTls(value, at, base) : value;
        break;
    }
  }
  return out;
}

function readTls(raw: Record<string, unknown>, where: string, base: string): TLSCredentials {
  const out: TLSCredentials = {};
  for (const [key, value] of Object.entries(raw)) {
    const at = `${where}.${key}`;
    if (key === 'cert' || key === 'key') out[key] = pem(value, base, at);
    else if (key === 'ca') out.ca = Array.isArray(value) ? value.map((v, i) => pem(v, base, `${at}[${i}]`)) : pem(value, base, at);
    else if (key === 'servername' || key === 'fingerprint') {
      if (typeof value !== 'string') throw new InventoryError(`${at}: must be a string`);
      out[key] = value;
    } else if (key === 'minVersion') {
      if (value !== 'TLSv1.2' && value !== 'TLSv1.3') throw new InventoryError(`${at}: must be TLSv1.2 or TLSv1.3`);
      out.minVersion = value;
    } else if (key === 'passphrase') throw new InventoryError(`${at}: give the passphrase by reference (passphraseEnv: VARIABLE), not in the file`);
    else throw new InventoryError(`${at}: unknown TLS option (cert, key, ca, servername, fingerprint, minVersion)`);
  }
  return out;
}

/** One host as read: its own values and its groups. */
interface HostEntry {
  groups: string[];
  values: InventoryValues;
}

/**
 * A parsed inventory: hosts, groups, the program's defaults, and a selection (`--limit`). Its
 * {@link Inventory.targets} are what {@link runFleet} works on.
 */
export class Inventory {
  readonly #hosts: ReadonlyMap<string, HostEntry>;
  readonly #groups: ReadonlyMap<string, InventoryValues>;
  readonly #defaults: InventoryValues;
  readonly #programDefaults: FleetDefaults;
  readonly #selected: readonly string[];

  private constructor(hosts: ReadonlyMap<string, HostEntry>, groups: ReadonlyMap<string, InventoryValues>, defaults: InventoryValues, programDefaults: FleetDefaults, selected: readonly string[]) {
    this.#hosts = hosts;
    this.#groups = groups;
    this.#defaults = defaults;
    this.#programDefaults = programDefaults;
    this.#selected = selected;
  }

  /** Read an inventory file (YAML or JSON). */
  static async load(file: string, options: InventoryOptions = {}): Promise<Inventory> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new InventoryError(`cannot read the inventory ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return Inventory.parse(text, { baseDir: dirname(resolve(file)), source: file, format: file.endsWith('.json') ? 'json' : 'yaml', ...options });
  }

  /** Parse inventory text (YAML, or JSON). */
  static parse(text: string, options: InventoryOptions = {}): Inventory {
    const source = options.source ?? 'inventory';
    const base = options.baseDir ?? process.cwd();
    let doc: unknown;
    try {
      doc = options.format === 'json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
    } catch (err) {
      throw new InventoryError(`${source}: not valid ${options.format === 'json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
    }
    if (!isObject(doc)) throw new InventoryError(`${source}: must be a mapping with 'hosts' (and optionally 'groups', 'defaults')`);
    for (const key of Object.keys(doc)) {
      if (!['hosts', 'groups', 'defaults'].includes(key)) throw new InventoryError(`${source}: unknown top-level key '${key}' (hosts, groups, defaults)`);
    }
    const defaults = readValues(doc['defaults'], `${source}: defaults`, base, []);
    const groups = new Map<string, InventoryValues>();
    const rawGroups = doc['groups'] ?? {};
    if (!isObject(rawGroups)) throw new InventoryError(`${source}: groups must be a mapping of group names`);
    for (const [name, raw] of Object.entries(rawGroups)) groups.set(name, readValues(raw, `${source}: groups.${name}`, base, []));
    const rawHosts = doc['hosts'];
    if (!isObject(rawHosts)) throw new InventoryError(`${source}: hosts must be a mapping of host names`);
    const hosts = new Map<string, HostEntry>();
    for (const [name, raw] of Object.entries(rawHosts)) {
      if (groups.has(name)) throw new InventoryError(`${source}: '${name}' is both a host and a group`);
      const where = `${source}: hosts.${name}`;
      const rawGroupList = isObject(raw) ? raw['groups'] : undefined;
      const hostGroups = rawGroupList === undefined ? [] : typeof rawGroupList === 'string' ? [rawGroupList] : rawGroupList;
      if (!Array.isArray(hostGroups) || !hostGroups.every((g) => typeof g === 'string')) throw new InventoryError(`${where}.groups: must be a list of group names`);
      for (const g of hostGroups) if (!groups.has(g)) throw new InventoryError(`${where}.groups: no group '${g}' in the inventory`);
      hosts.set(name, { groups: hostGroups as string[], values: readValues(raw, where, base, ['groups']) });
    }
    return new Inventory(hosts, groups, defaults, options.defaults ?? {}, [...hosts.keys()]);
  }

  /** Every host name, in file order. */
  get hostNames(): string[] {
    return [...this.#hosts.keys()];
  }

  /** Every group name. */
  get groupNames(): string[] {
    return [...this.#groups.keys()];
  }

  /** The selected host names (all unless {@link Inventory.limit} was used). */
  get selected(): readonly string[] {
    return this.#selected;
  }

  /** The number of selected hosts. */
  get size(): number {
    return this.#selected.length;
  }

  /** A copy with only the hosts an expression selects (see `limit.ts`: names, groups, globs, `!`). */
  limit(expression: string): Inventory {
    const hostGroups = new Map<string, readonly string[]>();
    for (const [name, entry] of this.#hosts) hostGroups.set(name, entry.groups);
    const chosen = new Set(selectHosts(expression, hostGroups, new Set(this.#groups.keys())));
    return new Inventory(this.#hosts, this.#groups, this.#defaults, this.#programDefaults, this.#selected.filter((h) => chosen.has(h)));
  }

  /** A copy with other program defaults (beaten by everything in the file). */
  withDefaults(defaults: FleetDefaults): Inventory {
    return new Inventory(this.#hosts, this.#groups, this.#defaults, defaults, this.#selected);
  }

  /**
   * One host's target: program defaults, then the file's defaults, then each of its groups in
   * order, then the host; `vars` merged the same way, key by key. `host` defaults to the name.
   */
  target(name: string): FleetTarget {
    const entry = this.#hosts.get(name);
    if (!entry) throw new InventoryError(`no host '${name}' in the inventory`);
    const layers: InventoryValues[] = [this.#programDefaults as InventoryValues, this.#defaults, ...entry.groups.map((g) => this.#groups.get(g) ?? {}), entry.values];
    const merged: Record<string, unknown> = {};
    const vars: Record<string, unknown> = {};
    for (const layer of layers) {
      for (const [key, value] of Object.entries(layer)) {
        if (value === undefined) continue;
        if (key === 'vars') Object.assign(vars, value);
        else merged[key] = value;
      }
      // A password given by reference beats a password given earlier, and the other way round.
      if (layer.passwordEnv !== undefined) delete merged['password'];
      if (layer.password !== undefined) delete merged['passwordEnv'];
    }
    merged['host'] ??= name;
    const target = { ...merged, name, groups: entry.groups } as unknown as FleetTarget;
    if (Object.keys(vars).length > 0) target.vars = vars;
    return target;
  }

  /** The selected hosts' targets, lazily, in file order. */
  *targets(): Generator<FleetTarget, void, undefined> {
    for (const name of this.#selected) yield this.target(name);
  }
}
