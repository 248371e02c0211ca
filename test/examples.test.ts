/**
 * The README's examples run as written: examples/safe-change.mjs and examples/hello.mjs against
 * the built-in simulator (they import 'netconfkit', i.e. the built dist/).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
