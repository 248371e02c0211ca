/**
 * The `netconf` command without a server: help, version, usage errors (exit 2), connection
 * refused (exit 3), and the bin/netconf.js shim on the built package. As a subprocess, except the
 * long list of usage errors, which runs `main()` in-process (same code path, no process start-up).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';
import { freePort } from '../integration/netconfd.js';
import { cleanEnv, REPO, runCli } from './cli-helpers.js';

const exec = promisify(execFile);
let home: string;

/** `main()` in this process, with captured output. */
async function runMain(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    stdin: Readable.from([Buffer.from(stdin)]),
    env: cleanEnv(home),
  });
  return { code, stdout, stderr };
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'netconf-cli-usage-'));
});
after(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

const COMMANDS = ['hello', 'get', 'get-config', 'edit-config', 'commit', 'cancel-commit', 'discard-changes', 'validate', 'lock', 'unlock', 'rpc', 'get-schema', 'subscribe', 'kill-session', 'listen'];

describe('help and version', { concurrency: true }, () => {
  it('netconf --help lists every command, the connection options and the exit statuses', async () => {
    const r = await runCli(['--help'], { env: cleanEnv(home) });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^netconf - a NETCONF \(RFC 6241\) client over SSH or TLS\n\nUsage: netconf <command> \[HOST\] \[arguments\] \[options\]/);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`^  ${c} +\\S`, 'm'), c);
    for (const o of ['--host HOST', '--port PORT', '-u, --user USER', '-p, --password PASSWORD', '--password-env VAR', '--ask-password', '--key FILE', '--known-hosts FILE', '--accept-new', '--insecure-accept-any-host-key', '--timeout SECONDS', '--framing MODE', '--raw', '--json', '--debug', '-V, --version', '-F, --ssh-config FILE', '-J, --jump HOPS', '--proxy-command CMD', '--keepalive SECONDS', '--allow-strict-host-key-checking-no', '--identities-only', '--tls', '--cert FILE', '--ca FILE', '--tls-servername NAME', '--tls-fingerprint SHA256', '--tls-min-version VERSION']) {
      assert.ok(r.stdout.includes(o), o);
    }
    assert.match(r.stdout, /Exit status:\n  0 +success/);
    assert.match(r.stdout, /^  3 +connection error/m);
    assert.equal((await runMain(['help'])).stdout, r.stdout);
  });

  it('netconf get-config --help shows the usage and the options of the command', async () => {
    const r = await runCli(['get-config', '--help'], { env: cleanEnv(home) });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: netconf get-config \[HOST\] \[--source running\|candidate\|startup\]/);
    assert.match(r.stdout, /'netconf get-config router1'/);
    for (const o of ['--source DATASTORE', '--filter XML', '--filter-file FILE', '--xpath EXPR', '--ns PREFIX=URI']) assert.ok(r.stdout.includes(o), o);
    assert.match(r.stdout, /see 'netconf --help'/);
  });

  it('every command has its --help (and netconf help COMMAND says the same)', async () => {
    for (const c of COMMANDS) {
      const r = await runMain([c, '--help']);
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`^Usage: netconf ${c}[ \\n]`), c);
      assert.equal((await runMain(['help', c])).stdout, r.stdout);
    }
    const ec = await runMain(['edit-config', '-h']);
    for (const o of ['--target', '--default-operation', '--test-option', '--error-option', '--lock', '--validate', '--commit', '--confirmed']) assert.ok(ec.stdout.includes(o), o);
    assert.match(ec.stdout, /Order: lock running, lock candidate, edit-config, validate, commit, unlock, unlock/);
  });

  it('netconf help json documents the JSON mapping', async () => {
    const r = await runMain(['help', 'json']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /"@xmlns"/);
    assert.match(r.stdout, /repeated siblings/);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version'], { env: cleanEnv(home) });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `netconf (netconfkit) ${version}\n`);
    assert.equal((await runMain(['-V'])).stdout, r.stdout);
  });
});

