/**
 * The OpenSSH client configuration (ssh_config(5)) for one host, resolved the way `ssh -G` does
 * it (OpenSSH 9.2): the first value obtained for a keyword wins, `Host` blocks match the name
 * given, `Match` blocks their criteria, `Include` reads more files in place, tokens and `~` are
 * expanded.
 *
 * The file syntax is read by the `ssh-config` package (see `ssh-config-parse.ts`); the meaning is
 * ours, because the package's own `compute()` differs from OpenSSH: its `?` matches zero or one
 * character and it splits a lone `Host` pattern at commas; `Match host` sees the `HostName`
 * unexpanded and case-sensitively; `!` in front of a `Match` criterion makes the block never
 * match, an unknown criterion is no error; it runs `Match exec` and `nslookup`; it ignores
 * `Include` and `IgnoreUnknown`, validates no value, expands no token, and lets both
 * `ProxyCommand` and `ProxyJump` apply.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, hostname as localHostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { canonicalAddress, isAddress } from './ssh-config-address.js';
import { SSHConfigError } from './ssh-config-error.js';
import { globPaths } from './ssh-config-glob.js';
import { jumpSpecText, parseJumpSpec, parsePort } from './ssh-config-jump.js';
import { IGNORED_KEYWORDS, NOT_HONOURED_KEYWORDS } from './ssh-config-keywords.js';
import { parseConfigText, type ConfigDirective } from './ssh-config-parse.js';
import { asciiLower, matchHostname, matchPattern, matchPatternList } from './ssh-config-patterns.js';
import { checkAgentPath, expandTilde, expandTokens, type TokenValues } from './ssh-config-tokens.js';

export { SSHConfigError } from './ssh-config-error.js';
export { parseJumpSpec } from './ssh-config-jump.js';

/** Options of {@link resolveSSHConfig}. */
export interface SSHConfigLookupOptions {
  /**
   * Config file path, read as `ssh -F file` reads it (it must exist). Default: `~/.ssh/config`
   * when it exists, read as `ssh` reads it (refused when writable by others); otherwise no file,
   * and the result holds only what the host name and the options give.
   */
  file?: string;
  /** The user the caller asked for (beats `User` in the file), used for `%r` and `Match user`. */
  user?: string;
  /** The port the caller asked for (beats `Port`), used for `%p`. */
  port?: number;
  /**
   * Home directory for `~`, `%d`, relative `Include` paths and the default file (default
   * `os.homedir()`, i.e. `$HOME`). OpenSSH takes `~` in `Include` from `$HOME` and everything
   * else from the passwd entry (`os.userInfo().homedir`); they are the same on most systems.
   */
  home?: string;
  /** Local user name for `%u`, `Match localuser` and `%r` without a user (default `os.userInfo().username`). */
  localUser?: string;
}

