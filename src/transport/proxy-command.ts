/**
 * OpenSSH's `ProxyCommand`: a command run through `/bin/sh -c` whose standard input and output
 * carry the SSH connection (`ssh -W %h:%p bastion`, `socat - TCP:host:port`, `nc host port` …).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { ProxyCommandError } from './errors.js';

/** How much of the command's stderr is kept for an error message. */
const STDERR_TAIL = 2048;

/**
 * Expand the tokens OpenSSH expands in a ProxyCommand: `%h` host, `%p` port, `%r` remote user,
 * `%n` the name as given, `%%` a percent sign. An unknown token is left as it is.
 */
export function expandProxyTokens(command: string, values: { host: string; port: number; user: string; alias: string }): string {
  return command.replace(/%([%hprn])/g, (_match, token: string) => {
    switch (token) {
      case 'h':
        return values.host;
      case 'p':
        return String(values.port);
      case 'r':
        return values.user;
      case 'n':
        return values.alias;
      default:
        return '%';
    }
  });
}

/** A running proxy command. */
export class ProxyProcess {
  /** Its stdout (what the server sends) and stdin (what we send), as one stream for ssh2. */
  readonly stream: Duplex;
  readonly command: string;
  readonly #child: ChildProcess;
  #stderr = '';
  readonly #exited: Promise<{ code: number | null; signal: string | null }>;
  #exitStatus: { code: number | null; signal: string | null } | undefined;

  /** Start `command` with `/bin/sh -c`. */
  constructor(command: string) {
    this.command = command;
    // Its own process group: stop() ends the shell and whatever it started (`sh -c` may fork).
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.#child = child;
    this.#exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.#stderr += `${err.message}\n`;
        this.#exitStatus ??= { code: null, signal: null };
        resolve(this.#exitStatus);
      });
      child.once('exit', (code, signal) => {
        this.#exitStatus = { code, signal };
        resolve(this.#exitStatus);
      });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_TAIL);
    });
    const stdin = child.stdin;
    const stdout = child.stdout;
    if (!stdin || !stdout) throw new ProxyCommandError('The proxy command has no stdin/stdout', null, null, '');
    // A broken pipe when the command has exited is reported through its exit status.
    stdin.on('error', () => undefined);
    const stream = new Duplex({
      read: () => {
        stdout.resume();
      },
      write: (chunk: Buffer, _encoding, callback) => {
        if (stdin.destroyed) return callback();
        stdin.write(chunk, () => callback());
      },
      final: (callback) => {
        stdin.end();
        callback();
      },
      destroy: (err, callback) => {
        stdout.destroy();
        stdin.destroy();
        callback(err);
      },
    });
    stdout.on('data', (chunk: Buffer) => {
      if (!stream.push(chunk)) stdout.pause();
    });
    stdout.on('end', () => stream.push(null));
    this.stream = stream;
  }

  /** The process id (for logs). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** True once the command has exited. */
  get exited(): boolean {
    return this.#exitStatus !== undefined;
  }

  /**
   * The error that says the command ended, waiting up to `graceMs` for it to end (its output
   * can close a moment before it exits). Undefined when it is still running.
   */
  async failure(graceMs: number): Promise<ProxyCommandError | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const status = await Promise.race([this.#exited, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), graceMs)))]);
    clearTimeout(timer);
    if (!status) return undefined;
    const stderr = this.#stderr.trim();
    const how = status.signal ? `was killed by ${status.signal}` : `exited with status ${String(status.code)}`;
    return new ProxyCommandError(`Proxy command ${JSON.stringify(this.command)} ${how}${stderr ? `: ${lastLine(stderr)}` : ''}`, status.code, status.signal, stderr);
  }

  /** End the command: SIGTERM, then SIGKILL after 2 s; resolves when it has exited. */
  async stop(): Promise<void> {
    this.stream.destroy();
    this.#signal('SIGTERM'); // the group: the shell may have exited and left its child running
    if (this.#exitStatus) return;
    const timer = setTimeout(() => this.#signal('SIGKILL'), 2000);
    await this.#exited;
    clearTimeout(timer);
  }

  #signal(signal: NodeJS.Signals): void {
    const { pid } = this.#child;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      if (!this.#exitStatus) this.#child.kill(signal); // no group: at least the shell
    }
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
