/**
 * `netconf fleet -i INVENTORY [--limit EXPR] COMMAND [ARGS...]`: run a command on every device of
 * an inventory, from this process (`runFleet`) or through worker processes on Redis
 * (`--queue redis://…`, `enqueueFleet`). One JSON line per device on stdout, or one file per
 * device with `--output-dir`.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRedisUrl, enqueueFleet, FleetQueueError, Inventory, InventoryError, LimitError, redact, resolveTarget, resultToJson, runFleet, type FleetDefaults, type FleetProgress, type FleetResult } from '../../fleet/index.js';
import type { Command, OptionSpecs } from '../command.js';
import { parseSeconds } from '../connection.js';
import type { Context } from '../context.js';
import { ExitCode, InterruptedError, UsageError } from '../errors.js';
import { commandSpec, commandTask, fleetDefaults, specCommand } from '../fleet-task.js';
import { FleetProgressLine } from '../fleet-progress.js';
import { CONNECTION_OPTIONS } from '../options.js';

/** Exit statuses of `netconf fleet` (see its help and docs/fleet.md). */
export const FleetExit = {
  /** Every selected device succeeded. */
  OK: 0,
  /** At least one device failed (its line says why); none ended `unknown`. */
  FAILED: 1,
  /** Usage: options, the inventory file, `--limit`, or the command's own options. */
  USAGE: ExitCode.USAGE,
  /** `--queue`: Redis cannot be reached, or went away. */
  QUEUE: ExitCode.CONNECTION,
  /** At least one device ended `unknown`: a change was sent and the session died before its reply. */
  UNKNOWN: 6,
  /** Interrupted (SIGINT / SIGTERM): devices not finished are reported as stopped. */
  INTERRUPTED: ExitCode.INTERRUPTED,
} as const;

/** Options `fleet` and `worker` share. */
export const FLEET_COMMON_OPTIONS: OptionSpecs = {
  inventory: { type: 'string', short: 'i', value: 'FILE', help: 'the inventory: hosts and groups, YAML or JSON (required)' },
  concurrency: { type: 'string', value: 'N', help: 'devices (sessions) at once (default 100)' },
  retries: { type: 'string', value: 'N', help: 'further attempts after a connection failure, for attempts that sent no change (default 2)' },
  'device-timeout': { type: 'string', value: 'SECONDS', help: 'limit for one attempt on a device, connecting included (default: none; --timeout still bounds connecting and each reply)' },
};

/** A whole number option ≥ `min`, or `fallback`. */
export function intOption(ctx: Context, name: string, fallback: number, min: number): number {
  const text = ctx.string(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n) || n < min) throw ctx.usage(`--${name} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, got '${text}'`);
  return n;
}

/** Load the inventory of `-i`, with the command line's defaults; inventory errors are usage errors. */
export async function loadInventory(ctx: Context, defaults: FleetDefaults): Promise<Inventory> {
  const file = ctx.string('inventory');
  if (file === undefined) throw ctx.usage(`${ctx.command} needs -i/--inventory FILE`);
  try {
    return await Inventory.load(file, { defaults });
  } catch (err) {
    if (err instanceof InventoryError) throw ctx.usage(err.message);
    throw err;
  }
}

/** `--queue URL`, checked: a usage error unless redis:// or rediss://. */
export function checkQueueUrl(ctx: Context, url: string): void {
  try {
    checkRedisUrl(url);
  } catch (err) {
    throw ctx.usage(`--queue: ${(err as Error).message}`);
  }
}

/** A device's file name in `--output-dir`: its name, with what a file name cannot hold escaped. */
function fileName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._@+-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/^\./, '%2e')}.json`;
}

function summary(total: number, counts: { ok: number; failed: number; unknown: number }, types: Map<string, number>, ms: number): string {
  const why = [...types].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ');
  const rate = ms > 0 ? (total * 1000) / ms : 0;
  return `fleet: ${total} device${total === 1 ? '' : 's'}: ${counts.ok} ok, ${counts.failed} failed${counts.unknown ? `, ${counts.unknown} UNKNOWN (a change was sent and the session died: check them)` : ''}${why ? ` (${why})` : ''}, in ${(ms / 1000).toFixed(1)} s (${rate.toFixed(1)} devices/s)`;
}

/** `netconf fleet`: a command on every device of an inventory, in this process or through a queue. */
export const fleet: Command = {
  name: 'fleet',
  summary: 'run a command on every device of an inventory (one JSON line per device)',
  usage: '-i INVENTORY [--limit EXPR] [--concurrency N] [--output-dir DIR] [--queue redis://HOST:PORT/DB] COMMAND [ARGS...]',
  description: `Runs COMMAND (get-config, get, edit-config FILE, commit, hello ...: any command that
connects, with its arguments and options) on every device of the inventory, or those
--limit selects, --concurrency at a time, and prints one line of JSON per device as
it completes (NDJSON), in completion order:
  {"name":"r1","ok":true,"outcome":"ok","result":{...},"changeSent":false,
   "startedAt":"...","durationMs":412,"attempts":1}
  {"name":"r2","ok":false,"outcome":"failed","error":{"type":"SSHError","message":"..."},...}
