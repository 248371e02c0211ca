/**
 * From command-line options to a connected {@link Manager}: validation of the connection
 * options, what the ssh_config file says about the host (for the messages: the library makes the
 * connection itself, through jump hosts or a proxy command when asked), the host-key policy (see
 * host-keys.ts) and the framing choice.
 *
 * Precedence, for the port and the user: the command line (`--port`, `--user`), then the
 * ssh_config entry of the host (`Port`, `User`), then `NETCONF_PORT` / `NETCONF_USER`, then the
 * library's defaults (830, the login name). The environment variables are defaults for hosts the
 * ssh_config file says nothing about.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { BASE_1_0, BASE_1_1, connect, defaultKnownHostsFiles, knownHostsLine, NETCONF_TLS_PORT, parseJumpSpec, resolveSSHConfig, SSHUnknownHostError, type ConnectOptions, type ConnectTLSOptions, type Manager, type ResolvedSSHConfig, type SSHConfigLookupOptions } from '../index.js';
import { UsageError, type ErrorContext } from './errors.js';
import { acceptNewTarget, createKnownHostsFile, fileListing, knownHostsName } from './host-keys.js';
import type { Logger } from './log.js';
import { refuseSSHOptions, refuseTLSOptions, tlsCredentials, tlsSettings, type TLSSettings, type TLSValues } from './tls.js';

export type FramingChoice = 'eom' | 'chunked' | 'auto';

/** Connection settings, validated. */
export interface ConnectionSettings {
  /** SSH (default), or NETCONF over TLS with `--tls`. */
  transport: 'ssh' | 'tls';
  /** With `--tls`: the certificates and key (read), the name, the pin. */
  tls: TLSSettings | undefined;
  /** As given: a host name, an address, or a `Host` alias of the ssh_config file. */
  host: string;
  /** The port to pass to the library; undefined: ssh_config's `Port`, else 830. */
  port: number | undefined;
  /** The user to pass to the library; undefined: ssh_config's `User`, else the login name. */
  username: string | undefined;
  keys: string[];
  knownHosts: string[];
  acceptNew: boolean;
  insecure: boolean;
  /** `--timeout` seconds (connecting, each reply); undefined: ssh_config's `ConnectTimeout` for connecting, 30 for replies. */
  timeout: number | undefined;
  framing: FramingChoice;
  /** `-F FILE`; false for `-F none`; undefined: the library's default (`~/.ssh/config` when it exists). */
  sshConfig: string | false | undefined;
  /** `-J HOPS`, as given (OpenSSH syntax, or `none`). */
  jump: string | undefined;
  /** `--proxy-command CMD`, as given (or `none`). */
  proxyCommand: string | undefined;
  /** `--keepalive SECONDS` (0: none, whatever ssh_config says). */
  keepalive: number | undefined;
  allowStrictHostKeyCheckingNo: boolean;
  identitiesOnly: boolean;
  /** The ssh_config file's entry for the host (undefined without a file); for messages. */
  config: ResolvedSSHConfig | undefined;
  /** The server as the messages name it: host name (after ssh_config's `HostName`) and port. */
  target: { hostName: string; port: number; user: string | undefined };
}

/** The raw option values this module reads. */
export interface ConnectionValues extends TLSValues {
  host?: string | undefined;
  port?: string | undefined;
  user?: string | undefined;
  key?: string[] | undefined;
  'known-hosts'?: string[] | undefined;
  'accept-new'?: boolean | undefined;
  'insecure-accept-any-host-key'?: boolean | undefined;
  timeout?: string | undefined;
  framing?: string | undefined;
  'ssh-config'?: string | undefined;
  jump?: string | undefined;
  'proxy-command'?: string | undefined;
  keepalive?: string | undefined;
  'allow-strict-host-key-checking-no'?: boolean | undefined;
  'identities-only'?: boolean | undefined;
}

/** Seconds before the reply of an RPC is given up, without `--timeout`. */
export const DEFAULT_TIMEOUT = 30;

