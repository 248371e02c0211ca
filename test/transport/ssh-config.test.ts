/**
 * resolveSSHConfig against OpenSSH itself: each case writes a config file, asks `ssh -G` (which
 * prints the resolved configuration without connecting) and compares field by field. IdentityFile
 * is printed unexpanded by `ssh -G`, so it is compared with what `ssh -v` reports loading (with
 * `ProxyCommand true`: nothing goes on the network), as is an expanded ProxyCommand.
 * `ssh` must be installed (Debian's openssh-client): without it these tests fail.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { parseJumpSpec, resolveSSHConfig, SSHConfigError, type ResolvedSSHConfig } from '../../src/transport/ssh-config.js';
import { parseConfigText } from '../../src/transport/ssh-config-parse.js';
import { matchPattern, matchPatternList } from '../../src/transport/ssh-config-patterns.js';
import { globPaths } from '../../src/transport/ssh-config-glob.js';

/** ssh expands `~` and `%d` with the passwd home, not $HOME. */
const HOME = userInfo().homedir;
const LOCAL_USER = userInfo().username;
const ENV_VAR = 'NETCONFKIT_SSHCFG_TEST';
const ENV_VALUE = '/env/value';
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

let root: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'ssh-config-test-'));
  process.env[ENV_VAR] = ENV_VALUE;
});
after(() => {
  rmSync(root, { recursive: true, force: true });
  delete process.env[ENV_VAR];
});

