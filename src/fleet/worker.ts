/**
 * `startFleetWorker()`: a process that takes fleet jobs from the BullMQ queue and runs them on
 * its devices, at most `concurrency` at a time (so a fleet spreads over every worker). Devices
 * are resolved in the worker's own inventory, credentials from its own environment: nothing
 * secret travels through Redis.
 *
 * A job that a dead worker left behind (BullMQ's stalled-job detection hands it to another
 * worker) is run again only if its task had not yet sent a change; otherwise its result is
 * `unknown` (see docs/fleet.md).
 * @module
 */
import { hostname } from 'node:os';
import type { Job, Worker } from 'bullmq';
import type { Manager } from '../index.js';
import { ChangeOutcomeUnknownError, InventoryError } from './errors.js';
import type { Inventory } from './inventory.js';
import type { FleetJobData } from './queue.js';
import { bullConnection, closeBull, DEFAULT_QUEUE_NAME, RedisWatchdog, type FleetQueueOptions } from './redis-link.js';
import { resultToJson, type FleetResult, type FleetResultJson } from './result.js';
import { runFleet, type FleetTaskContext, type RunFleetOptions } from './run-fleet.js';
import { resolveTarget } from './connect-target.js';
import type { FleetTarget } from './target.js';

/** A task a worker can run by name: a fleet task that also gets the job's JSON input. */
export type FleetQueueTask = (manager: Manager, target: FleetTarget, context: FleetTaskContext & { input: unknown }) => Promise<unknown>;

/** Options of {@link startFleetWorker}. */
export interface FleetWorkerOptions extends FleetQueueOptions, Pick<RunFleetOptions, 'timeout' | 'retries' | 'backoff' | 'env' | 'connect' | 'taskKind'> {
  /** The devices this worker can reach, with their connection options (its own credentials). */
  inventory: Inventory;
  /** The tasks jobs may name. */
  tasks: Readonly<Record<string, FleetQueueTask>>;
  /** Jobs (sessions) run at once by this worker; default 100. */
  concurrency?: number;
  /**
   * Seconds a worker holds a job's lock without renewing it before other workers may consider it
   * dead (BullMQ's `lockDuration`); default 30. The lock is renewed every half of it.
   */
  lockDuration?: number;
  /** Seconds between checks for jobs of dead workers (BullMQ's `stalledInterval`); default 30. */
  stalledInterval?: number;
  /** How many times a job of a dead worker is given to another one before it fails; default 1. */
  maxStalledCount?: number;
  /** Called with each result this worker produced (for its own log). */
  onResult?: (result: FleetResult<unknown>) => void;
  /** The worker's name in results (`worker`); default `HOST:PID`. */
  name?: string;
}

/** A running worker. */
export interface FleetWorker {
  /** The worker's name. */
  readonly name: string;
  /** Jobs running now. */
  readonly running: number;
  /** Settles when the worker stops: `undefined` after {@link FleetWorker.close}, the error when Redis was lost. */
  readonly closed: Promise<Error | undefined>;
  /** Stop taking jobs, let the running ones finish (their sessions close), disconnect. */
  close(): Promise<void>;
}

/** The result of a job that cannot run (unknown device or task, change already sent). */
function refusal(name: string, error: Error, outcome: 'failed' | 'unknown', changeSent: boolean): FleetResult<unknown> {
  return { name, ok: false, outcome, error, changeSent, startedAt: new Date().toISOString(), durationMs: 0, attempts: 0 };
}

/**
 * Start a worker on the queue. Resolves once it is connected (or fails with
 * {@link FleetQueueError} when Redis cannot be reached within `redisTimeout` seconds).
 */
export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorker> {
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const env = options.env ?? process.env;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const watchdog = await RedisWatchdog.start(options.url, options.redisTimeout ?? 10);
  const { Worker: WorkerClass } = await import('bullmq');
  let running = 0;

  const processJob = async (job: Job<FleetJobData>): Promise<FleetResultJson> => {
    running++;
    try {
      const { device, task: taskName, input } = job.data;
      const rerun = job.stalledCounter > 0 || job.attemptsStarted > 1;
      let result: FleetResult<unknown> | undefined;
      let target: FleetTarget | undefined;
      const task = options.tasks[taskName];
      if (rerun && job.data.changeSent) {
        result = refusal(device, new ChangeOutcomeUnknownError('the worker that sent a change to this device died before its outcome was known: not re-run'), 'unknown', true);
      } else if (!task) {
        result = refusal(device, new InventoryError(`worker ${name} has no task '${taskName}'`), 'failed', false);
      } else {
        try {
          target = options.inventory.target(device);
        } catch {
          result = refusal(device, new InventoryError(`'${device}' is not in the inventory of worker ${name}`), 'failed', false);
        }
      }
      if (!result && target && task) {
        const runOptions: RunFleetOptions = {
          concurrency: 1,
          env,
          beforeChange: async () => {
            // Recorded before the change leaves: a worker that dies after this is known to have sent it.
            await job.updateData({ ...job.data, changeSent: true });
          },
        };
        for (const key of ['timeout', 'retries', 'backoff', 'connect', 'taskKind'] as const) if (options[key] !== undefined) Object.assign(runOptions, { [key]: options[key] });
        for await (const r of runFleet([target], (m, t, c) => task(m, t, { ...c, input }), runOptions)) result = r;
      }
      const final = result as FleetResult<unknown>;
      // Attempts across workers: a job taken over from a dead worker counts that one's too.
      final.attempts += Math.max(0, job.attemptsStarted - 1);
      options.onResult?.(final);
      let secrets: string[] = [];
      try {
        if (target) secrets = resolveTarget(target, env).secrets;
      } catch {
        // a missing variable: nothing to hide
      }
      return { ...resultToJson(final, secrets), worker: name };
    } finally {
      running--;
    }
  };

  const connection = bullConnection(options.url);
  const worker: Worker<FleetJobData> = new WorkerClass<FleetJobData>(queueName, processJob, {
    connection: connection.options,
    concurrency: options.concurrency ?? 100,
    lockDuration: (options.lockDuration ?? 30) * 1000,
    stalledInterval: (options.stalledInterval ?? 30) * 1000,
    maxStalledCount: options.maxStalledCount ?? 1,
  });
  worker.on('error', () => undefined); // an unreachable Redis is reported by the watchdog
  let resolveClosed!: (error: Error | undefined) => void;
  const closed = new Promise<Error | undefined>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = (error?: Error): Promise<void> => {
    closing ??= (async () => {
      watchdog.stop();
      if (error) connection.stopReconnecting();
      if (error) await closeBull(worker, true);
      else await worker.close().catch(() => undefined);
      resolveClosed(error);
    })();
    return closing;
  };
  watchdog.failed.catch((err: Error) => void close(err));
  await Promise.race([worker.waitUntilReady(), watchdog.failed]);
  return {
    name,
    get running() {
      return running;
    },
    closed,
    close: () => close(),
  };
}
