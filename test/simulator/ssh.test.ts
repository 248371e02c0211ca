/**
 * The simulator's SSH side, driven by the project's client: host key, password and key
 * authentication, the netconf subsystem, the hello exchange over both framings.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2, { type ClientChannel } from 'ssh2';
import { connect } from '../../src/manager.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { BASE_1_0, BASE_1_1 } from '../../src/transport/capabilities.js';
import { AuthenticationError, SSHUnknownHostError } from '../../src/transport/errors.js';
import { connectTo, interfaces, PASSWORD, startSim, USER, waitFor } from './helpers.js';

const { Client, utils } = ssh2;

let dir: string;
const keys: Record<string, { private: string; public: string; file: string }> = {};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netconf-sim-keys-'));
  const pairs = {
    ed25519: utils.generateKeyPairSync('ed25519'),
    ecdsa: utils.generateKeyPairSync('ecdsa', { bits: 256 }),
    rsa: utils.generateKeyPairSync('rsa', { bits: 2048 }),
    stranger: utils.generateKeyPairSync('ed25519'),
  };
  for (const [name, pair] of Object.entries(pairs)) {
    const file = join(dir, `id_${name}`);
    await writeFile(file, pair.private, { mode: 0o600 });
    keys[name] = { ...pair, file };
  }
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Open the netconf (or another) subsystem with a bare ssh2 client, for what the project's client will not do. */
async function rawSubsystem(sim: Simulator, name = 'netconf'): Promise<{ channel: ClientChannel; received: () => string; end: () => void }> {
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve()).once('error', reject);
    client.connect({ host: '127.0.0.1', port: sim.port, username: USER, password: PASSWORD, hostVerifier: () => true });
  });
  const channel = await new Promise<ClientChannel>((resolve, reject) => {
    client.subsys(name, (err, ch) => (err ? reject(err) : resolve(ch)));
  });
  let text = '';
  channel.on('data', (d: Buffer) => (text += d.toString()));
  return { channel, received: () => text, end: () => client.end() };
}

describe('host key', () => {
  it('presents its generated host key, with the fingerprints a client checks', async () => {
    const sim = await startSim();
    try {
      assert.equal(sim.hostKey.type, 'ssh-ed25519');
      assert.match(sim.hostKey.md5, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      assert.match(sim.hostKey.publicKey, /^ssh-ed25519 AAAA/);
      let seen: { fingerprint: string; sha256: string } | undefined;
      const m = await connectTo(sim, {
        unknownHostCb: (_h, fingerprint, info) => {
          seen = { fingerprint, sha256: info.sha256 };
          return fingerprint === sim.hostKey.md5;
        },
      });
      assert.deepEqual(seen, { fingerprint: sim.hostKey.md5, sha256: sim.hostKey.sha256 });
      await m.close();
      // refused by default: the key is in no known_hosts file
      await assert.rejects(connectTo(sim, { unknownHostCb: undefined }), SSHUnknownHostError);
      // trusted through a known_hosts line
      const knownHosts = join(dir, 'known_hosts');
      await writeFile(knownHosts, `${sim.knownHostsLine}\n`);
      const m2 = await connectTo(sim, { unknownHostCb: () => false, knownHostsFile: knownHosts });
      assert.ok(m2.connected);
      await m2.close();
    } finally {
      await sim.close();
    }
  });

  it('uses a host key it is given', async () => {
    const pair = utils.generateKeyPairSync('ecdsa', { bits: 256 });
    const sim = await startSim({ hostKey: pair.private });
    try {
      assert.equal(sim.hostKey.type, 'ecdsa-sha2-nistp256');
      assert.equal(sim.hostKey.publicKey, pair.public.split(' ').slice(0, 2).join(' '));
      const m = await connectTo(sim);
      await m.close();
    } finally {
      await sim.close();
    }
  });
});

describe('authentication', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      users: [
        { username: USER, password: PASSWORD },
        { username: 'keyed', authorizedKeys: [keys['ed25519']!.public, `# comment\nno-pty ${keys['ecdsa']!.public}\n${keys['rsa']!.public}`] },
      ],
    });
  });
  after(() => sim.close());

  it('accepts the password', async () => {
    const m = await connectTo(sim);
    assert.equal(sim.sessions.find((s) => s.id === Number(m.sessionId))?.username, USER);
    await m.close();
  });

  it('refuses a wrong password, an unknown user, and a password for a key-only user', async () => {
    await assert.rejects(connectTo(sim, { password: 'wrong' }), AuthenticationError);
    await assert.rejects(connectTo(sim, { username: 'nobody' }), AuthenticationError);
    await assert.rejects(connectTo(sim, { username: 'keyed' }), AuthenticationError);
  });

  for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
    it(`accepts an authorized ${type} key (signature verified)`, async () => {
      const m = await connectTo(sim, { username: 'keyed', password: undefined, keyFilename: keys[type]!.file });
      assert.ok(m.connected);
      await m.close();
    });
  }

  it('refuses a key that is not authorized', async () => {
    await assert.rejects(connectTo(sim, { username: 'keyed', password: undefined, keyFilename: keys['stranger']!.file }), AuthenticationError);
    await assert.rejects(connectTo(sim, { username: USER, password: undefined, keyFilename: keys['ed25519']!.file }), AuthenticationError);
  });

  it('rejects users without credentials and unparseable keys at start', async () => {
    await assert.rejects(startSimulator({ users: [{ username: 'x' }] }), TypeError);
    await assert.rejects(startSimulator({ users: [{ username: 'x', authorizedKeys: 'ssh-ed25519 garbage' }] }), TypeError);
    await assert.rejects(startSimulator({ users: [] }), TypeError);
  });
});

