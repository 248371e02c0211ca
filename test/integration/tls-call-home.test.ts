/**
 * NETCONF over TLS and Call Home against real peers on loopback: Debian's stunnel4 in front of
 * netconfd (scripts/stunnel-netconf.sh: client certificate required, netconf-subsystem per
 * connection with the certificate's CN as the NETCONF user), and socat dialling the client's
 * call-home port as the device (RFC 8071), bridging to netconfd's sshd or to stunnel.
 *
 * netconfd quirk (see ssh-jump.test.ts): the first RPC waits 300 ms after the hello.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listenCallHome, type CallHomeManager } from '../../src/call-home.js';
import { connect, type ConnectTLSOptions, type Manager } from '../../src/manager.js';
import { SSHUnknownHostError, TLSError } from '../../src/transport/errors.js';
import { knownHostsFor } from './jump-host.js';
import { startNetconfd, type Netconfd } from './netconfd.js';
import { callHomeDevice, pem, startTlsPeer, type TlsPeer } from './tls-peer.js';

let netconfd: Netconfd;
let peer: TlsPeer;
let work: string;

before(async () => {
  netconfd = await startNetconfd('tls');
  peer = await startTlsPeer('tls', netconfd);
  work = await mkdtemp(join(tmpdir(), 'netconf-tls-test-'));
});

after(async () => {
  await peer?.stop();
  await netconfd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function credentials(extra: Partial<ConnectTLSOptions['tls']> = {}): ConnectTLSOptions['tls'] {
  return { cert: pem(peer.pki.client), key: pem(peer.pki.clientKey), ca: pem(peer.pki.ca), ...extra };
}

function tls(port: number, extra: Partial<ConnectTLSOptions['tls']> = {}): ConnectTLSOptions {
  return { transport: 'tls', host: '127.0.0.1', port, timeout: 20, tls: credentials(extra) };
}

async function pause(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function expectTls(promise: Promise<unknown>, reasons: string[]): Promise<TLSError> {
  let caught: TLSError | undefined;
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof TLSError, `expected a TLSError, got ${String(err)}`);
    assert.ok(reasons.includes(err.reason), `reason ${err.reason}: ${err.message}`);
    assert.doesNotMatch(err.message, /PRIVATE KEY|secret/);
    caught = err;
    return true;
  });
  return caught as TLSError;
}

describe('NETCONF over TLS against stunnel + netconfd', () => {
  it('every kind of operation over TLS; the certificate\'s CN is the NETCONF user', async () => {
    const m = await connect(tls(peer.ports.good));
    try {
      await pause();
      assert.ok((await m.getConfig('running')).ok);
      assert.ok((await m.get({ filter: '<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state>' })).ok);
      await m.lock('candidate');
      await m.editConfig('<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>tls0</name><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></interface></interfaces>', { target: 'candidate' });
      await m.commit(); // (no <validate> of the candidate first: netconfd then loses the edits, see manager-editing.test.ts)
      await m.unlock('candidate');
      const running = await m.getConfig('running', { filter: '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"/>' });
      assert.match(running.xml, /<name>tls0<\/name>/);
      let streamed = 0;
      for await (const subtree of m.getConfigStream('running')) streamed += subtree.toString().length;
      assert.ok(streamed > 0);
    } finally {
      await m.close();
    }
    assert.match(peer.subsystemLog(), /user=nctest/);
  });

  it('an encrypted client key with its passphrase', async () => {
    const m = await connect(tls(peer.ports.good, { key: pem(peer.pki.clientEncKey), passphrase: peer.pki.clientEncPassphrase }));
    await m.close();
  });

  it('refusals are typed, and nothing hangs', async () => {
    const started = Date.now();
    // no client certificate: TLS 1.3 refuses after the handshake, TLS 1.2 during it
    const late = await expectTls(connect(tls(peer.ports.tls13, { cert: undefined, key: undefined })), ['certificate-required', 'alert', 'connection-reset', 'handshake']);
    assert.ok(late.alert === undefined || /certificate|handshake/.test(late.alert), late.message);
    await expectTls(connect(tls(peer.ports.tls12, { cert: undefined, key: undefined })), ['alert', 'certificate-required', 'handshake', 'connection-reset']);
    // a client certificate from another CA
    await expectTls(connect(tls(peer.ports.tls13, { cert: pem(peer.pki.otherClient), key: pem(peer.pki.otherClientKey) })), ['alert', 'connection-reset', 'handshake']);
    await expectTls(connect(tls(peer.ports.tls12, { cert: pem(peer.pki.otherClient), key: pem(peer.pki.otherClientKey) })), ['alert', 'handshake']);
    // the server's certificate: unknown CA, name mismatch, expired, not yet valid
    await expectTls(connect(tls(peer.ports.good, { ca: pem(peer.pki.otherCa) })), ['unknown-ca']);
    await expectTls(connect(tls(peer.ports.wrongName)), ['name-mismatch']);
    await expectTls(connect(tls(peer.ports.expired)), ['expired']);
    await expectTls(connect(tls(peer.ports.notYetValid)), ['not-yet-valid']);
    // a server that speaks TLS 1.1 only
    await expectTls(connect(tls(peer.ports.tls11)), ['protocol-version', 'alert', 'handshake']);
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    // and the server is fine afterwards
    const m = await connect(tls(peer.ports.good));
    await m.close();
  });
});

describe('Call Home against socat devices', () => {
  it('over SSH: netconfd\'s sshd calls in, checked against known_hosts under its address', async () => {
    const knownHosts = join(work, 'kh-address');
    await writeFile(knownHosts, knownHostsFor(netconfd).replaceAll(`[127.0.0.1]:${netconfd.port}`, '127.0.0.1'));
    const listener = await listenCallHome({ transport: 'ssh', host: '127.0.0.1', port: 0, username: netconfd.username, keyFilename: netconfd.clientKeys.ed25519, allowAgent: false, lookForKeys: false, knownHostsFile: knownHosts });
    const device = await callHomeDevice({ to: { host: '127.0.0.1', port: listener.port }, via: { host: '127.0.0.1', port: netconfd.port } });
    try {
      const { value: m } = (await listener[Symbol.asyncIterator]().next()) as { value: CallHomeManager };
      assert.equal(m.callHome.address, '127.0.0.1');
      assert.match(m.callHome.fingerprint ?? '', /^SHA256:/);
      await pause();
      assert.ok((await m.getConfig('running')).ok);
    } finally {
      await listener.close();
      await device.stop();
    }
  });

  it('over SSH: several devices at once; a device known_hosts does not list (under the name deviceName() gives it) is dropped', async () => {
    const knownHosts = join(work, 'kh-several');
    await writeFile(knownHosts, knownHostsFor(netconfd).replaceAll(`[127.0.0.1]:${netconfd.port}`, '127.0.0.1'));
    const listener = await listenCallHome({ transport: 'ssh', host: '127.0.0.1', port: 0, username: netconfd.username, password: netconfd.password, allowAgent: false, lookForKeys: false, knownHostsFile: knownHosts });
    const rejected: Error[] = [];
    listener.on('rejected', ({ error }) => rejected.push(error));
    const devices = await Promise.all([0, 1, 2].map(() => callHomeDevice({ to: { host: '127.0.0.1', port: listener.port }, via: { host: '127.0.0.1', port: netconfd.port } })));
    const got: Manager[] = [];
    try {
      for await (const m of listener) {
        got.push(m);
        if (got.length === 3) break;
      }
      assert.equal(new Set(got.map((m) => m.sessionId)).size, 3);
      assert.deepEqual(rejected, []);
    } finally {
      await listener.close();
      await Promise.all(devices.map((d) => d.stop()));
    }
    const strict = await listenCallHome({ transport: 'ssh', host: '127.0.0.1', port: 0, username: netconfd.username, password: netconfd.password, allowAgent: false, lookForKeys: false, knownHostsFile: knownHosts, deviceName: () => 'unlisted-device' });
    const refused = new Promise<Error>((resolve) => strict.once('rejected', ({ error }) => resolve(error)));
    const stranger = await callHomeDevice({ to: { host: '127.0.0.1', port: strict.port }, via: { host: '127.0.0.1', port: netconfd.port } });
    try {
      const error = await refused;
      assert.ok(error instanceof SSHUnknownHostError && error.reason === 'unknown', String(error));
    } finally {
      await strict.close();
      await stranger.stop();
    }
  });

  it('over TLS: stunnel calls in; the device certificate is checked against the CA and its address', async () => {
    const listener = await listenCallHome({ transport: 'tls', host: '127.0.0.1', port: 0, tls: credentials() });
    const device = await callHomeDevice({ to: { host: '127.0.0.1', port: listener.port }, via: { host: '127.0.0.1', port: peer.ports.good } });
    try {
      const { value: m } = (await listener[Symbol.asyncIterator]().next()) as { value: CallHomeManager };
      assert.match(m.callHome.subject ?? '', /CN=netconf-server/);
      await pause();
      assert.ok((await m.getConfig('running')).ok);
    } finally {
      await listener.close();
      await device.stop();
    }
  });
});
