/**
 * `netconf serve --tls` (NETCONF over TLS, with given or generated certificates) and
 * `netconf serve --call-home HOST:PORT` (RFC 8071), run as a subprocess; the client side is Node's
 * `tls` and ssh2's client with bare end-of-message framing.
 */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import ssh2, { type ClientChannel } from 'ssh2';
import { generateTestPki, type TestPki } from '../../src/simulator/index.js';
import { RawNetconf, sessionIdOf } from '../simulator/raw-netconf.js';
import { cleanEnv, runCli, startCli, waitFor } from './cli-helpers.js';

const { Client } = ssh2;

let work: string;
let pki: TestPki;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-cli-serve-tls-'));
  pki = await generateTestPki({ dir: join(work, 'pki') });
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  return cleanEnv(work);
}

/** Start `netconf serve ARGS` and wait for its "press Ctrl-C" line. */
async function serve(args: string[]): Promise<ReturnType<typeof startCli>> {
  const run = startCli(['serve', ...args], { env: env(), timeout: 60_000 });
  await Promise.race([
    waitFor('the simulator to start', () => /press Ctrl-C to stop/.test(run.stderr())),
    run.result.then((r) => {
      throw new Error(`serve exited ${r.code}: ${r.stderr}`);
    }),
  ]);
  return run;
}

async function stop(run: ReturnType<typeof startCli>): Promise<void> {
  run.child.kill('SIGINT');
  await run.result;
}

function listeningPort(stderr: string): number {
  const m = /listening on 127\.0\.0\.1:(\d+) over TLS/.exec(stderr);
  assert.ok(m, stderr);
  return Number(m[1]);
}