describe('usage errors exit with 2 and a hint', { concurrency: true }, () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /no command given\n\(see 'netconf --help'\)/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['get-confg'], /unknown command 'get-confg' \(did you mean get-config\?\)/],
    [['get-config', '--bogus'], /unknown option --bogus for get-config\n\(see 'netconf get-config --help'\)/],
    [['get-config', '--source', 'nowhere', '--host', 'h'], /--source must be running, candidate or startup, got 'nowhere'/],
    [['get-config', '--host'], /option --host needs a value/],
    [['get', '--raw', '--json'], /--raw and --json cannot be used together/],
    [['get', '--filter', '<a><b></a>', '--host', 'h'], /the --filter value is not well-formed XML/],
    [['get', '--filter', '<a/>', '--xpath', '/a', '--host', 'h'], /--filter and --xpath cannot be used together/],
    [['get', '--xpath', '/a:b', '--ns', 'oops', '--host', 'h'], /--ns must be PREFIX=URI, got 'oops'/],
    [['edit-config'], /edit-config needs FILE\|-/],
    [['edit-config', '/nonexistent/cfg.xml', '--host', 'h'], /cannot read the configuration \/nonexistent\/cfg\.xml: no such file/],
    [['edit-config', '-', '--target', 'running', '--commit', '--host', 'h'], /--commit commits the candidate/],
    [['commit', '--confirm-timeout', '60', '--host', 'h'], /--confirm-timeout needs --confirmed/],
    [['commit', '--confirmed', '--host', 'h'], /--confirmed needs --persist ID .*rolled back when its session ends/],
    [['kill-session', 'abc', '--host', 'h'], /SESSION-ID must be a positive integer, got 'abc'/],
    [['kill-session', '1', '2', '3'], /too many arguments for kill-session: '3'/],
    [['serve', 'x'], /too many arguments for serve: 'x'/],
    [['get-schema', 'router1', '--all', '--output', 'yang'], /give a module NAME or --all, not both \(with --all, name the server with --host: 'netconf get-schema --all --output DIR --host router1'\)/],
    [['hello', 'router1', '--host', 'h'], /the server is given twice: 'router1' and --host h/],
    [['get-config', 'admin@router1'], /the HOST argument 'admin@router1' has a user name: give the user with -u USER/],
    [['get-config', 'router1:2830'], /the HOST argument 'router1:2830' has a port: give the port with --port PORT/],
    [['edit-config', './a.xml', './b.xml'], /the HOST argument '\.\/a\.xml' is not a host name/],
    [['hello', '--host', 'h', '--keepalive', 'often'], /--keepalive must be a number of seconds \(0 for none\), got 'often'/],
    [['hello', '--host', 'h', '--keepalive=-5'], /--keepalive must be a number of seconds/],
    [['hello', '--host', 'h', '-J', 'bastion,,core'], /-J\/--jump must be \[USER@\]HOST\[:PORT\] hops separated by commas, or none: Invalid ProxyJump "bastion,,core": cannot parse ""/],
    [['hello', '--host', 'h', '--jump='], /-J\/--jump must be .*: Invalid ProxyJump ""/],
    [['hello', '--host', 'h', '-J', 'me@bastion:99999'], /Invalid ProxyJump "me@bastion:99999": cannot parse "me@bastion:99999"/],
    [['hello', '--host', 'h', '-J', '@bastion'], /Invalid ProxyJump "@bastion"/],
    [['hello', '--host', 'h', '-J', 'me@:22'], /Invalid ProxyJump "me@:22"/],
    [['hello', '--host', 'h', '-J', 'bastion', '--proxy-command', 'nc %h %p'], /-J\/--jump and --proxy-command cannot be used together/],
    [['hello', '--host', 'h', '--proxy-command', ' '], /--proxy-command needs a command \(or none\)/],
    [['hello', '--host', 'h', '-F', '/nonexistent/ssh_config'], /-F\/--ssh-config \/nonexistent\/ssh_config: cannot read it \(ENOENT\)/],
    [['hello', '--host', 'h', '--ssh-config='], /-F\/--ssh-config needs a file name \(or none\)/],
    [['get-schema', '--all'], /--all needs --output DIR/],
    [['get-schema', '../etc/passwd', '--host', 'h'], /is not a YANG module name/],
    [['hello'], /no server given: use --host HOST or a HOST argument \(or set NETCONF_HOST\)/],
    [['hello', '--host', 'h', '--port', '99999'], /--port must be a TCP port number/],
    [['hello', '--host', 'h', '--timeout', '-1'], /option --timeout needs a value \(for a value that starts with '-', write --timeout=VALUE\)/],
    [['hello', '--host', 'h', '--timeout=0'], /--timeout must be a positive number of seconds, got '0'/],
    [['hello', '--raw=yes'], /option --raw takes no value/],
    [['hello', '--host', 'h', '--framing', 'fast'], /--framing must be eom, chunked or auto/],
    [['hello', '--host', 'h', '--accept-new', '--insecure-accept-any-host-key'], /cannot be used together/],
    [['hello', '--host', 'h', '-p', 'x', '--ask-password'], /--password and --ask-password cannot be used together/],
    [['hello', '--host', 'h', '--password-env', 'NO_SUCH_VARIABLE_HERE'], /--password-env NO_SUCH_VARIABLE_HERE: that environment variable is not set/],
    [['hello', '--host', 'h', '--key', '/nonexistent/key'], /--key \/nonexistent\/key: cannot read it \(ENOENT\)/],
  ];
  it('as a subprocess: no command, an unknown option, no server', async () => {
    for (const [argv, message] of [cases[0], cases[3], cases.find(([a]) => a.length === 1 && a[0] === 'hello')] as Array<[string[], RegExp]>) {
      const r = await runCli(argv, { env: cleanEnv(home) });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    }
  });

  it('--ask-password without a terminal (a subprocess in a new session)', async () => {
    const r = await runCli(['hello', '--host', 'h', '--ask-password'], { env: cleanEnv(home), detached: true });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^netconf: --ask-password needs a terminal/);
  });

  for (const [argv, message] of cases) {
    it(`netconf ${argv.join(' ')}`, async () => {
      const r = await runMain(argv, '<a/>');
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^netconf: /);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /\(see 'netconf (\S+ )?--help'\)\n$/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});

