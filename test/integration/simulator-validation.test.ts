/**
 * The schema-aware simulator against the real netconfd (yuma123): the same bad edits on
 * ietf-interfaces / ietf-ip sent to both, compared by error-type, error-tag, error-path (netconfd
 * writes it from the request, `/nc:rpc/nc:edit-config/nc:config/…`, and a list entry without key
 * as `interface[1]`: both are normalised away) and, for refused values, error-app-tag.
 *
 * netconfd quirk: it answers an RPC sent right after the hello only after a while; wait first.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { connectTo as connectToSim, startSim } from '../simulator/helpers.js';
import { connectTo, IANA_IF_NS, IF_NS } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

const HELLO_SETTLE_MS = 300;
const IETF = '/usr/share/yuma/modules/ietf';
const IP_NS = 'urn:ietf:params:xml:ns:yang:ietf-ip';
const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const MODULES = ['ietf-interfaces@2014-05-08', 'ietf-ip@2014-06-16', 'iana-if-type@2014-05-08', 'ietf-inet-types@2013-07-15', 'ietf-yang-types@2013-07-15'];

const TYPE = `<type xmlns:ianaift="${IANA_IF_NS}">ianaift:ethernetCsmacd</type>`;
const ifs = (body: string): string => `<interfaces xmlns="${IF_NS}">${body}</interfaces>`;
const eth0 = (body: string): string => ifs(`<interface><name>eth0</name>${body}</interface>`);
const BASELINE = ifs(`<interface><name>eth0</name>${TYPE}<description>d</description><enabled>true</enabled></interface>`);

/** name → [edit, compare error-app-tag too]. */
const CASES: Record<string, [string, boolean]> = {
  'boolean refused': [eth0('<enabled>maybe</enabled>'), true],
  'uint16 out of range': [eth0(`<ipv4 xmlns="${IP_NS}"><mtu>10</mtu></ipv4>`), true],
  'ipv4-address pattern': [eth0(`<ipv4 xmlns="${IP_NS}"><address><ip>300.1.1.1</ip><prefix-length>24</prefix-length></address></ipv4>`), true],
  'prefix-length out of range': [eth0(`<ipv4 xmlns="${IP_NS}"><address><ip>10.1.1.1</ip><prefix-length>40</prefix-length></address></ipv4>`), true],
  'unknown identity': [eth0(`<type xmlns:ianaift="${IANA_IF_NS}">ianaift:bogus</type>`), true],
  'identity without prefix': [eth0('<type>ethernetCsmacd</type>'), true],
  'enumeration value': [eth0('<link-up-down-trap-enable>sometimes</link-up-down-trap-enable>'), true],
  'unknown leaf': [eth0('<bogus>1</bogus>'), true],
  'unknown namespace': ['<bogus xmlns="urn:example:bogus"><a>1</a></bogus>', true],
  'unknown top-level element': [`<bogus xmlns="${IF_NS}"/>`, true],
  'list entry without key': [ifs('<interface><description>x</description></interface>'), false],
  'config false container': [`<interfaces-state xmlns="${IF_NS}"><interface><name>eth0</name></interface></interfaces-state>`, true],
  'state leaf in config': [eth0('<oper-status>up</oper-status>'), true],
  'delete of a missing entry': [ifs(`<interface xmlns:nc="${NC}" nc:operation="delete"><name>nope</name></interface>`), false],
  'delete of a missing leaf': [eth0(`<ipv4 xmlns="${IP_NS}" xmlns:nc="${NC}" nc:operation="delete"/>`), false],
  'create of an existing entry': [ifs(`<interface xmlns:nc="${NC}" nc:operation="create"><name>eth0</name>${TYPE}</interface>`), false],
  'create of an existing leaf': [eth0(`<enabled xmlns:nc="${NC}" nc:operation="create">false</enabled>`), false],
  'list key deleted': [ifs(`<interface><name xmlns:nc="${NC}" nc:operation="delete">eth0</name></interface>`), true],
  'list key removed': [ifs(`<interface><name xmlns:nc="${NC}" nc:operation="remove">eth0</name></interface>`), true],
  'mandatory leaf missing': [ifs('<interface><name>eth9</name></interface>'), true],
  'child element in a leaf': [eth0('<description><x/></description>'), true],
  'text in a container': [eth0(`<ipv4 xmlns="${IP_NS}">zz</ipv4>`), true],
};

interface Seen {
  type: string;
  tag: string;
  appTag: string | undefined;
  path: string;
}

/** The first rpc-error of an edit of the candidate, normalised for the comparison. */
async function errorOf(m: Manager, config: string): Promise<Seen | 'accepted'> {
  try {
    await m.editConfig(config, { target: 'candidate' });
    await m.discardChanges();
    return 'accepted';
  } catch (err) {
    if (!(err instanceof RPCError)) throw err;
    const path = (err.path ?? '')
      .replace(/^\/nc:rpc\/nc:edit-config\/nc:config/, '')
      .replace(/\[\d+\]/g, '')
      .trim();
    return { type: err.type, tag: err.tag, appTag: err.appTag, path };
  }
}

describe('simulator and netconfd refuse the same bad edits alike', () => {
  let server: Netconfd;
  let sim: Simulator;
  let dir: string;
  let real: Manager;
  let simulated: Manager;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'netconf-sim-vs-netconfd-'));
    for (const m of MODULES) await copyFile(join(IETF, `${m}.yang`), join(dir, `${m}.yang`));
    server = await startNetconfd('sim-validation');
    sim = await startSim({ yangDir: dir, config: BASELINE });
    real = await connectTo(server);
    simulated = await connectToSim(sim);
    await new Promise((resolve) => setTimeout(resolve, HELLO_SETTLE_MS));
    await real.editConfig(BASELINE, { target: 'candidate' });
    await real.commit();
  });
  after(async () => {
    await real?.close().catch(() => undefined);
    await simulated?.close().catch(() => undefined);
    await sim?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const [name, [config, compareAppTag]] of Object.entries(CASES)) {
    it(name, async () => {
      const expected = await errorOf(real, config);
      const actual = await errorOf(simulated, config);
      assert.notEqual(expected, 'accepted', 'netconfd accepted the edit');
      assert.notEqual(actual, 'accepted', 'the simulator accepted the edit');
      const e = expected as Seen;
      const a = actual as Seen;
      assert.equal(a.tag, e.tag, `error-tag: netconfd ${JSON.stringify(e)}, simulator ${JSON.stringify(a)}`);
      assert.equal(a.type, e.type, `error-type: netconfd ${JSON.stringify(e)}, simulator ${JSON.stringify(a)}`);
      assert.equal(a.path, e.path, 'error-path');
      if (compareAppTag) assert.equal(a.appTag, e.appTag, 'error-app-tag');
    });
  }
});
