/**
 * Reaching a server where it is, against real OpenSSH servers on loopback: jump hosts (private
 * sshd instances of scripts/jump-host.sh), ssh_config aliases, ProxyCommand (OpenSSH's `ssh -W`
 * and a socat relay), host-key checks and authentication on each hop, IdentitiesOnly with a
 * real ssh-agent full of keys, keepalive against a stopped server, and nothing left open after
 * close. The end host is netconfd (scripts/netconfd.sh) or the built-in simulator.
 *
 * netconfd quirk (not ours): when the client's hello and its first <rpc> reach netconfd in one
 * read, netconfd leaves the rpc unanswered until more bytes come. Through jump hosts that
 * happens often, so the tests against netconfd pause 300 ms after connecting before the first
 * RPC (see firstRpc()).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { connect, type ConnectOptions, type Manager } from '../../src/manager.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { AuthenticationError, ProxyCommandError, SessionCloseError, SSHError, SSHUnknownHostError } from '../../src/transport/errors.js';
import { descendantPids, generateKeys, knownHostsFor, startAgent, startJumpHost, type JumpHost } from './jump-host.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

const run = promisify(execFile);

let netconfd: Netconfd;
let j1: JumpHost;
let j2: JumpHost;
let sim: Simulator;
let work: string;
/** known_hosts with every server's keys. */
let knownHosts: string;

before(async () => {
  [netconfd, j1, j2] = await Promise.all([startNetconfd('jump'), startJumpHost('j1'), startJumpHost('j2')]);
  sim = await startSimulator({ users: [{ username: 'admin', password: 'sim-secret' }] });
  work = await mkdtemp(join(tmpdir(), 'netconf-jump-test-'));
  knownHosts = join(work, 'known_hosts');
  await writeFile(knownHosts, knownHostsFor(netconfd) + j1.knownHostsLines() + j2.knownHostsLines() + `${sim.knownHostsLine}\n`);
});

