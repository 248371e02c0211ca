/**
 * RFC 5277 notifications of the simulator through the project's client: netconf-config-change on
 * commit, pushed events, filters, replay, stop time, streams, interleaved RPCs.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import type { Notification } from '../../src/rpc/notification.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { connectTo, IF_NS, interfaces, startSim } from './helpers.js';

const NCN = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';
const EX = 'urn:example:events';

let sim: Simulator;
before(async () => {
  sim = await startSim({ config: interfaces({ eth0: 1500 }), streams: { alarms: 'alarm events' } });
});
after(() => sim.close());

/** The next notification, or fail after `ms`. */
async function next(m: Manager, ms = 3000): Promise<Notification> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), ms);
  try {
    const n = await m.notifications().next(ac.signal);
    if (!n) throw new Error('notification stream ended');
    return n;
  } catch (err) {
    if (ac.signal.aborted) throw new Error(`no notification within ${ms} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** True when no notification arrives within `ms`. */
async function none(m: Manager, ms = 200): Promise<boolean> {
  return next(m, ms).then(
    () => false,
    () => true,
  );
}

describe('notifications', () => {
  it('sends netconf-config-change to subscribers on commit, with who changed what', async () => {
    const a = await connectTo(sim);
    const b = await connectTo(sim);
    try {
      assert.ok((await a.createSubscription()).ok);
      assert.ok(sim.sessions.find((s) => String(s.id) === a.sessionId)?.subscribed);
      await b.editConfig(`<interfaces xmlns="${IF_NS}"><interface><name>eth0</name><mtu>1400</mtu></interface><interface><name>eth1</name><mtu>9000</mtu></interface></interfaces>`);
      assert.ok(await none(a, 100), 'nothing before the commit');
      await b.commit();
      const n = await next(a);
      assert.equal(n.element?.local, 'netconf-config-change');
      assert.equal(n.element?.namespace, NCN);
      assert.ok(!Number.isNaN(n.eventDate.getTime()));
      const change = n.element;
      assert.equal(change?.find('changed-by/username')?.text, 'admin');
      assert.equal(change?.find('changed-by/session-id')?.text, b.sessionId);
      assert.equal(change?.childText('datastore'), 'running');
      const edits = (change?.findAll('edit') ?? []).map((e) => `${e.childText('operation')} ${e.childText('target')}`);
      assert.deepEqual(edits, ["replace /n1:interfaces/n1:interface[n1:name='eth0']/n1:mtu", "create /n1:interfaces/n1:interface[n1:name='eth1']"]);
      assert.equal(change?.find('edit/target')?.inScopeNamespaces().get('n1'), IF_NS);
      // RPCs go on while subscribed (:interleave); a second subscription is refused
      const err = await a.createSubscription().catch((e: unknown) => e);
      assert.ok(err instanceof RPCError && err.tag === 'in-use');
      // a confirmed commit rolled back: changed by the server
      await b.editConfig(interfaces({ eth0: 1 }));
      await b.commit({ confirmed: true, timeout: 60 });
      assert.equal((await next(a)).element?.find('changed-by/session-id')?.text, b.sessionId);
      await b.cancelCommit();
      assert.ok((await next(a)).element?.find('changed-by/server'));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('delivers pushed notifications, filtered per subscription', async () => {
    const all = await connectTo(sim);
    const subtree = await connectTo(sim);
    const xpath = await connectTo(sim);
    try {
      await all.createSubscription();
      await subtree.createSubscription({ filter: `<link-down xmlns="${EX}"/>` });
      await xpath.createSubscription({ filter: { xpath: "/ex:link-up[ex:if='eth1']", namespaces: { ex: EX } } });
      assert.equal(sim.pushNotification(`<link-up xmlns="${EX}"><if>eth0</if></link-up>`), 1);
      assert.equal(sim.pushNotification(`<link-down xmlns="${EX}"><if>eth0</if></link-down>`), 2);
      assert.equal(sim.pushNotification(`<link-up xmlns="${EX}"><if>eth1</if></link-up>`), 2);
      const seen = async (m: Manager, count: number): Promise<string[]> => {
        const out: string[] = [];
        for (let i = 0; i < count; i++) {
          const n = await next(m);
          out.push(`${n.element?.local} ${n.element?.childText('if')}`);
        }
        return out;
      };
      assert.deepEqual(await seen(all, 3), ['link-up eth0', 'link-down eth0', 'link-up eth1']);
      assert.deepEqual(await seen(subtree, 1), ['link-down eth0']);
      assert.deepEqual(await seen(xpath, 1), ['link-up eth1']);
      assert.ok(await none(subtree));
    } finally {
      await Promise.all([all.close(), subtree.close(), xpath.close()]);
    }
  });

  it('replays stored events from startTime, then says replayComplete; stopTime ends it', async () => {
    const t0 = new Date(Date.now() - 1000);
    sim.pushNotification(`<alarm xmlns="${EX}"><id>1</id></alarm>`, { stream: 'alarms', eventTime: new Date(Date.now() - 500) });
    sim.pushNotification(`<alarm xmlns="${EX}"><id>2</id></alarm>`, { stream: 'alarms' });
    const m = await connectTo(sim);
    try {
      await m.createSubscription({ stream: 'alarms', startTime: t0, stopTime: new Date(Date.now() + 1000) });
      assert.equal((await next(m)).element?.childText('id'), '1');
      assert.equal((await next(m)).element?.childText('id'), '2');
      assert.equal((await next(m)).element?.local, 'replayComplete');
      sim.pushNotification(`<alarm xmlns="${EX}"><id>3</id></alarm>`, { stream: 'alarms' });
      assert.equal((await next(m)).element?.childText('id'), '3');
      assert.equal((await next(m)).element?.local, 'notificationComplete');
      assert.equal(sim.pushNotification(`<alarm xmlns="${EX}"><id>4</id></alarm>`, { stream: 'alarms' }), 0);
      // the subscription is over: a new one is allowed
      await m.createSubscription({ stream: 'alarms' });
    } finally {
      await m.close();
    }
  });

  it('refuses an unknown stream, stopTime without startTime, and bad pushes', async () => {
    const m = await connectTo(sim);
    try {
      const err = await m.createSubscription({ stream: 'nope' }).catch((e: unknown) => e);
      assert.ok(err instanceof RPCError && err.tag === 'invalid-value');
      const err2 = await m.rpc('<create-subscription xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><stopTime>2030-01-01T00:00:00Z</stopTime></create-subscription>').catch((e: unknown) => e);
      assert.ok(err2 instanceof RPCError && err2.tag === 'missing-element');
      assert.throws(() => sim.pushNotification('<unclosed'), TypeError);
      assert.throws(() => sim.pushNotification(`<x xmlns="${EX}"/>`, { stream: 'nope' }), TypeError);
    } finally {
      await m.close();
    }
  });
});
