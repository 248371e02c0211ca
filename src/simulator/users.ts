/**
 * The users a simulator accepts (kept apart from the authentication code so that the public
 * types do not depend on ssh2's).
 * @module
 */

/** A user the simulator accepts. */
export interface SimulatorUser {
  username: string;
  /** Accepted with the `password` and `keyboard-interactive` methods. */
  password?: string;
  /**
   * Public keys accepted for this user: OpenSSH public key lines (`ssh-ed25519 AAAA… comment`),
   * or the text of an `authorized_keys` file (one key a line; `#` comments and options before
   * the key type are allowed), as strings or Buffers.
   */
  authorizedKeys?: string | Buffer | ReadonlyArray<string | Buffer>;
}
