/**
 * The schema-aware simulator (`yangDir` compiled): edits validated against the IETF modules
 * netconfd ships (ietf-interfaces, ietf-ip), with the error-tag, error-path and error-app-tag
 * netconfd answers; module capabilities with features; the YANG library (RFC 7895 and RFC 8525,
 * `yangLibrary`); `modules` and `features`; `yangValidation: false`.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { connectTo, IF_NS, NC_NS, startSim } from './helpers.js';

const IETF = '/usr/share/yuma/modules/ietf';
const IP_NS = 'urn:ietf:params:xml:ns:yang:ietf-ip';
const IANA_NS = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const MODULES = ['ietf-interfaces@2014-05-08', 'ietf-ip@2014-06-16', 'iana-if-type@2014-05-08', 'ietf-inet-types@2013-07-15', 'ietf-yang-types@2013-07-15'];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netconf-sim-validate-'));
  for (const m of MODULES) await copyFile(join(IETF, `${m}.yang`), join(dir, `${m}.yang`));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const TYPE = `<type xmlns:ianaift="${IANA_NS}">ianaift:ethernetCsmacd</type>`;
const ifs = (body: string): string => `<interfaces xmlns="${IF_NS}">${body}</interfaces>`;
const eth0 = (body: string): string => ifs(`<interface><name>eth0</name>${body}</interface>`);

/** The first rpc-error of a refused edit. */
async function refusal(m: Manager, config: string): Promise<RPCError> {
  try {
    await m.editConfig(config, { target: 'running' });
  } catch (err) {
    if (err instanceof RPCError) return err;
    throw err;
  }
  assert.fail(`the edit was accepted: ${config}`);
}

