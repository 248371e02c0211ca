/**
 * One SSH connection (ssh2 `Client`) to one endpoint — the NETCONF server or a jump host — with
 * its host-key check, authentication, timeout and keepalive; and a `direct-tcpip` channel through
 * a jump host to the next one.
 * @module
 */
import type { Duplex } from 'node:stream';
import ssh2, { type AnyAuthMethod, type Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { AuthenticationError, SSHError, type HopInfo } from './errors.js';
import { hostVerifier, type HostKeyPolicy } from './host-key-policy.js';
import { authAttempts, type SSHAuthOptions } from './ssh-auth.js';

const { Client: SSHClient } = ssh2;

/** Clients whose connection has closed (so that ending one does not wait for a 'close' already past). */
const closedClients = new WeakSet<Client>();

/** Everything needed to make one SSH connection. */
export interface SSHEndpoint {
  /** The name as given (an ssh_config alias, or a host name). */
  alias: string;
  host: string;
  port: number;
  username: string;
  /** Set for a jump host. */
  hop: HopInfo | undefined;
  /** Seconds for the TCP connection, the SSH handshake and authentication. */
  timeout: number;
  /** Seconds between keepalives (0: none) and how many may go unanswered. */
  keepalive: number;
  keepaliveCountMax: number;
  auth: SSHAuthOptions;
  hostKey: HostKeyPolicy;
}

/** A new ssh2 client, to hand to {@link openSSHConnection} (callers may listen to it before it connects). */
export function newClient(): Client {
  const client = new SSHClient();
  client.once('close', () => closedClients.add(client));
  return client;
}

/** How an endpoint is named in messages: `user@host:port`, prefixed with the jump host's position. */
export function endpointName(endpoint: SSHEndpoint): string {
  const where = `${endpoint.username}@${endpoint.host}:${endpoint.port}`;
  return endpoint.hop ? `jump host ${endpoint.hop.index + 1} (${where})` : where;
}

/**
 * Connect and authenticate. Over `sock` when given (a proxy command's stream, a jump host's
 * channel), else over a new TCP connection. Rejects with the typed error of the first thing that
 * failed; the client is then destroyed.
 *
 * @param note - receives progress lines (never a secret)
 */
export function openSSHConnection(endpoint: SSHEndpoint, sock: Duplex | undefined, note: (line: string) => void, client: Client = newClient()): Promise<Client> {
  const { host, port, hop, timeout, username } = endpoint;
  const name = endpointName(endpoint);
  const where = `${host}:${port}`;
  const errorOptions = hop ? { hop } : undefined;
  const attempts = authAttempts(endpoint.auth, hop, note);
  const tried: string[] = [];
  let refusal: SSHError | undefined;

  const config: ConnectConfig = {
    host,
    port,
    username,
    readyTimeout: timeout * 1000,
    hostVerifier: hostVerifier(endpoint.hostKey, endpoint, (error) => (refusal = error), note),
    keepaliveInterval: endpoint.keepalive > 0 ? endpoint.keepalive * 1000 : 0,
    keepaliveCountMax: endpoint.keepaliveCountMax,
    authHandler: (methodsLeft: string[] | null, _partialSuccess, nextAuth) => {
      // ssh2 accepts false ("no more methods") though its type declarations omit it.
      const next = nextAuth as (auth: AnyAuthMethod | false) => void;
      for (;;) {
        const attempt = attempts.shift();
        if (!attempt) return next(false);
        const auth = attempt.next(username);
        // On the first call ssh2 passes null: every method is still possible.
        if (methodsLeft && !methodsLeft.includes(auth.type === 'agent' ? 'publickey' : auth.type)) continue;
        tried.push(attempt.label);
        note(`${name}: trying ${attempt.label}`);
        return next(auth);
      }
    },
  };
  if (sock) config.sock = sock;

  const describe = (err: Error & { level?: string }): Error => {
    if (refusal) return refusal;
    const prefix = hop ? `${name}: ` : '';
    switch (err.level) {
      case 'client-authentication':
        return new AuthenticationError(`${prefix}Authentication failed for ${username}@${where} (tried: ${tried.length ? tried.join(', ') : 'no method available'})`, errorOptions);
      case 'client-timeout':
        return new SSHError(`${prefix}Timed out after ${timeout} s connecting to ${where}`, { cause: err, ...errorOptions });
      case 'client-socket':
        return new SSHError(`${prefix}Could not connect to ${where}: ${err.message}`, { cause: err, ...errorOptions });
      default:
        return new SSHError(`${prefix}SSH failure with ${where}: ${err.message}`, { cause: err, ...errorOptions });
    }
  };

  note(`${name}: connecting${sock ? ' (through the previous hop)' : ''}`);
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      client.destroy();
      reject(error);
    };
    client.on('error', (err: Error & { level?: string }) => {
      if (!settled) fail(describe(err));
    });
    client.on('close', () => {
      const prefix = hop ? `${name}: ` : '';
      fail(refusal ?? new SSHError(`${prefix}Connection to ${where} closed during the SSH handshake`, errorOptions));
    });
    client.on('ready', () => {
      settled = true;
      // NETCONF is request/response: Nagle's algorithm would hold small RPCs back for ~40 ms.
      client.setNoDelay(true);
      note(`${name}: authenticated (${tried[tried.length - 1] ?? 'none'})`);
      resolve(client);
    });
    client.connect(config);
  });
}

/** Open a `direct-tcpip` channel through the jump host `via` to `host:port`. */
export function forwardThrough(client: Client, via: SSHEndpoint, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
      if (err) reject(new SSHError(`${endpointName(via)} could not open a connection to ${host}:${port}: ${err.message}`, via.hop ? { hop: via.hop, cause: err } : { cause: err }));
      else resolve(channel);
    });
  });
}

/** End a client politely, destroying it if it has not closed within 2 s. */
export function endClient(client: Client): Promise<void> {
  if (closedClients.has(client)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.destroy();
      resolve();
    }, 2000);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.end();
  });
}
