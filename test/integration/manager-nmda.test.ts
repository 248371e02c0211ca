/**
 * Manager against netconfd started with --with-nmda=true: get-data and edit-data (RFC 8526).
 *
 * What netconfd 2.13 really does with them (checked by hand, see the assertions below):
 * - get-data validates every input parameter against its ietf-netconf-nmda YANG (datastore
 *   identity, subtree-filter, xpath-filter syntax and prefixes, config-filter, origin filters,
 *   max-depth, with-origin, with-defaults) and rejects a bad one at its path, but then ignores
 *   them: whatever the datastore and filters, it answers with the whole operational view (the
 *   running configuration with or:origin metadata, plus state such as modules-state). So these
 *   tests check that what getData sends is accepted and that the reply is read, not filtering.
 * - edit-data has no implementation: netconfd does not recognise the `config` anydata of the
 *   mandatory `edit-content` choice and answers every inline edit with data-missing /
 *   missing-choice. The test pins that down (and shows the request reached edit-data with a valid
 *   datastore); it will fail, and should then be turned into a real edit test, on a netconfd
 *   that implements edit-data.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import type { NmdaDatastore } from '../../src/operations/nmda.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { connectTo, findInterface, IF_NS, interfaceEntry, interfaceNames, interfaces, spySends } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

const NMDA_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda';
const ORIGIN_NS = 'urn:ietf:params:xml:ns:yang:ietf-origin';
const DATASTORES_NS = 'urn:ietf:params:xml:ns:yang:ietf-datastores';

let server: Netconfd;
let m: Manager;

before(async () => {
  server = await startNetconfd('mgr-nmda', { nmda: true });
  m = await connectTo(server);
  await m.editConfig(interfaces(interfaceEntry('nmda0', { description: 'intended' })));
  await m.commit();
});

after(async () => {
  await m?.close();
  await server?.stop();
});

describe('NMDA on netconfd --with-nmda=true', () => {
  it('advertises ietf-netconf-nmda, ietf-datastores and ietf-origin', () => {
    const modules = m.serverCapabilities.modules();
    assert.ok(modules.has('ietf-netconf-nmda'));
    assert.ok(modules.has('ietf-datastores'));
    assert.ok(modules.has('ietf-origin'));
    assert.ok(m.serverCapabilities.has(NMDA_NS));
    assert.ok(m.serverCapabilities.has(DATASTORES_NS));
  });

  it("getData('running', subtree filter) returns the committed configuration in the NMDA <data>", async () => {
    const sent = spySends(m);
    const reply = await m.getData('running', { filter: `<interfaces xmlns="${IF_NS}"><interface><name>nmda0</name></interface></interfaces>` });
    assert.match(sent[0] ?? '', /<datastore>ds:running<\/datastore><subtree-filter><interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">/);
    assert.equal(reply.data?.namespace, NMDA_NS);
    assert.equal(reply.data?.local, 'data');
    assert.equal(findInterface(reply, 'nmda0')?.childText('description', IF_NS), 'intended');
  });

  it("getData('operational', XPath filter, with-origin) reports where the configuration comes from", async () => {
    const reply = await m.getData('operational', {
      filter: { xpath: "/if:interfaces/if:interface[if:name='nmda0']", namespaces: { if: IF_NS } },
      withOrigin: true,
    });
    const nmda0 = findInterface(reply, 'nmda0');
    assert.ok(nmda0, reply.xml);
    assert.equal(nmda0.attributes[`{${ORIGIN_NS}}origin`], 'or:intended');
    // the prefix of the identity value resolves, in the reply and in the serialized element
    assert.equal(nmda0.inScopeNamespaces().get('or'), ORIGIN_NS);
    assert.match(nmda0.toString(), /xmlns:or="urn:ietf:params:xml:ns:yang:ietf-origin"/);
  });

  it('every get-data parameter getData encodes is accepted by the server\'s YANG validation', async () => {
    const datastores: NmdaDatastore[] = ['running', 'candidate', 'startup', 'intended', 'operational'];
    for (const datastore of datastores) {
      const reply = await m.getData(datastore, {
        filter: { subtree: `<interfaces xmlns="${IF_NS}"/>` },
        configFilter: true,
        maxDepth: 5,
        withDefaults: 'report-all',
      });
      assert.equal(reply.ok, true, datastore);
      assert.ok(findInterface(reply, 'nmda0'), datastore);
    }
    // the origin parameters exist for the operational datastore only (YANG `when`)
    const origins = await m.getData('operational', { originFilter: ['intended', 'system'], withOrigin: true });
    assert.ok(findInterface(origins, 'nmda0'));
    const negated = await m.getData('operational', { negatedOriginFilter: ['system'], configFilter: false });
    assert.equal(negated.ok, true);
  });

  it('a get-data parameter the server refuses is an RPCError at that parameter', async () => {
    await assert.rejects(m.getData('operational', { originFilter: ['no-such-origin'] }), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.tag, 'invalid-value');
      assert.match(err.path ?? '', /\/ncds:get-data\/ncds:origin-filter/);
      return true;
    });
    await assert.rejects(m.getData('running', { withOrigin: true }), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.match(err.path ?? '', /\/ncds:get-data\/ncds:with-origin/);
      assert.match(err.message, /when/);
      return true;
    });
    await assert.rejects(m.getData('running', { filter: { xpath: '/if:interfaces[', namespaces: { if: IF_NS } } }), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.path, '/nc:rpc/ncds:get-data/ncds:xpath-filter');
      return true;
    });
  });

  it('bad arguments are refused before sending', async () => {
    const sent = spySends(m);
    await assert.rejects(m.getData('running', { maxDepth: 0 }), TypeError);
    await assert.rejects(m.getData('not a datastore' as NmdaDatastore), TypeError);
    await assert.rejects(m.getData('running', { filter: { xpath: '/x:y', namespaces: { 'bad prefix': 'urn:x' } } }), TypeError);
    assert.equal(sent.length, 0);
  });

  it('edit-data: netconfd 2.13 does not implement inline config (missing-choice); nothing changes', async () => {
    const candidateBefore = await interfaceNames(m, 'candidate');
    const sent = spySends(m);
    await assert.rejects(m.editData('candidate', interfaces(interfaceEntry('nmda1')), { defaultOperation: 'merge' }), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.tag, 'data-missing');
      assert.equal(err.appTag, 'missing-choice');
      assert.equal(err.path, '/nc:rpc/ncds:edit-data');
      return true;
    });
    // RFC 8526's encoding: config in the ietf-netconf-nmda namespace, datastore as an identity
    assert.match(sent[0] ?? '', /<edit-data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-nmda" xmlns:ds="urn:ietf:params:xml:ns:yang:ietf-datastores"><datastore>ds:candidate<\/datastore><default-operation>merge<\/default-operation><config><interfaces /);
    assert.deepEqual(await interfaceNames(m, 'candidate'), candidateBefore);
  });
});