describe('edit validation against ietf-interfaces and ietf-ip', () => {
  let sim: Simulator;
  let m: Manager;
  before(async () => {
    sim = await startSim({ yangDir: dir, yangLibrary: true, modules: ['ietf-interfaces', 'ietf-ip', 'iana-if-type'], config: ifs(`<interface><name>eth0</name>${TYPE}<description>d</description></interface>`) });
    m = await connectTo(sim);
  });
  after(async () => {
    await m?.close();
    await sim?.close();
  });

  const cases: Array<[string, string, { tag: string; type: string; appTag?: string; path?: string; badElement?: string }]> = [
    ['a boolean that is not one', eth0('<enabled>maybe</enabled>'), { tag: 'invalid-value', type: 'protocol', appTag: 'data-invalid', path: "/if:interfaces/if:interface[if:name='eth0']/if:enabled" }],
    ['a number out of range', eth0(`<ipv4 xmlns="${IP_NS}"><mtu>10</mtu></ipv4>`), { tag: 'invalid-value', type: 'protocol', appTag: 'not-in-range', path: "/if:interfaces/if:interface[if:name='eth0']/ip:ipv4/ip:mtu" }],
    ['an address its pattern refuses', eth0(`<ipv4 xmlns="${IP_NS}"><address><ip>300.1.1.1</ip><prefix-length>24</prefix-length></address></ipv4>`), { tag: 'invalid-value', type: 'protocol', appTag: 'pattern-test-failed', path: "/if:interfaces/if:interface[if:name='eth0']/ip:ipv4/ip:address[ip:ip='300.1.1.1']/ip:ip" }],
    ['an unknown identity', eth0(`<type xmlns:ianaift="${IANA_NS}">ianaift:bogus</type>`), { tag: 'invalid-value', type: 'protocol', appTag: 'data-invalid', path: "/if:interfaces/if:interface[if:name='eth0']/if:type" }],
    ['an enumeration value not in the set', eth0('<link-up-down-trap-enable>sometimes</link-up-down-trap-enable>'), { tag: 'invalid-value', type: 'protocol', appTag: 'not-in-value-set' }],
    ['an unknown element (error-path: its parent)', eth0('<bogus>1</bogus>'), { tag: 'unknown-element', type: 'protocol', path: "/if:interfaces/if:interface[if:name='eth0']", badElement: 'bogus' }],
    ['an element of an unknown namespace', '<bogus xmlns="urn:example:bogus"/>', { tag: 'unknown-namespace', type: 'protocol', badElement: 'bogus' }],
    ['a list entry without its key', ifs('<interface><description>x</description></interface>'), { tag: 'missing-element', type: 'application', path: '/if:interfaces/if:interface', badElement: 'name' }],
    ['a config false node', `<interfaces-state xmlns="${IF_NS}"><interface><name>eth0</name></interface></interfaces-state>`, { tag: 'access-denied', type: 'application', appTag: 'no-access', path: '/if:interfaces-state' }],
    ['a list key deleted on its own', ifs(`<interface><name xmlns:nc="${NC_NS}" nc:operation="delete">eth0</name></interface>`), { tag: 'access-denied', type: 'application', path: "/if:interfaces/if:interface[if:name='eth0']/if:name" }],
    ['a leaf given twice', eth0('<description>a</description><description>b</description>'), { tag: 'unknown-element', type: 'application' }],
    ['a child element in a leaf', eth0('<description><x/></description>'), { tag: 'unknown-element', type: 'protocol', badElement: 'x' }],
    ['a missing mandatory leaf', ifs('<interface><name>eth9</name></interface>'), { tag: 'data-missing', type: 'application', appTag: 'instance-required', path: "/if:interfaces/if:interface[if:name='eth9']/if:type" }],
    ['delete of a missing entry', ifs(`<interface xmlns:nc="${NC_NS}" nc:operation="delete"><name>nope</name></interface>`), { tag: 'data-missing', type: 'application', path: "/if:interfaces/if:interface[if:name='nope']" }],
    ['create of an existing leaf', eth0(`<description xmlns:nc="${NC_NS}" nc:operation="create">z</description>`), { tag: 'data-exists', type: 'application', path: "/if:interfaces/if:interface[if:name='eth0']/if:description" }],
  ];
  for (const [what, config, expected] of cases) {
    it(`refuses ${what}`, async () => {
      const err = await refusal(m, config);
      assert.equal(err.tag, expected.tag, err.message);
      assert.equal(err.type, expected.type);
      if (expected.appTag) assert.equal(err.appTag, expected.appTag);
      if (expected.path) assert.equal(err.path, expected.path);
      if (expected.badElement) assert.equal(err.info['bad-element'], expected.badElement);
    });
  }

  it('accepts valid edits and leaves the datastore unchanged after refused ones', async () => {
    const before = sim.datastore('running');
    await refusal(m, eth0('<enabled>maybe</enabled>'));
    assert.equal(sim.datastore('running'), before);
    await m.editConfig(ifs(`<interface><name>eth1</name>${TYPE}<enabled>false</enabled><ipv4 xmlns="${IP_NS}"><address><ip>10.0.0.1</ip><prefix-length>24</prefix-length></address></ipv4></interface>`), { target: 'running' });
    assert.match(sim.datastore('running'), /<ip>10\.0\.0\.1<\/ip>/);
  });

  it('validate and copy-config check whole configurations too', async () => {
    sim.setDatastore('candidate', ifs('<interface><name>eth7</name></interface>'));
    const missing = await m.validate('candidate').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(missing instanceof RPCError);
    assert.equal(missing.tag, 'data-missing');
    assert.equal(missing.path, "/if:interfaces/if:interface[if:name='eth7']/if:type");
    await m.discardChanges();
    await m.validate('candidate');
    const bad = await m.copyConfig({ config: eth0('<enabled>maybe</enabled>') }, 'candidate').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(bad instanceof RPCError);
    assert.equal(bad.tag, 'invalid-value');
  });

  it('advertises the modules with their features, the YANG library and :with-defaults', async () => {
    const caps = [...m.serverCapabilities];
    assert.ok(caps.some((c) => c.startsWith(`${IP_NS}?module=ietf-ip&revision=2014-06-16&features=ipv4-non-contiguous-netmasks`)), caps.join('\n'));
    assert.ok(caps.includes('urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged,trim'));
    assert.ok(caps.some((c) => c.startsWith('urn:ietf:params:netconf:capability:yang-library:1.0?revision=2019-01-04&module-set-id=')));
    assert.ok(caps.some((c) => c.startsWith('urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id=')));
    const lib = (await m.get({ filter: '<modules-state xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"/>' })).data;
    const modules = lib?.findAll('modules-state/module') ?? [];
    const ip = modules.find((x) => x.childText('name') === 'ietf-ip');
    assert.equal(ip?.childText('revision'), '2014-06-16');
    assert.equal(ip?.childText('conformance-type'), 'implement');
    assert.deepEqual(ip?.childrenNamed('feature').map((f) => f.text).sort(), ['ipv4-non-contiguous-netmasks', 'ipv6-privacy-autoconf']);
    assert.equal(modules.find((x) => x.childText('name') === 'ietf-inet-types')?.childText('conformance-type'), 'import');
    const library = (await m.get({ filter: '<yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"/>' })).data?.find('yang-library');
    const set = library?.find('module-set');
    assert.equal(set?.childText('name'), 'complete');
    assert.ok(set?.childrenNamed('module').some((x) => x.childText('name') === 'ietf-interfaces'));
    assert.ok(set?.childrenNamed('import-only-module').some((x) => x.childText('name') === 'ietf-yang-types'));
    assert.deepEqual(library?.childrenNamed('datastore').map((d) => d.childText('name')), ['ds:running', 'ds:candidate', 'ds:startup', 'ds:intended', 'ds:operational']);
    assert.ok(library?.childText('content-id'));
    assert.match((await m.getSchema('ietf-ip', { version: '2014-06-16' })).data?.textContent ?? '', /^module ietf-ip/);
  });

  it('serves every module its hello and YANG library name, its own (ietf-netconf, ietf-yang-library …) included', async () => {
    const library = (await m.get({ filter: '<yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"/>' })).data?.find('yang-library/module-set');
    const listed = [...(library?.childrenNamed('module') ?? []), ...(library?.childrenNamed('import-only-module') ?? [])].map((x) => `${x.childText('name')}@${x.childText('revision')}`);
    const advertised = [...m.serverCapabilities].flatMap((c) => {
      const found = /[?&]module=([^&]+)&revision=([\d-]+)/.exec(c);
      return found ? [`${found[1]}@${found[2]}`] : [];
    });
    for (const own of ['ietf-netconf@2011-06-01', 'ietf-netconf-monitoring@2010-10-04', 'ietf-netconf-nmda@2019-01-07', 'ietf-yang-library@2019-01-04', 'ietf-datastores@2018-02-14', 'ietf-origin@2018-02-14']) {
      assert.ok(listed.includes(own) && advertised.includes(own), own);
    }
    for (const module of new Set([...listed, ...advertised])) {
      const [name, revision] = module.split('@') as [string, string];
      const text = (await m.getSchema(name, { version: revision })).data?.textContent ?? '';
      assert.match(text, new RegExp(`^\\s*module ${name} \\{[\\s\\S]*revision "?${revision}`), module);
    }
    // The ietf-netconf features are the capabilities the simulator advertises (never :url).
    assert.ok(advertised.includes('ietf-netconf@2011-06-01'));
    const nc = [...m.serverCapabilities].find((c) => c.includes('module=ietf-netconf&'));
    assert.equal(nc, 'urn:ietf:params:xml:ns:netconf:base:1.0?module=ietf-netconf&revision=2011-06-01&features=writable-running,candidate,confirmed-commit,rollback-on-error,validate,startup,xpath');
  });
});

