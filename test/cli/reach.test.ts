/**
 * `netconf` reaching a server where it is: an ssh_config `Host` alias (`-F FILE`, the HOST
 * argument), `--proxy-command` (socat), `--keepalive`, `--debug` tracing the connection, and
 * one test through a jump host (a private OpenSSH sshd of scripts/jump-host.sh; the jump-host
 * cases themselves are in test/integration/ssh-jump.test.ts). The end host is the built-in
 * simulator, run in this process; the command runs as a subprocess.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startJumpHost, type JumpHost } from '../integration/jump-host.js';
import { freePort } from '../integration/netconfd.js';
import { blackHole } from '../helpers/black-hole.js';
import { cleanEnv, runCli, startCli, waitFor } from './cli-helpers.js';

const PASSWORD = 'S3cret-Pa55-QUUX';
const CONFIG = '<system xmlns="urn:example:system"><hostname>r1-from-the-simulator</hostname></system>';
const SOCAT = ['/usr/bin/socat', '/bin/socat', '/usr/local/bin/socat'].some((p) => existsSync(p));

let sim: Simulator;
let work: string;
/** known_hosts trusting the simulator. */
let trusted: string;
/** An ssh_config file with `router1` → the simulator. */
let sshConfig: string;

before(async () => {
  sim = await startSimulator({ users: [{ username: 'admin', password: PASSWORD }], config: CONFIG });
  work = await mkdtemp(join(tmpdir(), 'netconf-cli-reach-'));
  trusted = join(work, 'trusted_known_hosts');
  await writeFile(trusted, `${sim.knownHostsLine}\n`);
  sshConfig = await config('ssh_config', `Host router1\n  HostName 127.0.0.1\n  Port ${sim.port}\n  User admin\n`);
});

