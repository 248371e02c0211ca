/**
 * Manager against netconfd: RFC 5277 notifications (netconfd sends netconf-config-change on
 * commit), the bounded notification buffer, and many RPCs in flight on one session.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import type { Notification } from '../../src/rpc/notification.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { connectTo, IF_NS, interfaceEntry, interfaceNamesOf, interfaces, messageIdOf, NC_NOTIFICATIONS_NS, spySends, waitUntil } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

const CONFIG_CHANGE_FILTER = `<netconf-config-change xmlns="${NC_NOTIFICATIONS_NS}"/>`;

let server: Netconfd;
let editor: Manager;

before(async () => {
  server = await startNetconfd('mgr-notifications');
  editor = await connectTo(server);
  await editor.editConfig(interfaces(interfaceEntry('eth0', { description: 'zero' }), interfaceEntry('eth1', { description: 'one' })));
  await editor.commit();
});

after(async () => {
  await editor?.close();
  await server?.stop();
});

/** Commit a new interface `name` from the editor session. */
async function commitInterface(name: string): Promise<void> {
  await editor.editConfig(interfaces(interfaceEntry(name)));
  await editor.commit();
}

/** The XPath of the first edit target of a netconf-config-change. */
function editTarget(n: Notification): string | undefined {
  return n.element?.find('edit/target')?.text.trim();
}

