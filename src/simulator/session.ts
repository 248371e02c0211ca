/**
 * One NETCONF session of the simulator over a byte stream (an SSH `netconf` subsystem channel, or
 * a TLS socket):
 * the hello exchange, framing, RPCs carried out one after the other in the order received,
 * replies, notifications, faults, and the end of the session.
 * @module
 */
import type { Duplex } from 'node:stream';
import { debuglog } from 'node:util';
import type { Device } from './device.js';
import { NetconfServerError, NetconfServerErrors, rpcErrorXml, type RpcErrorSpec } from './errors.js';
import { bulkData, type FaultSpec } from './faults.js';
import type { NotificationSink } from './notifications.js';
import { execute, type OperationResult } from './operations.js';
import { MessageWriter, type DeliveryFault } from './output.js';
import { elementsOf, escapeText } from './xml.js';
import { NETCONF_NS } from '../namespaces.js';
import { BASE_1_0, BASE_1_1, Capabilities, escapeXml, type FramingMode, parseXml, type XmlElement } from '../index.js';
import { FrameDecoder, parseHello } from '../internals.js';

const debug = debuglog('netconf-sim');

/** Counters of a session (RFC 6022 `netconf-state/sessions`). */
export interface SessionCounters {
  inRpcs: number;
  inBadRpcs: number;
  outRpcErrors: number;
  outNotifications: number;
}

/** Who the session belongs to, and over what it runs. */
export interface SessionPeer {
  /** The SSH user, or the name cert-to-name gave the TLS client. */
  username: string;
  /** The client's address. */
  sourceHost: string;
  transport: 'ssh' | 'tls';
  /** True when the simulator dialled the client (RFC 8071 call home). */
  callHome: boolean;
  /** The TLS client's certificate. */
  clientCertificate?: { subject: string; fingerprint: string } | undefined;
}

/** How the session reaches its transport. */
export interface SessionTransport {
  /** Drop the connection abruptly (the `drop` fault). */
  drop(): void;
  /** The session has ended (its stream is being closed). */
  closed(session: ServerSession): void;
}

function deliveryFault(fault: Readonly<FaultSpec> | undefined, size: number): DeliveryFault {
  if (!fault) return {};
  if (fault.noReply) return { noReply: true };
  if (fault.malformedFraming) return { malformedFraming: fault.malformedFraming === true ? 'zero-chunk' : fault.malformedFraming };
  const half = Math.max(1, Math.floor(size / 2));
  if (fault.stall) return { cut: { afterBytes: typeof fault.stall === 'object' ? fault.stall.afterBytes : half, then: 'stall' } };
  if (fault.drop) return { cut: { afterBytes: typeof fault.drop === 'object' ? fault.drop.afterBytes : half, then: 'drop' } };
  return {};
}

function errorsXml(err: unknown): { xml: string; count: number } {
  if (err instanceof NetconfServerErrors) return { xml: err.errors.map((e) => e.toXml()).join(''), count: err.errors.length };
  if (err instanceof NetconfServerError) return { xml: err.toXml(), count: 1 };
  const message = err instanceof Error ? err.message : String(err);
  return { xml: rpcErrorXml({ type: 'application', tag: 'operation-failed', message: `internal error: ${message}` }), count: 1 };
}

/** A NETCONF session of the simulator. */
export class ServerSession implements NotificationSink {
  /** The session-id. */
  readonly id: number;
  /** The SSH user, or the name cert-to-name gave the TLS client. */
  readonly username: string;
  /** The client's address. */
  readonly sourceHost: string;
  /** The transport, the call-home flag, the TLS client certificate. */
  readonly peer: SessionPeer;
  readonly loginTime = new Date();
  /** RPC and notification counters. */
  readonly counters: SessionCounters = { inRpcs: 0, inBadRpcs: 0, outRpcErrors: 0, outNotifications: 0 };
  readonly #device: Device;
  readonly #stream: Duplex;
  readonly #transport: SessionTransport;
  readonly #writer: MessageWriter;
  readonly #decoder: FrameDecoder;
  #framing: FramingMode | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #timers = new Map<NodeJS.Timeout, () => void>();

