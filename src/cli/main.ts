/**
 * `netconf`: a command-line NETCONF client on the public API of netconfkit.
 *
 * `netconf <command> [options]`: argument parsing (`node:util` `parseArgs`), help and version,
 * dispatch to the command, signals, and the exit status (see errors.ts). `bin/netconf.js` calls
 * {@link run}; running this file directly works too.
 * @module
 */
import { readFileSync, realpathSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Command, OptionSpecs, Values } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { Context } from './context.js';
import { describeError, ExitCode, UsageError, type ErrorContext } from './errors.js';
import { Logger } from './log.js';
import { commandHelp, CONNECTION_OPTIONS, mainHelp, OUTPUT_OPTIONS, valueOptions, VERSION_OPTION } from './options.js';
import { JSON_MAPPING_HELP, Output, type OutputMode } from './output.js';
import { Progress, type ProgressMode } from './progress.js';

/** Where the command reads and writes (the process's streams, or test doubles). */
export interface MainIO {
  stdout: (text: string) => void;
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Signals that interrupt the run; default SIGINT and SIGTERM on the process. */
  onSignal?: (handler: () => void) => () => void;
}

function processIO(): MainIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onSignal: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/** The version in package.json (found above this file: dist/cli/ or build/src/cli/). */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'netconfkit' && pkg.version) return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/**
 * The index of the command word in `argv`: the first argument (from `from`) that is neither an
 * option nor an option's value (`extra`: options taking a value besides the global ones).
 */
export function locateCommand(argv: readonly string[], from = 0, extra?: OptionSpecs): number {
  const { long, short } = valueOptions();
  for (const [name, spec] of Object.entries(extra ?? {})) {
    if (spec.type !== 'string') continue;
    long.add(name);
    if (spec.short) short.add(spec.short);
  }
  for (let i = from; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (arg.startsWith('--')) {
      if (!arg.includes('=') && long.has(arg.slice(2))) i++;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      // A group of short flags: the first one taking a value takes the rest, or the next argument.
      const flags = arg.slice(1);
      for (let j = 0; j < flags.length; j++) {
        if (short.has(flags[j] as string)) {
          if (j === flags.length - 1) i++;
          break;
        }
      }
      continue;
    }
    return i;
  }
  return -1;
}

function parseConfig(specs: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    out[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  return out;
}

/** `parseArgs`, with its errors turned into usage errors that say what to do. */
function parse(argv: string[], specs: OptionSpecs, command: Command | undefined): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: parseConfig(specs), allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (err) {
    const e = err as Error & { code?: string };
    const where = command ? ` for ${command.name}` : '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(e.message)?.[1] ?? '';
      throw new UsageError(`unknown option ${option}${where}`, command?.name);
    }
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const option = /^Option '(-\w, )?(--[^' ]+)/.exec(e.message)?.[2];
      if (option && /argument missing/.test(e.message)) throw new UsageError(`option ${option} needs a value`, command?.name);
      if (option && /ambiguous/.test(e.message)) throw new UsageError(`option ${option} needs a value (for a value that starts with '-', write ${option}=VALUE)`, command?.name);
      if (option && /does not take an argument/.test(e.message)) throw new UsageError(`option ${option} takes no value`, command?.name);
    }
    throw new UsageError(e.message, command?.name);
  }
}

