/**
 * RPCDispatcher against a scripted peer: message-id matching, pipelining, timeouts, abort, raise
 * modes and the faults a real server will not produce on demand (unknown and late replies,
 * malformed replies, replies without message-id, the session dying under pending calls).
 */
import * as assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { describe, it } from 'node:test';
import { SessionCloseError } from '../../src/transport/errors.js';
import { MalformedMessageError, TransportError } from '../../src/errors.js';
import type { SessionListener } from '../../src/transport/session.js';
import { RPCDispatcher, type DispatcherOptions } from '../../src/rpc/dispatcher.js';
import { RPCAbortedError, TimeoutExpiredError } from '../../src/rpc/errors.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { RPCReply } from '../../src/rpc/rpc-reply.js';
import { FakePeer, messageIdOf, notificationXml, NS, openSession, operationOf, rpcError, rpcReply, settle, sleep } from '../helpers/fake-peer.js';
import type { StreamSession } from '../../src/transport/stream.js';

interface Setup {
  session: StreamSession;
  peer: FakePeer;
  rpc: RPCDispatcher;
  unknown: RPCReply[];
  notifications: string[];
  /** Wait until `onUnknownReply` has been called `n` times in all. */
  unknownReplies(n: number): Promise<RPCReply[]>;
}

async function setup(options: DispatcherOptions = {}): Promise<Setup> {
  const { session, peer } = await openSession();
  const unknown: RPCReply[] = [];
  const notifications: string[] = [];
  const rpc = new RPCDispatcher(session, {
    onUnknownReply: (reply) => unknown.push(reply),
    onNotification: (raw) => notifications.push(raw),
    ...options,
  });
  const unknownReplies = async (n: number): Promise<RPCReply[]> => {
    while (unknown.length < n) await sleep(2);
    return unknown;
  };
  return { session, peer, rpc, unknown, notifications, unknownReplies };
}

/** Records the errors the session reports to its listeners. */
class ErrorRecorder implements SessionListener {
  readonly errors: Error[] = [];
  callback(): void {}
  errback(error: Error): void {
    this.errors.push(error);
  }
}

