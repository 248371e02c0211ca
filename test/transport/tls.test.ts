/**
 * TLSSession against a scripted TLS peer (Node's tls server speaking just enough NETCONF): mutual
 * TLS, every refusal as a typed TLSError with its reason — also the TLS 1.3 alert that arrives
 * after the handshake, during the hello — the pin, and no key material in errors. The PKI comes
 * from scripts/test-pki.sh (openssl).
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TlsOptions, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TransportError } from '../../src/errors.js';
import { TLSError } from '../../src/transport/errors.js';
import { TLSSession } from '../../src/transport/tls.js';
import type { TLSCredentials } from '../../src/transport/tls-options.js';

const HELLO = '<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities><session-id>7</session-id></hello>]]>]]>';

let dir: string;
const pem = (name: string): string => readFileSync(join(dir, name), 'utf8');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-test-'));
  const script = fileURLToPath(new URL('../../../scripts/test-pki.sh', import.meta.url));
  execFileSync('bash', [script, dir]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A TLS server that answers with a hello (or, with `behaviour`, misbehaves). */
async function peer(options: Partial<TlsOptions> = {}, behaviour: 'hello' | 'close' = 'hello'): Promise<{ port: number; server: Server; clients: TLSSocket[] }> {
  const clients: TLSSocket[] = [];
  const server = createServer({ cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true, ...options }, (socket) => {
    clients.push(socket);
    socket.on('error', () => undefined);
    if (behaviour === 'close') socket.end();
    else socket.write(HELLO);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server, clients };
}

function client(extra: Partial<TLSCredentials> = {}): TLSCredentials {
  return { cert: pem('client.pem'), key: pem('client.key'), ca: pem('ca.pem'), ...extra };
}

async function expectTls(promise: Promise<unknown>, reason: string, check?: (err: TLSError) => void): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof TLSError, `expected a TLSError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    assert.doesNotMatch(err.message, /PRIVATE KEY|secret/);
    check?.(err);
    return true;
  });
}

describe('TLSSession', () => {
  it('mutual TLS, then the hello: session-id, capabilities, the server certificate', async () => {
    const { port, server } = await peer();
    const session = new TLSSession();
    const lines: string[] = [];
    await session.connect({ host: '127.0.0.1', port, tls: client(), log: (line) => lines.push(line) });
    assert.equal(session.id, '7');
    assert.equal(session.connected, true);
    assert.match(session.peer, /127\.0\.0\.1:\d+ \(TLS\)/);
    assert.equal(session.peerCertificate?.subject?.CN, 'netconf-server');
    assert.ok(lines.some((line) => /TLSv1\.3 established/.test(line)), lines.join('\n'));
    await session.close();
    server.close();
  });

  it('localhost by name (SNI and the DNS SAN), an encrypted key with its passphrase', async () => {
    const { port, server } = await peer();
    const session = new TLSSession();
    await session.connect({ host: 'localhost', port, tls: client({ key: pem('client-enc.key'), passphrase: 'secret' }) });
    assert.equal(session.id, '7');
    await session.close();
    server.close();
  });

  it('the server\'s certificate from an unknown CA: unknown-ca', async () => {
    const { port, server } = await peer();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client({ ca: pem('other-ca.pem') }) }), 'unknown-ca');
    server.close();
  });

  it('a name mismatch: name-mismatch (servername given, and a certificate for another name)', async () => {
    const { port, server } = await peer();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client({ servername: 'router9.example' }) }), 'name-mismatch');
    server.close();
    const wrong = await peer({ cert: pem('server-wrong-name.pem'), key: pem('server-wrong-name.key') });
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port: wrong.port, tls: client() }), 'name-mismatch');
    wrong.server.close();
  });

  it('an expired and a not-yet-valid certificate', async () => {
    const expired = await peer({ cert: pem('server-expired.pem'), key: pem('server-expired.key') });
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port: expired.port, tls: client() }), 'expired');
    expired.server.close();
    const early = await peer({ cert: pem('server-not-yet-valid.pem'), key: pem('server-not-yet-valid.key') });
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port: early.port, tls: client() }), 'not-yet-valid');
    early.server.close();
  });

  it('TLS 1.3: no client certificate → the server\'s alert arrives during the hello, still a TLSError', async () => {
    const { port, server } = await peer();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: { ca: pem('ca.pem') } }), 'certificate-required', (err) => assert.equal(err.alert, 'certificate required'));
    server.close();
  });

  it('TLS 1.3: a client certificate from another CA → the server hangs up during the hello (Node\'s server sends no alert): still a TLSError', async () => {
    const { port, server } = await peer();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client({ cert: pem('other-client.pem'), key: pem('other-client.key') }) }), 'handshake', (err) => assert.match(err.message, /during the hello, without a TLS alert/));
    server.close();
  });

  it('TLS 1.2: the same refusal comes during the handshake, as an alert', async () => {
    const { port, server } = await peer({ maxVersion: 'TLSv1.2' });
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: { ca: pem('ca.pem') } }), 'alert', (err) => assert.equal(err.alert, 'handshake failure'));
    server.close();
  });

  it('a server that only speaks TLS 1.1: protocol-version', async () => {
    const { port, server } = await peer({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client() }), 'protocol-version');
    server.close();
  });

  it('a server that hangs up after the handshake without an alert: TLSError, not SessionCloseError', async () => {
    const { port, server } = await peer({}, 'close');
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client() }), 'handshake');
    server.close();
  });

  it('a pinned fingerprint: alone it accepts a certificate no CA vouches for; a wrong pin is refused', async () => {
    const { port, server } = await peer();
    const fingerprint = execFileSync('openssl', ['x509', '-in', join(dir, 'server.pem'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).split('=')[1]?.trim() as string;
    const pinned = new TLSSession();
    await pinned.connect({ host: '127.0.0.1', port, tls: { cert: pem('client.pem'), key: pem('client.key'), fingerprint: fingerprint.toLowerCase() } });
    await pinned.close();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client({ fingerprint: 'AA'.repeat(32) }) }), 'fingerprint-mismatch');
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: { cert: pem('client.pem'), key: pem('client.key'), fingerprint: 'AA'.repeat(32) } }), 'fingerprint-mismatch');
    server.close();
  });

  it('a wrong passphrase, a closed port, a server that never answers: typed errors in bounded time', async () => {
    const { port, server } = await peer();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port, tls: client({ key: pem('client-enc.key'), passphrase: 'wrong' }) }), 'handshake');
    server.close();
    await new Promise((resolve) => server.once('close', resolve));
    await assert.rejects(new TLSSession().connect({ host: '127.0.0.1', port, tls: client() }), (err: unknown) => err instanceof TransportError && !(err instanceof TLSError) && /Could not connect/.test(err.message));
    const silent = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const started = Date.now();
    await expectTls(new TLSSession().connect({ host: '127.0.0.1', port: (silent.address() as AddressInfo).port, timeout: 0.5, tls: client() }), 'handshake', (err) => assert.match(err.message, /Timed out after 0\.5 s/));
    assert.ok(Date.now() - started < 3000);
    silent.close();
  });
});