/** Write `text` with mode 0644 whatever the umask (ssh refuses included files writable by others). */
function write(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

interface SshRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run ssh; `home` sets $HOME (which OpenSSH uses for `~` in `Include` only). */
function ssh(args: string[], home?: string): SshRun {
  const env = home === undefined ? process.env : { ...process.env, HOME: home };
  const r = spawnSync('ssh', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  if (r.error) throw r.error; // ssh missing: the test fails, it is not skipped
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function commonArgs(file: string, user?: string, port?: number): string[] {
  const args = ['-F', file];
  if (user !== undefined) args.push('-l', user);
  if (port !== undefined) args.push('-p', String(port));
  return args;
}

/** `ssh -G` output: keyword -> values (several for identityfile). */
function sshG(file: string, alias: string, user?: string, port?: number, home?: string): { ok: true; values: Map<string, string[]> } | { ok: false; stderr: string } {
  const r = ssh(['-G', ...commonArgs(file, user, port), '--', alias], home);
  if (r.status !== 0) return { ok: false, stderr: r.stderr };
  const values = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space === -1) continue;
    const key = line.slice(0, space);
    values.set(key, [...(values.get(key) ?? []), line.slice(space + 1)]);
  }
  return { ok: true, values };
}

/**
 * What `ssh -v` loads and runs: the expanded identity files, and the expanded proxy command when
 * `ownProxy` (the case's ProxyCommand is a harmless `true …`), else `ProxyCommand true` is forced.
 */
function sshV(file: string, alias: string, user: string | undefined, port: number | undefined, ownProxy: boolean, home: string | undefined): { identities: string[]; proxy: string | undefined } {
  const args = ['-v', '-o', 'BatchMode=yes', ...(ownProxy ? [] : ['-o', 'ProxyCommand=true']), ...commonArgs(file, user, port), '--', alias];
  const { stderr } = ssh(args, home);
  const loaded = [...stderr.matchAll(/^debug1: identity file (.*) type -?\d+$/gm)].map((m) => m[1] as string);
  const identities = loaded.filter((path, i) => !(i > 0 && path === `${loaded[i - 1]}-cert`));
  const proxy = /^debug1: Executing proxy command: exec (.*)$/m.exec(stderr)?.[1];
  return { identities, proxy };
}

const one = (values: Map<string, string[]>, key: string): string | undefined => values.get(key)?.[0];

/** Compare our result with `ssh -G` (and `ssh -v`), field by field. */
function compareWithSsh(ours: ResolvedSSHConfig, file: string, alias: string, user: string | undefined, port: number | undefined, home: string | undefined): void {
  const g = sshG(file, alias, user, port, home);
  assert.ok(g.ok, `ssh -G refused the file: ${g.ok ? '' : g.stderr}`);
  const v = g.values;
  assert.equal(ours.hostName, one(v, 'hostname'), 'hostname');
  assert.equal(String(ours.port ?? 22), one(v, 'port'), 'port');
  assert.equal(ours.user ?? LOCAL_USER, one(v, 'user'), 'user');
  assert.equal(ours.identitiesOnly ? 'yes' : 'no', one(v, 'identitiesonly'), 'identitiesonly');
  assert.equal(ours.identityAgent, one(v, 'identityagent'), 'identityagent');
  assert.equal(ours.hostKeyAlias, one(v, 'hostkeyalias'), 'hostkeyalias');
  assert.equal(ours.connectTimeout === undefined ? 'none' : String(ours.connectTimeout), one(v, 'connecttimeout'), 'connecttimeout');
  assert.equal(String(ours.serverAliveInterval ?? 0), one(v, 'serveraliveinterval'), 'serveraliveinterval');
  assert.equal(String(ours.serverAliveCountMax ?? 3), one(v, 'serveralivecountmax'), 'serveralivecountmax');
  const strict = { yes: 'true', no: 'false', ask: 'ask', 'accept-new': 'accept-new' }[ours.strictHostKeyChecking ?? 'ask'];
  assert.equal(strict, one(v, 'stricthostkeychecking'), 'stricthostkeychecking');
  const knownHosts = ours.userKnownHostsFiles ?? [join(HOME, '.ssh/known_hosts'), join(HOME, '.ssh/known_hosts2')];
  assert.equal(knownHosts.join(' '), one(v, 'userknownhostsfile'), 'userknownhostsfile');

  // ProxyJump / ProxyCommand: ssh -G shows the jump normalised and the command unexpanded, and
  // neither when it is `none`
  const jumping = ours.proxyJump !== undefined && ours.proxyJump !== 'none';
  const gJump = one(v, 'proxyjump');
  if (jumping) {
    assert.ok(gJump !== undefined, `ssh -G shows no proxyjump, we have ${ours.proxyJump}`);
    assert.deepEqual(parseJumpSpec(ours.proxyJump as string), parseJumpSpec(gJump), 'proxyjump');
    assert.equal(one(v, 'proxycommand'), undefined, 'no proxycommand with a proxyjump');
  } else {
    assert.equal(gJump, undefined, 'proxyjump');
    const gCommand = one(v, 'proxycommand');
    if (ours.proxyCommand === undefined || ours.proxyCommand === 'none') assert.equal(gCommand, undefined, 'proxycommand');
    else if (!gCommand?.includes('%')) assert.equal(ours.proxyCommand, gCommand, 'proxycommand');
    else assert.ok(gCommand !== undefined, 'proxycommand');
  }

  // identity files as ssh loads them (and the default list when the file names none)
  const ownProxy = !jumping && ours.proxyCommand !== undefined && /^true( |$)/.test(ours.proxyCommand);
  const run = sshV(file, alias, user, port, ownProxy, home);
  // ssh adds its default list when no IdentityFile is given; `IdentityFile none` counts as one
  const noneGiven = (v.get('identityfile') ?? []).some((f) => f.toLowerCase() === 'none');
  const identities = ours.identityFiles.length > 0 || noneGiven ? ours.identityFiles : DEFAULT_IDENTITIES.map((f) => join(HOME, '.ssh', f));
  assert.deepEqual(run.identities, identities, 'identity files (ssh -v)');
  if (ownProxy) assert.equal(run.proxy, ours.proxyCommand, 'expanded proxy command (ssh -v)');
}

interface Case {
  name: string;
  /** The config file; `@DIR@` stands for the case's directory. */
  config: string;
  /** More files, by name relative to the case's directory. */
  files?: Record<string, string>;
  /** Mode of some of the files (default 0644). */
  modes?: Record<string, number>;
  /** The names to look up, each compared with ssh -G. */
  aliases: string[];
  user?: string;
  port?: number;
  /**
   * $HOME for ssh and `home` for us (`@DIR@` allowed): OpenSSH expands `~` in `Include` (and
   * finds relative ones in ~/.ssh) with $HOME, elsewhere with the passwd entry.
   */
  home?: string;
  /** Both ssh and resolveSSHConfig refuse the file; our message must match this. */
  error?: RegExp;
  /** What we expect besides agreeing with ssh (per alias when a function). */
  expect?: (r: ResolvedSSHConfig, alias: string) => void;
}

const CASES: Case[] = [
  {
    name: 'wildcard *, first value wins across blocks',
    config: 'Host *.example.com\n  User ops\n  Port 2022\nHost router1.example.com\n  User ignored\n  HostName 10.0.0.1\nHost *\n  Port 9999\n  ConnectTimeout 7\n',
    aliases: ['router1.example.com', 'other.example.com', 'example.com', 'plain'],
    expect: (r, alias) => {
      if (alias === 'router1.example.com') assert.deepEqual([r.user, r.port, r.hostName], ['ops', 2022, '10.0.0.1']);
      if (alias === 'plain') assert.deepEqual([r.user, r.port, r.connectTimeout], [undefined, 9999, 7]);
    },
  },
  {
    name: '? matches exactly one character',
    config: 'Host r?\n  User one\nHost r??x\n  User three\n',
    aliases: ['r1', 'r', 'r12', 'r12x', 'r1x'],
    expect: (r, alias) => assert.equal(r.user, { r1: 'one', r12x: 'three' }[alias]),
  },
  {
    name: 'negated pattern: the whole Host line does not match',
    config: 'Host !nothing\n  Port 1\nHost * !bastion !*.internal\n  User everyone\nHost bastion\n  User jump\n',
    aliases: ['router', 'bastion', 'x.internal'],
    expect: (r, alias) => assert.equal(r.user, { router: 'everyone', bastion: 'jump' }[alias]),
  },
  {
    name: 'several patterns per Host line; a comma is not a separator there',
    config: 'Host alpha beta gamma*\n  Port 1001\nHost delta,epsilon\n  Port 1002\n',
    aliases: ['alpha', 'beta', 'gamma7', 'delta', 'epsilon'],
  },
  {
    name: 'Host patterns are case-sensitive; the host name is lower-cased',
    config: 'Host router1\n  Port 1\nHost Router2\n  HostName Target.Example.NET\n',
    aliases: ['router1', 'Router1', 'Router2', 'router2', 'MiXeD'],
    expect: (r, alias) => {
      if (alias === 'Router2') assert.equal(r.hostName, 'target.example.net');
      if (alias === 'MiXeD') assert.deepEqual([r.host, r.hostName], ['MiXeD', 'mixed']);
    },
  },
  {
    name: 'addresses are not lower-cased but put in numeric form',
    config: 'Host r1\n  HostName 0x0A.1\nHost r2\n  HostName FE80::0001\nHost *\n  Port 2\n',
    aliases: ['r1', 'r2', '2001:DB8:0:0::0001', '2001:DB8::1', '127.1', '10.0.0.01', '::FFFF:10.0.0.1', '[::1]', '10.0.0.1.'],
    expect: (r, alias) => {
      const want = { r1: '10.0.0.1', r2: 'fe80::1', '2001:DB8:0:0::0001': '2001:db8::1', '2001:DB8::1': '2001:DB8::1', '127.1': '127.0.0.1' }[alias];
      if (want) assert.equal(r.hostName, want);
    },
  },
  {
    name: 'Match host sees HostName with %h expanded, even before the end of the file',
    config: 'Host *\n  HostName %h.mgmt.example.net\nMatch host *.mgmt.example.net\n  User mgmt\nMatch host r1\n  Port 1\nMatch canonical\n  Port 2\n',
    aliases: ['r1', 'R2'],
    expect: (r) => assert.deepEqual([r.user, r.port], ['mgmt', undefined]),
  },
  {
    name: 'IdentityFile is cumulative, in order, duplicates dropped',
    config: 'Host r1\n  IdentityFile /keys/a\n  IdentityFile /keys/b\nHost *\n  IdentityFile /keys/a\n  IdentityFile /keys/c\n  IdentitiesOnly yes\n',
    aliases: ['r1', 'r2'],
    expect: (r, alias) => assert.deepEqual(r.identityFiles, alias === 'r1' ? ['/keys/a', '/keys/b', '/keys/c'] : ['/keys/a', '/keys/c']),
  },
  {
    name: 'IdentityFile none names no file (and stops ssh’s default list)',
    config: 'Host a\n  IdentityFile none\nHost b\n  IdentityFile NONE\n  IdentityFile /keys/b\n',
    aliases: ['a', 'b'],
    expect: (r, alias) => assert.deepEqual(r.identityFiles, alias === 'a' ? [] : ['/keys/b']),
  },
  {
    name: 'Include with a glob (absolute path), files in sorted order, no dot files',
    config: 'Include @DIR@/conf.d/*.conf\nHost *\n  User fallback\n',
    files: {
      'conf.d/20-b.conf': 'Host r1\n  User from-b\n  Port 2020\n',
      'conf.d/10-a.conf': 'Host r1\n  Port 1010\n',
      'conf.d/.hidden.conf': 'Host *\n  User hidden\n',
      'conf.d/notes.txt': 'Host *\n  User txt\n',
    },
    aliases: ['r1', 'r2'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.deepEqual([r.user, r.port], ['from-b', 1010]);
      assert.equal(r.files.length, 3);
    },
  },
  {
    name: 'relative Include is relative to ~/.ssh, and ~ in Include is $HOME',
    config: 'Include conf.d/*.conf extra ~/.ssh/tilde.conf missing.conf\nHost *\n  ConnectTimeout 4\n',
    files: {
      'home/.ssh/conf.d/a.conf': 'Host r1\n  Port 1001\n',
      'home/.ssh/conf.d/b.conf': 'Host r1\n  User from-b\n',
      'home/.ssh/extra': 'Host *\n  ServerAliveInterval 9\n',
      'home/.ssh/tilde.conf': 'Host *\n  ServerAliveCountMax 2\n',
    },
    home: '@DIR@/home',
    aliases: ['r1', 'r2'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.deepEqual([r.port, r.user, r.serverAliveInterval, r.serverAliveCountMax, r.connectTimeout], [1001, 'from-b', 9, 2, 4]);
      assert.equal(r.files.length, 5);
    },
  },
  {
    name: 'Include inside a Host block: only when the block matches; its Host lines do not leak',
    config: 'Host r1\n  Include @DIR@/inc.conf\n  ServerAliveInterval 15\nHost *\n  ServerAliveCountMax 5\n',
    files: { 'inc.conf': 'User included\nHost other\n  Port 4444\n' },
    aliases: ['r1', 'other'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.deepEqual([r.user, r.serverAliveInterval, r.port], ['included', 15, undefined]);
      if (alias === 'other') assert.deepEqual([r.user, r.port], [undefined, undefined]);
    },
  },
  {
    name: 'Match host looks at HostName; Match originalhost at the alias',
    config: 'Host r1\n  HostName Core1.Example.NET\nMatch host core1.example.net\n  User by-hostname\nMatch host r1\n  User by-alias\nMatch originalhost r1\n  Port 1234\n',
    aliases: ['r1', 'core1.example.net'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.deepEqual([r.user, r.port], ['by-hostname', 1234]);
    },
  },
  {
    name: 'Match user (-l and User) and localuser, with negation',
    config: `Match user alice\n  Port 1111\nMatch !user alice\n  Port 2222\nMatch localuser ${LOCAL_USER}\n  ServerAliveCountMax 9\nMatch !localuser ${LOCAL_USER}\n  ServerAliveCountMax 1\n`,
    aliases: ['r1'],
    user: 'alice',
    expect: (r) => assert.deepEqual([r.port, r.serverAliveCountMax], [1111, 9]),
  },
  {
    name: 'Match user sees a User set earlier in the file',
    config: 'Host r1\n  User bob\nMatch user bob\n  IdentityFile /keys/bob\nMatch !user bob\n  IdentityFile /keys/not-bob\n',
    aliases: ['r1', 'r2'],
  },
  {
    name: 'Match all, Match !host, several criteria (all must match)',
    config: 'Match !host *.lab\n  User not-lab\nMatch host *.lab user root,admin\n  Port 22222\nMatch all\n  ConnectTimeout 42\n',
    aliases: ['a.lab', 'b.prod'],
    user: 'admin',
  },
  {
    name: 'Match final and canonical: a second pass where Host lines see the host name',
    config:
      'Host r1\n  HostName Target\n  IdentityFile /k/first_%h\nMatch final host target\n  User final-user\n  IdentityFile /k/final_%h_%r\nHost target\n  Port 7777\nMatch canonical\n  ServerAliveInterval 3\nMatch !final\n  ServerAliveCountMax 8\n',
    aliases: ['r1', 'target'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.deepEqual([r.user, r.port, r.serverAliveInterval, r.serverAliveCountMax], ['final-user', 7777, 3, 8]);
    },
  },
  {
    name: 'tokens in IdentityFile, ~ and ${VAR}',
    config: `Host *\n  HostKeyAlias KeyAlias\n  IdentityFile ~/.ssh/id_%h_%p_%r_%u_%n_%%\n  IdentityFile %d/k_%l_%L_%i_%k\n  IdentityFile /c/%C\n  IdentityFile \${${ENV_VAR}}/key\n`,
    aliases: ['R1', 'r2.example.net'],
    user: 'netops',
    port: 830,
    expect: (r, alias) => {
      if (alias === 'R1') assert.equal(r.identityFiles[0], join(HOME, '.ssh/id_r1_830_netops_') + `${LOCAL_USER}_R1_%`);
      assert.equal(r.identityFiles[3], `${ENV_VALUE}/key`);
    },
  },
  {
    name: 'tokens in ProxyCommand; the raw rest of the line (quotes, comment) is the command',
    config: 'Host r1\n  HostName Real-Host\n  User u1\n  Port 2200\n  ProxyCommand true -W "%h:%p" %r %n %% \'single q\' # not a comment for ssh\nHost *\n  ProxyCommand   =  true  %h  %p\n',
    aliases: ['r1', 'R9'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.equal(r.proxyCommand, 'true -W "real-host:2200" u1 r1 % \'single q\' # not a comment for ssh');
      if (alias === 'R9') assert.equal(r.proxyCommand, 'true  r9  22');
    },
  },
  {
    name: 'tokens in UserKnownHostsFile (several files) and IdentityAgent',
    config: `Host *\n  UserKnownHostsFile ~/kh/%h_%p %d/kh2_%r \${${ENV_VAR}}/kh3\n  IdentityAgent ~/agent/%h.sock\n`,
    aliases: ['r1'],
    port: 2222,
    user: 'ops',
  },
  {
    name: 'IdentityAgent none, SSH_AUTH_SOCK and UserKnownHostsFile none are kept',
    config: 'Host a\n  IdentityAgent none\n  UserKnownHostsFile none\nHost b\n  IdentityAgent SSH_AUTH_SOCK\n',
    aliases: ['a', 'b'],
  },
  {
    name: '= syntax, tabs, CRLF line ends, comments',
    config:
      '# a comment\r\nHost=r1\r\n\tHostName = h1.example.net\r\n  Port=2201 # trailing comment\r\n\r\n  User\t=\tadmin\r\nHost = r2 # comment\r\n  # indented comment\r\n  Port= 2202\r\nMatch originalhost=r2 user=root,admin\r\n  ConnectTimeout=12\r\n',
    aliases: ['r1', 'r2'],
    expect: (r, alias) => {
      if (alias === 'r1') assert.deepEqual([r.hostName, r.port, r.user], ['h1.example.net', 2201, 'admin']);
    },
  },
  {
    name: 'double quotes',
    config: 'Host "r1" "r 2"\n  IdentityFile "~/.ssh/my key"\n  User "john"\n  HostName "h1"\n',
    aliases: ['r1'],
    expect: (r) => assert.deepEqual(r.identityFiles, [join(HOME, '.ssh/my key')]),
  },
  {
    name: 'keywords are case-insensitive',
    config: 'HOST r1\n  HOSTNAME h1\n  pOrT 2022\n  IdEnTiTyFiLe /k1\n  identityfile2 /k2\n  STRICTHOSTKEYCHECKING accept-new\nmatch HOST h1\n  USER matched\n',
    aliases: ['r1'],
    expect: (r) => assert.deepEqual([r.user, r.identityFiles, r.strictHostKeyChecking], ['matched', ['/k1', '/k2'], 'accept-new']),
  },
  {
    name: 'ProxyJump with several hops (user@, :port, ssh:// URI, [IPv6]:port)',
    config: 'Host r1\n  ProxyJump admin@jump1:2222,ssh://bob@jump2.example.net:2200,[2001:db8::1]:2022,jump4 # comment\nHost r2\n  ProxyJump 10.0.0.1\n',
    aliases: ['r1', 'r2'],
    expect: (r, alias) => {
      if (alias === 'r1') {
        assert.deepEqual(parseJumpSpec(r.proxyJump as string), [
          { host: 'jump1', port: 2222, user: 'admin' },
          { host: 'jump2.example.net', port: 2200, user: 'bob' },
          { host: '2001:db8::1', port: 2022, user: undefined },
          { host: 'jump4', port: undefined, user: undefined },
        ]);
      }
    },
  },
  {
    name: 'ProxyJump none then ProxyCommand: the command applies',
    config: 'Host r1\n  ProxyJump none\n  ProxyCommand true %h\n  ProxyJump later\n',
    aliases: ['r1'],
    expect: (r) => assert.deepEqual([r.proxyJump, r.proxyCommand], ['none', 'true r1']),
  },
  {
    name: 'ProxyJump and ProxyCommand: whichever comes first wins',
    config: 'Host r1\n  ProxyJump jump1\n  ProxyCommand true never\nHost r2\n  ProxyCommand true %h:%p\n  ProxyJump never\nHost *\n  ProxyCommand NONE\n',
    aliases: ['r1', 'r2', 'r3'],
    expect: (r, alias) => {
      const want = { r1: ['jump1', undefined], r2: [undefined, 'true r2:22'], r3: [undefined, 'none'] }[alias];
      assert.deepEqual([r.proxyJump, r.proxyCommand], want);
    },
  },
  {
    name: 'IgnoreUnknown: unknown keywords it names are skipped; known ones not honoured are listed',
    config: 'IgnoreUnknown UseKeychain,AddKeys*\nHost *\n  UseKeychain yes\n  AddKeysToAgentX yes\n  ForwardAgent yes\n  Compression yes\n  Protocol 2\n',
    aliases: ['r1'],
    expect: (r) => assert.deepEqual(r.unsupported, ['forwardagent', 'compression']),
  },
  {
    name: 'StrictHostKeyChecking values as OpenSSH normalises them; times',
    config: 'Host a\n  StrictHostKeyChecking OFF\n  ConnectTimeout 1m30s\nHost b\n  StrictHostKeyChecking True\n  ConnectTimeout none\n  ConnectTimeout 5\n  ServerAliveInterval 1h\nHost c\n  StrictHostKeyChecking ask\n  ServerAliveCountMax 010\n',
    aliases: ['a', 'b', 'c'],
    expect: (r, alias) => {
      const want = { a: ['no', 90, undefined], b: ['yes', 5, 3600], c: ['ask', undefined, undefined] }[alias];
      assert.deepEqual([r.strictHostKeyChecking, r.connectTimeout, r.serverAliveInterval], want);
    },
  },
  {
    name: 'the caller’s user and port beat the file; HostName takes %h; HostKeyAlias lower-cased',
    config: 'Host *\n  User file-user\n  Port 2000\n  HostName %h.Mgmt.Example.NET\n  HostKeyAlias MixedAlias\n',
    aliases: ['r1'],
    user: 'cli-user',
    port: 830,
    expect: (r) => assert.deepEqual([r.user, r.port, r.hostName, r.hostKeyAlias], ['cli-user', 830, 'r1.mgmt.example.net', 'mixedalias']),
  },
  {
    name: 'ProxyJump: nothing after white space counts (OpenSSH 9.2 rtrim)',
    config: 'Host r1\n  ProxyJump j1,u@j2:2 j3\nHost r2\n  ProxyJump j1\tj2 # c\n',
    aliases: ['r1', 'r2'],
    expect: (r, alias) => assert.equal(r.proxyJump, { r1: 'j1,u@j2:2', r2: 'j1' }[alias]),
  },
  {
    name: 'a value that starts with # is a comment: no argument',
    config: 'Host #r1\n  Port 1\nHost r1\n  UserKnownHostsFile # none\n  UserKnownHostsFile /kh\n',
    aliases: ['r1'],
    expect: (r) => assert.deepEqual([r.port, r.userKnownHostsFiles], [undefined, ['/kh']]),
  },
  {
    name: 'Include 16 levels deep is fine',
    config: 'Include @DIR@/inc1\n',
    files: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`inc${i + 1}`, i === 15 ? 'Port 1616\n' : `Include @DIR@/inc${i + 2}\n`])),
    aliases: ['r1'],
    expect: (r) => assert.deepEqual([r.port, r.files.length], [1616, 17]),
  },
  {
    name: 'error: Include 17 levels deep',
    config: 'Include @DIR@/inc1\n',
    files: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`inc${i + 1}`, i === 16 ? 'Port 1717\n' : `Include @DIR@/inc${i + 2}\n`])),
    aliases: ['r1'],
    error: /inc16 line 1: Too many recursive configuration includes/,
  },
  {
    name: 'error: ServerAliveCountMax below 0',
    config: 'Host other\n  ServerAliveCountMax -1\n',
    aliases: ['r1'],
    error: /line 2: integer value invalid/,
  },
  {
    name: 'error: bad port (in a block that does not apply)',
    config: 'Host other\n  Port 70000\n',
    aliases: ['r1'],
    error: /line 2: Bad port '70000'/,
  },
  {
    name: 'error: unknown Match criterion',
    config: 'Host r1\n  User x\nMatch colour blue\n  Port 1\n',
    aliases: ['r1'],
    error: /line 3: Unsupported Match attribute colour/,
  },
  {
    name: 'error: unterminated quote',
    config: 'Host r1\n\n  IdentityFile "~/.ssh/key\n',
    aliases: ['r1'],
    error: /line 3: invalid quotes/,
  },
  {
    name: 'error: extra arguments',
    config: 'Host r1\n  HostName a b\n',
    aliases: ['r1'],
    error: /line 2: keyword hostname extra arguments/,
  },
  {
    name: 'error: UserKnownHostsFile none with other files',
    config: 'Host *\n  UserKnownHostsFile none /x\n',
    aliases: ['r1'],
    error: /line 2: .*"none" argument must appear alone/,
  },
  {
    name: 'error: invalid ProxyJump, even in a block that does not apply',
    config: 'Host other\n  ProxyJump jump:0\n',
    aliases: ['r1'],
    error: /line 2: Invalid ProxyJump "jump:0"/,
  },
  {
    name: 'error: Match all combined with another criterion',
    config: 'Match all host x\n  Port 1\n',
    aliases: ['r1'],
    error: /line 1: 'all' cannot be combined/,
  },
  {
    name: 'error: an included file writable by others, even in a block that does not apply',
    config: 'Host other\n  Include @DIR@/open.conf\n',
    files: { 'open.conf': 'Port 1\n' },
    modes: { 'open.conf': 0o666 },
    aliases: ['r1'],
    error: /line 2: Bad owner or permissions on .*open\.conf/,
  },
  {
    name: 'error: Include loop',
    config: 'Host *\n  Include @DIR@/loop.conf\n',
    files: { 'loop.conf': 'Include @DIR@/loop.conf\n' },
    aliases: ['r1'],
    error: /loop\.conf line 1: Too many recursive configuration includes/,
  },
  {
    name: 'error: a keyword without argument',
    config: 'Host r1\n  HostName\n  User x\n',
    aliases: ['r1'],
    error: /line 2: no argument after keyword "hostname"/,
  },
  {
    name: 'error: unset ${VAR} in IdentityAgent',
    config: 'Host *\n  IdentityAgent ${NETCONFKIT_SURELY_UNSET_VARIABLE}/sock\n',
    aliases: ['r1'],
    error: /line 2: Invalid environment expansion/,
  },
];

