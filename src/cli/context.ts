/**
 * The run-time context a command gets: its parsed options, the output, the log, progress, the
 * interruption signal, and a lazily opened connection that is closed when the command ends.
 * @module
 */
import type { Manager, RPCReply } from '../index.js';
import type { Values } from './command.js';
import { connectionSettings, DEFAULT_TIMEOUT, openConnection, type ConnectionSettings } from './connection.js';
import { formatRpcError, InterruptedError, UsageError, type ErrorContext } from './errors.js';
import type { Logger } from './log.js';
import type { Output } from './output.js';
import { resolvePassword } from './password.js';
import type { Progress } from './progress.js';

export interface ContextInit {
  command: string;
  values: Values;
  args: string[];
  env: NodeJS.ProcessEnv;
  out: Output;
  log: Logger;
  progress: Progress;
  signal: AbortSignal;
  errorContext: ErrorContext;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export class Context {
  readonly command: string;
  readonly values: Values;
  readonly args: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly out: Output;
  readonly log: Logger;
  readonly progress: Progress;
  /** Aborted on SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
  readonly errorContext: ErrorContext;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  #manager: Manager | undefined;
  #settings: ConnectionSettings | undefined;

  constructor(init: ContextInit) {
    this.command = init.command;
    this.values = init.values;
    this.args = init.args;
    this.env = init.env;
    this.out = init.out;
    this.log = init.log;
    this.progress = init.progress;
    this.signal = init.signal;
    this.errorContext = init.errorContext;
    this.stdin = init.stdin;
  }

  /** A string option (the last one when given several times). */
  string(name: string): string | undefined {
    const v = this.values[name];
    if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  /** A repeatable string option. */
  list(name: string): string[] {
    const v = this.values[name];
    if (v === undefined) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** A usage error about this command. */
  usage(message: string): UsageError {
    return new UsageError(message, this.command);
  }

  /** The connection settings, validated (usage errors surface before anything is sent). */
  get settings(): ConnectionSettings {
    this.#settings ??= connectionSettings(
      {
        host: this.string('host'),
        port: this.string('port'),
        user: this.string('user'),
        key: this.list('key'),
        'known-hosts': this.list('known-hosts'),
        'accept-new': this.flag('accept-new'),
        'insecure-accept-any-host-key': this.flag('insecure-accept-any-host-key'),
        timeout: this.string('timeout'),
        framing: this.string('framing'),
        'ssh-config': this.string('ssh-config'),
        jump: this.string('jump'),
        'proxy-command': this.string('proxy-command'),
        keepalive: this.string('keepalive'),
        'allow-strict-host-key-checking-no': this.flag('allow-strict-host-key-checking-no'),
        'identities-only': this.flag('identities-only'),
      },
      this.env,
      this.command,
    );
    return this.#settings;
  }

  /** Connect (once) and return the manager. */
  async connect(): Promise<Manager> {
    if (this.#manager) return this.#manager;
    const settings = this.settings;
    const { hostName, port, user } = settings.target;
    Object.assign(this.errorContext, { host: hostName, port, alias: settings.host, timeout: settings.timeout ?? DEFAULT_TIMEOUT });
    const password = await resolvePassword(
      { password: this.string('password'), passwordEnv: this.string('password-env'), ask: this.flag('ask-password') },
      this.env,
      `${user ? `${user}@` : ''}${hostName}'s password: `,
    );
    if (this.signal.aborted) throw new InterruptedError('interrupted');
    const manager = await openConnection(settings, password, this.log, this.errorContext);
    this.#manager = manager;
    // The NETCONF bytes received (after SSH decryption, framing included): the connection may
    // run through jump hosts or a proxy command, so there is no socket of ours to count on.
    this.progress.setCounter(() => manager.session.bytesReceived);
    if (this.log.debugging) {
      manager.session.addListener({
        callback: (root, raw) => this.log.debug(`received ${root[0]} (${Buffer.byteLength(raw)} bytes)`),
        messageCallback: (root, message) => this.log.debug(`received ${root[0]} (${message.size} bytes)`),
        errback: (error) => this.log.debug(`session event: ${error.name}: ${error.message}`),
      });
    }
    return manager;
  }

  /**
   * Run one RPC with progress, and report the warnings of its reply (rpc-errors of severity
   * `warning`; errors throw `RPCError`).
   */
  async rpc(label: string, call: () => Promise<RPCReply>): Promise<RPCReply> {
    if (this.signal.aborted) throw new InterruptedError('interrupted');
    const reply = await this.progress.track(label, call(), (r) => Buffer.byteLength(r.xml));
    this.reportWarnings(label, reply);
    return reply;
  }

  reportWarnings(label: string, reply: RPCReply): void {
    for (const warning of reply.errors) {
      if (warning.severity !== 'error') this.log.warn(`${label}: the server sent a warning\n${formatRpcError(warning)}`);
    }
  }

  /** Close the session (`<close-session>`, then the connection); idempotent. */
  async close(): Promise<void> {
    const manager = this.#manager;
    this.#manager = undefined;
    if (manager) await manager.close();
  }
}
