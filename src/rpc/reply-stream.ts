import { NETCONF_NS, NMDA_NS } from '../namespaces.js';
import type { MessageSink } from '../transport/message-sink.js';
import type { XmlElement } from '../xml/element.js';
import type { XmlLimits } from '../xml/limits.js';
import { XmlStreamParser } from '../xml/stream-parser.js';
import { RPCAbortedError } from './errors.js';
import { parseRpcError, RPCError, type RPCErrorInfo } from './rpc-error.js';
import { parseXml } from '../xml/parse.js';
import type { YangSchema } from '../yang/schema.js';
import { xmlToJson, type JsonResult } from '../yang/xml-to-json.js';

/** Options of a streamed RPC (see {@link ReplyStream}). */
export interface ReplyStreamOptions {
  /**
   * Depth of the elements yielded, counted from `<rpc-reply>` (depth 0): 1 is `<data>`, 2 the
   * top-level containers in it (`<interfaces>`), 3 their children (each `<interface>` list
   * entry). Default 3.
   */
  depth?: number;
  /**
   * How many parsed subtrees may wait for the consumer; beyond that, reading from the server
   * pauses (SSH flow control slows the server down) until the consumer catches up. Default 1024.
   */
  highWaterMark?: number;
}

/** Options of {@link subtreeJson} and {@link ReplyStream.json}. */
export interface SubtreeJsonOptions {
  /** The schema; default the stream's (the session's). */
  schema?: YangSchema;
  /** Keep what the schema cannot map, with warnings, instead of throwing `YangDataError`. */
  lenient?: boolean;
}

/**
 * One subtree of a streamed get / get-config / get-data reply as RFC 7951 JSON, wrapped in its
 * ancestors below `<data>` so that it is a document of its own: the `<interface>` entry `eth0`
 * gives `{"ietf-interfaces:interfaces": {"interface": [{"name": "eth0", …}]}}` (merge the
 * documents of the entries to get the whole). The ancestors are taken from the subtree's parent
 * chain (their other children are left out).
 */
export function subtreeJson(schema: YangSchema, subtree: XmlElement, options: { lenient?: boolean } = {}): JsonResult {
  const chain: XmlElement[] = [];
  for (let el = subtree.parent; el; el = el.parent) {
    if (el.local === 'rpc-reply' && el.namespace === NETCONF_NS) break;
    if (el.local === 'data' && (el.namespace === NETCONF_NS || el.namespace === NMDA_NS)) break;
    chain.unshift(el);
  }
  let xml = subtree.toString();
  for (let i = chain.length - 1; i >= 0; i--) {
    const el = chain[i] as XmlElement;
    // The ancestor's name in its own namespace; the subtree carries the declarations it needs.
    xml = `<${el.local} xmlns="${el.namespace.replace(/[&<"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&quot;'))}">${xml}</${el.local}>`;
  }
  return xmlToJson(schema, parseXml(xml), { kind: 'data', lenient: options.lenient === true });
}

/** What the stream needs from the session: flow control. */
export interface FlowControl {
  pauseInput(): void;
  resumeInput(): void;
}

/**
 * A reply consumed as it arrives, as a stream of parsed subtrees: `for await (const entry of
 * stream)`. Memory stays bounded whatever the reply's size: only the subtrees not yet consumed
 * (at most `highWaterMark`, then the server is paused) and the chain of their ancestors are held.
 *
 * `<rpc-error>`s directly under `<rpc-reply>` are collected whole; when the reply ends, the loop
 * throws {@link RPCError} if any must be raised (per the raise mode). A malformed reply throws
 * `MalformedMessageError`; the session failing throws its error. Leaving the loop early (break,
 * throw) or aborting discards the rest of the reply as it arrives.
 */
