/**
 * `runFleet()`: one task on every device of a fleet, from one process, a bounded number at a
 * time, each device's result yielded as soon as it is known.
 *
 * Memory stays bounded by `concurrency`, not by the fleet: targets are read from their iterable
 * as slots free up, and results are handed on, not kept. Every attempt ends with its session
 * closed and its timers cleared, whatever happened; the run ends only when every session it
 * opened (or was opening) is closed.
 * @module
 */
import { setMaxListeners } from 'node:events';
import { connect as libraryConnect, Manager, type ConnectOptions, type ConnectTLSOptions } from '../index.js';
import { guardChanges, type FleetTaskKind } from './change-guard.js';
import { resolveTarget } from './connect-target.js';
import { FleetAbortedError, FleetTimeoutError } from './errors.js';
import { Inventory } from './inventory.js';
import type { FleetResult } from './result.js';
import { backoffDelay, isTransient, sessionLost, type BackoffOptions } from './retry.js';
import type { FleetTarget } from './target.js';

/** What a task gets besides the manager and the target. */
export interface FleetTaskContext {
  /** Aborted when the run stops or the device's time is up: pass it to the Manager's calls. */
  signal: AbortSignal;
  /** This attempt's number (1-based). */
  attempt: number;
}

/**
 * The user's work on one device: any async function of a connected {@link Manager}. Its value
 * becomes the result's `value`; what it throws, the result's `error`. The manager is closed by
 * the run when the task ends (the task need not close it).
 */
export type FleetTask<T> = (manager: Manager, target: FleetTarget, context: FleetTaskContext) => Promise<T>;

/** A progress report (see {@link RunFleetOptions.onProgress}). */
export interface FleetProgress {
  /** Devices with a final result. */
  done: number;
  /** Of those, the ones that failed (outcome `failed` or `unknown`). */
  failed: number;
  /** Devices being worked on now (connecting, running, or waiting to retry). */
  inFlight: number;
  /** Devices known so far (all of them once the targets have been read to the end). */
  total: number;
  /** Whether every target has been read (then `total` is final). */
  totalKnown: boolean;
  /** Results per second since the start. */
  rate: number;
  /** Milliseconds since the start. */
  elapsedMs: number;
}

/** Options of {@link runFleet}. */
export interface RunFleetOptions {
  /** Devices worked on at once (each holds one session); default 100. */
  concurrency?: number;
  /**
   * Seconds one attempt on a device may take, connecting included (the connect timeout is
   * lowered to it); none by default (the connect and RPC timeouts still apply). A device past it
   * fails with {@link FleetTimeoutError} and its session is closed.
   */
  timeout?: number;
  /**
   * Further attempts after a failure that may pass (see docs/fleet.md: refused or lost
   * connections, timeouts), for attempts that sent no change; default 2.
   */
  retries?: number;
  /** Delays between attempts; default 0.5 s doubling, ±20 %, at most 30 s. */
  backoff?: BackoffOptions;
  /** Stops the run: devices not started get a {@link FleetAbortedError} result, in-flight sessions are closed. */
  signal?: AbortSignal;
  /** Called when a device starts, retries or ends. */
  onProgress?: (progress: FleetProgress) => void;
  /** How the task is classified for retries and `unknown` outcomes; default `'auto'` (see {@link FleetTaskKind}). */
  taskKind?: FleetTaskKind;
  /** Where `passwordEnv` / `passphraseEnv` are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Called (and awaited) before a task sends its first change on a device: a queue worker
   * records there that a change may have been sent.
   */
  beforeChange?: (target: FleetTarget) => Promise<void>;
  /** The connect function; default the library's `connect()` (tests and custom transports). */
  connect?: (options: ConnectOptions | ConnectTLSOptions) => Promise<Manager>;
}

/** Devices: an inventory (its selected hosts), or targets, synchronously or asynchronously iterable. */
export type FleetTargets = Inventory | Iterable<FleetTarget> | AsyncIterable<FleetTarget>;