describe('hello and framing', () => {
  it('negotiates base:1.1 chunked framing and advertises its capabilities', async () => {
    const sim = await startSim({ config: interfaces({ eth0: 1500 }) });
    try {
      const m = await connectTo(sim);
      assert.equal(m.session.framing, 'chunked');
      const caps = m.serverCapabilities;
      for (const c of [':base:1.0', ':base:1.1', ':candidate', ':writable-running', ':confirmed-commit:1.1', ':validate:1.1', ':startup', ':xpath', ':notification', ':interleave', ':rollback-on-error']) {
        assert.ok(caps.has(c), c);
      }
      assert.ok(caps.modules().has('ietf-netconf-monitoring'));
      assert.match(m.sessionId ?? '', /^\d+$/);
      const reply = await m.getConfig('running');
      assert.equal(reply.data?.find('interfaces/interface/name')?.text, 'eth0');
      await m.close();
    } finally {
      await sim.close();
    }
  });

  it('speaks base:1.0 end-of-message framing when configured so, or when the client only has base:1.0', async () => {
    const sim10 = await startSim({ base11: false, config: interfaces({ eth0: 1500 }) });
    const sim11 = await startSim({ config: interfaces({ eth0: 1500 }) });
    try {
      const a = await connectTo(sim10);
      assert.equal(a.session.framing, 'eom');
      assert.ok(!a.serverCapabilities.has(BASE_1_1));
      assert.equal((await a.getConfig('running')).data?.find('interfaces/interface/mtu')?.text, '1500');
      const b = await connectTo(sim11, { capabilities: [BASE_1_0] });
      assert.equal(b.session.framing, 'eom');
      assert.equal((await b.getConfig('running')).data?.find('interfaces/interface/mtu')?.text, '1500');
      assert.deepEqual(
        sim11.sessions.map((s) => s.framing),
        ['eom'],
      );
      await Promise.all([a.close(), b.close()]);
    } finally {
      await Promise.all([sim10.close(), sim11.close()]);
    }
  });

  it('splits replies into chunks of maxChunkSize', async () => {
    const sim = await startSim({ maxChunkSize: 7, config: interfaces({ eth0: 1500, eth1: 9000 }) });
    try {
      const m = await connectTo(sim);
      const reply = await m.getConfig('running');
      assert.equal(reply.data?.findAll('interfaces/interface').length, 2);
      await m.close();
    } finally {
      await sim.close();
    }
  });

  it('hands out increasing session-ids and lists its sessions', async () => {
    const sim = await startSim();
    try {
      const ids: string[] = [];
      const seen: number[] = [];
      sim.on('session', (s) => seen.push(s.id));
      const a = await connectTo(sim);
      const b = await connectTo(sim);
      ids.push(a.sessionId ?? '', b.sessionId ?? '');
      assert.ok(Number(ids[1]) > Number(ids[0]));
      assert.deepEqual(sim.sessions.map((s) => s.id), ids.map(Number));
      await waitFor(() => seen.length === 2, 10_000, 'session events');
      assert.deepEqual(seen, ids.map(Number));
      await a.close();
      await waitFor(() => sim.sessions.length === 1, 10_000, 'the closed session to leave the list');
      await b.close();
    } finally {
      await sim.close();
    }
  });

  it('closes a session whose client hello lacks a base capability or carries a session-id', async () => {
    const sim = await startSim();
    try {
      for (const hello of [
        '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:example:nothing</capability></capabilities></hello>]]>]]>',
        `<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>${BASE_1_0}</capability></capabilities><session-id>4</session-id></hello>]]>]]>`,
        'not even XML]]>]]>',
      ]) {
        const raw = await rawSubsystem(sim);
        const closed = new Promise<void>((resolve) => raw.channel.once('close', () => resolve()));
        raw.channel.write(hello);
        await closed;
        assert.match(raw.received(), /<session-id>\d+<\/session-id>/); // the server's hello came first
        raw.end();
      }
      assert.equal(sim.sessions.length, 0);
    } finally {
      await sim.close();
    }
  });

  it('closes a session that sends no hello within helloTimeout', async () => {
    const sim = await startSim({ helloTimeout: 150 });
    try {
      const raw = await rawSubsystem(sim);
      await new Promise<void>((resolve) => raw.channel.once('close', () => resolve()));
      raw.end();
    } finally {
      await sim.close();
    }
  });

  it('offers the netconf subsystem only', async () => {
    const sim = await startSim();
    try {
      await assert.rejects(rawSubsystem(sim, 'sftp'));
      await assert.rejects(rawSubsystem(sim, 'shell'));
    } finally {
      await sim.close();
    }
  });
});

describe('connect() through the package entry points', () => {
  it('works with a fresh connect() and hostkeyVerify: false', async () => {
    const sim = await startSim();
    try {
      const m = await connect({ host: '127.0.0.1', port: sim.port, username: USER, password: PASSWORD, allowAgent: false, lookForKeys: false, hostkeyVerify: false });
      assert.ok(m.connected);
      await m.close();
    } finally {
      await sim.close();
    }
  });
});
