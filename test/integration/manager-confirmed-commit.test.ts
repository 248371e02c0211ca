/**
 * Manager against netconfd: confirmed commits (RFC 6241 §8.4) — rolled back by the server after
 * the confirm-timeout, confirmed by a second commit, and persistent ones (`persist`) cancelled or
 * confirmed from another session with the persist-id.
 *
 * netconfd checks the confirm-timeout only when its event loop has been idle (no message from any
 * session) for a whole second, so while waiting for a rollback the tests poll at most every
 * 1.2 s; polling faster would keep the rollback from ever happening. Tests in this file run one
 * after the other on their own netconfd, so nothing else keeps it busy.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { connectTo, interfaceEntry, interfaceNames, interfaces, sleep, spySends, waitUntil } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

/** Longer than netconfd's idle second, so that its timeout check runs between two polls. */
const IDLE_POLL_MS = 1200;

let server: Netconfd;
let m: Manager;
let other: Manager;

before(async () => {
  server = await startNetconfd('mgr-confirmed');
  [m, other] = await Promise.all([connectTo(server), connectTo(server)]);
});

after(async () => {
  await Promise.all([m?.close(), other?.close()]);
  await server?.stop();
});

const inRunning = async (name: string): Promise<boolean> => (await interfaceNames(other, 'running')).includes(name);

describe('confirmed commit', () => {
  it('is rolled back by the server when not confirmed within its confirm-timeout', { timeout: 30_000 }, async () => {
    await m.editConfig(interfaces(interfaceEntry('cc1')));
    const start = Date.now();
    assert.equal((await m.commit({ confirmed: true, timeout: 2 })).isOkElement, true);
    assert.equal(await inRunning('cc1'), true, 'in running right after the confirmed commit');
    await sleep(2000);
    await waitUntil('the rollback of cc1', async () => !(await inRunning('cc1')), 15_000, IDLE_POLL_MS);
    const elapsed = Date.now() - start;
    assert.ok(elapsed >= 1900, `rolled back after ${elapsed} ms, before the 2 s confirm-timeout`);
    assert.deepEqual(await interfaceNames(m, 'running'), []);
  });

  it('confirmed by a second commit stays after the confirm-timeout', { timeout: 30_000 }, async () => {
    await m.editConfig(interfaces(interfaceEntry('cc2')));
    await m.commit({ confirmed: true, timeout: 2 });
    assert.equal((await m.commit()).isOkElement, true);
    // idle past the timeout and past the server's check (the previous test saw the rollback
    // happen within about 1.5 s after the timeout)
    await sleep(4000);
    assert.equal(await inRunning('cc2'), true);
    await sleep(IDLE_POLL_MS);
    assert.equal(await inRunning('cc2'), true);
  });

  it('a confirm-timeout or persist without confirmed is refused before sending', async () => {
    const sent = spySends(m);
    await assert.rejects(m.commit({ timeout: 5 }), TypeError);
    await assert.rejects(m.commit({ persist: 'x' }), TypeError);
    await assert.rejects(m.commit({ confirmed: true, timeout: 1.5 }), TypeError);
    assert.equal(sent.length, 0);
  });
});

describe('persistent confirmed commit', () => {
  it('survives the end of its session and is cancelled from another session with cancelCommit(persistId)', { timeout: 30_000 }, async () => {
    const a = await connectTo(server);
    await a.editConfig(interfaces(interfaceEntry('pc1')));
    await a.commit({ confirmed: true, timeout: 60, persist: 'persist-cancel' });
    await a.close();
    assert.equal(a.connected, false);
    assert.equal(await inRunning('pc1'), true, 'a persistent confirmed commit outlives its session');

    // a wrong persist-id cancels nothing
    await assert.rejects(other.cancelCommit('no-such-id'), RPCError);
    assert.equal(await inRunning('pc1'), true);

    assert.equal((await other.cancelCommit('persist-cancel')).isOkElement, true);
    assert.equal(await inRunning('pc1'), false, 'cancel-commit rolled it back');
    assert.equal(await inRunning('cc2'), true, 'to the configuration before it');
  });

  it('is confirmed from another session with commit({ persistId }) and then stays', { timeout: 30_000 }, async () => {
    const a = await connectTo(server);
    try {
      await a.editConfig(interfaces(interfaceEntry('pc2')));
      await a.commit({ confirmed: true, timeout: 2, persist: 'persist-confirm' });
      // confirming with a wrong persist-id fails, and the commit stays pending
      await assert.rejects(other.commit({ persistId: 'wrong-id' }), (err: Error) => err instanceof RPCError && /persist-id$/.test(err.path ?? ''));
      assert.equal((await other.commit({ persistId: 'persist-confirm' })).isOkElement, true);
      await sleep(4000);
      assert.equal(await inRunning('pc2'), true);
      await sleep(IDLE_POLL_MS);
      assert.equal(await inRunning('pc2'), true);
      // nothing is left to cancel
      await assert.rejects(other.cancelCommit('persist-confirm'), RPCError);
    } finally {
      await a.close();
    }
  });
});
