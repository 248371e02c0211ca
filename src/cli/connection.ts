/**
 * From command-line options to a connected {@link Manager}: validation of the connection
 * options, the TCP socket (opened here so that progress can count bytes), the host-key policy
 * (see host-keys.ts) and the framing choice.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { BASE_1_0, BASE_1_1, connect, defaultKnownHostsFiles, SSHUnknownHostError, type ConnectOptions, type Manager } from '../index.js';
import { ConnectError, UsageError, type ErrorContext } from './errors.js';
import { acceptNewTarget, appendKnownHost, knownHostsLine, knownHostsName } from './host-keys.js';
import type { Logger } from './log.js';

export type FramingChoice = 'eom' | 'chunked' | 'auto';

/** Connection settings, validated. */
export interface ConnectionSettings {
  host: string;
  port: number;
  /** Undefined: the library's default, the OS user. */
  username: string | undefined;
  keys: string[];
  knownHosts: string[];
  acceptNew: boolean;
  insecure: boolean;
  /** Seconds, for the connection and for each reply. */
  timeout: number;
  framing: FramingChoice;
}

/** The raw option values this module reads. */
export interface ConnectionValues {
  host?: string | undefined;
  port?: string | undefined;
  user?: string | undefined;
  key?: string[] | undefined;
  'known-hosts'?: string[] | undefined;
  'accept-new'?: boolean | undefined;
  'insecure-accept-any-host-key'?: boolean | undefined;
  timeout?: string | undefined;
  framing?: string | undefined;
}

/** A positive number of seconds, or a usage error naming the option. */
export function parseSeconds(value: string, option: string, command?: string): number {
  const n = Number(value);
  if (!/^\s*[0-9.]+\s*$/.test(value) || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a positive number of seconds, got '${value}'`, command);
  return n;
}

/** Validate the connection options (environment: NETCONF_HOST, NETCONF_PORT, NETCONF_USER). */
export function connectionSettings(values: ConnectionValues, env: NodeJS.ProcessEnv, command: string): ConnectionSettings {
  const host = values.host ?? env['NETCONF_HOST'];
  if (host === undefined || host === '') throw new UsageError('no server given: use --host HOST (or set NETCONF_HOST)', command);
  const portText = values.port ?? env['NETCONF_PORT'] ?? '830';
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) throw new UsageError(`--port must be a TCP port number (1-65535), got '${portText}'`, command);
  const framing = values.framing ?? 'auto';
  if (framing !== 'eom' && framing !== 'chunked' && framing !== 'auto') throw new UsageError(`--framing must be eom, chunked or auto, got '${framing}'`, command);
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
  return {
    host,
    port,
    username: values.user ?? env['NETCONF_USER'],
    keys,
    knownHosts: values['known-hosts'] ?? [],
    acceptNew: values['accept-new'] === true,
    insecure: values['insecure-accept-any-host-key'] === true,
    timeout: values.timeout === undefined ? 30 : parseSeconds(values.timeout, '--timeout', command),
    framing,
  };
}

/** Open a TCP connection, within `timeout` seconds. */
export function openSocket(host: string, port: number, timeout: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host, port });
    const onError = (err: NodeJS.ErrnoException & { errors?: NodeJS.ErrnoException[] }): void => {
      clearTimeout(timer);
      sock.destroy();
      const code = err.code ?? err.errors?.[0]?.code;
      reject(new ConnectError(err.message || code || 'connection failed', code, { cause: err }));
    };
    const timer = setTimeout(() => {
      sock.off('error', onError);
      sock.on('error', () => undefined);
      sock.destroy();
      reject(new ConnectError(`no answer within ${timeout} s`, 'CONNECT_TIMEOUT'));
    }, timeout * 1000);
    sock.once('error', onError);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.off('error', onError);
      resolve(sock);
    });
  });
}

/** The client capabilities for a `--framing` choice (undefined: the library's default, both). */
export function framingCapabilities(framing: FramingChoice): string[] | undefined {
  if (framing === 'eom') return [BASE_1_0];
  if (framing === 'chunked') return [BASE_1_1];
  return undefined;
}

/** A connected manager and the socket under it (whose `bytesRead` feeds progress). */
export interface Connection {
  manager: Manager;
  socket: Socket;
}

/**
 * Connect and return a {@link Manager}. Fills `errorContext` with what an error message needs
 * (the refused host key and the known_hosts line that would accept it).
 */
export async function openConnection(settings: ConnectionSettings, password: string | undefined, log: Logger, errorContext: ErrorContext): Promise<Connection> {
  const { host, port, timeout } = settings;
  const acceptTarget = acceptNewTarget(settings.knownHosts);
  errorContext.knownHostsFile = acceptTarget;
  if (settings.insecure) {
    log.warn(`WARNING: --insecure-accept-any-host-key: the identity of ${host}:${port} is NOT verified; anyone able to intercept the connection can impersonate the server and read what you send, password included.`);
  }
  log.debug(`connecting to ${host}:${port} (timeout ${timeout} s, framing ${settings.framing})`);
  const socket = await openSocket(host, port, timeout);
  const options: ConnectOptions = {
    host,
    port,
    sock: socket,
    timeout,
    rpcTimeout: timeout,
    raiseMode: 'errors',
    hostkeyVerify: !settings.insecure,
    knownHostsFile: settings.knownHosts.filter((file) => existsSync(file)),
    unknownHostCb: (_host, _md5, key) => {
      errorContext.hostKey = key;
      const line = knownHostsLine(host, port, key);
      errorContext.knownHostsLine = line;
      if (!settings.acceptNew) return false;
      try {
        appendKnownHost(acceptTarget, line);
      } catch (err) {
        errorContext.acceptFailure = `cannot write ${acceptTarget}: ${(err as Error).message}`;
        return false;
      }
      log.info(`accepted the new ${key.type} host key of ${host}:${port} (${key.sha256}) and added it to ${acceptTarget}`);
      return true;
    },
  };
  if (settings.username !== undefined) options.username = settings.username;
  if (password !== undefined) options.password = password;
  if (settings.keys.length > 0) options.keyFilename = settings.keys;
  const capabilities = framingCapabilities(settings.framing);
  if (capabilities) options.capabilities = capabilities;
  try {
    const manager = await connect(options);
    log.debug(`connected: session-id ${manager.sessionId ?? '?'}, ${manager.session.framing} framing, ${manager.serverCapabilities.size} server capabilities`);
    return { manager, socket };
  } catch (err) {
    socket.destroy();
    if (err instanceof SSHUnknownHostError && err.reason !== 'unknown') {
      // The library does not call unknownHostCb for a changed or revoked key: its error has the key.
      errorContext.hostKey ??= err.hostKey;
      errorContext.knownHostsFile = fileListing(host, port, [...settings.knownHosts, ...defaultKnownHostsFiles()]) ?? acceptTarget;
    }
    throw err;
  }
}

/** The first known_hosts file with a plain entry for the host (where a stale key is to be removed). */
function fileListing(host: string, port: number, files: readonly string[]): string | undefined {
  const name = knownHostsName(host, port);
  return files.find((file) => {
    try {
      return readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => line.replace(/^@\S+\s+/, '').split(/\s/)[0]?.split(',').includes(name));
    } catch {
      return false;
    }
  });
}
