/**
 * The simulator's NETCONF over TLS (RFC 7589): the test PKI, client certificates required from the
 * CA, cert-to-name, refusals before the hello; driven by Node's own `tls.connect` and bare
 * end-of-message framing (independent of the project's client).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestCertificate, generateTestPki, startSimulator, type Simulator, type SimulatorOptions, type SimulatorRejection, type TestPki } from '../../src/simulator/index.js';
import { refused, sessionIdOf, tlsClient } from './raw-netconf.js';
import { interfaces, waitFor } from './helpers.js';

let pki: TestPki;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-sim-tls-'));
  pki = await generateTestPki({ dir: join(work, 'pki') });
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function startTls(options: Partial<SimulatorOptions> = {}, tls: Partial<NonNullable<SimulatorOptions['tls']>> = {}): Promise<Simulator> {
  return startSimulator({ ...options, tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, ...tls } });
}

/** Client options with the test client certificate, trusting the test CA. */
function client(sim: Simulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { port: sim.port, ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, ...extra };
}

/** Collect the simulator's `rejected` events. */
function rejections(sim: Simulator): SimulatorRejection[] {
  const out: SimulatorRejection[] = [];
  sim.on('rejected', (r) => out.push(r));
  return out;
}

const openssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('generateTestPki', () => {
  it('writes a CA, a server and a client certificate, and an unrelated CA with a client certificate', async () => {
    const names = ['ca', 'server', 'client', 'other-ca', 'other-client'];
    for (const n of names) {
      assert.ok(existsSync(join(pki.dir, `${n}.crt`)), `${n}.crt`);
      assert.equal(statSync(join(pki.dir, `${n}.key`)).mode & 0o777, 0o600, `${n}.key mode`);
    }
    assert.equal(await readFile(pki.server.certFile, 'utf8'), pki.server.cert);
    assert.equal(await readFile(pki.client.keyFile, 'utf8'), pki.client.key);
    const ca = new X509Certificate(pki.ca.cert);
    const server = new X509Certificate(pki.server.cert);
    const client = new X509Certificate(pki.client.cert);
    const otherCa = new X509Certificate(pki.otherCa.cert);
    const otherClient = new X509Certificate(pki.otherClient.cert);
    assert.ok(ca.ca);
    assert.ok(!server.ca && !client.ca);
    assert.match(server.subject, /CN=netconfkit-simulator/);
    assert.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(server.checkHost('localhost'), 'localhost');
    assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(server.checkIP('::1'), '::1');
    assert.match(client.subject, /CN=admin/);
    assert.match(otherClient.subject, /CN=admin/);
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
    assert.ok(client.checkIssued(ca) && client.verify(ca.publicKey));
    assert.ok(otherClient.checkIssued(otherCa) && !otherClient.checkIssued(ca));
    assert.equal(pki.client.fingerprint, client.fingerprint256);
    assert.ok(server.validTo && new Date(server.validTo) > new Date());
  });

  it('takes the directory as a string, and the client CN and SANs', async () => {
    const dir = join(work, 'pki-2');
    const p = await generateTestPki(dir);
    assert.equal(p.dir, dir);
    assert.ok(existsSync(join(dir, 'ca.crt')));
    const p2 = await generateTestPki({ dir: join(work, 'pki-3'), clientCommonName: 'operator', clientAltNames: ['DNS:Device.Example', 'email:op@Example.COM'] });
    const c = new X509Certificate(p2.client.cert);
    assert.match(c.subject, /CN=operator/);
    assert.equal(c.subjectAltName, 'DNS:Device.Example, email:op@Example.COM');
  });

  it('makes a new temporary directory by default', async () => {
    const p = await generateTestPki();
    try {
      assert.ok(p.dir.startsWith(tmpdir()));
      assert.ok(existsSync(p.client.certFile));
    } finally {
      await rm(p.dir, { recursive: true, force: true });
    }
  });

  it('makes certificates with given validity (UTCTime, and GeneralizedTime from 2050) and SANs', () => {
    const notBefore = new Date('2020-01-02T03:04:05Z');
    const notAfter = new Date('2061-06-07T08:09:10Z');
    const c = createTestCertificate({ commonName: 'long', issuer: pki.ca, notBefore, notAfter, altNames: ['10.1.2.3', 'router.example', 'IP:fe80::1:2', 'URI:urn:example:x'] });
    const x = new X509Certificate(c.cert);
    assert.equal(new Date(x.validFrom).getTime(), notBefore.getTime());
    assert.equal(new Date(x.validTo).getTime(), notAfter.getTime());
    assert.equal(x.subjectAltName, 'IP Address:10.1.2.3, DNS:router.example, IP Address:FE80:0:0:0:0:0:1:2, URI:urn:example:x');
    assert.ok(x.verify(new X509Certificate(pki.ca.cert).publicKey));
    assert.throws(() => createTestCertificate({ commonName: 'x', altNames: ['IP:not-an-address'] }), /Not an IP address/);
  });

  it('is accepted by openssl verify', { skip: !openssl && 'no openssl here' }, () => {
    const out = execFileSync('openssl', ['verify', '-CAfile', pki.ca.certFile, pki.server.certFile, pki.client.certFile], { encoding: 'utf8' });
    assert.match(out, /server\.crt: OK/);
    assert.match(out, /client\.crt: OK/);
    assert.throws(() => execFileSync('openssl', ['verify', '-CAfile', pki.ca.certFile, pki.otherClient.certFile], { stdio: 'pipe' }));
  });
});

