/**
 * RFC 6243 with-defaults on the schema-aware simulator: report-all, trim, explicit (the basic
 * mode) and report-all-tagged, on ietf-interfaces / ietf-ip (leaf defaults, a presence container,
 * list entries), with get-config and get, with and without a filter.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { XmlElement } from '../../src/xml/element.js';
import { connectTo, IF_NS, startSim } from './helpers.js';

const IETF = '/usr/share/yuma/modules/ietf';
const IP_NS = 'urn:ietf:params:xml:ns:yang:ietf-ip';
const WD = 'urn:ietf:params:xml:ns:netconf:default:1.0';
const TYPE = '<type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>';
const MODULES = ['ietf-interfaces@2014-05-08', 'ietf-ip@2014-06-16', 'iana-if-type@2014-05-08', 'ietf-inet-types@2013-07-15', 'ietf-yang-types@2013-07-15'];
const CONFIG =
  `<interfaces xmlns="${IF_NS}">` +
  `<interface><name>eth0</name>${TYPE}<enabled>true</enabled></interface>` +
  `<interface><name>eth1</name>${TYPE}<ipv4 xmlns="${IP_NS}"><mtu>1500</mtu></ipv4></interface>` +
  '</interfaces>';

describe('with-defaults (RFC 6243)', () => {
  let dir: string;
  let sim: Simulator;
  let m: Manager;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netconf-sim-wd-'));
    for (const x of MODULES) await copyFile(join(IETF, `${x}.yang`), join(dir, `${x}.yang`));
    sim = await startSim({ yangDir: dir, config: CONFIG });
    m = await connectTo(sim);
  });
  after(async () => {
    await m?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const entry = (data: XmlElement | undefined, name: string): XmlElement | undefined => data?.findAll('interfaces/interface').find((e) => e.childText('name') === name);
  const leaf = (data: XmlElement | undefined, name: string, local: string, ns = IF_NS): XmlElement | undefined => {
    const e = entry(data, name);
    return local.includes('/') ? e?.child('ipv4', IP_NS)?.child(local.split('/')[1] as string, ns) : e?.child(local, ns);
  };

  it('advertises :with-defaults with basic-mode explicit and the other modes', () => {
    const cap = m.serverCapabilities.get(':with-defaults');
    assert.equal(cap?.parameters['basic-mode'], 'explicit');
    assert.equal(cap?.parameters['also-supported'], 'report-all,report-all-tagged,trim');
  });

  it('explicit (and no parameter): what was set, nothing more', async () => {
    for (const data of [(await m.getConfig('running')).data, (await m.getConfig('running', { withDefaults: 'explicit' })).data]) {
      assert.equal(leaf(data, 'eth0', 'enabled')?.text, 'true');
      assert.equal(leaf(data, 'eth1', 'enabled'), undefined);
      assert.equal(leaf(data, 'eth1', 'ipv4/forwarding', IP_NS), undefined);
    }
  });

  it('report-all: the defaults of list entries and of a presence container that exists', async () => {
    const data = (await m.getConfig('running', { withDefaults: 'report-all' })).data;
    assert.equal(leaf(data, 'eth1', 'enabled')?.text, 'true');
    assert.equal(leaf(data, 'eth1', 'ipv4/enabled', IP_NS)?.text, 'true');
    assert.equal(leaf(data, 'eth1', 'ipv4/forwarding', IP_NS)?.text, 'false');
    assert.equal(leaf(data, 'eth1', 'ipv4/mtu', IP_NS)?.text, '1500');
    assert.equal(entry(data, 'eth0')?.child('ipv4', IP_NS), undefined, 'a presence container is not created');
    assert.equal(leaf(data, 'eth1', 'enabled')?.attributes[`{${WD}}default`], undefined);
  });

  it('report-all with a filter, and on get', async () => {
    const filter = `<interfaces xmlns="${IF_NS}"><interface><name>eth1</name><enabled/></interface></interfaces>`;
    const data = (await m.getConfig('running', { withDefaults: 'report-all', filter })).data;
    assert.equal(leaf(data, 'eth1', 'enabled')?.text, 'true');
    const got = (await m.get({ withDefaults: 'report-all', filter: `<interfaces xmlns="${IF_NS}"/>` })).data;
    assert.equal(leaf(got, 'eth1', 'enabled')?.text, 'true');
  });

  it('trim: values equal to their default are left out', async () => {
    const data = (await m.getConfig('running', { withDefaults: 'trim' })).data;
    assert.equal(leaf(data, 'eth0', 'enabled'), undefined);
    assert.equal(leaf(data, 'eth1', 'ipv4/mtu', IP_NS)?.text, '1500');
  });

  it('report-all-tagged: every value equal to its default carries wd:default="true"', async () => {
    const reply = await m.getConfig('running', { withDefaults: 'report-all-tagged' });
    const data = reply.data;
    assert.equal(leaf(data, 'eth0', 'enabled')?.attributes[`{${WD}}default`], 'true', 'set explicitly, equal to the default');
    assert.equal(leaf(data, 'eth1', 'enabled')?.attributes[`{${WD}}default`], 'true');
    assert.equal(leaf(data, 'eth1', 'ipv4/forwarding', IP_NS)?.attributes[`{${WD}}default`], 'true');
    assert.equal(leaf(data, 'eth1', 'ipv4/mtu', IP_NS)?.attributes[`{${WD}}default`], undefined);
    assert.match(reply.xml, /xmlns:wd="urn:ietf:params:xml:ns:netconf:default:1\.0"/);
  });

  it('the stored data is not changed by a report', async () => {
    await m.getConfig('running', { withDefaults: 'report-all-tagged' });
    assert.doesNotMatch(sim.datastore('running'), /forwarding|default/);
  });
});
