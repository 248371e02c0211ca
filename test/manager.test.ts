/**
 * Manager over a StreamSession and a scripted peer: closing (with and without an answer to
 * <close-session>), pending calls, notifications ending with the session, options.
 */
import * as assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { BASE_1_0, BASE_1_1 } from '../src/transport/capabilities.js';
import { HelloError, SessionCloseError } from '../src/transport/errors.js';
import { MalformedMessageError, TransportError } from '../src/errors.js';
import { XmlLimitError } from '../src/xml/limit-error.js';
import { encodeMessage } from '../src/transport/framing.js';
import { StreamSession } from '../src/transport/stream.js';
import { Manager, type ManagerOptions } from '../src/manager.js';
import { RPCError } from '../src/rpc/rpc-error.js';
import { TimeoutExpiredError } from '../src/rpc/errors.js';
import type { Notification } from '../src/rpc/notification.js';
import type { RPCReply } from '../src/rpc/rpc-reply.js';
import { FakePeer, messageIdOf, notificationXml, openSession, operationOf, rpcError, rpcReply, serverHello, settle, sleep } from './helpers/fake-peer.js';

const CANDIDATE = 'urn:ietf:params:netconf:capability:candidate:1.0';

async function open(options: ManagerOptions = {}, caps = [BASE_1_0, BASE_1_1, CANDIDATE]): Promise<{ m: Manager; peer: FakePeer }> {
  const { session, peer } = await openSession(caps);
  return { m: new Manager(session, options), peer };
}

/** Collect notifications until the loop ends; resolves to them, or to [them, error] when it throws. */
function collect(m: Manager): { got: Notification[]; done: Promise<Error | undefined> } {
  const got: Notification[] = [];
  const done = (async () => {
    try {
      for await (const n of m.notifications()) got.push(n);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  })();
  return { got, done };
}

/**
 * A Manager over a stream where the server's reply to <close-session> and its hang-up arrive in
 * one read, as over SSH when the reply, EOF and channel close come in one TCP segment: the
 * stream then emits 'data' synchronously and 'end' on the next tick, before any promise
 * continuation runs.
 */
async function openHangingUp(): Promise<Manager> {
  let onWrite = (_text: string): void => undefined;
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      onWrite(chunk.toString('utf8'));
      callback();
    },
  });
  const session = new StreamSession([BASE_1_0]);
  const connecting = session.connect(stream, 'hanging-up');
  stream.push(Buffer.concat(encodeMessage(Buffer.from(serverHello([BASE_1_0])), 'eom')));
  await connecting;
  onWrite = (text) => {
    if (!text.includes('<close-session/>')) return;
    const id = messageIdOf(text);
    setImmediate(() => {
      stream.push(Buffer.concat(encodeMessage(Buffer.from(rpcReply(id)), 'eom')));
      stream.push(null);
    });
  };
  return new Manager(session);
}

const event = (i: number): string => notificationXml('2024-05-01T10:00:00Z', `<event xmlns="urn:e"><seq>${i}</seq></event>`);