describe('notifications', () => {
  it('create-subscription, then a commit: netconf-config-change arrives through for await', { timeout: 20_000 }, async () => {
    const subscriber = await connectTo(server);
    try {
      const reply = await subscriber.createSubscription();
      assert.equal(reply.isOkElement, true);
      const before = Date.now();
      await commitInterface('ntf1');
      let change: Notification | undefined;
      const seen: string[] = [];
      for await (const n of subscriber.notifications()) {
        seen.push(n.element?.local ?? '?');
        if (n.element?.local === 'netconf-config-change') {
          change = n;
          break;
        }
      }
      assert.ok(change, `no netconf-config-change among ${seen.join(', ')}`);
      assert.equal(change.element?.namespace, NC_NOTIFICATIONS_NS);
      assert.match(change.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      assert.ok(!Number.isNaN(change.eventDate.getTime()), change.eventTime);
      // netconfd's eventTime has whole seconds; same machine, same clock
      assert.ok(Math.abs(change.eventDate.getTime() - before) < 60_000, `eventTime ${change.eventTime}`);
      assert.equal(change.droppedBefore, 0);
      assert.equal(change.document.local, 'notification');
      assert.equal(change.element?.find('changed-by/session-id')?.text.trim(), editor.sessionId);
      assert.equal(editTarget(change), "/if:interfaces/if:interface[if:name='ntf1']");
      assert.match(change.raw, /<notification/);
      // RPCs still work on a subscribed session (netconfd has :interleave)
      assert.ok(subscriber.serverCapabilities.has(':interleave'));
      assert.ok(interfaceNamesOf(await subscriber.getConfig('running')).includes('ntf1'));
    } finally {
      await subscriber.close();
    }
  });

  it('a subscription filter keeps out other events; the loop ends when the manager closes', { timeout: 20_000 }, async () => {
    const subscriber = await connectTo(server);
    await subscriber.createSubscription({ filter: CONFIG_CHANGE_FILTER });
    // session start and end would be notified without the filter
    const passer = await connectTo(server);
    await passer.close();
    await commitInterface('ntf2');
    const received: Notification[] = [];
    const loop = (async () => {
      for await (const n of subscriber.notifications()) received.push(n);
    })();
    await waitUntil('the config change of ntf2', () => received.some((n) => editTarget(n)?.includes("'ntf2'")), 10_000);
    assert.deepEqual(
      received.map((n) => n.element?.local),
      received.map(() => 'netconf-config-change'),
    );
    await subscriber.close();
    await loop; // ends, without an error, once the manager is closed
  });

  it('a buffer too small drops the oldest notifications and says how many were lost', { timeout: 20_000 }, async () => {
    const small = await connectTo(server, { notificationBuffer: 1 });
    const reference = await connectTo(server);
    try {
      await Promise.all([small.createSubscription({ filter: CONFIG_CHANGE_FILTER }), reference.createSubscription({ filter: CONFIG_CHANGE_FILTER })]);
      const queue = small.notifications();
      assert.equal(queue.capacity, 1);
      for (const name of ['drop1', 'drop2', 'drop3']) await commitInterface(name);

      // all three have reached the reference subscriber …
      const seen: string[] = [];
      for await (const n of reference.notifications()) {
        seen.push(editTarget(n) ?? '');
        if (seen.length === 3) break;
      }
      assert.deepEqual(seen, ["'drop1'", "'drop2'", "'drop3'"].map((name) => `/if:interfaces/if:interface[if:name=${name}]`));
      // … and to the small one, which kept only the newest
      await waitUntil('two notifications dropped', () => queue.dropped === 2, 10_000, 20);
      assert.equal(queue.size, 1);
      const kept = await queue.next();
      assert.equal(editTarget(kept as Notification), "/if:interfaces/if:interface[if:name='drop3']");
      assert.equal(kept?.droppedBefore, 2, 'both losses are reported on the next notification');
      assert.equal(queue.size, 0);

      // reading keeps up again: nothing lost
      await commitInterface('drop4');
      const next = await queue.next();
      assert.equal(editTarget(next as Notification), "/if:interfaces/if:interface[if:name='drop4']");
      assert.equal(next?.droppedBefore, 0);
      assert.equal(queue.dropped, 2);
    } finally {
      await Promise.all([small.close(), reference.close()]);
    }
  });
});

describe('many RPCs in flight on one session', () => {
  const filterFor = (name: string): string => `<interfaces xmlns="${IF_NS}"><interface><name>${name}</name></interface></interfaces>`;

  it('200 get-config at once: distinct message-ids, each reply matched to its own call', { timeout: 30_000 }, async () => {
    const m = await connectTo(server);
    try {
      const sent = spySends(m);
      const names = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'eth0' : 'eth1'));
      const calls = names.map((name) => m.getConfig('running', { filter: filterFor(name) }));
      assert.equal(m.pendingRequests, 200, 'all 200 sent before any reply');
      assert.equal(sent.length, 200);
      const replies = await Promise.all(calls);
      assert.equal(m.pendingRequests, 0);

      const sentIds = sent.map(messageIdOf);
      assert.equal(new Set(sentIds).size, 200, 'distinct message-ids');
      replies.forEach((reply, i) => {
        assert.equal(reply.messageId, sentIds[i], `reply ${i} answers request ${i}`);
        assert.equal(reply.document.attributes['message-id'], reply.messageId);
        assert.deepEqual(interfaceNamesOf(reply), [names[i]], `reply ${i} has the content its filter asked for`);
        assert.equal(reply.data?.find('interfaces/interface/description')?.text, names[i] === 'eth0' ? 'zero' : 'one');
      });
    } finally {
      await m.close();
    }
  });

  it('failures in flight go to their own calls: get-config and a failing get-schema interleaved', { timeout: 30_000 }, async () => {
    const m = await connectTo(server);
    try {
      const calls = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? m.getSchema(`no-such-module-${i}`) : m.getConfig('running', { filter: filterFor(i % 3 === 0 ? 'eth0' : 'eth1') })));
      const results = await Promise.allSettled(calls);
      results.forEach((result, i) => {
        if (i % 3 === 2) {
          assert.equal(result.status, 'rejected', `call ${i}`);
          assert.ok(result.status === 'rejected' && result.reason instanceof RPCError && result.reason.tag === 'operation-failed', `call ${i}`);
        } else {
          assert.equal(result.status, 'fulfilled', `call ${i}`);
          assert.ok(result.status === 'fulfilled');
          assert.deepEqual(interfaceNamesOf(result.value), [i % 3 === 0 ? 'eth0' : 'eth1'], `call ${i}`);
        }
      });
      assert.equal(m.connected, true);
    } finally {
      await m.close();
    }
  });
});
