/**
 * Locks, commits (confirmed, persistent, cancelled) and session control (kill-session,
 * close-session), with two clients of the project at once.
 */
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { SessionCloseError } from '../../src/transport/errors.js';
import { connectTo, IF_NS, interfaces, startSim, waitFor } from './helpers.js';

let sim: Simulator;
let a: Manager;
let b: Manager;

before(async () => {
  sim = await startSim({ config: interfaces({ eth0: 1500 }) });
});
after(() => sim.close());
beforeEach(async () => {
  sim.setDatastore('running', interfaces({ eth0: 1500 }));
  sim.setDatastore('candidate', interfaces({ eth0: 1500 }));
  [a, b] = await Promise.all([connectTo(sim), connectTo(sim)]);
});
afterEach(async () => {
  await Promise.all([a.close(), b.close()]);
  await waitFor(() => sim.sessions.length === 0, 10_000, 'sessions to end');
});

async function rpcError(promise: Promise<unknown>): Promise<RPCError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RPCError) return err;
    throw err;
  }
  assert.fail('expected an RPCError');
}

async function mtu(m: Manager, source: 'running' | 'candidate' = 'running'): Promise<string | undefined> {
  return (await m.getConfig(source, { filter: `<interfaces xmlns="${IF_NS}"/>` })).data?.find('interfaces/interface/mtu')?.text;
}

describe('locks', () => {
  it('lock-denied names the holder in error-info, which the client parses', async () => {
    await a.lock('running');
    const err = await rpcError(b.lock('running'));
    assert.equal(err.tag, 'lock-denied');
    assert.equal(err.type, 'protocol');
    assert.equal(err.info['session-id'], a.sessionId);
    const again = await rpcError(a.lock('running'));
    assert.equal(again.tag, 'lock-denied', 'a lock held by oneself is denied too');
    assert.deepEqual(sim.sessions.find((s) => String(s.id) === a.sessionId)?.locks, ['running']);
  });

  it('another session cannot change a locked datastore (in-use) nor unlock it', async () => {
    await a.lock('candidate');
    assert.equal((await rpcError(b.editConfig(interfaces({ eth0: 1 })))).tag, 'in-use');
    assert.equal((await rpcError(b.editConfig(interfaces({ eth0: 1 }), { target: 'running' }).then(() => b.commit()))).tag, 'in-use');
    assert.equal((await rpcError(b.discardChanges())).tag, 'in-use');
    assert.equal((await rpcError(b.unlock('candidate'))).tag, 'operation-failed');
    await a.editConfig(interfaces({ eth0: 2 }));
    await a.unlock('candidate');
    assert.equal((await rpcError(a.unlock('candidate'))).tag, 'operation-failed', 'not locked any more');
  });

  it('a lock dies with its session; a locked candidate is discarded then', async () => {
    await a.lock('candidate');
    await a.lock('running');
    await a.editConfig(interfaces({ eth0: 7 }));
    await a.close();
    await waitFor(() => sim.sessions.length === 1, 10_000, 'the session to end');
    await b.lock('candidate');
    await b.lock('running');
    assert.equal(await mtu(b, 'candidate'), '1500');
  });

  it('the candidate cannot be locked while it has uncommitted changes', async () => {
    await a.editConfig(interfaces({ eth0: 3 }));
    const err = await rpcError(b.lock('candidate'));
    assert.equal(err.tag, 'lock-denied');
    assert.equal(err.info['session-id'], '0');
    await a.discardChanges();
    await b.withLock('candidate', async () => {
      await b.editConfig(interfaces({ eth0: 4 }));
      await b.commit();
    });
    assert.equal(await mtu(a), '4');
  });
});

describe('commit', () => {
  it('a confirmed commit is rolled back when not confirmed in time', async () => {
    await a.editConfig(interfaces({ eth0: 1111 }));
    await a.commit({ confirmed: true, timeout: 1 });
    assert.equal(await mtu(b), '1111');
    await sleep(1300);
    assert.equal(await mtu(b), '1500');
    assert.equal(await mtu(b, 'candidate'), '1500');
  });

  it('a confirming commit makes it stay; only the issuing session may confirm', async () => {
    await a.editConfig(interfaces({ eth0: 2222 }));
    const t0 = Date.now();
    await a.commit({ confirmed: true, timeout: 2 });
    assert.equal((await rpcError(b.commit())).tag, 'in-use');
    await a.commit({ confirmed: true, timeout: 60 }); // follow-up: extends
    await a.commit();
    await sleep(Math.max(0, t0 + 2300 - Date.now())); // past the first confirm-timeout
    assert.equal(await mtu(b), '2222');
  });

  it('is rolled back when the issuing session ends', async () => {
    await a.editConfig(interfaces({ eth0: 3333 }));
    await a.commit({ confirmed: true, timeout: 60 });
    await a.close();
    await waitFor(() => sim.sessions.length === 1, 10_000, 'the session to end');
    assert.equal(await mtu(b), '1500');
  });

  it('persist: survives the session, confirmed or cancelled elsewhere with the persist-id', async () => {
    await a.editConfig(interfaces({ eth0: 4444 }));
    await a.commit({ confirmed: true, timeout: 60, persist: 'p1' });
    await a.close();
    await waitFor(() => sim.sessions.length === 1, 10_000, 'the session to end');
    assert.equal(await mtu(b), '4444');
    assert.equal((await rpcError(b.commit({ persistId: 'nope' }))).tag, 'invalid-value');
    assert.equal((await rpcError(b.cancelCommit())).tag, 'invalid-value');
    await b.cancelCommit('p1');
    assert.equal(await mtu(b), '1500');

    await b.editConfig(interfaces({ eth0: 5555 }));
    await b.commit({ confirmed: true, timeout: 60, persist: 'p2' });
    const c = await connectTo(sim);
    await c.commit({ persistId: 'p2' });
    await c.close();
    assert.equal(await mtu(b), '5555');
  });

  it('cancel-commit of a non-persistent one, and with nothing pending', async () => {
    assert.equal((await rpcError(a.cancelCommit())).tag, 'operation-failed');
    await a.editConfig(interfaces({ eth0: 6666 }));
    await a.commit({ confirmed: true, timeout: 60 });
    assert.equal((await rpcError(b.cancelCommit())).tag, 'in-use');
    await a.cancelCommit();
    assert.equal(await mtu(a), '1500');
  });

  it('refuses a bad confirm-timeout', async () => {
    assert.equal((await rpcError(a.rpc('<commit><confirmed/><confirm-timeout>soon</confirm-timeout></commit>'))).tag, 'invalid-value');
  });
});

describe('sessions', () => {
  it('kill-session ends the other session and releases its locks; not oneself', async () => {
    await b.lock('running');
    const ended = b.get({ timeout: 30 }).catch((e: unknown) => e); // in flight or not, the session dies
    const errors: Error[] = [];
    b.session.addListener({ callback: () => undefined, errback: (e) => errors.push(e) });
    await a.killSession(b.sessionId ?? '');
    await waitFor(() => !b.connected, 10_000, 'the killed session to close');
    assert.ok(errors.some((e) => e instanceof SessionCloseError));
    void ended;
    await a.lock('running');
    assert.equal((await rpcError(a.killSession(a.sessionId ?? ''))).tag, 'invalid-value');
    assert.equal((await rpcError(a.killSession(999))).tag, 'invalid-value');
  });

  it('close-session replies ok, then the session ends', async () => {
    const reply = await a.closeSession();
    assert.ok(reply.ok);
    assert.equal(a.connected, false);
    await waitFor(() => sim.sessions.length === 1, 10_000, 'the session to end');
  });
});