"result" is what COMMAND prints with --json (with --raw: the reply as received, as a
string); "outcome" is ok, failed, or unknown: a change was sent and the session died
before the reply, so the device may or may not have applied it. With --output-dir DIR
each device's object goes to DIR/NAME.json instead. A live line on a terminal shows
devices done/failed, the rate and the ETA; a summary goes to stderr at the end.

The inventory (YAML or JSON; see docs/fleet.md): hosts with their groups and options,
groups with defaults, every option of the library's connect() by its own name
(username, port, passwordEnv, keyFilename, knownHostsFile, proxyJump, timeout ...). A
host's values beat its groups', a later group's beat an earlier one's; this command's
connection flags (-u, --port, --key, --known-hosts, --timeout, --password-env ...) are
defaults that the inventory overrides.

--limit EXPR: comma-separated host names, group names and globs (core,r9*), their
union; !TERM removes (core,!r2). A term that names nothing is an error.

Retries: a failed connection (refused, reset, timed out) is tried again --retries
times with a growing delay. A device whose session died during COMMAND is retried
only if COMMAND sent no change; a command that sent a change (edit-config, commit,
copy-config, delete-config, discard-changes, rpc ...) is never retried: its outcome
is "unknown" when the session died after sending.

--queue redis://HOST:PORT/DB: enqueue one job per device on Redis (BullMQ) instead,
for 'netconf worker' processes to run (each with its own inventory and credentials:
only device names and the command go to Redis); results stream back as above.

