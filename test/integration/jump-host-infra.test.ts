/**
 * The jump-host test infrastructure itself (scripts/jump-host.sh, test/integration/jump-host.ts),
 * proven with OpenSSH's client, socat and ssh-agent only: not with this library.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, publicKeyLine, run, sshKeygenFingerprint, startNetconfd, type Netconfd } from './netconfd.js';
import {
  generateKeys,
  isRunning,
  knownHostsFor,
  processName,
  startAgent,
  startJumpHost,
  type Agent,
  type JumpHost,
} from './jump-host.js';

let server: Netconfd | undefined;
let jumpA: JumpHost | undefined;
let jumpB: JumpHost | undefined;
let work = '';
let startMs = 0;
const agents = new Set<Agent>();
const children = new Set<ChildProcess>();
const extraJumps = new Set<JumpHost>();

/** An environment without the caller's agent or askpass settings. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'DISPLAY']) delete env[k];
  return { ...env, ...extra };
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-jumptest-work-'));
  const t0 = Date.now();
  // two jump hosts at once: they must not collide
  const results = await Promise.allSettled([startNetconfd('jump-infra'), startJumpHost('a'), startJumpHost('b')]);
  startMs = Date.now() - t0;
  const [s, a, b] = results;
  if (s?.status === 'fulfilled') server = s.value;
  if (a?.status === 'fulfilled') jumpA = a.value;
  if (b?.status === 'fulfilled') jumpB = b.value;
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  await writeFile(join(work, 'known_hosts_a'), jumpA!.knownHostsLines());
  await writeFile(join(work, 'known_hosts_b'), jumpB!.knownHostsLines());
});

after(async () => {
  for (const child of children) killChild(child);
  const stops: Promise<unknown>[] = [];
  for (const agent of agents) stops.push(agent.stop());
  for (const jump of [jumpA, jumpB, ...extraJumps]) if (jump) stops.push(jump.stop());
  if (server) stops.push(server.stop());
  const results = await Promise.allSettled(stops);
  if (work) await rm(work, { recursive: true, force: true });
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
});

function killChild(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    // socat relays run in their own process group (with their per-connection children)
    if (child.spawnargs[0] === 'socat' && child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface SshOptions {
  knownHosts: string;
  identityFile?: string;
  identityAgent?: string;
  extra?: string[];
}

/** ssh arguments for a login to the jump host, host key checked, no interactive prompt. */
function sshArgs(jump: JumpHost, o: SshOptions, ...rest: string[]): string[] {
  const args = [
    '-F', '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', `UserKnownHostsFile=${o.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'ConnectTimeout=15',
    '-o', `IdentityAgent=${o.identityAgent ?? 'none'}`,
  ];
  if (o.identityFile) args.push('-o', 'IdentitiesOnly=yes', '-i', o.identityFile);
  args.push(...(o.extra ?? []), '-p', String(jump.port), ...rest, `${jump.username}@${jump.host}`);
  return args;
}

/** The first line a process prints when it is an SSH identification string; the process is then killed. */
function readBanner(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolveBanner, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      killChild(child);
      reject(new Error(`no SSH banner within ${timeoutMs} ms; stdout: ${JSON.stringify(out)}; stderr: ${err}`));
    }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      const m = /^(SSH-2\.0-[^\r\n]*)\r?\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveBanner(m[1]!);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${child.spawnargs.join(' ')} exited (${code ?? signal}) before the banner; stderr: ${err}`));
    });
  });
}

/** Spawn, read the banner, kill (unless keepOpen), return the banner. */
async function bannerThrough(cmd: string, args: string[], env = cleanEnv()): Promise<string> {
  const child = track(spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env }));
  try {
    return await readBanner(child);
  } finally {
    await exitOf(child, 'SIGTERM');
  }
}

/** Kill (when given a signal) and wait for the exit. */
function exitOf(child: ChildProcess, signal?: NodeJS.Signals): Promise<number | string> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolveExit(child.exitCode ?? child.signalCode!);
      return;
    }
    child.once('exit', (code, sig) => resolveExit(code ?? sig!));
    if (signal) child.kill(signal);
  });
}

/** Run to completion (stdin closed); never rejects. */
function runToEnd(cmd: string, args: string[], env = cleanEnv(), timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
    const child = track(spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env }));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