describe('RPCDispatcher: sending and matching', () => {
  it('wraps the operation in <rpc> with an increasing message-id and the base namespace', async () => {
    const { session, peer, rpc } = await setup();
    peer.respond((_msg, id) => rpcReply(id));
    const first = await rpc.request('<get/>');
    const second = await rpc.request('<get-config><source><running/></source></get-config>');
    assert.deepEqual(peer.rpcs, [
      `<rpc message-id="101" xmlns="${NS}"><get/></rpc>`,
      `<rpc message-id="102" xmlns="${NS}"><get-config><source><running/></source></get-config></rpc>`,
    ]);
    assert.equal(first.messageId, '101');
    assert.equal(second.messageId, '102');
    assert.equal(first.ok, true);
    assert.equal(first.isOkElement, true);
    assert.equal(rpc.pendingCount, 0);
    await session.close();
  });

  it('matches replies that arrive out of order by message-id', async () => {
    const { session, peer, rpc } = await setup();
    const calls = [rpc.request('<a/>'), rpc.request('<b/>'), rpc.request('<c/>')];
    const sent = (await peer.messages(4)).slice(1);
    assert.equal(rpc.pendingCount, 3);
    // Answer in the order c, a, b, each reply naming the operation it answers.
    for (const index of [2, 0, 1]) {
      const message = sent[index] as string;
      const op = /^<(\w+)\/>$/.exec(operationOf(message))?.[1];
      peer.reply(rpcReply(messageIdOf(message), `<data><for>${op}</for></data>`));
    }
    const replies = await Promise.all(calls);
    assert.deepEqual(
      replies.map((r) => [r.messageId, r.data?.textContent]),
      [
        ['101', 'a'],
        ['102', 'b'],
        ['103', 'c'],
      ],
    );
    assert.equal(rpc.pendingCount, 0);
    await session.close();
  });

  it('pipelines 150 requests: all sent before any reply, each answered in shuffled order', async () => {
    const { session, peer, rpc } = await setup();
    const count = 150;
    const calls = Array.from({ length: count }, (_, i) => rpc.request(`<get-item>${i}</get-item>`));
    assert.equal(rpc.pendingCount, count);
    const sent = (await peer.messages(count + 1)).slice(1);
    assert.equal(sent.length, count);
    assert.equal(new Set(sent.map(messageIdOf)).size, count, 'every message-id distinct');
    // A deterministic shuffle (Fisher-Yates with an LCG), then one write per reply.
    const order = sent.map((_, i) => i);
    let seed = 12345;
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) {
      const message = sent[i] as string;
      const item = /<get-item>(\d+)<\/get-item>/.exec(message)?.[1];
      peer.reply(rpcReply(messageIdOf(message), `<data>${item}</data>`));
    }
    const replies = await Promise.all(calls);
    replies.forEach((reply, i) => assert.equal(reply.data?.textContent, String(i)));
    assert.equal(rpc.pendingCount, 0);
    await session.close();
  });

  it('gives a reply with an unknown message-id to onUnknownReply and leaves pending calls alone', async () => {
    const { session, peer, rpc, unknownReplies } = await setup();
    const call = rpc.request('<get/>');
    const [, sent] = await peer.messages(2);
    peer.reply(rpcReply('999', '<data>stray</data>'));
    const [stray] = await unknownReplies(1);
    assert.equal(stray?.messageId, '999');
    assert.equal(stray?.data?.textContent, 'stray');
    assert.equal(rpc.pendingCount, 1);
    peer.reply(rpcReply(messageIdOf(sent as string), '<data>mine</data>'));
    assert.equal((await call).data?.textContent, 'mine');
    await session.close();
  });

  it('without onUnknownReply, an unknown reply is dropped quietly and the session goes on', async () => {
    const { session, peer } = await openSession();
    const rpc = new RPCDispatcher(session);
    const errors = new ErrorRecorder();
    session.addListener(errors);
    peer.reply(rpcReply('999'));
    await settle();
    peer.respond((_msg, id) => rpcReply(id));
    assert.equal((await rpc.request('<get/>')).ok, true);
    assert.deepEqual(errors.errors, []);
    await session.close();
  });

  it('resolves the only pending call with a reply that has no message-id', async () => {
    const { session, peer, rpc } = await setup({ raiseMode: 'errors' });
    const call = rpc.request('<get/>');
    await peer.messages(2);
    peer.reply(rpcReply(undefined, rpcError({ type: 'rpc', tag: 'missing-attribute', severity: 'warning', message: 'no message-id' })));
    const reply = await call;
    assert.equal(reply.messageId, '101');
    assert.equal(reply.errors[0]?.tag, 'missing-attribute');
    await session.close();
  });

  it('with two pending calls, a reply without message-id is unknown and both stay pending', async () => {
    const { session, peer, rpc, unknownReplies } = await setup();
    const calls = [rpc.request('<a/>'), rpc.request('<b/>')];
    await peer.messages(3);
    peer.reply(rpcReply(undefined));
    const [stray] = await unknownReplies(1);
    assert.equal(stray?.messageId, '');
    assert.equal(rpc.pendingCount, 2);
    peer.reply(rpcReply('101'));
    peer.reply(rpcReply('102'));
    await Promise.all(calls);
    await session.close();
  });

  it('matches a reply whose namespace is bound to a prefix', async () => {
    const { session, peer, rpc } = await setup();
    const call = rpc.request('<get/>');
    await peer.messages(2);
    peer.reply(`<nc:rpc-reply xmlns:nc="${NS}" message-id="101"><nc:data>x</nc:data></nc:rpc-reply>`);
    assert.equal((await call).data?.textContent, 'x');
    await session.close();
  });

  it('routes notifications to onNotification and ignores other documents', async () => {
    const { session, peer, rpc, notifications, unknown } = await setup();
    const n = notificationXml('2024-01-01T00:00:00Z', '<event xmlns="urn:e"/>');
    peer.reply(n);
    peer.reply('<rpc-reply xmlns="urn:not-netconf" message-id="101"><ok/></rpc-reply>');
    peer.reply('<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"/>');
    const call = rpc.request('<get/>'); // 101: the foreign rpc-reply above must not have answered it
    await peer.messages(2);
    peer.reply(rpcReply('101', '<data>real</data>'));
    assert.equal((await call).data?.textContent, 'real');
    assert.deepEqual(notifications, [n]);
    assert.deepEqual(unknown, []);
    await session.close();
  });
});