/** What the ssh_config file says about one host, as `ssh -G` would show it. */
export interface ResolvedSSHConfig {
  /** The name looked up (the alias the caller gave). */
  host: string;
  /**
   * The host to connect to: `HostName` with its tokens (`%h`, `%%`) expanded, else the alias;
   * lower-cased, or for an address in numeric form (`127.1` is `127.0.0.1`), as OpenSSH does.
   */
  hostName: string;
  /**
   * The port: the caller's `port`, else `Port` from the file. Undefined when neither sets one:
   * `ssh` would use 22 (and `%p` in the values below is expanded with 22), the NETCONF client
   * uses 830.
   */
  port: number | undefined;
  /** The caller's `user`, else `User` from the file; undefined when neither sets one. */
  user: string | undefined;
  /**
   * `IdentityFile` values, all of them in file order (the keyword is cumulative, duplicates
   * dropped), `~`, `${VAR}` and the tokens `%C %d %h %i %k %L %l %n %p %r %u %%` expanded. Only
   * the files the configuration names, not OpenSSH's default `~/.ssh/id_*` list (`none` is
   * dropped: for `ssh` it names no file but stops the default list).
   */
  identityFiles: string[];
  /** `IdentitiesOnly`. */
  identitiesOnly: boolean | undefined;
  /** `IdentityAgent`, expanded like `identityFiles` (`none` and `SSH_AUTH_SOCK` are kept as they are). */
  identityAgent: string | undefined;
  /**
   * `ProxyJump`: the raw value (comment removed), to read with {@link parseJumpSpec}; `'none'`
   * when the file says `none`. Set only when it came before any `ProxyCommand`.
   */
  proxyJump: string | undefined;
  /**
   * `ProxyCommand` with the tokens `%h %k %n %p %r %%` expanded, to run with `/bin/sh -c`;
   * `'none'` when the file says `none`. Undefined when a `ProxyJump` came first.
   */
  proxyCommand: string | undefined;
  /** `UserKnownHostsFile` values, `~`, `${VAR}` and tokens expanded (`['none']` kept as it is). */
  userKnownHostsFiles: string[] | undefined;
  /** `StrictHostKeyChecking`, normalised as OpenSSH does (`off`, `false` are `'no'`; `true` is `'yes'`). */
  strictHostKeyChecking: 'yes' | 'accept-new' | 'no' | 'ask' | undefined;
  /** `HostKeyAlias`, lower-cased as OpenSSH does. */
  hostKeyAlias: string | undefined;
  /** `ConnectTimeout` in seconds (`none`: undefined). */
  connectTimeout: number | undefined;
  /** `ServerAliveInterval` in seconds. */
  serverAliveInterval: number | undefined;
  /** `ServerAliveCountMax`. */
  serverAliveCountMax: number | undefined;
  /**
   * Keywords that appeared in the blocks that apply and that are not honoured here (lower-case),
   * for a debug log; also keywords OpenSSH does not know (which `ssh` would refuse) wherever they
   * appear, unless `IgnoreUnknown` names them, `'match exec'` when a `Match exec` was treated as
   * not matching, and `'canonicalizehostname'` when it is on (no DNS canonicalisation is done).
   */
  unsupported: string[];
  /** The files read (the main file and every `Include`d one), for a debug log. */
  files: string[];
}

/** `Include` nesting OpenSSH accepts (readconf.c READCONF_MAX_DEPTH). */
const MAX_DEPTH = 16;
const MAX_IDENTITY_FILES = 100;
const MAX_HOSTS_FILES = 32;

const FLAG: Readonly<Record<string, boolean>> = { yes: true, true: true, no: false, false: false };
const STRICT: Readonly<Record<string, 'yes' | 'accept-new' | 'no' | 'ask'>> = {
  yes: 'yes',
  true: 'yes',
  no: 'no',
  false: 'no',
  off: 'no',
  ask: 'ask',
  'accept-new': 'accept-new',
};
const CANONICALIZE: Readonly<Record<string, number>> = { yes: 1, true: 1, no: 0, false: 0, always: 2 };

/**
 * How a file is read: given (`ssh -F`: it must open), the default `~/.ssh/config` (not writable
 * by others; one that cannot be opened is ignored) or included (not writable by others).
 */
type FileKind = 'given' | 'default' | 'included';

/** A value and where it was read ("file line N"), for the messages of later expansions. */
interface Sourced<T> {
  value: T;
  where: string;
}

/** The options as OpenSSH accumulates them (first value wins). */
interface Settings {
  hostName?: Sourced<string>;
  port?: number;
  user?: string;
  identityFiles: Sourced<string>[];
  identitiesOnly?: boolean;
  identityAgent?: Sourced<string>;
  /** Set by `ProxyCommand`, or to `none` by a `ProxyJump` (OpenSSH's `proxy_command`). */
  proxyCommandTaken: boolean;
  proxyCommand?: Sourced<string>;
  proxyJump?: string;
  userKnownHostsFiles?: Sourced<string[]>;
  strictHostKeyChecking?: 'yes' | 'accept-new' | 'no' | 'ask';
  hostKeyAlias?: string;
  connectTimeout?: number;
  serverAliveInterval?: number;
  serverAliveCountMax?: number;
  canonicalizeHostname?: number;
  ignoreUnknown?: string;
}

