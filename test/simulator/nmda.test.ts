/**
 * NMDA (RFC 8342 / RFC 8526) on the schema-aware simulator, through the client's getData and
 * editData: the datastores, origin metadata, origin and config filters, with-defaults, validation
 * of edit-data; without YANG modules get-data stays unsupported.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { connectTo, IF_NS, startSim } from './helpers.js';

const IETF = '/usr/share/yuma/modules/ietf';
const ORIGIN_NS = 'urn:ietf:params:xml:ns:yang:ietf-origin';
const TYPE = '<type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>';
const MODULES = ['ietf-interfaces@2014-05-08', 'iana-if-type@2014-05-08', 'ietf-yang-types@2013-07-15'];
const entry = (name: string): string => `<interface><name>${name}</name>${TYPE}</interface>`;
const FILTER = `<interfaces xmlns="${IF_NS}"/>`;

describe('NMDA: get-data and edit-data', () => {
  let dir: string;
  let sim: Simulator;
  let m: Manager;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netconf-sim-nmda-'));
    for (const x of MODULES) await copyFile(join(IETF, `${x}.yang`), join(dir, `${x}.yang`));
    sim = await startSim({ yangDir: dir, config: `<interfaces xmlns="${IF_NS}">${entry('eth0')}</interfaces>` });
    m = await connectTo(sim);
  });
  after(async () => {
    await m?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const names = (data: { findAll(p: string): Array<{ childText(n: string): string | undefined }> } | undefined): string[] => (data?.findAll('interfaces/interface') ?? []).map((e) => e.childText('name') ?? '').sort();

  it('get-data on running, intended, candidate and operational', async () => {
    for (const ds of ['running', 'intended', 'candidate', 'operational'] as const) {
      const reply = await m.getData(ds, { filter: FILTER });
      assert.deepEqual(names(reply.data), ['eth0'], ds);
    }
    const operational = await m.getData('operational');
    assert.ok(operational.data?.find('netconf-state'), 'operational holds the state data');
    assert.equal((await m.getData('running')).data?.find('netconf-state'), undefined);
  });

  it('with-origin: configuration is or:intended, state or:system; origin and config filters', async () => {
    const reply = await m.getData('operational', { withOrigin: true });
    const top = reply.data?.elements ?? [];
    assert.equal(top.find((e) => e.local === 'interfaces')?.attributes[`{${ORIGIN_NS}}origin`], 'or:intended');
    assert.equal(top.find((e) => e.local === 'netconf-state')?.attributes[`{${ORIGIN_NS}}origin`], 'or:system');
    const system = await m.getData('operational', { originFilter: ['system'] });
    assert.equal(system.data?.find('interfaces'), undefined);
    assert.ok(system.data?.find('netconf-state'));
    const configOnly = await m.getData('operational', { configFilter: true });
    assert.equal(configOnly.data?.find('netconf-state'), undefined);
    await assert.rejects(m.getData('running', { withOrigin: true }), (e: unknown) => e instanceof RPCError && e.tag === 'invalid-value');
  });

  it('edit-data on candidate and running, validated like edit-config', async () => {
    await m.editData('candidate', `<interfaces xmlns="${IF_NS}">${entry('eth1')}</interfaces>`);
    assert.deepEqual(names((await m.getData('candidate', { filter: FILTER })).data), ['eth0', 'eth1']);
    assert.deepEqual(names((await m.getData('running', { filter: FILTER })).data), ['eth0']);
    await m.discardChanges();
    await m.editData('running', `<interfaces xmlns="${IF_NS}">${entry('eth2')}</interfaces>`);
    assert.deepEqual(names((await m.getData('intended', { filter: FILTER })).data), ['eth0', 'eth2']);
    const err = await m.editData('running', `<interfaces xmlns="${IF_NS}"><interface><name>eth0</name><enabled>maybe</enabled></interface></interfaces>`).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof RPCError);
    assert.equal(err.tag, 'invalid-value');
    assert.equal(err.path, "/if:interfaces/if:interface[if:name='eth0']/if:enabled");
  });

  it('max-depth', async () => {
    const shallow = await m.getData('running', { filter: FILTER, maxDepth: 2 });
    const entries = shallow.data?.findAll('interfaces/interface') ?? [];
    assert.ok(entries.length > 0);
    for (const e of entries) assert.equal(e.elements.length, 0, 'an interface entry without its leaves at depth 2');
    const top = await m.getData('running', { filter: FILTER, maxDepth: 1 });
    assert.equal(top.data?.find('interfaces')?.elements.length, 0);
  });

  it('with-defaults on get-data', async () => {
    const reply = await m.getData('running', { filter: FILTER, withDefaults: 'report-all' });
    assert.equal(reply.data?.find('interfaces/interface')?.childText('enabled'), 'true');
  });

  it('without yangDir, get-data is not supported (as before)', async () => {
    const plain = await startSim();
    const p = await connectTo(plain);
    try {
      assert.equal([...p.serverCapabilities].some((c) => c.includes('ietf-netconf-nmda')), false);
    } finally {
      await p.close();
      await plain.close();
    }
  });
});
