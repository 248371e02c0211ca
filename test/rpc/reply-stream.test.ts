/**
 * Streamed replies (Manager.getConfigStream / rpcStream) against a scripted peer: subtrees
 * yielded as the reply arrives, errors, flow control, early exit, timeout, abort, failure.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Manager } from '../../src/manager.js';
import { RPCAbortedError, TimeoutExpiredError } from '../../src/rpc/errors.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { encodeMessage } from '../../src/transport/framing.js';
import { SessionCloseError } from '../../src/transport/errors.js';
import { messageIdOf, NS, openSession, rpcError, rpcReply, settle } from '../helpers/fake-peer.js';

const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

function interfaces(count: number): string {
  let body = '';
  for (let i = 0; i < count; i++) body += `<interface><name>ge-0/0/${i}</name><description>port ${i} é</description></interface>`;
  return `<data><interfaces xmlns="${IF_NS}">${body}</interfaces></data>`;
}

async function open(): Promise<{ m: Manager; peer: Awaited<ReturnType<typeof openSession>>['peer'] }> {
  const { session, peer } = await openSession(['urn:ietf:params:netconf:base:1.0', 'urn:ietf:params:netconf:base:1.1', 'urn:ietf:params:netconf:capability:candidate:1.0']);
  return { m: new Manager(session, { closeTimeout: 0.05 }), peer };
}

/** Send a reply in small pieces, as a slow link would. */
function sendInPieces(peer: Awaited<ReturnType<typeof open>>['peer'], xml: string, size = 1000): void {
  const wire = Buffer.concat(encodeMessage(Buffer.from(xml), peer.mode));
  for (let at = 0; at < wire.length; at += size) peer.sendRaw(wire.subarray(at, at + size));
}

