import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import { debuglog } from 'node:util';
import { TransportError } from '../errors.js';
import { SessionCloseError, TLSError } from './errors.js';
import { Session } from './session.js';
import { tlsFailure } from './tls-failure.js';
import { NETCONF_TLS_PORT, type TLSConnectOptions } from './tls-options.js';

const debug = debuglog('netconf');

/** A SHA-256 fingerprint in Node's form (`AB:CD:…`), from any usual spelling. */
function normalizeFingerprint(text: string): string {
  const hex = text.replace(/^sha256:/i, '').replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new TypeError('tls.fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons optional');
  return hex.match(/../g)?.join(':') ?? hex;
}

/**
 * A NETCONF session over TLS (RFC 7589): mutual TLS (the client presents its certificate, the
 * server's is verified against `ca` and the host name), TLS 1.2 at least, then the same framing,
 * hello and messages as over SSH.
 *
 * ```ts
 * const session = new TLSSession();
 * await session.connect({ host: 'router1', tls: { cert, key, ca } });
 * ```
 */
export class TLSSession extends Session {
  #socket: TLSSocket | undefined;

  /** The TLS socket; undefined before `connect()`. */
  get transport(): TLSSocket | undefined {
    return this.#socket;
  }

  /** The server's certificate, once the handshake is done. */
  get peerCertificate(): PeerCertificate | undefined {
    const cert = this.#socket?.getPeerCertificate();
    return cert && Object.keys(cert).length > 0 ? cert : undefined;
  }

