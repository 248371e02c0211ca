/**
 * Fleets through BullMQ on a private redis-server: enqueueFleet() as the collector,
 * startFleetWorker() in this process and real `netconf worker` processes, one of them SIGKILLed
 * mid-run. Every device gets exactly one final result; read-only jobs of the dead worker are
 * re-run, changes are not (`unknown`); an unreachable or lost Redis is an error, not a hang.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { enqueueFleet, FleetQueueError, Inventory, startFleetWorker, type FleetResult } from '../../src/fleet/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { CLI, cleanEnv } from '../cli/cli-helpers.js';
import { handleCounts, PASSWORD, PASSWORD_ENV, refusingPort, settledHandles, startDevice, USER } from '../helpers/fleet-devices.js';
import { startRedis, type RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer;
let fast: Simulator;
let slowRead: Simulator;
let slowEdit: Simulator;
let dir: string;
const env = { [PASSWORD_ENV]: PASSWORD };

/** An inventory: `prefix0..N-1` on `port`. */
function inventoryFile(name: string, hosts: Array<[string, number]>): string {
  const lines = ['defaults:', '  host: 127.0.0.1', `  username: ${USER}`, `  passwordEnv: ${PASSWORD_ENV}`, '  hostkeyVerify: false', '  sshConfig: none', '  allowAgent: false', '  lookForKeys: false', 'hosts:'];
  for (const [host, port] of hosts) lines.push(`  ${host}: { port: ${port} }`);
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

before(async () => {
  redis = await startRedis();
  fast = await startDevice();
  slowRead = await startDevice();
  slowRead.faults.always({ operation: 'get-config', delay: 400 });
  slowEdit = await startDevice();
  slowEdit.faults.always({ operation: 'edit-config', delay: 1000 });
  dir = mkdtempSync(join(tmpdir(), 'netconf-fleet-queue-'));
});

after(async () => {
  await Promise.all([fast, slowRead, slowEdit].map((s) => s?.close()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A `netconf worker` process; `started` resolves when it waits for jobs. */
function startWorker(inventory: string, queueName: string, concurrency: number): { child: ChildProcess; started: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', redis.url, '--queue-name', queueName, '-i', inventory, '--concurrency', String(concurrency), '--lock-duration', '1', '--retries', '0'], { env: cleanEnv(dir, env), stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      if (output.includes('waiting for jobs')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${String(code)}): ${output}`)));
  });
  started.catch(() => undefined);
  return { child, started, output: () => output };
}

async function stopWorker(w: { child: ChildProcess }): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const gone = new Promise((resolve) => w.child.once('exit', resolve));
  w.child.kill('SIGTERM');
  await gone;
}

describe('enqueueFleet / startFleetWorker', () => {
  it('spreads a fleet over two workers, each within its concurrency, with tasks registered by name', { timeout: 60_000 }, async () => {
    const before = handleCounts();
    const inventory = Inventory.parse(`hosts:\n${names('d', 30).map((n) => `  ${n}: { host: 127.0.0.1, port: ${slowRead.port}, username: ${USER}, passwordEnv: ${PASSWORD_ENV}, hostkeyVerify: false, sshConfig: none, allowAgent: false, lookForKeys: false }`).join('\n')}\n`);
    const peak: Record<string, number> = {};
    const running: Record<string, number> = {};
    const makeWorker = (name: string) =>
      startFleetWorker({
        url: redis.url,
        queueName: 'spread',
        inventory,
        concurrency: 3,
        env,
        name,
        tasks: {
          hostname: async (m, target, { input }) => {
            running[name] = (running[name] ?? 0) + 1;
            peak[name] = Math.max(peak[name] ?? 0, running[name] as number);
            try {
              const reply = await m.getConfig('running');
              return { device: target.name, input, bytes: reply.xml.length };
            } finally {
              running[name] = (running[name] ?? 0) - 1;
            }
          },
        },
      });
    const [a, b] = await Promise.all([makeWorker('wa'), makeWorker('wb')]);
    const results = new Map<string, FleetResult<unknown>>();
    for await (const r of enqueueFleet(inventory, { url: redis.url, queueName: 'spread', task: 'hostname', input: { tag: 7 } })) {
      assert.ok(!results.has(r.name));
      results.set(r.name, r);
    }
    await Promise.all([a.close(), b.close()]);
    assert.equal(results.size, 30);
    for (const r of results.values()) {
      assert.equal(r.ok, true, r.error?.message);
      assert.deepEqual((r.value as { device: string; input: unknown }).device, r.name);
      assert.deepEqual((r.value as { input: unknown }).input, { tag: 7 });
    }
    const by = (w: string): number => [...results.values()].filter((r) => r.worker === w).length;
    assert.ok(by('wa') > 0 && by('wb') > 0, `both workers took jobs (wa ${by('wa')}, wb ${by('wb')})`);
    assert.ok((peak['wa'] ?? 0) <= 3 && (peak['wb'] ?? 0) <= 3, JSON.stringify(peak));
    assert.deepEqual(await settledHandles(before), {}, 'collector and workers closed everything');
  });

  it('a worker SIGKILLed mid-run: its read-only jobs are re-run elsewhere, every device has one result', { timeout: 60_000 }, async () => {
    const inventory = inventoryFile('read.yaml', names('r', 24).map((n) => [n, slowRead.port]));
    const a = startWorker(inventory, 'kill-read', 4);
    const b = startWorker(inventory, 'kill-read', 4);
    try {
      await Promise.all([a.started, b.started]);
      const results = new Map<string, FleetResult<unknown>>();
      let killed = false;
      for await (const r of enqueueFleet(names('r', 24), { url: redis.url, queueName: 'kill-read', task: 'netconf', input: { command: 'get-config', args: [], options: {} } })) {
        assert.ok(!results.has(r.name), `one result for ${r.name}`);
        results.set(r.name, r);
        if (!killed) {
          killed = true;
          a.child.kill('SIGKILL');
        }
      }
      assert.equal(results.size, 24);
      for (const r of results.values()) assert.equal(r.ok, true, `${r.name}: ${r.error?.message}`);
      const rerun = [...results.values()].filter((r) => r.attempts > 1);
      assert.ok(rerun.length > 0, 'the dead worker had jobs in flight: run again');
      assert.ok(rerun.every((r) => r.worker !== undefined && !r.worker.endsWith(`:${a.child.pid}`)));
    } finally {
      await Promise.all([stopWorker(a), stopWorker(b)]);
    }
  });

  it('a worker SIGKILLed while sending changes: those devices are unknown, never re-run', { timeout: 60_000 }, async () => {
    const n = 12;
    const inventory = inventoryFile('edit.yaml', names('e', n).map((name) => [name, slowEdit.port]));
    const change = join(dir, 'change.xml');
    writeFileSync(change, '<config><system xmlns="urn:example:system"><hostname>changed</hostname></system></config>');
    let edits = 0;
    slowEdit.on('rpc', (e) => void (e.operation === 'edit-config' && edits++));
    const a = startWorker(inventory, 'kill-edit', 3);
    const b = startWorker(inventory, 'kill-edit', 3);
    try {
      await Promise.all([a.started, b.started]);
      const results = new Map<string, FleetResult<unknown>>();
      const run = enqueueFleet(names('e', n), { url: redis.url, queueName: 'kill-edit', task: 'netconf', input: { command: 'edit-config', args: [change], options: {} } });
      // Kill worker a once it has changes in flight.
      const killer = setInterval(() => {
        if (edits >= 4 && a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
      }, 20);
      try {
        for await (const r of run) {
          assert.ok(!results.has(r.name));
          results.set(r.name, r);
        }
      } finally {
        clearInterval(killer);
      }
      assert.equal(results.size, n);
      const unknown = [...results.values()].filter((r) => r.outcome === 'unknown');
      assert.ok(unknown.length > 0, 'the dead worker had changes in flight');
      for (const r of unknown) {
        assert.equal(r.changeSent, true);
        assert.equal(r.error?.constructor.name, 'RemoteFleetError');
        assert.match(r.error?.message ?? '', /not re-run/);
      }
      for (const r of results.values()) if (r.outcome !== 'unknown') assert.equal(r.outcome, 'ok', `${r.name}: ${r.error?.message}`);
      assert.equal(edits, n, 'each device received its change exactly once');
    } finally {
      await Promise.all([stopWorker(a), stopWorker(b)]);
    }
  });

  it('an unreachable Redis is an error, not a hang', { timeout: 30_000 }, async () => {
    const port = await refusingPort();
    const started = Date.now();
    await assert.rejects(
      async () => {
        for await (const r of enqueueFleet(['x'], { url: `redis://127.0.0.1:${port}/0`, task: 'netconf', redisTimeout: 1 })) void r;
      },
      (err: Error) => err instanceof FleetQueueError && /cannot reach Redis/.test(err.message),
    );
    assert.ok(Date.now() - started < 5000);
    await assert.rejects(startFleetWorker({ url: `redis://127.0.0.1:${port}/0`, inventory: Inventory.parse('hosts: {}'), tasks: {}, redisTimeout: 1 }), FleetQueueError);
  });

  it('Redis restarted without persistence: the collector says the jobs are gone instead of waiting', { timeout: 30_000 }, async () => {
    const restarted = await startRedis();
    try {
      const run = enqueueFleet(['nobody-works-on-this'], { url: restarted.url, task: 'netconf', redisTimeout: 20 });
      const next = run.next();
      await new Promise((r) => setTimeout(r, 1000));
      await restarted.restart();
      await assert.rejects(next, (err: Error) => err instanceof FleetQueueError && /came back without this run's jobs/.test(err.message));
    } finally {
      await restarted.stop();
    }
  });

  it('Redis lost mid-run: the collector fails with FleetQueueError', { timeout: 30_000 }, async () => {
    const lost = await startRedis();
    try {
      const run = enqueueFleet(['nobody-works-on-this'], { url: lost.url, task: 'netconf', redisTimeout: 2 });
      const next = run.next();
      await new Promise((r) => setTimeout(r, 1000));
      await lost.kill();
      await assert.rejects(next, (err: Error) => err instanceof FleetQueueError && /not answered/.test(err.message));
    } finally {
      await lost.stop();
    }
  });
});