after(async () => {
  await sim?.close();
  await Promise.all([netconfd?.stop(), j1?.stop(), j2?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

/** No agent, no default keys, no ~/.ssh/config: each test says what it offers. */
const isolated = { allowAgent: false, lookForKeys: false, sshConfig: false, timeout: 20 } as const;

function toNetconfd(extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { ...isolated, host: netconfd.host, port: netconfd.port, username: netconfd.username, keyFilename: netconfd.clientKeys.ed25519, knownHostsFile: knownHosts, ...extra };
}

function toSimulator(extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { ...isolated, host: '127.0.0.1', port: sim.port, username: 'admin', password: 'sim-secret', knownHostsFile: knownHosts, ...extra };
}

/** The first RPC to netconfd, after its quirk's pause. */
async function firstRpc(m: Manager): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  const reply = await m.getConfig('running', { timeout: 20 });
  assert.ok(reply.ok);
}

/** A jump host as a hop object with its own key. */
function hop(j: JumpHost): { host: string; port: number; username: string; keyFilename: string } {
  return { host: j.host, port: j.port, username: j.username, keyFilename: j.clientKeys.ed25519 };
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('jump hosts', () => {
  it('reaches netconfd through one jump host (hop object with its own key)', async () => {
    const lines: string[] = [];
    const m = await connect(toNetconfd({ proxyJump: [hop(j1)], log: (line) => lines.push(line) }));
    try {
      await firstRpc(m);
      assert.match(m.session.peer, new RegExp(`${netconfd.username}@127\\.0\\.0\\.1:${netconfd.port}`));
      assert.ok(lines.some((l) => l.startsWith(`jump host 1 (ncjump@127.0.0.1:${j1.port}): authenticated`)), lines.join('\n'));
      assert.ok(lines.some((l) => l.includes(`forwarding to 127.0.0.1:${netconfd.port}`)), lines.join('\n'));
    } finally {
      await m.close();
    }
    assert.match(j1.sshdLog(), /Accepted publickey for ncjump/);
  });

  it('reaches netconfd through two jump hosts given in -J syntax, the caller\'s keys offered to each hop', async () => {
    const m = await connect(
      toNetconfd({
        proxyJump: `ncjump@127.0.0.1:${j1.port},ncjump@127.0.0.1:${j2.port}`,
        keyFilename: [netconfd.clientKeys.ed25519, j1.clientKeys.ed25519, j2.clientKeys.ed25519],
      }),
    );
    try {
      await firstRpc(m);
    } finally {
      await m.close();
    }
    assert.match(j2.sshdLog(), /Accepted publickey for ncjump/);
  });

  it('reaches the simulator through two jump hosts; closing leaves no fd, channel or sshd child behind', async () => {
    const fdsBefore = openFds();
    const m = await connect(toSimulator({ proxyJump: [hop(j1), hop(j2)] }));
    assert.ok((await m.get()).ok);
    assert.ok(descendantPids(j1.pid).length > 0 && descendantPids(j2.pid).length > 0, 'each jump host serves a connection');
    await m.close();
    assert.ok(await waitFor(() => descendantPids(j1.pid).length === 0 && descendantPids(j2.pid).length === 0, 10_000), 'the jump hosts\' per-connection sshd processes ended');
    assert.ok(await waitFor(() => openFds() <= fdsBefore, 5000), `fds: ${fdsBefore} before, ${openFds()} after`);
    assert.equal(sim.sessions.length, 0);
  });

  it('refuses an unknown jump host key, naming the hop, its host, port and fingerprint', async () => {
    const onlyTarget = join(work, 'kh-target-only');
    await writeFile(onlyTarget, `${sim.knownHostsLine}\n` + j1.knownHostsLines());
    const asked: string[] = [];
    await assert.rejects(
      connect(toSimulator({ knownHostsFile: onlyTarget, proxyJump: [hop(j1), hop(j2)], unknownHostCb: (host) => (asked.push(host), false) })),
      (err: unknown) => {
        assert.ok(err instanceof SSHUnknownHostError, String(err));
        assert.equal(err.reason, 'unknown');
        assert.deepEqual(err.hop, { index: 1, host: '127.0.0.1', port: j2.port });
        assert.equal(err.host, '127.0.0.1');
        assert.equal(err.port, j2.port);
        assert.match(err.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
        return true;
      },
    );
    assert.deepEqual(asked, ['127.0.0.1'], 'the callback was asked about the second jump host only');
    assert.equal(descendantPids(j1.pid).length === 0 || (await waitFor(() => descendantPids(j1.pid).length === 0, 10_000)), true, 'the first hop was closed');
  });

  it('refuses a changed jump host key', async () => {
    const wrong = join(work, 'kh-changed');
    // j2's keys recorded under j1's address: j1's real keys are "changed"
    const j2AsJ1 = j2.knownHostsLines().replaceAll(`[127.0.0.1]:${j2.port}`, `[127.0.0.1]:${j1.port}`);
    await writeFile(wrong, `${sim.knownHostsLine}\n${j2AsJ1}`);
    await assert.rejects(connect(toSimulator({ knownHostsFile: wrong, proxyJump: [hop(j1)], unknownHostCb: () => true })), (err: unknown) => {
      assert.ok(err instanceof SSHUnknownHostError, String(err));
      assert.equal(err.reason, 'changed');
      assert.equal(err.hop?.index, 0);
      assert.equal(err.port, j1.port);
      assert.match(err.message, /CHANGED/);
      return true;
    });
  });

  it('a wrong password on a jump host is an AuthenticationError naming that hop', async () => {
    await assert.rejects(connect(toSimulator({ proxyJump: [hop(j1), { host: '127.0.0.1', port: j2.port, username: 'ncjump', password: 'not-the-password' }] })), (err: unknown) => {
      assert.ok(err instanceof AuthenticationError, String(err));
      assert.deepEqual(err.hop, { index: 1, host: '127.0.0.1', port: j2.port });
      assert.match(err.message, new RegExp(`^jump host 2 \\(ncjump@127\\.0\\.0\\.1:${j2.port}\\)`));
      assert.doesNotMatch(err.message, /not-the-password/);
      return true;
    });
  });

  it('the right password on a jump host works; the NETCONF password is not offered to the jump host', async () => {
    const m = await connect(toSimulator({ proxyJump: [{ host: '127.0.0.1', port: j1.port, username: 'ncjump', password: j1.password }] }));
    await m.close();
    await assert.rejects(connect(toSimulator({ proxyJump: `ncjump@127.0.0.1:${j1.port}` })), (err: unknown) => err instanceof AuthenticationError && err.hop?.index === 0);
  });

  it('a jump host that may not forward to the destination: SSHError naming the hop', async () => {
    await assert.rejects(connect(toSimulator({ host: '192.0.2.1', proxyJump: [hop(j1)] })), (err: unknown) => {
      assert.ok(err instanceof SSHError, String(err));
      assert.equal(err.hop?.index, 0);
      assert.match(err.message, /could not open a connection to 192\.0\.2\.1/);
      return true;
    });
  });
});

describe('ssh_config', () => {
  it('an alias with HostName, Port, User, IdentityFile, UserKnownHostsFile and ProxyJump through a bastion alias, as ssh -G resolves it', async () => {
    const config = join(work, 'ssh_config');
    await writeFile(
      config,
      [
        'Host bastion',
        '  HostName 127.0.0.1',
        `  Port ${j1.port}`,
        '  User ncjump',
        `  IdentityFile ${j1.clientKeys.ed25519}`,
        `  UserKnownHostsFile ${knownHosts}`,
        'Host router1',
        '  HostName 127.0.0.1',
        `  Port ${netconfd.port}`,
        `  User ${netconfd.username}`,
        `  IdentityFile ${netconfd.clientKeys.ed25519}`,
        `  UserKnownHostsFile ${knownHosts}`,
        '  ProxyJump bastion',
        '',
      ].join('\n'),
    );
    const { stdout } = await run('ssh', ['-G', '-F', config, 'router1']);
    const g = new Map(stdout.split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]));
    assert.equal(g.get('hostname'), '127.0.0.1');
    assert.equal(g.get('port'), String(netconfd.port));
    assert.equal(g.get('user'), netconfd.username);
    assert.equal(g.get('proxyjump'), 'bastion');

    const lines: string[] = [];
    const m = await connect({ host: 'router1', sshConfig: config, allowAgent: false, lookForKeys: false, timeout: 20, log: (line) => lines.push(line) });
    try {
      await firstRpc(m);
      assert.equal(m.session.peer, `${netconfd.username}@127.0.0.1:${netconfd.port}`);
    } finally {
      await m.close();
    }
    assert.ok(lines.some((l) => l.includes('for router1:') && l.includes('ProxyJump bastion')), lines.join('\n'));
    assert.match(netconfd.sshdLog(), /Accepted publickey for nctest/);
  });

  it('ProxyCommand with OpenSSH\'s ssh -W through the bastion', async () => {
    const known = join(work, 'kh-jump-only');
    await writeFile(known, j1.knownHostsLines());
    const command = `ssh -F /dev/null -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${known} -i ${j1.clientKeys.ed25519} -p ${j1.port} -W %h:%p ncjump@127.0.0.1`;
    const m = await connect(toSimulator({ proxyCommand: command }));
    assert.ok((await m.get()).ok);
    await m.close();
  });

  it('ProxyCommand from the config file: a plain TCP relay (socat)', async () => {
    const config = join(work, 'ssh_config_socat');
    await writeFile(config, `Host sim-relay\n  HostName 127.0.0.1\n  Port ${sim.port}\n  User admin\n  ProxyCommand socat - TCP:%h:%p\n  UserKnownHostsFile ${knownHosts}\n`);
    const lines: string[] = [];
    const m = await connect({ host: 'sim-relay', sshConfig: config, password: 'sim-secret', allowAgent: false, lookForKeys: false, log: (line) => lines.push(line) });
    assert.ok((await m.get()).ok);
    assert.ok(lines.some((l) => l.startsWith('proxy command started') && l.includes(`socat - TCP:127.0.0.1:${sim.port}`)), lines.join('\n'));
    await m.close();
  });

  it('a proxy command that exits before the handshake: ProxyCommandError with its status and stderr', async () => {
    await assert.rejects(connect(toSimulator({ proxyCommand: 'echo "bastion unreachable: %h" >&2; exit 5' })), (err: unknown) => {
      assert.ok(err instanceof ProxyCommandError, String(err));
      assert.equal(err.exitCode, 5);
      assert.match(err.stderr, /bastion unreachable: 127\.0\.0\.1/);
      return true;
    });
  });

  it('StrictHostKeyChecking accept-new from the file adds the jump host\'s key; a changed key is still refused', async () => {
    const fresh = join(work, 'kh-accept-new');
    await writeFile(fresh, `${sim.knownHostsLine}\n`);
    const config = join(work, 'ssh_config_accept_new');
    await writeFile(config, `Host *\n  StrictHostKeyChecking accept-new\n  UserKnownHostsFile ${fresh}\n`);
    const m = await connect({ ...toSimulator({ sshConfig: config, proxyJump: [hop(j1)] }), knownHostsFile: [] });
    await m.close();
    const { readFile } = await import('node:fs/promises');
    assert.match(await readFile(fresh, 'utf8'), new RegExp(`\\[127\\.0\\.0\\.1\\]:${j1.port} `));
    // now a different key for j1's address is a changed key, refused even with accept-new
    await writeFile(fresh, `${sim.knownHostsLine}\n${j2.knownHostsLines().replaceAll(`:${j2.port}]`, `:${j1.port}]`).replaceAll(`]:${j2.port}`, `]:${j1.port}`)}`);
    await assert.rejects(connect({ ...toSimulator({ sshConfig: config, proxyJump: [hop(j1)] }), knownHostsFile: [] }), (err: unknown) => err instanceof SSHUnknownHostError && err.reason === 'changed');
  });

  it('StrictHostKeyChecking no in the file is refused without the caller\'s opt-in, honoured with it', async () => {
    const config = join(work, 'ssh_config_no');
    await writeFile(config, 'Host *\n  StrictHostKeyChecking no\n');
    const empty = join(work, 'kh-empty');
    await writeFile(empty, '');
    await assert.rejects(connect({ ...toSimulator({ sshConfig: config }), knownHostsFile: empty }), (err: unknown) => err instanceof SSHError && /StrictHostKeyChecking no/.test(err.message) && /allowStrictHostKeyCheckingNo/.test(err.message));
    const m = await connect({ ...toSimulator({ sshConfig: config, allowStrictHostKeyCheckingNo: true }), knownHostsFile: empty });
    await m.close();
  });
});