after(async () => {
  await sim?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Write a file in the work directory. */
async function config(name: string, text: string): Promise<string> {
  const file = join(work, name);
  await writeFile(file, text);
  return file;
}

/** A fresh HOME (nothing of the user's: no ~/.ssh/config, no known_hosts, no agent). */
async function home(name: string): Promise<string> {
  return mkdtemp(join(work, `${name}-`));
}

/** The environment: a private HOME, the password in PW (for --password-env PW). */
async function env(name: string, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  return cleanEnv(await home(name), { PW: PASSWORD, ...extra });
}

describe('an ssh_config Host alias', { concurrency: true }, () => {
  it('netconf get-config router1 -F FILE: HostName, Port and User from the file, the alias as HOST argument', async () => {
    const r = await runCli(['get-config', 'router1', '-F', sshConfig, '--known-hosts', trusted, '--password-env', 'PW'], { env: await env('alias-arg') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /<hostname>r1-from-the-simulator<\/hostname>/);
  });

  it('--host ALIAS works the same; hello --json names the alias and the port of the file', async () => {
    const r = await runCli(['hello', '--host', 'router1', '--ssh-config', sshConfig, '--known-hosts', trusted, '--password-env', 'PW', '--json'], { env: await env('alias-host') });
    assert.equal(r.code, 0, r.stderr);
    const hello = JSON.parse(r.stdout) as { host: string; port: number; capabilities: string[] };
    assert.equal(hello.host, 'router1');
    assert.equal(hello.port, sim.port);
    assert.ok(hello.capabilities.includes('urn:ietf:params:netconf:base:1.1'));
  });

  it("~/.ssh/config is read by default; ssh_config's Port and User beat NETCONF_PORT and NETCONF_USER", async () => {
    const h = await home('default-config');
    await mkdir(join(h, '.ssh'), { mode: 0o700 });
    await writeFile(join(h, '.ssh', 'config'), readFileSync(sshConfig, 'utf8'));
    await writeFile(join(h, '.ssh', 'known_hosts'), `${sim.knownHostsLine}\n`);
    const e = cleanEnv(h, { NETCONF_PASSWORD: PASSWORD, NETCONF_PORT: '1', NETCONF_USER: 'nobody' });
    const r = await runCli(['get-config', 'router1'], { env: e });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /r1-from-the-simulator/);
    // -F none: no file, so router1 is a host name that does not resolve
    const none = await runCli(['hello', 'router1', '-F', 'none', '--timeout', '10'], { env: e });
    assert.equal(none.code, 3, none.stderr);
    assert.match(none.stderr, /^netconf: cannot resolve the host name router1/);
  });

  it("the file's UserKnownHostsFile is trusted; an unknown key names the alias, its address and the line to add", async () => {
    const userKnown = join(work, 'user_known_hosts');
    await writeFile(userKnown, `${sim.knownHostsLine}\n`);
    const file = await config('ssh_config_ukh', `Host router1\n  HostName 127.0.0.1\n  Port ${sim.port}\n  User admin\n  UserKnownHostsFile ${userKnown}\n`);
    const ok = await runCli(['hello', 'router1', '-F', file, '--password-env', 'PW'], { env: await env('ukh') });
    assert.equal(ok.code, 0, ok.stderr);
    const refused = await runCli(['hello', 'router1', '-F', sshConfig, '--password-env', 'PW'], { env: await env('unknown-alias') });
    assert.equal(refused.code, 3, refused.stderr);
    assert.ok(refused.stderr.startsWith(`netconf: the host key of router1 (127.0.0.1:${sim.port}) is not known: refusing to connect.\n`), refused.stderr);
    assert.ok(refused.stderr.includes(`ssh-ed25519 key fingerprint is ${sim.hostKey.sha256}\n`), refused.stderr);
    assert.ok(refused.stderr.includes(`\n  ${sim.knownHostsLine}\n`), refused.stderr);
  });

  it('HostKeyAlias: the key is looked up, and would be recorded, under the alias (port 22 form)', async () => {
    const file = await config('ssh_config_hka', `Host router1\n  HostName 127.0.0.1\n  Port ${sim.port}\n  User admin\n  HostKeyAlias router1-key\n`);
    const refused = await runCli(['hello', 'router1', '-F', file, '--password-env', 'PW'], { env: await env('hka') });
    assert.equal(refused.code, 3, refused.stderr);
    assert.ok(refused.stderr.includes(`\n  router1-key ${sim.hostKey.publicKey}\n`), refused.stderr);
    const known = await config('known_hosts_hka', `router1-key ${sim.hostKey.publicKey}\n`);
    const ok = await runCli(['hello', 'router1', '-F', file, '--password-env', 'PW', '--known-hosts', known], { env: await env('hka-ok') });
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('--accept-new with an alias writes [HostName]:Port to the first --known-hosts file, created when missing', async () => {
    const file = join(work, 'accept-dir', 'known_hosts');
    const first = await runCli(['hello', 'router1', '-F', sshConfig, '--password-env', 'PW', '--accept-new', '--known-hosts', file], { env: await env('accept-alias') });
    assert.equal(first.code, 0, first.stderr);
    assert.ok(first.stderr.includes(`accepted the new ssh-ed25519 host key of 127.0.0.1:${sim.port} (${sim.hostKey.sha256})`), first.stderr);
    assert.equal(readFileSync(file, 'utf8'), `${sim.knownHostsLine}\n`);
    const again = await runCli(['hello', 'router1', '-F', sshConfig, '--password-env', 'PW', '--known-hosts', file], { env: await env('accept-alias-again') });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
  });

  it('a missing --known-hosts file counts as empty (without --accept-new it is not created)', async () => {
    const missing = join(work, 'no-such-known-hosts');
    const r = await runCli(['hello', 'router1', '-F', sshConfig, '--password-env', 'PW', '--known-hosts', missing, '--known-hosts', trusted, '--debug'], { env: await env('missing-kh') });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`debug: --known-hosts ${missing} does not exist: no key is known from it`), r.stderr);
    assert.equal(existsSync(missing), false);
  });

  it('StrictHostKeyChecking no in the file is refused unless --allow-strict-host-key-checking-no', async () => {
    const file = await config('ssh_config_shk_no', `Host router1\n  HostName 127.0.0.1\n  Port ${sim.port}\n  User admin\n  StrictHostKeyChecking no\n`);
    const refused = await runCli(['hello', 'router1', '-F', file, '--password-env', 'PW'], { env: await env('shk-no') });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /StrictHostKeyChecking no/);
    assert.match(refused.stderr, /--allow-strict-host-key-checking-no/);
    assert.doesNotMatch(refused.stderr, /allowStrictHostKeyCheckingNo/);
    const allowed = await runCli(['hello', 'router1', '-F', file, '--password-env', 'PW', '--allow-strict-host-key-checking-no'], { env: await env('shk-no-allowed') });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /WARNING: the ssh_config file sets StrictHostKeyChecking no for router1/);
  });

  it('an ssh_config file ssh would refuse is a usage error (exit 2) naming the file and the line', async () => {
    const file = await config('ssh_config_bad', `Host router1\n  HostName 127.0.0.1\n  Port eight-three-zero\n`);
    const r = await runCli(['hello', 'router1', '-F', file, '--password-env', 'PW'], { env: await env('bad-config') });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `netconf: cannot use the ssh_config file ${file}: ${file} line 3: Bad port 'eight-three-zero'.\n(see 'netconf hello --help')\n`);
  });

  it('a Port given on the command line beats the file (connection refused, exit 3, naming the alias)', async () => {
    const port = await freePort();
    const r = await runCli(['hello', 'router1', '-F', sshConfig, '--port', String(port), '--password-env', 'PW'], { env: await env('port-beats') });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, `netconf: connection refused by router1 (127.0.0.1:${port}): is a NETCONF server listening on that port? (NETCONF over SSH is usually port 830)\n`);
  });
});

