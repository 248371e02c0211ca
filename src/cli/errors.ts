/**
 * Exit statuses of the `netconf` command, and the human-readable messages for every failure:
 * no stack traces unless `--debug`.
 *
 * | status | meaning |
 * | ---: | --- |
 * | 0 | success (a reply with only warnings is a success; the warnings go to stderr) |
 * | 1 | the server answered with `<rpc-error>` (printed with all its fields), or the operation failed otherwise (an unusable reply) |
 * | 2 | usage error: unknown or invalid option, missing argument, unreadable or malformed input file or ssh_config file, an output file that cannot be written |
 * | 3 | connection error: cannot connect, timeout while connecting, SSH failure, authentication failed, host key unknown / changed / revoked, a jump host or the proxy command failed, TLS failure (server certificate refused, client certificate refused or missing, TLS alert), failed hello, the session closed under us (keepalive unanswered …); `listen`: no device called home in time |
 * | 4 | the server lacks a capability the command needs (nothing was sent) |
 * | 5 | no reply within `--timeout` seconds |
 * | 70 | internal error (a bug: please report it with the `--debug` output) |
 * | 130 | interrupted (Ctrl-C / SIGINT or SIGTERM) while an operation was running |
 * @module
 */
import {
  AuthenticationError,
  HelloError,
  MissingCapabilityError,
  NCClientError,
  ProxyCommandError,
  RPCAbortedError,
  RPCError,
  SessionCloseError,
  SSHConfigError,
  SSHError,
  SSHUnknownHostError,
  TimeoutExpiredError,
  TLSError,
  TransportError,
  type HopInfo,
  type HostKeyInfo,
  type RPCErrorInfo,
} from '../index.js';
import { prettyXml } from './output.js';

export const ExitCode = {
  OK: 0,
  RPC_ERROR: 1,
  USAGE: 2,
  CONNECTION: 3,
  CAPABILITY: 4,
  TIMEOUT: 5,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

/** A mistake on the command line or in an input file: exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose help to point to, when known. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** The operation was interrupted by SIGINT/SIGTERM. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** What the error reporter knows about the connection attempt. */
export interface ErrorContext {
  command: string | undefined;
  /** `'tls'` with `--tls` (or call home over TLS); SSH otherwise. */
  transport?: 'ssh' | 'tls';
  /** TLS: the name the server's certificate must be issued for (`--tls-servername`, else the host). */
  servername?: string;
  /** Call home: how messages name the device (`device 192.0.2.7 (called from port 51234)`), instead of host:port. */
  device?: string;
  /** The server's host name (after ssh_config's `HostName`) and port. */
  host?: string;
  port?: number;
  /** The name given, when it is an ssh_config alias for {@link host}. */
  alias?: string;
  /** Seconds allowed for connecting, then for each reply. */
  timeout?: number;
  /** The host key the server presented when it was refused (unknown or changed). */
  hostKey?: HostKeyInfo;
  /** The known_hosts line that would accept `hostKey`. */
  knownHostsLine?: string;
  /** The name the refused key is listed under in known_hosts (`[host]:port`), for `ssh-keygen -R`. */
  knownHostsName?: string;
  /** Where `--accept-new` would write; for a changed key, the file listing the old one. */
  knownHostsFile?: string;
  /** `--accept-new` was given. */
  acceptNew?: boolean;
  /** Why accepting a new key failed (known_hosts not writable …). */
  acceptFailure?: string;
  debug: boolean;
}

/** The exit status and message for an error. */
export interface Described {
  code: number;
  message: string;
}

function where(ctx: ErrorContext): string {
  if (ctx.device !== undefined) return ctx.device;
  if (ctx.host === undefined) return 'the server';
  const address = `${ctx.host}:${ctx.port ?? (ctx.transport === 'tls' ? 6513 : 830)}`;
  return ctx.alias !== undefined && ctx.alias.toLowerCase() !== ctx.host.toLowerCase() ? `${ctx.alias} (${address})` : address;
}

/** A jump host, as messages name it: `jump host 1 (bastion:22)`. */
function hopName(hop: HopInfo): string {
  return `jump host ${hop.index + 1} (${hop.host}:${hop.port})`;
}

/** Everything one rpc-error says, one field a line (severity, type, tag, app-tag, path, message, info). */
export function formatRpcError(e: RPCErrorInfo): string {
  const lines = ['rpc-error:'];
  const field = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`  ${`${name}:`.padEnd(10)}${value}`);
  };
  field('severity', e.severity);
  field('type', e.type);
  field('tag', e.tag);
  field('app-tag', e.appTag);
  field('path', e.path);
  field('message', e.message);
  const info = e.infoElement?.elements ?? [];
  if (info.length > 0) {
    lines.push('  info:');
    for (const el of info) {
      if (el.elements.length === 0) lines.push(`    ${el.local}: ${el.textContent.trim()}`);
      else for (const line of prettyXml(el).split('\n')) lines.push(`    ${line}`);
    }
  } else {
    for (const [name, value] of Object.entries(e.info)) lines.push(`    ${name}: ${value}`);
  }
  return lines.join('\n');
}