/** Words close to `name` (one edit away, or a prefix): for "did you mean". */
function suggestions(name: string): string[] {
  const close = (a: string, b: string): boolean => {
    if (Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
  };
  return COMMANDS.map((c) => c.name).filter((c) => close(c, name) || (name.length >= 3 && c.startsWith(name)));
}

interface Invocation {
  command: Command;
  values: Values;
  args: string[];
  /** `netconf listen COMMAND`: the command to run on each device. */
  subcommand?: Command;
}

/**
 * The HOST argument: the first argument after the command word, when the command connects and is
 * given more arguments than it takes (`netconf get-config router1`, `netconf edit-config router1
 * change.xml`). A host name, an address or an ssh_config alias; `USER@HOST` and `HOST:PORT` are
 * refused with a hint (-u, --port), so that the rule never guesses.
 */
export function hostArgument(command: Command, args: readonly string[]): string | undefined {
  if (command.hostArgument === false || args.length <= command.args.max) return undefined;
  const host = args[0] as string;
  if (host === '' || host.startsWith('-')) throw new UsageError(`'${host}' is not a host name`, command.name);
  if (host.includes('@')) throw new UsageError(`the HOST argument '${host}' has a user name: give the user with -u USER (HOST is a host name, an address or an ssh_config alias)`, command.name);
  if (host.includes(':') && isIP(host) !== 6) throw new UsageError(`the HOST argument '${host}' has a port: give the port with --port PORT (HOST is a host name, an address or an ssh_config alias)`, command.name);
  if (/[\s/,]/.test(host)) throw new UsageError(`the HOST argument '${host}' is not a host name, an address or an ssh_config alias`, command.name);
  return host;
}

type Parsed = { kind: 'help'; text: string } | { kind: 'version' } | { kind: 'run'; invocation: Invocation };

/** Parse the command line: help, version, or a command to run. */
export function parseCommandLine(argv: string[]): Parsed {
  const index = locateCommand(argv);
  const name = index === -1 ? undefined : (argv[index] as string);
  if (name === 'help') {
    const topic = argv[index + 1];
    if (topic === undefined) return { kind: 'help', text: mainHelp(COMMANDS) };
    if (topic === 'json') return { kind: 'help', text: JSON_MAPPING_HELP };
    const command = findCommand(topic);
    if (!command) throw new UsageError(`no such command: ${topic}`);
    return { kind: 'help', text: commandHelp(command) };
  }
  const command = name === undefined ? undefined : findCommand(name);
  if (name !== undefined && !command) {
    const near = suggestions(name);
    throw new UsageError(`unknown command '${name}'${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`);
  }
  if (command?.subcommand) return parseWithSubcommand(argv, index, command);
  const specs: OptionSpecs = command ? { ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS, ...command.options } : { ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS, ...VERSION_OPTION };
  const { values, positionals } = parse(argv, specs, command);
  if (!command) {
    if (values['help']) return { kind: 'help', text: mainHelp(COMMANDS) };
    if (values['version']) return { kind: 'version' };
    throw new UsageError(positionals.length ? `unexpected argument '${positionals[0] as string}'` : 'no command given');
  }
  if (values['help']) return { kind: 'help', text: commandHelp(command) };
  let args = positionals.slice(1);
  const host = hostArgument(command, args);
  if (host !== undefined) {
    if (values['host'] !== undefined) throw new UsageError(`the server is given twice: '${host}' and --host ${String(values['host'])}`, command.name);
    values['host'] = host;
    args = args.slice(1);
  }
  if (args.length < command.args.min) {
    throw new UsageError(`${command.name} needs ${command.usage.split(' ')[0] ?? 'an argument'}`, command.name);
  }
  if (args.length > command.args.max) {
    throw new UsageError(`too many arguments for ${command.name}: ${args.slice(command.args.max).map((a) => `'${a}'`).join(' ')}`, command.name);
  }
  checkOutputOptions(values, command);
  return { kind: 'run', invocation: { command, values, args } };
}

function checkOutputOptions(values: Values, command: Command): void {
  if (values['raw'] && values['json']) throw new UsageError('--raw and --json cannot be used together', command.name);
  if (values['progress'] && values['no-progress']) throw new UsageError('--progress and --no-progress cannot be used together', command.name);
}

/**
 * `netconf listen [options] COMMAND [ARGS...] [options]`: the command word after listen's own
 * options, then one parse with the options of both (listen's win a clash); no HOST argument.
 */
function parseWithSubcommand(argv: string[], index: number, command: Command): Parsed {
  const at = locateCommand(argv, index + 1, command.options);
  const name = at === -1 ? undefined : (argv[at] as string);
  if (name === undefined || name === 'help') {
    const { values } = parse(argv, { ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS, ...command.options }, command);
    if (values['help'] || name === 'help') return { kind: 'help', text: commandHelp(command) };
    const example = command.name === 'listen' ? '--call-home ssh' : '-i inventory.yaml';
    throw new UsageError(`${command.name} needs a COMMAND to run on each device (e.g. '${command.name} ${example} get-config')`, command.name);
  }
  const sub = findCommand(name);
  if (!sub) {
    const near = suggestions(name);
    throw new UsageError(`unknown command '${name}'${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`, command.name);
  }
  if (sub.subcommand || sub.hostArgument === false) throw new UsageError(`${sub.name} cannot run on a device${command.name === 'listen' ? ' that called home' : ''}`, command.name);
  const { values, positionals } = parse(argv, { ...CONNECTION_OPTIONS, ...OUTPUT_OPTIONS, ...sub.options, ...command.options }, command);
  if (values['help']) return { kind: 'help', text: commandHelp(command) };
  const args = positionals.slice(2);
  if (args.length < sub.args.min) throw new UsageError(`${sub.name} needs ${sub.usage.split(' ')[0] ?? 'an argument'}`, command.name);
  if (args.length > sub.args.max) throw new UsageError(`too many arguments for ${sub.name}: ${args.slice(sub.args.max).map((a) => `'${a}'`).join(' ')} (the devices call in: no HOST argument)`, command.name);
  checkOutputOptions(values, command);
  return { kind: 'run', invocation: { command, values, args, subcommand: sub } };
}

/** Run the command line; resolves to the exit status. Never throws. */
export async function main(argv: string[], io: MainIO = processIO()): Promise<number> {
  const writeErr = (t: string): void => void io.stderr.write(t);
  let parsed: Parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    const d = describeError(err, { command: undefined, debug: false });
    new Logger(writeErr).error(d.message);
    return d.code;
  }
  if (parsed.kind === 'help') {
    io.stdout(parsed.text);
    return ExitCode.OK;
  }
  if (parsed.kind === 'version') {
    io.stdout(`netconf (netconfkit) ${packageVersion()}\n`);
    return ExitCode.OK;
  }

  const { command, values, args, subcommand } = parsed.invocation;
  const debug = values['debug'] === true;
  const log = new Logger(writeErr, { debug, quiet: values['quiet'] === true });
  const errorContext: ErrorContext = { command: command.name, debug };
  const mode: OutputMode = values['raw'] ? 'raw' : values['json'] ? 'json' : 'pretty';
  const out = new Output(mode, io.stdout);
  const progressMode: ProgressMode = values['quiet'] || values['no-progress'] ? 'off' : values['progress'] ? 'on' : 'auto';
  const progress = new Progress(io.stderr, progressMode);

  const controller = new AbortController();
  let forced: NodeJS.Timeout | undefined;
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(ExitCode.INTERRUPTED); // a second Ctrl-C: now
    controller.abort();
    // A command that cannot stop at once (connecting …) is not waited for long.
    forced = setTimeout(() => process.exit(ExitCode.INTERRUPTED), 5000);
    forced.unref();
  };
  const removeSignals = io.onSignal?.(onSignal);

  const ctx = new Context({ command: command.name, values, args, env: io.env, out, log, progress, signal: controller.signal, errorContext, stdin: io.stdin, subcommand });
  try {
    const status = await command.run(ctx);
    return status ?? ExitCode.OK;
  } catch (err) {
    return ctx.fail(err);
  } finally {
    await ctx.close().catch((err: unknown) => log.debug(`closing: ${String(err)}`));
    clearTimeout(forced);
    removeSignals?.();
  }
}

/** Run with the process's arguments and streams, then exit with the status. */
export async function run(argv: string[] = process.argv.slice(2)): Promise<never> {
  let status: number = ExitCode.INTERNAL;
  // `netconf get | head`: a closed stdout ends the run quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(status === ExitCode.INTERNAL ? ExitCode.OK : status);
    throw err;
  });
  status = await main(argv);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(status);
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) void run();
