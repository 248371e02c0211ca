/**
 * Fault injection, and how the project's client reacts to each fault: delays (TimeoutExpiredError),
 * dropped connections (SessionCloseError), stalls, broken framing (NetconfFramingError), wrong
 * message-ids (onUnknownReply), multi-MB replies received whole, hello faults.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { TimeoutExpiredError } from '../../src/rpc/errors.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { RPCReply } from '../../src/rpc/rpc-reply.js';
import { BULK_NS, type MalformedFraming, type Simulator } from '../../src/simulator/index.js';
import { BASE_1_0 } from '../../src/transport/capabilities.js';
import { HelloError, NetconfFramingError, SessionCloseError } from '../../src/transport/errors.js';
import { MalformedMessageError, TransportError } from '../../src/errors.js';
import { connectTo, interfaces, startSim, waitFor } from './helpers.js';

let sim: Simulator;
before(async () => {
  sim = await startSim({ config: interfaces({ eth0: 1500 }) });
});
after(() => sim.close());

/** Errors the session reports to its listeners. */
function sessionErrors(m: Manager): Error[] {
  const errors: Error[] = [];
  m.session.addListener({ callback: () => undefined, errback: (e) => errors.push(e) });
  return errors;
}

describe('delay', () => {
  it('a reply later than the call timeout gives TimeoutExpiredError; the session goes on', async () => {
    const m = await connectTo(sim);
    try {
      const rule = sim.faults.next({ operation: 'get-config', delay: 600 });
      await assert.rejects(m.getConfig('running', { timeout: 0.2 }), TimeoutExpiredError);
      assert.equal(rule.hits, 1);
      assert.equal(rule.active, false);
      // the late reply is dropped by the client; the next call is answered after it
      assert.ok((await m.getConfig('running')).ok);
      const t0 = Date.now();
      sim.faults.next({ operation: 'get', delay: 300 });
      assert.ok((await m.get({ timeout: 5 })).ok);
      assert.ok(Date.now() - t0 >= 290);
    } finally {
      await m.close();
    }
  });
});

