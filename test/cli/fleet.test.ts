/**
 * `netconf fleet` and `netconf worker` as subprocesses against simulators on loopback: NDJSON,
 * --output-dir, exit statuses, the command line's flags as defaults the inventory overrides,
 * --limit, secrets kept out of the output, and --queue with two worker processes on Redis.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Simulator } from '../../src/simulator/index.js';
import { PASSWORD, PASSWORD_ENV, refusingPort, startDevice, USER } from '../helpers/fleet-devices.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';
import { CLI, cleanEnv, runCli } from './cli-helpers.js';

let dir: string;
let a: Simulator;
let b: Simulator;
let dropping: Simulator;
let refused: number;
let inventory: string;
let env: NodeJS.ProcessEnv;

interface Line {
  name: string;
  ok: boolean;
  outcome: string;
  result?: unknown;
  error?: { type: string; message: string };
  attempts: number;
  durationMs: number;
  changeSent: boolean;
  worker?: string;
}
const lines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const byName = (ls: Line[]): Map<string, Line> => new Map(ls.map((l) => [l.name, l]));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netconf-cli-fleet-'));
  a = await startDevice({ config: '<config><system xmlns="urn:example:system"><hostname>a</hostname></system></config>' });
  b = await startDevice({ config: '<config><system xmlns="urn:example:system"><hostname>b</hostname></system></config>' });
  dropping = await startDevice();
  dropping.faults.always({ operation: 'edit-config', drop: true });
  refused = await refusingPort();
  inventory = join(dir, 'inventory.yaml');
  // No username, no password anywhere in the file: they come from the command line (-u,
  // --password-env). The port given with --port is beaten by every host's.
  writeFileSync(
    inventory,
    `defaults:
  host: 127.0.0.1
  hostkeyVerify: false
  sshConfig: none
groups:
  core: { vars: { tier: 1 } }
  edge: {}
  bad: { port: ${refused} }
hosts:
  ra: { port: ${a.port}, groups: [core] }
  rb: { port: ${b.port}, groups: [core, edge] }
  dead: { groups: [core, bad] }
  drop: { port: ${dropping.port}, groups: [edge] }
`,
  );
  env = cleanEnv(dir, { [PASSWORD_ENV]: PASSWORD });
});

after(async () => {
  await Promise.all([a, b, dropping].map((s) => s?.close()));
  rmSync(dir, { recursive: true, force: true });
});

const fleet = (args: string[], options: { env?: NodeJS.ProcessEnv } = {}) =>
  runCli(['fleet', '-i', inventory, '-u', USER, '--password-env', PASSWORD_ENV, '--port', '1', ...args], { env: options.env ?? env, timeout: 40_000 });

describe('netconf fleet', () => {
  it('prints one JSON line per device, a summary on stderr, and exits 1 when a device failed', { timeout: 45_000 }, async () => {
    const r = await fleet(['--limit', 'core', '--retries', '1', 'get-config']);
    assert.equal(r.code, 1, r.stderr);
    const got = byName(lines(r.stdout));
    assert.deepEqual([...got.keys()].sort(), ['dead', 'ra', 'rb']);
    assert.deepEqual(got.get('ra')?.result, { system: { '@xmlns': 'urn:example:system', hostname: 'a' } });
    assert.deepEqual(got.get('rb')?.result, { system: { '@xmlns': 'urn:example:system', hostname: 'b' } });
    const dead = got.get('dead') as Line;
    assert.equal(dead.ok, false);
    assert.equal(dead.outcome, 'failed');
    assert.equal(dead.error?.type, 'SSHError');
    assert.match(dead.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${refused}.*ECONNREFUSED`), 'the bad group beats --port');
    assert.equal(dead.attempts, 2);
    assert.match(r.stderr, /fleet: 3 devices: 2 ok, 1 failed \(SSHError 1\)/);
  });

  it('exits 0 when every device succeeded; --output-dir writes one file per device', { timeout: 45_000 }, async () => {
    const out = join(dir, 'out');
    const r = await fleet(['--limit', 'r*', '--output-dir', out, '--raw', 'get-config', '--source', 'running']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(out).sort(), ['ra.json', 'rb.json']);
    const ra = JSON.parse(readFileSync(join(out, 'ra.json'), 'utf8')) as Line;
    assert.equal(ra.ok, true);
    assert.match(ra.result as string, /^<rpc-reply [^>]*><data><system xmlns="urn:example:system"><hostname>a<\/hostname>/);
  });

  it('exits 6 when a change ended unknown (sent, then the session died): never retried', { timeout: 45_000 }, async () => {
    const change = join(dir, 'change.xml');
    writeFileSync(change, '<config><system xmlns="urn:example:system"><hostname>new</hostname></system></config>');
    const r = await fleet(['--limit', 'drop,ra', 'edit-config', change]);
    assert.equal(r.code, 6, r.stderr);
    const got = byName(lines(r.stdout));
    assert.equal(got.get('drop')?.outcome, 'unknown');
    assert.equal(got.get('drop')?.changeSent, true);
    assert.equal(got.get('drop')?.attempts, 1);
    assert.equal(got.get('ra')?.outcome, 'ok');
    assert.equal(got.get('ra')?.changeSent, true);
    assert.match(r.stderr, /1 UNKNOWN/);
  });

  it('usage errors exit 2: --limit naming nothing, a bad inventory, the command’s own options', { timeout: 45_000 }, async () => {
    const limit = await fleet(['--limit', 'core,nothere', 'get-config']);
    assert.equal(limit.code, 2);
    assert.match(limit.stderr, /'nothere' is neither a host nor a group/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'hosts: { x: { prot: 1 } }\n');
    const inv = await runCli(['fleet', '-i', bad, 'get-config'], { env });
    assert.equal(inv.code, 2);
    assert.match(inv.stderr, /hosts\.x\.prot: unknown option/);
    const own = await fleet(['--limit', 'ra', 'get-config', '--source', 'nowhere']);
    assert.equal(own.code, 2, own.stderr);
    assert.match(own.stderr, /--source must be/);
    const noCommand = await runCli(['fleet', '-i', inventory], { env });
    assert.equal(noCommand.code, 2);
    assert.match(noCommand.stderr, /fleet needs a COMMAND to run on each device \(e\.g\. 'fleet -i inventory\.yaml get-config'\)/);
    const noInventory = await runCli(['fleet', 'get-config'], { env });
    assert.equal(noInventory.code, 2);
    assert.match(noInventory.stderr, /needs -i\/--inventory FILE/);
  });

  it('a wrong password is an AuthenticationError, and the password appears nowhere', { timeout: 45_000 }, async () => {
    const secret = 'wrong-but-secret-9c1f';
    const r = await fleet(['--limit', 'ra', '--debug', 'get-config'], { env: cleanEnv(dir, { [PASSWORD_ENV]: secret }) });
    assert.equal(r.code, 1);
    assert.equal(lines(r.stdout)[0]?.error?.type, 'AuthenticationError');
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });
});

describe('netconf fleet --queue / netconf worker', () => {
  let redis: RedisServer;
  const workers: ChildProcess[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode === null && w.signalCode === null ? new Promise((r) => w.once('exit', r)) : undefined)));
    await redis?.stop();
  });

  it('two worker processes run the jobs; results stream back as NDJSON', { timeout: 45_000 }, async () => {
    const started: Array<Promise<void>> = [];
    for (let i = 0; i < 2; i++) {
      const w = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '-i', inventory, '-u', USER, '--password-env', PASSWORD_ENV, '--retries', '0', '--concurrency', '2'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      workers.push(w);
      let text = '';
      started.push(
        new Promise((resolve, reject) => {
          w.stderr?.setEncoding('utf8').on('data', (d: string) => {
            text += d;
            if (text.includes('waiting for jobs')) resolve();
          });
          w.once('exit', (code) => reject(new Error(`worker exited ${String(code)}: ${text}`)));
        }),
      );
    }
    await Promise.all(started);
    // The collector has no credentials: the workers have them.
    const r = await runCli(['fleet', '-i', inventory, '--queue', redis.url, '--limit', 'core', 'get-config'], { env: cleanEnv(dir), timeout: 40_000 });
    assert.equal(r.code, 1, r.stderr);
    const got = byName(lines(r.stdout));
    assert.deepEqual([...got.keys()].sort(), ['dead', 'ra', 'rb']);
    assert.deepEqual(got.get('ra')?.result, { system: { '@xmlns': 'urn:example:system', hostname: 'a' } });
    assert.equal(got.get('dead')?.error?.type, 'SSHError');
    for (const l of got.values()) assert.match(l.worker ?? '', /:\d+$/);
    const denied = await runCli(['fleet', '-i', inventory, '--queue', redis.url, '-u', 'x', 'get-config'], { env });
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /--user cannot be used with --queue/);
  });

  it('exits 3 when Redis cannot be reached', { timeout: 30_000 }, async () => {
    const port = await refusingPort();
    const r = await runCli(['fleet', '-i', inventory, '--queue', `redis://127.0.0.1:${port}/0`, '--redis-timeout', '1', 'get-config'], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cannot reach Redis at 127\.0\.0\.1:\d+/);
    const w = await runCli(['worker', '-i', inventory, '--queue', `redis://127.0.0.1:${port}/0`, '--redis-timeout', '1'], { env });
    assert.equal(w.code, 3, w.stderr);
  });
});