/** A positive number of seconds, or a usage error naming the option. */
export function parseSeconds(value: string, option: string, command?: string): number {
  const n = Number(value);
  if (!/^\s*[0-9.]+\s*$/.test(value) || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a positive number of seconds, got '${value}'`, command);
  return n;
}

export function parsePort(text: string, option: string, command: string): number {
  const port = Number(text);
  if (!/^[0-9]+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`${option} must be a TCP port number (1-65535), got '${text}'`, command);
  return port;
}

/** Check a `-J` value: OpenSSH's `[user@]host[:port]` hops separated by commas, or `none` (read by the library's parser). */
export function checkJumpSpec(spec: string, command: string): void {
  const bad = (why: string): UsageError => new UsageError(`-J/--jump must be [USER@]HOST[:PORT] hops separated by commas, or none: ${why}`, command);
  if (/\s/.test(spec)) throw bad(`'${spec}' contains a space`);
  try {
    parseJumpSpec(spec);
  } catch (err) {
    throw bad((err as Error).message.replace(/\.$/, ''));
  }
}

/** `--framing`, checked. */
export function framingChoice(value: string | undefined, command: string): FramingChoice {
  const framing = value ?? 'auto';
  if (framing !== 'eom' && framing !== 'chunked' && framing !== 'auto') throw new UsageError(`--framing must be eom, chunked or auto, got '${framing}'`, command);
  return framing;
}

/**
 * The settings of `--tls`: the host as given (no ssh_config lookup), `--port` else 6513
 * (NETCONF_PORT, which names the SSH port, is not used), no user (the server maps the client
 * certificate to one).
 */
function tlsConnectionSettings(host: string, values: ConnectionValues, command: string): ConnectionSettings {
  refuseSSHOptions(values as Record<string, unknown>, '--tls', command);
  const tls = tlsSettings(values, command);
  const port = values.port === undefined ? NETCONF_TLS_PORT : parsePort(values.port, '--port', command);
  return {
    transport: 'tls',
    tls,
    host,
    port,
    username: undefined,
    keys: [],
    knownHosts: [],
    acceptNew: false,
    insecure: false,
    timeout: values.timeout === undefined ? undefined : parseSeconds(values.timeout, '--timeout', command),
    framing: framingChoice(values.framing, command),
    sshConfig: false,
    jump: undefined,
    proxyCommand: undefined,
    keepalive: undefined,
    allowStrictHostKeyCheckingNo: false,
    identitiesOnly: false,
    config: undefined,
    target: { hostName: host, port, user: undefined },
  };
}

/** Validate the connection options (environment: NETCONF_HOST, NETCONF_PORT, NETCONF_USER). */
export function connectionSettings(values: ConnectionValues, env: NodeJS.ProcessEnv, command: string): ConnectionSettings {
  const host = values.host ?? env['NETCONF_HOST'];
  if (host === undefined || host === '') throw new UsageError('no server given: use --host HOST or a HOST argument (or set NETCONF_HOST)', command);
  if (values.tls) return tlsConnectionSettings(host, values, command);
  refuseTLSOptions(values as Record<string, unknown>, '--tls', command);
  const givenPort = values.port === undefined ? undefined : parsePort(values.port, '--port', command);
  const framing = framingChoice(values.framing, command);
  if (values['accept-new'] && values['insecure-accept-any-host-key']) {
    throw new UsageError('--accept-new and --insecure-accept-any-host-key cannot be used together', command);
  }
  const keys = values.key ?? [];
  for (const key of keys) {
    try {
      readFileSync(key);
    } catch (err) {
      throw new UsageError(`--key ${key}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, command);
    }
  }
  const timeout = values.timeout === undefined ? undefined : parseSeconds(values.timeout, '--timeout', command);

  // -F FILE | none
  let sshConfig: string | false | undefined;
  const F = values['ssh-config'];
  if (F === 'none') sshConfig = false;
  else if (F !== undefined) {
    if (F === '') throw new UsageError('-F/--ssh-config needs a file name (or none)', command);
    try {
      readFileSync(F);
    } catch (err) {
      throw new UsageError(`-F/--ssh-config ${F}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, command);
    }
    sshConfig = F;
  }

  const jump = values.jump;
  if (jump !== undefined) checkJumpSpec(jump, command);
  const proxyCommand = values['proxy-command'];
  if (proxyCommand !== undefined && proxyCommand.trim() === '') throw new UsageError('--proxy-command needs a command (or none)', command);
  if (jump !== undefined && jump !== 'none' && proxyCommand !== undefined && proxyCommand !== 'none') {
    throw new UsageError('-J/--jump and --proxy-command cannot be used together', command);
  }
  let keepalive: number | undefined;
  if (values.keepalive !== undefined) {
    const text = values.keepalive;
    keepalive = Number(text);
    if (!/^\s*[0-9.]+\s*$/.test(text) || !Number.isFinite(keepalive) || keepalive < 0) {
      throw new UsageError(`--keepalive must be a number of seconds (0 for none), got '${text}'`, command);
    }
  }

  // What the ssh_config file says (the library reads it again to connect; this is for the
  // precedence of the environment and for the messages).
  let config: ResolvedSSHConfig | undefined;
  if (sshConfig !== false) {
    // without -F: ~/.ssh/config when it exists, as the library reads it
    const lookup: SSHConfigLookupOptions = {};
    if (sshConfig !== undefined) lookup.file = sshConfig;
    if (values.user !== undefined) lookup.user = values.user;
    if (givenPort !== undefined) lookup.port = givenPort;
    try {
      config = resolveSSHConfig(host, lookup);
    } catch (err) {
      const hint = sshConfig === undefined ? ' (-F none ignores it)' : '';
      throw new UsageError(`cannot use the ssh_config file ${sshConfig ?? '~/.ssh/config'}: ${(err as Error).message}${hint}`, command);
    }
    if (config.files.length === 0) config = undefined;
  }

  const envPort = env['NETCONF_PORT'];
  const port = givenPort ?? (config?.port === undefined && envPort !== undefined && envPort !== '' ? parsePort(envPort, 'NETCONF_PORT', command) : undefined);
  const envUser = env['NETCONF_USER'];
  const username = values.user ?? (config?.user === undefined && envUser !== undefined && envUser !== '' ? envUser : undefined);

  return {
    transport: 'ssh',
    tls: undefined,
    host,
    port,
    username,
    keys,
    knownHosts: values['known-hosts'] ?? [],
    acceptNew: values['accept-new'] === true,
    insecure: values['insecure-accept-any-host-key'] === true,
    timeout,
    framing,
    sshConfig,
    jump,
    proxyCommand,
    keepalive,
    allowStrictHostKeyCheckingNo: values['allow-strict-host-key-checking-no'] === true,
    identitiesOnly: values['identities-only'] === true,
    config,
    target: { hostName: config?.hostName ?? host, port: port ?? config?.port ?? 830, user: username ?? config?.user },
  };
}

/** The client capabilities for a `--framing` choice (undefined: the library's default, both). */
export function framingCapabilities(framing: FramingChoice): string[] | undefined {
  if (framing === 'eom') return [BASE_1_0];
  if (framing === 'chunked') return [BASE_1_1];
  return undefined;
}

/** How messages name the server: `host:port`, or `alias (host:port)` for an ssh_config alias. */
export function describeTarget(settings: ConnectionSettings): string {
  const { hostName, port } = settings.target;
  return hostName.toLowerCase() === settings.host.toLowerCase() ? `${hostName}:${port}` : `${settings.host} (${hostName}:${port})`;
}

/** The line the library logs when `accept-new` has recorded a key: the user is told, not only with --debug. */
const ACCEPTED_LINE = /^accepted the new \S+ host key of /;

/**
 * The `--known-hosts` files to hand to the library, which requires each to exist. A missing one
 * counts as empty (as OpenSSH treats `UserKnownHostsFile`): it is left out, said with `--debug`;
 * except the first one under `--accept-new`, where the new key is to be written: it is created
 * (empty, mode 600, its directory 700) so that the library can write there.
 */
function usableKnownHosts(settings: ConnectionSettings, log: Logger, command: string | undefined): string[] {
  const files: string[] = [];
  settings.knownHosts.forEach((file, index) => {
    if (existsSync(file)) {
      files.push(file);
    } else if (index === 0 && settings.acceptNew) {
      try {
        createKnownHostsFile(file);
      } catch (err) {
        throw new UsageError(`--known-hosts ${file}: cannot create it for --accept-new (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, command);
      }
      log.debug(`--known-hosts ${file} did not exist: created (empty) for --accept-new`);
      files.push(file);
    } else {
      log.debug(`--known-hosts ${file} does not exist: no key is known from it`);
    }
  });
  return files;
}

