/**
 * Where the password comes from, and `--ask-password`: a prompt on the controlling terminal that
 * never echoes what is typed.
 * @module
 */
import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { InterruptedError, UsageError } from './errors.js';

/** The password sources, in the order they are considered. */
export interface PasswordSources {
  /** `-p` / `--password` (visible to other users in `ps`: prefer the others). */
  password?: string | undefined;
  /** `--password-env VAR`. */
  passwordEnv?: string | undefined;
  /** `--ask-password`. */
  ask?: boolean | undefined;
}

/**
 * The password to use: `-p`, `--password-env VAR`, or `--ask-password` (at most one of them),
 * else the NETCONF_PASSWORD environment variable, else none (keys only).
 */
export async function resolvePassword(sources: PasswordSources, env: NodeJS.ProcessEnv, prompt: string): Promise<string | undefined> {
  const given = [sources.password !== undefined && '--password', sources.passwordEnv !== undefined && '--password-env', sources.ask && '--ask-password'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be used together: give the password one way`);
  if (sources.password !== undefined) return sources.password;
  if (sources.passwordEnv !== undefined) {
    const value = env[sources.passwordEnv];
    if (value === undefined) throw new UsageError(`--password-env ${sources.passwordEnv}: that environment variable is not set`);
    return value;
  }
  if (sources.ask) return askPassword(prompt);
  return env['NETCONF_PASSWORD'];
}

/**
 * Read a password from the terminal without echo: the prompt is written to the terminal, the
 * terminal is put in raw mode, and nothing typed is displayed. Enter ends, Backspace erases,
 * Ctrl-U clears, Ctrl-C interrupts. Uses `/dev/tty`, so it works while stdin is a file or a pipe.
 * @throws - {@link UsageError} when there is no terminal
 */
export async function askPassword(prompt: string): Promise<string> {
  let input: ReadStream;
  let output: WriteStream;
  let ownStreams = false;
  try {
    if (process.platform === 'win32') throw new Error('no /dev/tty');
    // Two descriptors, one per stream: each stream closes its own.
    const readFd = openSync('/dev/tty', 'r');
    let writeFd: number;
    try {
      writeFd = openSync('/dev/tty', 'w');
    } catch (err) {
      closeSync(readFd);
      throw err;
    }
    input = new ReadStream(readFd);
    output = new WriteStream(writeFd);
    ownStreams = true;
  } catch {
    if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError('--ask-password needs a terminal (use --password-env VAR or NETCONF_PASSWORD in scripts)');
    input = process.stdin as ReadStream;
    output = process.stderr as WriteStream;
  }
  input.setRawMode(true);
  output.write(prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer): void => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
          if (ch === '\u0003') return finish(() => reject(new InterruptedError('password prompt interrupted')));
          if (ch === '\u0004') {
            if (value === '') return finish(() => reject(new InterruptedError('password prompt ended (Ctrl-D)')));
            continue;
          }
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
          else if (ch === '\u0015') value = '';
          else if (ch >= ' ') value += ch;
        }
      };
      const finish = (settle: () => void): void => {
        input.off('data', onData);
        settle();
      };
      input.on('data', onData);
      input.resume();
    });
  } finally {
    input.setRawMode(false);
    output.write('\n');
    if (ownStreams) {
      input.destroy();
      output.destroy();
    } else {
      input.pause();
    }
  }
}