Exit status: 0 every device succeeded; 1 one or more failed; 6 one or more ended
unknown; 2 usage (options, the inventory, --limit); 3 Redis unreachable or lost
(--queue); 130 interrupted.
  netconf fleet -i inventory.yaml --limit core get-config --source running
  netconf fleet -i inventory.yaml --output-dir configs/ get-config
  netconf fleet -i inventory.yaml --queue redis://127.0.0.1:6379/0 get-config`,
  options: {
    ...FLEET_COMMON_OPTIONS,
    limit: { type: 'string', short: 'l', value: 'EXPR', help: 'only these hosts: names, groups, globs, comma-separated (union; !TERM removes)' },
    'output-dir': { type: 'string', value: 'DIR', help: "write each device's JSON object to DIR/NAME.json instead of stdout" },
    queue: { type: 'string', value: 'URL', help: "enqueue the devices on Redis (redis://HOST:PORT/DB) for 'netconf worker' processes" },
    'queue-name': { type: 'string', value: 'NAME', help: 'the BullMQ queue (default netconf-fleet); workers must use the same' },
    'redis-timeout': { type: 'string', value: 'SECONDS', help: 'with --queue: give up (status 3) when Redis has not answered for this long (default 10)' },
  },
  args: { min: 0, max: 0 },
  hostArgument: false,
  subcommand: true,
  async run(ctx) {
    const sub = ctx.subcommand;
    if (!sub) throw ctx.usage('fleet needs a COMMAND to run on each device');
    if (sub.name === 'fleet' || sub.name === 'worker') throw ctx.usage(`${sub.name} cannot run on a device`);
    const queueUrl = ctx.string('queue');
    const concurrency = intOption(ctx, 'concurrency', 100, 1);
    const retries = intOption(ctx, 'retries', 2, 0);
    const deviceTimeoutText = ctx.string('device-timeout');
    const deviceTimeout = deviceTimeoutText === undefined ? undefined : parseSeconds(deviceTimeoutText, '--device-timeout', ctx.command);
    const redisTimeoutText = ctx.string('redis-timeout');
    const redisTimeout = redisTimeoutText === undefined ? undefined : parseSeconds(redisTimeoutText, '--redis-timeout', ctx.command);
    if (queueUrl !== undefined) {
      checkQueueUrl(ctx, queueUrl);
      const local = Object.keys(CONNECTION_OPTIONS).filter((o) => ctx.values[o] !== undefined);
      if (local.length) throw ctx.usage(`--${local[0] as string} cannot be used with --queue: the workers connect, with their own options and credentials ('netconf worker')`);
      for (const o of ['concurrency', 'retries', 'device-timeout']) if (ctx.values[o] !== undefined) throw ctx.usage(`--${o} cannot be used with --queue: give it to 'netconf worker'`);
    }
    const defaults = queueUrl === undefined ? await fleetDefaults(ctx) : {};
    let inventory = await loadInventory(ctx, defaults);
    const limit = ctx.string('limit');
    if (limit !== undefined) {
      try {
        inventory = inventory.limit(limit);
      } catch (err) {
        if (err instanceof LimitError) throw ctx.usage(err.message);
        throw err;
      }
    }
    const spec = commandSpec(sub, ctx.values, ctx.args);
    specCommand(spec);
    const outputDir = ctx.string('output-dir');
    if (outputDir !== undefined) await mkdir(outputDir, { recursive: true });

    const quiet = ctx.flag('quiet');
    const line = new FleetProgressLine(process.stderr, !quiet && !ctx.flag('no-progress'));
    const stderr = (text: string): void => {
      line.clear();
      ctx.log.notice(text.replace(/^netconf: /, '').trimEnd());
    };
    const onProgress = (p: FleetProgress): void => line.update(p);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    ctx.signal.addEventListener('abort', onSignal, { once: true });

    const results: AsyncIterable<FleetResult<unknown>> =
      queueUrl === undefined
        ? runFleet(inventory, commandTask(spec, { env: ctx.env, stderr, quiet, debug: ctx.flag('debug'), stdin: ctx.stdin }), { concurrency, retries, ...(deviceTimeout === undefined ? {} : { timeout: deviceTimeout }), signal: stop.signal, env: ctx.env, onProgress })
        : enqueueFleet(inventory, { url: queueUrl, ...(ctx.string('queue-name') ? { queueName: ctx.string('queue-name') as string } : {}), task: 'netconf', input: spec, signal: stop.signal, onProgress, ...(redisTimeout === undefined ? {} : { redisTimeout }) });

    /** The secret values of a device (to scrub from its messages). */
    const secretsOf = (name: string): string[] => {
      try {
        return resolveTarget(inventory.target(name), ctx.env).secrets;
      } catch {
        return [];
      }
    };
    const counts = { ok: 0, failed: 0, unknown: 0 };
    const types = new Map<string, number>();
    let usage: string | undefined;
    const started = Date.now();
    let total = 0;
    try {
      for await (const result of results) {
        total++;
        const json = resultToJson(result, queueUrl === undefined ? secretsOf(result.name) : []);
        if (result.ok) counts.ok++;
        else if (result.outcome === 'unknown') counts.unknown++;
        else counts.failed++;
        if (json.error) {
          types.set(json.error.type, (types.get(json.error.type) ?? 0) + 1);
          if (json.error.type === 'UsageError' && usage === undefined) {
            // the command's own options are wrong: the same on every device
            usage = json.error.message;
            stop.abort();
          }
        }
        if (outputDir !== undefined) await writeFile(join(outputDir, fileName(result.name)), `${JSON.stringify(json, null, 2)}\n`);
        else {
          line.clear();
          ctx.out.text(JSON.stringify(json));
        }
      }
    } catch (err) {
      line.clear();
      if (err instanceof FleetQueueError) {
        ctx.log.error(`${redact(err.message, [])}${total ? ` (${total} results received)` : ''}`);
        return FleetExit.QUEUE;
      }
      throw err;
    } finally {
      ctx.signal.removeEventListener('abort', onSignal);
      line.clear();
    }
    if (usage !== undefined) throw new UsageError(usage, sub.name);
    if (!quiet || counts.failed || counts.unknown) ctx.log.notice(summary(total, counts, types, Date.now() - started).replace(/^fleet: /, 'fleet: '));
    if (ctx.signal.aborted) throw new InterruptedError('interrupted');
    if (counts.unknown) return FleetExit.UNKNOWN;
    if (counts.failed) return FleetExit.FAILED;
    return FleetExit.OK;
  },
};
