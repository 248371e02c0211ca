/**
 * Manager against netconfd: locks between sessions, kill-session, closing (close(), closeSession(),
 * `await using`) and aborting calls.
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCAbortedError } from '../../src/rpc/errors.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { RPCReply } from '../../src/rpc/rpc-reply.js';
import { SessionCloseError } from '../../src/transport/errors.js';
import { TransportError } from '../../src/errors.js';
import { connectTo, IF_NS, interfaceEntry, interfaceNames, interfaceNamesOf, interfaces, messageIdOf, MONITORING_NS, spySends, waitUntil } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

let server: Netconfd;
let a: Manager;
let b: Manager;

before(async () => {
  server = await startNetconfd('mgr-sessions');
  [a, b] = await Promise.all([connectTo(server), connectTo(server)]);
  await a.editConfig(interfaces(interfaceEntry('eth0')));
  await a.commit();
});

after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await server?.stop();
});

/** The session-ids netconfd lists in netconf-state. */
async function serverSessionIds(m: Manager): Promise<string[]> {
  const reply = await m.get({ filter: `<netconf-state xmlns="${MONITORING_NS}"><sessions/></netconf-state>` });
  return (reply.data?.findAll('netconf-state/sessions/session/session-id') ?? []).map((el) => el.text.trim());
}

/** Expect `promise` to reject with RPCError lock-denied naming `holder` as the lock's owner. */
async function assertLockDenied(promise: Promise<unknown>, holder: Manager): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.ok(err instanceof RPCError, String(err));
    assert.equal(err.type, 'protocol');
    assert.equal(err.tag, 'lock-denied');
    assert.equal(err.severity, 'error');
    assert.equal(err.info['session-id'], holder.sessionId);
    return true;
  });
}

describe('locks', () => {
  beforeEach(async () => {
    await a.discardChanges(); // netconfd refuses to lock a candidate with uncommitted changes
  });

  it('a lock held by one session is refused to another, with the holder in error-info; unlocked, it can be taken', async () => {
    assert.notEqual(a.sessionId, b.sessionId);
    assert.equal((await a.lock('candidate')).isOkElement, true);
    await assertLockDenied(b.lock('candidate'), a);
    // a lock on candidate does not lock running
    await b.lock('running');
    await assertLockDenied(a.lock('running'), b);
    await b.unlock('running');
    await a.unlock('candidate');
    await b.lock('candidate');
    await assertLockDenied(a.lock('candidate'), b);
    await b.unlock('candidate');
  });

  it('unlocking a lock one does not hold is an RPCError', async () => {
    await assert.rejects(b.unlock('running'), RPCError);
  });

  it('withLock runs the body under the lock, returns its value, and unlocks', async () => {
    const value = await a.withLock('running', async () => {
      await assertLockDenied(b.lock('running'), a);
      return 42;
    });
    assert.equal(value, 42);
    await b.lock('running');
    await b.unlock('running');
  });

  it('withLock unlocks when the body throws, and rethrows what it threw', async () => {
    const boom = new Error('boom');
    await assert.rejects(
      a.withLock('candidate', async () => {
        await assertLockDenied(b.lock('candidate'), a);
        throw boom;
      }),
      (err) => err === boom,
    );
    await b.lock('candidate');
    await b.unlock('candidate');
  });

  it('withLock does not run the body when the lock is refused', async () => {
    await b.lock('running');
    let ran = false;
    await assertLockDenied(
      a.withLock('running', () => {
        ran = true;
      }),
      b,
    );
    assert.equal(ran, false);
    await b.unlock('running');
  });

  it('locked() with await using unlocks at the end of the block, even when it throws', async () => {
    await assert.rejects(
      (async () => {
        await using held = await a.locked('candidate');
        assert.equal(held.target, 'candidate');
        await assertLockDenied(b.lock('candidate'), a);
        throw new Error('leaving the block');
      })(),
      /leaving the block/,
    );
    await b.lock('candidate');
    await b.unlock('candidate');

    const held = await a.locked('running');
    await held.release();
    await held.release(); // once only: a second unlock would be an rpc-error
    await b.lock('running');
    await b.unlock('running');
  });
});