describe('drop', () => {
  it('a connection dropped mid-reply gives SessionCloseError with the partial reply', async () => {
    const m = await connectTo(sim);
    const other = await connectTo(sim);
    try {
      const errors = sessionErrors(m);
      sim.faults.next({ operation: 'get-config', drop: { afterBytes: 40 } });
      const err = await m.getConfig('running').then(
        () => assert.fail('expected SessionCloseError'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof SessionCloseError, String(err));
      assert.equal(m.connected, false);
      assert.ok(errors.some((e) => e instanceof SessionCloseError && e.inBuf.length > 0), 'errback got the unfinished message');
      assert.ok((await other.getConfig('running')).ok, 'other sessions are not affected');
    } finally {
      await Promise.all([m.close(), other.close()]);
    }
  });

  it('sim.disconnect drops a session from the server side', async () => {
    const m = await connectTo(sim);
    const errors = sessionErrors(m);
    assert.equal(sim.disconnect(Number(m.sessionId)), true);
    assert.equal(sim.disconnect(99999), false);
    await waitFor(() => !m.connected, 10_000, 'the client to notice');
    assert.ok(errors[0] instanceof SessionCloseError);
    await assert.rejects(m.get(), TransportError);
    await m.close();
  });
});

describe('stall', () => {
  it('half a reply and then silence: the call times out, later ones too', async () => {
    const m = await connectTo(sim);
    try {
      sim.faults.next({ operation: 'get', stall: true });
      await assert.rejects(m.get({ timeout: 0.3 }), TimeoutExpiredError);
      assert.ok(m.connected);
      await assert.rejects(m.getConfig('running', { timeout: 0.2 }), TimeoutExpiredError);
    } finally {
      await m.close();
    }
  });
});

describe('malformed framing', () => {
  for (const variant of ['zero-chunk', 'bad-header', 'garbage'] as const satisfies readonly MalformedFraming[]) {
    it(`${variant}: NetconfFramingError, and the session closes`, async () => {
      const m = await connectTo(sim);
      const errors = sessionErrors(m);
      sim.faults.next({ operation: 'get-config', malformedFraming: variant });
      await assert.rejects(m.getConfig('running'), NetconfFramingError);
      assert.equal(m.connected, false);
      assert.ok(errors.some((e) => e instanceof NetconfFramingError));
      await m.close();
    });
  }

  it('in base:1.0 the reply is replaced by non-XML: MalformedMessageError, then a timeout', async () => {
    const m = await connectTo(sim, { capabilities: [BASE_1_0] });
    try {
      const errors = sessionErrors(m);
      sim.faults.next({ operation: 'get', malformedFraming: true });
      await assert.rejects(m.get({ timeout: 0.3 }), TimeoutExpiredError);
      await waitFor(() => errors.some((e) => e instanceof MalformedMessageError), 5000, 'MalformedMessageError');
    } finally {
      await m.close();
    }
  });
});

describe('wrong message-id, rpc-error, no reply, raw reply', () => {
  it('a reply with another message-id goes to onUnknownReply', async () => {
    const unknown: RPCReply[] = [];
    const m = await connectTo(sim, { onUnknownReply: (r) => unknown.push(r) });
    try {
      sim.faults.next({ operation: 'get', messageId: 'not-yours' });
      await assert.rejects(m.get({ timeout: 0.3 }), TimeoutExpiredError);
      await waitFor(() => unknown.length === 1, 5000, 'the unknown reply');
      assert.equal(unknown[0]?.messageId, 'not-yours');
      assert.ok(unknown[0]?.data);
    } finally {
      await m.close();
    }
  });

  it('rpcError replaces the reply; noReply swallows it; rawReply sends anything', async () => {
    const m = await connectTo(sim);
    try {
      sim.faults.next({ operation: 'edit-config', rpcError: { type: 'application', tag: 'resource-denied', message: 'disk full' } });
      const err = await m.editConfig(interfaces({ eth0: 1 })).catch((e: unknown) => e);
      assert.ok(err instanceof RPCError && err.tag === 'resource-denied' && err.message === 'disk full');
      assert.doesNotMatch(sim.datastore('candidate'), /<mtu>1<\/mtu>/, 'the edit was not carried out');
      sim.faults.next({ operation: 'lock', noReply: true });
      await assert.rejects(m.lock('running', { timeout: 0.2 }), TimeoutExpiredError);
      await waitFor(() => sim.sessions.find((s) => String(s.id) === m.sessionId)?.locks[0] === 'running', 5000, 'the lock to be taken anyway');
      sim.faults.next({ operation: 'get', rawReply: '<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><ok/></rpc-reply>' });
      assert.ok((await m.get()).isOkElement, 'a reply without message-id goes to the only pending RPC');
    } finally {
      await m.close();
    }
  });
});

describe('big replies', () => {
  const size = 8 * 1024 * 1024;

  for (const framing of ['chunked', 'eom'] as const) {
    it(`an ${size >> 20} MB reply arrives whole (${framing})`, async () => {
      const m = await connectTo(sim, framing === 'eom' ? { capabilities: [BASE_1_0] } : {});
      try {
        assert.equal(m.session.framing, framing);
        sim.faults.next({ operation: 'get', bigReply: size });
        const reply = await m.get({ timeout: 30 });
        const { xml } = reply;
        assert.ok(xml.length >= size, `${xml.length} bytes`);
        assert.ok(xml.startsWith(`<rpc-reply message-id="${reply.messageId}"`) && xml.endsWith('</bulk></data></rpc-reply>'));
        // every item, in order (counted in the text: parsing 8 MB into a tree takes seconds)
        const count = xml.split('<item>').length - 1;
        assert.ok(count > 50_000);
        assert.ok(xml.endsWith(`<item><id>${count}</id><value>${'x'.repeat(100)}</value></item></bulk></data></rpc-reply>`));
        if (framing === 'chunked') {
          // well-formed XML too (on a smaller one)
          sim.faults.next({ operation: 'get', bigReply: 1 << 20 });
          const small = await m.get();
          const items = small.data?.find('bulk');
          assert.equal(items?.namespace, BULK_NS);
          assert.equal(items?.elements.length, small.xml.split('<item>').length - 1);
        }
        assert.ok((await m.getConfig('running')).ok, 'the session is fine afterwards');
      } finally {
        await m.close();
      }
    });
  }

  it('a big reply dropped half-way', async () => {
    const m = await connectTo(sim);
    sim.faults.next({ operation: 'get', bigReply: size, drop: true });
    const err = await m.get({ timeout: 30 }).catch((e: unknown) => e);
    assert.ok(err instanceof SessionCloseError, String(err));
    await m.close();
  });
});

describe('rules', () => {
  it('match by session, operation list and predicate; always() until removed', async () => {
    const a = await connectTo(sim);
    const b = await connectTo(sim);
    try {
      const rule = sim.faults.always({ sessionId: Number(a.sessionId), operation: ['get', 'get-config'], rpcError: { tag: 'operation-failed', message: 'flaky' } });
      await assert.rejects(a.get(), RPCError);
      await assert.rejects(a.getConfig('running'), RPCError);
      assert.ok((await a.validate('running')).ok, 'another operation');
      assert.ok((await b.get()).ok, 'another session');
      assert.equal(rule.hits, 2);
      assert.deepEqual(sim.faults.rules, [rule]);
      rule.remove();
      assert.ok((await a.get()).ok);
      sim.faults.next({ match: (rpc) => rpc.element?.find('source/startup') !== undefined, rpcError: { tag: 'access-denied' } });
      assert.ok((await a.getConfig('running')).ok);
      const denied = await a.getConfig('startup').catch((e: unknown) => e);
      assert.ok(denied instanceof RPCError && denied.tag === 'access-denied');
      sim.faults.next({ operation: 'get', noReply: true });
      sim.faults.clear();
      assert.deepEqual(sim.faults.rules, []);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses contradictory or invalid rules', () => {
    assert.throws(() => sim.faults.next({ stall: true, drop: true }), TypeError);
    assert.throws(() => sim.faults.next({ bigReply: 10, rawReply: 'x' }), TypeError);
    assert.throws(() => sim.faults.next({ delay: -1 }), TypeError);
    assert.throws(() => sim.faults.next({ bigReply: 0 }), TypeError);
    assert.throws(() => sim.faults.add({ delay: 1 }, 0), TypeError);
    assert.deepEqual(sim.faults.rules, []);
  });
});

describe('hello faults', () => {
  it('a hello later than helloTimeout gives HelloError; a garbled one too; a dropped one closes', async () => {
    sim.faults.next({ operation: 'hello', delay: 1500 });
    await assert.rejects(connectTo(sim, { helloTimeout: 0.3 }), HelloError);
    sim.faults.next({ operation: 'hello', malformedFraming: true });
    await assert.rejects(connectTo(sim), HelloError);
    sim.faults.next({ operation: 'hello', rawReply: '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>' });
    await assert.rejects(connectTo(sim), /no session-id/);
    sim.faults.next({ operation: 'hello', drop: true });
    await assert.rejects(connectTo(sim), TransportError);
    const m = await connectTo(sim);
    assert.ok(m.connected, 'hello faults are one-shot');
    await m.close();
  });
});
