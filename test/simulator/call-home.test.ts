/**
 * The simulator calling the client home (RFC 8071): it dials a listening test client and plays
 * the SSH or TLS server over that connection; the reconnect strategies. The client side here is
 * a bare `net.Server` with ssh2's client or Node's `tls.connect` on the accepted socket.
 */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import ssh2, { type ClientChannel } from 'ssh2';
import { generateTestPki, startSimulator, type Simulator, type SimulatorOptions, type TestPki } from '../../src/simulator/index.js';
import { interfaces, PASSWORD, USER, waitFor } from './helpers.js';
import { RawNetconf, sessionIdOf } from './raw-netconf.js';

const { Client } = ssh2;

let pki: TestPki;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-sim-callhome-'));
  pki = await generateTestPki({ dir: join(work, 'pki') });
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A listening "management station" that collects the connections the simulator makes. */
class Station {
  readonly server: Server;
  readonly sockets: Socket[] = [];
  readonly times: number[] = [];

  constructor() {
    this.server = createServer((socket) => {
      this.sockets.push(socket);
      this.times.push(Date.now());
      socket.on('error', () => undefined);
    });
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  /** The n-th accepted connection (1-based), waiting for it. */
  async accepted(n = 1, ms = 10_000): Promise<Socket> {
    await waitFor(() => this.sockets.length >= n, ms, `call-home connection #${n}`);
    return this.sockets[n - 1] as Socket;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A TCP port nothing listens on (for a moment). */
async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Play the SSH client on an accepted socket: check the host key, log in, open the netconf subsystem. */
async function sshOver(sim: Simulator, sock: Socket): Promise<{ nc: RawNetconf; end: () => void; hostKey: Buffer | undefined }> {
  const client = new Client();
  let hostKey: Buffer | undefined;
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve()).once('error', reject);
    client.connect({
      sock,
      username: USER,
      password: PASSWORD,
      hostVerifier: (key: Buffer) => {
        hostKey = key;
        return key.equals(sim.hostKey.key);
      },
    });
  });
  const channel = await new Promise<ClientChannel>((resolve, reject) => client.subsys('netconf', (err, ch) => (err ? reject(err) : resolve(ch))));
  return { nc: new RawNetconf(channel), end: () => client.end(), hostKey };
}

function sshSim(port: number, extra: Partial<SimulatorOptions> = {}, reconnect: NonNullable<SimulatorOptions['callHome']>['reconnect'] = { interval: 0.1 }): Promise<Simulator> {
  return startSimulator({ users: [{ username: USER, password: PASSWORD }], callHome: { host: '127.0.0.1', port, transport: 'ssh', reconnect }, ...extra });
}