describe('RPCDispatcher: timeouts', () => {
  it('rejects with TimeoutExpiredError, empties the pending table, and a late reply is not unknown', async () => {
    const { session, peer, rpc, unknownReplies } = await setup({ timeout: 0.05 });
    const started = Date.now();
    await assert.rejects(rpc.request('<get/>'), (err: unknown) => err instanceof TimeoutExpiredError && /RPC 101 within 0\.05 s/.test(err.message));
    assert.ok(Date.now() - started < 2000);
    assert.equal(rpc.pendingCount, 0);
    // The late reply, then a truly unknown one: only the second reaches onUnknownReply.
    peer.reply(rpcReply('101'));
    peer.reply(rpcReply('4242'));
    const unknown = await unknownReplies(1);
    await settle();
    assert.deepEqual(
      unknown.map((r) => r.messageId),
      ['4242'],
    );
    await session.close();
  });

  it('a per-call timeout overrides the default, and other calls are unaffected', async () => {
    const { session, peer, rpc } = await setup({ timeout: 30 });
    const slow = rpc.request('<slow/>', { timeout: 0.05 });
    const normal = rpc.request('<normal/>');
    await assert.rejects(slow, TimeoutExpiredError);
    assert.equal(rpc.pendingCount, 1);
    peer.reply(rpcReply('102'));
    assert.equal((await normal).messageId, '102');
    await session.close();
  });

  it('refuses a timeout that is not a positive number, sending nothing', async () => {
    const { session, peer, rpc } = await setup();
    for (const timeout of [0, -1, Number.NaN]) {
      await assert.rejects(rpc.request('<get/>', { timeout }), TypeError);
    }
    assert.equal(rpc.pendingCount, 0);
    peer.respond((_msg, id) => rpcReply(id));
    const reply = await rpc.request('<get/>', { timeout: Number.POSITIVE_INFINITY });
    assert.equal(reply.messageId, '101', 'the refused calls consumed no message-id');
    assert.equal(peer.rpcs.length, 1);
    await session.close();
  });

  it('a timeout too long for setTimeout (over 24.8 days) waits instead of firing at once', async () => {
    const { session, peer, rpc } = await setup();
    const call = rpc.request('<get/>', { timeout: 30 * 86400 });
    let settled = false;
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    await sleep(50);
    assert.equal(settled, false, 'still waiting for the reply');
    peer.reply(rpcReply('101'));
    assert.equal((await call).ok, true);
    await session.close();
  });

  it('remembers the last 1024 abandoned calls: a late reply beyond that is unknown again', async () => {
    const { session, peer, rpc, unknownReplies } = await setup();
    const controller = new AbortController();
    setMaxListeners(2000, controller.signal); // one signal shared by 1030 calls
    const calls = Array.from({ length: 1030 }, () => rpc.request('<get/>', { signal: controller.signal }).catch((err: unknown) => err));
    controller.abort();
    const errors = await Promise.all(calls);
    assert.ok(errors.every((e) => e instanceof RPCAbortedError));
    assert.equal(rpc.pendingCount, 0);
    // ids 101 … 1130; the first 6 were forgotten.
    peer.reply(rpcReply('1130'));
    peer.reply(rpcReply('107'));
    peer.reply(rpcReply('106'));
    peer.reply(rpcReply('101'));
    const unknown = await unknownReplies(2);
    await settle();
    assert.deepEqual(
      unknown.map((r) => r.messageId),
      ['106', '101'],
    );
    await session.close();
  });
});

