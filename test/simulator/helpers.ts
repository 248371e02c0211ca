/**
 * Shared helpers of the simulator tests: start a simulator, connect the project's own client to
 * it trusting the simulator's host key by fingerprint.
 */
import { connect, type ConnectOptions, type Manager } from '../../src/manager.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { SSHSession } from '../../src/transport/ssh.js';

export const USER = 'admin';
export const PASSWORD = 'sim-password';
export const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
export const NC_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/**
 * The files of the modules a schema-aware simulator adds of its own (the package's yang/
 * directory) when its yangDir lacks them: what a client fetching every module of its YANG
 * library gets besides the directory's, sorted.
 */
export const OWN_MODULE_FILES = [
  'ietf-datastores@2018-02-14.yang',
  'ietf-inet-types@2013-07-15.yang',
  'ietf-netconf-monitoring@2010-10-04.yang',
  'ietf-netconf-nmda@2019-01-07.yang',
  'ietf-netconf-notifications@2012-02-06.yang',
  'ietf-netconf-with-defaults@2011-06-01.yang',
  'ietf-netconf@2011-06-01.yang',
  'ietf-origin@2018-02-14.yang',
  'ietf-yang-library@2019-01-04.yang',
  'ietf-yang-metadata@2016-08-05.yang',
  'ietf-yang-types@2013-07-15.yang',
];

/** A simulator with the default user and `options`. */
export function startSim(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ users: [{ username: USER, password: PASSWORD }], ...options });
}

/**
 * Connect with password auth, accepting only the simulator's host key.
 *
 * TCP_NODELAY is turned on for the client's socket: the client writes each message in two or
 * three pieces (framing, body, trailer), each its own SSH packet, and with Nagle's algorithm
 * every RPC then waits ~40 ms for a delayed ACK, which would make these tests slow.
 */
export async function connectTo(sim: Simulator, options: Partial<ConnectOptions> = {}): Promise<Manager> {
  const m = await connect({
    host: '127.0.0.1',
    port: sim.port,
    username: USER,
    password: PASSWORD,
    allowAgent: false,
    lookForKeys: false,
    unknownHostCb: (_host, fingerprint) => fingerprint === sim.hostKey.md5,
    // generous: a loaded CI machine can take seconds for an SSH handshake
    timeout: 30,
    rpcTimeout: 30,
    ...options,
  });
  if (m.session instanceof SSHSession) m.session.transport?.setNoDelay(true);
  return m;
}

/** `<interfaces>` with the given `<interface>` entries (name → mtu). */
export function interfaces(entries: Record<string, number>): string {
  const items = Object.entries(entries)
    .map(([name, mtu]) => `<interface><name>${name}</name><mtu>${mtu}</mtu></interface>`)
    .join('');
  return `<interfaces xmlns="${IF_NS}">${items}</interfaces>`;
}

/** Wait until `check` is true (polling), or fail after `ms`. */
export async function waitFor(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