/** The key's type and both fingerprints, as `ssh` shows them, on two aligned lines. */
function hostKeyLines(key: HostKeyInfo): string[] {
  const head = `  ${key.type} key fingerprint is `;
  return [`${head}${key.sha256}`, `${' '.repeat(head.length)}MD5:${key.md5}`];
}

function describeHostKey(err: SSHUnknownHostError, ctx: ErrorContext): string {
  const key = err.hostKey ?? ctx.hostKey;
  const target = err.hop ? hopName(err.hop) : where(ctx);
  const lines: string[] = [];
  if (err.reason === 'unknown') {
    // Under --accept-new the library refuses an unknown key only when it cannot record it.
    const acceptFailure = ctx.acceptFailure ?? (ctx.acceptNew ? (/could not write (.*)$/s.exec(err.message)?.[1]?.replace(/^/, 'cannot write ') ?? err.message) : undefined);
    if (acceptFailure) {
      lines.push(`could not accept the host key of ${target}: ${acceptFailure}`);
      if (key) lines.push(...hostKeyLines(key));
      return lines.join('\n');
    }
    lines.push(`the host key of ${target} is not known: refusing to connect.`);
    if (key) lines.push(...hostKeyLines(key));
    else lines.push(`  key fingerprint is MD5:${err.fingerprint}`);
    if (err.message.includes('@cert-authority')) {
      lines.push('known_hosts trusts this host only through a @cert-authority line: host certificates are not supported, the host\'s own key must be listed.');
    }
    lines.push('Check the fingerprint with the server\'s administrator. If it is right, either connect once with');
    lines.push(`  --accept-new   (adds the key to ${ctx.knownHostsFile ?? '~/.ssh/known_hosts'})`);
    if (ctx.knownHostsLine) {
      lines.push('or add this line to your known_hosts file (or a file given with --known-hosts):');
      lines.push(`  ${ctx.knownHostsLine}`);
    }
    return lines.join('\n');
  }
  if (err.reason === 'changed') {
    lines.push(`WARNING: the host key of ${target} has CHANGED: refusing to connect.`);
    lines.push('Someone could be impersonating the server (man-in-the-middle attack), or its key was replaced.');
    if (key) lines.push('  The server now presents:', ...hostKeyLines(key));
    else lines.push(`  The server now presents a key with fingerprint MD5:${err.fingerprint}`);
    const host = err.hop?.host ?? ctx.host ?? 'HOST';
    const port = err.hop?.port ?? ctx.port;
    const name = ctx.knownHostsName ?? (port === undefined || port === 22 ? host : `[${host}]:${port}`);
    lines.push('If you know the key was replaced, remove the old entry and connect again with --accept-new:');
    lines.push(`  ssh-keygen -R '${name}' -f ${ctx.knownHostsFile ?? '~/.ssh/known_hosts'}`);
    lines.push('(--accept-new never accepts a changed key.)');
    return lines.join('\n');
  }
  lines.push(`the host key of ${target} is marked @revoked in known_hosts: refusing to connect.`);
  if (key) lines.push(...hostKeyLines(key));
  else lines.push(`  key fingerprint is MD5:${err.fingerprint}`);
  return lines.join('\n');
}

