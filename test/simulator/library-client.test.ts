/**
 * The project's own client against the simulator's TLS server and its call home (over SSH and
 * TLS): the library's `connect({ transport: 'tls' })`, `listenCallHome` and `acceptCallHome`.
 */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acceptCallHome, connect, listenCallHome, TransportError } from '../../src/index.js';
import { generateTestPki, startSimulator, type TestPki } from '../../src/simulator/index.js';
import { interfaces, PASSWORD, USER } from './helpers.js';

let pki: TestPki;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-sim-lib-'));
  pki = await generateTestPki({ dir: join(work, 'pki') });
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** A TCP port nothing listens on (for a moment). */
async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('the client library over TLS', () => {
  it('connects with its client certificate and runs operations', async () => {
    const sim = await startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, config: interfaces({ eth0: 1500 }) });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const m = await connect({ transport: 'tls', host, port: sim.port, tls: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert }, timeout: 30 });
        try {
          assert.ok(m.sessionId);
          const reply = await m.getConfig('running');
          assert.match(reply.xml, /<name>eth0<\/name>/);
          await m.editConfig(`<config>${interfaces({ eth1: 9000 })}</config>`, { target: 'running' });
          assert.match(sim.datastore('running'), /eth1/);
          assert.equal(sim.sessions.find((s) => String(s.id) === m.sessionId)?.username, 'admin');
        } finally {
          await m.close();
        }
        sim.setDatastore('running', interfaces({ eth0: 1500 }));
      }
    } finally {
      await sim.close();
    }
  });

  it('is refused with a certificate of another CA, or none (a TransportError, not a hang)', async () => {
    const sim = await startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert } });
    try {
      for (const tls of [{ cert: pki.otherClient.cert, key: pki.otherClient.key, ca: pki.ca.cert }, { ca: pki.ca.cert }]) {
        await assert.rejects(connect({ transport: 'tls', host: '127.0.0.1', port: sim.port, tls, timeout: 10 }), TransportError);
      }
    } finally {
      await sim.close();
    }
  });
});

describe('the client library and call home', () => {
  it('over SSH: the listener yields a manager for the simulator that called, trusted through its known_hosts line', async () => {
    const port = await freePort();
    const sim = await startSimulator({ users: [{ username: USER, password: PASSWORD }], config: interfaces({ eth0: 1500 }), callHome: { host: '127.0.0.1', port, reconnect: { interval: 0.2 } } });
    const knownHosts = join(work, 'known_hosts');
    await writeFile(knownHosts, `${sim.knownHostsLine}\n`);
    assert.match(sim.knownHostsLine, /^127\.0\.0\.1 ssh-ed25519 /);
    const listener = await listenCallHome({ transport: 'ssh', host: '127.0.0.1', port, username: USER, password: PASSWORD, allowAgent: false, lookForKeys: false, knownHostsFile: knownHosts });
    try {
      const iterator = listener[Symbol.asyncIterator]();
      const { value: m } = await iterator.next();
      assert.ok(m);
      assert.equal(m.callHome.address, '127.0.0.1');
      assert.match((await m.getConfig('running')).xml, /<name>eth0<\/name>/);
      assert.equal(sim.sessions[0]?.callHome, true);
    } finally {
      await listener.close();
      await sim.close();
    }
  });

  it('over TLS: acceptCallHome verifies the device certificate and connects', async () => {
    const port = await freePort();
    const sim = await startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, callHome: { host: '127.0.0.1', port, reconnect: { interval: 0.2 } } });
    try {
      const m = await acceptCallHome({ transport: 'tls', host: '127.0.0.1', port, tls: { cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert }, timeout: 20 });
      try {
        assert.equal(m.callHome.address, '127.0.0.1');
        assert.ok(m.sessionId);
        await m.getConfig('running');
        const info = sim.sessions.find((s) => String(s.id) === m.sessionId);
        assert.deepEqual([info?.transport, info?.callHome, info?.username], ['tls', true, 'admin']);
      } finally {
        await m.close();
      }
    } finally {
      await sim.close();
    }
  });
});