describe('authentication order', () => {
  it('IdentitiesOnly: with an agent holding 12 keys the server refuses, only the named key is offered', async () => {
    const keysDir = join(work, 'agent-keys');
    const keys = await generateKeys(keysDir, 12, 'ed25519');
    const agent = await startAgent(keys);
    try {
      // Without IdentitiesOnly and without a named key, the agent's keys use up MaxAuthTries (6).
      await assert.rejects(connect({ ...toSimulator({ proxyJump: [{ host: '127.0.0.1', port: j1.port, username: 'ncjump', allowAgent: true, agent: agent.socket }] }) }), (err: unknown) => {
        assert.ok(err instanceof AuthenticationError || err instanceof SSHError, String(err));
        return true;
      });
      const logBefore = j1.sshdLog().length;
      const m = await connect(toSimulator({ proxyJump: [{ ...hop(j1), allowAgent: true, agent: agent.socket, identitiesOnly: true }] }));
      await m.close();
      const log = j1.sshdLog().slice(logBefore);
      assert.match(log, /Accepted publickey for ncjump/);
      assert.doesNotMatch(log, /Failed publickey/, 'no agent key was offered');
    } finally {
      await agent.stop();
    }
  });

  it('the named key is offered before the agent\'s keys, so a full agent does not use up MaxAuthTries', async () => {
    const keys = await generateKeys(join(work, 'agent-keys-2'), 12, 'ed25519');
    const agent = await startAgent(keys);
    try {
      const m = await connect(toSimulator({ proxyJump: [{ ...hop(j1), allowAgent: true, agent: agent.socket }] }));
      await m.close();
    } finally {
      await agent.stop();
    }
  });
});

