/**
 * The TLS and call-home test peers themselves (scripts/test-pki.sh, scripts/stunnel-netconf.sh,
 * test/integration/tls-peer.ts), proven with Node's `tls`/`net` and `openssl s_client` only: not
 * with this library.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { freePort, repoRoot, run, startNetconfd, type Netconfd } from './netconfd.js';
import { isRunning, processName } from './jump-host.js';
import { callHomeDevice, makeTestPki, pem, startTlsPeer, type CallHomeDevice, type TlsPeer } from './tls-peer.js';

const HELLO =
  '<?xml version="1.0" encoding="UTF-8"?><hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>' +
  '<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>';
const SCRIPT = join(repoRoot(), 'scripts', 'stunnel-netconf.sh');

let server: Netconfd | undefined;
let peer: TlsPeer | undefined;
let work = '';
let startMs = 0;
const devices = new Set<CallHomeDevice>();
const listeners = new Set<Server>();
const sockets = new Set<Socket>();

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-tlstest-work-'));
  const t0 = Date.now();
  server = await startNetconfd('tls-infra');
  peer = await startTlsPeer('infra', server);
  startMs = Date.now() - t0;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await Promise.allSettled([...devices].map((d) => d.stop()));
  await Promise.allSettled([...listeners].map((l) => new Promise((r) => l.close(r))));
  const results = await Promise.allSettled([peer?.stop(), server?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
});

interface HelloResult {
  /** netconfd's hello (up to and including `]]>]]>`), when one arrived. */
  hello?: string;
  sessionId?: number;
  /** The TLS handshake completed on the client side. */
  secure: boolean;
  protocol?: string | null;
  error?: NodeJS.ErrnoException;
  timedOut: boolean;
}

/**
 * TLS-connect (or wrap `options.socket`), send a NETCONF 1.0 hello after the handshake and read
 * the server's hello; then close. Never rejects.
 */
function tlsHello(
  options: tls.ConnectionOptions,
  timeoutMs = 10_000,
  beforeClose?: (r: HelloResult) => Promise<void>,
): Promise<HelloResult> {
  return new Promise((resolveHello) => {
    const result: HelloResult = { secure: false, timedOut: false };
    let data = '';
    let done = false;
    const socket = tls.connect(options);
    sockets.add(socket);
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      sockets.delete(socket);
      resolveHello(result);
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      finish();
    }, timeoutMs);
    socket.once('secureConnect', () => {
      result.secure = true;
      result.protocol = socket.getProtocol();
      socket.write(HELLO);
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf(']]>]]>');
      if (end >= 0 && data.includes('<hello')) {
        result.hello = data.slice(0, end + 6);
        const m = /<session-id>(\d+)<\/session-id>/.exec(result.hello);
        if (m) result.sessionId = Number(m[1]);
        if (beforeClose) void beforeClose(result).finally(finish);
        else finish();
      }
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      result.error = err;
      finish();
    });
    socket.once('close', finish);
  });
}

/** Client options for the peer with the given credentials (PEM contents); servername `localhost`. */
function clientOptions(port: number, o: { cert?: string; key?: string; ca?: string; passphrase?: string } = {}): tls.ConnectionOptions {
  const p = peer!.pki;
  return {
    host: peer!.host,
    port,
    servername: 'localhost',
    ca: o.ca ?? pem(p.ca),
    ...(o.cert !== undefined ? { cert: o.cert } : {}),
    ...(o.key !== undefined ? { key: o.key } : {}),
    ...(o.passphrase !== undefined ? { passphrase: o.passphrase } : {}),
  };
}

const goodClient = () => ({ cert: pem(peer!.pki.client), key: pem(peer!.pki.clientKey) });

function assertHello(r: HelloResult, what: string): void {
  assert.ok(r.hello, `${what}: no hello (${r.error?.code ?? ''} ${r.error?.message ?? ''}${r.timedOut ? ' timed out' : ''})`);
  assert.match(r.hello, /urn:ietf:params:netconf:base:1\.0/);
  assert.ok(r.sessionId !== undefined && r.sessionId > 0, `${what}: no session-id in ${r.hello}`);
}