/** OpenSSH `convtime`: `90`, `1m30s`, `2h` … in seconds; -1 when malformed. */
function convtime(text: string): number {
  if (text === '') return -1;
  const INT_MAX = 2147483647;
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^[ \t\n\v\f\r]*([+-]?\d+)([sSmMhHdDwW]?)/.exec(rest);
    if (!m) return -1;
    const secs = Number(m[1]);
    if (secs < 0 || secs > INT_MAX) return -1;
    const unit = (m[2] ?? '').toLowerCase();
    const mult = unit === 'm' ? 60 : unit === 'h' ? 3600 : unit === 'd' ? 86400 : unit === 'w' ? 604800 : 1;
    if (secs > INT_MAX / mult) return -1;
    total += secs * mult;
    if (total > INT_MAX) return -1;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** OpenSSH's check of a destination host name given on the command line. */
function validHostname(host: string): boolean {
  return !host.startsWith('-') && !/['`"$\\;&<>|(){},\s\x00-\x1f\x7f]/.test(host);
}

/** OpenSSH's check of a user name given on the command line. */
function validRemoteUser(user: string): boolean {
  return !user.startsWith('-') && !/['`";&<>|(){}\x00-\x1f\x7f]/.test(user) && !/\s-/.test(user) && !user.endsWith('\\');
}

/** Run `fn`, giving an SSHConfigError it throws the location `where`. */
function at<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SSHConfigError) throw new SSHConfigError(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** One lookup: the state of OpenSSH's readconf.c for one host. */
class Resolution {
  readonly settings: Settings;
  readonly unsupported = new Set<string>();
  readonly files: string[] = [];
  /** The name `Host` lines are matched against: the alias, then the final host name. */
  hostForHostLines: string;
  finalPass = false;
  wantFinalPass = false;
  readonly #parsed = new Map<string, ConfigDirective[] | undefined>();

  constructor(
    readonly alias: string,
    readonly home: string,
    readonly localUser: string,
    settings: Settings,
  ) {
    this.settings = settings;
    this.hostForHostLines = alias;
  }

  /**
   * Read and apply the config file `path` (OpenSSH `read_config_file_depth`); false when it does
   * not exist.
   */
  readFile(path: string, kind: FileKind, depth: number, neverMatch: boolean, state: { active: boolean }, where: string): boolean {
    if (depth > MAX_DEPTH) throw new SSHConfigError(`${where}Too many recursive configuration includes`);
    const directives = this.#load(path, kind, where);
    if (directives === undefined) return false;
    for (const d of directives) this.#apply(d, `${path} line ${d.line}`, depth, neverMatch, state);
    return true;
  }

  #load(path: string, kind: FileKind, where: string): ConfigDirective[] | undefined {
    if (this.#parsed.has(path)) return this.#parsed.get(path);
    let directives: ConfigDirective[] | undefined;
    try {
      const st = statSync(path);
      const uid = process.getuid?.();
      if (kind !== 'given' && uid !== undefined && ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0)) {
        throw new SSHConfigError(`${where}Bad owner or permissions on ${path}`);
      }
      // a directory reads as an empty file, as with fopen(3)
      directives = st.isDirectory() ? [] : parseConfigText(readFileSync(path, 'utf8'), path);
    } catch (e) {
      if (e instanceof SSHConfigError) throw e;
      // ssh ignores a ~/.ssh/config it cannot open, and a missing included file
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && kind !== 'default') {
        throw new SSHConfigError(`${where}Can't open user config file ${path}: ${(e as Error).message}`, { cause: e });
      }
    }
    this.#parsed.set(path, directives);
    if (directives !== undefined && !this.files.includes(path)) this.files.push(path);
    return directives;
  }

  /** The host name `Match host` looks at (readconf.c `match_cfg_line`). */
  #matchHost(): string {
    const { hostName } = this.settings;
    if (this.finalPass && hostName) return hostName.value;
    if (hostName) return at(hostName.where, () => expandTokens(hostName.value, { h: this.hostForHostLines }));
    return this.hostForHostLines;
  }

  /** Evaluate the criteria of a `Match` line (readconf.c `match_cfg_line`). */
  #match(args: readonly string[], fail: (message: string) => SSHConfigError, neverMatch: boolean): boolean {
    const ruser = this.settings.user ?? this.localUser;
    let host: string | undefined;
    let result = true;
    let attributes = 0;
    for (let i = 0; i < args.length; ) {
      const written = args[i++] as string;
      if (written.startsWith('#')) break;
      const negate = written.startsWith('!');
      const attribute = (negate ? written.slice(1) : written).toLowerCase();
      if (attribute === 'all') {
        const next = args[i];
        if (attributes > 1 || (next !== undefined && next !== '' && !next.startsWith('#'))) {
          throw fail(`'${written}' cannot be combined with other Match attributes`);
        }
        if (result) result = !negate;
        return result;
      }
      attributes++;
      if (attribute === 'canonical' || attribute === 'final') {
        if (attribute === 'final') this.wantFinalPass = true;
        if (this.finalPass === negate) result = false;
        continue;
      }
      const arg = args[i++];
      if (arg === undefined || arg === '' || arg.startsWith('#')) throw fail(`Missing Match criteria for ${attribute}`);
      let matched: boolean;
      switch (attribute) {
        case 'host':
          host ??= this.#matchHost();
          matched = matchHostname(host, arg) === 1;
          break;
        case 'originalhost':
          matched = matchHostname(this.alias, arg) === 1;
          break;
        case 'user':
          matched = matchPatternList(ruser, arg, false) === 1;
          break;
        case 'localuser':
          matched = matchPatternList(this.localUser, arg, false) === 1;
          break;
        case 'exec':
          // never run: the block is taken as not matching (ssh runs it only if all before matched)
          if (result && !neverMatch) this.unsupported.add('match exec');
          result = false;
          continue;
        default:
          throw fail(`Unsupported Match attribute ${attribute}`);
      }
      if (matched === negate) result = false;
    }
    if (attributes === 0) throw fail('One or more attributes required for Match');
    return result;
  }

  /** Apply one directive (readconf.c `process_config_line_depth`). */
  #apply(d: ConfigDirective, where: string, depth: number, neverMatch: boolean, state: { active: boolean }): void {
    const fail = (message: string): SSHConfigError => new SSHConfigError(`${where}: ${message}`);
    const s = this.settings;
    const { keyword, args } = d;
    if (args.length === 0 && d.rest === '') throw fail(`no argument after keyword "${keyword}"`);
    const single = (missing = 'Missing argument.'): string => {
      const arg = args[0];
      if (arg === undefined || arg === '') throw fail(missing);
      if (args.length > 1) throw fail(`keyword ${keyword} extra arguments at end of line`);
      return arg;
    };
    const active = state.active;

    switch (keyword) {
      case 'host': {
        if (args.some((a) => a === '')) throw fail(`keyword ${keyword} empty argument`);
        let matched = false;
        if (!neverMatch) {
          for (const arg of args) {
            const negated = arg.startsWith('!');
            if (matchPattern(this.hostForHostLines, negated ? arg.slice(1) : arg)) {
              if (negated) {
                matched = false;
                break;
              }
              matched = true;
            }
          }
        }
        state.active = matched;
        return;
      }
      case 'match': {
        const matched = this.#match(args, (m) => fail(`${m} (Bad Match condition)`), neverMatch);
        state.active = neverMatch ? false : matched;
        return;
      }
      case 'include': {
        for (const arg of args) {
          if (arg === '') throw fail(`keyword ${keyword} empty argument`);
          // user configuration: relative to ~/.ssh, ~ allowed
          const pattern = arg.startsWith('/') || arg.startsWith('~') ? arg : `~/.ssh/${arg}`;
          const expanded = at(where, () => expandTilde(pattern, this.home, this.localUser));
          const outer = state.active;
          for (const file of globPaths(expanded)) {
            this.readFile(file, 'included', depth + 1, neverMatch || !outer, state, `${where}: `);
            // a Host or Match in the included file does not change the including file's state
            state.active = outer;
          }
        }
        return;
      }
      case 'ignoreunknown': {
        const arg = single();
        if (active && s.ignoreUnknown === undefined) s.ignoreUnknown = arg;
        return;
      }
      case 'hostname': {
        const arg = single();
        if (active && s.hostName === undefined) s.hostName = { value: arg, where };
        return;
      }
      case 'port': {
        const arg = single();
        const port = parsePort(arg);
        if (port <= 0) throw fail(`Bad port '${arg}'.`);
        if (active && s.port === undefined) s.port = port;
        return;
      }
      case 'user': {
        const arg = single();
        if (active && s.user === undefined) s.user = arg;
        return;
      }
      case 'identityfile':
      case 'identityfile2': {
        const arg = single();
        if (active) {
          if (s.identityFiles.length >= MAX_IDENTITY_FILES) throw fail(`Too many identity files specified (max ${MAX_IDENTITY_FILES}).`);
          if (!s.identityFiles.some((f) => f.value === arg)) s.identityFiles.push({ value: arg, where });
        }
        return;
      }
      case 'identitiesonly': {
        const arg = single();
        const value = FLAG[arg.toLowerCase()];
        if (value === undefined) throw fail(`unsupported option "${arg}".`);
        if (active && s.identitiesOnly === undefined) s.identitiesOnly = value;
        return;
      }
      case 'identityagent': {
        const arg = single();
        try {
          checkAgentPath(arg, process.env);
        } catch (e) {
          throw fail(`Invalid environment expansion ${arg}. (${(e as Error).message})`);
        }
        if (active && s.identityAgent === undefined) s.identityAgent = { value: arg, where };
        return;
      }
      case 'proxycommand': {
        if (active && !s.proxyCommandTaken) {
          s.proxyCommandTaken = true;
          s.proxyCommand = { value: d.rest, where };
        }
        return;
      }
      case 'proxyjump': {
        const spec = d.rest;
        if (spec.toLowerCase() === 'none') {
          if (active && s.proxyJump === undefined) s.proxyJump = 'none';
          return;
        }
        try {
          parseJumpSpec(spec);
        } catch {
          throw fail(`Invalid ProxyJump "${spec}"`);
        }
        if (active && !s.proxyCommandTaken && s.proxyJump === undefined) {
          s.proxyJump = jumpSpecText(spec);
          s.proxyCommandTaken = true;
        }
        return;
      }
      case 'userknownhostsfile': {
        args.forEach((arg, i) => {
          if (arg === '') throw fail(`keyword ${keyword} empty argument`);
          if (arg.toLowerCase() === 'none' && (i > 0 || args.length > 1)) throw fail(`keyword ${keyword} "none" argument must appear alone.`);
        });
        if (active && s.userKnownHostsFiles === undefined && args.length > 0) {
          if (args.length > MAX_HOSTS_FILES) throw fail(`too many ${keyword} entries.`);
          s.userKnownHostsFiles = { value: [...args], where };
        }
        return;
      }
      case 'stricthostkeychecking': {
        const arg = single('missing argument.');
        const value = STRICT[arg.toLowerCase()];
        if (value === undefined) throw fail(`unsupported option "${arg}".`);
        if (active && s.strictHostKeyChecking === undefined) s.strictHostKeyChecking = value;
        return;
      }
      case 'hostkeyalias': {
        const arg = single();
        if (active && s.hostKeyAlias === undefined) s.hostKeyAlias = arg;
        return;
      }
      case 'connecttimeout':
      case 'serveraliveinterval': {
        const arg = single('missing time value.');
        const value = arg === 'none' ? -1 : convtime(arg);
        if (value === -1 && arg !== 'none') throw fail('invalid time value.');
        const field = keyword === 'connecttimeout' ? 'connectTimeout' : 'serverAliveInterval';
        // `none` leaves it unset: a later value still applies
        if (active && s[field] === undefined && value !== -1) s[field] = value;
        return;
      }
      case 'serveralivecountmax': {
        const arg = single('integer value missing.');
        // strtonum(3) from 0 to INT_MAX
        const value = /^[ \t\n\v\f\r]*[+-]?\d+$/.test(arg) ? Number(arg) : NaN;
        if (!(value >= 0 && value <= 2147483647)) throw fail(`integer value invalid (${arg}).`);
        if (active && s.serverAliveCountMax === undefined) s.serverAliveCountMax = value;
        return;
      }
      case 'canonicalizehostname': {
        const arg = single('missing argument.');
        const value = CANONICALIZE[arg.toLowerCase()];
        if (value === undefined) throw fail(`unsupported option "${arg}".`);
        if (active && s.canonicalizeHostname === undefined) s.canonicalizeHostname = value;
        return;
      }
      default:
        if (IGNORED_KEYWORDS.has(keyword)) return;
        if (NOT_HONOURED_KEYWORDS.has(keyword)) {
          if (active) this.unsupported.add(keyword);
          return;
        }
        // unknown to OpenSSH: `ssh` refuses the file unless IgnoreUnknown names it; we go on
        if (s.ignoreUnknown !== undefined && matchPatternList(keyword, s.ignoreUnknown, true) === 1) return;
        this.unsupported.add(keyword);
    }
  }
}

function defaultLocalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['LOGNAME'] ?? '';
  }
}

/**
 * Resolve the OpenSSH client configuration for `host` as `ssh -G [-F file] [-l user] [-p port]
 * host` does (OpenSSH 9.2), for the keywords of {@link ResolvedSSHConfig}.
 *
 * What OpenSSH does and this does too: first value wins (`IdentityFile` accumulates); `Host`
 * patterns (`*`, `?`, `!`, case-sensitive) against the name given; `Match` with `all`,
 * `canonical`, `final`, `host` (the `HostName` when set), `originalhost`, `user`, `localuser`,
 * `!`; the final pass that `Match final` or `CanonicalizeHostname` ask for, where `Host` lines
 * see the host name; `Include` with globs, relative to `~/.ssh`, inside blocks, 16 levels deep,
 * refusing files writable by others; `IgnoreUnknown`; the validation of every value this reads.
 *
 * What it does not do: read /etc/ssh/ssh_config (OpenSSH reads it after `~/.ssh/config` when no
 * `-F` is given); run `Match exec` (the block is taken as not matching, and `'match exec'` is
 * listed in `unsupported`); canonicalise host names through DNS. The package that reads the
 * syntax does not know single quotes and ends a value at a `#` inside a word, where OpenSSH
 * keeps it.
 * @param host - the name to look up, as given to `ssh`
 * @throws - {@link SSHConfigError} when `ssh` would refuse the file (syntax, a bad value, an
 *   unknown `Match` criterion, an `Include` loop, bad permissions, a token that cannot be
 *   expanded …), when `options.file` does not exist, or when `host` or `options.user` holds
 *   characters `ssh` refuses on its command line; `TypeError` for an empty `host` or a `port`
 *   that is not an integer from 1 to 65535.
 */