  constructor(device: Device, stream: Duplex, who: SessionPeer, transport: SessionTransport) {
    this.#device = device;
    this.#stream = stream;
    this.#transport = transport;
    this.id = device.allocateSessionId();
    this.username = who.username;
    this.sourceHost = who.sourceHost;
    this.peer = who;
    const writerOptions: ConstructorParameters<typeof MessageWriter>[1] = { onDrop: () => transport.drop() };
    if (device.maxChunkSize !== undefined) writerOptions.maxChunkSize = device.maxChunkSize;
    this.#writer = new MessageWriter(stream, writerOptions);
    this.#decoder = new FrameDecoder((segments, size) => this.#onMessage(segments.length === 1 ? (segments[0] as Buffer) : Buffer.concat(segments, size)));
  }

  /** The negotiated framing; undefined before the client's hello. */
  get framing(): FramingMode | undefined {
    return this.#framing;
  }

  /** True once the session has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Send the hello and start reading. */
  start(): void {
    this.#device.register(this);
    this.#stream.on('data', (chunk: Buffer) => {
      if (this.#closed) return;
      try {
        this.#decoder.push(chunk);
      } catch (err) {
        debug('session %d: bad framing from the client: %s', this.id, (err as Error).message);
        this.close();
      }
    });
    this.#stream.on('error', (err: Error) => {
      debug('session %d: stream error: %s', this.id, err.message);
      this.close();
    });
    this.#stream.on('end', () => this.close());
    this.#stream.on('close', () => this.close());
    const helloTimer = setTimeout(() => {
      this.#timers.delete(helloTimer);
      if (this.#framing === undefined) {
        debug('session %d: no hello from the client', this.id);
        this.close();
      }
    }, this.#device.helloTimeout);
    this.#timers.set(helloTimer, () => undefined);
    void this.#sendHello();
  }

  /** Queue a notification (dropped before the hello exchange and after the end). */
  deliverNotification(xml: string): void {
    if (this.#closed || this.#framing === undefined) return;
    this.counters.outNotifications++;
    void this.#writer.send(xml);
  }

  /**
   * End the session: timers cleared, pending output dropped, locks and subscription released (see
   * {@link Device.sessionEnded}), the stream closed. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [timer, wake] of this.#timers) {
      clearTimeout(timer);
      wake();
    }
    this.#timers.clear();
    this.#writer.close();
    this.#device.sessionEnded(this);
    try {
      this.#stream.end();
    } catch {
      // already gone
    }
    this.#transport.closed(this);
  }

  /** Wait `ms`; resolves early when the session closes. */
  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, resolve);
    });
  }

  async #sendHello(): Promise<void> {
    const fault = this.#device.faults.take({ sessionId: this.id, operation: 'hello', namespace: '', messageId: undefined, element: undefined });
    if (fault?.delay) await this.#sleep(fault.delay);
    if (this.#closed) return;
    let caps = '';
    for (const uri of this.#device.capabilities) caps += `<capability>${escapeText(uri)}</capability>`;
    const hello = fault?.rawReply ?? `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NETCONF_NS}"><capabilities>${caps}</capabilities><session-id>${this.id}</session-id></hello>`;
    await this.#writer.send(hello, deliveryFault(fault, Buffer.byteLength(hello)), 'eom');
  }

  #onMessage(bytes: Buffer): void {
    const raw = bytes.toString('utf8');
    if (this.#framing === undefined) {
      this.#acceptHello(raw);
      return;
    }
    this.#queue = this.#queue.then(() => this.#handle(raw)).catch((err: unknown) => debug('session %d: %s', this.id, err));
  }

  #acceptHello(raw: string): void {
    let caps: Capabilities;
    try {
      const hello = parseHello(raw);
      if (hello.sessionId !== null) throw new Error('a client hello must not carry a session-id');
      caps = new Capabilities(hello.capabilities);
    } catch (err) {
      debug('session %d: bad client hello: %s', this.id, (err as Error).message);
      this.close();
      return;
    }
    if (caps.has(BASE_1_1) && this.#device.has(BASE_1_1)) {
      this.#decoder.upgrade();
      this.#writer.mode = 'chunked';
      this.#framing = 'chunked';
    } else if (caps.has(BASE_1_0)) {
      this.#framing = 'eom';
    } else {
      debug('session %d: no common base capability', this.id);
      this.close();
      return;
    }
    this.#device.sessionStarted(this);
  }

  async #handle(raw: string): Promise<void> {
    if (this.#closed) return;
    this.counters.inRpcs++;
    let rpc: XmlElement;
    try {
      rpc = parseXml(raw);
    } catch (err) {
      this.#device.rpcReceived({ sessionId: this.id, operation: undefined, messageId: undefined, xml: raw });
      await this.#replyErrors(undefined, [{ type: 'rpc', tag: 'malformed-message', message: (err as Error).message }]);
      return;
    }
    const messageId = rpc.attributes['message-id'];
    const op = elementsOf(rpc)[0];
    this.#device.rpcReceived({ sessionId: this.id, operation: op?.local, messageId, xml: raw });
    if (rpc.local !== 'rpc' || rpc.namespace !== NETCONF_NS) {
      await this.#replyErrors(undefined, [{ type: 'rpc', tag: 'malformed-message', message: `expected <rpc> in ${NETCONF_NS}, got <${rpc.local}>${rpc.namespace ? ` in ${rpc.namespace}` : ''}` }]);
      return;
    }
    if (messageId === undefined) {
      await this.#replyErrors(rpc, [{ type: 'rpc', tag: 'missing-attribute', message: '<rpc> has no message-id', info: { 'bad-attribute': 'message-id', 'bad-element': 'rpc' } }]);
      return;
    }
    if (!op) {
      await this.#replyErrors(rpc, [{ type: 'rpc', tag: 'missing-element', message: '<rpc> has no operation', info: { 'bad-element': 'rpc' } }]);
      return;
    }
    const fault = this.#device.faults.take({ sessionId: this.id, operation: op.local, namespace: op.namespace, messageId, element: op });
    if (fault?.delay) await this.#sleep(fault.delay);
    if (this.#closed) return;
    const open = replyStart(rpc, fault?.messageId);
    if (fault?.rawReply !== undefined) {
      await this.#writer.send(fault.rawReply, deliveryFault(fault, Buffer.byteLength(fault.rawReply)));
      return;
    }
    if (fault?.bigReply !== undefined) {
      const pieces = (function* () {
        yield open;
        yield* bulkData(fault.bigReply as number);
        yield '</rpc-reply>';
      })();
      await this.#writer.send(pieces, deliveryFault(fault, fault.bigReply));
      return;
    }
    let result: OperationResult | undefined;
    let body: string;
    if (fault?.rpcError) {
      body = rpcErrorXml(fault.rpcError);
      this.counters.outRpcErrors++;
    } else {
      try {
        result = await execute({ device: this.#device, session: this, rpc, op, messageId });
        body = result.body ?? '<ok/>';
        this.counters.outRpcErrors += result.errorCount ?? 0;
      } catch (err) {
        const errors = errorsXml(err);
        body = errors.xml;
        this.counters.outRpcErrors += errors.count;
      }
      if (this.#closed) return;
    }
    const message = `${open}${body}</rpc-reply>`;
    await this.#writer.send(message, deliveryFault(fault, Buffer.byteLength(message)));
    result?.after?.();
    if (result?.closeSession) this.close();
  }

  async #replyErrors(rpc: XmlElement | undefined, errors: RpcErrorSpec[]): Promise<void> {
    this.counters.inBadRpcs++;
    this.counters.outRpcErrors += errors.length;
    const open = rpc ? replyStart(rpc, undefined) : `<rpc-reply xmlns="${NETCONF_NS}">`;
    await this.#writer.send(`${open}${errors.map(rpcErrorXml).join('')}</rpc-reply>`);
  }
}

/** `<rpc-reply …>` carrying every attribute of the `<rpc>` (RFC 6241 §4.2). */
function replyStart(rpc: XmlElement, messageId: string | undefined): string {
  let attrs = '';
  for (const [prefix, uri] of Object.entries(rpc.declarations)) if (prefix) attrs += ` xmlns:${prefix}="${escapeXml(uri)}"`;
  for (const [name, value] of rpc.rawAttributes) {
    const v = name === 'message-id' && messageId !== undefined ? messageId : value;
    attrs += ` ${name}="${escapeXml(v)}"`;
  }
  if (messageId !== undefined && !rpc.rawAttributes.some(([name]) => name === 'message-id')) attrs += ` message-id="${escapeXml(messageId)}"`;
  return `<rpc-reply${attrs} xmlns="${NETCONF_NS}">`;
}
