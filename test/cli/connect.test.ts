/**
 * `netconf` as a subprocess against netconfd: connecting, host keys, authentication, hello.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { publicKeyLine, sshKeygenFingerprint, startNetconfd, type Netconfd } from '../integration/netconfd.js';
import { CLI, runCli, serverEnv, trustedKnownHosts, waitFor } from './cli-helpers.js';

let server: Netconfd;
let work: string;
/** A known_hosts file trusting the server. */
let trusted: string;
let ed25519Line: string;
let sha256: string;
let md5: string;

before(async () => {
  server = await startNetconfd('cli-connect');
  work = await mkdtemp(join(tmpdir(), 'netconf-cli-connect-'));
  trusted = await trustedKnownHosts(server, join(work, 'trusted_known_hosts'));
  ed25519Line = `[${server.host}]:${server.port} ${publicKeyLine(server.hostKeys.ed25519)}`;
  sha256 = await sshKeygenFingerprint(server.hostKeys.ed25519, 'sha256');
  md5 = await sshKeygenFingerprint(server.hostKeys.ed25519, 'md5');
});

after(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A fresh HOME for one test. */
async function home(name: string): Promise<string> {
  return mkdtemp(join(work, `${name}-`));
}

describe('netconf against netconfd: connecting', { concurrency: true }, () => {
  it('refuses an unknown host key by default: exit 3, SHA256 and MD5 fingerprints, how to accept', async () => {
    const h = await home('unknown');
    const r = await runCli(['hello'], { env: serverEnv(server, h) });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    const where = `${server.host}:${server.port}`;
    assert.ok(r.stderr.startsWith(`netconf: the host key of ${where} is not known: refusing to connect.\n`), r.stderr);
    assert.ok(r.stderr.includes(`ssh-ed25519 key fingerprint is ${sha256}\n`), r.stderr);
    assert.ok(r.stderr.includes(`MD5:${md5}\n`), r.stderr);
    assert.ok(r.stderr.includes(`--accept-new   (adds the key to ${join(h, '.ssh', 'known_hosts')})`), r.stderr);
    assert.ok(r.stderr.includes(`\n  ${ed25519Line}\n`), 'the exact known_hosts line');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(h, '.ssh', 'known_hosts')), false, 'nothing written');
  });

  it('--accept-new adds the key to ~/.ssh/known_hosts, which then works without the flag', async () => {
    const h = await home('accept-default');
    const first = await runCli(['hello', '--accept-new'], { env: serverEnv(server, h) });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^session-id: \d+\n/);
    assert.ok(first.stderr.includes(`accepted the new ssh-ed25519 host key of ${server.host}:${server.port} (${sha256})`), first.stderr);
    assert.equal(readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8'), `${ed25519Line}\n`);
    const again = await runCli(['hello'], { env: serverEnv(server, h) });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '');
  });

  it('--accept-new writes to the first --known-hosts file, in OpenSSH form, and that file is enough afterwards', async () => {
    const h = await home('accept-file');
    const file = join(work, 'accept-file-known_hosts');
    const first = await runCli(['hello', '--accept-new', '--known-hosts', file, '--known-hosts', join(work, 'never-written')], { env: serverEnv(server, h) });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(readFileSync(file, 'utf8'), `${ed25519Line}\n`);
    assert.equal(existsSync(join(h, '.ssh', 'known_hosts')), false);
    assert.equal(existsSync(join(work, 'never-written')), false);
    const again = await runCli(['hello', '--known-hosts', file, '--json'], { env: serverEnv(server, h) });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { port: number }).port, server.port);
  });

  it('refuses a CHANGED host key, even with --accept-new, showing the new fingerprints', async () => {
    const h = await home('changed');
    const file = join(work, 'changed_known_hosts');
    // Only the server's ECDSA key is on record: the ed25519 key it presents counts as changed.
    const content = `[${server.host}]:${server.port} ${publicKeyLine(server.hostKeys.ecdsa)}\n`;
    await writeFile(file, content);
    for (const extra of [[], ['--accept-new']]) {
      const r = await runCli(['hello', '--known-hosts', file, ...extra], { env: serverEnv(server, h) });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^netconf: WARNING: the host key of .* has CHANGED: refusing to connect\./);
      assert.ok(r.stderr.includes(sha256), r.stderr);
      assert.ok(r.stderr.includes(`MD5:${md5}`), r.stderr);
      assert.ok(r.stderr.includes(`ssh-keygen -R '[${server.host}]:${server.port}' -f ${file}`), r.stderr);
    }
    assert.equal(readFileSync(file, 'utf8'), content, 'known_hosts untouched');
  });

  it('a wrong password: exit 3, a clear message, and the password printed nowhere', async () => {
    const h = await home('wrong-password');
    const wrong = 'Wr0ng-Pa55word-XYZZY';
    const r = await runCli(['hello', '--known-hosts', trusted, '-p', wrong], { env: serverEnv(server, h, { NETCONF_PASSWORD: undefined }) });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`netconf: authentication failed for ${server.username}@${server.host}:${server.port} (tried: password`), r.stderr);
    assert.ok(!r.stderr.includes(wrong) && !r.stderr.includes(server.password));
  });

  it('hello prints session-id, framing and capabilities; --json parses; --password-env reads the password', async () => {
    const h = await home('hello');
    const [text, json] = await Promise.all([
      runCli(['hello', '--known-hosts', trusted], { env: serverEnv(server, h) }),
      runCli(['hello', '--known-hosts', trusted, '--json', '--password-env', 'MY_PW'], { env: serverEnv(server, h, { NETCONF_PASSWORD: undefined, MY_PW: server.password }) }),
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stderr, '');
    assert.match(text.stdout, /^session-id: \d+\nframing: chunked \(base:1\.1\)\ncapabilities \(\d+\):\n  urn:ietf:params:netconf:base:1\.0\n/);
    assert.match(text.stdout, /^  urn:ietf:params:netconf:capability:candidate:1\.0$/m);
    assert.equal(json.code, 0, json.stderr);
    const hello = JSON.parse(json.stdout) as { host: string; port: number; 'session-id': string; framing: string; capabilities: string[] };
    assert.equal(hello.host, server.host);
    assert.match(hello['session-id'], /^\d+$/);
    assert.equal(hello.framing, 'chunked');
    assert.ok(hello.capabilities.includes('urn:ietf:params:netconf:capability:candidate:1.0'));
  });

  it('--framing eom advertises base:1.0 only: end-of-message framing', async () => {
    const r = await runCli(['hello', '--known-hosts', trusted, '--json', '--framing', 'eom'], { env: serverEnv(server, await home('eom')) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { framing: string }).framing, 'eom');
  });

  it('--key logs in with a key, no password', async () => {
    const r = await runCli(['get-config', '--known-hosts', trusted, '--key', server.clientKeys.ed25519], { env: serverEnv(server, await home('key'), { NETCONF_PASSWORD: undefined }) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"\/>\n$/m);
  });

  it('--insecure-accept-any-host-key connects without verification and says so', async () => {
    const h = await home('insecure');
    const r = await runCli(['hello', '--insecure-accept-any-host-key'], { env: serverEnv(server, h) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^netconf: WARNING: --insecure-accept-any-host-key: the identity of .* is NOT verified/);
    assert.equal(existsSync(join(h, '.ssh', 'known_hosts')), false);
  });

  it('--ask-password prompts on the terminal and does not echo', { skip: !existsSync('/usr/bin/script') && 'script(1) is not installed' }, async () => {
    const h = await home('ask');
    const command = `'${process.execPath}' '${CLI}' hello --known-hosts '${trusted}' --ask-password`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: serverEnv(server, h, { NETCONF_PASSWORD: undefined }) });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor('the password prompt', () => output.includes(`${server.username}@${server.host}'s password: `), 30_000);
      child.stdin.write(`${server.password}\r`);
      assert.equal(await exit, 0, output);
    } finally {
      child.kill('SIGKILL');
    }
    assert.match(output, /session-id: \d+/);
    assert.ok(!output.includes(server.password), 'the password is not echoed');
  });
});