export class ReplyStream implements AsyncIterable<XmlElement>, MessageSink {
  /** The message-id of the RPC. */
  readonly messageId: string;
  /** The YANG schema {@link json} maps with by default (the manager sets the session's). */
  schema: YangSchema | undefined;
  readonly #depth: number;
  readonly #highWaterMark: number;
  readonly #flow: FlowControl;
  readonly #raise: (errors: readonly RPCErrorInfo[]) => boolean;
  readonly #peer: string;
  #parser: XmlStreamParser | undefined;
  /** Parsed subtrees not yet consumed, from `#head` on (consumed slots are cleared at once). */
  #queue: Array<XmlElement | undefined> = [];
  #head = 0;
  #errors: RPCErrorInfo[] = [];
  #bytes = 0;
  #started = false;
  #done = false;
  #failure: Error | undefined;
  #discarding = false;
  #paused = false;
  #wake: (() => void) | undefined;
  #onStart: (() => void) | undefined;
  #onMessageDone: (() => void) | undefined;

  readonly #limits: Partial<XmlLimits> | undefined;

  /** @param limits - limits on the reply's XML (the session's `xmlLimits`) */
  constructor(messageId: string, flow: FlowControl, peer: string, raise: (errors: readonly RPCErrorInfo[]) => boolean, options: ReplyStreamOptions = {}, limits?: Partial<XmlLimits>) {
    this.#limits = limits;
    const depth = options.depth ?? 3;
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be an integer >= 1, got ${String(depth)}`);
    const hwm = options.highWaterMark ?? 1024;
    if (!Number.isInteger(hwm) || hwm < 1) throw new RangeError(`highWaterMark must be a positive integer, got ${String(hwm)}`);
    this.messageId = messageId;
    this.#depth = depth;
    this.#highWaterMark = hwm;
    this.#flow = flow;
    this.#peer = peer;
    this.#raise = raise;
  }

  /** Bytes of the reply received so far. */
  get bytesReceived(): number {
    return this.#bytes;
  }

  /** True once the first byte of the reply has arrived. */
  get started(): boolean {
    return this.#started;
  }

  /** Every `<rpc-error>` of the reply seen so far (warnings included). */
  get errors(): readonly RPCErrorInfo[] {
    return this.#errors;
  }

  /** The `<rpc-reply>` element's skeleton (its attributes), once the reply has begun. */
  get root(): XmlElement | undefined {
    return this.#parser?.root;
  }

  /** @internal Called once when the first byte of the reply arrives. */
  set onStart(fn: (() => void) | undefined) {
    this.#onStart = fn;
  }

  /** @internal Called once the reply message has ended (or the session failed under it). */
  set onMessageDone(fn: (() => void) | undefined) {
    this.#onMessageDone = fn;
  }

  // ---- MessageSink (fed by the session) ------------------------------------------------

  /** @internal */
  data(piece: Buffer): void {
    if (!this.#started) {
      this.#started = true;
      this.#onStart?.();
    }
    this.#bytes += piece.length;
    if (this.#discarding || this.#done) return;
    try {
      this.#parserFor().write(piece);
    } catch (err) {
      this.#finish(err as Error);
      this.#discarding = true;
    }
  }

  /** @internal */
  end(): void {
    this.#onMessageDone?.();
    if (this.#done) return;
    if (this.#discarding) {
      this.#finish();
      return;
    }
    try {
      this.#parserFor().end();
      this.#finish(this.#raise(this.#errors) ? new RPCError(this.#errors, '', this.#peer) : undefined);
    } catch (err) {
      this.#finish(err as Error);
    }
  }

  /** @internal */
  error(error: Error): void {
    this.#onMessageDone?.();
    this.#finish(error);
  }

  /** Fail the stream from outside (timeout, abort): the rest of the reply, if it comes, is discarded. */
  fail(error: Error): void {
    this.#discarding = true;
    this.#finish(error);
  }

  // ---- consumer side -----------------------------------------------------------------------

  /** The next subtree, or undefined at the end of the reply. */
  next(): Promise<XmlElement | undefined> {
    // Already queued (the usual case while a large reply streams in): no async machinery.
    const el = this.#take();
    if (el !== undefined || this.#done) return el !== undefined || !this.#failure ? Promise.resolve(el) : Promise.reject(this.#failure);
    return this.#nextWhenReady();
  }

  async #nextWhenReady(): Promise<XmlElement | undefined> {
    for (;;) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      const el = this.#take();
      if (el !== undefined) return el;
      if (this.#done) {
        if (this.#failure) throw this.#failure;
        return undefined;
      }
    }
  }

  /** The first queued subtree, taken off the queue (resuming input once half of it is consumed). */
  #take(): XmlElement | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const el = this.#queue[this.#head] as XmlElement;
    // Let go of it here: a consumed subtree kept in the queue survives young collections and is
    // promoted, growing the old generation for nothing.
    this.#queue[this.#head++] = undefined;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (this.#paused && this.#queue.length - this.#head <= this.#highWaterMark >> 1) {
      this.#paused = false;
      this.#flow.resumeInput();
    }
    return el;
  }

  [Symbol.asyncIterator](): AsyncIterator<XmlElement, undefined> {
    const leave = (): Promise<IteratorResult<XmlElement, undefined>> => {
      this.#leave();
      return Promise.resolve({ done: true, value: undefined });
    };
    return {
      next: () => {
        const el = this.#take();
        if (el !== undefined) return Promise.resolve({ done: false, value: el });
        return this.next().then(
          (value) => (value === undefined ? { done: true, value: undefined } : { done: false, value }),
          (err: unknown) => {
            this.#leave();
            throw err;
          },
        );
      },
      return: leave,
      throw: (err: unknown) => {
        this.#leave();
        return Promise.reject(err);
      },
    };
  }

  /** The consumer left (the loop ended, broke out or threw): drop what is queued, discard the rest as it arrives. */
  #leave(): void {
    if (!this.#done) {
      this.#discarding = true;
      this.#queue = [];
      this.#head = 0;
    }
    if (this.#paused) {
      this.#paused = false;
      this.#flow.resumeInput();
    }
  }

  /** Read the whole stream into an array (for tests and small replies). */
  /**
   * A subtree of this stream as RFC 7951 JSON, wrapped in its ancestors (see {@link subtreeJson}):
   * `for await (const entry of stream) console.log(stream.json(entry))`. Throws `TypeError`
   * without a schema, `YangDataError` when the subtree does not match it (unless lenient).
   */
  json(subtree: XmlElement, options: SubtreeJsonOptions = {}): Record<string, unknown> {
    const schema = options.schema ?? this.schema;
    if (!schema) throw new TypeError('stream.json(): no YANG schema: pass { schema }, or load one with m.loadSchema()');
    return subtreeJson(schema, subtree, options).json;
  }

  async toArray(): Promise<XmlElement[]> {
    const out: XmlElement[] = [];
    for await (const el of this) out.push(el);
    return out;
  }

  #parserFor(): XmlStreamParser {
    // Parsed from the bytes as they arrive (no decoding to strings first): see XmlStreamParser.
    this.#parser ??= new XmlStreamParser({
      emitDepth: this.#depth,
      limits: this.#limits,
      onOpen: (el, path) => path.length === 1 && el.local === 'rpc-error' && el.namespace === NETCONF_NS,
      onSubtree: (el, path) => {
        if (path.length === 1 && el.local === 'rpc-error' && el.namespace === NETCONF_NS) {
          this.#errors.push(parseRpcError(el));
          return;
        }
        if (this.#discarding) return;
        this.#queue.push(el);
        if (!this.#paused && this.#queue.length - this.#head >= this.#highWaterMark) {
          this.#paused = true;
          this.#flow.pauseInput();
        }
        this.#wakeConsumer();
      },
    });
    return this.#parser;
  }

  #finish(error?: Error): void {
    if (this.#done) return;
    this.#done = true;
    this.#failure = error;
    if (error instanceof RPCAbortedError) {
      this.#queue = [];
      this.#head = 0;
    }
    if (this.#paused) {
      this.#paused = false;
      this.#flow.resumeInput();
    }
    this.#wakeConsumer();
  }

  #wakeConsumer(): void {
    const wake = this.#wake;
    if (wake === undefined) return;
    this.#wake = undefined;
    wake();
  }
}
