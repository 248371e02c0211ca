/**
 * From the options of `connect()` and the ssh_config file to the route of SSH connections to
 * make: an optional proxy command, the jump hosts in order, and the NETCONF server. Options given
 * to `connect()` beat the file; the file's values are those `ssh -G` shows.
 * @module
 */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { SSHError } from './errors.js';
import { defaultUnknownHostCb, type StrictHostKeyChecking } from './host-key-policy.js';
import { defaultKnownHostsFiles, KnownHosts } from './known-hosts.js';
import { expandProxyTokens } from './proxy-command.js';
import { parseJumpSpec, resolveSSHConfig, type ResolvedSSHConfig, type SSHConfigLookupOptions } from './ssh-config.js';
import type { SSHEndpoint } from './ssh-connection.js';
import { NETCONF_SSH_PORT, type JumpHostOptions, type SSHConnectOptions, type SSHHostOptions } from './ssh-options.js';

/** Jump hosts reached through a jump host's own ssh_config `ProxyJump`, at most (a loop guard). */
const MAX_HOPS = 16;

/** The SSH connections to make, in order. */
export interface SSHRoute {
  /** Run this (tokens expanded) and make the first connection over its stdin/stdout. */
  proxyCommand: string | undefined;
  /** Jump hosts, first one first. */
  hops: SSHEndpoint[];
  target: SSHEndpoint;
}

/** The known_hosts the session already holds, and whether the caller loaded them itself. */
export interface KnownHostsState {
  knownHosts: KnownHosts;
  loadedByCaller: boolean;
}