describe('streamed replies', () => {
  it('yields each list entry (depth 3) as a parsed subtree, in order', async () => {
    const { m, peer } = await open();
    const stream = m.getConfigStream('running', { filter: `<interfaces xmlns="${IF_NS}"/>` });
    const rpc = await peer.rpc(1);
    assert.match(rpc, /<get-config><source><running\/><\/source><filter type="subtree">/);
    sendInPieces(peer, rpcReply(messageIdOf(rpc), interfaces(2000)));
    let n = 0;
    for await (const entry of stream) {
      assert.equal(entry.local, 'interface');
      assert.equal(entry.namespace, IF_NS);
      assert.equal(entry.childText('name'), `ge-0/0/${n}`);
      assert.match(entry.toString(), new RegExp(`^<interface xmlns="${IF_NS}"`), 'a yielded subtree serializes with its namespace');
      n++;
    }
    assert.equal(n, 2000);
    assert.ok(stream.bytesReceived > 100_000);
    assert.equal(stream.root?.attributes['message-id'], messageIdOf(rpc));
    await m.close();
  });

  it('yields <data> itself with depth 1, and nothing for an <ok/> reply', async () => {
    const { m, peer } = await open();
    const data = m.rpcStream('<get-config><source><running/></source></get-config>', { depth: 1 });
    peer.reply(rpcReply(messageIdOf(await peer.rpc(1)), interfaces(3)));
    const [only, ...rest] = await data.toArray();
    assert.equal(only?.local, 'data');
    assert.equal(only?.findAll('interfaces/interface').length, 3);
    assert.equal(rest.length, 0);
    const ok = m.rpcStream('<discard-changes/>');
    peer.reply(rpcReply(messageIdOf(await peer.rpc(2))));
    assert.deepEqual(await ok.toArray(), []);
    await m.close();
  });

  it('throws RPCError with every field when the reply carries rpc-errors', async () => {
    const { m, peer } = await open();
    const stream = m.getConfigStream('running');
    const id = messageIdOf(await peer.rpc(1));
    peer.reply(`<rpc-reply message-id="${id}" xmlns="${NS}">${rpcError({ type: 'application', tag: 'operation-failed', message: 'disk on fire', info: '<bad-element>x</bad-element>' })}</rpc-reply>`);
    await assert.rejects(stream.toArray(), (err: unknown) => err instanceof RPCError && err.tag === 'operation-failed' && err.message === 'disk on fire' && err.info['bad-element'] === 'x');
    await m.close();
  });

  it('pauses reading when highWaterMark subtrees wait, and resumes as they are consumed', async () => {
    const { m, peer } = await open();
    let pauses = 0;
    let resumes = 0;
    const pause = m.session.pauseInput.bind(m.session);
    const resume = m.session.resumeInput.bind(m.session);
    m.session.pauseInput = () => {
      pauses++;
      pause();
    };
    m.session.resumeInput = () => {
      resumes++;
      resume();
    };
    const stream = m.getConfigStream('running', { highWaterMark: 10 });
    sendInPieces(peer, rpcReply(messageIdOf(await peer.rpc(1)), interfaces(500)), 300);
    await settle(20);
    assert.ok(pauses >= 1, 'paused while nobody consumed');
    const all = await stream.toArray();
    assert.equal(all.length, 500);
    assert.ok(resumes >= pauses, 'every pause was resumed');
    await m.close();
  });

  it('discards the rest of the reply when the loop is left early; the session goes on', async () => {
    const { m, peer } = await open();
    const stream = m.getConfigStream('running');
    sendInPieces(peer, rpcReply(messageIdOf(await peer.rpc(1)), interfaces(1000)), 500);
    let seen = 0;
    for await (const _entry of stream) if (++seen === 5) break;
    assert.equal(seen, 5);
    const next = m.get();
    peer.reply(rpcReply(messageIdOf(await peer.rpc(2)), '<data/>'));
    assert.equal((await next).ok, true);
    await m.close();
  });

  it('times out waiting for the first byte; a late reply is discarded and the session goes on', async () => {
    const { m, peer } = await open();
    const stream = m.getConfigStream('running', { timeout: 0.05 });
    const id = messageIdOf(await peer.rpc(1));
    await assert.rejects(stream.toArray(), TimeoutExpiredError);
    peer.reply(rpcReply(id, interfaces(10)));
    const next = m.get();
    peer.reply(rpcReply(messageIdOf(await peer.rpc(2)), '<data/>'));
    assert.equal((await next).ok, true);
    await m.close();
  });

  it('aborts mid-reply with RPCAbortedError', async () => {
    const { m, peer } = await open();
    const controller = new AbortController();
    const stream = m.getConfigStream('running', { signal: controller.signal });
    const wire = Buffer.concat(encodeMessage(Buffer.from(rpcReply(messageIdOf(await peer.rpc(1)), interfaces(100))), peer.mode));
    peer.sendRaw(wire.subarray(0, wire.length >> 1));
    const first = await stream.next();
    assert.equal(first?.local, 'interface');
    controller.abort();
    await assert.rejects(stream.next(), RPCAbortedError);
    peer.sendRaw(wire.subarray(wire.length >> 1));
    const next = m.get();
    peer.reply(rpcReply(messageIdOf(await peer.rpc(2)), '<data/>'));
    assert.equal((await next).ok, true);
    await m.close();
  });

  it('fails with SessionCloseError when the session dies mid-reply', async () => {
    const { m, peer } = await open();
    const stream = m.getConfigStream('running');
    const wire = Buffer.concat(encodeMessage(Buffer.from(rpcReply(messageIdOf(await peer.rpc(1)), interfaces(100))), peer.mode));
    peer.sendRaw(wire.subarray(0, wire.length >> 1));
    await settle();
    peer.end();
    await assert.rejects(stream.toArray(), SessionCloseError);
    await m.close();
  });

  it('reports argument and capability errors when read, sending nothing', async () => {
    const { m, peer } = await open();
    await assert.rejects(m.getConfigStream('startup').toArray(), /:startup/);
    await assert.rejects(m.getConfigStream('running', { depth: 0 }).toArray(), RangeError);
    await settle();
    assert.equal(peer.rpcs.length, 0);
    await m.close();
  });
});