describe('RPCDispatcher: abort', () => {
  it('a signal already aborted rejects with RPCAbortedError and sends nothing', async () => {
    const { session, peer, rpc } = await setup();
    const controller = new AbortController();
    const reason = new Error('user gave up');
    controller.abort(reason);
    await assert.rejects(rpc.request('<get/>', { signal: controller.signal }), (err: unknown) => err instanceof RPCAbortedError && err.cause === reason);
    assert.equal(rpc.pendingCount, 0);
    peer.respond((_msg, id) => rpcReply(id));
    await rpc.request('<next/>');
    assert.deepEqual(peer.rpcs.map(operationOf), ['<next/>']);
    await session.close();
  });

  it('aborting while waiting rejects at once, empties the pending table, and the late reply is not unknown', async () => {
    const { session, peer, rpc, unknownReplies } = await setup();
    const controller = new AbortController();
    const call = rpc.request('<get/>', { signal: controller.signal, timeout: 30 });
    const other = rpc.request('<other/>');
    await peer.messages(3);
    controller.abort();
    await assert.rejects(call, (err: unknown) => err instanceof RPCAbortedError && /RPC 101 to fake aborted/.test(err.message));
    assert.equal(rpc.pendingCount, 1);
    peer.reply(rpcReply('101'));
    peer.reply(rpcReply('777'));
    peer.reply(rpcReply('102'));
    await other;
    const unknown = await unknownReplies(1);
    assert.deepEqual(
      unknown.map((r) => r.messageId),
      ['777'],
    );
    await session.close();
  });

  it('a signal aborted after the reply changes nothing', async () => {
    const { session, peer, rpc } = await setup();
    peer.respond((_msg, id) => rpcReply(id));
    const controller = new AbortController();
    const reply = await rpc.request('<get/>', { signal: controller.signal });
    controller.abort();
    assert.equal(reply.ok, true);
    assert.equal(rpc.pendingCount, 0);
    await session.close();
  });
});

describe('RPCDispatcher: raise modes', () => {
  const error = rpcError({ type: 'protocol', tag: 'lock-denied', message: 'locked by 12', info: '<session-id>12</session-id>' });
  const warning = rpcError({ type: 'application', tag: 'operation-failed', severity: 'warning', message: 'deprecated node' });

  async function answer(raiseMode: 'all' | 'errors' | 'none', body: string): Promise<RPCReply | Error> {
    const { session, peer, rpc } = await setup({ raiseMode });
    peer.respond((_msg, id) => rpcReply(id, body));
    try {
      return await rpc.request('<lock><target><running/></target></lock>');
    } catch (err) {
      return err as Error;
    } finally {
      assert.equal(rpc.pendingCount, 0);
      await session.close();
    }
  }

  it("'all' (the default) raises RPCError for an error", async () => {
    const { session, rpc } = await setup();
    assert.equal(rpc.raiseMode, 'all');
    await session.close();
    const result = await answer('all', error);
    assert.ok(result instanceof RPCError);
    assert.equal(result.tag, 'lock-denied');
    assert.equal(result.info['session-id'], '12');
  });

  it("'all' raises RPCError for a warning-only reply", async () => {
    const result = await answer('all', warning);
    assert.ok(result instanceof RPCError);
    assert.equal(result.severity, 'warning');
    assert.equal(result.message, 'deprecated node');
  });

  it("'errors' resolves a warning-only reply, the warning readable in reply.errors", async () => {
    const result = await answer('errors', `${warning}<ok/>`);
    assert.ok(!(result instanceof Error));
    assert.equal(result.ok, true);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]?.severity, 'warning');
    assert.equal(result.errors[0]?.message, 'deprecated node');
  });

  it("'errors' raises RPCError for an error (warnings included in its errors)", async () => {
    const result = await answer('errors', `${warning}${error}`);
    assert.ok(result instanceof RPCError);
    assert.equal(result.severity, 'error');
    assert.equal(result.tag, 'lock-denied');
    assert.equal(result.errors.length, 2);
  });

  it("'none' resolves even an error reply: reply.ok is false", async () => {
    const result = await answer('none', error);
    assert.ok(!(result instanceof Error));
    assert.equal(result.ok, false);
    assert.equal(result.errors[0]?.tag, 'lock-denied');
  });

  it('several rpc-errors make one RPCError carrying all, its fields those of the first error of severity error', async () => {
    const body =
      warning +
      rpcError({ type: 'application', tag: 'invalid-value', appTag: 'range', path: "/if:interfaces/if:interface[if:name='eth0']/if:mtu", message: 'mtu out of range', info: '<bad-element>mtu</bad-element>' }) +
      rpcError({ type: 'application', tag: 'data-missing', message: 'no such interface' });
    const result = await answer('all', body);
    assert.ok(result instanceof RPCError);
    assert.equal(result.errors.length, 3);
    assert.equal(result.severity, 'error');
    assert.equal(result.type, 'application');
    assert.equal(result.tag, 'invalid-value');
    assert.equal(result.appTag, 'range');
    assert.equal(result.path, "/if:interfaces/if:interface[if:name='eth0']/if:mtu");
    assert.equal(result.message, 'mtu out of range');
    assert.deepEqual(result.info, { 'bad-element': 'mtu' });
    assert.deepEqual(
      result.errors.map((e) => e.tag),
      ['operation-failed', 'invalid-value', 'data-missing'],
    );
    assert.match(result.description, /^fake: error application\/invalid-value at .*: mtu out of range \(and 2 more: warning .*; error application\/data-missing: no such interface\)$/);
  });

  it('a change of raiseMode applies to the calls that follow', async () => {
    const { session, peer, rpc } = await setup();
    peer.respond((_msg, id) => rpcReply(id, warning));
    await assert.rejects(rpc.request('<get/>'), RPCError);
    rpc.raiseMode = 'errors';
    assert.equal((await rpc.request('<get/>')).ok, true);
    await session.close();
  });
});

