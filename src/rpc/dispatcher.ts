import { debuglog } from 'node:util';
import { SessionCloseError } from '../transport/errors.js';
import { NETCONF_NS, NOTIFICATION_NS } from '../namespaces.js';
import type { ReceivedMessage } from '../transport/received-message.js';
import type { RootElement } from '../xml/root-element.js';
import type { Session, SessionListener } from '../transport/session.js';
import { RPCAbortedError, TimeoutExpiredError } from './errors.js';
import { RPCError, type RPCErrorInfo } from './rpc-error.js';
import { ReplyStream, type ReplyStreamOptions } from './reply-stream.js';
import { RPC_ERROR_MARK, RPCReply } from './rpc-reply.js';

const debug = debuglog('netconf');

const RPC_REPLY = `{${NETCONF_NS}}rpc-reply`;
/** Root tag of RFC 5277 notifications. */
export const NOTIFICATION_TAG = `{${NOTIFICATION_NS}}notification`;

/**
 * When an `<rpc-error>` in a reply makes the call throw {@link RPCError} (ncclient's RaiseMode):
 * `all` — any rpc-error, warnings included (ncclient's default); `errors` — only severity
 * `error` (warnings stay readable in `reply.errors`); `none` — never: inspect `reply.ok`.
 */
export type RaiseMode = 'all' | 'errors' | 'none';

/** Options every RPC call takes. */
export interface CallOptions {
  /** Seconds to wait for the reply (default: the dispatcher's, 30). `Infinity` waits forever. */
  timeout?: number;
  /** Aborts the wait; the RPC is removed from the pending table. */
  signal?: AbortSignal;
}

interface Pending {
  resolve(reply: RPCReply): void;
  reject(error: Error): void;
  cleanup(): void;
}

/** Options of an {@link RPCDispatcher}. */
export interface DispatcherOptions {
  /** Default seconds to wait for a reply; default 30. */
  timeout?: number;
  /** Default 'all'. */
  raiseMode?: RaiseMode;
  /** Called with a reply whose message-id matches no pending RPC. */
  onUnknownReply?: (reply: RPCReply) => void;
  /** Called with every notification received (raw XML). */
  onNotification?: (raw: string) => void;
}

/** How many message-ids of timed-out or aborted RPCs to remember, so their late replies are not "unknown". */
const ABANDONED_MEMORY = 1024;

/**
 * Sends RPCs on a {@link Session} and matches replies to them by message-id. Many RPCs may be in
 * flight at once (pipelining). Each call has a timeout and an optional AbortSignal; a call that
 * times out or is aborted leaves the pending table at once. When the session fails or closes,
 * every pending call is rejected with that error.
 */
export class RPCDispatcher implements SessionListener {
  readonly session: Session;
  /** Default reply timeout, in seconds. */
  timeout: number;
  raiseMode: RaiseMode;
  #nextId = 101;
  #pending = new Map<string, Pending>();
  #abandoned = new Set<string>();
  #streams = new Map<string, ReplyStream>();
  #onUnknownReply: ((reply: RPCReply) => void) | undefined;
  #onNotification: ((raw: string) => void) | undefined;

  constructor(session: Session, options: DispatcherOptions = {}) {
    this.session = session;
    this.timeout = options.timeout ?? 30;
    this.raiseMode = options.raiseMode ?? 'all';
    this.#onUnknownReply = options.onUnknownReply;
    this.#onNotification = options.onNotification;
    session.addListener(this);
    session.watchMessagesFor(RPC_ERROR_MARK); // RPCReply.errors asks: answered as the reply arrives
  }