/**
 * Connect and return a {@link Manager}. Fills `errorContext` with what an error message needs
 * (the refused host key and the known_hosts line that would accept it). `signal` (Ctrl-C) aborts
 * the connection attempt at once.
 */
export async function openConnection(settings: ConnectionSettings, password: string | undefined, log: Logger, errorContext: ErrorContext, signal?: AbortSignal): Promise<Manager> {
  if (settings.transport === 'tls') return openTLSConnection(settings, password, log, errorContext, signal);
  const target = describeTarget(settings);
  warnUnverified(settings, target, log);
  const connectTimeout = settings.timeout ?? settings.config?.connectTimeout ?? DEFAULT_TIMEOUT;
  errorContext.timeout = connectTimeout;
  const via = settings.jump !== undefined && settings.jump !== 'none' ? ` via ${settings.jump}` : settings.proxyCommand !== undefined && settings.proxyCommand !== 'none' ? ' via a proxy command' : '';
  log.debug(`connecting to ${target}${via} (timeout ${connectTimeout} s, framing ${settings.framing})`);
  /** The name the library looked the refused key up under (HostName, or HostKeyAlias). */
  let lookedUp: string | undefined;
  const { options: base, knownHostsFiles } = sshOptions(settings, password, log, errorContext);
  const options: ConnectOptions = {
    ...base,
    host: settings.host,
    unknownHostCb: (name, _md5, key) => {
      // refused (unless --accept-new, where the library records the key itself and does not ask)
      lookedUp = name;
      errorContext.hostKey = key;
      return false;
    },
  };
  if (settings.port !== undefined) options.port = settings.port;
  if (settings.sshConfig !== undefined) options.sshConfig = settings.sshConfig;
  if (settings.jump !== undefined) options.proxyJump = settings.jump;
  if (settings.proxyCommand !== undefined) options.proxyCommand = settings.proxyCommand;
  if (settings.allowStrictHostKeyCheckingNo) options.allowStrictHostKeyCheckingNo = true;
  if (signal) options.signal = signal;
  try {
    const manager = await connect(options);
    errorContext.timeout = settings.timeout ?? DEFAULT_TIMEOUT;
    log.debug(`connected to ${manager.session.peer}: session-id ${manager.sessionId ?? '?'}, ${manager.session.framing} framing, ${manager.serverCapabilities.size} server capabilities`);
    return manager;
  } catch (err) {
    if (err instanceof SSHUnknownHostError) noteRefusedKey(err, settings, lookedUp, knownHostsFiles, errorContext);
    throw err;
  }
}