describe('NETCONF over TLS', () => {
  it('says hello with a session-id to a client with a certificate from the CA, and serves get-config', async () => {
    const sim = await startTls({ config: interfaces({ eth0: 1500 }) });
    try {
      assert.equal(sim.transport, 'tls');
      assert.equal(sim.tlsFingerprint, pki.server.fingerprint);
      const { socket, nc } = await tlsClient({ ...client(sim), servername: 'localhost' });
      assert.equal(socket.getPeerCertificate().fingerprint256, pki.server.fingerprint);
      const hello = await nc.hello();
      const id = sessionIdOf(hello);
      assert.ok(id !== undefined && id > 0);
      assert.match(hello, /urn:ietf:params:netconf:base:1\.0/);
      const reply = await nc.rpc('<get-config><source><running/></source></get-config>');
      assert.match(reply, /<interface><name>eth0<\/name><mtu>1500<\/mtu><\/interface>/);
      await waitFor(() => sim.sessions.some((s) => s.framing !== undefined), 5000, 'the session');
      const [info] = sim.sessions;
      assert.equal(info?.id, id);
      assert.equal(info?.username, 'admin');
      assert.equal(info?.transport, 'tls');
      assert.equal(info?.callHome, false);
      assert.equal(info?.sourceHost, '127.0.0.1');
      assert.match(info?.clientCertificate?.subject ?? '', /CN=admin/);
      assert.equal(info?.clientCertificate?.fingerprint, pki.client.fingerprint);
      const state = await nc.rpc('<get><filter type="subtree"><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get>');
      assert.match(state, /<transport[^>]*>ncm:netconf-tls<\/transport>/);
      assert.match(state, /<username>admin<\/username>/);
      const ended = once(sim, 'session-end');
      const bye = await nc.rpc('<close-session/>');
      assert.match(bye, /<ok\/>/);
      await ended;
      await nc.closed();
    } finally {
      await sim.close();
    }
  });

  it('offers TLS 1.2 and 1.3 and refuses older versions', async () => {
    const sim = await startTls();
    const seen = rejections(sim);
    try {
      for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
        const { socket, nc } = await tlsClient(client(sim, { minVersion: version, maxVersion: version }));
        assert.equal(socket.getProtocol(), version);
        assert.ok(sessionIdOf(await nc.hello()));
        socket.destroy();
      }
      const old = await refused(client(sim, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }));
      assert.ok(old.refused);
      await waitFor(() => seen.length === 1, 5000, 'the rejection');
      assert.equal(seen[0]?.transport, 'tls');
      assert.equal(seen[0]?.address, '127.0.0.1');
    } finally {
      await sim.close();
    }
  });

  it('refuses a client without a certificate, or with one from another CA, before the hello', async () => {
    const sim = await startTls();
    const seen = rejections(sim);
    let sessions = 0;
    sim.on('session', () => sessions++);
    try {
      for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
        const none = await refused({ port: sim.port, ca: pki.ca.cert, maxVersion });
        assert.ok(none.refused, `no certificate (${maxVersion})`);
        const other = await refused(client(sim, { cert: pki.otherClient.cert, key: pki.otherClient.key, maxVersion }));
        assert.ok(other.refused, `certificate of another CA (${maxVersion})`);
      }
      // a self-signed client certificate with the right CN is no better
      const self = createTestCertificate({ commonName: 'admin' });
      assert.ok((await refused(client(sim, { cert: self.cert, key: self.key }))).refused);
      await waitFor(() => seen.length === 5, 5000, 'five rejections');
      assert.ok(seen.some((r) => /CERTIFICATE|certificate/.test(r.reason)), JSON.stringify(seen));
      assert.equal(sessions, 0);
      assert.equal(sim.sessions.length, 0);
      // the server stays up for good clients
      const { socket, nc } = await tlsClient(client(sim));
      assert.ok(sessionIdOf(await nc.hello()));
      socket.destroy();
    } finally {
      await sim.close();
    }
  });

  it('refuses an expired client certificate', async () => {
    const sim = await startTls();
    const seen = rejections(sim);
    try {
      const expired = createTestCertificate({ commonName: 'admin', issuer: pki.ca, usage: ['client'], notBefore: new Date(Date.now() - 2 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
      assert.ok((await refused(client(sim, { cert: expired.cert, key: expired.key }))).refused);
      await waitFor(() => seen.length === 1, 5000, 'the rejection');
      assert.equal(seen[0]?.reason, 'CERT_HAS_EXPIRED');
    } finally {
      await sim.close();
    }
  });

  it('refuses a client whose certificate maps to no user of the simulator, before the hello', async () => {
    const sim = await startTls({ users: [{ username: 'operator' }] });
    const seen = rejections(sim);
    try {
      const r = await refused(client(sim));
      assert.ok(r.refused);
      await waitFor(() => seen.length === 1, 5000, 'the rejection');
      assert.match(seen[0]?.reason ?? '', /maps to "admin", not a user/);
      assert.match(seen[0]?.subject ?? '', /CN=admin/);
      assert.equal(sim.sessions.length, 0);
    } finally {
      await sim.close();
    }
  });

  it('closes the connection before the hello when no cert-to-name entry matches', async () => {
    const sim = await startTls({}, { certToName: [{ fingerprint: pki.otherClient.fingerprint, user: 'x' }, { map: 'san-dns-name' }] });
    const seen = rejections(sim);
    try {
      const { nc } = await tlsClient(client(sim));
      await assert.rejects(nc.next(), /ended before a message/);
      await waitFor(() => seen.length === 1, 5000, 'the rejection');
      assert.equal(seen[0]?.reason, 'no cert-to-name entry matches the client certificate');
    } finally {
      await sim.close();
    }
  });
});

describe('cert-to-name', () => {
  async function userOf(sim: Simulator, cert: { cert: string; key: string } = pki.client): Promise<string | undefined> {
    const { socket, nc } = await tlsClient(client(sim, { cert: cert.cert, key: cert.key }));
    try {
      const id = sessionIdOf(await nc.hello());
      return sim.sessions.find((s) => s.id === id)?.username;
    } finally {
      socket.destroy();
    }
  }

  it('maps the common name by default', async () => {
    const sim = await startTls();
    try {
      assert.equal(await userOf(sim), 'admin');
      const op = createTestCertificate({ commonName: 'operator', issuer: pki.ca, usage: ['client'] });
      assert.equal(await userOf(sim, op), 'operator');
    } finally {
      await sim.close();
    }
  });

  it('maps a certificate fingerprint to a user, in any of the usual notations; the first match wins', async () => {
    const hex = pki.client.fingerprint.replace(/:/g, '');
    for (const fingerprint of [pki.client.fingerprint, hex.toLowerCase(), `04:${pki.client.fingerprint}`]) {
      const sim = await startTls({ users: [{ username: 'operator' }, { username: 'admin' }] }, { certToName: [{ fingerprint, user: 'operator' }, { map: 'common-name' }] });
      try {
        assert.equal(await userOf(sim), 'operator', fingerprint);
      } finally {
        await sim.close();
      }
    }
  });

  it("matches an entry's fingerprint against the CA of the client certificate too", async () => {
    const sim = await startTls({}, { certToName: [{ fingerprint: pki.otherCa.fingerprint, user: 'nobody' }, { fingerprint: pki.ca.fingerprint, map: 'common-name' }] });
    try {
      assert.equal(await userOf(sim), 'admin');
    } finally {
      await sim.close();
    }
  });

  it('maps subjectAltNames: DNS names and e-mail hosts lower-cased, IPv6 as 32 hex digits, san-any the first', async () => {
    const cert = createTestCertificate({ commonName: 'cn-user', issuer: pki.ca, usage: ['client'], altNames: ['email:Ops@Example.COM', 'DNS:Device1.Example', 'IP:2001:db8::1', 'IP:192.0.2.7'] });
    const cases: Array<[string, string]> = [
      ['san-dns-name', 'device1.example'],
      ['san-rfc822-name', 'Ops@example.com'],
      ['san-ip-address', '20010db8000000000000000000000001'],
      ['san-any', 'Ops@example.com'],
      ['common-name', 'cn-user'],
    ];
    for (const [map, user] of cases) {
      const sim = await startTls({}, { certToName: [{ map: map as 'san-any' }] });
      try {
        assert.equal(await userOf(sim, cert), user, map);
      } finally {
        await sim.close();
      }
    }
    const v4 = createTestCertificate({ commonName: 'x', issuer: pki.ca, usage: ['client'], altNames: ['IP:192.0.2.7'] });
    const sim = await startTls({}, { certToName: [{ map: 'san-dns-name' }, { map: 'san-ip-address' }] });
    try {
      assert.equal(await userOf(sim, v4), '192.0.2.7', 'skips the entry the certificate has no field for');
    } finally {
      await sim.close();
    }
  });

  it('refuses malformed entries at start', async () => {
    await assert.rejects(startTls({}, { certToName: [{ fingerprint: 'abc', user: 'x' }] }), /Not a SHA-256 fingerprint/);
    await assert.rejects(startTls({}, { certToName: [{ map: 'surname' as 'san-any' }] }), /map must be one of/);
    await assert.rejects(startTls({}, { certToName: [{ user: 'x' } as unknown as { fingerprint: string; user: string }] }), /needs a fingerprint/);
  });
});

describe('TLS options', () => {
  it('checks the certificate, key and CA at start', async () => {
    await assert.rejects(startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: [] } }), /CA certificate/);
    await assert.rejects(startSimulator({ tls: { cert: pki.server.cert, key: pki.client.key, ca: pki.ca.cert } }), TypeError);
    await assert.rejects(startSimulator({ tls: { cert: 'not a certificate', key: pki.server.key, ca: pki.ca.cert } }), TypeError);
    // over SSH users are still required
    await assert.rejects(startSimulator({}), /at least one user/);
  });

  it('ends TLS sessions on close(), and drops one on disconnect()', async () => {
    const sim = await startTls();
    const a = await tlsClient(client(sim));
    const b = await tlsClient(client(sim));
    const idA = sessionIdOf(await a.nc.hello());
    assert.ok(sessionIdOf(await b.nc.hello()));
    assert.ok(idA !== undefined && sim.disconnect(idA));
    await a.nc.closed();
    await sim.close();
    await b.nc.closed();
    assert.equal(sim.sessions.length, 0);
  });

  it('answers across the drop fault (connection dropped mid-reply)', async () => {
    const sim = await startTls({ config: interfaces({ eth0: 1500 }) });
    try {
      const { nc } = await tlsClient(client(sim));
      await nc.hello();
      sim.faults.next({ operation: 'get-config', drop: true });
      await assert.rejects(nc.rpc('<get-config><source><running/></source></get-config>'));
      await nc.closed();
    } finally {
      await sim.close();
    }
  });
});
