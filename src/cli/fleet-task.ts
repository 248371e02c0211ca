/**
 * A `netconf` command as a fleet task: what `netconf fleet COMMAND` runs on each device, and
 * what a `netconf worker` runs for a queued job. The command runs exactly as on its own, on a
 * session the fleet opened, with its output captured as JSON (its `--json` form, or with `--raw`
 * the reply as received) to become the device's `result`.
 *
 * Also here: the command line's connection flags as the defaults of the inventory's targets.
 * @module
 */
import type { Manager } from '../index.js';
import type { FleetDefaults, FleetTarget, FleetTask } from '../fleet/index.js';
import type { Command, Values } from './command.js';
import { COMMANDS } from './commands/index.js';
import { connectionSettings, sshOptions, tlsOptions, warnUnverified } from './connection.js';
import { Context } from './context.js';
import { UsageError, type ErrorContext } from './errors.js';
import { Logger } from './log.js';
import { CONNECTION_OPTIONS } from './options.js';
import { Output } from './output.js';
import { resolvePassword } from './password.js';
import { Progress } from './progress.js';

/** A command with its arguments and its own options: what travels in a queue job (no connection option, no secret). */
export interface CommandSpec {
  /** The command's name (`get-config`). */
  command: string;
  /** Its positional arguments (`edit-config change.xml`: `['change.xml']`). */
  args: string[];
  /** Its own options (`{ source: 'running' }`), and `raw` when given. */
  options: Values;
}

/** The spec of `sub` as given on the command line (its own options only). */
export function commandSpec(sub: Command, values: Values, args: readonly string[]): CommandSpec {
  const options: Values = {};
  for (const name of Object.keys(sub.options)) if (values[name] !== undefined) options[name] = values[name];
  if (values['raw'] === true) options['raw'] = true;
  return { command: sub.name, args: [...args], options };
}

/** The command of a spec, checked (a worker gets specs from the queue). */
export function specCommand(spec: CommandSpec): Command {
  const command = COMMANDS.find((c) => c.name === spec.command);
  if (!command || command.subcommand || command.hostArgument === false) throw new UsageError(`'${spec.command}' is not a command that runs on a device`);
  return command;
}

/** Parse what a command printed in JSON mode: one document, or one per line; else the text. */
function capturedJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    // several documents, one per line (notifications)
  }
  try {
    return trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  } catch {
    return trimmed;
  }
}

/** What a command task needs from the process it runs in. */
export interface CommandTaskIO {
  env: NodeJS.ProcessEnv;
  /** Where the command's messages (warnings) go, prefixed with the device's name. */
  stderr: (text: string) => void;
  quiet: boolean;
  debug: boolean;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/**
 * The fleet task that runs `spec` on a device: a {@link Context} on the fleet's manager, the
 * output captured (JSON, or the raw reply with `raw`), returned as the device's result.
 */
export function commandTask(spec: CommandSpec, io: CommandTaskIO): FleetTask<unknown> {
  const command = specCommand(spec);
  const raw = spec.options['raw'] === true;
  return async (manager: Manager, target: FleetTarget, { signal }) => {
    let text = '';
    const out = new Output(raw ? 'raw' : 'json', (t) => (text += t));
    const log = new Logger((t) => io.stderr(t.replace(/^netconf: /, `netconf: ${target.name}: `)), { quiet: io.quiet, debug: io.debug });
    const errorContext: ErrorContext = { command: command.name, debug: io.debug, device: target.name };
    const ctx = new Context({
      command: command.name,
      values: { ...spec.options, ...(raw ? {} : { json: true }) },
      args: spec.args,
      env: io.env,
      out,
      log,
      progress: new Progress({ write: () => undefined }, 'off'),
      signal,
      errorContext,
      stdin: io.stdin,
      manager,
    });
    await command.run(ctx);
    return raw ? text : capturedJson(text);
  };
}

/** The command line's connection flags that name a server: not defaults for a fleet. */
const SERVER_FLAGS = ['host'];

/**
 * The connection flags given on the command line (`-u`, `--port`, `--key`, `--known-hosts`,
 * `--timeout`, `--tls --cert …`), as the defaults of every target: the inventory beats them.
 * A password from `-p` / `--ask-password` is a default value; `--password-env VAR` (and
 * NETCONF_PASSWORD) stay references, read when each device is contacted.
 */
export async function fleetDefaults(ctx: Context): Promise<FleetDefaults> {
  for (const flag of SERVER_FLAGS) if (ctx.values[flag] !== undefined) throw ctx.usage(`--${flag} cannot be used with ${ctx.command}: the devices come from the inventory (-i FILE)`);
  const values: Record<string, unknown> = { host: 'fleet' };
  for (const name of Object.keys(CONNECTION_OPTIONS)) if (name !== 'host' && ctx.values[name] !== undefined) values[name] = ctx.values[name];
  const settings = connectionSettings({ ...values, 'ssh-config': ctx.string('ssh-config') } as Parameters<typeof connectionSettings>[0], ctx.env, ctx.command);
  const errorContext: ErrorContext = { command: ctx.command, debug: ctx.errorContext.debug };
  const passwordEnv = ctx.string('password-env');
  if (settings.transport === 'tls') {
    const passphrase = settings.tls?.keyEncrypted ? await ctx.secret(settings, '') : undefined;
    const options = tlsOptions(settings, passphrase, ctx.log, ctx.command);
    const defaults: Record<string, unknown> = { ...options, transport: 'tls' };
    if (settings.port !== undefined) defaults['port'] = settings.port;
    return defaults as FleetDefaults;
  }
  // By reference when it is one; a value only when typed or given with -p.
  const password = passwordEnv === undefined && (ctx.flag('ask-password') || ctx.string('password') !== undefined) ? await resolvePassword({ password: ctx.string('password'), ask: ctx.flag('ask-password') }, ctx.env, 'password for the devices: ') : undefined;
  warnUnverified(settings, 'the devices', ctx.log);
  const { options } = sshOptions(settings, password, ctx.log, errorContext);
  const defaults: Record<string, unknown> = { ...options };
  if (settings.port !== undefined) defaults['port'] = settings.port;
  if (settings.sshConfig !== undefined) defaults['sshConfig'] = settings.sshConfig;
  if (settings.jump !== undefined) defaults['proxyJump'] = settings.jump;
  if (settings.proxyCommand !== undefined) defaults['proxyCommand'] = settings.proxyCommand;
  if (settings.allowStrictHostKeyCheckingNo) defaults['allowStrictHostKeyCheckingNo'] = true;
  if (passwordEnv !== undefined) defaults['passwordEnv'] = passwordEnv;
  else if (password === undefined && ctx.env['NETCONF_PASSWORD'] !== undefined) defaults['passwordEnv'] = 'NETCONF_PASSWORD';
  return defaults as FleetDefaults;
}
