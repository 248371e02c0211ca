import { debuglog } from 'node:util';
import { SessionCloseError } from '../transport/errors.js';
import { NETCONF_NS, NOTIFICATION_NS } from '../namespaces.js';
import type { MessageSink } from '../transport/message-sink.js';
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

/**
 * An RPC sent and not yet answered. One table holds every such call, whether its reply is
 * promised whole or consumed as a stream.
 */
interface PendingCall {
  /** The reply's stream, when the reply is consumed as one (its message is routed to it). */
  readonly stream: ReplyStream | undefined;
  /** The reply arrived whole. */
  answer(message: ReceivedMessage | string, id: string): void;
  /** The call ends without its reply: session gone, timeout, abort. */
  fail(error: Error): void;
  /** Its timeout, while armed. */
  timer?: NodeJS.Timeout | undefined;
  /** Removes its abort handler, when it has a signal. */
  unlisten?: (() => void) | undefined;
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
  /**
   * Called once when the session under the dispatcher has ended, after every pending call was
   * rejected: `error` is why, or undefined when it was closed locally.
   */
  onClose?: (error?: Error) => void;
}

/** How many message-ids of timed-out or aborted RPCs to remember, so their late replies are not "unknown". */
const ABANDONED_MEMORY = 1024;

/** Where the late reply of an abandoned streamed RPC goes. */
const DISCARD: MessageSink = { data: () => undefined, end: () => undefined, error: () => undefined };

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
  /** Every call awaiting its reply, promised or streamed, by message-id. */
  readonly #pending = new Map<string, PendingCall>();
  /** Message-ids of calls that timed out or were aborted: true for a streamed one (its late reply is discarded as it arrives). */
  readonly #abandoned = new Map<string, boolean>();
  readonly #onUnknownReply: ((reply: RPCReply) => void) | undefined;
  readonly #onNotification: ((raw: string) => void) | undefined;
  readonly #onClose: ((error?: Error) => void) | undefined;

  constructor(session: Session, options: DispatcherOptions = {}) {
    this.session = session;
    this.timeout = options.timeout ?? 30;
    this.raiseMode = options.raiseMode ?? 'all';
    this.#onUnknownReply = options.onUnknownReply;
    this.#onNotification = options.onNotification;
    this.#onClose = options.onClose;
    session.addListener(this);
    session.watchMessagesFor(RPC_ERROR_MARK); // RPCReply.errors asks: answered as the reply arrives
    // The reader finds each message's root once, routed or not: routing costs nothing more.
    session.setMessageRouter(this.#route);
  }

  /** How many RPCs await their reply (streamed ones until their reply has ended). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Send one RPC and wait for its reply.
   * @param operation - the content of `<rpc>`: the operation element, e.g. `<get/>`
   * @throws - {@link RPCError} per the raise mode, {@link TimeoutExpiredError}, {@link RPCAbortedError},
   *   or the transport error that ended the session.
   */
  request(operation: string, options: CallOptions = {}): Promise<RPCReply> {
    const failure = this.#refuse(options);
    if (failure) return Promise.reject(failure);
    const id = String(this.#nextId++);
    return new Promise<RPCReply>((resolve, reject) => {
      const call: PendingCall = {
        stream: undefined,
        answer: (message, replyId) => {
          const reply = new RPCReply(message, replyId, this.session.xmlLimits);
          try {
            if (this.raiseMode !== 'none' && this.#mustRaise(reply.errors)) {
              reject(new RPCError(reply.errors, reply.xml, this.session.peer));
              return;
            }
          } catch (err) {
            reject(err as Error); // a reply that is not well-formed XML
            return;
          }
          resolve(reply);
        },
        fail: reject,
        timer: undefined,
        unlisten: undefined,
      };
      this.#send(id, operation, call, options);
    });
  }

  /**
   * Send one RPC and consume its reply as a stream of parsed subtrees (see {@link ReplyStream}):
   * the reply is never held whole. The timeout bounds the wait for the reply's first byte; the
   * signal aborts the stream at any point (the rest of the reply is then discarded).
   */
  requestStream(operation: string, options: CallOptions & ReplyStreamOptions = {}): ReplyStream {
    const id = String(this.#nextId++);
    const stream = new ReplyStream(id, this.session, this.session.peer, (errors) => this.#mustRaise(errors), options, this.session.xmlLimits);
    const failure = this.#refuse(options);
    if (failure) {
      stream.fail(failure);
      return stream;
    }
    const call: PendingCall = {
      stream,
      answer: (message) => {
        // the reply was not routed (its root start tag lay beyond the routing limit): feed it whole
        stream.data(typeof message === 'string' ? Buffer.from(message, 'utf8') : message.bytes);
        stream.end();
      },
      fail: (error) => stream.fail(error),
      timer: undefined,
      unlisten: undefined,
    };
    // Once the reply has begun the timeout no longer applies (the abort signal still does).
    stream.onStart = () => clearTimeout(call.timer);
    stream.onMessageDone = () => this.#take(id);
    this.#send(id, operation, call, options);
    return stream;
  }

  /** Why a call cannot even be sent (bad timeout, already aborted), or undefined. */
  #refuse(options: CallOptions): Error | undefined {
    const timeout = options.timeout ?? this.timeout;
    if (!(timeout > 0)) return new TypeError(`timeout must be a positive number of seconds, got ${String(timeout)}`);
    if (options.signal?.aborted) return new RPCAbortedError('RPC aborted before it was sent', { cause: options.signal.reason });
    return undefined;
  }

  /**
   * Enter the call in the pending table, arm its timeout and abort signal, and send the RPC. A
   * call that times out or is aborted leaves the table at once; its late reply is ignored.
   */
  #send(id: string, operation: string, call: PendingCall, options: CallOptions): void {
    const { signal } = options;
    const timeout = options.timeout ?? this.timeout;
    this.#pending.set(id, call);
    // setTimeout fires at once (after a TimeoutOverflowWarning) beyond 2^31-1 ms, ~24.8 days:
    // a timeout that long is as good as none.
    if (timeout * 1000 <= 2147483647) {
      const timer = setTimeout(() => this.#abandon(id, new TimeoutExpiredError(`No reply from ${this.session.peer} to RPC ${id} within ${timeout} s`)), timeout * 1000);
      call.timer = timer;
    }
    if (signal) {
      const onAbort = (): void => this.#abandon(id, new RPCAbortedError(`RPC ${id} to ${this.session.peer} aborted`, { cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
      call.unlisten = () => signal.removeEventListener('abort', onAbort);
    }
    try {
      this.session.send(`<rpc message-id="${id}" xmlns="${NETCONF_NS}">${operation}</rpc>`);
    } catch (err) {
      this.#take(id)?.fail(err as Error);
    }
  }

  /** Remove a call from the table (disarming its timer and abort handler) and return it. */
  #take(id: string): PendingCall | undefined {
    const call = this.#pending.get(id);
    if (!call) return undefined;
    this.#pending.delete(id);
    clearTimeout(call.timer);
    call.unlisten?.();
    return call;
  }

  /**
   * Routes the replies of streamed RPCs to their streams, and the late replies of abandoned
   * streamed RPCs to nowhere (discarded as they arrive, never gathered whole).
   */
  readonly #route = (root: RootElement): MessageSink | undefined => {
    if (root[0] !== RPC_REPLY) return undefined;
    const id = root[1]['message-id'] ?? '';
    const stream = this.#pending.get(id)?.stream;
    if (stream) return stream;
    if (this.#abandoned.get(id) !== true) return undefined;
    this.#abandoned.delete(id);
    debug('discarding the late reply to abandoned RPC %s', id);
    return DISCARD;
  };

  /** Reject every pending RPC with `error` (the session is gone). */
  rejectAll(error: Error): void {
    for (const id of [...this.#pending.keys()]) this.#take(id)?.fail(error);
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
    // A reply without message-id (a server answering an RPC it could not read) goes to the only
    // pending RPC when there is exactly one.
    if (id === undefined && this.#pending.size === 1) id = this.#pending.keys().next().value;
    const call = id === undefined ? undefined : this.#take(id);
    if (call) {
      call.answer(message, id ?? '');
      return;
    }
    if (id !== undefined && this.#abandoned.delete(id)) {
      debug('late reply to abandoned RPC %s', id);
      return;
    }
    if (this.#onUnknownReply) this.#onUnknownReply(new RPCReply(message, id ?? '', this.session.xmlLimits));
    else debug('reply with unknown message-id %s from %s', id, this.session.peer);
  }

  /** @internal SessionListener: errors that do not end the session leave the calls pending. */
  errback(error: Error): void {
    debug('%s: %s', this.session.peer, error.message);
  }

  /** @internal SessionListener: the session ended; nothing pending can be answered any more. */
  closed(error?: Error): void {
    this.rejectAll(error ?? new SessionCloseError('', undefined, `Session to ${this.session.peer} was closed before the reply arrived`));
    this.#onClose?.(error);
  }

  /** Whether these errors make the call throw, per the raise mode. */
  #mustRaise(errors: readonly RPCErrorInfo[]): boolean {
    if (this.raiseMode === 'none') return false;
    return this.raiseMode === 'all' ? errors.length > 0 : errors.some((e) => e.severity === 'error');
  }

  /** The call timed out or was aborted: it leaves the table, and its late reply will be ignored. */
  #abandon(id: string, error: Error): void {
    const call = this.#take(id);
    if (!call) return;
    // A streamed call whose reply has begun is fed to its (now failed, discarding) stream to the end.
    if (!call.stream?.started) {
      this.#abandoned.set(id, call.stream !== undefined);
      if (this.#abandoned.size > ABANDONED_MEMORY) {
        const oldest = this.#abandoned.keys().next().value;
        if (oldest !== undefined) this.#abandoned.delete(oldest);
      }
    }
    call.fail(error);
  }
}
