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

/** The peer broke the NETCONF framing (RFC 6242): a bad chunk header, an oversized message. */
export class NetconfFramingError extends TransportError {}

/** An error of the SSH layer: connection, key exchange, channel or subsystem. */
export class SSHError extends TransportError {}

/** Why a host key was refused. */
export type HostKeyRejection = 'unknown' | 'changed' | 'revoked';

/**
 * The server's host key was not accepted: unknown and refused by the `unknownHostCb`, different
 * from the key known for that host, or revoked (`reason` says which).
 */
export class SSHUnknownHostError extends SSHError {
  /** The host name as given to `connect()`. */
  readonly host: string;
  /** MD5 fingerprint of the key the server presented, colon-delimited hex. */
  readonly fingerprint: string;
  readonly reason: HostKeyRejection;
  /** The key the server presented: type, MD5 and SHA256 fingerprints, blob (when known). */
  readonly hostKey: HostKeyInfo | undefined;

  constructor(host: string, fingerprint: string, reason: HostKeyRejection = 'unknown', message?: string, hostKey?: HostKeyInfo) {
    super(message ?? SSHUnknownHostError.describe(host, fingerprint, reason, hostKey));
    this.host = host;
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
export class AuthenticationError extends TransportError {}

/** The hello exchange failed: no hello in time, a hello without session-id or base capability. */
export class HelloError extends TransportError {}