function socketCode(err: unknown): string | undefined {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function connectMessage(code: string | undefined, ctx: ErrorContext, fallback: string, hop?: HopInfo): string {
  const target = hop ? hopName(hop) : where(ctx);
  switch (code) {
    case 'ECONNREFUSED':
      return hop
        ? `connection refused by ${target}: is its SSH server listening on that port?`
        : ctx.transport === 'tls'
          ? `connection refused by ${target}: is a NETCONF-over-TLS server listening on that port? (NETCONF over TLS is usually port 6513)`
          : `connection refused by ${target}: is a NETCONF server listening on that port? (NETCONF over SSH is usually port 830)`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return `timed out after ${ctx.timeout ?? 30} s connecting to ${target} (no answer: check the address, the port and firewalls; --timeout sets the limit)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name ${hop ? `${hop.host} of jump host ${hop.index + 1}` : (ctx.host ?? '')}: ${fallback}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${target} is unreachable (${code})`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `the connection to ${target} was reset: ${fallback}`;
    default:
      return `cannot connect to ${target}: ${fallback}`;
  }
}

/**
 * The exit status and human message for any error the command can meet. The message has no
 * "netconf: " prefix and no trailing newline; with `--debug` the stack and causes follow it.
 */
export function describeError(err: unknown, ctx: ErrorContext): Described {
  const d = describeWithoutStack(err, ctx);
  if (ctx.debug && err instanceof Error) {
    let trace = `\n--debug: ${err.stack ?? String(err)}`;
    for (let c: unknown = err.cause; c instanceof Error; c = c.cause) trace += `\ncaused by: ${c.stack ?? String(c)}`;
    d.message += trace;
  }
  return d;
}

function describeWithoutStack(err: unknown, ctx: ErrorContext): Described {
  const what = ctx.command ?? 'netconf';
  if (err instanceof UsageError) {
    const help = err.command ? `netconf ${err.command} --help` : 'netconf --help';
    return { code: ExitCode.USAGE, message: `${err.message}\n(see '${help}')` };
  }
  if (err instanceof InterruptedError || err instanceof RPCAbortedError) {
    return { code: ExitCode.INTERRUPTED, message: `${what}: interrupted` };
  }
  if (err instanceof RPCError) {
    const n = err.errors.length;
    const head = `${what} failed: the server answered with ${n === 1 ? 'an rpc-error' : `${n} rpc-errors`}`;
    return { code: ExitCode.RPC_ERROR, message: [head, ...err.errors.map(formatRpcError)].join('\n') };
  }
  if (err instanceof MissingCapabilityError) {
    const needs = err.message.replace(/, which it does not advertise$/, '');
    return { code: ExitCode.CAPABILITY, message: `${needs}: the server does not advertise it (nothing was sent)` };
  }
  if (err instanceof TimeoutExpiredError) {
    return { code: ExitCode.TIMEOUT, message: `${what}: no reply from ${where(ctx)} within ${ctx.timeout ?? 30} s (use --timeout SECONDS to wait longer)` };
  }
  if (err instanceof SSHUnknownHostError) {
    return { code: ExitCode.CONNECTION, message: describeHostKey(err, ctx) };
  }
  if (err instanceof TLSError) {
    return { code: ExitCode.CONNECTION, message: describeTLSError(err, ctx) };
  }
  if (err instanceof AuthenticationError) {
    // The library's message names user@host:port and the methods tried, never the password.
    const message = err.message.replace(/^((?:jump host \d+ \([^)]*\): )?)Authentication failed/, '$1authentication failed');
    if (err.hop) {
      return {
        code: ExitCode.CONNECTION,
        message: `${message}\nCheck the jump host's user (-J USER@HOST, or User in ssh_config) and keys (the SSH agent, --key, IdentityFile in ssh_config): the password is not offered to jump hosts.`,
      };
    }
    return {
      code: ExitCode.CONNECTION,
      message: `${message}\nCheck the user name (-u) and the password (-p, --password-env, --ask-password, NETCONF_PASSWORD) or key (--key).`,
    };
  }
  if (err instanceof ProxyCommandError) {
    const how = err.signal ? `was killed by ${err.signal}` : `exited with status ${String(err.exitCode)}`;
    const command = /^Proxy command ("(?:[^"\\]|\\.)*")/.exec(err.message)?.[1];
    const lines = [`the proxy command ${command ? `${command} ` : ''}${how} before the SSH connection to ${where(ctx)} was made`];
    const stderr = err.stderr.trim().split('\n').slice(-10);
    if (stderr.length > 0 && stderr[0] !== '') lines.push('its standard error ended with:', ...stderr.map((line) => `  ${line}`));
    return { code: ExitCode.CONNECTION, message: lines.join('\n') };
  }
  if (err instanceof SSHConfigError) {
    return { code: ExitCode.USAGE, message: `the ssh_config file: ${err.message}\n(see '${ctx.command ? `netconf ${ctx.command} --help` : 'netconf --help'}')` };
  }
  if (err instanceof HelloError) {
    return { code: ExitCode.CONNECTION, message: `the NETCONF hello with ${where(ctx)} failed: ${err.message}` };
  }
  if (err instanceof SessionCloseError) {
    return { code: ExitCode.CONNECTION, message: `the session with ${where(ctx)} ended: ${err.message}` };
  }
  if (err instanceof SSHError) {
    const level = (err.cause as { level?: string } | undefined)?.level;
    if (level === 'client-timeout') return { code: ExitCode.CONNECTION, message: connectMessage('CONNECT_TIMEOUT', ctx, err.message, err.hop) };
    // A refused connection, an unknown name …: the socket's error is the cause.
    const code = socketCode(err.cause);
    if (code) return { code: ExitCode.CONNECTION, message: connectMessage(code, ctx, (err.cause as Error).message, err.hop) };
    if (/StrictHostKeyChecking no/.test(err.message) && /allowStrictHostKeyCheckingNo/.test(err.message)) {
      // The library names its option; the command has a flag for it.
      const message = err.message.replace(/Pass allowStrictHostKeyCheckingNo: true to honour it.*$/s, 'Add --allow-strict-host-key-checking-no to honour it (or --insecure-accept-any-host-key).');
      return { code: ExitCode.CONNECTION, message: message.replace(/^ssh_config/, 'the ssh_config file') };
    }
    return { code: ExitCode.CONNECTION, message: err.message };
  }
  if (err instanceof TransportError) {
    // TLS: a refused connection, an unknown name … (the socket's error is the cause)
    const code = ctx.transport === 'tls' ? socketCode(err.cause) : undefined;
    if (code) return { code: ExitCode.CONNECTION, message: connectMessage(code, ctx, (err.cause as Error).message) };
    return { code: ExitCode.CONNECTION, message: `${what}: ${err.message}` };
  }
  if (err instanceof TypeError && isLibraryArgumentError(err)) {
    return { code: ExitCode.USAGE, message: `${err.message}\n(see '${ctx.command ? `netconf ${ctx.command} --help` : 'netconf --help'}')` };
  }
  if (err instanceof NCClientError) {
    return { code: ExitCode.RPC_ERROR, message: `${what}: ${err.message}` };
  }
  const file = fileSystemProblem(err);
  if (file) return { code: ExitCode.USAGE, message: file };
  const message = err instanceof Error ? err.message : String(err);
  return { code: ExitCode.INTERNAL, message: `internal error: ${message} (run again with --debug for details)` };
}

