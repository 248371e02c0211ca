import type { Duplex } from 'node:stream';
import { Session, type SessionOptions } from './session.js';

/**
 * A NETCONF session over a stream you already have: a Unix socket, a TLS socket, a channel you
 * opened yourself, or a pair of in-memory streams in a test.
 *
 * ```ts
 * const session = new StreamSession();
 * await session.connect(net.connect('/var/run/netconf.sock'), 'unix:/var/run/netconf.sock');
 * ```
 */
export class StreamSession extends Session {
  #stream: Duplex | undefined;

  /**
   * Run the hello exchange on `stream`.
   * @param peer - how to name the other end in error messages
   */
  connect(stream: Duplex, peer = 'stream', options: SessionOptions = {}): Promise<void> {
    this.#stream = stream;
    return this.startSession(stream, peer, options);
  }

  protected override closeTransport(): Promise<void> {
    const stream = this.#stream;
    if (!stream || stream.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.destroy();
    });
  }
}