describe('Manager: close()', () => {
  it('sends <close-session>, then closes the transport when the peer answers', async () => {
    const { m, peer } = await open();
    peer.respond((_msg, id) => rpcReply(id));
    await m.close();
    assert.deepEqual(peer.rpcs.map(operationOf), ['<close-session/>']);
    assert.equal(m.connected, false);
    assert.equal(peer.clientStream.destroyed, true);
  });

  it('closes after closeTimeout when the peer never answers', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    const started = Date.now();
    await m.close();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 40 && elapsed < 2000, `took ${elapsed} ms`);
    assert.deepEqual(peer.rpcs.map(operationOf), ['<close-session/>']);
    assert.equal(m.connected, false);
    assert.equal(peer.clientStream.destroyed, true);
    assert.equal(m.pendingRequests, 0);
  });

  it('closes when the peer answers <close-session> with an error', async () => {
    const { m, peer } = await open();
    peer.respond((_msg, id) => rpcReply(id, rpcError({ tag: 'operation-failed' })));
    await m.close();
    assert.equal(m.connected, false);
  });

  it('is idempotent: one <close-session>, the same promise', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    const first = m.close();
    const second = m.close();
    assert.equal(first, second);
    await first;
    await m.close();
    await m[Symbol.asyncDispose]();
    assert.equal(peer.rpcs.length, 1);
  });

  it('rejects pending calls with SessionCloseError', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    const calls = [m.get(), m.getConfig('running')].map((p) => p.catch((err: unknown) => err));
    await peer.messages(3);
    assert.equal(m.pendingRequests, 2);
    await m.close();
    for (const err of await Promise.all(calls)) assert.ok(err instanceof SessionCloseError, String(err));
    assert.equal(m.pendingRequests, 0);
    await assert.rejects(m.get(), TransportError, 'a call after close fails at once');
  });

  it('rejects pending calls and ends notifications when the transport session is closed directly', async () => {
    const { m, peer } = await open();
    const call = m.get().catch((err: unknown) => err);
    await peer.messages(2);
    const iterating = (async () => {
      for await (const _n of m.notifications()) void _n;
      return 'ended';
    })();
    await m.session.close();
    assert.ok((await call) instanceof SessionCloseError);
    assert.equal(await iterating, 'ended');
    assert.equal(m.pendingRequests, 0);
  });

  it('sends nothing when the session is already gone', async () => {
    const { m, peer } = await open();
    peer.end();
    while (m.connected) await sleep(2);
    await m.close();
    assert.equal(peer.rpcs.length, 0);
  });

  it('await using closes the manager at the end of the block', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    peer.respond((_msg, id) => rpcReply(id));
    {
      await using managed = m;
      assert.equal(managed.connected, true);
    }
    assert.equal(m.connected, false);
    assert.deepEqual(peer.rpcs.map(operationOf), ['<close-session/>']);
  });

  it('closeSession() sends <close-session> and closes on the reply', async () => {
    const { m, peer } = await open();
    peer.respond((_msg, id) => rpcReply(id));
    const reply = await m.closeSession();
    assert.equal(reply.isOkElement, true);
    assert.equal(m.connected, false);
    await m.close(); // nothing more to do
    assert.equal(peer.rpcs.length, 1);
  });
});

describe('Manager: closed', () => {
  it('resolves to undefined after close()', async () => {
    const { m, peer } = await open();
    peer.respond((_msg, id) => rpcReply(id));
    let settled = false;
    void m.closed.then(() => (settled = true));
    await settle();
    assert.equal(settled, false, 'still open: closed has not settled');
    await m.close();
    assert.equal(await m.closed, undefined);
  });

  it('resolves to undefined after closeSession() even though the server hangs up', async () => {
    const { m, peer } = await open();
    peer.respond((_msg, id) => {
      setImmediate(() => peer.end());
      return rpcReply(id);
    });
    await m.closeSession();
    assert.equal(await m.closed, undefined);
  });

  it('resolves to the SessionCloseError when the connection is lost; pending calls fail with the same cause', async () => {
    const { m, peer } = await open();
    const pending = m.get().catch((err: unknown) => err as Error);
    await peer.rpc(1);
    peer.end();
    const why = await m.closed;
    assert.ok(why instanceof SessionCloseError, String(why));
    assert.equal(await pending, why, 'the pending call failed with the same error');
    assert.equal(m.connected, false);
  });
});