/** What the system says of a file operation that failed, by its code. */
const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'exists, and is not a directory',
};

/** A file given on the command line that cannot be read or written (a Node fs error): one line naming it. */
function fileSystemProblem(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, path, syscall } = err as NodeJS.ErrnoException;
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (problem === undefined || typeof path !== 'string' || typeof syscall !== 'string') return undefined;
  return `${path}: ${problem} (${syscall})`;
}

/** The part of the library's message after `…: ` (Node's or OpenSSL's own words), when it adds something. */
function detail(err: TLSError): string {
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== '' ? ` (${cause})` : '';
}

/**
 * A TLS failure, by reason: what was refused (the server's certificate, or ours by the server)
 * and which option to look at. Never a key or a passphrase (the library's messages carry none).
 */
function describeTLSError(err: TLSError, ctx: ErrorContext): string {
  const target = where(ctx);
  const name = ctx.servername ?? ctx.host;
  const alert = err.alert === undefined ? '' : ` (TLS alert "${err.alert}")`;
  switch (err.reason) {
    case 'unknown-ca':
      return `the certificate of ${target} is not signed by a CA we trust: refusing to connect${detail(err)}.\nGive the CA that issued it with --ca FILE (PEM), or pin the certificate with --tls-fingerprint SHA256.`;
    case 'self-signed':
      return `the certificate of ${target} is self-signed and not trusted: refusing to connect${detail(err)}.\nGive it with --ca FILE, or pin it with --tls-fingerprint SHA256 (check the fingerprint with the device's administrator).`;
    case 'expired':
      return `the certificate of ${target} has expired: refusing to connect${detail(err)}.`;
    case 'not-yet-valid':
      return `the certificate of ${target} is not valid yet (check the clocks): refusing to connect${detail(err)}.`;
    case 'name-mismatch':
      return `the certificate of ${target} is not issued for ${name ?? 'the name connected to'}: refusing to connect${detail(err)}.\nConnect with the name the certificate is issued for, or give that name with --tls-servername NAME.`;
    case 'fingerprint-mismatch':
      return `the certificate of ${target} does not match the --tls-fingerprint pin: refusing to connect${detail(err)}.`;
    case 'certificate-required':
      return `${target} requires a client certificate${alert}: give one with --cert FILE --key FILE.`;
    case 'bad-certificate':
      if (err.alert !== undefined) return `${target} refused our client certificate${alert}: check --cert and --key, and that the server trusts the CA that issued it.`;
      return `the certificate of ${target} is unusable: refusing to connect${detail(err)}.`;
    case 'protocol-version':
      return `no TLS version in common with ${target}${alert}: this client speaks TLS 1.2 and 1.3 (--tls-min-version raises the minimum).`;
    case 'alert': {
      const hint =
        err.alert === 'unknown ca'
          ? ': it does not trust the CA that issued our client certificate (--cert)'
          : err.alert === 'certificate unknown' || err.alert === 'access denied'
            ? ': it does not accept our client certificate (--cert), or maps it to no user'
            : err.alert === 'decrypt error'
              ? ': the client certificate (--cert) and the key (--key) may not belong together'
              : '';
      return `${target} refused the connection${alert}${hint}.`;
    }
    case 'connection-reset':
    case 'handshake':
    default: {
      // The library's message says where and when (handshake or hello); lower-case its start.
      const message = err.message.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
      const refusedLate = /during the hello/.test(err.message) && !/certificate or key/.test(err.message);
      return `TLS with ${target} failed: ${message}${refusedLate && !/check the certificate/.test(err.message) ? '\nA server that refuses the client certificate may just hang up: check --cert and that the server trusts the CA that issued it.' : ''}`;
    }
  }
}

/** The library rejects bad arguments with TypeError; a TypeError from elsewhere is a bug. */
function isLibraryArgumentError(err: TypeError): boolean {
  return /\bmust\b|\binvalid\b|\bneeds\b|\bapply to\b|\bempty\b|\bnot supported\b/i.test(err.message);
}