function positiveSeconds(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive number of seconds, got ${String(value)}`);
  }
  return value;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`port must be an integer from 1 to 65535, got ${String(port)}`);
  return port;
}

function list(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

/** A pinned key given as `[type ]base64`, in wire format. */
function pinnedKey(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const encoded = value.trim().split(/\s+/).pop() ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new TypeError('hostkeyB64 must be a base64 key blob, optionally preceded by its type');
  return Buffer.from(encoded, 'base64');
}

/**
 * Plan the connections for `options`.
 * @param note - receives what was read and decided (never a secret)
 * @throws - {@link SSHError} for a ssh_config that would turn host-key checking off without the
 *   caller's opt-in; `TypeError` for invalid options; the ssh_config parser's error.
 */
export function planRoute(options: SSHConnectOptions, state: KnownHostsState, note: (line: string) => void): SSHRoute {
  const { host } = options;
  if (typeof host !== 'string' || host.length === 0) throw new TypeError('connect() needs a host');
  const localUser = userInfo().username;
  /** The file's entry for `alias`; `%p` in its values is the port connected to (830 for the server when nothing says otherwise, not ssh's 22). */
  const lookup = (alias: string, user: string | undefined, port: number | undefined, defaultPort: number): ResolvedSSHConfig | undefined => {
    if (options.sshConfig === false) return undefined;
    const lookupOptions: SSHConfigLookupOptions = {};
    // without a file: ~/.ssh/config when it exists, checked as ssh checks it
    if (options.sshConfig !== undefined) lookupOptions.file = options.sshConfig;
    if (user !== undefined) lookupOptions.user = user;
    if (port !== undefined) lookupOptions.port = port;
    let resolved = resolveSSHConfig(alias, lookupOptions);
    if (resolved.port === undefined && defaultPort !== 22) resolved = resolveSSHConfig(alias, { ...lookupOptions, port: defaultPort });
    const source = `ssh_config ${resolved.files.join(', ')}`;
    const used = describeConfig(resolved);
    if (used) note(`${source} for ${alias}: ${used}`);
    if (resolved.unsupported.length > 0) note(`${source} for ${alias}: not supported, ignored: ${resolved.unsupported.join(', ')}`);
    return resolved;
  };

  const callerKnownHosts = list(options.knownHostsFile);
  const knownHostsFor = (config: ResolvedSSHConfig | undefined): { knownHosts: KnownHosts; first: string | undefined } => {
    // `UserKnownHostsFile none`: no file of the user's (the caller's still count)
    const own = config?.userKnownHostsFiles?.filter((file) => file !== 'none');
    const first = callerKnownHosts[0] ?? (own ? own[0] : (defaultKnownHostsFiles()[0] ?? join(homedir(), '.ssh', 'known_hosts')));
    if (state.loadedByCaller || own === undefined) return { knownHosts: state.knownHosts, first };
    const knownHosts = new KnownHosts();
    for (const file of callerKnownHosts) knownHosts.loadSync(file);
    for (const file of own) knownHosts.loadSync(file, { ignoreMissing: true });
    return { knownHosts, first };
  };
  if (!state.loadedByCaller && (options.hostkeyVerify ?? true)) {
    // the session's own set: the caller's files, and the user's (ssh_config may name others per host)
    for (const file of callerKnownHosts) state.knownHosts.loadSync(file);
    for (const file of defaultKnownHostsFiles()) state.knownHosts.loadSync(file, { ignoreMissing: true });
  }

  const strictFor = (alias: string, config: ResolvedSSHConfig | undefined): StrictHostKeyChecking => {
    if (options.strictHostKeyChecking !== undefined) return options.strictHostKeyChecking;
    const fromFile = config?.strictHostKeyChecking;
    if (fromFile === 'no') {
      if (options.allowStrictHostKeyCheckingNo === true) return 'no';
      throw new SSHError(
        `ssh_config ${config?.files.join(', ') ?? ''} sets StrictHostKeyChecking no for ${alias}: netconfkit does not turn host-key verification off because a config file says so. ` +
          'Pass allowStrictHostKeyCheckingNo: true to honour it (CLI: --allow-strict-host-key-checking-no), or hostkeyVerify: false.',
      );
    }
    return fromFile === 'accept-new' ? 'accept-new' : 'yes';
  };

  const agentFor = (config: ResolvedSSHConfig | undefined, given: SSHHostOptions): string | undefined => {
    if (given.allowAgent === false || (given.allowAgent === undefined && options.allowAgent === false)) return undefined;
    if (given.agent !== undefined) return given.agent;
    if (options.agent !== undefined) return options.agent;
    const fromFile = config?.identityAgent;
    if (fromFile === 'none') return undefined;
    if (fromFile !== undefined && fromFile !== 'SSH_AUTH_SOCK') return fromFile;
    return process.env['SSH_AUTH_SOCK'] || undefined;
  };

  const keepaliveOption = options.keepalive === 0 ? 0 : positiveSeconds(options.keepalive, 'keepalive');
  const countMaxOption = options.keepaliveCountMax;
  if (countMaxOption !== undefined && (!Number.isInteger(countMaxOption) || countMaxOption < 0)) {
    throw new TypeError(`keepaliveCountMax must be a non-negative integer, got ${String(countMaxOption)}`);
  }
  const callerTimeout = positiveSeconds(options.timeout, 'timeout');
  const callerKeys = list(options.keyFilename);

  /** One endpoint: `given` beats `config`; a jump host (hopIndex set) also gets the caller's keys. */
  const endpoint = (alias: string, given: SSHHostOptions, config: ResolvedSSHConfig | undefined, hopIndex: number | undefined): SSHEndpoint => {
    const port = checkPort(given.port ?? config?.port ?? (hopIndex === undefined ? NETCONF_SSH_PORT : 22));
    const hostName = config?.hostName ?? alias;
    const hop = hopIndex === undefined ? undefined : { index: hopIndex, host: hostName, port };
    const strict = strictFor(alias, config);
    const { knownHosts, first } = knownHostsFor(config);
    const keyAlias = given.hostKeyAlias ?? config?.hostKeyAlias;
    const inherited = hop ? callerKeys : [];
    return {
      alias,
      host: hostName,
      port,
      username: given.username ?? config?.user ?? localUser,
      hop,
      timeout: positiveSeconds(given.timeout, 'timeout') ?? config?.connectTimeout ?? callerTimeout ?? 30,
      keepalive: keepaliveOption ?? config?.serverAliveInterval ?? 0,
      keepaliveCountMax: countMaxOption ?? config?.serverAliveCountMax ?? 3,
      auth: {
        password: given.password,
        keyFiles: [
          ...list(given.keyFilename).map((path) => ({ path, required: true })),
          ...(config?.identityFiles ?? []).map((path) => ({ path, required: false })),
          ...inherited.map((path) => ({ path, required: false })),
        ],
        agent: agentFor(config, given),
        identitiesOnly: given.identitiesOnly ?? config?.identitiesOnly ?? false,
        lookForKeys: given.lookForKeys ?? options.lookForKeys ?? true,
      },
      hostKey: {
        verify: (options.hostkeyVerify ?? true) && strict !== 'no',
        pinned: pinnedKey(given.hostkeyB64),
        knownHosts,
        lookup: keyAlias !== undefined ? { host: keyAlias, port: 22 } : { host: hostName, port },
        strict: strict === 'accept-new' ? 'accept-new' : 'yes',
        acceptNewFile: first,
        unknownHostCb: options.unknownHostCb ?? defaultUnknownHostCb,
      },
    };
  };

  // The NETCONF server.
  const targetConfig = lookup(host, options.username, options.port, NETCONF_SSH_PORT);
  const target = endpoint(host, options, targetConfig, undefined);

  // How to reach it: the caller's sock / proxyCommand / proxyJump, else the file's.
  const givenCommand = options.proxyCommand !== undefined && options.proxyCommand !== 'none';
  const givenJump = options.proxyJump !== undefined && options.proxyJump !== 'none';
  if (givenCommand && givenJump) throw new TypeError('proxyCommand and proxyJump cannot be used together');
  let proxyCommand: string | undefined;
  let jumps: { alias: string; given: JumpHostOptions }[] = [];
  if (options.sock === undefined) {
    if (givenCommand) {
      proxyCommand = expandProxyTokens(options.proxyCommand as string, { host: target.host, port: target.port, user: target.username, alias: host });
    } else if (options.proxyJump !== undefined) {
      jumps = jumpList(options.proxyJump);
    } else if (options.proxyCommand === undefined && targetConfig) {
      // the file's ProxyCommand comes with its tokens expanded
      if (targetConfig.proxyCommand !== undefined && targetConfig.proxyCommand !== 'none') proxyCommand = targetConfig.proxyCommand;
      else if (targetConfig.proxyJump !== undefined) jumps = jumpList(targetConfig.proxyJump);
    }
  }

  // The jump hosts. As with OpenSSH, the first jump host's own ProxyJump / ProxyCommand applies
  // (it is reached the way `ssh` would reach it); the later ones are reached through the chain.
  const planned: { alias: string; given: JumpHostOptions; config: ResolvedSSHConfig | undefined }[] = [];
  while (jumps.length > 0) {
    const resolved = jumps.map(({ alias, given }) => ({ alias, given, config: lookup(alias, given.username, given.port, 22) }));
    planned.unshift(...resolved);
    if (planned.length > MAX_HOPS) throw new SSHError(`More than ${MAX_HOPS} jump hosts (is there a ProxyJump loop in the ssh_config file?)`);
    const firstConfig = resolved[0]?.config;
    jumps = [];
    if (firstConfig?.proxyCommand !== undefined && firstConfig.proxyCommand !== 'none') proxyCommand = firstConfig.proxyCommand;
    else if (firstConfig?.proxyJump !== undefined) jumps = jumpList(firstConfig.proxyJump);
  }
  const hops = planned.map(({ alias, given, config }, index) => endpoint(alias, given, config, index));
  return { proxyCommand, hops, target };
}

/** A `proxyJump` value as a list of hops (`'none'`: no hop). */
function jumpList(spec: string | readonly JumpHostOptions[]): { alias: string; given: JumpHostOptions }[] {
  if (typeof spec !== 'string') {
    return spec.map((hop) => {
      if (typeof hop?.host !== 'string' || hop.host === '') throw new TypeError('each proxyJump hop needs a host');
      return { alias: hop.host, given: hop };
    });
  }
  return parseJumpSpec(spec).map(({ host, port, user }) => {
    const given: JumpHostOptions = { host };
    if (port !== undefined) given.port = port;
    if (user !== undefined) given.username = user;
    return { alias: host, given };
  });
}

/** The keywords of a resolved entry that matter, for the log (no secrets live in ssh_config). */
function describeConfig(config: ResolvedSSHConfig): string {
  const parts: string[] = [];
  if (config.hostName !== config.host) parts.push(`HostName ${config.hostName}`);
  if (config.port !== undefined) parts.push(`Port ${config.port}`);
  if (config.user !== undefined) parts.push(`User ${config.user}`);
  if (config.identityFiles.length > 0) parts.push(`IdentityFile ${config.identityFiles.join(' ')}`);
  if (config.identitiesOnly !== undefined) parts.push(`IdentitiesOnly ${config.identitiesOnly ? 'yes' : 'no'}`);
  if (config.identityAgent !== undefined) parts.push(`IdentityAgent ${config.identityAgent}`);
  if (config.proxyJump !== undefined) parts.push(`ProxyJump ${config.proxyJump}`);
  if (config.proxyCommand !== undefined) parts.push(`ProxyCommand ${config.proxyCommand}`);
  if (config.userKnownHostsFiles !== undefined) parts.push(`UserKnownHostsFile ${config.userKnownHostsFiles.join(' ')}`);
  if (config.strictHostKeyChecking !== undefined) parts.push(`StrictHostKeyChecking ${config.strictHostKeyChecking}`);
  if (config.hostKeyAlias !== undefined) parts.push(`HostKeyAlias ${config.hostKeyAlias}`);
  if (config.connectTimeout !== undefined) parts.push(`ConnectTimeout ${config.connectTimeout}`);
  if (config.serverAliveInterval !== undefined) parts.push(`ServerAliveInterval ${config.serverAliveInterval}`);
  if (config.serverAliveCountMax !== undefined) parts.push(`ServerAliveCountMax ${config.serverAliveCountMax}`);
  return parts.join(', ');
}
