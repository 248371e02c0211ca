/**
 * NETCONF Call Home (RFC 8071), the client's side: listen on a TCP port, and on each connection a
 * device opens, play the SSH client or the TLS client (RFC 8071 §3–4) exactly as for an outgoing
 * connection: the device is identified by the key or certificate it presents, never trusted for
 * having dialled in.
 * @module
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { debuglog } from 'node:util';
import type { Session } from './session.js';
import { SSHSession } from './ssh.js';
import type { SSHConnectOptions } from './ssh-options.js';
import { CALL_HOME_SSH_PORT, CALL_HOME_TLS_PORT, type TLSConnectOptions } from './tls-options.js';
import { TLSSession } from './tls.js';

const debug = debuglog('netconf');

/** Who called in. */
export interface CallHomeDevice {
  /** The address the connection came from. */
  address: string;
  /** Its source port (means nothing for identification). */
  port: number;
  /** The name the device was checked under: its host key in known_hosts, its certificate's name. */
  deviceName: string;
  /** SSH: the SHA256 fingerprint of the host key it presented (OpenSSH form). */
  fingerprint?: string;
  /** TLS: the subject of its certificate (`CN=…, O=…`). */
  subject?: string;
}

/** Call home over SSH: the options of an SSH connection, but the device provides the socket. */
export interface CallHomeSSHOptions extends Omit<SSHConnectOptions, 'host' | 'port' | 'sock' | 'proxyJump' | 'proxyCommand' | 'sshConfig' | 'hostKeyAlias'> {
  transport: 'ssh';
}

/** Call home over TLS: the options of a TLS connection, but the device provides the socket. */
export interface CallHomeTLSOptions extends Omit<TLSConnectOptions, 'host' | 'port' | 'sock'> {
  transport: 'tls';
}

/** Where to listen, and how to name the devices that call in. */
export interface CallHomeListenOptions {
  /** Address to listen on; default all (`::` / `0.0.0.0`). */
  host?: string;
  /** Port to listen on; default 4334 for SSH, 4335 for TLS; 0 for any free port. */
  port?: number;
  /**
   * The name a device is checked under, from the address it came from: SSH looks its host key up
   * in known_hosts under this name (a plain `NAME` entry, as for port 22: the source port means
   * nothing); TLS verifies its certificate against it. Default: the address itself.
   */
  deviceName?: (address: string, port: number) => string | Promise<string>;
  /** Client capabilities to advertise; default base:1.0 and base:1.1. */
  capabilities?: Iterable<string>;
}

/** What {@link CallHomeServer} hands over for each accepted device. */
export type CallHomeSessionHandler = (session: Session, device: CallHomeDevice) => void;

/** The events of a {@link CallHomeServer}. */
export interface CallHomeServerEvents {
  /** A device called in and was dropped: failed host-key / certificate check, authentication, hello. */
  rejected: [{ address: string; port: number; error: Error }];
}

/**
 * A TCP listener for devices calling home: each connection becomes a connected {@link Session}
 * (SSH or TLS), given to the handler; a device that fails is dropped and `'rejected'` emitted,
 * and the listener goes on.
 */
export class CallHomeServer extends EventEmitter<CallHomeServerEvents> {
  readonly #server: Server;
  readonly #pending = new Set<Session>();

  private constructor(server: Server) {
    super();
    this.#server = server;
  }

  /** Start listening. */
  static async listen(options: (CallHomeSSHOptions | CallHomeTLSOptions) & CallHomeListenOptions, onSession: CallHomeSessionHandler): Promise<CallHomeServer> {
    if (options.transport !== 'ssh' && options.transport !== 'tls') throw new TypeError(`transport must be 'ssh' or 'tls', got ${String((options as { transport?: unknown }).transport)}`);
    const port = options.port ?? (options.transport === 'tls' ? CALL_HOME_TLS_PORT : CALL_HOME_SSH_PORT);
    const server = createServer();
    const listener = new CallHomeServer(server);
    server.on('connection', (socket) => void listener.#accept(socket, options, onSession));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, ...(options.host === undefined ? {} : { host: options.host }) }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return listener;
  }

  /** The port listened on (useful with `port: 0`). */
  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** The address listened on. */
  get address(): string {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.address : '';
  }

  /** Stop listening, and drop devices whose session is still being set up. Sessions already handed over are the handler's. */
  async close(): Promise<void> {
    // stops accepting at once; its callback would wait for every accepted connection to end
    if (this.#server.listening) this.#server.close();
    await Promise.all([...this.#pending].map((session) => session.close()));
  }

  async #accept(socket: Socket, options: (CallHomeSSHOptions | CallHomeTLSOptions) & CallHomeListenOptions, onSession: CallHomeSessionHandler): Promise<void> {
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const port = socket.remotePort ?? 0;
    socket.on('error', (err) => debug('call home from %s:%d: %s', address, port, err.message));
    let session: Session | undefined;
    try {
      const deviceName = options.deviceName ? await options.deviceName(address, port) : address;
      if (typeof deviceName !== 'string' || deviceName === '') throw new TypeError(`deviceName() gave no name for ${address}`);
      const device: CallHomeDevice = { address, port, deviceName };
      if (options.transport === 'ssh') {
        const { transport: _transport, capabilities, deviceName: _name, host: _host, port: _port, ...ssh } = options;
        const sshSession = new SSHSession(capabilities);
        session = sshSession;
        this.#pending.add(sshSession);
        await sshSession.connect({ ...ssh, host: address, port, sock: socket, sshConfig: false, hostKeyAlias: deviceName });
        const key = sshSession.hostKey;
        if (key) device.fingerprint = key.sha256;
      } else {
        const { transport: _transport, capabilities, deviceName: _name, host: _host, port: _port, ...tls } = options;
        const tlsSession = new TLSSession(capabilities);
        session = tlsSession;
        this.#pending.add(tlsSession);
        await tlsSession.connect({ ...tls, host: address, port, sock: socket, tls: { ...tls.tls, servername: tls.tls.servername ?? deviceName } });
        const subject = tlsSession.peerCertificate?.subject;
        if (subject) device.subject = Object.entries(subject).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      }
      this.#pending.delete(session);
      if (!this.#server.listening) {
        await session.close();
        return;
      }
      onSession(session, device);
    } catch (error) {
      if (session) {
        this.#pending.delete(session);
        await session.close();
      }
      socket.destroy();
      this.emit('rejected', { address, port, error: error as Error });
    }
  }
}
