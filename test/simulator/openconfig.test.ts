/**
 * The simulator on a vendor's published modules: OpenConfig's interfaces, Ethernet, aggregates
 * and VLANs as published (examples/openconfig, the directory docs/simulator.md points the
 * simulator at). Bad edits are refused with the error a device sends; what it reports with
 * report-all (configuration defaults in `<get-config>`, state defaults too in `<get>`, an
 * identityref default with its namespace declared) is accepted by yanglint as it stands, and the
 * client reads it as RFC 7951 JSON without a warning.
 */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { XmlElement } from '../../src/xml/element.js';
import { OPENCONFIG_DIR as DIR, OPENCONFIG_MODULES } from '../helpers/openconfig.js';
import { runYanglint, type YanglintDataType } from '../helpers/yanglint.js';
import { connectTo, startSim } from './helpers.js';

const OC_IF = 'http://openconfig.net/yang/interfaces';
const OC_ETH = 'http://openconfig.net/yang/interfaces/ethernet';
const IANA = 'urn:ietf:params:xml:ns:yang:iana-if-type';

const eth0 = (body: string): string => `<interfaces xmlns="${OC_IF}"><interface><name>eth0</name>${body}</interface></interfaces>`;
const START = eth0(`<config><name>eth0</name><type xmlns:ianaift="${IANA}">ianaift:ethernetCsmacd</type></config>`);

/** yanglint's verdict on a reply's data (the top-level elements as the simulator wrote them). */
async function yanglintReads(data: XmlElement | undefined, type: YanglintDataType): Promise<{ ok: boolean; output: string; message: string }> {
  const input = (data?.elements ?? []).map((e) => e.toString()).join('');
  const [outcome] = await runYanglint({ searchDirs: [DIR], files: OPENCONFIG_MODULES.map((m) => join(DIR, readdirSync(DIR).find((f) => f === `${m}.yang` || f.startsWith(`${m}@`)) as string)) }, [{ input, from: 'xml', to: 'json', type }], 1);
  assert.ok(outcome);
  return outcome;
}

describe("the simulator on a vendor's published modules (OpenConfig)", () => {
  let sim: Simulator;
  let m: Manager;
  before(async () => {
    sim = await startSim({ yangDir: DIR, config: START });
    m = await connectTo(sim);
    await m.loadSchema({ yangDir: DIR });
  });
  after(async () => {
    await m?.close();
    await sim?.close();
  });

  it('refuses bad edits with the error-tag, error-app-tag and error-path a device sends', async () => {
    const cases: Array<[string, string, string, string | undefined, string]> = [
      ['mtu out of range', '<config><mtu>70000</mtu></config>', 'invalid-value', 'not-in-range', "/oc-if:interfaces/oc-if:interface[oc-if:name='eth0']/oc-if:config/oc-if:mtu"],
      ['unknown element', '<config><speed>10</speed></config>', 'unknown-element', undefined, "/oc-if:interfaces/oc-if:interface[oc-if:name='eth0']/oc-if:config"],
      ['state written', '<state><mtu>1500</mtu></state>', 'access-denied', undefined, "/oc-if:interfaces/oc-if:interface[oc-if:name='eth0']/oc-if:state"],
      ['unknown identity', `<ethernet xmlns="${OC_ETH}"><config><port-speed xmlns:oc-eth="${OC_ETH}">oc-eth:SPEED_FAST</port-speed></config></ethernet>`, 'invalid-value', undefined, "/oc-if:interfaces/oc-if:interface[oc-if:name='eth0']/oc-eth:ethernet/oc-eth:config/oc-eth:port-speed"],
    ];
    for (const [what, body, tag, appTag, path] of cases) {
      const err = await m.editConfig(eth0(body), { target: 'running' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof RPCError, `${what}: ${String(err)}`);
      assert.equal(err.tag, tag, what);
      if (appTag !== undefined) assert.equal(err.appTag, appTag, what);
      assert.equal(err.path, path, what);
    }
    // nothing of them was stored
    assert.deepEqual((await m.getConfig('running')).json(), {
      'openconfig-interfaces:interfaces': { interface: [{ name: 'eth0', config: { name: 'eth0', type: 'iana-if-type:ethernetCsmacd' } }] },
    });
  });

  it('report-all: configuration defaults in get-config, state defaults too in get; yanglint accepts both as they stand', async () => {
    await m.editConfig(eth0(`<config><mtu>9000</mtu></config><ethernet xmlns="${OC_ETH}"><config><port-speed xmlns:oc-eth="${OC_ETH}">oc-eth:SPEED_10GB</port-speed></config></ethernet>`), { target: 'running' });
    const config = await m.getConfig('running', { withDefaults: 'report-all' });
    const lint = await yanglintReads(config.data, 'getconfig');
    assert.ok(lint.ok, lint.message);
    const json = config.jsonResult({ lenient: true });
    assert.deepEqual(json.warnings, []);
    const entry = (json.json['openconfig-interfaces:interfaces'] as { interface: Array<Record<string, Record<string, unknown>>> }).interface[0];
    assert.ok(entry);
    // an identityref default of another module, written with its namespace declared
    assert.equal(entry['config']?.['openconfig-vlan:tpid'], 'openconfig-vlan-types:TPID_0X8100');
    assert.equal(entry['config']?.['enabled'], true);
    assert.equal(entry['state'], undefined, 'no state nodes in get-config');
    assert.deepEqual(JSON.parse(lint.output), json.json);

    const all = await m.get({ withDefaults: 'report-all', filter: `<interfaces xmlns="${OC_IF}"/>` });
    const lintAll = await yanglintReads(all.data, 'get');
    assert.ok(lintAll.ok, lintAll.message);
    const state = (all.json()['openconfig-interfaces:interfaces'] as { interface: Array<Record<string, Record<string, unknown>>> }).interface[0]?.['state'];
    assert.equal(state?.['enabled'], true);
    assert.equal(state?.['openconfig-vlan:tpid'], 'openconfig-vlan-types:TPID_0X8100');
  });
});