describe('host keys', () => {
  it('hostkeyB64 pins the key: the right one connects without known_hosts, another is refused', async () => {
    const empty = join(work, 'kh-none');
    await writeFile(empty, '');
    const blob = sim.knownHostsLine.split(' ').slice(1).join(' ');
    const m = await connect({ ...toSimulator({ hostkeyB64: blob }), knownHostsFile: empty });
    await m.close();
    const other = j1.knownHostsLines().split('\n')[0]?.split(' ')[2] as string;
    await assert.rejects(connect({ ...toSimulator({ hostkeyB64: other }), knownHostsFile: empty, unknownHostCb: () => true }), (err: unknown) => err instanceof SSHUnknownHostError && /pinned/.test(err.message));
  });

  it('a host trusted only through @cert-authority is refused with a message that says certificates are unsupported', async () => {
    const ca = join(work, 'kh-ca');
    const [, type, key] = j1.knownHostsLines().split('\n')[0]?.split(' ') ?? [];
    await writeFile(ca, `@cert-authority [127.0.0.1]:* ${type} ${key}\n`);
    await assert.rejects(connect({ ...toSimulator(), knownHostsFile: ca }), (err: unknown) => err instanceof SSHUnknownHostError && /@cert-authority/.test(err.message) && /not supported/.test(err.message));
  });
});