describe('--proxy-command', { concurrency: true, skip: !SOCAT && 'socat is not installed (apt-get install socat)' }, () => {
  it("connects through socat's stdin/stdout (%h %p expanded); progress counts the NETCONF bytes", async () => {
    const r = await runCli(['get-config', 'router1', '-F', sshConfig, '--known-hosts', trusted, '--password-env', 'PW', '--proxy-command', 'socat - TCP:%h:%p', '--progress'], { env: await env('proxy') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /r1-from-the-simulator/);
    const m = /^get-config: (\d+(?:\.\d)?) (B|KiB) received in \d+\.\d s/m.exec(r.stderr);
    assert.ok(m, r.stderr);
    assert.ok(Number(m[1]) > 0, r.stderr);
  });

  it('ProxyCommand from the ssh_config file', async () => {
    const file = await config('ssh_config_proxy', `Host viaproxy\n  HostName 127.0.0.1\n  Port ${sim.port}\n  User admin\n  ProxyCommand socat - TCP:%h:%p\n`);
    const r = await runCli(['hello', 'viaproxy', '-F', file, '--known-hosts', trusted, '--password-env', 'PW', '--debug'], { env: await env('proxy-file') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /debug: proxy command started \(pid \d+\): socat - TCP:127\.0\.0\.1:\d+/);
  });

  it('a proxy command that exits at once: exit 3, its exit status and its stderr', async () => {
    const r = await runCli(['hello', '--host', '127.0.0.1', '--port', String(sim.port), '--known-hosts', trusted, '--password-env', 'PW', '--proxy-command', 'echo oops >&2; exit 7'], { env: await env('proxy-fails') });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^netconf: the proxy command "echo oops >&2; exit 7" exited with status 7 before the SSH connection to 127\.0\.0\.1:\d+ was made\n/);
    assert.match(r.stderr, /\n {2}oops\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('--debug traces the connection, and the password appears nowhere', async () => {
    const e = await env('debug-password', { PW: undefined });
    const r = await runCli(['get-config', 'router1', '-F', sshConfig, '--known-hosts', trusted, '-p', PASSWORD, '--proxy-command', 'socat - TCP:%h:%p', '--debug'], { env: e });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /debug: ssh_config .* for router1: HostName 127\.0\.0\.1, Port \d+, User admin/);
    assert.match(r.stderr, /debug: proxy command started/);
    assert.match(r.stderr, /debug: admin@127\.0\.0\.1:\d+: trying password/);
    assert.match(r.stderr, /debug: admin@127\.0\.0\.1:\d+: authenticated/);
    assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD), 'the password is printed nowhere');
    // and a wrong one, with --debug: not printed either
    const wrong = 'Wr0ng-Debug-Pa55-XYZZY';
    const bad = await runCli(['hello', 'router1', '-F', sshConfig, '--known-hosts', trusted, '-p', wrong, '--debug'], { env: e });
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /authentication failed for admin@127\.0\.0\.1:\d+/);
    assert.ok(!bad.stdout.includes(wrong) && !bad.stderr.includes(wrong), 'the wrong password is printed nowhere');
  });
});