describe('connection failures exit with 3', () => {
  it('connection refused', async () => {
    const port = await freePort();
    const r = await runCli(['hello', '--host', '127.0.0.1', '--port', String(port)], { env: cleanEnv(home) });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `netconf: connection refused by 127.0.0.1:${port}: is a NETCONF server listening on that port? (NETCONF over SSH is usually port 830)\n`);
  });

  it('an unknown host name', async () => {
    const r = await runCli(['hello', '--host', 'no-such-host.invalid'], { env: cleanEnv(home) });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^netconf: cannot resolve the host name no-such-host\.invalid/);
  });

  it('--debug adds the stack trace', async () => {
    const port = await freePort();
    const r = await runCli(['hello', '--host', '127.0.0.1', '--port', String(port), '--debug'], { env: cleanEnv(home) });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /debug: connecting to 127\.0\.0\.1/);
    assert.match(r.stderr, /--debug: SSHError: .*\n\s+at /);
    assert.match(r.stderr, /caused by: Error: connect ECONNREFUSED/);
  });
});

describe('bin/netconf.js', () => {
  it('is the package.json bin, shipped, and runs the built CLI', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin?: Record<string, string>; files?: string[] };
    assert.deepEqual(pkg.bin, { netconf: 'bin/netconf.js' });
    assert.ok(pkg.files?.includes('bin'));
    const shim = join(REPO, 'bin', 'netconf.js');
    assert.match(readFileSync(shim, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    assert.ok((statSync(shim).mode & 0o111) !== 0, 'executable');
    // `npm test` builds dist/ first; run alone, build it when it is missing or older than a source of the CLI.
    const built = join(REPO, 'dist', 'cli', 'main.js');
    const sources = [join(REPO, 'src', 'index.ts'), ...readdirSync(join(REPO, 'src', 'cli'), { recursive: true, encoding: 'utf8' }).map((f) => join(REPO, 'src', 'cli', f))];
    const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
    if (!existsSync(built) || statSync(built).mtimeMs < newest) {
      await exec(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.json')], { cwd: REPO });
    }
    const { stdout } = await exec(shim, ['--version'], { env: cleanEnv(home) });
    assert.match(stdout, /^netconf \(netconfkit\) \d+\.\d+\.\d+/);
    const refused = await exec(process.execPath, [shim, 'hello', '--host', '127.0.0.1', '--port', String(await freePort())], { env: cleanEnv(home) }).then(
      () => 0,
      (err: { code: number }) => err.code,
    );
    assert.equal(refused, 3);
  });
});
