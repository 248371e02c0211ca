import { EventEmitter } from 'node:events';
import { TransportError } from './errors.js';
import { Manager, type ManagerOptions } from './manager.js';
import { CallHomeServer, type CallHomeDevice, type CallHomeListenOptions, type CallHomeSSHOptions, type CallHomeTLSOptions } from './transport/call-home.js';

/** Options of {@link listenCallHome}: the transport's (with its host-key or certificate checks), where to listen, the manager's. */
export type CallHomeOptions = (CallHomeSSHOptions | CallHomeTLSOptions) & CallHomeListenOptions & ManagerOptions;

/** A {@link Manager} of a device that called home, and who the device is. */
export interface CallHomeManager extends Manager {
  readonly callHome: CallHomeDevice;
}

/** The events of a {@link CallHomeListener}. */
export interface CallHomeListenerEvents {
  /** A device called in and passed every check: its manager (also yielded by the iterator). */
  manager: [CallHomeManager];
  /**
   * A device called in and was dropped (host key or certificate refused, authentication or the
   * hello failed); the listener goes on.
   */
  rejected: [{ address: string; port: number; error: Error }];
}

/**
 * Waits for devices to call home (RFC 8071): an async iterable of connected managers, one per
 * device that calls in and passes the same checks as an outgoing connection. Closing it stops
 * listening and closes every session it produced.
 *
 * ```ts
 * await using listener = await listenCallHome({ transport: 'ssh', port: 4334, username: 'admin', password });
 * listener.on('rejected', ({ address, error }) => console.error(`${address}: ${error.message}`));
 * for await (const m of listener) console.log(m.callHome.address, (await m.getConfig()).xml.length);
 * ```
 */
export class CallHomeListener extends EventEmitter<CallHomeListenerEvents> implements AsyncIterable<CallHomeManager>, AsyncDisposable {
  readonly #server: CallHomeServer;
  readonly #managers = new Set<Manager>();
  readonly #queue: CallHomeManager[] = [];
  #waiting: ((result: IteratorResult<CallHomeManager>) => void) | undefined;
  #closed = false;

  /** @internal use {@link listenCallHome} */
  constructor(server: CallHomeServer) {
    super();
    this.#server = server;
    server.on('rejected', (info) => this.emit('rejected', info));
  }

  /** The port listened on. */
  get port(): number {
    return this.#server.port;
  }

  /** The address listened on. */
  get address(): string {
    return this.#server.address;
  }

  /** @internal hand over a manager */
  deliver(manager: CallHomeManager): void {
    if (this.#closed) {
      void manager.close();
      return;
    }
    this.#managers.add(manager);
    void manager.closed.then(() => this.#managers.delete(manager));
    this.emit('manager', manager);
    const wake = this.#waiting;
    this.#waiting = undefined;
    if (wake) wake({ value: manager, done: false });
    else this.#queue.push(manager);
  }

  /** Stop listening; the managers already produced stay open (acceptCallHome keeps its one). */
  async stopListening(): Promise<void> {
    await this.#server.close();
  }

  /** Stop listening and close every session produced; the iteration ends. Idempotent. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      const wake = this.#waiting;
      this.#waiting = undefined;
      wake?.({ value: undefined, done: true });
    }
    await this.#server.close();
    await Promise.all([...this.#managers, ...this.#queue].map((m) => m.close()));
    this.#queue.length = 0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<CallHomeManager> {
    return {
      next: () => {
        const next = this.#queue.shift();
        if (next) return Promise.resolve({ value: next, done: false });
        if (this.#closed) return Promise.resolve({ value: undefined, done: true });
        if (this.#waiting) return Promise.reject(new TypeError('CallHomeListener: one iteration at a time'));
        return new Promise((resolve) => (this.#waiting = resolve));
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }
}

/**
 * Listen for devices calling home (RFC 8071) over SSH (port 4334) or TLS (port 4335). Over the
 * TCP connection a device opens, the client plays the SSH client (or TLS client): host keys are
 * looked up in known_hosts under the device's address (or `deviceName()`), certificates verified
 * against `tls.ca` and that name — exactly as strict as an outgoing connection.
 *
 * @throws - the listening error (`EADDRINUSE` …) as a {@link TransportError}
 */
export async function listenCallHome(options: CallHomeOptions): Promise<CallHomeListener> {
  let listener: CallHomeListener | undefined;
  const early: CallHomeManager[] = [];
  let server: CallHomeServer;
  try {
    server = await CallHomeServer.listen(options, (session, device) => {
      const manager = Object.assign(new Manager(session, options), { callHome: device }) as CallHomeManager;
      if (listener) listener.deliver(manager);
      else early.push(manager);
    });
  } catch (err) {
    if (err instanceof TypeError) throw err;
    throw new TransportError(`Cannot listen for call home: ${(err as Error).message}`, { cause: err });
  }
  listener = new CallHomeListener(server);
  for (const manager of early) listener.deliver(manager);
  return listener;
}

/**
 * Wait for the first device that calls home and passes every check; devices that fail are
 * dropped (and given to `onRejected`) while it keeps waiting, up to `timeout` seconds. Stops
 * listening once it has one.
 *
 * @throws - {@link TransportError} when no acceptable device called within the timeout
 */
export async function acceptCallHome(options: CallHomeOptions & { timeout?: number; onRejected?: (info: { address: string; port: number; error: Error }) => void }): Promise<CallHomeManager> {
  const { timeout = 60, onRejected, ...rest } = options;
  const listener = await listenCallHome(rest);
  if (onRejected) listener.on('rejected', onRejected);
  let timer: NodeJS.Timeout | undefined;
  try {
    const iterator = listener[Symbol.asyncIterator]();
    const first = await Promise.race([
      iterator.next(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new TransportError(`No device called home on port ${listener.port} within ${timeout} s`)), timeout * 1000);
      }),
    ]);
    if (first.done) throw new TransportError('The call-home listener closed');
    await listener.stopListening();
    return first.value;
  } catch (err) {
    await listener.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
