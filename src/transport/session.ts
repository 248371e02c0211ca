import type { Duplex } from 'node:stream';
import { debuglog } from 'node:util';
import { BASE_1_0, BASE_1_1, Capabilities, DEFAULT_CLIENT_CAPABILITIES } from './capabilities.js';
import { ConnectAbortedError, HelloError, NetconfFramingError, SessionCloseError } from './errors.js';
import { TransportError } from '../errors.js';
import { encodeMessage, type FramingMode } from './framing.js';
import { buildHello, parseHello } from './hello.js';
import { MessageReader, type MessageRouter } from './message-reader.js';
import type { MessageSink } from './message-sink.js';
import type { ReceivedMessage } from './received-message.js';
import { DEFAULT_XML_LIMITS, resolveXmlLimits, type XmlLimits } from '../xml/limits.js';
import type { RootElement } from '../xml/root-element.js';

const debug = debuglog('netconf');

/**
 * Receives what a {@link Session} hears: every message, and every error.
 *
 * The ncclient `SessionListener` contract: `callback` is called for each NETCONF message
 * received after the hello exchange, `errback` for each error of the session (the session
 * closing under it, a framing error, a message that cannot be dispatched). A listener that
 * throws does not stop the session or the other listeners: what its `callback` throws is handed
 * to its own `errback`.
 */
export interface SessionListener {
  /**
   * @param root - the root element's name and attributes in Clark notation, e.g.
   *   `['{urn:ietf:params:xml:ns:netconf:base:1.0}rpc-reply', { 'message-id': '101' }]`
   * @param raw - the whole XML document
   */
  callback(root: RootElement, raw: string): void;
  /**
   * Optional, instead of `callback`: the message as bytes, decoded to text only if the listener
   * asks for `message.text`. For consumers of large replies that want to skip the string copy.
   */
  messageCallback?(root: RootElement, message: ReceivedMessage): void;
  /** @param error - what went wrong; a {@link SessionCloseError} when the session closed under it. */
  errback(error: Error): void;
  /**
   * Optional: called once when the session has ended, for any reason — `close()` called
   * locally (`error` undefined) or a failure already reported to `errback` (`error` set).
   */
  closed?(error?: Error): void;
}

/** Options for the hello exchange and framing, common to every transport. */
export interface SessionOptions {
  /** Seconds to wait for the server's hello. */
  helloTimeout?: number;
  /** Largest message accepted from the server, in bytes (see `FrameDecoder`). */
  maxMessageSize?: number;
  /**
   * Limits on the shape of the XML the server sends (depth, attributes, namespace declarations,
   * name length), over {@link DEFAULT_XML_LIMITS}: for the hello here, and for replies, streams
   * and notifications in the RPC layer, which reads them from {@link Session.xmlLimits}.
   */
  xmlLimits?: Partial<XmlLimits>;
  /**
   * Abort the connection attempt: `connect()` rejects at once with {@link ConnectAbortedError}
   * and closes whatever it had opened. No effect once `connect()` has resolved (close the session
   * then).
   */
  signal?: AbortSignal;
}

type Phase = 'idle' | 'hello' | 'open' | 'closed';

/**
 * A NETCONF session over some byte stream: the hello exchange, the session's lifecycle, its
 * listeners, and sending. Receiving is the {@link MessageReader}'s job (bytes in, messages out);
 * the session hands each message to its listeners. Transports ({@link SSHSession}, …) extend it,
 * open a stream and hand it to {@link Session.startSession}.
 *
 * Mirrors ncclient's `ncclient.transport.Session`.
 */
export abstract class Session {
  /** The capabilities this client advertises in its hello. */
  readonly clientCapabilities: Capabilities;
  #serverCapabilities = new Capabilities();
  #id: string | null = null;
  #connected = false;
  #phase: Phase = 'idle';
  #listeners = new Set<SessionListener>();
  #stream: Duplex | undefined;
  #reader: MessageReader | undefined;
  #sendMode: FramingMode = 'eom';
  #closing: Promise<void> | undefined;
  #peer = 'the server';
  #failure: Error | undefined;
  #xmlLimits: Readonly<XmlLimits> = DEFAULT_XML_LIMITS;
  /** Set before the reader exists: handed to it when the session starts. */
  #router: MessageRouter | undefined;
  readonly #watched: string[] = [];
  #bytesReceived = 0;
  /** Ends the session for a failure the transport saw (set while the session runs). */
  #lost: ((cause: Error) => void) | undefined;