export function resolveSSHConfig(host: string, options: SSHConfigLookupOptions = {}): ResolvedSSHConfig {
  if (typeof host !== 'string' || host === '') throw new TypeError('resolveSSHConfig needs a host name');
  if (!validHostname(host)) throw new SSHConfigError(`hostname contains invalid characters: ${JSON.stringify(host)}`);
  if (options.user !== undefined && !validRemoteUser(options.user)) {
    throw new SSHConfigError(`remote username contains invalid characters: ${JSON.stringify(options.user)}`);
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)) {
    throw new TypeError(`port must be an integer from 1 to 65535, got ${String(options.port)}`);
  }
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? defaultLocalUser();

  const settings: Settings = { identityFiles: [], proxyCommandTaken: false };
  if (options.port !== undefined) settings.port = options.port;
  if (options.user !== undefined) settings.user = options.user;
  const r = new Resolution(host, home, localUser, settings);

  let file = options.file;
  const kind: FileKind = file === undefined ? 'default' : 'given';
  if (file === undefined) {
    const userConfig = join(home, '.ssh', 'config');
    if (existsSync(userConfig)) file = userConfig;
  }
  if (file !== undefined && !r.readFile(file, kind, 0, false, { active: true }, '') && kind === 'given') {
    throw new SSHConfigError(`Can't open user config file ${file}: No such file or directory`);
  }

  // ssh.c: the host name takes its %h, is lower-cased (an address put in numeric form), and a
  // final pass may follow
  const hostNameSource = settings.hostName;
  let hostName = hostNameSource ? at(hostNameSource.where, () => expandTokens(hostNameSource.value, { h: host })) : host;
  hostName = isAddress(hostName) ? canonicalAddress(hostName) : asciiLower(hostName);
  if ((settings.canonicalizeHostname ?? 0) !== 0) {
    r.wantFinalPass = true;
    r.unsupported.add('canonicalizehostname');
  }
  if (r.wantFinalPass && file !== undefined) {
    settings.hostName = { value: hostName, where: hostNameSource?.where ?? file };
    r.hostForHostLines = hostName;
    r.finalPass = true;
    r.readFile(file, kind, 0, false, { active: true }, '');
  }

  const port = settings.port;
  const user = settings.user;
  const portText = String(port ?? 22);
  const remoteUser = user ?? localUser;
  const hostKeyAlias = settings.hostKeyAlias === undefined ? undefined : asciiLower(settings.hostKeyAlias);
  const thisHost = localHostname();
  const tokens: TokenValues = {
    C: createHash('sha1').update(thisHost + hostName + portText + remoteUser).digest('hex'),
    L: thisHost.split('.')[0] ?? thisHost,
    i: String(process.getuid?.() ?? -1),
    k: hostKeyAlias ?? host,
    l: thisHost,
    n: host,
    p: portText,
    d: home,
    h: hostName,
    r: remoteUser,
    u: localUser,
  };
  const expandPath = ({ value, where }: Sourced<string>): string =>
    at(where, () => expandTokens(expandTilde(value, home, localUser), tokens, process.env));

  let proxyCommand: string | undefined;
  if (settings.proxyCommand) {
    const { value, where } = settings.proxyCommand;
    proxyCommand =
      value.toLowerCase() === 'none'
        ? 'none'
        : at(where, () => expandTokens(value, { h: hostName, k: hostKeyAlias ?? host, n: host, p: portText, r: remoteUser }));
  }
  const knownHosts = settings.userKnownHostsFiles;
  let userKnownHostsFiles: string[] | undefined;
  if (knownHosts) {
    userKnownHostsFiles =
      knownHosts.value.length === 1 && knownHosts.value[0]?.toLowerCase() === 'none'
        ? ['none']
        : knownHosts.value.map((value) => expandPath({ value, where: knownHosts.where }));
  }

  return {
    host,
    hostName,
    port,
    user,
    // `IdentityFile none` names no file (and, for ssh, stops the default ones)
    identityFiles: settings.identityFiles.filter((f) => f.value.toLowerCase() !== 'none').map(expandPath),
    identitiesOnly: settings.identitiesOnly,
    identityAgent: settings.identityAgent ? expandPath(settings.identityAgent) : undefined,
    proxyJump: settings.proxyJump,
    proxyCommand,
    userKnownHostsFiles,
    strictHostKeyChecking: settings.strictHostKeyChecking,
    hostKeyAlias,
    connectTimeout: settings.connectTimeout,
    serverAliveInterval: settings.serverAliveInterval,
    serverAliveCountMax: settings.serverAliveCountMax,
    unsupported: [...r.unsupported],
    files: r.files,
  };
}
