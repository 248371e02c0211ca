/**
 * A device of a fleet: a name, the options of `connect()` to reach it, and what the inventory
 * says about it (groups, variables, secrets by reference).
 * @module
 */
import type { ConnectOptions, ConnectTLSOptions } from '../index.js';

/** What a fleet knows about a device besides how to connect to it. */
export interface FleetTargetInfo {
  /** The device's name: unique in the fleet, used in results, `--limit` and queue jobs. */
  name: string;
  /** The inventory groups the device is in, in order (later groups beat earlier ones). */
  groups?: readonly string[];
  /** Free variables from the inventory (`vars:` of its groups and of the host), for the task. */
  vars?: Readonly<Record<string, unknown>>;
  /**
   * The environment variable holding the password (SSH), read where and when the device is
   * contacted; the value never appears in results, logs or errors.
   */
  passwordEnv?: string;
  /** The environment variable holding the passphrase of the TLS key, read when contacted. */
  passphraseEnv?: string;
}

/** A device to run a task on: `connect()`'s options (SSH or TLS) with a name. */
export type FleetTarget = (ConnectOptions & FleetTargetInfo) | (ConnectTLSOptions & FleetTargetInfo);

/** Defaults for every target (the `netconf` command's flags): any {@link FleetTarget} field but `name`. */
export type FleetDefaults = Partial<Omit<ConnectOptions & FleetTargetInfo, 'name'>> | Partial<Omit<ConnectTLSOptions & FleetTargetInfo, 'name'>>;