describe('RPCDispatcher: faults', () => {
  it('the session closing rejects every pending call with the session error', async () => {
    const { session, peer, rpc } = await setup();
    const recorder = new ErrorRecorder();
    session.addListener(recorder);
    const calls = [rpc.request('<a/>'), rpc.request('<b/>'), rpc.request('<c/>')].map((p) => p.catch((err: unknown) => err));
    await peer.messages(4);
    peer.end();
    const errors = await Promise.all(calls);
    assert.equal(recorder.errors.length, 1);
    const sessionError = recorder.errors[0];
    assert.ok(sessionError instanceof SessionCloseError);
    for (const err of errors) assert.equal(err, sessionError, 'the very error the session reported');
    assert.equal(rpc.pendingCount, 0);
    // And a call on the dead session fails at once without entering the table.
    await assert.rejects(rpc.request('<get/>'), (err: unknown) => err instanceof TransportError && /Not connected/.test(err.message));
    assert.equal(rpc.pendingCount, 0);
  });

  it('a framing error rejects pending calls with the NetconfFramingError', async () => {
    const { session, peer, rpc } = await setup();
    const call = rpc.request('<get/>');
    await peer.messages(2);
    peer.sendRaw('\n#0\n');
    await assert.rejects(call, { name: 'NetconfFramingError' });
    assert.equal(session.connected, false);
  });

  it('a reply that is not well-formed XML but mentions rpc-error rejects with MalformedMessageError; the session stays usable', async () => {
    const { session, peer, rpc } = await setup();
    const call = rpc.request('<get/>');
    await peer.messages(2);
    peer.reply(`<rpc-reply message-id="101" xmlns="${NS}"><rpc-error><error-tag>oops</rpc-reply>`);
    await assert.rejects(call, MalformedMessageError);
    assert.equal(rpc.pendingCount, 0);
    assert.equal(session.connected, true);
    peer.respond((_msg, id) => rpcReply(id, '<data>fine</data>'));
    assert.equal((await rpc.request('<get/>')).data?.textContent, 'fine');
    await session.close();
  });

  it("with raiseMode 'none' the same malformed reply resolves, unparsed; parsing it throws later", async () => {
    const { session, peer, rpc } = await setup({ raiseMode: 'none' });
    const xml = `<rpc-reply message-id="101" xmlns="${NS}"><rpc-error><error-tag>oops</rpc-reply>`;
    peer.respond((_msg, id) => (id === '101' ? xml : undefined));
    const reply = await rpc.request('<get/>');
    assert.equal(reply.xml, xml);
    assert.throws(() => reply.ok, MalformedMessageError);
    await session.close();
  });

  it('a well-formed reply without "rpc-error" resolves even when the rest is not parsable', async () => {
    const { session, peer, rpc } = await setup();
    const xml = `<rpc-reply message-id="101" xmlns="${NS}"><data><unclosed></data></rpc-reply>`;
    peer.respond(() => xml);
    const reply = await rpc.request('<get/>');
    assert.equal(reply.ok, true);
    assert.equal(reply.xml, xml);
    await session.close();
  });

  it('rejectAll() rejects every pending call with the error given; detach() stops listening', async () => {
    const { session, peer, rpc, unknown } = await setup();
    const calls = [rpc.request('<a/>'), rpc.request('<b/>')];
    await peer.messages(3);
    const error = new Error('gone');
    rpc.rejectAll(error);
    for (const call of calls) await assert.rejects(call, (err: unknown) => err === error);
    assert.equal(rpc.pendingCount, 0);
    rpc.detach();
    peer.reply(rpcReply('999'));
    await settle();
    assert.deepEqual(unknown, []);
    await session.close();
  });
});