/** The warnings of an unverified host key (`--insecure-accept-any-host-key`, honoured StrictHostKeyChecking no). */
export function warnUnverified(settings: ConnectionSettings, target: string, log: Logger): void {
  if (settings.insecure) {
    log.warn(`WARNING: --insecure-accept-any-host-key: the identity of ${target} is NOT verified; anyone able to intercept the connection can impersonate the server and read what you send, password included.`);
  } else if (settings.allowStrictHostKeyCheckingNo && settings.config?.strictHostKeyChecking === 'no') {
    log.warn(`WARNING: the ssh_config file sets StrictHostKeyChecking no for ${settings.host} and --allow-strict-host-key-checking-no honours it: the identity of ${target} is NOT verified.`);
  }
}

/**
 * The SSH options common to an outgoing connection and to call home: user, password, keys,
 * host-key policy (known_hosts files, `--accept-new`, `--insecure-accept-any-host-key`),
 * timeouts, keepalive, framing. Fills `errorContext` with where `--accept-new` writes.
 */
export function sshOptions(settings: ConnectionSettings, password: string | undefined, log: Logger, errorContext: ErrorContext): { options: Omit<ConnectOptions, 'host'>; knownHostsFiles: string[] } {
  errorContext.knownHostsFile = acceptNewTarget(settings.knownHosts, settings.config);
  errorContext.acceptNew = settings.acceptNew;
  const knownHostsFiles = usableKnownHosts(settings, log, errorContext.command);
  const options: Omit<ConnectOptions, 'host'> = {
    rpcTimeout: settings.timeout ?? DEFAULT_TIMEOUT,
    raiseMode: 'errors',
    hostkeyVerify: !settings.insecure,
    log: (line) => (ACCEPTED_LINE.test(line) ? log.info(line) : log.debug(line)),
  };
  if (settings.username !== undefined) options.username = settings.username;
  if (password !== undefined) options.password = password;
  if (settings.keys.length > 0) options.keyFilename = settings.keys;
  if (settings.timeout !== undefined) options.timeout = settings.timeout;
  if (settings.keepalive !== undefined) options.keepalive = settings.keepalive;
  if (settings.identitiesOnly) options.identitiesOnly = true;
  if (settings.acceptNew) options.strictHostKeyChecking = 'accept-new';
  if (knownHostsFiles.length > 0) options.knownHostsFile = knownHostsFiles;
  const capabilities = framingCapabilities(settings.framing);
  if (capabilities) options.capabilities = capabilities;
  return { options, knownHostsFiles };
}