describe('modules, features and yangValidation', () => {
  it('features: only those listed are enabled (and advertised); yangLibrary false: no YANG library', async () => {
    const sim = await startSim({ yangDir: dir, features: 'ietf-interfaces:,ietf-ip:', yangLibrary: false, omitCapabilities: [':candidate', ':startup'] });
    const m = await connectTo(sim);
    try {
      const ip = sim.capabilities.find((c) => c.includes('module=ietf-ip&'));
      assert.equal(ip, `${IP_NS}?module=ietf-ip&revision=2014-06-16`);
      assert.equal(sim.capabilities.some((c) => c.includes('yang-library')), false);
      const library = await m.get({ filter: '<modules-state xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"/>' });
      assert.equal(library.data?.elements.length, 0);
      // The built-in modules' features follow the capabilities, whatever `features` says of the
      // others (confirmed-commit has if-feature candidate: off with it).
      const nc = sim.capabilities.find((c) => c.includes('module=ietf-netconf&'));
      assert.equal(nc, 'urn:ietf:params:xml:ns:netconf:base:1.0?module=ietf-netconf&revision=2011-06-01&features=writable-running,rollback-on-error,validate,xpath');
    } finally {
      await m.close();
      await sim.close();
    }
  });

  it("a yangDir with its own copy of a built-in module: that copy is served and compiled, once, with the simulator's features", async () => {
    const own = await mkdtemp(join(tmpdir(), 'netconf-sim-own-'));
    try {
      for (const m of ['ietf-netconf@2011-06-01', 'ietf-inet-types@2013-07-15']) await copyFile(join(IETF, `${m}.yang`), join(own, `${m}.yang`));
      const sim = await startSim({ yangDir: own });
      try {
        const nc = sim.capabilities.filter((c) => c.includes('module=ietf-netconf&'));
        // features by the capabilities (never url), as with the package's copy
        assert.deepEqual(nc, ['urn:ietf:params:xml:ns:netconf:base:1.0?module=ietf-netconf&revision=2011-06-01&features=writable-running,candidate,confirmed-commit,rollback-on-error,validate,startup,xpath']);
        const m = await connectTo(sim);
        try {
          const schemas = (await m.get({ filter: '<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><schemas/></netconf-state>' })).data;
          const ids = schemas?.findAll('netconf-state/schemas/schema').map((x) => x.childText('identifier')) ?? [];
          assert.equal(ids.filter((x) => x === 'ietf-netconf').length, 1);
          assert.equal(ids.filter((x) => x === 'ietf-inet-types').length, 1);
        } finally {
          await m.close();
        }
      } finally {
        await sim.close();
      }
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });

  it('without yangDir: the hello advertises ietf-netconf-monitoring and ietf-netconf-notifications, and get-schema serves them', async () => {
    const sim = await startSim({});
    const m = await connectTo(sim);
    try {
      const modules = sim.capabilities.flatMap((c) => /[?&]module=([^&]+)/.exec(c)?.[1] ?? []);
      assert.deepEqual(modules, ['ietf-netconf-monitoring', 'ietf-netconf-notifications']);
      for (const [name, revision] of [['ietf-netconf-monitoring', '2010-10-04'], ['ietf-netconf-notifications', '2012-02-06'], ['ietf-yang-types', '2013-07-15']] as const) {
        assert.match((await m.getSchema(name, { version: revision })).data?.textContent ?? '', new RegExp(`module ${name} `));
      }
    } finally {
      await m.close();
      await sim.close();
    }
  });

  it('yangValidation false: files served, nothing validated; modules that do not compile are refused otherwise', async () => {
    const sim = await startSim({ yangDir: dir, yangValidation: false });
    const m = await connectTo(sim);
    try {
      await m.editConfig(eth0('<enabled>maybe</enabled>'), { target: 'running' });
      assert.equal(sim.capabilities.some((c) => c.includes('with-defaults')), false);
    } finally {
      await m.close();
      await sim.close();
    }
    await assert.rejects(startSim({ yangDir: dir, modules: ['no-such-module'] }), /do not compile/);
    await assert.rejects(startSim({ features: 'a:b' }), /need yangDir/);
    await assert.rejects(startSim({ yangDir: dir, yangLibrary: true, yangValidation: false }), /yangLibrary needs/);
  });
});