describe('call home over SSH', () => {
  it('dials the client and serves NETCONF over SSH on the connection it opened', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await sshSim(port, { config: interfaces({ eth0: 1500 }) });
    try {
      const connected = once(sim, 'call-home-connect');
      assert.equal(sim.port, 0);
      assert.deepEqual(sim.callHome, { host: '127.0.0.1', port, transport: 'ssh' });
      const sock = await station.accepted();
      const [event] = (await connected) as [{ host: string; port: number; transport: string; attempt: number; localPort: number }];
      assert.equal(event.port, port);
      assert.equal(event.transport, 'ssh');
      assert.equal(event.attempt, 1);
      assert.equal(event.localPort, sock.remotePort);
      assert.equal(sim.knownHostsLine, `127.0.0.1 ${sim.hostKey.publicKey}`);
      const started = once(sim, 'session');
      const { nc, end, hostKey } = await sshOver(sim, sock);
      assert.ok(hostKey?.equals(sim.hostKey.key));
      const hello = await nc.hello();
      const id = sessionIdOf(hello);
      assert.ok(id);
      const [info] = (await started) as [{ id: number; callHome: boolean; transport: string; username: string }];
      assert.deepEqual([info.id, info.callHome, info.transport, info.username], [id, true, 'ssh', USER]);
      const reply = await nc.rpc('<get-config><source><running/></source></get-config>');
      assert.match(reply, /<name>eth0<\/name>/);
      end();
    } finally {
      await sim.close();
      await station.close();
    }
  });

  it('retries while the client is not listening, then connects', async () => {
    const port = await freePort();
    const sim = await sshSim(port, {}, { interval: 0.2 });
    const errors: Array<{ error: Error; final: boolean; attempt: number }> = [];
    sim.on('call-home-error', (e) => errors.push(e));
    const station = new Station();
    try {
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(errors.length >= 3, `${errors.length} failed calls in 1 s`);
      assert.ok(errors.every((e) => (e.error as Error & { code?: string }).code === 'ECONNREFUSED' && !e.final));
      await station.listen(port);
      const sock = await station.accepted(1, 5000);
      const { nc, end } = await sshOver(sim, sock);
      assert.ok(sessionIdOf(await nc.hello()));
      end();
    } finally {
      await sim.close();
      await station.close();
    }
  });

  it('gives up after maxAttempts failed calls in a row', async () => {
    const port = await freePort();
    const sim = await sshSim(port, {}, { interval: 0.05, maxAttempts: 3 });
    const errors: Array<{ final: boolean; attempt: number }> = [];
    sim.on('call-home-error', (e) => errors.push(e));
    try {
      await waitFor(() => errors.some((e) => e.final), 5000, 'the final failure');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(
        errors.map((e) => [e.attempt, e.final]),
        [
          [1, false],
          [2, false],
          [3, true],
        ],
      );
    } finally {
      await sim.close();
    }
  });

  it('persistent: calls again when the connection ends', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await sshSim(port, {}, { strategy: 'persistent', interval: 0.1 });
    try {
      const first = await sshOver(sim, await station.accepted(1));
      const id1 = sessionIdOf(await first.nc.hello());
      const ended = once(sim, 'session-end');
      await first.nc.rpc('<close-session/>');
      await ended;
      const second = await sshOver(sim, await station.accepted(2));
      const id2 = sessionIdOf(await second.nc.hello());
      assert.ok(id1 !== undefined && id2 !== undefined && id2 > id1);
      assert.equal(sim.sessions.length, 1);
      second.end();
    } finally {
      await sim.close();
      await station.close();
    }
  });

  it('periodic: calls every interval, one connection at a time', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await sshSim(port, {}, { strategy: 'periodic', interval: 0.6 });
    try {
      // the first connection stays up for more than a period: no second call meanwhile
      const first = await sshOver(sim, await station.accepted(1));
      await first.nc.hello();
      await new Promise((r) => setTimeout(r, 900));
      assert.equal(station.sockets.length, 1);
      first.end();
      await station.accepted(2, 5000);
      const [t1 = 0, t2 = 0] = station.times;
      // the second call waited for the next period boundary (1.2 s after the first)
      assert.ok(t2 - t1 >= 1100, `second call ${t2 - t1} ms after the first`);
    } finally {
      await sim.close();
      await station.close();
    }
  });

  it('once: no new call after the connection ends', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await sshSim(port, {}, { strategy: 'once', interval: 0.05 });
    try {
      const first = await sshOver(sim, await station.accepted(1));
      await first.nc.hello();
      first.end();
      await first.nc.closed();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(station.sockets.length, 1);
    } finally {
      await sim.close();
      await station.close();
    }
  });

  it('close() ends the call-home session and stops calling', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await sshSim(port, {}, { interval: 0.05 });
    const { nc } = await sshOver(sim, await station.accepted(1));
    await nc.hello();
    await sim.close();
    await nc.closed();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(station.sockets.length, 1);
    await station.close();
  });

  it('close() while retrying stops at once', async () => {
    const sim = await sshSim(await freePort(), {}, { interval: 60 });
    await once(sim, 'call-home-error');
    const t0 = Date.now();
    await sim.close();
    assert.ok(Date.now() - t0 < 1000);
  });

  it('checks the options', async () => {
    const users = [{ username: USER, password: PASSWORD }];
    await assert.rejects(startSimulator({ users, callHome: { host: '127.0.0.1', transport: 'tls' } }), /needs the tls option/);
    await assert.rejects(startSimulator({ users, callHome: { host: '' } }), /callHome.host/);
    await assert.rejects(startSimulator({ users, callHome: { host: '127.0.0.1', port: 70000 } }), /callHome.port/);
    await assert.rejects(startSimulator({ users, callHome: { host: '127.0.0.1', reconnect: { strategy: 'sometimes' as 'once' } } }), /strategy/);
    await assert.rejects(startSimulator({ users, callHome: { host: '127.0.0.1', reconnect: { maxAttempts: 0 } } }), /maxAttempts/);
    await assert.rejects(startSimulator({ users, callHome: { host: '127.0.0.1', reconnect: { interval: -1 } } }), /interval/);
    await assert.rejects(
      startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, callHome: { host: '127.0.0.1', transport: 'ssh' } }),
      /contradicts/,
    );
  });
});

describe('call home over TLS', () => {
  function tlsSim(port: number, extra: Partial<SimulatorOptions> = {}): Promise<Simulator> {
    return startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, callHome: { host: '127.0.0.1', port, reconnect: { interval: 0.1 } }, ...extra });
  }

  it('dials the client and is the TLS server on the connection it opened', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await tlsSim(port, { config: interfaces({ eth1: 9000 }) });
    try {
      assert.deepEqual(sim.callHome, { host: '127.0.0.1', port, transport: 'tls' });
      const sock = await station.accepted();
      // the client plays the TLS client, verifying the device's certificate for its address
      const socket = tlsConnect({ socket: sock, ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, host: '127.0.0.1' });
      await once(socket, 'secureConnect');
      assert.ok(socket.authorized, String(socket.authorizationError));
      assert.equal(socket.getPeerCertificate().fingerprint256, sim.tlsFingerprint);
      const nc = new RawNetconf(socket);
      const id = sessionIdOf(await nc.hello());
      assert.ok(id);
      assert.match(await nc.rpc('<get-config><source><running/></source></get-config>'), /<name>eth1<\/name>/);
      const info = sim.sessions.find((s) => s.id === id);
      assert.deepEqual([info?.transport, info?.callHome, info?.username], ['tls', true, 'admin']);
      socket.destroy();
    } finally {
      await sim.close();
      await station.close();
    }
  });

  it('refuses a client with a certificate of another CA, and calls again (persistent)', async () => {
    const station = new Station();
    const port = await station.listen();
    const sim = await tlsSim(port);
    const rejected = once(sim, 'rejected');
    try {
      const bad = tlsConnect({ socket: await station.accepted(1), ca: pki.ca.cert, cert: pki.otherClient.cert, key: pki.otherClient.key, host: '127.0.0.1' });
      const badNc = new RawNetconf(bad);
      await assert.rejects(badNc.next());
      await rejected;
      const good = tlsConnect({ socket: await station.accepted(2), ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, host: '127.0.0.1' });
      const nc = new RawNetconf(good);
      assert.ok(sessionIdOf(await nc.hello()));
      good.destroy();
    } finally {
      await sim.close();
      await station.close();
    }
  });
});