  /** How many RPCs await their reply. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Send one RPC and wait for its reply.
   * @param operation - the content of `<rpc>`: the operation element, e.g. `<get/>`
   * @throws {@link RPCError} per the raise mode, {@link TimeoutExpiredError}, {@link RPCAbortedError},
   *   or the transport error that ended the session.
   */
  request(operation: string, options: CallOptions = {}): Promise<RPCReply> {
    const { signal } = options;
    const timeout = options.timeout ?? this.timeout;
    if (!(timeout > 0)) return Promise.reject(new TypeError(`timeout must be a positive number of seconds, got ${String(timeout)}`));
    if (signal?.aborted) return Promise.reject(new RPCAbortedError('RPC aborted before it was sent', { cause: signal.reason }));
    const id = String(this.#nextId++);
    return new Promise<RPCReply>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        this.#abandon(id);
        reject(new RPCAbortedError(`RPC ${id} to ${this.session.peer} aborted`, { cause: signal?.reason }));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      this.#pending.set(id, { resolve, reject, cleanup });
      // setTimeout fires at once (after a TimeoutOverflowWarning) beyond 2^31-1 ms, ~24.8 days:
      // a timeout that long is as good as none.
      if (timeout * 1000 <= 2147483647) {
        timer = setTimeout(() => {
          this.#abandon(id);
          reject(new TimeoutExpiredError(`No reply from ${this.session.peer} to RPC ${id} within ${timeout} s`));
        }, timeout * 1000);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.session.send(`<rpc message-id="${id}" xmlns="${NETCONF_NS}">${operation}</rpc>`);
      } catch (err) {
        cleanup();
        reject(err as Error);
      }
    });
  }

  /**
   * Send one RPC and consume its reply as a stream of parsed subtrees (see {@link ReplyStream}):
   * the reply is never held whole. The timeout bounds the wait for the reply's first byte; the
   * signal aborts the stream at any point (the rest of the reply is then discarded).
   */
  requestStream(operation: string, options: CallOptions & ReplyStreamOptions = {}): ReplyStream {
    const { signal } = options;
    const timeout = options.timeout ?? this.timeout;
    const id = String(this.#nextId++);
    const stream = new ReplyStream(id, this.session, this.session.peer, (errors) => this.#mustRaise(errors), options);
    if (!(timeout > 0)) {
      stream.fail(new TypeError(`timeout must be a positive number of seconds, got ${String(timeout)}`));
      return stream;
    }
    if (signal?.aborted) {
      stream.fail(new RPCAbortedError('RPC aborted before it was sent', { cause: signal.reason }));
      return stream;
    }
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => stream.fail(new RPCAbortedError(`RPC ${id} to ${this.session.peer} aborted`, { cause: signal?.reason }));
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.onStart = () => clearTimeout(timer);
    stream.onMessageDone = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#streams.delete(id);
      if (this.#streams.size === 0) this.session.setMessageRouter(undefined);
    };
    this.#streams.set(id, stream);
    this.session.setMessageRouter(this.#route);
    if (timeout * 1000 <= 2147483647) {
      timer = setTimeout(() => stream.fail(new TimeoutExpiredError(`No reply from ${this.session.peer} to RPC ${id} within ${timeout} s`)), timeout * 1000);
    }
    try {
      this.session.send(`<rpc message-id="${id}" xmlns="${NETCONF_NS}">${operation}</rpc>`);
    } catch (err) {
      stream.error(err as Error);
    }
    return stream;
  }

  /** Routes the replies of streamed RPCs to their streams. */
  readonly #route = (root: RootElement): ReplyStream | undefined =>
    root[0] === RPC_REPLY ? this.#streams.get(root[1]['message-id'] ?? '') : undefined;

  /** Reject every pending RPC with `error` (the session is gone). */
  rejectAll(error: Error): void {
    for (const pending of [...this.#pending.values()]) {
      pending.cleanup();
      pending.reject(error);
    }
    for (const stream of [...this.#streams.values()]) stream.error(error);
  }

  /** Stop listening to the session (pending RPCs are left as they are). */
  detach(): void {
    this.session.removeListener(this);
  }

  /** @internal SessionListener (used when the session has no byte-level delivery) */
  callback(root: RootElement, raw: string): void {
    this.messageCallback(root, raw);
  }

  /** @internal SessionListener: the message as bytes, decoded only if someone reads the text. */
  messageCallback(root: RootElement, message: ReceivedMessage | string): void {
    const [tag, attributes] = root;
    if (tag === NOTIFICATION_TAG) {
      this.#onNotification?.(typeof message === 'string' ? message : message.text);
      return;
    }
    if (tag !== RPC_REPLY) {
      debug('ignoring a message with root %s from %s', tag, this.session.peer);
      return;
    }
    let id = attributes['message-id'];
    const streamed = id === undefined ? undefined : this.#streams.get(id);
    if (streamed) {
      // a streamed RPC's reply that was not routed (root tag beyond the routing limit): feed it whole
      streamed.data(typeof message === 'string' ? Buffer.from(message, 'utf8') : message.bytes);
      streamed.end();
      return;
    }
    // A reply without message-id (a server answering an RPC it could not read) goes to the only
    // pending RPC when there is exactly one.
    if (id === undefined && this.#pending.size === 1) id = this.#pending.keys().next().value;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    const reply = new RPCReply(message, id ?? '');
    if (!pending) {
      if (id !== undefined && this.#abandoned.delete(id)) {
        debug('late reply to abandoned RPC %s', id);
        return;
      }
      if (this.#onUnknownReply) this.#onUnknownReply(reply);
      else debug('reply with unknown message-id %s from %s', id, this.session.peer);
      return;
    }
    pending.cleanup();
    let error: RPCError | undefined;
    try {
      if (this.raiseMode !== 'none' && this.#mustRaise(reply.errors)) error = new RPCError(reply.errors, reply.xml, this.session.peer);
    } catch (err) {
      pending.reject(err as Error); // a reply that is not well-formed XML
      return;
    }
    if (error) pending.reject(error);
    else pending.resolve(reply);
  }

  /** @internal SessionListener */
  errback(error: Error): void {
    if (!this.session.connected) this.rejectAll(error);
  }

  /** @internal SessionListener: the session ended; nothing pending can be answered any more. */
  closed(error?: Error): void {
    this.rejectAll(error ?? new SessionCloseError('', undefined, `Session to ${this.session.peer} was closed before the reply arrived`));
  }

  /** Whether these errors make the call throw, per the raise mode. */
  #mustRaise(errors: readonly RPCErrorInfo[]): boolean {
    if (this.raiseMode === 'none') return false;
    return this.raiseMode === 'all' ? errors.length > 0 : errors.some((e) => e.severity === 'error');
  }

  #abandon(id: string): void {
    this.#pending.get(id)?.cleanup();
    this.#abandoned.add(id);
    if (this.#abandoned.size > ABANDONED_MEMORY) {
      const oldest = this.#abandoned.values().next().value;
      if (oldest !== undefined) this.#abandoned.delete(oldest);
    }
  }
}
