/**
 * The options of an SSH connection ({@link SSHConnectOptions}) and of a jump host
 * ({@link JumpHostOptions}).
 * @module
 */
import type { Duplex } from 'node:stream';
import type { StrictHostKeyChecking, UnknownHostCallback } from './host-key-policy.js';
import type { SessionOptions } from './session.js';

/** The IANA port of NETCONF over SSH (RFC 6242). */
export const NETCONF_SSH_PORT = 830;

/** How to reach and authenticate to one SSH server; what a jump host and the NETCONF server share. */
export interface SSHHostOptions {
  /** Host name, address, or a `Host` alias of the ssh_config file. */
  host: string;
  /** TCP port; default ssh_config's `Port`, else 830 for the NETCONF server and 22 for a jump host. */
  port?: number;
  /** User name; default ssh_config's `User`, else the user running the process. */
  username?: string;
  /**
   * Password for `password` and `keyboard-interactive` authentication, and the passphrase of
   * encrypted private keys. Never logged or put in an error message. Not offered to jump hosts
   * given by name: a jump host gets a password only in its own {@link JumpHostOptions}.
   */
  password?: string;
  /** Private key file(s) to authenticate with, tried first, in order (any type OpenSSH writes). */
  keyFilename?: string | readonly string[];
  /** Offer only the named keys ({@link keyFilename}, ssh_config's `IdentityFile`): no agent, no default key files. Default ssh_config's `IdentitiesOnly`, else false. */
  identitiesOnly?: boolean;
  /** Use the SSH agent (at {@link agent}, ssh_config's `IdentityAgent` or `SSH_AUTH_SOCK`); default true. */
  allowAgent?: boolean;
  /** Path of the agent socket (Windows: `pageant` or a pipe name); default ssh_config's `IdentityAgent`, else `SSH_AUTH_SOCK`. */
  agent?: string;
  /** Try `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa` when they exist; default true. */
  lookForKeys?: boolean;
  /**
   * Accept exactly this host key and no other (ncclient's `hostkey_b64`): the base64 key blob as
   * in a known_hosts line, optionally preceded by its type (`ssh-ed25519 AAAA…`). known_hosts is
   * then not consulted.
   */
  hostkeyB64?: string;
  /** Name to look the host key up under in known_hosts instead of the host (ssh_config's `HostKeyAlias`). */
  hostKeyAlias?: string;
  /**
   * Seconds allowed for the TCP connection, the SSH handshake and authentication (and, for the
   * NETCONF server, the hello exchange unless {@link SessionOptions.helloTimeout} is given).
   * Default ssh_config's `ConnectTimeout`, else 30.
   */
  timeout?: number;
}

/**
 * A jump host of {@link SSHConnectOptions.proxyJump} given as an object. Its name is looked up in
 * the ssh_config file like any host; these fields beat the file. Host-key checking follows the
 * NETCONF server's options (`hostkeyVerify`, `unknownHostCb`, `strictHostKeyChecking`,
 * `knownHostsFile`) unless {@link SSHHostOptions.hostkeyB64} pins this host's key.
 */
export type JumpHostOptions = SSHHostOptions;

/** Options of `SSHSession.connect()`. Timeouts are in seconds, as in ncclient. */
export interface SSHConnectOptions extends SSHHostOptions, SessionOptions {
  /**
   * The OpenSSH client configuration file to resolve {@link host} (and each jump host) with:
   * a path, or `false` to read none. Default `~/.ssh/config` when it exists. An option given
   * here beats the file.
   */
  sshConfig?: string | false;
  /**
   * Jump hosts to reach the server through, first one first: OpenSSH `-J` syntax
   * (`'user@bastion:22,core-gw'`, `'none'` to ignore the ssh_config's) or objects. Each is its
   * own SSH connection with its own host-key check and authentication; the next one is reached
   * through a `direct-tcpip` channel of the previous one. Default ssh_config's `ProxyJump`.
   */
  proxyJump?: string | readonly JumpHostOptions[];
  /**
   * A command whose stdin/stdout carry the connection, run with `/bin/sh -c` (`'ssh -W %h:%p
   * bastion'`; tokens `%h %p %r %n %%`; `'none'` to ignore the ssh_config's). Ended when the
   * session closes. Default ssh_config's `ProxyCommand`.
   */
  proxyCommand?: string;
  /** An already connected socket or stream to run SSH over (then no proxy is used). */
  sock?: Duplex;
  /** Verify the server's host key (known_hosts, then {@link unknownHostCb}); default true. */
  hostkeyVerify?: boolean;
  /** Called for a host key no known_hosts entry lists; default: refuse. Also asked for jump hosts. */
  unknownHostCb?: UnknownHostCallback;
  /**
   * known_hosts file(s) trusted besides the user's (ssh_config's `UserKnownHostsFile`, else
   * `~/.ssh/known_hosts`). Ignored when known_hosts files were loaded with
   * `SSHSession.loadKnownHosts()` before connecting.
   */
  knownHostsFile?: string | readonly string[];
  /**
   * What to do with a host key no known_hosts file lists (see {@link StrictHostKeyChecking}).
   * Default ssh_config's `StrictHostKeyChecking` (`ask` counts as `yes`), else `'yes'`.
   */
  strictHostKeyChecking?: StrictHostKeyChecking;
  /**
   * Honour `StrictHostKeyChecking no` from the ssh_config file. Without this opt-in such a line
   * makes `connect()` fail with an error saying so: a config file alone never turns host-key
   * verification off. Default false.
   */
  allowStrictHostKeyCheckingNo?: boolean;
  /**
   * Seconds between SSH keepalive messages (ssh_config's `ServerAliveInterval`); 0 or absent:
   * none. A server that answers none of {@link keepaliveCountMax} in a row ends the session with
   * a `SessionCloseError`, after (count + 1) × interval seconds, as OpenSSH does. Jump hosts get
   * the same keepalive.
   */
  keepalive?: number;
  /** Unanswered keepalives before giving up (ssh_config's `ServerAliveCountMax`); default 3. */
  keepaliveCountMax?: number;
  /**
   * Receives one line per connection step: the ssh_config file and keywords used, each jump host
   * connecting and authenticated, the proxy command started. Never a password or key.
   */
  log?: (line: string) => void;
}
