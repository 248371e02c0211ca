/**
 * The options of a NETCONF-over-TLS connection (RFC 7589), and the IANA ports of NETCONF over TLS
 * and of Call Home (RFC 8071).
 * @module
 */
import type { Duplex } from 'node:stream';
import type { SessionOptions } from './session.js';

/** The IANA port of NETCONF over TLS (RFC 7589). */
export const NETCONF_TLS_PORT = 6513;
/** The IANA port a NETCONF client listens on for devices calling home over SSH (RFC 8071). */
export const CALL_HOME_SSH_PORT = 4334;
/** The IANA port a NETCONF client listens on for devices calling home over TLS (RFC 8071). */
export const CALL_HOME_TLS_PORT = 4335;

/** A client's TLS identity and what it trusts; PEM contents, as Node's `tls.connect` takes them. */
export interface TLSCredentials {
  /** The client certificate (chain), PEM. RFC 7589 servers require one. */
  cert?: string | Buffer;
  /** Its private key, PEM. Never logged or put in an error. */
  key?: string | Buffer;
  /** The passphrase of an encrypted `key`. Never logged or put in an error. */
  passphrase?: string;
  /** CA certificate(s) the server's certificate must chain to; default Node's (Mozilla's) list. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /**
   * The name the server's certificate must be issued for (and, unless an IP address, the SNI sent);
   * default the host connected to.
   */
  servername?: string;
  /** Lowest TLS version accepted; default and minimum `'TLSv1.2'`. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /**
   * Pin: the SHA-256 fingerprint of the server's certificate (hex, colons optional, any case, as
   * `openssl x509 -fingerprint -sha256` prints it). With `ca` the certificate must pass both;
   * without `ca` the pin alone decides (a device's self-signed certificate).
   */
  fingerprint?: string;
}

/** Options of `TLSSession.connect()`. Timeouts are in seconds. */
export interface TLSConnectOptions extends SessionOptions {
  /** Host name or address of the server. */
  host: string;
  /** TCP port; default 6513. */
  port?: number;
  /**
   * Seconds allowed for the TCP connection and the TLS handshake; also bounds the hello exchange
   * unless {@link SessionOptions.helloTimeout} is given. Default 30.
   */
  timeout?: number;
  tls: TLSCredentials;
  /** An already connected socket to run TLS over (call home: the socket the device opened). */
  sock?: Duplex;
  /** Receives one line per connection step (never a key or passphrase). */
  log?: (line: string) => void;
}