/** A promise that settles when `signal` aborts, with its reason. */
function abortion(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => undefined);
  return { promise, dispose };
}

/** Sleep `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Close a manager at once (no `<close-session>`): the session has failed or the run is stopping. */
async function hardClose(manager: Manager): Promise<void> {
  await manager.session.close().catch(() => undefined);
  await manager.close().catch(() => undefined);
}

type AttemptOutcome<T> = { ok: true; value: T; changeSent: boolean } | { ok: false; error: Error; changeSent: boolean; phase: 'connect' | 'task' };

/**
 * Run `task` on every device of `targets`, at most `concurrency` at a time, and yield each
 * device's {@link FleetResult} as it completes (in completion order). Failures are isolated: a
 * device that refuses, hangs, sends garbage or dies mid-reply becomes a result with its typed
 * error, and the run goes on. Breaking out of the loop stops the run (in-flight sessions are
 * closed before the loop's exit completes).
 *
 * ```ts
 * for await (const r of runFleet(inventory, (m) => m.getConfig('running').then((x) => x.xml), { concurrency: 200 })) {
 *   if (r.ok) save(r.name, r.value); else console.error(r.name, r.outcome, r.error?.message);
 * }
 * ```
 */
export async function* runFleet<T>(targets: FleetTargets, task: FleetTask<T>, options: RunFleetOptions = {}): AsyncGenerator<FleetResult<T>, void, undefined> {
  const concurrency = options.concurrency ?? 100;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`concurrency must be a positive integer, got ${String(options.concurrency)}`);
  const retries = options.retries ?? 2;
  if (!Number.isInteger(retries) || retries < 0) throw new TypeError(`retries must be a whole number, got ${String(options.retries)}`);
  if (options.timeout !== undefined && !(options.timeout > 0)) throw new TypeError(`timeout must be a positive number of seconds, got ${String(options.timeout)}`);
  const env = options.env ?? process.env;
  const connectFn = options.connect ?? libraryConnect;
  const kind = options.taskKind ?? 'auto';

  // The run's own stop: the caller's signal, or the consumer leaving the loop.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one listener per attempt in flight: `concurrency` of them
  const onOuterAbort = (): void => stop.abort(new FleetAbortedError());
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();

  const source: Iterator<FleetTarget> | AsyncIterator<FleetTarget> =
    targets instanceof Inventory ? targets.targets()[Symbol.iterator]() : Symbol.asyncIterator in targets ? targets[Symbol.asyncIterator]() : targets[Symbol.iterator]();

  const start = Date.now();
  let done = 0;
  let failed = 0;
  let total = 0;
  let totalKnown = false;
  let inFlight = 0;
  const report = (): void => {
    if (!options.onProgress) return;
    const elapsedMs = Date.now() - start;
    options.onProgress({ done, failed, inFlight, total, totalKnown, rate: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0, elapsedMs });
  };

  /** One attempt: connect, run the task, close — the session is closed before this resolves. */
  const attempt = async (target: FleetTarget, number: number): Promise<AttemptOutcome<T>> => {
    const local = new AbortController();
    const onStop = (): void => local.abort(stop.signal.reason);
    stop.signal.addEventListener('abort', onStop, { once: true });
    const timer = options.timeout === undefined ? undefined : setTimeout(() => local.abort(new FleetTimeoutError(options.timeout as number)), options.timeout * 1000);
    const aborted = abortion(local.signal);
    let manager: Manager | undefined;
    let phase: 'connect' | 'task' = 'connect';
    let guard: { changeSent: boolean } = { changeSent: kind === 'change' };
    try {
      if (local.signal.aborted) throw local.signal.reason as Error;
      const { options: connectOptions } = resolveTarget(target, env, options.timeout);
      // the attempt's signal aborts the connection itself (timeout, stop): it ends at once
      const connecting = connectFn({ ...connectOptions, signal: local.signal });
      try {
        manager = await Promise.race([connecting, aborted.promise]);
      } catch (err) {
        // Stopped while connecting: connect() gives up on the signal and closes what it opened
        // (a connect function that ignores the signal ends by its own timeout); wait for it.
        if (local.signal.aborted) {
          const late = await connecting.catch(() => undefined);
          if (late) await hardClose(late);
        }
        throw err;
      }
      phase = 'task';
      const guarded = guardChanges(manager, kind, options.beforeChange ? () => (options.beforeChange as (t: FleetTarget) => Promise<void>)(target) : undefined);
      guard = guarded;
      const running = task(guarded.manager, target, { signal: local.signal, attempt: number });
      let value: T;
      try {
        value = await Promise.race([running, aborted.promise]);
      } catch (err) {
        if (local.signal.aborted) {
          // Close the session under the task: its pending calls are rejected and it ends.
          await hardClose(manager);
          await running.catch(() => undefined);
        }
        throw err;
      }
      return { ok: true, value, changeSent: guard.changeSent };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return { ok: false, error, changeSent: guard.changeSent, phase };
    } finally {
      clearTimeout(timer);
      aborted.dispose();
      stop.signal.removeEventListener('abort', onStop);
      if (manager) {
        if (manager.connected) await manager.close().catch(() => undefined);
        else await hardClose(manager);
      }
    }
  };

  /** Every attempt on one device, then its result. */
  const device = async (target: FleetTarget): Promise<FleetResult<T>> => {
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    let attempts = 0;
    for (;;) {
      attempts++;
      const outcome = await attempt(target, attempts);
      const base = { name: target.name, startedAt, attempts, changeSent: outcome.changeSent };
      if (outcome.ok) return { ...base, ok: true, outcome: 'ok', value: outcome.value, durationMs: Date.now() - started };
      const { error, changeSent, phase } = outcome;
      const retryable = !changeSent && attempts <= retries && !stop.signal.aborted && isTransient(error) && (phase === 'connect' || kind !== 'change');
      if (retryable) {
        report();
        await sleep(backoffDelay(attempts, options.backoff) * 1000, stop.signal);
        if (!stop.signal.aborted) continue;
      }
      const unknown = changeSent && phase === 'task' && sessionLost(error);
      return { ...base, ok: false, outcome: unknown ? 'unknown' : 'failed', error, durationMs: Date.now() - started };
    }
  };

  // Results as they complete, handed from the workers to the generator.
  const ready: Array<FleetResult<T>> = [];
  let wake: (() => void) | undefined;
  const running = new Set<Promise<void>>();
  let exhausted = false;

  const launch = (target: FleetTarget): void => {
    inFlight++;
    const p = device(target).then((result) => {
      inFlight--;
      done++;
      if (!result.ok) failed++;
      ready.push(result);
      report();
      running.delete(p);
      wake?.();
    });
    running.add(p);
  };

  const aborted = (target: FleetTarget): FleetResult<T> => ({ name: target.name, ok: false, outcome: 'failed', error: new FleetAbortedError('the fleet run was stopped before this device was started'), changeSent: false, startedAt: new Date().toISOString(), durationMs: 0, attempts: 0 });

  try {
    for (;;) {
      while (!exhausted && running.size < concurrency) {
        const next = await source.next();
        if (next.done) {
          exhausted = true;
          totalKnown = true;
          break;
        }
        total++;
        if (stop.signal.aborted) {
          done++;
          failed++;
          ready.push(aborted(next.value));
        } else {
          launch(next.value);
          report();
        }
      }
      while (ready.length > 0) yield ready.shift() as FleetResult<T>;
      if (exhausted && running.size === 0) break;
      if (running.size > 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    if (running.size > 0) {
      // The consumer left the loop early: stop, and close every session before returning.
      stop.abort(new FleetAbortedError());
      await Promise.allSettled([...running]);
    }
    if (!exhausted) await source.return?.();
  }
}
