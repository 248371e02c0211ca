/**
 * `netconf listen --call-home ssh|tls COMMAND` as a subprocess. A "device" is a TCP relay that
 * connects to the port the command listens on and bridges to the simulator's SSH (or TLS) port:
 * the device side of RFC 8071, as socat does it in the integration tests. The relay may dial from
 * 127.0.0.2 so that a device has an address known_hosts does not list.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { cleanEnv, REPO, runCli, startCli, waitFor } from './cli-helpers.js';

const CONFIG = '<config><system xmlns="urn:example:system"><hostname>called-home</hostname></system></config>';

let dir: string;
let sim: Simulator;
let other: Simulator;
let tlsSim: Simulator;
/** `type base64` of the simulator's host key. */
let simKey: string;
const file = (name: string): string => join(dir, name);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netconf-cli-listen-'));
  execFileSync('bash', [join(REPO, 'scripts', 'test-pki.sh'), join(dir, 'pki')]);
  sim = await startSimulator({ users: [{ username: 'admin', password: 'pw' }], config: CONFIG });
  other = await startSimulator({ users: [{ username: 'admin', password: 'pw' }] });
  const pem = (name: string): string => readFileSync(join(dir, 'pki', name), 'utf8');
  tlsSim = await startSimulator({ tls: { cert: pem('server.pem'), key: pem('server.key'), ca: pem('ca.pem') }, config: CONFIG });
  simKey = sim.knownHostsLine.split(' ').slice(1).join(' ');
});

