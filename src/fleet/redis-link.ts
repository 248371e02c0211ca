/**
 * The link to Redis of a queued fleet: the connection options BullMQ gets from a
 * `redis://HOST:PORT/DB` URL, and a watchdog that turns an unreachable Redis (or one that came
 * back empty after a restart) into a {@link FleetQueueError} instead of a hang.
 *
 * `ioredis` (BullMQ's Redis client) is loaded here, on first use, never by `netconfkit/fleet`'s
 * entry point.
 * @module
 */
import type { Redis } from 'ioredis';
import { FleetQueueError } from './errors.js';

/** Where the queue is, for {@link enqueueFleet} and {@link startFleetWorker}. */
export interface FleetQueueOptions {
  /** `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (or `rediss://` for TLS). */
  url: string;
  /** The BullMQ queue's name; default `netconf-fleet`. Collector and workers must agree. */
  queueName?: string;
  /**
   * Seconds Redis may be unreachable (at the start, or during the run) before the run fails with
   * {@link FleetQueueError}; default 10.
   */
  redisTimeout?: number;
}

/** The default queue name. */
export const DEFAULT_QUEUE_NAME = 'netconf-fleet';

/** The URL checked: a readable error for anything but `redis://` / `rediss://`. */
export function checkRedisUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FleetQueueError(`not a Redis URL: '${url}' (redis://HOST:PORT/DB)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new FleetQueueError(`not a Redis URL: '${url}' (redis://HOST:PORT/DB)`);
  return parsed;
}

/** The URL without its password, for messages. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}${u.pathname && u.pathname !== '/' ? u.pathname : ''}`;
  } catch {
    return 'Redis';
  }
}

/** BullMQ's connection options for a URL, and how to make its connections stop reconnecting. */
export interface BullConnection {
  options: { url: string; maxRetriesPerRequest: null; retryStrategy: (times: number) => number | null };
  /** From now on, a lost connection is not reconnected (BullMQ's close() misses some when Redis is gone). */
  stopReconnecting(): void;
}

/** BullMQ's connection options for a URL: blocking commands allowed, reconnecting every 0.5 s at most. */
export function bullConnection(url: string): BullConnection {
  checkRedisUrl(url);
  let stopped = false;
  return {
    options: { url, maxRetriesPerRequest: null, retryStrategy: (times: number) => (stopped ? null : Math.min(50 * times, 500)) },
    stopReconnecting: () => void (stopped = true),
  };
}

/**
 * Pings Redis every second on a connection of its own; `failed` rejects with a
 * {@link FleetQueueError} once Redis has not answered for `timeout` seconds, or when
 * `afterReconnect()` (called when Redis answers again after a gap) throws.
 */
export class RedisWatchdog {
  readonly failed: Promise<never>;
  readonly #client: Redis;
  readonly #timer: NodeJS.Timeout;
  #fail!: (error: Error) => void;
  #lastOk = Date.now();
  #gap = false;
  #stopped = false;

  private constructor(client: Redis, timeout: number, where: string, afterReconnect?: () => Promise<void>) {
    this.#client = client;
    this.failed = new Promise<never>((_, reject) => (this.#fail = reject));
    this.failed.catch(() => undefined);
    // A restart can fit between two pings: a dropped connection is a gap too.
    client.on('close', () => void (this.#gap = true));
    this.#timer = setInterval(() => {
      if (this.#stopped) return;
      const ping = client.ping();
      const limit = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), 1000).unref());
      Promise.race([ping, limit]).then(
        async () => {
          this.#lastOk = Date.now();
          if (this.#gap && afterReconnect) {
            this.#gap = false;
            try {
              await afterReconnect();
            } catch (err) {
              this.#fail(err as Error);
            }
          }
          this.#gap = false;
        },
        () => {
          ping.catch(() => undefined);
          this.#gap = true;
          if (Date.now() - this.#lastOk > timeout * 1000) this.#fail(new FleetQueueError(`Redis at ${where} has not answered for ${timeout} s`));
        },
      );
    }, 1000);
  }

  /** Connect (failing with {@link FleetQueueError} after `timeout` seconds) and start watching. */
  static async start(url: string, timeout: number, afterReconnect?: () => Promise<void>): Promise<RedisWatchdog> {
    const where = redisWhere(url);
    const { Redis: RedisClient } = await import('ioredis');
    const client = new RedisClient(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: timeout * 1000, retryStrategy: (times: number) => Math.min(100 * times, 1000) });
    client.on('error', () => undefined); // reported through the pings
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      try {
        if (client.status === 'wait') await client.connect();
        await client.ping();
        break;
      } catch (err) {
        if (Date.now() > deadline) {
          client.disconnect();
          throw new FleetQueueError(`cannot reach Redis at ${where}: ${(err as Error).message}`, { cause: err });
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return new RedisWatchdog(client, timeout, where, afterReconnect);
  }

  /** Stop watching and close the connection. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#client.disconnect();
  }
}

/** Something BullMQ that closes (a queue, its events, a worker). */
interface Closable {
  close(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Close a BullMQ object; when Redis is gone (`lost`), or closing takes over 2 s, disconnect it
 * instead: a graceful close would wait for a Redis that is not coming back.
 */
export async function closeBull(item: Closable | undefined, lost: boolean): Promise<void> {
  if (!item) return;
  if (lost) {
    // With Redis gone, BullMQ's disconnect() stops reconnecting but its promise never settles.
    let timer: NodeJS.Timeout | undefined;
    // close() too: it is what ends the reconnecting of every connection it holds.
    const both = Promise.all([item.disconnect().catch(() => undefined), item.close().catch(() => undefined)]);
    await Promise.race([both, new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)))]);
    clearTimeout(timer);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 2000)));
  const how = await Promise.race([item.close().then(() => 'closed' as const, () => 'closed' as const), late]);
  clearTimeout(timer);
  if (how === 'late') await closeBull(item, true);
}
