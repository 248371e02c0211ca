/**
 * `enqueueFleet()`: the collector of a fleet spread over worker processes through BullMQ on
 * Redis. One job per device (its name, the task's name and its JSON input: never a credential),
 * then each device's result streamed back as a worker finishes it.
 *
 * Each device gets exactly one result: from the worker's return value, or, when workers kept
 * dying on it (BullMQ's stalled-job limit), a failure — `unknown` when a change had been sent.
 * BullMQ is loaded on the first call.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import { ChangeOutcomeUnknownError, FleetAbortedError, FleetQueueError, RemoteFleetError } from './errors.js';
import { Inventory } from './inventory.js';
import { bullConnection, closeBull, DEFAULT_QUEUE_NAME, redisWhere, RedisWatchdog, type FleetQueueOptions } from './redis-link.js';
import { resultFromJson, type FleetResult, type FleetResultJson } from './result.js';
import type { FleetProgress } from './run-fleet.js';

/** What a job carries. */
export interface FleetJobData {
  /** The run the job belongs to. */
  run: string;
  /** The device's name, looked up in the worker's own inventory. */
  device: string;
  /** The name of the task registered on the workers. */
  task: string;
  /** The task's input (JSON). */
  input: unknown;
  /** Set by the worker before the task sends its first change (see docs/fleet.md). */
  changeSent?: boolean;
}

/** Options of {@link enqueueFleet}. */
export interface EnqueueFleetOptions extends FleetQueueOptions {
  /** The task to run: a name registered on every worker ({@link startFleetWorker}'s `tasks`). */
  task: string;
  /** Its input, as JSON (the CLI: the command, its arguments and options). */
  input?: unknown;
  /** Stops the run: jobs not started are removed; every device not finished gets a {@link FleetAbortedError} result. */
  signal?: AbortSignal;
  /** Called on each result. */
  onProgress?: (progress: FleetProgress) => void;
}

/** How often (ms) the collector looks at the jobs themselves when no event came: a safety net for missed events. */
const SWEEP_MS = 3000;

/**
 * Enqueue one job per device and yield each device's result as a worker completes it. The
 * devices are names (an {@link Inventory}'s selected hosts, or any names): each worker resolves
 * them against its own inventory, with its own credentials.
 *
 * Fails with {@link FleetQueueError} when Redis cannot be reached, stops answering for
 * `redisTimeout` seconds, or comes back without the run's jobs (restarted without persistence).
 */
