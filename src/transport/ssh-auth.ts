/**
 * The SSH authentication attempts of one connection, in ncclient's order: the named private keys
 * first, then the agent, then the default key files, then the password (`password`, then
 * `keyboard-interactive`). Named keys come before the agent so that an agent holding many keys
 * cannot use up the server's `MaxAuthTries` before the right key is offered; `IdentitiesOnly`
 * leaves only the named keys (and the password).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod } from 'ssh2';
import { SSHError, type HopInfo } from './errors.js';

const { utils } = ssh2;

/** The default key files, tried (when they exist) after the named keys and the agent. */
const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** A private key file to offer. */
export interface KeyFile {
  path: string;
  /** True for a key the caller named: unreadable is an error. False (ssh_config's `IdentityFile`): skipped, as OpenSSH does. */
  required: boolean;
}

/** What one connection may authenticate with. */
export interface SSHAuthOptions {
  /** Password, also the passphrase of encrypted keys. */
  password: string | undefined;
  keyFiles: readonly KeyFile[];
  /** Agent socket, or undefined for none. */
  agent: string | undefined;
  /** Offer only {@link keyFiles} (no agent, no default key files). */
  identitiesOnly: boolean;
  /** Offer `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa` when they exist. */
  lookForKeys: boolean;
}

/** One authentication attempt, described without secrets. */
export interface AuthAttempt {
  /** For messages: `publickey FILE`, `agent`, `password` … */
  label: string;
  next(username: string): AnyAuthMethod;
}

/**
 * The attempts to make, in order.
 * @param notes - receives one line per key skipped (never a secret)
 * @throws - {@link SSHError} when a key the caller named cannot be read or decoded
 */
export function authAttempts(options: SSHAuthOptions, hop: HopInfo | undefined, notes: (line: string) => void): AuthAttempt[] {
  const attempts: AuthAttempt[] = [];
  const { password } = options;
  const offered = new Set<string>();
  const offerKey = (file: string, required: boolean): void => {
    if (offered.has(file)) return;
    offered.add(file);
    let key: Buffer;
    try {
      key = readFileSync(file);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (required) throw new SSHError(`Cannot read private key ${file}: ${why}`, hop ? { hop } : undefined);
      notes(`skipping identity file ${file}: ${why}`);
      return;
    }
    const parsed = utils.parseKey(key, password);
    if (parsed instanceof Error) {
      if (required) throw new SSHError(`Cannot load private key ${file}: ${parsed.message}`, hop ? { hop } : undefined);
      notes(`skipping identity file ${file}: ${parsed.message}`);
      return;
    }
    attempts.push({
      label: `publickey ${file}`,
      next: (username) => (password === undefined ? { type: 'publickey', username, key } : { type: 'publickey', username, key, passphrase: password }),
    });
  };

  for (const { path, required } of options.keyFiles) offerKey(path, required);
  if (!options.identitiesOnly) {
    const { agent } = options;
    if (agent) attempts.push({ label: 'agent', next: (username) => ({ type: 'agent', username, agent }) });
    if (options.lookForKeys) {
      for (const name of DEFAULT_KEY_FILES) {
        const file = join(homedir(), '.ssh', name);
        if (existsSync(file)) offerKey(file, false); // absent default keys are simply not tried
      }
    }
  }
  if (password !== undefined) {
    attempts.push({ label: 'password', next: (username) => ({ type: 'password', username, password }) });
    attempts.push({
      label: 'keyboard-interactive',
      next: (username) => ({
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
      }),
    });
  }
  return attempts;
}