describe('Manager: notifications', () => {
  it('iteration yields what arrived (also before it started) and ends on close()', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    peer.reply(event(1));
    await settle();
    const { got, done } = collect(m);
    peer.reply(event(2));
    while (got.length < 2) await sleep(2);
    peer.respond((_msg, id) => rpcReply(id));
    await m.close();
    assert.equal(await done, undefined);
    assert.deepEqual(
      got.map((n) => n.element?.childText('seq')),
      ['1', '2'],
    );
  });

  it('ends without error when the peer answers <close-session> and hangs up at once', async () => {
    const { m, peer } = await open();
    const { done } = collect(m);
    peer.respond((message, id) => {
      if (operationOf(message) !== '<close-session/>') return undefined;
      peer.reply(rpcReply(id));
      peer.end();
      return undefined;
    });
    await m.close();
    assert.equal(await done, undefined);
  });

  it('throws the session error when the session fails, after the buffered notifications; pending calls get the same error', async () => {
    const { m, peer } = await open();
    const errors: Error[] = [];
    m.session.addListener({ callback: () => undefined, errback: (e) => errors.push(e) });
    const call = m.get().catch((err: unknown) => err);
    await peer.messages(2);
    peer.reply(event(1));
    peer.reply(event(2));
    await settle();
    peer.end();
    const { got, done } = collect(m);
    const error = await done;
    assert.ok(error instanceof SessionCloseError);
    assert.equal(error, errors[0], 'the session error itself');
    assert.equal(await call, error);
    assert.deepEqual(
      got.map((n) => n.element?.childText('seq')),
      ['1', '2'],
    );
    assert.equal(m.connected, false);
    await m.close();
  });

  it('end without error when the reply to closeSession() and the hang-up come in one read', async () => {
    const m = await openHangingUp();
    const { done } = collect(m);
    assert.equal((await m.closeSession()).isOkElement, true);
    assert.equal(await done, undefined);
    assert.equal(m.connected, false);
  });

  it('end without error when the reply to close() and the hang-up come in one read', async () => {
    const m = await openHangingUp();
    const { done } = collect(m);
    await m.close();
    assert.equal(await done, undefined);
  });

  it('a framing error ends the notifications with the NetconfFramingError', async () => {
    const { m, peer } = await open();
    const { done } = collect(m);
    peer.sendRaw('\n#abc\n');
    const error = await done;
    assert.equal(error?.name, 'NetconfFramingError');
    await m.close();
  });

  it('a malformed message keeps the session and the notifications going', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    const { got, done } = collect(m);
    peer.reply('not xml at all');
    peer.reply(event(1));
    while (got.length < 1) await sleep(2);
    assert.equal(m.connected, true);
    await m.close();
    assert.equal(await done, undefined);
  });

  it('notificationBuffer bounds the queue: the oldest are dropped and counted', async () => {
    const { m, peer } = await open({ notificationBuffer: 2, closeTimeout: 0.05 });
    for (let i = 1; i <= 5; i++) peer.reply(event(i));
    while (m.notifications().dropped < 3) await sleep(2);
    const { got, done } = collect(m);
    await m.close();
    await done;
    assert.deepEqual(
      got.map((n) => [n.element?.childText('seq'), n.droppedBefore]),
      [
        ['4', 3],
        ['5', 0],
      ],
    );
  });
});