describe('resolveSSHConfig against ssh -G', () => {
  it('ssh is installed', () => {
    const r = ssh(['-V']);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /^OpenSSH_/);
  });

  CASES.forEach((c, index) => {
    it(c.name, () => {
      const dir = join(root, `case${index}`);
      const subst = (text: string): string => text.replaceAll('@DIR@', dir);
      const file = join(dir, 'config');
      write(file, subst(c.config));
      for (const [name, text] of Object.entries(c.files ?? {})) write(join(dir, name), subst(text), c.modes?.[name]);
      const home = c.home === undefined ? undefined : subst(c.home);
      for (const alias of c.aliases) {
        const options = { file, user: c.user, port: c.port, home: home ?? HOME };
        if (c.error) {
          const g = sshG(file, alias, c.user, c.port, home);
          assert.equal(g.ok, false, `ssh -G accepted the file for ${alias}`);
          // ssh names the line too, most of the time: the same one
          const sshLine = /line (\d+)/.exec(g.ok ? '' : g.stderr)?.[1];
          assert.throws(() => resolveSSHConfig(alias, options), (e: unknown) => {
            assert.ok(e instanceof SSHConfigError, String(e));
            assert.match(e.message, c.error as RegExp);
            assert.ok(e.message.includes(dir), `the message names the file: ${e.message}`);
            if (sshLine !== undefined) assert.match(e.message, new RegExp(`line ${sshLine}:`), `ssh: ${g.ok ? '' : g.stderr}`);
            return true;
          });
          continue;
        }
        const ours = resolveSSHConfig(alias, options);
        assert.equal(ours.host, alias);
        assert.equal(ours.files[0], file);
        try {
          compareWithSsh(ours, file, alias, c.user, c.port, home);
          c.expect?.(ours, alias);
        } catch (e) {
          (e as Error).message = `[${alias}] ${(e as Error).message}`;
          throw e;
        }
      }
    });
  });
});

