/**
 * Exit statuses of the `netconf` command, and the human-readable messages for every failure:
 * no stack traces unless `--debug`.
 *
 * | status | meaning |
 * | ---: | --- |
 * | 0 | success (a reply with only warnings is a success; the warnings go to stderr) |
 * | 1 | the server answered with `<rpc-error>` (printed with all its fields), or the operation failed otherwise (an unusable reply) |
 * | 2 | usage error: unknown or invalid option, missing argument, unreadable or malformed input file |
 * | 3 | connection error: cannot connect, timeout while connecting, SSH failure, authentication failed, host key unknown / changed / revoked, failed hello, the session closed under us |
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
  RPCAbortedError,
  RPCError,
  SessionCloseError,
  SSHError,
  SSHUnknownHostError,
  TimeoutExpiredError,
  TransportError,
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

/** The TCP connection could not be made (the CLI opens the socket itself, to count bytes). */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly code: string | undefined;
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** The operation was interrupted by SIGINT/SIGTERM. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** What the error reporter knows about the connection attempt. */
export interface ErrorContext {
  command: string | undefined;
  host?: string;
  port?: number;
  timeout?: number;
  /** The host key the server presented when it was refused (unknown or changed). */
  hostKey?: HostKeyInfo;
  /** The known_hosts line that would accept `hostKey`. */
  knownHostsLine?: string;
  /** Where `--accept-new` would write. */
  knownHostsFile?: string;
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
  return ctx.host === undefined ? 'the server' : `${ctx.host}:${ctx.port ?? 830}`;
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
  const key = ctx.hostKey;
  const target = `${where(ctx)}`;
  const lines: string[] = [];
  if (err.reason === 'unknown') {
    if (ctx.acceptFailure) {
      lines.push(`could not accept the host key of ${target}: ${ctx.acceptFailure}`);
      if (key) lines.push(...hostKeyLines(key));
      return lines.join('\n');
    }
    lines.push(`the host key of ${target} is not known: refusing to connect.`);
    if (key) lines.push(...hostKeyLines(key));
    else lines.push(`  key fingerprint is MD5:${err.fingerprint}`);
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
    const name = ctx.port === undefined || ctx.port === 22 ? ctx.host ?? 'HOST' : `[${ctx.host ?? 'HOST'}]:${ctx.port}`;
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

function connectMessage(code: string | undefined, ctx: ErrorContext, fallback: string): string {
  const target = where(ctx);
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${target}: is a NETCONF server listening on that port? (NETCONF over SSH is usually port 830)`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
      return `timed out after ${ctx.timeout ?? 30} s connecting to ${target} (no answer: check the address, the port and firewalls; --timeout sets the limit)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name ${ctx.host ?? ''}: ${fallback}`;
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
  if (err instanceof ConnectError) {
    return { code: ExitCode.CONNECTION, message: connectMessage(err.code, ctx, err.message) };
  }
  if (err instanceof SSHUnknownHostError) {
    return { code: ExitCode.CONNECTION, message: describeHostKey(err, ctx) };
  }
  if (err instanceof AuthenticationError) {
    // The library's message names user@host:port and the methods tried, never the password.
    return {
      code: ExitCode.CONNECTION,
      message: `${err.message.replace(/^Authentication failed/, 'authentication failed')}\nCheck the user name (-u) and the password (-p, --password-env, --ask-password, NETCONF_PASSWORD) or key (--key).`,
    };
  }
  if (err instanceof HelloError) {
    return { code: ExitCode.CONNECTION, message: `the NETCONF hello with ${where(ctx)} failed: ${err.message}` };
  }
  if (err instanceof SessionCloseError) {
    return { code: ExitCode.CONNECTION, message: `the session with ${where(ctx)} ended: ${err.message}` };
  }
  if (err instanceof SSHError) {
    const level = (err.cause as { level?: string } | undefined)?.level;
    if (level === 'client-timeout') return { code: ExitCode.CONNECTION, message: connectMessage('CONNECT_TIMEOUT', ctx, err.message) };
    const code = socketCode(err.cause);
    if (code) return { code: ExitCode.CONNECTION, message: connectMessage(code, ctx, err.message) };
    return { code: ExitCode.CONNECTION, message: err.message };
  }
  if (err instanceof TransportError) {
    return { code: ExitCode.CONNECTION, message: `${what}: ${err.message}` };
  }
  if (err instanceof TypeError && isLibraryArgumentError(err)) {
    return { code: ExitCode.USAGE, message: `${err.message}\n(see '${ctx.command ? `netconf ${ctx.command} --help` : 'netconf --help'}')` };
  }
  if (err instanceof NCClientError) {
    return { code: ExitCode.RPC_ERROR, message: `${what}: ${err.message}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: ExitCode.INTERNAL, message: `internal error: ${message} (run again with --debug for details)` };
}

/** The library rejects bad arguments with TypeError; a TypeError from elsewhere is a bug. */
function isLibraryArgumentError(err: TypeError): boolean {
  return /\bmust\b|\binvalid\b|\bneeds\b|\bapply to\b|\bempty\b|\bnot supported\b/i.test(err.message);
}
