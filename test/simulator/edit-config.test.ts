/**
 * RFC 6241 edit-config semantics of the simulator, through the project's client: every
 * operation, default-operation, error-option, test-option, list entries, leaf-lists, and the
 * other datastore operations (copy-config, delete-config, validate, discard-changes).
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { connectTo, IF_NS, interfaces, NC_NS, startSim } from './helpers.js';

const XC = `xmlns:xc="${NC_NS}"`;
const SYS_NS = 'urn:example:system';

let sim: Simulator;
let m: Manager;

before(async () => {
  sim = await startSim();
  m = await connectTo(sim);
});
after(async () => {
  await m.close();
  await sim.close();
});
beforeEach(() => {
  sim.setDatastore('running', `${interfaces({ eth0: 1500, eth1: 9000 })}<system xmlns="${SYS_NS}"><hostname>r1</hostname><dns>1.1.1.1</dns><dns>8.8.8.8</dns></system>`);
  sim.setDatastore('candidate', sim.datastore('running'));
  sim.setDatastore('startup', sim.datastore('running'));
});

/** interface name → mtu in a datastore (as the client reads it). */
async function mtus(source: 'running' | 'candidate' | 'startup' = 'candidate'): Promise<Record<string, string | undefined>> {
  const reply = await m.getConfig(source, { filter: `<interfaces xmlns="${IF_NS}"/>` });
  const out: Record<string, string | undefined> = {};
  for (const i of reply.data?.findAll('interfaces/interface') ?? []) out[i.childText('name') ?? '?'] = i.childText('mtu');
  return out;
}

async function rpcError(promise: Promise<unknown>): Promise<RPCError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RPCError) return err;
    throw err;
  }
  assert.fail('expected an RPCError');
}

describe('operations', () => {
  it('merge (default): changes a leaf, adds a list entry, keeps the rest', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}"><interface><name>eth0</name><mtu>1400</mtu></interface><interface><name>eth2</name><mtu>1280</mtu></interface></interfaces>`);
    assert.deepEqual(await mtus(), { eth0: '1400', eth1: '9000', eth2: '1280' });
    assert.deepEqual(await mtus('running'), { eth0: '1500', eth1: '9000' }, 'running untouched before commit');
  });

  it('replace: the entry becomes exactly the new content', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="replace"><name>eth1</name><description>uplink</description></interface></interfaces>`);
    const reply = await m.getConfig('candidate', { filter: `<interfaces xmlns="${IF_NS}"><interface><name>eth1</name></interface></interfaces>` });
    const eth1 = reply.data?.find('interfaces/interface');
    assert.equal(eth1?.childText('description'), 'uplink');
    assert.equal(eth1?.childText('mtu'), undefined);
  });

  it('create: adds a new entry, and data-exists for an existing one', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="create"><name>eth7</name><mtu>1000</mtu></interface></interfaces>`);
    assert.equal((await mtus())['eth7'], '1000');
    const err = await rpcError(m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="create"><name>eth0</name><mtu>1000</mtu></interface></interfaces>`));
    assert.equal(err.tag, 'data-exists');
    assert.equal(err.type, 'application');
    assert.match(err.path ?? '', /interface\[.*name='eth0'\]/);
    assert.equal((await mtus())['eth0'], '1500', 'a failed edit changes nothing');
  });

  it('delete: removes an entry, and data-missing for an absent one', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="delete"><name>eth1</name></interface></interfaces>`);
    assert.deepEqual(await mtus(), { eth0: '1500' });
    const err = await rpcError(m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="delete"><name>eth9</name></interface></interfaces>`));
    assert.equal(err.tag, 'data-missing');
    // a leaf too
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface><name>eth0</name><mtu xc:operation="delete"/></interface></interfaces>`);
    assert.deepEqual(await mtus(), { eth0: undefined });
  });

  it('remove: removes when present, silently does nothing when absent', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="remove"><name>eth1</name></interface><interface xc:operation="remove"><name>eth9</name></interface></interfaces>`);
    assert.deepEqual(await mtus(), { eth0: '1500' });
  });

  it('nc: prefix and operations inherited by descendants', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}" xmlns:nc="${NC_NS}" nc:operation="replace"><interface><name>eth5</name><mtu>5</mtu></interface></interfaces>`);
    assert.deepEqual(await mtus(), { eth5: '5' });
  });

  it('leaf-lists: entries matched by value', async () => {
    await m.editConfig(`<system xmlns="${SYS_NS}" ${XC}><dns>9.9.9.9</dns><dns xc:operation="delete">1.1.1.1</dns></system>`);
    const sys = (await m.getConfig('candidate', { filter: `<system xmlns="${SYS_NS}"/>` })).data?.find('system');
    assert.deepEqual(sys?.childrenNamed('dns').map((d) => d.text), ['8.8.8.8', '9.9.9.9']);
    assert.equal(sys?.childText('hostname'), 'r1');
  });

  it('refuses an operation attribute outside the NETCONF namespace, and an unknown operation', async () => {
    const a = await rpcError(m.editConfig(`<interfaces xmlns="${IF_NS}"><interface operation="delete"><name>eth1</name></interface></interfaces>`));
    assert.equal(a.tag, 'unknown-attribute');
    assert.equal(a.info['bad-attribute'], 'operation');
    const b = await rpcError(m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="frobnicate"><name>eth1</name></interface></interfaces>`));
    assert.equal(b.tag, 'bad-attribute');
    assert.deepEqual(Object.keys(await mtus()), ['eth0', 'eth1']);
  });
});

describe('default-operation', () => {
  it('none: only nodes with an operation change; a missing level is data-missing', async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface><name>eth0</name><mtu xc:operation="replace">1000</mtu></interface><interface><name>eth1</name><mtu>1</mtu></interface></interfaces>`, { defaultOperation: 'none' });
    assert.deepEqual(await mtus(), { eth0: '1000', eth1: '9000' });
    const err = await rpcError(m.editConfig(`<interfaces xmlns="${IF_NS}"><interface><name>eth9</name><mtu>1</mtu></interface></interfaces>`, { defaultOperation: 'none' }));
    assert.equal(err.tag, 'data-missing');
    // a create deep under a missing level creates the levels on the way
    await m.editConfig(`<interfaces xmlns="${IF_NS}" ${XC}><interface><name>eth3</name><mtu xc:operation="create">3</mtu></interface></interfaces>`, { defaultOperation: 'none' });
    assert.equal((await mtus())['eth3'], '3');
  });

  it('replace: the config becomes the whole datastore', async () => {
    await m.editConfig(interfaces({ eth4: 4 }), { defaultOperation: 'replace' });
    const reply = await m.getConfig('candidate');
    assert.equal(reply.data?.elements.length, 1, 'system is gone');
    assert.deepEqual(await mtus(), { eth4: '4' });
  });
});