export async function* enqueueFleet(devices: Inventory | Iterable<string>, options: EnqueueFleetOptions): AsyncGenerator<FleetResult<unknown>, void, undefined> {
  const names = devices instanceof Inventory ? [...devices.selected] : [...devices];
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const timeout = options.redisTimeout ?? 10;
  const connection = bullConnection(options.url);
  const run = randomUUID().slice(0, 12);
  const pending = new Map<string, string>(); // job id → device name
  names.forEach((name, i) => pending.set(`${run}-${i}`, name));

  let queue: Queue | undefined;
  let events: QueueEvents | undefined;
  let watchdog: RedisWatchdog | undefined;
  const ready: Array<FleetResult<unknown>> = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const start = Date.now();
  let done = 0;
  let failed = 0;

  const settle = (jobId: string, result: FleetResult<unknown>): void => {
    if (!pending.delete(jobId)) return; // already reported (an event and a sweep both saw it)
    done++;
    if (!result.ok) failed++;
    ready.push(result);
    const elapsedMs = Date.now() - start;
    options.onProgress?.({ done, failed, inFlight: pending.size, total: names.length, totalKnown: true, rate: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0, elapsedMs });
    wake?.();
  };
  const fromReturn = (jobId: string, value: unknown): void => {
    const json = (typeof value === 'string' ? JSON.parse(value) : value) as FleetResultJson;
    settle(jobId, resultFromJson(json));
  };
  /** A job BullMQ gave up on (workers died on it): unknown when a change may have been sent. */
  const fromFailure = async (jobId: string, reason: string): Promise<void> => {
    const name = pending.get(jobId);
    if (name === undefined || !queue) return;
    const job = (await queue.getJob(jobId).catch(() => undefined)) as Job<FleetJobData> | undefined;
    const changeSent = job?.data.changeSent === true;
    const error = changeSent ? new ChangeOutcomeUnknownError(`the worker running this device's change was lost (${reason}); not re-run`) : new RemoteFleetError('WorkerLostError', `the job failed on the queue: ${reason}`);
    settle(jobId, { name, ok: false, outcome: changeSent ? 'unknown' : 'failed', error, changeSent, startedAt: new Date(job?.processedOn ?? Date.now()).toISOString(), durationMs: job?.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0, attempts: job?.attemptsStarted ?? 0 });
  };
  const fail = (error: Error): void => {
    failure ??= error;
    wake?.();
  };

  try {
    if (options.signal?.aborted) throw new FleetAbortedError();
    watchdog = await RedisWatchdog.start(options.url, timeout, async () => {
      // Redis answered again after a gap: are our jobs still there?
      const sample = [...pending.keys()].slice(0, 20);
      for (const id of sample) {
        if (!(await queue?.getJob(id))) throw new FleetQueueError(`Redis at ${redisWhere(options.url)} came back without this run's jobs (restarted without persistence?): ${pending.size} devices have no result`);
      }
    });
    watchdog.failed.catch(fail);
    const { Queue: QueueClass, QueueEvents: QueueEventsClass } = await import('bullmq');
    queue = new QueueClass(queueName, { connection: connection.options });
    events = new QueueEventsClass(queueName, { connection: connection.options });
    queue.on('error', () => undefined); // the watchdog reports an unreachable Redis
    events.on('error', () => undefined);
    await Promise.race([Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), watchdog.failed]);
    events.on('completed', ({ jobId, returnvalue }) => {
      if (!pending.has(jobId)) return;
      try {
        fromReturn(jobId, returnvalue);
      } catch (err) {
        fail(new FleetQueueError(`a worker's result for ${pending.get(jobId) ?? jobId} cannot be read: ${(err as Error).message}`));
      }
    });
    events.on('failed', ({ jobId, failedReason }) => {
      if (pending.has(jobId)) void fromFailure(jobId, failedReason).catch(fail);
    });

    const keep = { age: 24 * 3600 };
    const jobs = [...pending].map(([jobId, device]) => ({ name: device, data: { run, device, task: options.task, input: options.input ?? null } satisfies FleetJobData, opts: { jobId, removeOnComplete: keep, removeOnFail: keep, attempts: 1 } }));
    // Every Redis call races the watchdog: BullMQ's own connection waits for Redis forever.
    const guarded = <T>(work: Promise<T>): Promise<T> => Promise.race([work, (watchdog as RedisWatchdog).failed]);
    for (let i = 0; i < jobs.length; i += 1000) await guarded(queue.addBulk(jobs.slice(i, i + 1000)));

    const onAbort = (): void => fail(new FleetAbortedError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let lastSweep = Date.now();
    try {
      while (pending.size > 0 || ready.length > 0) {
        while (ready.length > 0) yield ready.shift() as FleetResult<unknown>;
        if (failure || pending.size === 0) break;
        const tick = new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, SWEEP_MS).unref();
        });
        await tick;
        wake = undefined;
        if (!failure && ready.length === 0 && Date.now() - lastSweep >= SWEEP_MS) {
          lastSweep = Date.now();
          await guarded(sweep(queue, pending, fromReturn, fromFailure)).catch(fail);
        }
      }
      while (ready.length > 0) yield ready.shift() as FleetResult<unknown>;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (failure instanceof FleetAbortedError) {
      // Remove what has not started; report every device without a result.
      for (const [jobId, name] of [...pending]) {
        const job = await queue.getJob(jobId).catch(() => undefined);
        const removed = job ? await job.remove().then(() => true, () => false) : false;
        pending.delete(jobId);
        yield { name, ok: false, outcome: 'failed', error: new FleetAbortedError(removed ? 'the fleet run was stopped before this device was started' : 'the fleet run was stopped; the job may still be running on a worker'), changeSent: false, startedAt: new Date().toISOString(), durationMs: 0, attempts: 0 };
      }
      return;
    }
    if (failure) throw failure;
  } finally {
    watchdog?.stop();
    const lost = failure instanceof FleetQueueError;
    if (lost) connection.stopReconnecting();
    await Promise.all([closeBull(events, lost), closeBull(queue, lost)]);
  }
}

/** Look at up to 200 pending jobs: finished ones whose event was missed are settled. */
async function sweep(queue: Queue, pending: Map<string, string>, fromReturn: (id: string, value: unknown) => void, fromFailure: (id: string, reason: string) => Promise<void>): Promise<void> {
  for (const jobId of [...pending.keys()].slice(0, 200)) {
    const job = (await queue.getJob(jobId)) as Job<FleetJobData> | undefined;
    if (!job?.finishedOn) continue;
    if (job.failedReason) await fromFailure(jobId, job.failedReason);
    else fromReturn(jobId, job.returnvalue);
  }
}
