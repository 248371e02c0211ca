/**
 * A bare NETCONF client for the simulator's TLS and call-home tests: base:1.0 (end-of-message)
 * framing over any Duplex (a Node `tls` socket, an ssh2 channel), independent of the project's
 * client library.
 */
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

export const EOM = ']]>]]>';
export const CLIENT_HELLO = `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>`;

/** Messages read from a stream with end-of-message framing, and how the stream ended. */
export class RawNetconf {
  readonly stream: Duplex;
  #buffer = '';
  #messages: string[] = [];
  #waiters: Array<() => void> = [];
  #ended = false;
  #error: Error | undefined;
  #messageId = 0;

  constructor(stream: Duplex) {
    this.stream = stream;
    stream.on('data', (d: Buffer) => {
      this.#buffer += d.toString('utf8');
      let at: number;
      while ((at = this.#buffer.indexOf(EOM)) !== -1) {
        this.#messages.push(this.#buffer.slice(0, at).trim());
        this.#buffer = this.#buffer.slice(at + EOM.length);
      }
      this.#wake();
    });
    stream.on('error', (err: Error) => {
      this.#error = err;
      this.#wake();
    });
    stream.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
    stream.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** True once the stream ended or failed. */
  get ended(): boolean {
    return this.#ended || this.#error !== undefined;
  }

  /** The next message; rejects when the stream ends first (or after `ms`). */
  async next(ms = 10_000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const m = this.#messages.shift();
      if (m !== undefined) return m;
      if (this.#error) throw this.#error;
      if (this.#ended) throw new Error('the stream ended before a message');
      const left = end - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the stream has ended (or failed); rejects after `ms`. */
  async closed(ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.ended) {
      const left = end - Date.now();
      if (left <= 0) throw new Error('timed out waiting for the stream to end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(xml: string): void {
    this.stream.write(`${xml}${EOM}`);
  }

  /** Read the server's hello, send ours (base:1.0); returns the server's hello. */
  async hello(): Promise<string> {
    const hello = await this.next();
    this.send(CLIENT_HELLO);
    return hello;
  }

  /** Send `<rpc>` with `body` and return the reply. */
  async rpc(body: string): Promise<string> {
    const id = ++this.#messageId;
    this.send(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="${id}">${body}</rpc>`);
    return this.next();
  }
}

/** The session-id of a server hello. */
export function sessionIdOf(hello: string): number | undefined {
  const m = /<session-id>(\d+)<\/session-id>/.exec(hello);
  return m ? Number(m[1]) : undefined;
}

/**
 * A TLS client connection (Node's own `tls.connect`); resolves once the client's handshake is done
 * (with TLS 1.3 the server may still refuse the certificate after that), rejects on a handshake error.
 */
export async function tlsClient(options: ConnectionOptions): Promise<{ socket: TLSSocket; nc: RawNetconf }> {
  const socket = tlsConnect({ host: '127.0.0.1', ...options });
  const nc = new RawNetconf(socket);
  await Promise.race([
    once(socket, 'secureConnect'),
    once(socket, 'close').then(() => {
      throw new Error('closed during the handshake');
    }),
  ]);
  return { socket, nc };
}

/**
 * Whether a TLS client is refused: the handshake fails, or the connection ends without a
 * hello (TLS 1.3: the server checks the certificate after the client's handshake finished).
 */
export async function refused(options: ConnectionOptions): Promise<{ refused: boolean; error: string | undefined }> {
  const socket = tlsConnect({ host: '127.0.0.1', ...options });
  const nc = new RawNetconf(socket);
  try {
    await nc.next(10_000);
    socket.destroy();
    return { refused: false, error: undefined };
  } catch (err) {
    socket.destroy();
    return { refused: true, error: (err as Error & { code?: string }).code ?? (err as Error).message };
  }
}