describe('error-option and test-option', () => {
  const mixed = `<interfaces xmlns="${IF_NS}" ${XC}><interface xc:operation="create"><name>eth0</name></interface><interface><name>eth2</name><mtu>2</mtu></interface></interfaces>`;

  it('stop-on-error and rollback-on-error leave the datastore untouched', async () => {
    for (const errorOption of ['stop-on-error', 'rollback-on-error'] as const) {
      const err = await rpcError(m.editConfig(mixed, { errorOption }));
      assert.equal(err.tag, 'data-exists');
      assert.deepEqual(Object.keys(await mtus()), ['eth0', 'eth1']);
    }
  });

  it('continue-on-error applies the rest and reports the errors', async () => {
    const reply = await m.editConfig(mixed, { errorOption: 'continue-on-error', }).catch((e: unknown) => e);
    assert.ok(reply instanceof RPCError);
    assert.equal(reply.tag, 'data-exists');
    assert.equal((await mtus())['eth2'], '2');
  });

  it('test-only checks without changing anything', async () => {
    await m.editConfig(interfaces({ eth8: 8 }), { testOption: 'test-only' });
    assert.deepEqual(Object.keys(await mtus()), ['eth0', 'eth1']);
    const err = await rpcError(m.editConfig(mixed, { testOption: 'test-only' }));
    assert.equal(err.tag, 'data-exists');
    await m.editConfig(interfaces({ eth8: 8 }), { testOption: 'test-then-set' });
    assert.equal((await mtus())['eth8'], '8');
  });
});

describe('targets and the other datastore operations', () => {
  it('edits running directly (:writable-running) and the candidate follows it', async () => {
    await m.editConfig(interfaces({ eth0: 1234 }), { target: 'running' });
    assert.equal((await mtus('running'))['eth0'], '1234');
    assert.equal((await mtus('candidate'))['eth0'], '1234');
    assert.match(sim.datastore('running'), /<mtu>1234<\/mtu>/);
  });

  it('commit and discard-changes', async () => {
    await m.editConfig(interfaces({ eth0: 1 }));
    await m.discardChanges();
    assert.equal((await mtus())['eth0'], '1500');
    await m.editConfig(interfaces({ eth0: 2 }));
    await m.commit();
    assert.equal((await mtus('running'))['eth0'], '2');
  });

  it('copy-config between datastores and from inline config; not onto itself', async () => {
    await m.copyConfig({ config: interfaces({ ethX: 7 }) }, 'startup');
    assert.deepEqual(await mtus('startup'), { ethX: '7' });
    await m.copyConfig('startup', 'candidate');
    assert.deepEqual(await mtus('candidate'), { ethX: '7' });
    await m.copyConfig('running', 'candidate');
    assert.deepEqual(Object.keys(await mtus('candidate')), ['eth0', 'eth1']);
    const err = await rpcError(m.copyConfig('running', 'running'));
    assert.equal(err.tag, 'invalid-value');
  });

  it('delete-config of startup and candidate; running refused by the server', async () => {
    await m.deleteConfig('startup');
    assert.equal((await m.getConfig('startup')).data?.elements.length, 0);
    const err = await rpcError(m.rpc('<delete-config><target><running/></target></delete-config>'));
    assert.equal(err.tag, 'invalid-value');
  });

  it('validate a datastore or inline config', async () => {
    assert.ok((await m.validate('candidate')).ok);
    assert.ok((await m.validate({ config: interfaces({ eth0: 1 }) })).ok);
  });

  it('refuses a missing target or config, an unknown parameter and a bad value', async () => {
    assert.equal((await rpcError(m.rpc(`<edit-config><config>${interfaces({ a: 1 })}</config></edit-config>`))).tag, 'missing-element');
    assert.equal((await rpcError(m.rpc('<edit-config><target><candidate/></target></edit-config>'))).info['bad-element'], 'config');
    assert.equal((await rpcError(m.rpc('<edit-config><target><candidate/></target><frob/><config/></edit-config>'))).tag, 'unknown-element');
    assert.equal((await rpcError(m.rpc('<edit-config><target><candidate/></target><default-operation>sideways</default-operation><config/></edit-config>'))).tag, 'invalid-value');
    assert.equal((await rpcError(m.rpc('<get-config><source><url>file:///x</url></source></get-config>'))).tag, 'operation-not-supported');
  });
});
