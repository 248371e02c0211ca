/**
 * From a {@link FleetTarget} to the options of `connect()`: the fleet's own fields removed, the
 * secrets given by reference read from the environment (at the moment the device is contacted,
 * on the machine that contacts it), the timeout bounded by the per-device limit.
 * @module
 */
import type { ConnectOptions, ConnectTLSOptions } from '../index.js';
import { InventoryError } from './errors.js';
import type { FleetTarget } from './target.js';

/** The options to connect with, and the secret values (to scrub from any message). */
export interface ResolvedTarget {
  options: ConnectOptions | ConnectTLSOptions;
  secrets: string[];
}

/**
 * Resolve a target's connection options.
 * @param env - where `passwordEnv` / `passphraseEnv` are read
 * @param limit - the per-device time limit in seconds, if any: the connect timeout does not exceed it
 */
export function resolveTarget(target: FleetTarget, env: NodeJS.ProcessEnv, limit?: number): ResolvedTarget {
  const { name, groups, vars, passwordEnv, passphraseEnv, ...rest } = target;
  void name;
  void groups;
  void vars;
  const secrets: string[] = [];
  const read = (variable: string, what: string): string => {
    const value = env[variable];
    if (value === undefined) throw new InventoryError(`${what}: the environment variable ${variable} is not set`);
    secrets.push(value);
    return value;
  };
  if (rest.transport === 'tls') {
    const options: ConnectTLSOptions = { ...rest, tls: { ...rest.tls } };
    if (passphraseEnv !== undefined) options.tls.passphrase = read(passphraseEnv, 'passphraseEnv');
    if (options.tls.passphrase) secrets.push(options.tls.passphrase);
    if (limit !== undefined) options.timeout = Math.min(options.timeout ?? limit, limit);
    return { options, secrets };
  }
  const options: ConnectOptions = { ...rest } as ConnectOptions;
  if (passwordEnv !== undefined) options.password = read(passwordEnv, 'passwordEnv');
  else if (options.password) secrets.push(options.password);
  if (limit !== undefined) options.timeout = Math.min(options.timeout ?? limit, limit);
  return { options, secrets };
}
