/**
 * Devices for fleet tests, all on loopback: simulators (each serving any number of device names:
 * every connection is its own SSH session), and faulty TCP endpoints that are not NETCONF
 * devices at all: a port that refuses, a server that accepts and never answers, one that
 * answers garbage.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { FleetTarget } from '../../src/fleet/index.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';

export const USER = 'admin';
export const PASSWORD = 'fleet-secret-pw';
export const PASSWORD_ENV = 'FLEET_TEST_PASSWORD';

/** A simulator accepting {@link USER} / {@link PASSWORD}. */
export function startDevice(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ users: [{ username: USER, password: PASSWORD }], config: '<config><system xmlns="urn:example:system"><hostname>sim</hostname></system></config>', ...options });
}

/** Options every test target shares: no agent, no key files, no ssh_config, no host-key check. */
export const BASE_OPTIONS = { username: USER, allowAgent: false, lookForKeys: false, sshConfig: false, hostkeyVerify: false } as const;

/** A target named `name` on a port of 127.0.0.1, with the password by reference. */
export function target(name: string, port: number, extra: Partial<FleetTarget> = {}): FleetTarget {
  return { name, host: '127.0.0.1', port, ...BASE_OPTIONS, passwordEnv: PASSWORD_ENV, timeout: 10, ...extra } as FleetTarget;
}

/** A TCP server that misbehaves: `hang` accepts and says nothing; `garbage` sends an SSH banner, then junk, and waits. */
export interface FaultyServer {
  port: number;
  close(): Promise<void>;
}

export async function startFaultyServer(kind: 'hang' | 'garbage'): Promise<FaultyServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // read (and drop) what comes: the client's close is then seen
    // an SSH banner, then bytes that are no SSH packet
    if (kind === 'garbage') socket.write(Buffer.concat([Buffer.from('SSH-2.0-Garbage\r\n'), Buffer.alloc(64, 0xff)]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Handles of this process by type (`TCPSocketWrap`, `Timeout` …), for leak checks. */
export function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Wait until the handle counts are back to at most `before` (sockets close asynchronously). */
export async function settledHandles(before: Record<string, number>, ms = 5000): Promise<Record<string, number>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = handleCounts();
    const extra = Object.entries(now).filter(([type, n]) => n > (before[type] ?? 0));
    if (extra.length === 0 || Date.now() > deadline) return Object.fromEntries(extra);
    await new Promise((r) => setTimeout(r, 50));
  }
}