  /** @param capabilities - client capabilities to advertise; default base:1.0 and base:1.1. */
  constructor(capabilities: Iterable<string> = DEFAULT_CLIENT_CAPABILITIES) {
    this.clientCapabilities = new Capabilities(capabilities);
    if (!this.clientCapabilities.has(BASE_1_0) && !this.clientCapabilities.has(BASE_1_1)) {
      throw new TypeError('Client capabilities must include base:1.0 or base:1.1');
    }
  }

  /** The server's capabilities from its hello (empty before the hello exchange). */
  get serverCapabilities(): Capabilities {
    return this.#serverCapabilities;
  }

  /** The session-id the server assigned, or `null` before the hello exchange. */
  get id(): string | null {
    return this.#id;
  }

  /** True from the end of the hello exchange until the session closes. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The framing in use for messages after the hello: `eom` (base:1.0) or `chunked` (base:1.1). */
  get framing(): FramingMode {
    return this.#sendMode;
  }

  /** The limits on the XML the server sends, as given to the session's start (see {@link SessionOptions.xmlLimits}). */
  get xmlLimits(): Readonly<XmlLimits> {
    return this.#xmlLimits;
  }

  /** Bytes received from the transport stream so far (the NETCONF byte stream, hello included). */
  get bytesReceived(): number {
    return this.#bytesReceived;
  }

  /** Who the session talks to, as used in error messages (e.g. `admin@10.0.0.1:830`). */
  get peer(): string {
    return this.#peer;
  }

  /**
   * Let `router` claim messages as streams (or stop, with undefined): each message's root element
   * is read from its first bytes and offered to the router; a message it claims goes piece by
   * piece to the {@link MessageSink} it returns, is never buffered whole, and is not given to
   * the listeners. Used by the RPC layer to stream huge replies.
   */
  setMessageRouter(router: MessageRouter | undefined): void {
    this.#router = router;
    this.#reader?.setRouter(router);
  }

  /**
   * Have every message from now on checked, as it arrives, for `text` (ASCII): then
   * `ReceivedMessage.includes(text)` answers at once, with no pass over a large message after it
   * has arrived (the dispatcher watches for `rpc-error` this way).
   */
  watchMessagesFor(text: string): void {
    this.#watched.push(text);
    this.#reader?.watch(text);
  }

  /** Stop reading from the transport (flow control: the peer is slowed down by SSH's window). */
  pauseInput(): void {
    this.#stream?.pause();
  }

  /** Resume reading after {@link pauseInput}. */
  resumeInput(): void {
    this.#stream?.resume();
  }

  /** Register a listener (once; registering it again does nothing). */
  addListener(listener: SessionListener): void {
    this.#listeners.add(listener);
  }

  /** Unregister a listener; one never registered is ignored. */
  removeListener(listener: SessionListener): void {
    this.#listeners.delete(listener);
  }

  /** The registered listener that is an instance of `cls`, or `undefined`. */
  getListenerInstance<T extends SessionListener>(cls: abstract new (...args: never[]) => T): T | undefined {
    for (const listener of this.#listeners) {
      if (listener instanceof cls) return listener;
    }
    return undefined;
  }