describe('netconf serve --tls', () => {
  it('without certificates: generates a test PKI, prints where and how to connect, and serves with it', async () => {
    const run = await serve(['--tls', '--port', '0']);
    try {
      const err = run.stderr();
      const port = listeningPort(err);
      const m = /--tls --cert (\S+) --key (\S+) --ca (\S+)/.exec(err);
      assert.ok(m, err);
      const [, certFile, keyFile, caFile] = m as unknown as [string, string, string, string];
      assert.match(err, /test PKI generated in \S+/);
      assert.match(err, /server certificate SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
      for (const f of [certFile, keyFile, caFile]) assert.ok(existsSync(f), f);
      const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', cert: await readFile(certFile), key: await readFile(keyFile), ca: await readFile(caFile) });
      const nc = new RawNetconf(socket);
      assert.ok(sessionIdOf(await nc.hello()));
      assert.match(await nc.rpc('<get-config><source><running/></source></get-config>'), /<data/);
      socket.destroy();
      // a certificate of another CA is refused, and reported
      const bad = tlsConnect({ host: '127.0.0.1', port, cert: pki.otherClient.cert, key: pki.otherClient.key, ca: await readFile(caFile) });
      bad.on('error', () => undefined);
      await assert.rejects(new RawNetconf(bad).next());
      await waitFor('the refusal', () => /refused 127\.0\.0\.1:\d+/.test(run.stderr()));
      const dir = /test PKI generated in (\S+) /.exec(err)?.[1];
      assert.ok(dir && existsSync(dir));
      await stop(run);
      assert.ok(!existsSync(dir), 'the generated PKI is removed at the end');
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('with --cert/--key/--ca and cert-to-name by fingerprint; --user restricts the names', async () => {
    const args = ['--tls', '--port', '0', '--cert', pki.server.certFile, '--key', pki.server.keyFile, '--ca', pki.ca.certFile];
    const run = await serve([...args, '--cert-to-name', `${pki.client.fingerprint}=operator`, '--user', 'operator']);
    try {
      const port = listeningPort(run.stderr());
      const socket = tlsConnect({ host: '127.0.0.1', port, cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert });
      const nc = new RawNetconf(socket);
      assert.ok(sessionIdOf(await nc.hello()));
      const state = await nc.rpc('<get><filter type="subtree"><netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions/></netconf-state></filter></get>');
      assert.match(state, /<username>operator<\/username>/);
      socket.destroy();
      await stop(run);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('usage errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--tls', '--cert', pki.server.certFile], /needs all of --cert, --key and --ca .*missing --key, --ca/],
      [['--cert', pki.server.certFile], /--cert is for --tls/],
      [['--tls', '--host-key', pki.server.keyFile], /--host-key is for SSH/],
      [['--call-home', '127.0.0.1:4334', '--port', '1'], /give the port as HOST:PORT/],
      [['--call-home', '127.0.0.1:99999'], /port must be 1 to 65535/],
      [['--reconnect', 'once'], /--reconnect is for --call-home/],
      [['--call-home', '127.0.0.1', '--reconnect', 'often'], /--reconnect must be/],
      [['--tls', '--cert-to-name', 'surname'], /--cert-to-name takes/],
      [['--tls', '--cert', join(work, 'missing.crt'), '--key', pki.server.keyFile, '--ca', pki.ca.certFile], /--cert .*missing\.crt/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['serve', ...args], { env: env() });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });
});

describe('netconf serve --call-home', () => {
  async function station(): Promise<{ port: number; accepted: () => Promise<Socket>; close: () => Promise<void> }> {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return {
      port: (server.address() as AddressInfo).port,
      accepted: async () => {
        await waitFor('the call', () => sockets.length > 0);
        return sockets.shift() as Socket;
      },
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('calls the client over SSH; the known_hosts line names the address it calls from', async () => {
    const st = await station();
    const knownHosts = join(work, 'call-home-known_hosts');
    const run = await serve(['--call-home', `127.0.0.1:${st.port}`, '--user', 'admin', '--password', 'pw', '--write-known-hosts', knownHosts]);
    try {
      assert.match(run.stderr(), new RegExp(`calling home 127\\.0\\.0\\.1:${st.port} over SSH`));
      const line = (await readFile(knownHosts, 'utf8')).trim();
      assert.match(line, /^127\.0\.0\.1 ssh-ed25519 AAAA/);
      const sock = await st.accepted();
      const client = new Client();
      let presented = '';
      await new Promise<void>((resolve, reject) => {
        client.once('ready', () => resolve()).once('error', reject);
        client.connect({ sock, username: 'admin', password: 'pw', hostVerifier: (key: Buffer) => ((presented = key.toString('base64')), true) });
      });
      assert.equal(`127.0.0.1 ssh-ed25519 ${presented}`, line);
      const channel = await new Promise<ClientChannel>((resolve, reject) => client.subsys('netconf', (err, ch) => (err ? reject(err) : resolve(ch))));
      const nc = new RawNetconf(channel);
      assert.ok(sessionIdOf(await nc.hello()));
      await waitFor('the call to be reported', () => /called 127\.0\.0\.1:\d+ from 127\.0\.0\.1:\d+/.test(run.stderr()));
      client.end();
      await stop(run);
    } finally {
      run.child.kill('SIGKILL');
      await st.close();
    }
  });

  it('--tls --reconnect once: one TLS call, and the command ends with the connection', async () => {
    const st = await station();
    const run = await serve(['--call-home', `127.0.0.1:${st.port}`, '--tls', '--cert', pki.server.certFile, '--key', pki.server.keyFile, '--ca', pki.ca.certFile, '--reconnect', 'once']);
    try {
      const socket = tlsConnect({ socket: await st.accepted(), host: '127.0.0.1', cert: pki.client.cert, key: pki.client.key, ca: pki.ca.cert });
      const nc = new RawNetconf(socket);
      assert.ok(sessionIdOf(await nc.hello()));
      await nc.rpc('<close-session/>');
      const r = await run.result;
      assert.equal(r.code, 0, r.stderr);
    } finally {
      run.child.kill('SIGKILL');
      await st.close();
    }
  });

  it('--max-attempts: gives up with exit status 3 when nobody listens', async () => {
    const st = await station();
    const port = st.port;
    await st.close();
    const r = await runCli(['serve', '--call-home', `127.0.0.1:${port}`, '--interval', '0.05', '--max-attempts', '3'], { env: env() });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /calling 127\.0\.0\.1:\d+ failed \(connect ECONNREFUSED.*giving up/);
  });
});