describe('keepalive', () => {
  it('a server that stops answering (SIGSTOP) ends the session within (count + 1) × interval; pending RPCs fail with it', async () => {
    const j3 = await startJumpHost('j3');
    try {
      await appendFile(knownHosts, j3.knownHostsLines());
      const m = await connect(toSimulator({ proxyJump: [hop(j3)], keepalive: 1, keepaliveCountMax: 2 }));
      assert.ok((await m.get()).ok);
      const stopped = descendantPids(j3.pid);
      assert.ok(stopped.length > 0);
      for (const pid of stopped) process.kill(pid, 'SIGSTOP');
      const started = Date.now();
      try {
        const pending = m.get({ timeout: 60 }).catch((err: unknown) => err as Error);
        const why = await m.closed;
        const elapsed = (Date.now() - started) / 1000;
        assert.ok(why instanceof SessionCloseError, String(why));
        assert.match(why.message, /keepalive/i);
        assert.ok(elapsed < 3 * 1 + 2.5, `ended after ${elapsed} s`);
        assert.ok((await pending) instanceof SessionCloseError);
      } finally {
        for (const pid of stopped) process.kill(pid, 'SIGCONT');
      }
    } finally {
      await j3.stop();
    }
  });

  it('direct to netconfd: its sshd stopped (SIGSTOP), the session ends within the bound', async () => {
    const m = await connect(toNetconfd({ keepalive: 1, keepaliveCountMax: 3 }));
    await firstRpc(m);
    const stopped = descendantPids(netconfd.pids.sshd);
    assert.ok(stopped.length > 0);
    for (const pid of stopped) process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    try {
      const why = await m.closed;
      const elapsed = (Date.now() - started) / 1000;
      assert.ok(why instanceof SessionCloseError, String(why));
      assert.ok(elapsed < 4 * 1 + 2.5, `ended after ${elapsed} s`);
    } finally {
      for (const pid of stopped) process.kill(pid, 'SIGCONT');
    }
  });
});
