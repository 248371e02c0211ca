/**
 * Call home (RFC 8071), the client's side: listenCallHome / acceptCallHome against devices that
 * dial in. A "device" here is a TCP bridge that connects to the listener and relays to a server
 * (the simulator's SSH port, or a scripted TLS peer): exactly what socat does in the integration
 * tests, in-process.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { acceptCallHome, listenCallHome, type CallHomeManager } from '../src/call-home.js';
import { TransportError } from '../src/errors.js';
import { startSimulator, type Simulator } from '../src/simulator/index.js';
import { SSHUnknownHostError, TLSError } from '../src/transport/errors.js';

let dir: string;
let sim: Simulator;
let other: Simulator;
/** `type base64` of the simulator's host key. */
let simKey: string;
let tlsPeer: TlsServer;
const pem = (name: string): string => readFileSync(join(dir, 'pki', name), 'utf8');
const HELLO = '<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>9</session-id></hello>]]>]]>';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'call-home-test-'));
  execFileSync('bash', [fileURLToPath(new URL('../../scripts/test-pki.sh', import.meta.url)), join(dir, 'pki')]);
  sim = await startSimulator({ users: [{ username: 'admin', password: 'pw' }] });
  other = await startSimulator({ users: [{ username: 'admin', password: 'pw' }] });
  simKey = sim.knownHostsLine.split(' ').slice(1).join(' ');
  tlsPeer = createTlsServer({ cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true }, (socket) => {
    socket.on('error', () => undefined);
    socket.write(HELLO);
  });
  tlsPeer.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => tlsPeer.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await sim?.close();
  await other?.close();
  tlsPeer?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A device calling home: connects to the client's port and relays to `serverPort`. */
function device(clientPort: number, serverPort: number): { stop(): void } {
  const out: Socket = tcpConnect({ host: '127.0.0.1', port: clientPort });
  const back: Socket = tcpConnect({ host: '127.0.0.1', port: serverPort });
  out.pipe(back).pipe(out);
  out.on('error', () => back.destroy());
  back.on('error', () => out.destroy());
  out.on('close', () => back.destroy());
  back.on('close', () => out.destroy());
  return { stop: () => out.destroy() };
}

function knownHosts(name: string, lines: string): string {
  const file = join(dir, name);
  writeFileSync(file, lines);
  return file;
}

const ssh = { transport: 'ssh', host: '127.0.0.1', port: 0, username: 'admin', password: 'pw', allowAgent: false, lookForKeys: false } as const;

describe('call home over SSH', () => {
  it('a device that calls in is identified by its host key under its address; every operation works', async () => {
    const listener = await listenCallHome({ ...ssh, knownHostsFile: knownHosts('kh1', `127.0.0.1 ${simKey}\n`) });
    const calling = device(listener.port, sim.port);
    const iterator = listener[Symbol.asyncIterator]();
    const { value: m } = (await iterator.next()) as { value: CallHomeManager };
    assert.equal(m.callHome.address, '127.0.0.1');
    assert.equal(m.callHome.deviceName, '127.0.0.1');
    assert.equal(m.callHome.fingerprint, sim.hostKey.sha256);
    assert.ok((await m.getConfig('running')).ok);
    assert.equal(sim.sessions.length, 1);
    await listener.close();
    assert.equal(m.connected, false, 'closing the listener closes the sessions it produced');
    calling.stop();
  });

  it('a device with an unknown key is dropped, reported, and the listener goes on to the next', async () => {
    const listener = await listenCallHome({ ...ssh, knownHostsFile: knownHosts('kh2', `127.0.0.1 ${simKey}\n`) });
    const rejected = new Promise<{ address: string; error: Error }>((resolve) => listener.once('rejected', resolve));
    const bad = device(listener.port, other.port);
    const why = await rejected;
    assert.equal(why.address, '127.0.0.1');
    assert.ok(why.error instanceof SSHUnknownHostError, String(why.error));
    assert.equal(why.error.reason, 'changed');
    const good = device(listener.port, sim.port);
    const { value: m } = (await listener[Symbol.asyncIterator]().next()) as { value: CallHomeManager };
    assert.equal(m.callHome.fingerprint, sim.hostKey.sha256);
    await listener.close();
    bad.stop();
    good.stop();
  });

  it('several devices at once; deviceName() maps the address to the name known_hosts lists', async () => {
    const listener = await listenCallHome({ ...ssh, knownHostsFile: knownHosts('kh3', `router7 ${simKey}\n`), deviceName: (address) => (address === '127.0.0.1' ? 'router7' : address) });
    const devices = [0, 1, 2].map(() => device(listener.port, sim.port));
    const got: CallHomeManager[] = [];
    for await (const m of listener) {
      got.push(m);
      assert.equal(m.callHome.deviceName, 'router7');
      if (got.length === 3) break; // ends the iteration: closes the listener and its sessions
    }
    assert.equal(new Set(got.map((m) => m.sessionId)).size, 3);
    assert.ok(got.every((m) => !m.connected));
    for (const d of devices) d.stop();
  });

  it('acceptCallHome waits past rejected devices for the first acceptable one, then stops listening', async () => {
    const rejected: string[] = [];
    const port = await freePort();
    const accepting = acceptCallHome({ ...ssh, port, timeout: 20, knownHostsFile: knownHosts('kh4', `127.0.0.1 ${simKey}\n`), onRejected: ({ error }) => rejected.push(error.name) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bad = device(port, other.port);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const good = device(port, sim.port);
    const m = await accepting;
    assert.deepEqual(rejected, ['SSHUnknownHostError']);
    assert.ok((await m.get()).ok);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const probe = tcpConnect({ host: '127.0.0.1', port });
        probe.on('connect', () => resolve(probe.destroy()));
        probe.on('error', reject);
      }),
      /ECONNREFUSED/,
    );
    await m.close();
    bad.stop();
    good.stop();
  });

  it('acceptCallHome gives up after its timeout', async () => {
    await assert.rejects(acceptCallHome({ ...ssh, timeout: 0.3 }), (err: unknown) => err instanceof TransportError && /No device called home/.test(err.message));
  });
});

describe('call home over TLS', () => {
  const tls = (extra = {}) => ({ transport: 'tls', host: '127.0.0.1', port: 0, tls: { cert: pem('client.pem'), key: pem('client.key'), ca: pem('ca.pem'), ...extra } }) as const;

  it('the device\'s certificate is verified against the CA and its address', async () => {
    const listener = await listenCallHome(tls());
    const calling = device(listener.port, (tlsPeer.address() as AddressInfo).port);
    const { value: m } = (await listener[Symbol.asyncIterator]().next()) as { value: CallHomeManager };
    assert.equal(m.sessionId, '9');
    assert.match(m.callHome.subject ?? '', /CN=netconf-server/);
    await listener.close();
    calling.stop();
  });

  it('a device whose certificate is not for its name is dropped with a TLSError', async () => {
    const listener = await listenCallHome({ ...tls(), deviceName: () => 'router9.example' });
    const rejected = new Promise<{ error: Error }>((resolve) => listener.once('rejected', resolve));
    const calling = device(listener.port, (tlsPeer.address() as AddressInfo).port);
    const { error } = await rejected;
    assert.ok(error instanceof TLSError && error.reason === 'name-mismatch', String(error));
    await listener.close();
    calling.stop();
  });
});

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