describe('resolveSSHConfig', () => {
  let dir: string;
  before(() => {
    dir = join(root, 'unit');
    mkdirSync(dir, { recursive: true });
  });

  function config(name: string, text: string): string {
    const file = join(dir, name);
    write(file, text);
    return file;
  }

  it('relative Include is relative to ~/.ssh (the home option)', () => {
    const home = join(dir, 'home1');
    write(join(home, '.ssh/conf.d/a.conf'), 'Host r1\n  Port 1001\n');
    write(join(home, '.ssh/conf.d/b.conf'), 'Host r1\n  User from-b\n');
    write(join(home, '.ssh/extra'), 'Host *\n  ConnectTimeout 9\n');
    const file = config('rel.conf', 'Include conf.d/*.conf extra ~/.ssh/extra missing-file\n');
    const r = resolveSSHConfig('r1', { file, home });
    assert.deepEqual([r.port, r.user, r.connectTimeout], [1001, 'from-b', 9]);
    assert.deepEqual(r.files, [file, join(home, '.ssh/conf.d/a.conf'), join(home, '.ssh/conf.d/b.conf'), join(home, '.ssh/extra')]);
  });

  it('default file: ~/.ssh/config of the home option when it exists, else an empty result', () => {
    const empty = resolveSSHConfig('Router', { home: join(dir, 'no-such-home'), localUser: 'me' });
    assert.deepEqual(empty, {
      host: 'Router',
      hostName: 'router',
      port: undefined,
      user: undefined,
      identityFiles: [],
      identitiesOnly: undefined,
      identityAgent: undefined,
      proxyJump: undefined,
      proxyCommand: undefined,
      userKnownHostsFiles: undefined,
      strictHostKeyChecking: undefined,
      hostKeyAlias: undefined,
      connectTimeout: undefined,
      serverAliveInterval: undefined,
      serverAliveCountMax: undefined,
      unsupported: [],
      files: [],
    });
    const home = join(dir, 'home2');
    write(join(home, '.ssh/config'), 'Host r1\n  IdentityFile ~/.ssh/%u_%r\n');
    const r = resolveSSHConfig('r1', { home, localUser: 'me' });
    assert.deepEqual(r.identityFiles, [join(home, '.ssh/me_me')]);
    assert.deepEqual(r.files, [join(home, '.ssh/config')]);
    // ~/.ssh/config itself must not be writable by others (ssh checks it, not a -F file)
    chmodSync(join(home, '.ssh/config'), 0o666);
    assert.throws(() => resolveSSHConfig('r1', { home }), /Bad owner or permissions/);
    assert.doesNotThrow(() => resolveSSHConfig('r1', { home, file: join(home, '.ssh/config') }));
  });

  it('a file given that does not exist is an error', () => {
    assert.throws(() => resolveSSHConfig('r1', { file: join(dir, 'nope') }), (e: unknown) => e instanceof SSHConfigError && /Can't open user config file/.test(e.message));
  });

  it('Include loop: a bounded SSHConfigError, not a stack overflow', () => {
    const a = join(dir, 'loop-a.conf');
    const b = join(dir, 'loop-b.conf');
    write(a, `Include ${b}\n`);
    write(b, `Host *\n  Include ${a}\n`);
    assert.throws(() => resolveSSHConfig('r1', { file: a }), (e: unknown) => e instanceof SSHConfigError && /Too many recursive configuration includes/.test(e.message));
  });

  it('malformed files: SSHConfigError naming file and line', () => {
    const cases: [string, RegExp][] = [
      ['Host r1\n  User "unterminated\n', /bad1\.conf line 2: invalid quotes/],
      ['# c\nHost r1\n\n  Match\n', /bad2\.conf line 4: no argument after keyword "match"/],
      ['Host\nHost r1\n', /bad3\.conf line 1: no argument after keyword "host"/],
      ['Match host\n', /bad4\.conf line 1: Missing Match criteria for host/],
      ['Match user x\r\n\r\nMatch exec\r\n', /bad5\.conf line 3: Missing Match criteria for exec/],
      ['Host r1\n  Port 22 23\n', /bad6\.conf line 2: keyword port extra arguments/],
      ['Host r1\n  IdentitiesOnly maybe\n', /bad7\.conf line 2: unsupported option "maybe"/],
      ['Host r1\n  ConnectTimeout 5x\n', /bad8\.conf line 2: invalid time value/],
      ['Host r1\n  IdentityFile ~/%j\n', /bad9\.conf line 2: unknown key %j/],
      ['Host r1\n  HostName %p\n', /bad10\.conf line 2: unknown key %p/],
      ['Host r1\n=x\n', /bad11\.conf line 2: no keyword before "="/],
    ];
    cases.forEach(([text, message], i) => {
      const file = config(`bad${i + 1}.conf`, text);
      assert.throws(
        () => resolveSSHConfig('r1', { file }),
        (e: unknown) => {
          assert.ok(e instanceof SSHConfigError, String(e));
          assert.match(e.message, message);
          return true;
        },
        text,
      );
    });
  });

  it('Match exec is never run: the block does not apply, and it is reported', () => {
    const marker = join(dir, 'exec-ran');
    const file = config('exec.conf', `Match exec "touch ${marker}"\n  User from-exec\nMatch !exec "false"\n  Port 1\nMatch host nomatch exec "touch ${marker}"\n  Port 2\n`);
    const r = resolveSSHConfig('r1', { file });
    assert.deepEqual([r.user, r.port, r.unsupported], [undefined, undefined, ['match exec']]);
    assert.equal(existsSync(marker), false, 'the command was not run');
  });

  it('Match with negated criteria that take no argument (which the ssh-config package cannot read)', () => {
    const file = config('neg.conf', 'Match !final host r1\n  User not-final\nMatch !all\n  Port 1\nMatch !canonical\n  Port 2\n');
    const r = resolveSSHConfig('r1', { file });
    assert.deepEqual([r.user, r.port], ['not-final', 2]);
  });

  it('unknown keywords are listed, not refused; known ones only where they apply', () => {
    const file = config('unknown.conf', 'Host other\n  FancyOption 1\n  ForwardX11 yes\nHost r1\n  UseKeychain yes\n  CanonicalizeHostname yes\n');
    const r = resolveSSHConfig('r1', { file });
    assert.deepEqual(r.unsupported, ['fancyoption', 'usekeychain', 'canonicalizehostname']);
  });

  it('Port as a service name, as ssh reads /etc/services', () => {
    const file = config('service.conf', 'Host r1\n  Port ssh\n');
    const g = sshG(file, 'r1');
    let port: number | undefined;
    try {
      port = resolveSSHConfig('r1', { file }).port;
    } catch (e) {
      assert.ok(e instanceof SSHConfigError && /Bad port 'ssh'/.test(e.message), String(e));
    }
    // without a services database (no netbase) neither knows the name
    assert.equal(port !== undefined, g.ok);
    if (g.ok) assert.equal(String(port), one(g.values, 'port'));
  });

  it('refuses what ssh refuses on its command line', () => {
    for (const host of ['a;b', '-oProxyCommand=x', 'a b', 'a,b', 'a$(x)', 'a`b`', 'a|b']) {
      assert.throws(() => resolveSSHConfig(host, { file: '/dev/null' }), SSHConfigError, host);
      assert.equal(sshG('/dev/null', host).ok, false, `ssh accepts ${host}`);
    }
    for (const user of ['a;b', '-x', 'a -b', 'a\\', 'a(b)']) {
      assert.throws(() => resolveSSHConfig('r1', { file: '/dev/null', user }), SSHConfigError, user);
      assert.equal(sshG('/dev/null', 'r1', user).ok, false, `ssh accepts user ${user}`);
    }
    for (const user of ['a b', 'DOM\\user', 'a.b@c']) {
      assert.equal(resolveSSHConfig('r1', { file: '/dev/null', user }).user, user);
      assert.equal(sshG('/dev/null', 'r1', user).ok, true, `ssh refuses user ${user}`);
    }
    assert.throws(() => resolveSSHConfig('r1', { file: '/dev/null', port: 0 }), TypeError);
    assert.throws(() => resolveSSHConfig('', { file: '/dev/null' }), TypeError);
    assert.equal(resolveSSHConfig('fe80::1%eth0', { file: '/dev/null' }).hostName, 'fe80::1%eth0');
  });

  it('line numbers survive comments, blank lines, CRLF and a comment after a value', () => {
    const text = '# one\r\n\r\nHost a # two\r\n  HostName x # three\r\n\r\n\r\n  User y\r\nMatch !final\r\n  Port 1\r\n';
    const lines = parseConfigText(text, 'f').map((d) => [d.keyword, d.line]);
    assert.deepEqual(lines, [
      ['host', 3],
      ['hostname', 4],
      ['user', 7],
      ['match', 8],
      ['port', 9],
    ]);
  });
});

describe('parseJumpSpec', () => {
  const cases: [string, ReturnType<typeof parseJumpSpec>][] = [
    ['jump', [{ host: 'jump', port: undefined, user: undefined }]],
    ['admin@jump:2222', [{ host: 'jump', port: 2222, user: 'admin' }]],
    ['[::1]:2222', [{ host: '::1', port: 2222, user: undefined }]],
    ['u@[2001:db8::1]', [{ host: '2001:db8::1', port: undefined, user: 'u' }]],
    ['ssh://user@h:22', [{ host: 'h', port: 22, user: 'user' }]],
    ['ssh://us%40er;x=y@h.example.net/', [{ host: 'h.example.net', port: undefined, user: 'us@er' }]],
    ['a@b@c:23', [{ host: 'c', port: 23, user: 'a@b' }]],
    [
      'j1,u@j2:2022,ssh://j3:2200',
      [
        { host: 'j1', port: undefined, user: undefined },
        { host: 'j2', port: 2022, user: 'u' },
        { host: 'j3', port: 2200, user: undefined },
      ],
    ],
    ['h:ssh', [{ host: 'h', port: 22, user: undefined }]],
    ['h # comment', [{ host: 'h', port: undefined, user: undefined }]],
    ['none', []],
    ['NONE', []],
  ];
  for (const [spec, want] of cases) {
    it(`parses ${JSON.stringify(spec)}`, () => assert.deepEqual(parseJumpSpec(spec), want));
  }

  it('refuses what OpenSSH refuses', () => {
    for (const spec of ['', 'h,', ',h', '@h', 'h:0', 'h:70000', 'h/22', '::1', '[::1', '[::1]x', 'ssh://[::1]:22', 'ssh://h/path', 'ssh://@h', 'ssh://u%zz@h']) {
      assert.throws(() => parseJumpSpec(spec), SSHConfigError, spec);
    }
  });

  it('agrees with ssh on what is valid', () => {
    const dir = join(root, 'jump');
    for (const [i, spec] of ['ssh://[::1]:22', 'h/22', 'u@h:ssh', 'a@b@c:1', 'ssh://u;p@h', '[::1]x'].entries()) {
      const file = join(dir, `j${i}`);
      write(file, `Host *\n  ProxyJump ${spec}\n`);
      const g = sshG(file, 'r1');
      let ours = true;
      try {
        parseJumpSpec(spec);
      } catch {
        ours = false;
      }
      assert.equal(ours, g.ok, spec);
      if (g.ok) assert.deepEqual(parseJumpSpec(spec), parseJumpSpec(one(g.values, 'proxyjump') as string), spec);
    }
  });
});

describe('OpenSSH patterns and Include globs', () => {
  it('match_pattern and match_pattern_list', () => {
    assert.equal(matchPattern('router1', 'r*1'), true);
    assert.equal(matchPattern('router1', 'r?'), false);
    assert.equal(matchPattern('ab', 'a?'), true);
    assert.equal(matchPattern('a', 'a?'), false);
    assert.equal(matchPattern('abc', '*'), true);
    assert.equal(matchPattern('', '*'), true);
    assert.equal(matchPattern('a.b.c', '*.*.c'), true);
    assert.equal(matchPattern('x'.repeat(200), `${'*x'.repeat(30)}y`), false); // no blow-up
    assert.equal(matchPatternList('host', 'a,h*,!x', false), 1);
    assert.equal(matchPatternList('host', 'h*,!ho*', false), -1);
    assert.equal(matchPatternList('Host', 'HOST', true), 0);
    assert.equal(matchPatternList('host', 'HOST', true), 1);
  });

  it('glob: sorted, no dot files, bracket expressions, only existing paths', () => {
    const dir = join(root, 'glob');
    for (const name of ['b.conf', 'a.conf', '.h.conf', 'c1.txt', 'c2.txt', 'sub/x.conf']) write(join(dir, name), '');
    assert.deepEqual(globPaths(`${dir}/*.conf`), [join(dir, 'a.conf'), join(dir, 'b.conf')]);
    assert.deepEqual(globPaths(`${dir}/.*.conf`), [join(dir, '.h.conf')]);
    assert.deepEqual(globPaths(`${dir}/c[!1].txt`), [join(dir, 'c2.txt')]);
    assert.deepEqual(globPaths(`${dir}/c[0-9].t?t`), [join(dir, 'c1.txt'), join(dir, 'c2.txt')]);
    assert.deepEqual(globPaths(`${dir}/*/x.conf`), [join(dir, 'sub/x.conf')]);
    assert.deepEqual(globPaths(`${dir}/none*`), []);
    assert.deepEqual(globPaths(`${dir}/a.conf`), [join(dir, 'a.conf')]);
    assert.deepEqual(globPaths(`${dir}/missing.conf`), []);
  });
});
