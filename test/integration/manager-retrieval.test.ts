/**
 * Manager against netconfd: retrieval (get, get-config with subtree and XPath filters,
 * with-defaults), get-schema, the generic rpc(), and operations refused before sending because
 * the server lacks a capability.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NCClientError } from '../../src/errors.js';
import type { Manager } from '../../src/manager.js';
import { MissingCapabilityError, OperationError } from '../../src/rpc/errors.js';
import type { WithDefaultsMode } from '../../src/operations/filter.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { parseXml } from '../../src/xml/parse.js';
import {
  BASE_NS,
  connectTo,
  findInterface,
  IF_NS,
  interfaceEntry,
  interfaceNames,
  interfaceNamesOf,
  interfaces,
  MONITORING_NS,
  spySends,
} from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

const WITH_DEFAULTS_ATTR_NS = 'urn:ietf:params:xml:ns:netconf:default:1.0';

let server: Netconfd;
let m: Manager;

before(async () => {
  server = await startNetconfd('mgr-retrieval');
  m = await connectTo(server);
  // eth0 sets `enabled` explicitly (to its default, true); eth1 leaves it to the default.
  await m.editConfig(interfaces(interfaceEntry('eth0', { description: 'first', enabled: true }), interfaceEntry('eth1', { description: 'second' })));
  await m.commit();
});

after(async () => {
  await m?.close();
  await server?.stop();
});

describe('get-config and get with filters', () => {
  it('a subtree filter selects one list entry, in each of its three spellings', async () => {
    const content = `<interfaces xmlns="${IF_NS}"><interface><name>eth1</name></interface></interfaces>`;
    for (const filter of [content, { subtree: content }, `<filter type="subtree">${content}</filter>`]) {
      const reply = await m.getConfig('running', { filter });
      assert.equal(reply.ok, true);
      assert.deepEqual(interfaceNamesOf(reply), ['eth1']);
      assert.equal(findInterface(reply, 'eth1')?.childText('description', IF_NS), 'second');
    }
    // the data serialized on its own keeps the namespaces it needs, and parses back
    const reply = await m.getConfig('running', { filter: content });
    const data = parseXml(reply.dataXml ?? '');
    assert.equal(data.local, 'data');
    assert.equal(data.namespace, BASE_NS);
    assert.equal(data.find('interfaces/interface/name')?.namespace, IF_NS);
    assert.equal(data.find('interfaces/interface/name')?.text, 'eth1');
    // unfiltered, both are there: the filter did the selecting
    assert.deepEqual(await interfaceNames(m), ['eth0', 'eth1']);
  });

  it('an XPath filter (with its namespace prefixes) selects one list entry', async () => {
    const reply = await m.getConfig('running', { filter: { xpath: "/if:interfaces/if:interface[if:name='eth0']", namespaces: { if: IF_NS } } });
    assert.deepEqual(interfaceNamesOf(reply), ['eth0']);
    const eth0 = findInterface(reply, 'eth0');
    assert.equal(eth0?.childText('description', IF_NS), 'first');
    // the identity value keeps its prefix declaration when serialized on its own
    assert.match(eth0?.child('type', IF_NS)?.toString() ?? '', /xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type"[^>]*>ianaift:ethernetCsmacd</);
  });

  it('get returns state data (our own session in netconf-state) that get-config does not', async () => {
    const xpath = `/ncm:netconf-state/ncm:sessions/ncm:session[ncm:session-id=${String(m.sessionId)}]`;
    const state = await m.get({ filter: { xpath, namespaces: { ncm: MONITORING_NS } } });
    const sessions = state.data?.findAll('netconf-state/sessions/session') ?? [];
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.childText('session-id', MONITORING_NS), m.sessionId);
    assert.equal(sessions[0]?.childText('username', MONITORING_NS), server.username);

    const config = await m.getConfig('running', { filter: `<netconf-state xmlns="${MONITORING_NS}"/>` });
    assert.ok(config.data, 'get-config answers with <data>');
    assert.equal(config.data.elements.length, 0, 'no state data in get-config');

    // and <get> includes configuration too, filtered by subtree
    const both = await m.get({ filter: `<interfaces xmlns="${IF_NS}"/>` });
    assert.deepEqual(interfaceNamesOf(both), ['eth0', 'eth1']);
  });

  it('with-defaults: every mode the server advertises, with its effect on a default leaf', async () => {
    const cap = m.serverCapabilities.get(':with-defaults');
    assert.ok(cap, 'netconfd advertises :with-defaults');
    const advertised = [cap.parameters['basic-mode'], ...(cap.parameters['also-supported'] ?? '').split(',')].filter(Boolean).sort();
    assert.deepEqual(advertised, ['explicit', 'report-all', 'report-all-tagged', 'trim']);

    const enabled = async (mode: WithDefaultsMode, name: string) => {
      const reply = await m.getConfig('running', { filter: `<interfaces xmlns="${IF_NS}"/>`, withDefaults: mode });
      return findInterface(reply, name)?.child('enabled', IF_NS);
    };
    // explicit: what was set, even when equal to the default
    assert.equal((await enabled('explicit', 'eth0'))?.text, 'true');
    assert.equal(await enabled('explicit', 'eth1'), undefined);
    // trim: nothing equal to its default
    assert.equal(await enabled('trim', 'eth0'), undefined);
    assert.equal(await enabled('trim', 'eth1'), undefined);
    // report-all: defaults filled in
    assert.equal((await enabled('report-all', 'eth0'))?.text, 'true');
    assert.equal((await enabled('report-all', 'eth1'))?.text, 'true');
    // report-all-tagged: filled in and tagged wd:default="true"
    const tagged = await enabled('report-all-tagged', 'eth1');
    assert.equal(tagged?.text, 'true');
    assert.equal(tagged?.attributes[`{${WITH_DEFAULTS_ATTR_NS}}default`], 'true');
  });

  it('a with-defaults mode the server does not advertise is refused before sending, and not as MissingCapabilityError', async () => {
    const sent = spySends(m);
    const bogus = 'report-nothing' as WithDefaultsMode;
    for (const call of [() => m.getConfig('running', { withDefaults: bogus }), () => m.get({ withDefaults: bogus })]) {
      await assert.rejects(call(), (err: Error) => {
        assert.ok(err instanceof TypeError, String(err));
        assert.ok(!(err instanceof MissingCapabilityError));
        assert.match(err.message, /report-nothing/);
        // it names what the server does support, read from the hello
        assert.match(err.message, /explicit/);
        assert.match(err.message, /report-all-tagged/);
        return true;
      });
    }
    assert.equal(sent.length, 0, 'nothing sent');
    assert.equal(m.pendingRequests, 0);
    assert.deepEqual(await interfaceNames(m), ['eth0', 'eth1'], 'the session still works');
  });
});

describe('get-schema', () => {
  it('fetches ietf-interfaces at the revision the hello advertises', async () => {
    const module = m.serverCapabilities.modules().get('ietf-interfaces');
    const revision = module?.parameters['revision'];
    assert.equal(revision, '2014-05-08');
    const reply = await m.getSchema('ietf-interfaces', { version: revision, format: 'yang' });
    assert.equal(reply.data?.namespace, MONITORING_NS);
    const text = reply.data?.textContent ?? '';
    assert.match(text, /^\s*module ietf-interfaces \{/);
    assert.match(text, /namespace "urn:ietf:params:xml:ns:yang:ietf-interfaces";/);
    assert.match(text, /revision 2014-05-08 \{/);
  });

  it('an unknown module is an RPCError about the identifier', async () => {
    await assert.rejects(m.getSchema('no-such-module'), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.tag, 'operation-failed');
      assert.match(err.path ?? '', /get-schema\/ncm:identifier$/);
      return true;
    });
  });
});

describe('generic rpc()', () => {
  it('sends any operation and returns its reply', async () => {
    const reply = await m.rpc('<get-config><source><running/></source></get-config>');
    assert.equal(reply.ok, true);
    assert.deepEqual(interfaceNamesOf(reply), ['eth0', 'eth1']);
    // the message-id it was sent with is the one in the reply
    assert.equal(reply.document.attributes['message-id'], reply.messageId);
  });

  it('an operation the server does not know is an RPCError; a whole <rpc> or nothing is refused before sending', async () => {
    await assert.rejects(m.rpc('<no-such-operation xmlns="urn:example:none"/>'), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.type, 'rpc');
      assert.equal(err.tag, 'unknown-namespace');
      assert.equal(err.info['bad-namespace'], 'urn:example:none');
      return true;
    });
    const sent = spySends(m);
    await assert.rejects(m.rpc('<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get/></rpc>'), TypeError);
    await assert.rejects(m.rpc('   '), TypeError);
    await assert.rejects(m.rpc('<get/>', { capability: ':writable-running' }), (err: Error) => err instanceof MissingCapabilityError && err.capability === ':writable-running');
    assert.equal(sent.length, 0);
    assert.equal((await m.rpc('<get-config><source><candidate/></source></get-config>', { capability: ':candidate' })).ok, true);
  });
});

describe('capabilities netconfd lacks', () => {
  it('fail with MissingCapabilityError naming the capability, before anything is sent', async () => {
    assert.equal(m.serverCapabilities.has(':writable-running'), false, 'netconfd runs with --target=candidate');
    const sent = spySends(m);
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [() => m.editConfig(interfaces(interfaceEntry('eth9')), { target: 'running' }), /^:writable-running$/],
      [() => m.getData('running'), /ietf-netconf-nmda/],
      [() => m.editData('running', interfaces(interfaceEntry('eth9'))), /ietf-netconf-nmda/],
      [() => m.establishSubscription(), /ietf-subscribed-notifications/],
      [() => m.deleteSubscription(1), /ietf-subscribed-notifications/],
    ];
    for (const [call, capability] of cases) {
      await assert.rejects(call(), (err: Error) => {
        assert.ok(err instanceof MissingCapabilityError, String(err));
        assert.ok(err instanceof OperationError);
        assert.ok(err instanceof NCClientError);
        assert.match(err.capability, capability);
        assert.ok(err.message.includes(err.capability), err.message);
        return true;
      });
    }
    assert.equal(sent.length, 0, `nothing sent, got ${sent.join('\n')}`);
    assert.equal(m.pendingRequests, 0);
    // running stays untouched and the session usable
    assert.deepEqual(await interfaceNames(m), ['eth0', 'eth1']);
  });
});