  /**
   * Connect (or, with `sock`, start TLS on an accepted connection), run the TLS handshake, then
   * the hello exchange.
   *
   * @throws - {@link TLSError} when TLS fails: the server's certificate refused, a TLS alert from
   *   the server (also one that arrives during the hello, as a TLS 1.3 server refusing our
   *   certificate sends it), a reset before the hello; {@link TransportError} when the TCP
   *   connection fails; {@link HelloError} for a failed hello.
   */
  async connect(options: TLSConnectOptions): Promise<void> {
    if (this.#socket) throw new TransportError('TLSSession.connect() can be called once per session');
    const { host, tls } = options;
    if (typeof host !== 'string' || host.length === 0) throw new TypeError('connect() needs a host');
    if (typeof tls !== 'object' || tls === null) throw new TypeError('connect() over TLS needs tls: { cert, key, ca … }');
    const port = options.port ?? NETCONF_TLS_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`port must be an integer from 1 to 65535, got ${String(port)}`);
    const timeout = options.timeout ?? 30;
    if (!(timeout > 0)) throw new TypeError(`timeout must be a positive number of seconds, got ${String(timeout)}`);
    const minVersion = tls.minVersion ?? 'TLSv1.2';
    if (minVersion !== 'TLSv1.2' && minVersion !== 'TLSv1.3') throw new TypeError(`tls.minVersion must be 'TLSv1.2' or 'TLSv1.3', got ${String(minVersion)}`);
    const pin = tls.fingerprint === undefined ? undefined : normalizeFingerprint(tls.fingerprint);
    const name = tls.servername ?? host;
    const where = `${host}:${port}`;
    const note = (line: string): void => {
      debug('%s', line);
      options.log?.(line);
    };

    const config: ConnectionOptions = {
      host,
      port,
      minVersion,
      // only the pin decides when it is given without a CA (a device's self-signed certificate)
      rejectUnauthorized: pin === undefined || tls.ca !== undefined,
      checkServerIdentity: (_hostname, cert) => {
        if (pin !== undefined && cert.fingerprint256 !== pin) {
          return Object.assign(new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned ${pin}`), { code: 'FINGERPRINT_MISMATCH' });
        }
        if (pin !== undefined && tls.ca === undefined) return undefined;
        return checkServerIdentity(name, cert);
      },
    };
    if (isIP(name) === 0) config.servername = name;
    if (tls.cert !== undefined) config.cert = tls.cert;
    if (tls.key !== undefined) config.key = tls.key;
    if (tls.passphrase !== undefined) config.passphrase = tls.passphrase;
    if (tls.ca !== undefined) config.ca = typeof tls.ca === 'string' || Buffer.isBuffer(tls.ca) ? tls.ca : [...tls.ca];
    if (options.sock) config.socket = options.sock;

    await this.connecting(options.signal, where, () => this.#handshakeAndHello(config, options, where, pin, timeout, note));
  }

  /** The TLS handshake (the pin checked), then the hello exchange. */
  async #handshakeAndHello(config: ConnectionOptions, options: TLSConnectOptions, where: string, pin: string | undefined, timeout: number, note: (line: string) => void): Promise<void> {
    note(`${where}: TLS handshake${options.sock ? ' on the accepted connection' : ''}`);
    let socket: TLSSocket;
    try {
      socket = tlsConnect(config);
    } catch (err) {
      // a key that does not decode (or a wrong passphrase) fails synchronously
      throw new TLSError(`Cannot use the client certificate or key (a wrong passphrase?): ${(err as Error).message}`, 'handshake', { code: (err as { code?: string }).code });
    }
    this.#socket = socket;
    // A TLS alert that arrives after the handshake (TLS 1.3 refusing our certificate) comes
    // during the hello as a socket error: kept to report a TLSError instead of a bare close.
    let lateFailure: (Error & { code?: string }) | undefined;
    const keepLate = (err: Error & { code?: string }): void => {
      lateFailure ??= err;
    };

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new TLSError(`Timed out after ${timeout} s connecting to ${where} (TCP and TLS handshake)`, 'handshake')), timeout * 1000);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        socket.off('secureConnect', done);
        socket.off('close', onClose);
        socket.destroy();
        reject(error);
      };
      const done = (): void => {
        // without a CA, Node does not call checkServerIdentity: the pin is checked here
        const presented = socket.getPeerCertificate().fingerprint256;
        if (pin !== undefined && presented !== pin) {
          fail(new TLSError(`The certificate of ${where} was refused: certificate fingerprint ${String(presented)} is not the pinned ${pin}`, 'fingerprint-mismatch', { code: 'FINGERPRINT_MISMATCH' }));
          return;
        }
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        socket.on('error', keepLate);
        resolve();
      };
      const onError = (err: Error & { code?: string }): void => {
        if (err.code === 'FINGERPRINT_MISMATCH') {
          fail(new TLSError(`The certificate of ${where} was refused: ${err.message}`, 'fingerprint-mismatch', { cause: err, code: err.code }));
        } else if (!options.sock && (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH' || err.code === 'EAI_AGAIN' || err.code === 'ETIMEDOUT')) {
          fail(new TransportError(`Could not connect to ${where}: ${err.message}`, { cause: err }));
        } else {
          fail(tlsFailure(err, where, 'handshake'));
        }
      };
      // closed with no error: destroyed here (an aborted connect()); the peer's close is an error event
      const onClose = (): void => fail(new TLSError(`The connection to ${where} closed during the TLS handshake`, 'handshake'));
      socket.once('secureConnect', done);
      socket.on('error', onError);
      socket.once('close', onClose);
    }).catch(async (err: unknown) => {
      await this.close();
      throw err;
    });
    const cert = this.peerCertificate;
    note(`${where}: ${socket.getProtocol() ?? 'TLS'} established${cert ? `, server certificate ${cert.subject?.CN ?? ''} (SHA-256 ${cert.fingerprint256})` : ''}`);
    socket.setNoDelay(true);

    try {
      await this.startSession(socket, `${where} (TLS)`, { ...options, helloTimeout: options.helloTimeout ?? timeout });
    } catch (err) {
      if (err instanceof SessionCloseError) {
        // the alert's error event can come just after the end of the stream
        if (lateFailure === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
        const cause = lateFailure ?? (err.cause as (Error & { code?: string }) | undefined);
        throw cause ? tlsFailure(cause, where, 'hello') : new TLSError(`${where} closed the connection during the hello, without a TLS alert (a server refusing the client certificate may do that)`, 'handshake', { cause: err });
      }
      throw err;
    }
  }

  protected override abortTransport(): void {
    this.#socket?.destroy();
    super.abortTransport();
  }

  protected override closeTransport(): Promise<void> {
    const socket = this.#socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 2000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}