after(async () => {
  await sim?.close();
  await other?.close();
  await tlsSim?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A device calling home: connects (from `from`) to the CLI's port and relays to `serverPort`. */
function device(clientPort: number, serverPort: number, from = '127.0.0.1'): { stop(): void } {
  const out: Socket = tcpConnect({ host: '127.0.0.1', port: clientPort, localAddress: from });
  const back: Socket = tcpConnect({ host: '127.0.0.1', port: serverPort });
  out.pipe(back).pipe(out);
  out.on('error', () => back.destroy());
  back.on('error', () => out.destroy());
  out.on('close', () => back.destroy());
  back.on('close', () => out.destroy());
  return { stop: () => out.destroy() };
}

/** A device that calls until the client listens (RFC 8071's reconnect), then relays. */
function persistentDevice(clientPort: number, serverPort: number): { stop(): void } {
  let current: Socket | undefined;
  let stopped = false;
  const call = (): void => {
    if (stopped) return;
    const out = tcpConnect({ host: '127.0.0.1', port: clientPort });
    current = out;
    out.once('error', () => setTimeout(call, 100));
    out.once('connect', () => {
      out.removeAllListeners('error');
      const back = tcpConnect({ host: '127.0.0.1', port: serverPort });
      out.pipe(back).pipe(out);
      out.on('error', () => back.destroy());
      back.on('error', () => out.destroy());
      out.on('close', () => back.destroy());
      back.on('close', () => out.destroy());
    });
  };
  call();
  return {
    stop: () => {
      stopped = true;
      current?.destroy();
    },
  };
}

/** A port nobody listens on (now). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function knownHosts(name: string, lines: string): string {
  writeFileSync(file(name), lines);
  return file(name);
}

const env = (): NodeJS.ProcessEnv => cleanEnv(dir, { PW: 'pw' });
const SSH = ['listen', '--call-home', 'ssh', '--listen-address', '127.0.0.1', '--port', '0', '-u', 'admin', '--password-env', 'PW'];

/** Start `netconf ARGS` and wait for its "listening on" line; its port. */
async function listening(args: string[]): Promise<{ run: ReturnType<typeof startCli>; port: number }> {
  const run = startCli(args, { env: env(), timeout: 60_000 });
  const m = await Promise.race([
    waitFor('the listening line', () => /listening on 127\.0\.0\.1:(\d+) for/.exec(run.stderr())),
    run.result.then((r) => {
      throw new Error(`listen exited ${r.code}: ${r.stderr}`);
    }),
  ]);
  return { run, port: Number((m as RegExpMatchArray)[1]) };
}

/**
 * `netconf ARGS` (listening for one device): a device from 127.0.0.2 relaying to `badPort` calls
 * first (to be rejected), then one from 127.0.0.1 relaying to `goodPort`; the run's result.
 */
async function rejectThenServe(args: string[], badPort = other.port, goodPort = sim.port): Promise<Awaited<ReturnType<typeof startCli>['result']>> {
  const { run, port } = await listening(args);
  const bad = device(port, badPort, '127.0.0.2');
  await waitFor('the rejection', () => /rejected a device/.test(run.stderr()));
  const good = device(port, goodPort);
  const r = await run.result;
  bad.stop();
  good.stop();
  return r;
}

describe('netconf listen --call-home ssh', { concurrency: true }, () => {
  it('runs get-config on the device that calls in; a device with an unknown key is reported and listening goes on', async () => {
    const kh = knownHosts('kh-good', `127.0.0.1 ${simKey}\n`);
    const r = await rejectThenServe([...SSH, '--known-hosts', kh, 'get-config']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<hostname>called-home<\/hostname>/);
    assert.match(r.stderr, /netconf: rejected a device: the host key of device 127\.0\.0\.2 \(called from port \d+\) is not known: refusing to connect\./);
    assert.ok(r.stderr.includes(`\n  127.0.0.2 ${other.knownHostsLine.split(' ').slice(1).join(' ')}\n`), `the known_hosts line to add:\n${r.stderr}`);
    assert.ok(r.stderr.includes(`netconf: device 127.0.0.1 (port `), r.stderr);
    assert.ok(r.stderr.includes(`called home over SSH: host key ${sim.hostKey.sha256}`), r.stderr);
  });

  it('a changed key under the address is refused; --count 2 serves two devices, one header each', async () => {
    const kh = knownHosts('kh-two', `127.0.0.1 ${simKey}\n`);
    const { run, port } = await listening([...SSH, '--known-hosts', kh, '--count', '2', 'hello', '--json']);
    const changed = device(port, other.port);
    await waitFor('the rejection', () => /rejected a device/.test(run.stderr()));
    const devices = [device(port, sim.port), device(port, sim.port)];
    const r = await run.result;
    changed.stop();
    for (const d of devices) d.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rejected a device: WARNING: the host key of device 127\.0\.0\.1 \(called from port \d+\) has CHANGED/);
    assert.equal(r.stderr.match(/called home over SSH/g)?.length, 2, r.stderr);
    const hellos = r.stdout.trim().split(/\n(?=\{)/).map((text) => JSON.parse(text) as { host: string; 'session-id': string });
    assert.equal(hellos.length, 2);
    assert.ok(hellos.every((h) => h.host === '127.0.0.1'));
    assert.notEqual(hellos[0]?.['session-id'], hellos[1]?.['session-id']);
  });

  it('--device ADDRESS=NAME: the device is checked under NAME; an unknown key is reported with a NAME line to add', async () => {
    // known_hosts names the device only by name: by address it would be unknown
    const kh = knownHosts('kh-named', `router-a ${simKey}\n`);
    const r = await rejectThenServe([...SSH, '--known-hosts', kh, '--device', '127.0.0.1=router-a', '--device', '127.0.0.2=router-b', 'get-config']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<hostname>called-home<\/hostname>/);
    assert.match(r.stderr, /device 127\.0\.0\.1 \(port \d+\) called home over SSH as router-a: host key /);
    assert.match(r.stderr, /rejected a device: the host key of device 127\.0\.0\.2 \(router-b\) \(called from port \d+\) is not known/);
    assert.ok(r.stderr.includes(`\n  router-b ${other.knownHostsLine.split(' ').slice(1).join(' ')}\n`), `the known_hosts line to add:\n${r.stderr}`);
    // malformed or repeated --device: usage errors
    for (const bad of [['--device', 'router-a'], ['--device', '=x'], ['--device', '127.0.0.1='], ['--device', '127.0.0.1=a', '--device', '127.0.0.1=b']]) {
      const u = await runCli([...SSH, ...bad, 'hello'], { env: env() });
      assert.equal(u.code, 2, `${bad.join(' ')}: ${u.stderr}`);
      assert.match(u.stderr, /--device/);
    }
  });

  it('--accept-new records the key of a new device as a plain ADDRESS line', async () => {
    const kh = file('kh-accept');
    const port = await freePort();
    const args = [...SSH, '--known-hosts', kh, '--accept-new', 'get', '--quiet'];
    args[args.indexOf('--port') + 1] = String(port);
    const run = startCli(args, { env: env(), timeout: 60_000 });
    const d = persistentDevice(port, sim.port);
    const r = await run.result;
    d.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(kh, 'utf8'), `127.0.0.1 ${simKey}\n`);
    assert.match(r.stderr, /^netconf: device 127\.0\.0\.1 \(port \d+\) called home over SSH/m, 'the header even with --quiet');
  });

  it('--wait: no device in time is exit 3', async () => {
    const r = await runCli([...SSH, '--wait', '0.5', 'hello'], { env: env() });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /netconf: no device called home on 127\.0\.0\.1:\d+ within 0\.5 s\n$/);
  });

  it('a port in use is exit 3', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    const r = await runCli(['listen', '--call-home', 'ssh', '--listen-address', '127.0.0.1', '--port', String(busy), 'hello'], { env: env() });
    blocker.close();
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1 port ${busy}: the port is in use`));
  });

  it('the command fails on the device: its status and message, the device named', async () => {
    const kh = knownHosts('kh-fail', `127.0.0.1 ${simKey}\n`);
    const { run, port } = await listening([...SSH, '--known-hosts', kh, 'get-config', '--source', 'startup', '--xpath', '/nothing[']);
    const d = device(port, sim.port);
    const r = await run.result;
    d.stop();
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /called home over SSH/);
  });
});

describe('netconf listen --call-home tls', { concurrency: true }, () => {
  const TLS = (): string[] => ['listen', '--call-home', 'tls', '--listen-address', '127.0.0.1', '--port', '0', '--cert', file('pki/client.pem'), '--key', file('pki/client.key'), '--ca', file('pki/ca.pem')];

  it('the device\'s certificate is verified against --ca and its address; get-config on it; the subject in the header', async () => {
    const { run, port } = await listening([...TLS(), 'get-config']);
    const d = device(port, tlsSim.port);
    const r = await run.result;
    d.stop();
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<hostname>called-home<\/hostname>/);
    assert.match(r.stderr, /device 127\.0\.0\.1 \(port \d+\) called home over TLS: certificate .*CN=netconf-server/);
  });

  it('a device whose certificate is not issued for its address is rejected (the name it is checked under), and listening goes on', async () => {
    const r = await rejectThenServe([...TLS(), 'hello'], tlsSim.port, tlsSim.port);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rejected a device: the certificate of device 127\.0\.0\.2 \(called from port \d+\) is not issued for 127\.0\.0\.2/);
    assert.match(r.stdout, /^session-id: \d+/);
  });
});

describe('netconf listen: usage errors (exit 2)', { concurrency: true }, () => {
  async function usage(args: string[], pattern: RegExp): Promise<void> {
    const r = await runCli(args, { env: env() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, pattern);
  }

  it('without --call-home, without a command, with a command that does not connect', async () => {
    await usage(['listen', 'get-config'], /listen needs --call-home ssh or --call-home tls/);
    await usage(['listen', '--call-home', 'ssh'], /listen needs a COMMAND to run on each device/);
    await usage(['listen', '--call-home', 'udp', 'hello'], /--call-home must be ssh or tls, got 'udp'/);
    await usage(['listen', '--call-home', 'ssh', 'serve'], /serve cannot run on a device that called home/);
    await usage(['listen', '--call-home', 'ssh', 'frobnicate'], /unknown command 'frobnicate'/);
    await usage(['listen', '--call-home', 'ssh', 'get-config', 'router1'], /too many arguments for get-config: 'router1' \(the devices call in: no HOST argument\)/);
  });

  it('options that reach a server; SSH options with TLS and the other way round; --count', async () => {
    await usage(['listen', '--call-home', 'ssh', '--host', 'r1', 'hello'], /--host cannot be used with listen: the devices call in/);
    await usage(['listen', '--call-home', 'ssh', '-J', 'bastion', 'hello'], /-J\/--jump cannot be used with listen/);
    await usage(['listen', '--call-home', 'tls', '-u', 'admin', 'hello'], /-u\/--user is an SSH option: it cannot be used with --call-home tls/);
    await usage(['listen', '--call-home', 'ssh', '--cert', file('pki/client.pem'), 'hello'], /--cert is a TLS option: it needs --call-home tls/);
    await usage(['listen', '--call-home', 'ssh', '--tls', 'hello'], /--tls contradicts --call-home ssh/);
    await usage(['listen', '--call-home', 'ssh', '--count', 'x', 'hello'], /--count must be a number of devices/);
    await usage(['listen', '--call-home', 'tls', '--cert', file('pki/nope.pem'), '--key', file('pki/client.key'), 'hello'], /--cert \S+nope\.pem: cannot read it/);
  });

  it('--help', async () => {
    const r = await runCli(['listen', '--help'], { env: env() });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: netconf listen --call-home ssh\|tls/);
    for (const o of ['--call-home ssh|tls', '--count N', '--wait SECONDS', '--listen-address ADDRESS']) assert.ok(r.stdout.includes(o), o);
  });
});
