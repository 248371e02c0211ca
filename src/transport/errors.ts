import { TransportError } from '../errors.js';
import type { HostKeyInfo } from './host-key.js';

/**
 * The session ended while it was in use: the server closed the channel or died, or the
 * connection dropped.
 *
 * `inBuf` holds the bytes received but not yet forming a whole message (a reply cut off
 * mid-way), `outBuf` what was queued for sending but not sent, when known.
 */
export class SessionCloseError extends TransportError {
  readonly inBuf: string;
  readonly outBuf: string | undefined;

  constructor(inBuf = '', outBuf?: string, message?: string, options?: ErrorOptions) {
    let text = message ?? 'Unexpected session close';
    if (inBuf) text += ` (${inBuf.length} bytes of an unfinished message received)`;
    if (outBuf) text += ` (${outBuf.length} bytes left unsent)`;
    super(text, options);
    this.inBuf = inBuf;
    this.outBuf = outBuf;
  }
}

/**
 * `connect()` was aborted through its `signal` before the session was established: what it had
 * opened (connections, jump hosts, a proxy command) is closed. `cause` is the signal's reason.
 */
export class ConnectAbortedError extends TransportError {}

/** The peer broke the NETCONF framing (RFC 6242): a bad chunk header, an oversized message. */
export class NetconfFramingError extends TransportError {}

/**
 * Which jump host an error is about: the SSH connection to jump host number `index` (0 = the
 * first one connected, which the client reaches directly) of a `proxyJump` chain.
 */
export interface HopInfo {
  /** 0-based position in the chain of jump hosts. */
  readonly index: number;
  /** The host connected to (after ssh_config's `HostName`). */
  readonly host: string;
  readonly port: number;
}

/** Options of the SSH-layer errors: the standard `cause`, and the jump host concerned. */
export interface SSHErrorOptions extends ErrorOptions {
  /** Set when the error is about a jump host rather than the NETCONF server. */
  hop?: HopInfo;
}

/** An error of the SSH layer: connection, key exchange, channel or subsystem. */
export class SSHError extends TransportError {
  /** The jump host the error is about; undefined when it is about the NETCONF server itself. */
  readonly hop: HopInfo | undefined;

  constructor(message: string, options?: SSHErrorOptions) {
    super(message, options);
    this.hop = options?.hop;
  }
}

/**
 * The `proxyCommand` (or ssh_config's `ProxyCommand`) ended before the SSH connection over it was
 * established. Carries its exit status and the end of what it wrote to stderr.
 */
export class ProxyCommandError extends TransportError {
  /** Exit code, or null when it was ended by a signal. */
  readonly exitCode: number | null;
  /** The signal that ended it, if any. */
  readonly signal: string | null;
  /** The last lines of its standard error (at most 2 KB). */
  readonly stderr: string;

  constructor(message: string, exitCode: number | null, signal: string | null, stderr: string, options?: ErrorOptions) {
    super(message, options);
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderr = stderr;
  }
}

/** Why a host key was refused. */
export type HostKeyRejection = 'unknown' | 'changed' | 'revoked';

/**
 * The server's host key was not accepted: unknown and refused by the `unknownHostCb`, different
 * from the key known for that host, or revoked (`reason` says which).
 */
export class SSHUnknownHostError extends SSHError {
  /** The host whose key was refused: the name as given to `connect()` (or the jump host's). */
  readonly host: string;
  /** Its port, when known. */
  readonly port: number | undefined;
  /** MD5 fingerprint of the key the server presented, colon-delimited hex. */
  readonly fingerprint: string;
  readonly reason: HostKeyRejection;
  /** The key the server presented: type, MD5 and SHA256 fingerprints, blob (when known). */
  readonly hostKey: HostKeyInfo | undefined;

  constructor(host: string, fingerprint: string, reason: HostKeyRejection = 'unknown', message?: string, hostKey?: HostKeyInfo, options?: SSHErrorOptions & { port?: number }) {
    super(message ?? SSHUnknownHostError.describe(host, fingerprint, reason, hostKey), options);
    this.host = host;
    this.port = options?.port;
    this.fingerprint = fingerprint;
    this.reason = reason;
    this.hostKey = hostKey;
  }

  private static describe(host: string, fingerprint: string, reason: HostKeyRejection, hostKey: HostKeyInfo | undefined): string {
    const key = hostKey ? `${hostKey.type} ${hostKey.sha256}, MD5:${fingerprint}` : `MD5:${fingerprint}`;
    switch (reason) {
      case 'changed':
        return `Host key for ${host} has CHANGED (server presented ${key}, which differs from the known key): refusing to connect`;
      case 'revoked':
        return `Host key for ${host} is marked @revoked in known_hosts (${key}): refusing to connect`;
      default:
        return `Unknown host key for ${host} (${key}): not in known_hosts and not accepted by unknownHostCb`;
    }
  }
}

/** SSH authentication failed: every method tried was refused. Never carries a password. */
export class AuthenticationError extends TransportError {
  /** The jump host that refused; undefined when the NETCONF server did. */
  readonly hop: HopInfo | undefined;

  constructor(message: string, options?: SSHErrorOptions) {
    super(message, options);
    this.hop = options?.hop;
  }
}

/**
 * Why a TLS connection failed:
 * - the server's certificate: `'unknown-ca'` (not signed by a trusted CA), `'self-signed'`,
 *   `'expired'`, `'not-yet-valid'`, `'name-mismatch'` (not issued for the host or `servername`),
 *   `'fingerprint-mismatch'` (not the pinned certificate), `'bad-certificate'` (unusable);
 * - the server refused us: `'certificate-required'` (we gave no client certificate),
 *   `'protocol-version'` (no TLS version in common), `'alert'` (another TLS alert: see
 *   {@link TLSError.alert});
 * - `'handshake'` (any other handshake failure, or the server hung up before the hello without an
 *   alert), `'connection-reset'` (the connection was reset during the handshake or the hello).
 */
export type TLSFailure =
  | 'unknown-ca'
  | 'self-signed'
  | 'expired'
  | 'not-yet-valid'
  | 'name-mismatch'
  | 'fingerprint-mismatch'
  | 'bad-certificate'
  | 'certificate-required'
  | 'protocol-version'
  | 'alert'
  | 'handshake'
  | 'connection-reset';

/**
 * A NETCONF-over-TLS connection (RFC 7589) failed: the server's certificate was refused, the
 * server refused ours (a TLS alert, which with TLS 1.3 can arrive after the handshake, during the
 * hello), no protocol version in common … Never carries a private key or passphrase.
 */
export class TLSError extends TransportError {
  readonly reason: TLSFailure;
  /** The TLS alert the server sent, when one arrived (`'certificate required'`, `'unknown ca'` …). */
  readonly alert: string | undefined;
  /** Node's / OpenSSL's error code, when there was one (`'CERT_HAS_EXPIRED'`, `'ECONNRESET'` …). */
  readonly code: string | undefined;

  constructor(message: string, reason: TLSFailure, options?: ErrorOptions & { alert?: string | undefined; code?: string | undefined }) {
    super(message, options);
    this.reason = reason;
    this.alert = options?.alert;
    this.code = options?.code;
  }
}

/** The hello exchange failed: no hello in time, a hello without session-id or base capability. */
export class HelloError extends TransportError {}