describe('kill-session', () => {
  it("ends the other session: its pending call fails with SessionCloseError, it is no longer connected, its locks are gone", { timeout: 30_000 }, async () => {
    const victim = await connectTo(server);
    await victim.lock('running');
    await assertLockDenied(a.lock('running'), victim);
    const victimId = victim.sessionId;
    assert.ok(victimId);
    assert.ok((await serverSessionIds(a)).includes(victimId));

    // A call still in flight when the session is killed: a 4 MB request takes netconfd over a
    // second to read, the kill a few milliseconds, so it is still unanswered.
    const pad = `<!--${'x'.repeat(4 * 1024 * 1024)}-->`;
    const pending = victim.rpc(`<get-config><source><running/></source>${pad}</get-config>`);
    const notificationsEnd = (async () => {
      for await (const n of victim.notifications()) void n;
    })();
    // both may settle before the kill's own reply arrives: handled now, checked below
    pending.catch(() => undefined);
    notificationsEnd.catch(() => undefined);

    assert.equal((await a.killSession(victimId)).isOkElement, true);
    await assert.rejects(pending, (err: Error) => err instanceof SessionCloseError && /closed by the server/.test(err.message));
    assert.equal(victim.connected, false);
    assert.equal(victim.pendingRequests, 0);
    // the notification loop of a session that died ends with its error
    await assert.rejects(notificationsEnd, SessionCloseError);
    // later calls fail at once
    await assert.rejects(victim.getConfig('running'), (err: Error) => err instanceof TransportError && /Not connected/.test(err.message));

    assert.ok(!(await serverSessionIds(a)).includes(victimId));
    // its lock died with it
    await a.lock('running');
    await a.unlock('running');
    await victim.close(); // closing a dead manager is fine
  });

  it('an invalid session-id is refused before sending', async () => {
    const sent = spySends(a);
    await assert.rejects(a.killSession('0'), TypeError);
    await assert.rejects(a.killSession('1; drop'), TypeError);
    assert.equal(sent.length, 0);
  });
});

describe('closing', () => {
  it('await using closes the session at the end of the block', async () => {
    let inside: Manager | undefined;
    let id: string | null = null;
    {
      await using m = await connectTo(server);
      inside = m;
      id = m.sessionId;
      assert.equal(m.connected, true);
      assert.ok((await serverSessionIds(b)).includes(String(id)));
    }
    assert.equal(inside.connected, false);
    assert.equal(inside.session.connected, false);
    await waitUntil('netconfd to drop the session', async () => !(await serverSessionIds(b)).includes(String(id)), 10_000);
  });

  it('close() is idempotent; a call already sent completes; calls after close reject clearly', async () => {
    const m = await connectTo(server);
    const inFlight = m.getConfig('running', { filter: `<interfaces xmlns="${IF_NS}"/>` });
    const closing = m.close();
    assert.equal(m.close(), closing, 'the same promise');
    // sent after <close-session>: the server will never answer it, and the end of the session
    // rejects it (the server's closing the channel or close() itself, whichever comes first)
    const late = assert.rejects(m.getConfig('running'), (err: Error) => err instanceof SessionCloseError && /closed (by the server|before the reply arrived)/.test(err.message));
    assert.deepEqual(interfaceNamesOf(await inFlight), ['eth0']);
    await closing;
    await late;
    assert.equal(m.connected, false);
    assert.equal(m.pendingRequests, 0);
    await m.close();
    await assert.rejects(m.getConfig('running'), (err: Error) => err instanceof TransportError && /Not connected/.test(err.message));
    await assert.rejects(m.lock(), TransportError);
  });

  it('closeSession() gets the server\'s ok and closes the transport', async () => {
    const m = await connectTo(server);
    const reply = await m.closeSession();
    assert.equal(reply.isOkElement, true);
    assert.equal(m.connected, false);
    await m.close();
  });
});

describe('abort', () => {
  let m: Manager;
  const unknownReplies: RPCReply[] = [];
  before(async () => {
    m = await connectTo(server, { onUnknownReply: (reply) => unknownReplies.push(reply) });
  });
  after(async () => {
    await m?.close();
  });

  it('a signal aborted right after the call rejects with RPCAbortedError; the late reply is dropped quietly and the session goes on', async () => {
    const sent = spySends(m);
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const call = m.getConfig('running', { signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(call, (err: Error) => err instanceof RPCAbortedError && err.cause === reason);
    assert.equal(m.pendingRequests, 0);
    assert.equal(sent.length, 1, 'it had been sent: its reply will come');
    // netconfd answers in order: by the time this reply is in, the aborted one's has come too
    const next = await m.getConfig('running', { filter: `<interfaces xmlns="${IF_NS}"/>` });
    assert.deepEqual(interfaceNamesOf(next), ['eth0']);
    assert.notEqual(next.messageId, messageIdOf(sent[0] ?? ''));
    assert.equal(unknownReplies.length, 0, 'the late reply was known to be an abandoned one');
    assert.equal(m.connected, true);
  });

  it('an already aborted signal rejects before anything is sent', async () => {
    const sent = spySends(m);
    await assert.rejects(m.get({ signal: AbortSignal.abort() }), RPCAbortedError);
    await assert.rejects(m.commit({ signal: AbortSignal.abort() }), RPCAbortedError);
    assert.equal(sent.length, 0);
    assert.equal(m.pendingRequests, 0);
    assert.deepEqual(await interfaceNames(m), ['eth0']);
  });

  it('aborting one of several calls in flight leaves the others alone', async () => {
    const controller = new AbortController();
    const calls = Array.from({ length: 10 }, (_, i) => m.getConfig('running', i === 4 ? { signal: controller.signal } : {}));
    controller.abort();
    const results = await Promise.allSettled(calls);
    results.forEach((result, i) => {
      if (i === 4) assert.ok(result.status === 'rejected' && result.reason instanceof RPCAbortedError);
      else assert.equal(result.status, 'fulfilled', `call ${i}`);
    });
    assert.equal(unknownReplies.length, 0);
  });
});
