/**
 * planRoute: from connect() options and an ssh_config file to the SSH connections to make. No
 * network: only the plan is checked (what the integration tests then run against real sshd).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SSHError } from '../../src/transport/errors.js';
import { KnownHosts } from '../../src/transport/known-hosts.js';
import type { SSHConnectOptions } from '../../src/transport/ssh-options.js';
import { planRoute, type SSHRoute } from '../../src/transport/ssh-route.js';

let dir: string;
let config: string;
const local = userInfo().username;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssh-route-test-'));
  config = join(dir, 'config');
  writeFileSync(
    config,
    [
      'Host router1',
      '  HostName 10.0.0.1',
      '  Port 2830',
      '  User netconf',
      `  IdentityFile ${dir}/id_%h`,
      '  ConnectTimeout 7',
      '  ServerAliveInterval 10',
      '  ServerAliveCountMax 5',
      '  HostKeyAlias router1-key',
      '  ProxyJump gw2',
      'Host gw2',
      '  HostName 10.9.0.2',
      '  User jump2',
      '  ProxyJump jdoe@gw1:2222',
      'Host gw1',
      '  HostName 10.9.0.1',
      `  UserKnownHostsFile ${dir}/kh_gw1`,
      'Host viacmd',
      '  HostName 10.0.0.5',
      '  ProxyCommand nc %h %p',
      'Host loop-a',
      '  ProxyJump loop-b',
      'Host loop-b',
      '  ProxyJump loop-a',
      'Host lab-*',
      '  StrictHostKeyChecking no',
      'Host ask',
      '  StrictHostKeyChecking ask',
      'Host new',
      '  StrictHostKeyChecking accept-new',
      '  IdentityAgent none',
      '  IdentitiesOnly yes',
      '',
    ].join('\n'),
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

function plan(options: Partial<SSHConnectOptions> & { host: string }): { route: SSHRoute; notes: string[] } {
  const notes: string[] = [];
  const route = planRoute({ sshConfig: config, allowAgent: false, ...options }, { knownHosts: new KnownHosts(), loadedByCaller: false }, (line) => notes.push(line));
  return { route, notes };
}

describe('planRoute', () => {
  it('resolves an alias; options given to connect() beat the file', () => {
    const { route } = plan({ host: 'router1' });
    const t = route.target;
    assert.deepEqual([t.alias, t.host, t.port, t.username, t.timeout, t.keepalive, t.keepaliveCountMax], ['router1', '10.0.0.1', 2830, 'netconf', 7, 10, 5]);
    assert.deepEqual(t.auth.keyFiles, [{ path: `${dir}/id_10.0.0.1`, required: false }]);
    assert.deepEqual(t.hostKey.lookup, { host: 'router1-key', port: 22 });

    const given = plan({ host: 'router1', port: 830, username: 'admin', timeout: 3, keepalive: 0, keepaliveCountMax: 1, hostKeyAlias: 'mine', keyFilename: '/k' }).route.target;
    assert.deepEqual([given.port, given.username, given.timeout, given.keepalive, given.keepaliveCountMax], [830, 'admin', 3, 0, 1]);
    assert.deepEqual(given.hostKey.lookup, { host: 'mine', port: 22 });
    assert.deepEqual(given.auth.keyFiles[0], { path: '/k', required: true }, 'the caller\'s key first, required');
  });

  it('a host the file does not name: port 830, the local user, 30 s, no keepalive', () => {
    const t = plan({ host: '192.0.2.7' }).route.target;
    assert.deepEqual([t.host, t.port, t.username, t.timeout, t.keepalive, t.keepaliveCountMax], ['192.0.2.7', 830, local, 30, 0, 3]);
    assert.deepEqual(t.hostKey.lookup, { host: '192.0.2.7', port: 830 });
    const none = plan({ host: 'router1', sshConfig: false }).route.target;
    assert.equal(none.host, 'router1', 'sshConfig: false reads no file');
  });

  it('ProxyJump chains: each hop looked up in the file, the first hop\'s own ProxyJump applied, hops default to port 22', () => {
    const { route, notes } = plan({ host: 'router1', keyFilename: '/caller-key' });
    assert.deepEqual(
      route.hops.map((h) => [h.alias, h.host, h.port, h.username, h.hop]),
      [
        ['gw1', '10.9.0.1', 2222, 'jdoe', { index: 0, host: '10.9.0.1', port: 2222 }],
        ['gw2', '10.9.0.2', 22, 'jump2', { index: 1, host: '10.9.0.2', port: 22 }],
      ],
    );
    assert.equal(route.proxyCommand, undefined);
    // the caller's keys are offered to hops (not required there); the password never is
    assert.deepEqual(route.hops[1]?.auth.keyFiles, [{ path: '/caller-key', required: false }]);
    const withPassword = plan({ host: 'router1', password: 'secret' });
    assert.equal(withPassword.route.target.auth.password, 'secret');
    assert.ok(withPassword.route.hops.every((h) => h.auth.password === undefined));
    assert.ok(notes.some((n) => n.includes('for router1:') && n.includes('ProxyJump gw2')), notes.join('\n'));
    assert.ok(!notes.join('\n').includes('secret'));
  });

  it('a hop\'s UserKnownHostsFile gives it its own known_hosts; the others share the session\'s', () => {
    writeFileSync(join(dir, 'kh_gw1'), '');
    const shared = new KnownHosts();
    const route = planRoute({ host: 'router1', sshConfig: config, allowAgent: false }, { knownHosts: shared, loadedByCaller: false }, () => undefined);
    assert.notEqual(route.hops[0]?.hostKey.knownHosts, shared);
    assert.equal(route.hops[0]?.hostKey.acceptNewFile, join(dir, 'kh_gw1'));
    assert.equal(route.hops[1]?.hostKey.knownHosts, shared);
    assert.equal(route.target.hostKey.knownHosts, shared);
  });

  it('proxyJump / proxyCommand given to connect() beat the file; none cancels; both at once is an error', () => {
    assert.equal(plan({ host: 'router1', proxyJump: 'none' }).route.hops.length, 0);
    const jumps = plan({ host: 'router1', proxyJump: [{ host: 'bastion', port: 2022, username: 'me', password: 'hop-pw' }] }).route;
    assert.deepEqual(jumps.hops.map((h) => [h.host, h.port, h.username, h.auth.password]), [['bastion', 2022, 'me', 'hop-pw']]);
    const cmd = plan({ host: 'router1', proxyCommand: 'ssh -W %h:%p -l %r gw # %n %%' }).route;
    assert.equal(cmd.proxyCommand, 'ssh -W 10.0.0.1:2830 -l netconf gw # router1 %');
    assert.equal(cmd.hops.length, 0);
    assert.equal(plan({ host: 'viacmd' }).route.proxyCommand, 'nc 10.0.0.5 830', 'the file\'s %p is the port connected to: 830 when nothing sets one');
    assert.equal(plan({ host: 'viacmd', proxyCommand: 'none' }).route.proxyCommand, undefined);
    assert.throws(() => plan({ host: 'x', proxyCommand: 'nc %h %p', proxyJump: 'gw' }), TypeError);
    const sock = plan({ host: 'router1', sock: process.stdin }).route;
    assert.equal(sock.hops.length + (sock.proxyCommand ? 1 : 0), 0, 'sock: no proxy at all');
  });

  it('a ProxyJump loop in the file is an error, not a hang', () => {
    assert.throws(() => plan({ host: 'loop-a' }), (err: unknown) => err instanceof SSHError && /More than 16 jump hosts/.test(err.message));
  });

  it('StrictHostKeyChecking: no from the file needs the caller\'s opt-in; ask is yes; accept-new; the caller\'s option wins', () => {
    assert.throws(() => plan({ host: 'lab-r1' }), (err: unknown) => err instanceof SSHError && /StrictHostKeyChecking no/.test(err.message) && /allowStrictHostKeyCheckingNo/.test(err.message));
    assert.equal(plan({ host: 'lab-r1', allowStrictHostKeyCheckingNo: true }).route.target.hostKey.verify, false);
    assert.equal(plan({ host: 'lab-r1', strictHostKeyChecking: 'yes' }).route.target.hostKey.verify, true, 'the caller\'s yes beats the file');
    const ask = plan({ host: 'ask' }).route.target.hostKey;
    assert.deepEqual([ask.verify, ask.strict], [true, 'yes']);
    const fresh = plan({ host: 'new' }).route.target;
    assert.deepEqual([fresh.hostKey.verify, fresh.hostKey.strict], [true, 'accept-new']);
    assert.equal(plan({ host: 'x', hostkeyVerify: false }).route.target.hostKey.verify, false);
  });

  it('IdentityAgent none and IdentitiesOnly; the agent from the caller or SSH_AUTH_SOCK otherwise', () => {
    const fresh = plan({ host: 'new', allowAgent: true, agent: undefined }).route.target;
    assert.deepEqual([fresh.auth.agent, fresh.auth.identitiesOnly], [undefined, true]);
    const given = plan({ host: 'x', allowAgent: true, agent: '/tmp/agent.sock' }).route.target;
    assert.equal(given.auth.agent, '/tmp/agent.sock');
    assert.equal(plan({ host: 'x', agent: '/tmp/agent.sock' }).route.target.auth.agent, undefined, 'allowAgent: false wins');
  });

  it('invalid options are TypeErrors', () => {
    assert.throws(() => plan({ host: '' }), TypeError);
    assert.throws(() => plan({ host: 'x', port: 70000 }), TypeError);
    assert.throws(() => plan({ host: 'x', timeout: -1 }), TypeError);
    assert.throws(() => plan({ host: 'x', keepaliveCountMax: 1.5 }), TypeError);
    assert.throws(() => plan({ host: 'x', hostkeyB64: 'not base64!' }), TypeError);
    assert.throws(() => plan({ host: 'x', proxyJump: [{ host: '' }] }), TypeError);
  });
});