/** The TLS options common to an outgoing connection and to call home (`passphrase`: of an encrypted `--key`). */
export function tlsOptions(settings: ConnectionSettings, passphrase: string | undefined, log: Logger, command: string): Omit<ConnectTLSOptions, 'host' | 'transport'> {
  const tls = settings.tls;
  if (!tls) throw new TypeError('not a TLS connection');
  const options: Omit<ConnectTLSOptions, 'host' | 'transport'> = {
    tls: tlsCredentials(tls, passphrase, command),
    rpcTimeout: settings.timeout ?? DEFAULT_TIMEOUT,
    raiseMode: 'errors',
    log: (line) => log.debug(line),
  };
  if (settings.timeout !== undefined) options.timeout = settings.timeout;
  const capabilities = framingCapabilities(settings.framing);
  if (capabilities) options.capabilities = capabilities;
  return options;
}

/** Connect over TLS (`--tls`). */
async function openTLSConnection(settings: ConnectionSettings, passphrase: string | undefined, log: Logger, errorContext: ErrorContext, signal: AbortSignal | undefined): Promise<Manager> {
  const tls = settings.tls as TLSSettings;
  const target = describeTarget(settings);
  errorContext.transport = 'tls';
  errorContext.timeout = settings.timeout ?? DEFAULT_TIMEOUT;
  errorContext.servername = tls.servername ?? settings.host;
  const base = tlsOptions(settings, passphrase, log, errorContext.command ?? 'netconf');
  log.debug(
    `connecting to ${target} over TLS (timeout ${errorContext.timeout} s, framing ${settings.framing}; ` +
      `client certificate ${tls.certFile === undefined ? 'none' : `${tls.certFile} (${tls.certSubject ?? '?'})`}; ` +
      `CA ${tls.caFiles.length ? tls.caFiles.join(', ') : "Node's list"}${tls.fingerprint ? '; pinned fingerprint' : ''})`,
  );
  const options: ConnectTLSOptions = { ...base, transport: 'tls', host: settings.host };
  if (settings.port !== undefined) options.port = settings.port;
  if (signal) options.signal = signal;
  const manager = await connect(options);
  log.debug(`connected to ${manager.session.peer}: session-id ${manager.sessionId ?? '?'}, ${manager.session.framing} framing, ${manager.serverCapabilities.size} server capabilities`);
  return manager;
}

/** Fill `errorContext` from a refused host key: the key, the known_hosts line that would accept it, the file to fix. */
function noteRefusedKey(err: SSHUnknownHostError, settings: ConnectionSettings, lookedUp: string | undefined, files: readonly string[], errorContext: ErrorContext): void {
  const key = err.hostKey ?? errorContext.hostKey;
  if (key) errorContext.hostKey = key;
  // The name known_hosts is searched under: ssh_config's HostKeyAlias (with port 22), else the host name and port.
  const alias = err.hop === undefined ? settings.config?.hostKeyAlias : undefined;
  let name = err.host;
  let port = err.port ?? (err.hop ? err.hop.port : settings.target.port);
  if (alias !== undefined) {
    name = alias;
    port = 22;
  } else if (err.reason === 'unknown' && lookedUp !== undefined && lookedUp !== err.host) {
    name = lookedUp;
    port = 22;
  }
  if (key) errorContext.knownHostsLine = knownHostsLine(name, port, key);
  errorContext.knownHostsName = knownHostsName(name, port);
  if (err.reason !== 'unknown') {
    const userFiles = settings.config?.userKnownHostsFiles ?? [];
    errorContext.knownHostsFile = fileListing(name, port, [...files, ...userFiles, ...defaultKnownHostsFiles()]) ?? errorContext.knownHostsFile;
  }
}