  /**
   * Send one NETCONF message (a complete XML document), framed as negotiated.
   * @throws - {@link TransportError} when the session is not connected;
   *   {@link NetconfFramingError} for an empty message or one that base:1.0 framing cannot carry.
   */
  send(message: string | Buffer): void {
    const stream = this.#stream;
    if (!this.#connected || !stream) {
      throw new TransportError(`Not connected to ${this.#peer}: cannot send`);
    }
    const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
    const pieces = encodeMessage(bytes, this.#sendMode);
    // One write per message (one SSH packet for a small one): separate writes of header, body
    // and trailer cost a round of Nagle/delayed-ACK per RPC. Large messages are not copied.
    if (bytes.length <= 65536) stream.write(Buffer.concat(pieces));
    else for (const piece of pieces) stream.write(piece);
  }

  /**
   * Close the session: releases the stream, the connection under it and every timer. Sends
   * nothing (an orderly `<close-session>` is the RPC layer's business). Idempotent; the promise
   * settles when the transport is closed.
   */
  close(): Promise<void> {
    return this.#end();
  }

  /**
   * Close what the transport opened (stream, channel, socket), resolving when it is closed.
   * Called once, by {@link close}, also when the session fails.
   */
  protected abstract closeTransport(): Promise<void>;

  /**
   * Tear down at once whatever a `connect()` in progress has opened or is opening (sockets,
   * connections still in their handshake, a proxy process), so that every step it awaits fails.
   * Called by {@link connecting} when its signal aborts, and by {@link close} before the hello
   * exchange has started. This one destroys the stream of the hello exchange, if there is one;
   * transports override it to reach what comes before.
   */
  protected abortTransport(): void {
    this.#stream?.destroy();
  }

  /**
   * Run a transport's connection steps (`work`) under `signal`: when it aborts, the transport is
   * torn down ({@link abortTransport}), the session closed, and the promise rejects with
   * {@link ConnectAbortedError}, also when `work` had finished just before the abort took effect.
   * @param peer - how to name the server in the message
   */
  protected async connecting(signal: AbortSignal | undefined, peer: string, work: () => Promise<void>): Promise<void> {
    if (signal === undefined) return work();
    const abortError = (): ConnectAbortedError => new ConnectAbortedError(`Connecting to ${peer} was aborted`, { cause: signal.reason });
    if (signal.aborted) throw abortError();
    const onAbort = (): void => this.abortTransport();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await work();
    } catch (err) {
      if (signal.aborted) {
        await this.close();
        throw abortError();
      }
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (signal.aborted) {
      await this.close();
      throw abortError();
    }
  }

  /**
   * Run the hello exchange on an open stream: send the client hello (always end-of-message
   * framed), read the server's, record session-id and capabilities, and switch to chunked framing
   * when both sides speak base:1.1. Rejects, and closes the session, when the hello does not
   * arrive within `helloTimeout` seconds, is malformed, has no session-id or no base capability.
   *
   * @param peer - how to name the server in messages (never includes a password)
   */
  protected startSession(stream: Duplex, peer: string, options: SessionOptions = {}): Promise<void> {
    if (this.#phase !== 'idle') throw new TransportError('Session already started');
    this.#xmlLimits = resolveXmlLimits(options.xmlLimits); // a bad limit throws before anything starts
    this.#phase = 'hello';
    this.#peer = peer;
    this.#stream = stream;

    return new Promise<void>((resolve, reject) => {
      let helloWritten = false;
      let helloReceived = false;
      let settled = false;
      const timeoutSeconds = options.helloTimeout ?? 30;
      const finishHello = (err?: Error): void => {
        if (settled) return;
        if (!err && !(helloWritten && helloReceived)) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          void this.close();
          reject(err);
        } else if (this.#phase === 'closed') {
          reject(new SessionCloseError('', undefined, `Session to ${peer} closed during the hello exchange`));
        } else {
          this.#phase = 'open';
          this.#connected = true;
          resolve();
        }
      };
      const timer = setTimeout(() => {
        finishHello(new HelloError(`No hello from ${peer} within ${timeoutSeconds} s`));
      }, timeoutSeconds * 1000);

      // The first message is the server's hello; every later one goes to the listeners.
      const reader = new MessageReader(
        (message) => {
          if (helloReceived) {
            this.#dispatch(message);
            return;
          }
          try {
            this.#acceptHello(message.text, reader);
            helloReceived = true;
            finishHello();
          } catch (err) {
            finishHello(err as Error);
          }
        },
        options.maxMessageSize === undefined ? {} : { maxMessageSize: options.maxMessageSize },
      );
      for (const text of this.#watched) reader.watch(text);
      reader.setRouter(this.#router);
      this.#reader = reader;

      stream.on('data', (chunk: Buffer) => {
        if (this.#phase === 'closed') return;
        this.#bytesReceived += chunk.length;
        try {
          reader.push(chunk);
        } catch (err) {
          const error = err instanceof NetconfFramingError ? err : new TransportError(`Error handling data from ${peer}: ${String(err)}`, { cause: err });
          if (!settled) finishHello(error);
          else this.#fail(error);
        }
      });
      // The stream ending, closing or failing under us all mean the same: the session is gone.
      const onClose = (cause?: Error): void => {
        if (this.#phase === 'closed') return;
        const what = cause ? `Connection to ${peer} failed: ${cause.message}` : `Session to ${peer} closed by the server`;
        const error = new SessionCloseError(reader.unfinished(), undefined, what, cause ? { cause } : undefined);
        if (!settled) finishHello(error);
        else this.#fail(error);
      };
      stream.on('end', () => onClose());
      stream.on('close', () => onClose());
      stream.on('error', (err: Error) => onClose(err));
      this.#lost = onClose;

      const hello = encodeMessage(Buffer.from(buildHello(this.clientCapabilities), 'utf8'), 'eom');
      stream.write(hello[0]);
      stream.write(hello[1], () => {
        helloWritten = true;
        finishHello();
      });
    });
  }

  /**
   * For transports: the connection under the stream failed (a keepalive went unanswered, a jump
   * host's connection dropped). Ends the session with a {@link SessionCloseError} whose cause is
   * `cause`, as if the stream had failed with it; nothing happens once the session is closed.
   */
  protected transportLost(cause: Error): void {
    this.#lost?.(cause);
  }

  #acceptHello(raw: string, reader: MessageReader): void {
    const hello = parseHello(raw, this.#xmlLimits);
    const id = hello.sessionId;
    if (id === null) throw new HelloError(`Hello from ${this.#peer} has no session-id`);
    if (!/^[1-9][0-9]{0,9}$/.test(id) || Number(id) > 4294967295) {
      throw new HelloError(`Hello from ${this.#peer} has an invalid session-id ${JSON.stringify(id.slice(0, 40))}`);
    }
    const server = new Capabilities(hello.capabilities);
    const both = (uri: string): boolean => server.has(uri) && this.clientCapabilities.has(uri);
    if (both(BASE_1_1)) {
      reader.upgrade();
      this.#sendMode = 'chunked';
    } else if (!both(BASE_1_0)) {
      throw new HelloError(
        `No common base capability with ${this.#peer}: server offers ${server.has(BASE_1_0) || server.has(BASE_1_1) ? [...server].filter((u) => u.startsWith('urn:ietf:params:netconf:base:')).join(', ') : 'none'}`,
      );
    }
    this.#serverCapabilities = server;
    this.#id = id;
  }

  #dispatch(message: ReceivedMessage): void {
    let root: RootElement;
    try {
      root = message.root;
    } catch (err) {
      this.#dispatchError(err as Error);
      return;
    }
    for (const listener of [...this.#listeners]) {
      try {
        if (listener.messageCallback) listener.messageCallback(root, message);
        else listener.callback(root, message.text);
      } catch (err) {
        this.#report(listener, err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  #dispatchError(error: Error): void {
    if (this.#listeners.size === 0) debug('%s: %s', this.#peer, error.message);
    for (const listener of [...this.#listeners]) this.#report(listener, error);
  }

  #report(listener: SessionListener, error: Error): void {
    try {
      listener.errback(error);
    } catch (err) {
      debug('errback of a listener threw: %s', err);
    }
  }

  /** The session cannot go on: tell the listeners, then close. */
  #fail(error: Error): void {
    if (this.#phase === 'closed') return;
    this.#connected = false;
    this.#failure = error; // a listener may call close() from its errback: closed() still gets the error
    this.#reader?.close(error);
    this.#dispatchError(error);
    void this.#end(error);
  }

  /** Close once; tell listeners (`closed`) if the session had been open. */
  #end(error?: Error): Promise<void> {
    if (this.#closing) return this.#closing;
    const wasOpen = this.#phase === 'open';
    // closed while connect() is still making the connection: its handshakes must not outlive it
    if (this.#phase === 'idle') this.abortTransport();
    this.#reader?.close(error ?? new SessionCloseError('', undefined, `Session to ${this.#peer} closed while a message was being received`));
    this.#phase = 'closed';
    this.#connected = false;
    this.#closing = this.closeTransport().catch((err: unknown) => {
      debug('error while closing %s: %s', this.#peer, err);
    });
    if (wasOpen) {
      for (const listener of [...this.#listeners]) {
        try {
          listener.closed?.(error ?? this.#failure);
        } catch (err) {
          debug('closed() of a listener threw: %s', err);
        }
      }
    }
    return this.#closing;
  }
}
