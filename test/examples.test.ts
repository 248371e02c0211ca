/**
 * The README's examples run as written: examples/safe-change.mjs, examples/stream.mjs,
 * examples/cli.sh and examples/hello.mjs against the built-in simulator (the .mjs files import
 * 'netconfkit', i.e. the built dist/; cli.sh runs bin/netconf.js as `netconf`), and the README
 * shows the first three verbatim.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator, type Simulator } from '../src/simulator/index.js';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  sim = await startSimulator({ users: [{ username: 'admin', password: 's3cret' }] });
  dir = await mkdtemp(join(tmpdir(), 'netconf-examples-'));
  await writeFile(join(dir, 'known_hosts'), `${sim.knownHostsLine}\n`);
  env = { ...process.env, NETCONF_HOST: '127.0.0.1', NETCONF_PORT: String(sim.port), NETCONF_USER: 'admin', NETCONF_PASSWORD: 's3cret', NETCONF_KNOWN_HOSTS: join(dir, 'known_hosts'), HOME: dir };
});
after(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('examples/safe-change.mjs locks, edits, validates, commits confirmed, confirms and unlocks', async () => {
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'safe-change.mjs')], { env, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /committed and confirmed: eth9 — uplink to core, changed by netconfkit/);
  const running = sim.datastore('running');
  assert.match(running, /<name>eth9<\/name>/);
  assert.match(sim.datastore('candidate'), /<name>eth9<\/name>/);
});

it('examples/safe-change.mjs reports lock-denied readably and exits 1 when someone holds the lock', async () => {
  const { connect } = await import('../src/manager.js');
  const holder = await connect({ host: '127.0.0.1', port: sim.port, username: 'admin', password: 's3cret', allowAgent: false, lookForKeys: false, unknownHostCb: (_h, fp) => fp === sim.hostKey.md5 });
  await holder.lock('candidate');
  try {
    await assert.rejects(run(process.execPath, [join(repo, 'examples', 'safe-change.mjs')], { env, cwd: repo, timeout: 60_000 }), (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr ?? '', /lock-denied/);
      return true;
    });
  } finally {
    await holder.close();
  }
});

it('examples/hello.mjs prints the session, capabilities and the running config', async () => {
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'hello.mjs')], { env, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /connected to admin@127\.0\.0\.1:\d+: session-id \d+, chunked framing/);
  assert.match(stdout, /reply root: \{urn:ietf:params:xml:ns:netconf:base:1\.0\}rpc-reply message-id=1/);
  assert.match(stdout, /^closed$/m);
});

it('examples/stream.mjs streams 20 000 interfaces of running as parsed subtrees', async () => {
  let interfaces = '';
  for (let i = 0; i < 20_000; i++) interfaces += `<interface><name>ge-0/0/${i}</name><description>port ${i}</description><enabled>${i % 1000 === 7 ? 'false' : 'true'}</enabled></interface>`;
  await using big = await startSimulator({ users: [{ username: 'admin', password: 's3cret' }], config: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">${interfaces}</interfaces>` });
  const knownHosts = join(dir, 'known_hosts_big');
  await writeFile(knownHosts, `${big.knownHostsLine}\n`);
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'stream.mjs')], { env: { ...env, NETCONF_PORT: String(big.port), NETCONF_KNOWN_HOSTS: knownHosts }, cwd: repo, timeout: 60_000 });
  const counted = /^20000 interfaces in (\d+) bytes; disabled: 20$/m.exec(stdout);
  assert.ok(counted, stdout);
  assert.ok(Number(counted[1]) > 2_000_000, stdout);
  assert.match(stdout, /^first disabled: ge-0\/0\/7, ge-0\/0\/1007, ge-0\/0\/2007, ge-0\/0\/3007, ge-0\/0\/4007$/m);
});

it('examples/cli.sh runs hello, get-config, a locked edit-config with commit, and get-config --json', async () => {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'netconf'), `#!/bin/sh\nexec '${process.execPath}' '${join(repo, 'bin', 'netconf.js')}' "$@"\n`);
  await chmod(join(bin, 'netconf'), 0o755);
  const { stdout, stderr } = await run('bash', [join(repo, 'examples', 'cli.sh'), '--known-hosts', join(dir, 'known_hosts')], { env: { ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /^session-id: \d+$/m);
  assert.match(stdout, /^ok$/m);
  assert.match(stdout, /"description": "set from the shell"/);
  assert.match(stderr, /locked candidate[\s\S]*commit: ok[\s\S]*unlocked candidate/);
  assert.match(sim.datastore('running'), /<name>eth7<\/name>/);
  assert.match(sim.datastore('running'), /set from the shell/);
});

it('examples/reconnect.mjs takes the lock again on a new session each time the session is lost', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [join(repo, 'examples', 'reconnect.mjs')], { env: { ...env, MAX_SESSIONS: '2' }, cwd: repo });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (out += text));
  child.stderr.on('data', () => undefined);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  const sessionHolding = async (count: number): Promise<number> => {
    const until = Date.now() + 30_000;
    for (;;) {
      const ids = [...out.matchAll(/^session (\d+): holding the candidate lock$/gm)].map((match) => Number(match[1]));
      if (ids.length >= count) return ids[count - 1] as number;
      if (Date.now() > until) throw new Error(`no session ${count} in: ${out}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
  };
  try {
    const first = await sessionHolding(1);
    assert.ok(sim.disconnect(first), 'the simulator dropped the first session');
    const second = await sessionHolding(2);
    assert.notEqual(second, first);
    assert.ok(sim.disconnect(second));
    assert.equal(await exited, 0);
    assert.match(out, new RegExp(`^session ${first} lost: .*closed by the server`, 'm'));
    assert.match(out, /^done$/m);
  } finally {
    child.kill();
  }
});

it('README.md shows examples/safe-change.mjs, examples/stream.mjs and examples/cli.sh verbatim', async () => {
  const readme = await readFile(join(repo, 'README.md'), 'utf8');
  for (const [file, lang] of [['safe-change.mjs', 'js'], ['stream.mjs', 'js'], ['cli.sh', 'sh']] as const) {
    const source = await readFile(join(repo, 'examples', file), 'utf8');
    const block = '```' + lang + '\n' + source + (source.endsWith('\n') ? '' : '\n') + '```';
    assert.ok(readme.includes(block), `README.md must show examples/${file} verbatim in a \`\`\`${lang} block (copy the file into README.md)`);
  }
});
