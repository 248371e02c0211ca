/**
 * The run-time context a command gets: its parsed options, the output, the log, progress, the
 * interruption signal, and a lazily opened connection that is closed when the command ends — or
 * a manager already connected (a device that called home: `netconf listen`), which the command
 * then runs on.
 * @module
 */
import { ConnectAbortedError, parseXml, RPCError, type CallHomeDevice, type Manager, type RPCReply } from '../index.js';
import type { Command, Values } from './command.js';
import { connectionSettings, DEFAULT_TIMEOUT, openConnection, type ConnectionSettings } from './connection.js';
import { describeError, formatRpcError, InterruptedError, UsageError, type ErrorContext } from './errors.js';
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
  /** `netconf listen COMMAND`: the command to run on each device. */
  subcommand?: Command | undefined;
  /** A manager already connected: {@link Context.connect} returns it (and the connection options are not read). */
  manager?: Manager | undefined;
  /** With `manager`: the device that called home. */
  device?: CallHomeDevice | undefined;
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
  /** `netconf listen COMMAND`: the command to run on each device. */
  readonly subcommand: Command | undefined;
  /** The device that called home, when the command runs on its session. */
  readonly device: CallHomeDevice | undefined;
  #manager: Manager | undefined;
  #given: Manager | undefined;
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
    this.subcommand = init.subcommand;
    this.device = init.device;
    this.#given = init.manager;
  }

  /**
   * A context for `command` on an already connected manager (a device that called home): the
   * same options, output, log and signal; its own error context. Closing it closes the manager.
   */
  withManager(command: Command, manager: Manager, device?: CallHomeDevice): Context {
    const errorContext: ErrorContext = { command: command.name, debug: this.errorContext.debug };
    if (device) {
      errorContext.device = `device ${device.address} (called from port ${device.port})`;
      errorContext.host = device.address;
      errorContext.port = device.port;
    }
    if (this.errorContext.timeout !== undefined) errorContext.timeout = this.errorContext.timeout;
    if (this.errorContext.transport !== undefined) errorContext.transport = this.errorContext.transport;
    return new Context({
      command: command.name,
      values: this.values,
      args: this.args,
      env: this.env,
      out: this.out,
      log: this.log,
      progress: this.progress,
      signal: this.signal,
      errorContext,
      stdin: this.stdin,
      manager,
      device,
    });
  }

  /**
   * The server as messages and `hello --json` name it: the host as given and the port connected
   * to; for a device that called home, its address and the port it called from.
   */
  get target(): { host: string; port: number } {
    if (this.#given) return this.device ? { host: this.device.address, port: this.device.port } : { host: this.#given.session.peer, port: 0 };
    return { host: this.settings.host, port: this.settings.target.port };
  }

  /** Report an error as the command's failure (an rpc-error reply on stdout as the output mode says, the message on stderr); its exit status. */
  fail(err: unknown): number {
    if (err instanceof RPCError) {
      this.out.errorReply(err.xml, () => err.errors[0]?.element.parent ?? parseXml(err.xml));
    }
    const d = describeError(err, this.errorContext);
    this.log.error(d.message);
    return d.code;
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
        tls: this.flag('tls'),
        cert: this.string('cert'),
        ca: this.list('ca'),
        'tls-servername': this.string('tls-servername'),
        'tls-fingerprint': this.string('tls-fingerprint'),
        'tls-min-version': this.string('tls-min-version'),
      },
      this.env,
      this.command,
    );
    return this.#settings;
  }

  /** Connect (once) and return the manager. */
  async connect(): Promise<Manager> {
    if (this.#manager) return this.#manager;
    if (this.#given) {
      this.#manager = this.#given;
      this.#observe(this.#given);
      return this.#given;
    }
    const settings = this.settings;
    const { hostName, port, user } = settings.target;
    Object.assign(this.errorContext, { host: hostName, port, alias: settings.host, timeout: settings.timeout ?? DEFAULT_TIMEOUT });
    if (settings.transport === 'tls') this.errorContext.transport = 'tls';
    const password = await this.secret(settings, `${user ? `${user}@` : ''}${hostName}'s password: `);
    if (this.signal.aborted) throw new InterruptedError('interrupted');
    const manager = await openConnection(settings, password, this.log, this.errorContext, this.signal).catch((err: unknown) => {
      throw err instanceof ConnectAbortedError && this.signal.aborted ? new InterruptedError('interrupted') : err;
    });
    this.#manager = manager;
    this.#observe(manager);
    return manager;
  }

  /**
   * The password (SSH), or the passphrase of an encrypted `--key` (TLS: asked for only when the
   * key is encrypted), from -p, --password-env, --ask-password or NETCONF_PASSWORD.
   */
  async secret(settings: ConnectionSettings, prompt: string): Promise<string | undefined> {
    if (settings.transport === 'tls') {
      const tls = settings.tls;
      if (!tls?.keyEncrypted) return undefined;
      prompt = `passphrase for ${tls.keyFile ?? 'the key'}: `;
    }
    return resolvePassword({ password: this.string('password'), passwordEnv: this.string('password-env'), ask: this.flag('ask-password') }, this.env, prompt);
  }

  #observe(manager: Manager): void {
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
