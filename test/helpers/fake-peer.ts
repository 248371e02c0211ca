/**
 * A scripted NETCONF peer at the other end of in-memory streams, for the fault and edge cases a
 * real server will not produce on demand. Used by the transport, operations and manager tests.
 */
import { Duplex, PassThrough } from 'node:stream';
import { BASE_1_0, BASE_1_1 } from '../../src/transport/capabilities.js';
import { encodeMessage, FrameDecoder, type FramingMode } from '../../src/transport/framing.js';
import type { SessionOptions } from '../../src/transport/session.js';
import { StreamSession } from '../../src/transport/stream.js';
import { escapeXml } from '../../src/xml/text.js';

/** The NETCONF base namespace. */
export const NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/** A server hello advertising `caps` (escaped: `&` between parameters is fine), with `sessionId` (none when null). */
export function serverHello(caps: string[], sessionId: string | null = '7'): string {
  const capXml = caps.map((c) => `<capability>${escapeXml(c)}</capability>`).join('');
  const sid = sessionId === null ? '' : `<session-id>${sessionId}</session-id>`;
  return `<hello xmlns="${NS}"><capabilities>${capXml}</capabilities>${sid}</hello>`;
}

/**
 * What a {@link FakePeer} responder gives back for a message: the documents to send (in the
 * negotiated framing), or nothing to stay silent.
 */
export type Responder = (message: string, messageId: string | undefined) => string | string[] | undefined | void;

/** A scripted peer at the other end of an in-memory stream. */
export class FakePeer {
  readonly toClient = new PassThrough();
  readonly fromClient = new PassThrough();
  readonly clientStream: Duplex;
  /** Every message the client sent, its hello first. */
  readonly received: string[] = [];
  #decoder = new FrameDecoder((segments) => this.#receive(Buffer.concat(segments).toString('utf8')));
  #waiters: Array<() => void> = [];
  #mode: FramingMode = 'eom';
  #responder: Responder | undefined;

  constructor() {
    this.clientStream = Duplex.from({ readable: this.toClient, writable: this.fromClient });
    this.fromClient.on('data', (chunk: Buffer) => {
      this.#decoder.push(chunk);
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** Wait until the client has sent `count` messages. */
  async messages(count: number): Promise<string[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.received;
  }

  /** Switch the decoder of the client's messages (and {@link reply}) to chunked framing. */
  upgrade(): void {
    this.#decoder.upgrade();
    this.#mode = 'chunked';
  }

  /** The framing {@link reply} uses. */
  get mode(): FramingMode {
    return this.#mode;
  }

  sendRaw(data: string | Buffer): void {
    this.toClient.write(data);
  }

  send(message: string, mode: FramingMode): void {
    for (const piece of encodeMessage(Buffer.from(message), mode)) this.toClient.write(piece);
  }

  /** Send a message in the framing negotiated (see {@link upgrade}). */
  reply(message: string): void {
    this.send(message, this.#mode);
  }

  /**
   * Answer every later message with what `responder` returns (replaces the previous responder;
   * `undefined` stops answering). Messages already received are not given to it.
   */
  respond(responder: Responder | undefined): void {
    this.#responder = responder;
  }

  /** The RPCs the client sent: every message after its hello. */
  get rpcs(): string[] {
    return this.received.slice(1);
  }

  /** Wait for the client's `n`-th RPC (1-based, the hello not counted) and return it. */
  async rpc(n: number): Promise<string> {
    const all = await this.messages(n + 1);
    return all[n] as string;
  }

  end(): void {
    this.toClient.end();
    this.clientStream.destroy();
  }

  #receive(message: string): void {
    this.received.push(message);
    if (!this.#responder || this.received.length === 1) return;
    const out = this.#responder(message, messageIdOf(message));
    for (const doc of typeof out === 'string' ? [out] : out ?? []) this.reply(doc);
  }
}

/**
 * Open a {@link StreamSession} to a new {@link FakePeer} that sends a hello with `caps`; the peer
 * is switched to chunked framing when the session negotiated it.
 */
export async function openSession(caps = [BASE_1_0, BASE_1_1], options: SessionOptions = {}): Promise<{ session: StreamSession; peer: FakePeer }> {
  const peer = new FakePeer();
  const session = new StreamSession();
  const connecting = session.connect(peer.clientStream, 'fake', options);
  peer.send(serverHello(caps), 'eom');
  await connecting;
  if (session.framing === 'chunked') peer.upgrade();
  return { session, peer };
}

/** The message-id attribute of an `<rpc>` the client sent. */
export function messageIdOf(message: string): string | undefined {
  return /^<rpc message-id="([^"]*)"/.exec(message)?.[1];
}

/**
 * The operation inside an `<rpc>` the client sent, checking the envelope is exactly
 * `<rpc message-id="…" xmlns="base:1.0">…</rpc>`.
 */
export function operationOf(message: string): string {
  const match = new RegExp(`^<rpc message-id="[0-9]+" xmlns="${NS}">([\\s\\S]*)</rpc>$`).exec(message);
  if (!match) throw new Error(`not an <rpc> envelope: ${message}`);
  return match[1] as string;
}

/** An `<rpc-reply>` to message-id `id` with `body` inside (`<ok/>` by default). */
export function rpcReply(id: string | undefined, body = '<ok/>'): string {
  const attr = id === undefined ? '' : ` message-id="${id}"`;
  return `<rpc-reply${attr} xmlns="${NS}">${body}</rpc-reply>`;
}

/** An `<rpc-error>` element (for {@link rpcReply} bodies). */
export function rpcError(fields: { type?: string; tag?: string; severity?: string; appTag?: string; path?: string; message?: string; info?: string }): string {
  let xml = '<rpc-error>';
  xml += `<error-type>${fields.type ?? 'application'}</error-type>`;
  xml += `<error-tag>${fields.tag ?? 'operation-failed'}</error-tag>`;
  xml += `<error-severity>${fields.severity ?? 'error'}</error-severity>`;
  if (fields.appTag !== undefined) xml += `<error-app-tag>${fields.appTag}</error-app-tag>`;
  if (fields.path !== undefined) xml += `<error-path>${fields.path}</error-path>`;
  if (fields.message !== undefined) xml += `<error-message xml:lang="en">${fields.message}</error-message>`;
  if (fields.info !== undefined) xml += `<error-info>${fields.info}</error-info>`;
  return `${xml}</rpc-error>`;
}

/** A notification document (RFC 5277). */
export function notificationXml(eventTime: string, body: string): string {
  return `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>${eventTime}</eventTime>${body}</notification>`;
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Let pending I/O callbacks and microtasks run (a few event-loop turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
