/**
 * `netconf worker --queue redis://… -i INVENTORY`: take the jobs `netconf fleet --queue` puts
 * on Redis and run them on this machine's devices, with this machine's credentials.
 * @module
 */
import { FleetQueueError, LimitError, startFleetWorker, type FleetQueueTask } from '../../fleet/index.js';
import type { Command } from '../command.js';
import { parseSeconds } from '../connection.js';
import { ExitCode } from '../errors.js';
import { commandTask, fleetDefaults, type CommandSpec } from '../fleet-task.js';
import { checkQueueUrl, FLEET_COMMON_OPTIONS, intOption, loadInventory } from './fleet.js';

/** `netconf worker`: runs the queued jobs of `netconf fleet --queue`. */
export const worker: Command = {
  name: 'worker',
  summary: "run the jobs of 'netconf fleet --queue' on this machine's devices",
  usage: '--queue redis://HOST:PORT/DB -i INVENTORY [--concurrency N]',
  description: `Takes the jobs 'netconf fleet --queue URL ... COMMAND' enqueues on Redis (BullMQ),
one per device, and runs COMMAND on each device, at most --concurrency at once (so
that a fleet spreads over every worker). The device is looked up in this worker's
own inventory (-i), and reached with this worker's connection flags and environment
(-u, --key, --known-hosts, --password-env ...: defaults the inventory overrides, as
for 'netconf fleet'): no credential goes through Redis. Run any number of workers,
on any machines, on the same queue.

A worker that dies mid-job (even SIGKILL) does not lose the device: after
--lock-duration seconds another worker takes the job over. It is run again if the
command had sent no change yet; otherwise its outcome is "unknown" (never re-run).

Runs until interrupted (SIGINT/SIGTERM: the running jobs finish first), or until
--max-jobs jobs are done. Exit status: 0 when stopped; 2 usage; 3 Redis unreachable
or lost for --redis-timeout seconds (default 10).
  netconf worker --queue redis://10.0.0.5:6379/0 -i inventory.yaml --concurrency 200`,
  options: {
    ...FLEET_COMMON_OPTIONS,
    queue: { type: 'string', value: 'URL', help: 'the Redis of the queue: redis://HOST:PORT/DB (required)' },
    'queue-name': { type: 'string', value: 'NAME', help: 'the BullMQ queue (default netconf-fleet)' },
    'lock-duration': { type: 'string', value: 'SECONDS', help: 'after this long without news from a worker, its jobs go to another one (default 30)' },
    'redis-timeout': { type: 'string', value: 'SECONDS', help: 'give up (status 3) when Redis has not answered for this long (default 10)' },
    'max-jobs': { type: 'string', value: 'N', help: 'stop after N jobs (default: run until interrupted)' },
  },
  args: { min: 0, max: 0 },
  hostArgument: false,
  async run(ctx) {
    const url = ctx.string('queue');
    if (url === undefined) throw ctx.usage('worker needs --queue redis://HOST:PORT/DB');
    checkQueueUrl(ctx, url);
    const concurrency = intOption(ctx, 'concurrency', 100, 1);
    const retries = intOption(ctx, 'retries', 2, 0);
    const maxJobs = intOption(ctx, 'max-jobs', 0, 1);
    const seconds = (name: string): number | undefined => {
      const text = ctx.string(name);
      return text === undefined ? undefined : parseSeconds(text, `--${name}`, ctx.command);
    };
    const deviceTimeout = seconds('device-timeout');
    const lockDuration = seconds('lock-duration') ?? 30;
    const redisTimeout = seconds('redis-timeout') ?? 10;
    let inventory;
    try {
      inventory = await loadInventory(ctx, await fleetDefaults(ctx));
    } catch (err) {
      if (err instanceof LimitError) throw ctx.usage(err.message);
      throw err;
    }
    const quiet = ctx.flag('quiet');
    const io = { env: ctx.env, stderr: (t: string) => ctx.log.notice(t.replace(/^netconf: /, '').trimEnd()), quiet, debug: ctx.flag('debug'), stdin: ctx.stdin };
    const netconf: FleetQueueTask = (manager, target, context) => commandTask(context.input as CommandSpec, io)(manager, target, context);
    let done = 0;
    let stopForMax: (() => void) | undefined;
    let fleetWorker;
    try {
      fleetWorker = await startFleetWorker({
        url,
        ...(ctx.string('queue-name') ? { queueName: ctx.string('queue-name') as string } : {}),
        inventory,
        tasks: { netconf },
        concurrency,
        retries,
        ...(deviceTimeout === undefined ? {} : { timeout: deviceTimeout }),
        lockDuration,
        stalledInterval: Math.max(0.5, lockDuration / 2),
        redisTimeout,
        env: ctx.env,
        onResult: (r) => {
          done++;
          ctx.log.info(`${r.name}: ${r.outcome}${r.error ? ` (${r.error.name}: ${r.error.message})` : ''}`);
          if (maxJobs && done >= maxJobs) stopForMax?.();
        },
      });
    } catch (err) {
      if (err instanceof FleetQueueError) {
        ctx.log.error(err.message);
        return ExitCode.CONNECTION;
      }
      throw err;
    }
    ctx.log.info(`worker ${fleetWorker.name} on ${url.replace(/\/\/[^@/]*@/, '//')} (concurrency ${concurrency}): waiting for jobs`);
    const w = fleetWorker;
    const stopped = new Promise<'stop'>((resolve) => {
      stopForMax = () => resolve('stop');
      if (ctx.signal.aborted) resolve('stop');
      ctx.signal.addEventListener('abort', () => resolve('stop'), { once: true });
    });
    const why = await Promise.race([stopped, w.closed]);
    await w.close();
    if (why instanceof Error) {
      ctx.log.error(why.message);
      return ExitCode.CONNECTION;
    }
    ctx.log.info(`worker ${w.name}: ${done} job${done === 1 ? '' : 's'} done`);
    return ExitCode.OK;
  },
};