describe('Manager: options and properties', () => {
  it('exposes session-id, capabilities, connected', async () => {
    const { m } = await open({ closeTimeout: 0.05 });
    assert.equal(m.sessionId, '7');
    assert.equal(m.serverCapabilities.has(':candidate'), true);
    assert.equal(m.clientCapabilities.has(':base:1.1'), true);
    assert.equal(m.connected, true);
    await m.close();
  });

  it('rpcTimeout is the default reply timeout; the timeout setter validates', async () => {
    const { m } = await open({ rpcTimeout: 0.05, closeTimeout: 0.05 });
    assert.equal(m.timeout, 0.05);
    await assert.rejects(m.get(), TimeoutExpiredError);
    assert.equal(m.pendingRequests, 0);
    for (const bad of [0, -1, Number.NaN]) assert.throws(() => (m.timeout = bad), TypeError);
    m.timeout = 10;
    assert.equal(m.timeout, 10);
    await m.close();
  });

  it('raiseMode option and setter', async () => {
    const { m, peer } = await open({ raiseMode: 'none', closeTimeout: 0.05 });
    peer.respond((message, id) => (operationOf(message) === '<close-session/>' ? undefined : rpcReply(id, rpcError({ tag: 'in-use' }))));
    assert.equal(m.raiseMode, 'none');
    assert.equal((await m.get()).ok, false);
    m.raiseMode = 'errors';
    await assert.rejects(m.get(), RPCError);
    assert.throws(() => (m.raiseMode = 'some' as 'all'), TypeError);
    await m.close();
  });

  it('onUnknownReply gets replies matching no call', async () => {
    const unknown: RPCReply[] = [];
    const { m, peer } = await open({ onUnknownReply: (r) => unknown.push(r), closeTimeout: 0.05 });
    peer.reply(rpcReply('555'));
    while (unknown.length < 1) await sleep(2);
    assert.equal(unknown[0]?.messageId, '555');
    await m.close();
  });

  it('argument errors become rejections, never synchronous throws', async () => {
    const { m, peer } = await open({ closeTimeout: 0.05 });
    const result = m.commit({ timeout: 5 });
    assert.ok(result instanceof Promise);
    await assert.rejects(result, TypeError);
    await assert.rejects(m.discardChanges({ timeout: -1 }), TypeError);
    assert.equal(peer.rpcs.length, 0);
    await m.close();
  });
});

describe('XML limits given to the session apply to everything the client parses', () => {
  const nest = (depth: number): string => `${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}`;
  const deepData = (depth: number): string => `<data><interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface>${nest(depth)}</interface></interfaces></data>`;

  it('defaults: a reply nested beyond 1024 levels is a typed error; the session goes on', async () => {
    const { m, peer } = await open();
    assert.equal(m.session.xmlLimits.maxDepth, 1024);
    peer.respond((_msg, id) => rpcReply(id, deepData(1100)));
    const reply = await m.get();
    assert.throws(() => reply.document, (err: unknown) => err instanceof XmlLimitError && err.limit === 'maxDepth' && err instanceof MalformedMessageError);
    peer.respond((_msg, id) => rpcReply(id));
    assert.ok((await m.get()).ok, 'the next RPC works');
    await m.close();
  });

  it('raised for a session: replies, streamed replies and notifications that deep are read', async () => {
    const { session, peer } = await openSession([BASE_1_0, BASE_1_1], { xmlLimits: { maxDepth: 5000 } });
    const m = new Manager(session);
    assert.equal(m.session.xmlLimits.maxDepth, 5000);
    peer.respond((_msg, id) => rpcReply(id, deepData(3000)));
    const reply = await m.get();
    assert.equal(reply.document.find('data/interfaces/interface')?.textContent, '');
    const streamed = await m.getStream({ depth: 3 }).toArray();
    assert.equal(streamed.length, 1);
    let depth = 0;
    for (let el = streamed[0]; el; el = el.elements[0]) depth++;
    assert.equal(depth, 3001, '<interface> and the 3000 levels in it');
    assert.match(streamed[0]?.toString() ?? '', /^<interface xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><x><x>/);
    const { got, done } = collect(m);
    peer.send(notificationXml('2026-12-02T10:00:00Z', `<deep xmlns="urn:x">${nest(3000)}</deep>`), 'chunked');
    while (got.length < 1) await settle();
    assert.equal(got[0]?.element?.local, 'deep');
    await m.close();
    assert.equal(await done, undefined);
  });

  it('lowered for a session: the hello itself is held to them', async () => {
    await assert.rejects(openSession([BASE_1_0, BASE_1_1], { xmlLimits: { maxDepth: 2 } }), (err: unknown) => err instanceof HelloError && err.cause instanceof XmlLimitError);
    await assert.rejects(openSession([BASE_1_0], { xmlLimits: { maxDepth: 0 } }), RangeError);
  });
});
