import { findRoot, type RootElement } from '../xml/root-element.js';
import { FrameDecoder, type FramingMode } from './framing.js';
import { MessageScan } from './message-scan.js';
import type { MessageSink } from './message-sink.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { ReceivedMessage } from './received-message.js';

/**
 * Decides, from a message's root element, whether a {@link MessageSink} takes it as a stream.
 * Return undefined to let the message be gathered whole and handed on as usual.
 */
export type MessageRouter = (root: RootElement) => MessageSink | undefined;

/** How many leading bytes of a message may be gathered while looking for its root element for routing. */
const ROUTE_PREFIX_LIMIT = 65536;

/** Options of a {@link MessageReader}. */
export interface MessageReaderOptions {
  /** Largest message gathered whole, in bytes (see {@link FrameDecoder}). */
  maxMessageSize?: number;
}

/**
 * The receive side of a session, one direction only: bytes in ({@link push}), whole messages out
 * (`onMessage`), or, for a message a {@link MessageRouter} claims from its root element, pieces
 * out to the claiming {@link MessageSink} as they arrive.
 *
 * Inside: the {@link FrameDecoder} undoes the framing and hands each message's pieces here; a
 * `ReceiveBuffer` gathers them into one Buffer; a `MessageScan` looks at them as they
 * pass (ASCII or not, watched strings). The root element is found once per message: while
 * routing, from the first bytes, and handed over with the message; otherwise when first asked
 * for ({@link ReceivedMessage.root}).
 */
export class MessageReader implements MessageSink {
  readonly #decoder: FrameDecoder;
  readonly #onMessage: (message: ReceivedMessage) => void;
  readonly #received = new ReceiveBuffer();
  readonly #scan = new MessageScan();
  readonly #recycle = (bytes: Buffer): void => this.#received.recycle(bytes);
  #router: MessageRouter | undefined;
  /** The current message's root element, when routing found it. */
  #root: RootElement | undefined;
  /** Routing has decided for the current message (found its root, or gave up). */
  #routed = false;
  /** The sink that claimed the current message. */
  #claim: MessageSink | undefined;

  /** @param onMessage - called with each whole message that no router claimed */
  constructor(onMessage: (message: ReceivedMessage) => void, options: MessageReaderOptions = {}) {
    this.#onMessage = onMessage;
    this.#decoder = new FrameDecoder(this, options.maxMessageSize === undefined ? {} : { maxMessageSize: options.maxMessageSize });
  }

  /** The framing the reader expects now. */
  get framing(): FramingMode {
    return this.#decoder.mode;
  }

  /** True while a message is partly received. */
  get inMessage(): boolean {
    return this.#decoder.inMessage;
  }

  /**
   * Feed bytes from the transport. Messages complete in them are handed over before this returns.
   * @throws - `NetconfFramingError` when the framing is broken (the reader is then unusable).
   */
  push(chunk: Buffer): void {
    this.#decoder.push(chunk);
  }

  /** Expect chunked framing (base:1.1) from the next message on; call it between messages. */
  upgrade(): void {
    this.#decoder.upgrade();
  }

  /** Let `router` claim messages as streams from now on (undefined: stop). */
  setRouter(router: MessageRouter | undefined): void {
    this.#router = router;
  }

  /** Watch every message from now on for `text` (see {@link ReceivedMessage.includes}). */
  watch(text: string): void {
    this.#scan.watch(text);
  }

  /** The bytes of the unfinished message gathered here, decoded (for error reports). */
  unfinished(): string {
    if (!this.#decoder.inMessage) return '';
    return Buffer.concat([this.#received.view(), this.#decoder.pending()]).toString('utf8');
  }

  /**
   * The session is over: a claimed message gets `error`, what was gathered is dropped and the
   * storage kept for the next message let go.
   */
  close(error: Error): void {
    const claim = this.#claim;
    this.#reset();
    this.#received.reset();
    claim?.error(error);
  }

  /** @internal MessageSink: a piece of the current message, from the decoder. */
  data(piece: Buffer): void {
    if (this.#claim) {
      this.#claim.data(piece);
      return;
    }
    this.#received.append(piece);
    this.#scan.push(piece);
    if (this.#router && !this.#routed) this.#route();
  }

  /** @internal MessageSink: the current message is complete. */
  end(): void {
    const claim = this.#claim;
    if (claim) {
      this.#reset();
      claim.end();
      return;
    }
    const message = new ReceivedMessage(this.#received.take(), { recycle: this.#recycle, scan: this.#scan.take(), root: this.#root });
    this.#root = undefined; // the buffer and the scan were reset by take()
    this.#routed = false;
    this.#onMessage(message);
  }

  /** @internal MessageSink: never called by the decoder (it throws instead). */
  error(error: Error): void {
    this.close(error);
  }

  /** Offer the message to the router once its root start tag has arrived. */
  #route(): void {
    const head = this.#received.view();
    let root: RootElement;
    try {
      root = findRoot(head.subarray(0, ROUTE_PREFIX_LIMIT));
    } catch {
      // not all of the root start tag yet (or not XML): wait, up to a limit
      if (head.length >= ROUTE_PREFIX_LIMIT) this.#routed = true;
      return;
    }
    this.#routed = true;
    this.#root = root;
    const sink = this.#router?.(root);
    if (!sink) return;
    this.#claim = sink;
    this.#decoder.unlimitCurrentMessage(); // nothing is gathered: the sink bounds the memory
    this.#scan.reset();
    sink.data(this.#received.take()); // the sink owns what it is given
  }

  #reset(): void {
    this.#received.take();
    this.#scan.reset();
    this.#root = undefined;
    this.#routed = false;
    this.#claim = undefined;
  }
}