const BANNER = /^SSH-2\.0-OpenSSH_/;

describe('jump host test infrastructure (OpenSSH client only)', () => {
  it('starts two jump hosts and a netconfd side by side', (t) => {
    t.diagnostic(`netconfd + 2 jump hosts started in ${startMs} ms`);
    assert.ok(server && jumpA && jumpB);
    for (const jump of [jumpA, jumpB]) {
      assert.equal(jump.host, '127.0.0.1');
      assert.equal(jump.username, 'ncjump');
      assert.match(jump.password, /^[A-Za-z0-9]{16,}$/);
      assert.notEqual(jump.password, server.password);
      for (const file of [...Object.values(jump.clientKeys), ...Object.values(jump.hostKeys)]) {
        assert.ok(existsSync(file), file);
      }
      assert.ok(existsSync(`${jump.clientKeys.ed25519}.pub`));
      assert.equal(processName(jump.pid), 'sshd');
      assert.deepEqual(jump.pids(), [jump.pid]);
      const lines = jump.knownHostsLines().trimEnd().split('\n');
      assert.equal(lines.length, 3);
      for (const line of lines) assert.match(line, new RegExp(`^\\[127\\.0\\.0\\.1\\]:${jump.port} (ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) \\S+$`));
    }
    assert.notEqual(jumpA.port, jumpB.port);
    assert.notEqual(jumpA.pid, jumpB.pid);
    assert.notEqual(jumpA.stateDir, jumpB.stateDir);
    assert.notEqual(publicKeyLine(jumpA.hostKeys.ed25519), publicKeyLine(jumpB.hostKeys.ed25519));
    assert.notEqual(jumpA.port, server.port);
    assert.equal(knownHostsFor(server).split('\n').filter(Boolean).length, 3);
    assert.ok(knownHostsFor(server).startsWith(`[127.0.0.1]:${server.port} `));
  });

  it('owns authorized_keys by ncjump, like netconfd.sh does for nctest', async () => {
    const { stdout } = await run('id', ['-u', 'ncjump']);
    const st = statSync(join(jumpA!.stateDir, 'authorized_keys'));
    assert.equal(st.uid, Number(stdout.trim()));
    assert.equal(st.mode & 0o777, 0o600);
    const lines = readFileSync(join(jumpA!.stateDir, 'authorized_keys'), 'utf8').trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 2).join(' ')),
      [publicKeyLine(`${jumpA!.clientKeys.ed25519}.pub`), publicKeyLine(`${jumpA!.clientKeys.rsa}.pub`)],
    );
  });

  it('relays ssh -W to netconfd\'s sshd with either client key', async () => {
    const kh = join(work, 'known_hosts_a');
    for (const key of [jumpA!.clientKeys.ed25519, jumpA!.clientKeys.rsa]) {
      const banner = await bannerThrough('ssh', sshArgs(jumpA!, { knownHosts: kh, identityFile: key }, '-W', `127.0.0.1:${server!.port}`));
      assert.match(banner, BANNER);
    }
    const log = jumpA!.sshdLog();
    assert.match(log, /Accepted publickey for ncjump from 127\.0\.0\.1 port \d+ ssh2: ED25519 /);
    assert.match(log, /Accepted publickey for ncjump from 127\.0\.0\.1 port \d+ ssh2: RSA /);
  });

  it('accepts the ncjump password', async () => {
    const pwFile = join(work, 'jump-password');
    const askpass = join(work, 'askpass.sh');
    await writeFile(pwFile, `${jumpA!.password}\n`, { mode: 0o600 });
    await writeFile(askpass, `#!/bin/sh\nexec cat '${pwFile}'\n`, { mode: 0o700 });
    const env = cleanEnv({ SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force' });
    const args = [
      '-F', '/dev/null',
      '-o', `UserKnownHostsFile=${join(work, 'known_hosts_a')}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'IdentityAgent=none',
      '-o', 'PubkeyAuthentication=no',
      '-o', 'PreferredAuthentications=password',
      '-o', 'NumberOfPasswordPrompts=1',
      '-p', String(jumpA!.port),
      '-W', `127.0.0.1:${server!.port}`,
      `ncjump@127.0.0.1`,
    ];
    assert.match(await bannerThrough('ssh', args, env), BANNER);
    assert.match(jumpA!.sshdLog(), /Accepted password for ncjump from 127\.0\.0\.1/);
  });

  it('refuses forwarding anywhere but 127.0.0.1', async () => {
    const o = { knownHosts: join(work, 'known_hosts_a'), identityFile: jumpA!.clientKeys.ed25519 };
    for (const target of ['192.0.2.1:830', `localhost:${server!.port}`, `127.0.0.2:${server!.port}`]) {
      const r = await runToEnd('ssh', sshArgs(jumpA!, o, '-W', target));
      assert.notEqual(r.code, 0, target);
      assert.match(r.stderr, /administratively prohibited/, target);
      assert.equal(r.stdout, '');
    }
    assert.match(jumpA!.sshdLog(), /to connect to host 192\.0\.2\.1 port 830, but the request was denied/);
  });

  it('runs no command and gives no terminal', async () => {
    const o = { knownHosts: join(work, 'known_hosts_a'), identityFile: jumpA!.clientKeys.ed25519 };
    const cmd = await runToEnd('ssh', sshArgs(jumpA!, o, '-T'), cleanEnv(), 30_000);
    assert.notEqual(cmd.code, 0);
    const echo = await runToEnd('ssh', [...sshArgs(jumpA!, o), 'echo', 'hello']);
    assert.notEqual(echo.code, 0);
    assert.doesNotMatch(echo.stdout, /hello/);
    assert.match(jumpA!.sshdLog(), /forced-command \(config\) '\/bin\/false'/);
  });

  it('keeps the two jump hosts apart (keys, host keys)', async () => {
    const khB = join(work, 'known_hosts_b');
    // B relays with its own key and host keys
    const banner = await bannerThrough('ssh', sshArgs(jumpB!, { knownHosts: khB, identityFile: jumpB!.clientKeys.ed25519 }, '-W', `127.0.0.1:${server!.port}`));
    assert.match(banner, BANNER);
    // A's client key is not authorized on B
    const denied = await runToEnd('ssh', sshArgs(jumpB!, { knownHosts: khB, identityFile: jumpA!.clientKeys.ed25519 }, '-W', `127.0.0.1:${server!.port}`));
    assert.equal(denied.code, 255);
    assert.match(denied.stderr, /Permission denied/);
    // A's host keys under B's port: B presents other keys
    const spoofed = join(work, 'known_hosts_a_as_b');
    await writeFile(spoofed, jumpA!.knownHostsLines().replaceAll(`]:${jumpA!.port} `, `]:${jumpB!.port} `));
    const changed = await runToEnd('ssh', sshArgs(jumpB!, { knownHosts: spoofed, identityFile: jumpB!.clientKeys.ed25519 }, '-W', `127.0.0.1:${server!.port}`));
    assert.equal(changed.code, 255);
    assert.match(changed.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('relays with socat (stdio and a forking TCP listener)', async () => {
    assert.match(await bannerThrough('socat', ['-', `TCP:127.0.0.1:${server!.port}`]), BANNER);

    const port = await freePort();
    const relay = track(
      spawn('socat', ['-d', '-d', `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${server!.port}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true, // own process group: the per-connection children go with it
      }),
    );
    try {
      await new Promise<void>((resolveListen, reject) => {
        let err = '';
        const timer = setTimeout(() => reject(new Error(`socat did not listen: ${err}`)), 10_000);
        relay.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          if (/listening on/.test(err)) {
            clearTimeout(timer);
            resolveListen();
          }
        });
        relay.once('exit', (code) => reject(new Error(`socat exited (${code}): ${err}`)));
      });
      for (let i = 0; i < 2; i++) {
        const banner = await new Promise<string>((resolveBanner, reject) => {
          const socket = connect(port, '127.0.0.1');
          let data = '';
          socket.setTimeout(10_000, () => socket.destroy(new Error('no banner through socat')));
          socket.on('data', (d) => {
            data += d.toString('latin1');
            const m = /^(SSH-2\.0-[^\r\n]*)\r?\n/.exec(data);
            if (m) {
              resolveBanner(m[1]!);
              socket.destroy();
            }
          });
          socket.on('error', reject);
        });
        assert.match(banner, BANNER);
      }
    } finally {
      if (relay.pid) process.kill(-relay.pid, 'SIGTERM');
      await exitOf(relay);
    }
  });

  it('runs an ssh-agent holding many keys', async (t) => {
    const t0 = Date.now();
    const junk = await generateKeys(join(work, 'junk'), 12, 'ed25519');
    t.diagnostic(`12 ed25519 keys generated in ${Date.now() - t0} ms`);
    assert.equal(junk.length, 12);
    assert.equal(new Set(junk).size, 12);
    for (const f of junk) assert.ok(existsSync(f) && existsSync(`${f}.pub`));

    // the 12 keys the jump host does not accept come first: MaxAuthTries 6 ends the login
    const agent = await startAgent([...junk, jumpA!.clientKeys.ed25519]);
    agents.add(agent);
    assert.ok(existsSync(agent.socket));
    assert.equal(processName(agent.pid), 'ssh-agent');
    const listed = await run('ssh-add', ['-l'], { env: cleanEnv({ SSH_AUTH_SOCK: agent.socket }) });
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 13);
    const good = await sshKeygenFingerprint(`${jumpA!.clientKeys.ed25519}.pub`, 'sha256');
    assert.ok(lines[12]!.includes(good), `${good} last in ${listed.stdout}`);

    const kh = join(work, 'known_hosts_a');
    const tooMany = await runToEnd('ssh', sshArgs(jumpA!, { knownHosts: kh, identityAgent: agent.socket }, '-W', `127.0.0.1:${server!.port}`));
    assert.equal(tooMany.code, 255);
    assert.match(tooMany.stderr, /Too many authentication failures/);
    assert.match(jumpA!.sshdLog(), /maximum authentication attempts exceeded for ncjump/i);

    // the good key alone: the agent signs for ssh
    const single = await startAgent([jumpA!.clientKeys.rsa]);
    agents.add(single);
    assert.notEqual(single.socket, agent.socket);
    assert.match(await bannerThrough('ssh', sshArgs(jumpA!, { knownHosts: kh, identityAgent: single.socket }, '-W', `127.0.0.1:${server!.port}`)), BANNER);

    for (const a of [agent, single]) {
      await a.stop();
      agents.delete(a);
      assert.equal(existsSync(a.socket), false);
      assert.equal(isRunning(a.pid), false);
    }
  });

  it('generates keys of each type', async () => {
    for (const type of ['ecdsa', 'rsa'] as const) {
      const [file] = await generateKeys(join(work, `gen-${type}`), 1, type);
      const { stdout } = await run('ssh-keygen', ['-l', '-f', `${file!}.pub`]);
      assert.match(stdout, new RegExp(`\\(${type.toUpperCase()}\\)`));
    }
  });

  it('stop() ends the listener and its per-connection processes', async (t) => {
    const t0 = Date.now();
    const jump = await startJumpHost('stop');
    extraJumps.add(jump);
    t.diagnostic(`one jump host started in ${Date.now() - t0} ms`);
    const kh = join(work, 'known_hosts_stop');
    await writeFile(kh, jump.knownHostsLines());
    // a forward that stays open during stop()
    const client = track(
      spawn('ssh', sshArgs(jump, { knownHosts: kh, identityFile: jump.clientKeys.ed25519 }, '-W', `127.0.0.1:${server!.port}`), {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: cleanEnv(),
      }),
    );
    assert.match(await readBanner(client), BANNER);
    const pids = jump.pids();
    assert.ok(pids.length >= 3, `listener + [priv] + user child, got ${pids.join(' ')}`);
    assert.equal(pids[0], jump.pid);

    const t1 = Date.now();
    await jump.stop();
    t.diagnostic(`stop() with an open forward took ${Date.now() - t1} ms`);
    // (a zombie waiting for PID 1 to reap it counts as gone)
    for (const pid of pids) assert.equal(isRunning(pid), false, `pid ${pid} (${processName(pid)}) still running`);
    assert.deepEqual(jump.pids(), []);
    // the client lost its connection
    const code = await Promise.race([exitOf(client), new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    assert.equal(code, 255);
    // nothing on the machine still mentions its state directory
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!isRunning(Number(entry))) continue;
      assert.ok(!cmdline.includes(jump.stateDir), `process ${entry} still uses ${jump.stateDir}: ${cmdline}`);
    }
    assert.equal(existsSync(jump.stateDir), false);
    // idempotent
    await jump.stop();
    extraJumps.delete(jump);
  });
});