/** A TCP relay to `port` that can be frozen: it then passes nothing on, in either direction, and closes nothing. */
async function relay(port: number): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((inbound) => {
    const outbound = netConnect(port, '127.0.0.1');
    sockets.add(inbound).add(outbound);
    for (const [from, to] of [[inbound, outbound], [outbound, inbound]] as const) {
      from.on('data', (chunk) => {
        if (!frozen) to.write(chunk);
      });
      from.on('error', () => undefined);
      from.on('close', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    freeze: () => (frozen = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('--keepalive', () => {
  it('a server that stops answering ends lock --hold within about (3 + 1) × the interval: exit 3', async () => {
    const r = await relay(sim.port);
    try {
      const run = startCli(['lock', '--hold', '--host', '127.0.0.1', '--port', String(r.port), '-u', 'admin', '--password-env', 'PW', '--known-hosts', await config('known_hosts_relay', `[127.0.0.1]:${r.port} ${sim.hostKey.publicKey}\n`), '--keepalive', '1'], { env: await env('keepalive') });
      await waitFor('the lock', () => run.stderr().includes('holding the lock'));
      const frozenAt = Date.now();
      r.freeze();
      const result = await run.result;
      const seconds = (Date.now() - frozenAt) / 1000;
      assert.equal(result.code, 3, result.stderr);
      assert.ok(seconds < 10, `ended after ${seconds} s`);
      assert.match(result.stderr, /keepalive/);
    } finally {
      await r.close();
    }
  });
});

describe('Ctrl-C while connecting', () => {
  it('ends the connection attempt at once: exit 130, the connection closed, no 5 s wait', async () => {
    // a server that accepts and never answers: the attempt would last its 60 s timeout
    const hole = await blackHole();
    try {
      const port = String(hole.port);
      const run = startCli(['get-config', '--host', '127.0.0.1', '--port', port, '-u', 'admin', '--password-env', 'PW', '--insecure-accept-any-host-key', '--timeout', '60'], { env: await env('interrupt') });
      await waitFor('the connection', () => hole.accepted === 1);
      const interruptedAt = Date.now();
      run.child.kill('SIGINT');
      const result = await run.result;
      assert.equal(result.code, 130, result.stderr);
      assert.ok(Date.now() - interruptedAt < 3000, `ended ${Date.now() - interruptedAt} ms after Ctrl-C`);
      await waitFor('the connection to close', () => hole.open() === 0, 5000);
    } finally {
      hole.close();
    }
  });
});

describe('-J through a jump host (OpenSSH sshd)', () => {
  let jump: JumpHost | undefined;
  before(async () => {
    jump = await startJumpHost('cli');
  });
  after(async () => {
    await jump?.stop();
  });

  it('reaches the simulator through the jump host, --debug shows the hop; an unknown jump host key names the hop', async () => {
    const j = jump as JumpHost;
    const both = await config('known_hosts_jump', `${sim.knownHostsLine}\n${j.knownHostsLines()}`);
    const hops = `${j.username}@${j.host}:${j.port}`;
    const args = ['get-config', '--host', '127.0.0.1', '--port', String(sim.port), '-u', 'admin', '--password-env', 'PW', '-J', hops, '--key', j.clientKeys.ed25519, '--identities-only'];
    const r = await runCli([...args, '--known-hosts', both, '--debug'], { env: await env('jump') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /r1-from-the-simulator/);
    const where = `${j.username}@${j.host}:${j.port}`;
    assert.ok(r.stderr.includes(`debug: jump host 1 (${where}): connecting`), r.stderr);
    assert.ok(r.stderr.includes(`debug: jump host 1 (${where}): authenticated (publickey ${j.clientKeys.ed25519})`), r.stderr);
    assert.ok(!r.stderr.includes(PASSWORD), 'the password is printed nowhere');

    const refused = await runCli([...args, '--known-hosts', trusted], { env: await env('jump-unknown') });
    assert.equal(refused.code, 3, refused.stderr);
    assert.ok(refused.stderr.startsWith(`netconf: the host key of jump host 1 (${j.host}:${j.port}) is not known: refusing to connect.\n`), refused.stderr);
    assert.match(refused.stderr, new RegExp(`\\n  \\[${j.host.replace(/\./g, '\\.')}\\]:${j.port} ssh-\\S+ \\S+\\n`));
  });
});