function assertRefused(r: HelloResult, what: string, code?: RegExp): void {
  assert.equal(r.hello, undefined, `${what}: got a hello`);
  assert.equal(r.timedOut, false, `${what}: hung`);
  if (code) assert.match(r.error?.code ?? '(no error)', code, `${what}: ${r.error?.message ?? 'closed without error'}`);
}

/** A TCP listener on a free loopback port (the client's call-home port). */
async function listen(port = 0): Promise<{ server: Server; port: number; next(): Promise<Socket> }> {
  const srv = createServer();
  listeners.add(srv);
  const queue: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  srv.on('connection', (s) => {
    sockets.add(s);
    const w = waiting.shift();
    if (w) w(s);
    else queue.push(s);
  });
  await new Promise<void>((r, reject) => {
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => r());
  });
  return {
    server: srv,
    port: (srv.address() as AddressInfo).port,
    next: () => {
      const s = queue.shift();
      return s ? Promise.resolve(s) : new Promise<Socket>((r) => waiting.push(r));
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]);
}

/** The SSH identification line the socket receives first. */
function readBanner(s: Socket, ms = 10_000): Promise<string> {
  return withTimeout(
    new Promise<string>((resolveBanner, reject) => {
      let data = '';
      s.on('data', (d: Buffer) => {
        data += d.toString('latin1');
        const m = /^(SSH-2\.0-[^\r\n]*)\r?\n/.exec(data);
        if (m) resolveBanner(m[1]!);
      });
      s.once('close', () => reject(new Error(`closed before the banner: ${JSON.stringify(data)}`)));
    }),
    ms,
    'SSH banner',
  );
}

async function device(options: Parameters<typeof callHomeDevice>[0]): Promise<CallHomeDevice> {
  const d = await callHomeDevice(options);
  devices.add(d);
  return d;
}

/** openssl s_client: send our hello, return stdout once netconfd's hello arrived (or it exited). */
function sClient(args: string[], timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('openssl', ['s_client', '-quiet', '-verify_return_error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes(']]>]]>')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.write(HELLO);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

