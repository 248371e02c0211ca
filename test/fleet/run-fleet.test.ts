/**
 * runFleet() from one process against simulators on loopback: hundreds of devices with faulty
 * ones among them, each failure isolated and typed, nothing left open; retries and the change
 * rule; stopping a run.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthenticationError, SessionCloseError, SSHError, TransportError } from '../../src/index.js';
import { FleetAbortedError, FleetTimeoutError, resultToJson, runFleet, type FleetProgress, type FleetResult, type FleetTarget } from '../../src/fleet/index.js';
import type { Simulator } from '../../src/simulator/index.js';
import { handleCounts, PASSWORD, PASSWORD_ENV, refusingPort, settledHandles, startDevice, startFaultyServer, target, type FaultyServer } from '../helpers/fleet-devices.js';

const env = { [PASSWORD_ENV]: PASSWORD };
let good: Simulator[] = [];
let dropping: Simulator;
let slow: Simulator;
let hang: FaultyServer;
let garbage: FaultyServer;
let refused: number;

before(async () => {
  good = await Promise.all([1, 2, 3, 4].map(() => startDevice()));
  dropping = await startDevice();
  dropping.faults.always({ operation: ['get-config', 'edit-config'], drop: true });
  slow = await startDevice();
  slow.faults.always({ operation: 'get-config', delay: 60_000 });
  hang = await startFaultyServer('hang');
  garbage = await startFaultyServer('garbage');
  refused = await refusingPort();
});

after(async () => {
  await Promise.all([...good, dropping, slow].map((s) => s.close()));
  await hang.close();
  await garbage.close();
});

const collect = async <T>(it: AsyncIterable<FleetResult<T>>): Promise<Map<string, FleetResult<T>>> => {
  const out = new Map<string, FleetResult<T>>();
  for await (const r of it) {
    assert.ok(!out.has(r.name), `two results for ${r.name}`);
    out.set(r.name, r);
  }
  return out;
};

/** Wait (a little: the server sees the close after the client) until a simulator has no session left. */
async function noSessions(sim: Simulator): Promise<void> {
  const deadline = Date.now() + 3000;
  while (sim.sessions.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(sim.sessions.length, 0, 'every session closed on the server side');
}

const getConfig = async (m: import('../../src/index.js').Manager): Promise<number> => (await m.getConfig('running')).xml.length;

describe('runFleet', () => {
  it('500 devices, some refusing, hanging, sending garbage or dying mid-reply: each its typed result, nothing left open', { timeout: 120_000 }, async () => {
    const before = handleCounts();
    const targets: FleetTarget[] = [];
    for (let i = 0; i < 470; i++) targets.push(target(`ok${i}`, (good[i % good.length] as Simulator).port));
    for (let i = 0; i < 10; i++) targets.push(target(`refused${i}`, refused));
    for (let i = 0; i < 10; i++) targets.push(target(`hang${i}`, hang.port, { timeout: 2 }));
    for (let i = 0; i < 5; i++) targets.push(target(`garbage${i}`, garbage.port));
    for (let i = 0; i < 5; i++) targets.push(target(`drop${i}`, dropping.port));
    const progress: FleetProgress[] = [];
    const results = await collect(runFleet(targets, getConfig, { concurrency: 100, timeout: 20, retries: 1, backoff: { initial: 0.05 }, env, onProgress: (p) => progress.push(p) }));
    assert.equal(results.size, 500);
    for (let i = 0; i < 470; i++) {
      const r = results.get(`ok${i}`) as FleetResult<number>;
      assert.equal(r.ok, true, `ok${i}: ${r.error?.message}`);
      assert.equal(r.outcome, 'ok');
      assert.ok((r.value as number) > 0);
      assert.equal(r.attempts, 1);
      assert.equal(r.changeSent, false);
    }
    const failure = (name: string): FleetResult<number> => {
      const r = results.get(name) as FleetResult<number>;
      assert.equal(r.ok, false, name);
      assert.equal(r.outcome, 'failed', name);
      assert.ok(r.error instanceof Error);
      return r;
    };
    for (let i = 0; i < 10; i++) {
      const r = failure(`refused${i}`);
      assert.ok(r.error instanceof TransportError, `${r.error?.name}: ${r.error?.message}`);
      assert.match(r.error.message, /ECONNREFUSED|refused/i);
      assert.equal(r.attempts, 2, 'a refused connection is retried');
    }
    for (let i = 0; i < 10; i++) {
      const r = failure(`hang${i}`);
      assert.ok(r.error instanceof SSHError, `${r.error?.name}: ${r.error?.message}`);
      assert.match(r.error.message, /timed out|timeout/i);
      assert.equal(r.attempts, 2);
      assert.ok(r.durationMs < 12_000, `${r.durationMs} ms`);
    }
    for (let i = 0; i < 5; i++) {
      const r = failure(`garbage${i}`);
      assert.ok(r.error instanceof TransportError, `${r.error?.name}: ${r.error?.message}`);
    }
    for (let i = 0; i < 5; i++) {
      const r = failure(`drop${i}`);
      assert.ok(r.error instanceof SessionCloseError || r.error instanceof TransportError, `${r.error?.name}: ${r.error?.message}`);
      assert.equal(r.attempts, 2, 'a read-only task whose session died is retried');
    }
    const last = progress.at(-1) as FleetProgress;
    assert.equal(last.done, 500);
    assert.equal(last.failed, 30);
    assert.equal(last.inFlight, 0);
    assert.ok(progress.every((p) => p.inFlight <= 100));
    for (const sim of [...good, dropping]) await noSessions(sim);
    assert.deepEqual(await settledHandles(before), {}, 'no socket or timer left open');
  });

  it('a change is never retried once sent: unknown when the session died after sending', { timeout: 30_000 }, async () => {
    const edit = async (m: import('../../src/index.js').Manager): Promise<string> => (await m.editConfig('<config><system xmlns="urn:example:system"><hostname>x</hostname></system></config>')).xml;
    const results = await collect(
      runFleet([target('changed', (good[0] as Simulator).port), target('died', dropping.port), target('never-connected', refused)], edit, { retries: 2, backoff: { initial: 0.01 }, env }),
    );
    const changed = results.get('changed') as FleetResult<string>;
    assert.equal(changed.outcome, 'ok');
    assert.equal(changed.changeSent, true);
    const died = results.get('died') as FleetResult<string>;
    assert.equal(died.outcome, 'unknown');
    assert.equal(died.changeSent, true);
    assert.equal(died.attempts, 1, 'not retried');
    const never = results.get('never-connected') as FleetResult<string>;
    assert.equal(never.outcome, 'failed');
    assert.equal(never.changeSent, false);
    assert.equal(never.attempts, 3, 'nothing was sent: retried');
    assert.equal(resultToJson(died).error?.type, 'SessionCloseError');
  });

  it('taskKind read retries whatever the task calls; change never retries once started', { timeout: 30_000 }, async () => {
    const raw = async (m: import('../../src/index.js').Manager): Promise<string> => (await m.rpc('<get-config><source><running/></source></get-config>')).xml;
    const asRead = await collect(runFleet([target('d', dropping.port)], raw, { retries: 1, backoff: { initial: 0.01 }, env, taskKind: 'read' }));
    assert.equal(asRead.get('d')?.attempts, 2);
    assert.equal(asRead.get('d')?.outcome, 'failed');
    const auto = await collect(runFleet([target('d', dropping.port)], raw, { retries: 1, backoff: { initial: 0.01 }, env }));
    assert.equal(auto.get('d')?.attempts, 1, 'a raw rpc counts as a change');
    assert.equal(auto.get('d')?.outcome, 'unknown');
    const asChange = await collect(runFleet([target('d', dropping.port)], getConfig, { retries: 1, backoff: { initial: 0.01 }, env, taskKind: 'change' }));
    assert.equal(asChange.get('d')?.attempts, 1);
    assert.equal(asChange.get('d')?.outcome, 'unknown');
  });

  it('the per-device timeout ends a stalled RPC and closes its session', { timeout: 30_000 }, async () => {
    const before = handleCounts();
    const results = await collect(runFleet([target('slow', slow.port), target('fine', (good[1] as Simulator).port)], getConfig, { timeout: 1, retries: 0, env }));
    const r = results.get('slow') as FleetResult<number>;
    assert.ok(r.error instanceof FleetTimeoutError, r.error?.message);
    assert.ok(r.durationMs < 5000);
    assert.equal(results.get('fine')?.ok, true);
    await noSessions(slow);
    assert.deepEqual(await settledHandles(before), {});
  });

  it('a signal stops the run: in-flight sessions closed, devices not started reported', { timeout: 30_000 }, async () => {
    const before = handleCounts();
    const controller = new AbortController();
    const targets = Array.from({ length: 20 }, (_, i) => target(`s${i}`, slow.port));
    setTimeout(() => controller.abort(), 1500);
    const started = Date.now();
    const results = await collect(runFleet(targets, getConfig, { concurrency: 5, signal: controller.signal, env }));
    assert.ok(Date.now() - started < 10_000);
    assert.equal(results.size, 20);
    for (const r of results.values()) assert.ok(r.error instanceof FleetAbortedError, `${r.name}: ${r.error?.name}`);
    assert.equal([...results.values()].filter((r) => r.attempts === 0).length, 15, 'never started');
    await noSessions(slow);
    assert.deepEqual(await settledHandles(before), {});
  });

  it('a signal stops devices that are still connecting at once, not after their timeout', { timeout: 30_000 }, async () => {
    const before = handleCounts();
    const controller = new AbortController();
    // servers that accept and never answer: each connection would wait for its 60 s timeout
    const targets = Array.from({ length: 10 }, (_, i) => target(`h${i}`, hang.port, { timeout: 60 }));
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    const results = await collect(runFleet(targets, getConfig, { concurrency: 5, signal: controller.signal, env }));
    assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms`);
    assert.equal(results.size, 10);
    for (const r of results.values()) assert.ok(r.error instanceof FleetAbortedError, `${r.name}: ${r.error?.name}`);
    assert.equal([...results.values()].filter((r) => r.attempts === 1).length, 5, 'five were connecting');
    assert.deepEqual(await settledHandles(before), {});
  });

  it('leaving the loop early closes what is in flight', { timeout: 30_000 }, async () => {
    const before = handleCounts();
    const targets = [target('fast', (good[2] as Simulator).port), ...Array.from({ length: 5 }, (_, i) => target(`s${i}`, slow.port))];
    for await (const r of runFleet(targets, getConfig, { concurrency: 6, env })) {
      assert.equal(r.name, 'fast');
      break;
    }
    await noSessions(slow);
    assert.deepEqual(await settledHandles(before), {});
  });

  it('secrets by reference: the password is read from the environment and never appears in a result', { timeout: 30_000 }, async () => {
    const results = await collect(runFleet([target('wrong', (good[0] as Simulator).port), target('missing', (good[0] as Simulator).port, { passwordEnv: 'FLEET_NO_SUCH_VARIABLE' })], getConfig, { env: { [PASSWORD_ENV]: 'wrong-secret-value' }, retries: 0 }));
    const wrong = results.get('wrong') as FleetResult<number>;
    assert.ok(wrong.error instanceof AuthenticationError, wrong.error?.message);
    const missing = results.get('missing') as FleetResult<number>;
    assert.match(missing.error?.message ?? '', /FLEET_NO_SUCH_VARIABLE is not set/);
    for (const r of results.values()) assert.ok(!JSON.stringify(resultToJson(r, ['wrong-secret-value'])).includes('wrong-secret-value'));
  });
});