describe('TLS peer (stunnel4 + netconf-subsystem) and call-home relay, with Node tls / openssl only', () => {
  it('starts on 7 consecutive ports with a complete PKI', (t) => {
    t.diagnostic(`netconfd + stunnel started in ${startMs} ms`);
    const p = peer!;
    assert.equal(p.host, '127.0.0.1');
    assert.equal(p.port, p.ports.good);
    assert.deepEqual(
      Object.values(p.ports),
      Array.from({ length: 7 }, (_, i) => p.port + i),
    );
    assert.equal(p.username, 'nctest');
    assert.equal(p.tlsMin, 'TLSv1.2');
    assert.equal(p.tlsMax, 'TLSv1.3');
    assert.equal(p.netconfd.port, server!.port);
    for (const [k, v] of Object.entries(p.pki)) {
      if (k === 'dir' || k === 'clientEncPassphrase') continue;
      assert.ok(existsSync(v), `${k}: ${v}`);
      if (k.endsWith('Key')) assert.equal(statSync(v).mode & 0o777, 0o600, k);
    }
    assert.match(pem(p.pki.clientEncKey), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    assert.ok(isRunning(p.pid));
    assert.deepEqual(p.pids(), [p.pid]);
    assert.match(p.log(), /Service \[good\] \(FD=\d+\) bound to 127\.0\.0\.1:/);
  });

  it('status reports the daemon', async () => {
    await run('bash', [SCRIPT, 'status', peer!.stateDir]);
  });

  it('serves netconfd\'s hello to a client with our client certificate, USER = its CN', async () => {
    // netconfd logs the session's user once it has our hello: keep the session open until then
    let active = false;
    const r = await tlsHello(clientOptions(peer!.port, goodClient()), 10_000, async (h) => {
      const line = new RegExp(`Session ${h.sessionId} for nctest@127\\.0\\.0\\.1 now active`);
      for (let i = 0; i < 100 && !active; i++) {
        active = line.test(readFileSync(join(server!.stateDir, 'netconfd.log'), 'utf8'));
        if (!active) await new Promise((res) => setTimeout(res, 50));
      }
    });
    assertHello(r, 'good');
    assert.equal(r.protocol, 'TLSv1.3');
    assert.match(peer!.subsystemLog(), /user=nctest from=127\.0\.0\.1:\d+ subject='CN=nctest' issuer='CN=netconfkit test CA'/);
    assert.ok(
      active,
      `netconfd.log has no 'Session ${r.sessionId} for nctest@127.0.0.1 now active':\n` +
        readFileSync(join(server!.stateDir, 'netconfd.log'), 'utf8').split('\n').slice(-30).join('\n') +
        `\nstunnel:\n${peer!.log().split('\n').slice(-30).join('\n')}\nsubsystem: ${peer!.subsystemLog()}`,
    );
  });

  it('answers an <rpc> sent in the same write as the hello (netconf-gate pacing)', async () => {
    // netconfd alone loses what arrives in one read with the client's hello (over SSH too)
    const rpc =
      '<?xml version="1.0" encoding="UTF-8"?><rpc message-id="7" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">' +
      '<close-session/></rpc>]]>]]>';
    for (let i = 0; i < 3; i++) {
      const s = tls.connect(clientOptions(peer!.port, goodClient()));
      sockets.add(s);
      const reply = await withTimeout(
        new Promise<string>((resolveReply, reject) => {
          let data = '';
          s.once('secureConnect', () => s.write(HELLO + rpc));
          s.setEncoding('utf8');
          s.on('data', (d: string) => {
            data += d;
            if (/<rpc-reply[^>]*message-id="7"[\s\S]*?\]\]>\]\]>/.test(data)) resolveReply(data);
          });
          s.once('error', reject);
          s.once('close', () => reject(new Error(`closed: ${data}`)));
        }),
        10_000,
        'rpc-reply',
      );
      assert.match(reply, /<ok\/>/);
      s.destroy();
    }
  });

  it('accepts the encrypted client key with its passphrase', async () => {
    const p = peer!.pki;
    const r = await tlsHello(clientOptions(peer!.port, { cert: pem(p.client), key: pem(p.clientEncKey), passphrase: p.clientEncPassphrase }));
    assertHello(r, 'encrypted key');
  });

  it('serves TLS 1.2-only and 1.3-only services', async () => {
    const r12 = await tlsHello(clientOptions(peer!.ports.tls12, goodClient()));
    assertHello(r12, 'tls12');
    assert.equal(r12.protocol, 'TLSv1.2');
    const r13 = await tlsHello(clientOptions(peer!.ports.tls13, goodClient()));
    assertHello(r13, 'tls13');
    assert.equal(r13.protocol, 'TLSv1.3');
  });

  it('refuses a client without a certificate (TLS 1.3: alert after the handshake; TLS 1.2: handshake failure)', async (t) => {
    const r13 = await tlsHello(clientOptions(peer!.port));
    t.diagnostic(`TLS 1.3, no client certificate: secure=${r13.secure} ${r13.error?.code} ${r13.error?.message}`);
    assertRefused(r13, 'no cert, TLS 1.3', /CERTIFICATE_REQUIRED|ECONNRESET|EPIPE/);
    const r12 = await tlsHello(clientOptions(peer!.ports.tls12));
    t.diagnostic(`TLS 1.2, no client certificate: secure=${r12.secure} ${r12.error?.code} ${r12.error?.message}`);
    assertRefused(r12, 'no cert, TLS 1.2', /HANDSHAKE_FAILURE/);
    assert.equal(r12.secure, false);
    assert.match(peer!.log(), /peer did not return a certificate|certificate required/i);
  });

  it('refuses a client certificate from another CA', async (t) => {
    const p = peer!.pki;
    const other = { cert: pem(p.otherClient), key: pem(p.otherClientKey) };
    const r13 = await tlsHello(clientOptions(peer!.port, other));
    t.diagnostic(`TLS 1.3, other CA: secure=${r13.secure} ${r13.error?.code} ${r13.error?.message}`);
    assertRefused(r13, 'other CA, TLS 1.3', /UNKNOWN_CA|ECONNRESET|EPIPE/);
    const r12 = await tlsHello(clientOptions(peer!.ports.tls12, other));
    t.diagnostic(`TLS 1.2, other CA: secure=${r12.secure} ${r12.error?.code} ${r12.error?.message}`);
    assertRefused(r12, 'other CA, TLS 1.2', /UNKNOWN_CA/);
    assert.equal(r12.secure, false);
  });

  it('refuses a TLS 1.1-only client; its tls11 service speaks TLS 1.1 only', async (t) => {
    const legacy = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
    const refused = await tlsHello({ ...clientOptions(peer!.port, goodClient()), ...legacy });
    t.diagnostic(`TLS 1.1 client -> good: ${refused.error?.code} ${refused.error?.message}`);
    assertRefused(refused, 'TLS 1.1 client', /PROTOCOL_VERSION/);
    // the tls11 service really is TLS 1.1 (so a failure there is about the version only)...
    const old = await tlsHello({ ...clientOptions(peer!.ports.tls11, goodClient()), ...legacy });
    assertHello(old, 'tls11 with a TLS 1.1 client');
    assert.equal(old.protocol, 'TLSv1.1');
    // ...which a default (TLS >= 1.2) client cannot talk to
    const modern = await tlsHello(clientOptions(peer!.ports.tls11, goodClient()));
    t.diagnostic(`default client -> tls11: ${modern.error?.code} ${modern.error?.message}`);
    assertRefused(modern, 'default client to tls11', /UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION/);
  });

  it('openssl s_client: hello with the client certificate, TLS 1.1 refused', async () => {
    const p = peer!.pki;
    const base = ['-connect', `127.0.0.1:${peer!.port}`, '-CAfile', p.ca, '-verify_hostname', 'localhost'];
    const ok = await sClient([...base, '-cert', p.client, '-key', p.clientKey]);
    assert.match(ok.stdout, /<session-id>\d+<\/session-id>/, ok.stderr);
    const old = await sClient([...base, '-cert', p.client, '-key', p.clientKey, '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']);
    assert.notEqual(old.code, 0);
    assert.match(old.stderr, /alert protocol version/);
    assert.doesNotMatch(old.stdout, /<hello/);
  });

  it('serves an expired, a not-yet-valid and a wrong-name server certificate where tls.json says', async (t) => {
    const cases = [
      ['expired', peer!.ports.expired, /^CERT_HAS_EXPIRED$/],
      ['notYetValid', peer!.ports.notYetValid, /^CERT_NOT_YET_VALID$/],
      ['wrongName', peer!.ports.wrongName, /^ERR_TLS_CERT_ALTNAME_INVALID$/],
    ] as const;
    for (const [name, port, code] of cases) {
      const r = await tlsHello(clientOptions(port, goodClient()));
      t.diagnostic(`${name}: ${r.error?.code} ${r.error?.message}`);
      assertRefused(r, name, code);
      // the very same service serves NETCONF to a client that does not check the certificate
      const unchecked = await tlsHello({ ...clientOptions(port, goodClient()), rejectUnauthorized: false });
      assertHello(unchecked, `${name} unchecked`);
    }
    // and a server certificate from a CA the client does not trust
    const unknown = await tlsHello(clientOptions(peer!.port, { ...goodClient(), ca: pem(peer!.pki.otherCa) }));
    t.diagnostic(`unknown server CA: ${unknown.error?.code} ${unknown.error?.message}`);
    // stunnel sends the CA certificate too (OpenSSL builds the chain from CAfile): SELF_SIGNED_CERT_IN_CHAIN
    assertRefused(unknown, 'unknown server CA', /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)$/);
  });

  it('call home over SSH: socat delivers the sshd banner to the client\'s listener', async () => {
    const l = await listen();
    const d = await device({ to: { host: '127.0.0.1', port: l.port }, via: { host: server!.host, port: server!.port } });
    const s = await withTimeout(l.next(), 10_000, 'call-home connection');
    assert.match(await readBanner(s), /^SSH-2\.0-OpenSSH_/);
    s.destroy();
    assert.equal(await withTimeout(d.exited, 10_000, 'socat exit'), 0);
  });

  it('call home over TLS: the client plays the TLS client on the accepted socket', async () => {
    const l = await listen();
    const d = await device({ to: { host: '127.0.0.1', port: l.port }, via: { host: peer!.host, port: peer!.port } });
    const s = await withTimeout(l.next(), 10_000, 'call-home connection');
    const r = await tlsHello({ ...clientOptions(0, goodClient()), socket: s });
    assertHello(r, 'TLS call home');
    assert.equal(await withTimeout(d.exited, 10_000, 'socat exit'), 0);
  });

  it('call home: the device retries until the client listens; several devices at once', async () => {
    const port = await freePort();
    const first = await device({ to: { host: '127.0.0.1', port }, via: { host: server!.host, port: server!.port }, retry: 50, interval: 0.1 });
    await new Promise((r) => setTimeout(r, 400)); // nobody listens yet: socat keeps retrying
    assert.equal(isRunning(first.pid), true, first.log());
    const l = await listen(port);
    const more = await Promise.all(
      [1, 2].map(() => device({ to: { host: '127.0.0.1', port }, via: { host: peer!.host, port: peer!.ports.tls12 } })),
    );
    const accepted = await Promise.all([0, 1, 2].map(() => withTimeout(l.next(), 10_000, 'call-home connection')));
    // the SSH device sends its banner at once; the TLS devices wait for our ClientHello
    const kinds = await Promise.all(
      accepted.map(
        (s) =>
          new Promise<'ssh' | 'tls'>((resolveKind) => {
            const timer = setTimeout(() => resolveKind('tls'), 700);
            s.once('data', (d: Buffer) => {
              clearTimeout(timer);
              s.pause();
              s.unshift(d);
              resolveKind(d.toString('latin1').startsWith('SSH-2.0-') ? 'ssh' : 'tls');
            });
          }),
      ),
    );
    assert.deepEqual([...kinds].sort(), ['ssh', 'tls', 'tls']);
    const tlsSockets = accepted.filter((_, i) => kinds[i] === 'tls');
    const hellos = await Promise.all(tlsSockets.map((s) => tlsHello({ ...clientOptions(0, goodClient()), socket: s })));
    for (const r of hellos) {
      assertHello(r, 'TLS call home (several)');
      assert.equal(r.protocol, 'TLSv1.2');
    }
    assert.notEqual(hellos[0]!.sessionId, hellos[1]!.sessionId);
    for (const s of accepted) s.destroy();
    const codes = await Promise.all([first, ...more].map((d) => withTimeout(d.exited, 10_000, 'socat exit')));
    assert.deepEqual(codes, [0, 0, 0]);
  });

  it('call home: a device whose client never listens gives up after its retries', async () => {
    const port = await freePort();
    const d = await device({ to: { host: '127.0.0.1', port }, via: { host: server!.host, port: server!.port }, retry: 2, interval: 0.1 });
    const code = await withTimeout(d.exited, 10_000, 'socat exit');
    assert.notEqual(code, 0);
    assert.match(d.log(), /Connection refused/);
  });

  it('makeTestPki is idempotent', async () => {
    const dir = join(work, 'pki');
    const a = await makeTestPki(dir);
    const caBefore = pem(a.ca);
    const t0 = Date.now();
    const b = await makeTestPki(dir);
    assert.equal(pem(b.ca), caBefore);
    assert.ok(Date.now() - t0 < 5_000);
  });

  it('stop ends the daemon and the netconf-subsystem of an open session', async () => {
    const p = peer!;
    // an open session: its netconf-subsystem runs as a child of stunnel
    const s = tls.connect(clientOptions(p.port, goodClient()));
    sockets.add(s);
    s.on('error', () => undefined);
    await withTimeout(
      new Promise<void>((r) => {
        let data = '';
        s.on('data', (d: Buffer) => {
          data += d.toString();
          if (data.includes(']]>]]>')) r();
        });
      }),
      10_000,
      'hello',
    );
    const pids = p.pids();
    assert.equal(pids[0], p.pid);
    assert.ok(
      pids.slice(1).some((pid) => processName(pid) === 'netconf-subsyst'),
      `no netconf-subsystem among the daemon's children: ${pids.map((pid) => `${pid}:${processName(pid)}`).join(' ')}`,
    );
    const t0 = Date.now();
    await p.stop();
    const stopMs = Date.now() - t0;
    assert.ok(stopMs < 5_000, `stop took ${stopMs} ms`);
    for (const pid of pids) assert.equal(isRunning(pid), false, `pid ${pid} still running`);
    assert.equal(existsSync(p.stateDir), false);
    await p.stop(); // idempotent
    await assert.rejects(run('bash', [SCRIPT, 'status', p.stateDir]));
    s.destroy();
  });
});
