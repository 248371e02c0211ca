/**
 * The module list of a device: RFC 7895 modules-state (as netconfd sends it), RFC 8525
 * yang-library, the hello's module capabilities, which form to ask for, and the features.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  inventoryFeatures,
  modulesFromCapabilities,
  parseModulesState,
  parseYangLibrary,
  YANG_LIBRARY_1_0,
  YANG_LIBRARY_1_1,
  yangLibraryFilter,
  yangLibraryForm,
} from '../../src/operations/module-inventory.js';
import { Capabilities } from '../../src/transport/capabilities.js';
import { parseXml } from '../../src/xml/parse.js';

const YL = 'urn:ietf:params:xml:ns:yang:ietf-yang-library';

// Trimmed from netconfd's (yuma123 2.13) reply to <get> of /modules-state.
const MODULES_STATE = `<modules-state xmlns="${YL}">
  <module-set-id>85a51017069e19922bab6055647f49a81664a5f5</module-set-id>
  <module>
    <name>iana-crypt-hash</name><revision>2014-08-06</revision>
    <namespace>urn:ietf:params:xml:ns:yang:iana-crypt-hash</namespace>
    <conformance-type>import</conformance-type>
    <feature>crypt-hash-md5</feature><feature>crypt-hash-sha-256</feature>
  </module>
  <module>
    <name>ietf-interfaces</name><revision>2014-05-08</revision>
    <namespace>urn:ietf:params:xml:ns:yang:ietf-interfaces</namespace>
    <conformance-type>implement</conformance-type>
    <feature>arbitrary-names</feature><feature>if-mib</feature>
    <deviation><name>example-dev</name><revision>2020-01-01</revision></deviation>
  </module>
  <module>
    <name>example-main</name><revision></revision>
    <namespace>urn:example:main</namespace>
    <conformance-type>implement</conformance-type>
    <submodule><name>example-sub</name><revision>2019-02-02</revision></submodule>
  </module>
</modules-state>`;

// RFC 8525 appendix C style: two module sets (running's and operational's schemas).
const YANG_LIBRARY = `<yang-library xmlns="${YL}">
  <module-set>
    <name>config-modules</name>
    <module>
      <name>ietf-interfaces</name><revision>2018-02-20</revision>
      <namespace>urn:ietf:params:xml:ns:yang:ietf-interfaces</namespace>
      <feature>if-mib</feature>
    </module>
    <import-only-module>
      <name>ietf-yang-types</name><revision>2013-07-15</revision>
      <namespace>urn:ietf:params:xml:ns:yang:ietf-yang-types</namespace>
    </import-only-module>
  </module-set>
  <module-set>
    <name>state-modules</name>
    <module>
      <name>ietf-interfaces</name><revision>2018-02-20</revision>
      <namespace>urn:ietf:params:xml:ns:yang:ietf-interfaces</namespace>
      <feature>pre-provisioning</feature>
    </module>
    <module>
      <name>ietf-hardware</name><revision>2018-03-13</revision>
      <namespace>urn:ietf:params:xml:ns:yang:ietf-hardware</namespace>
      <deviation>example-hw-dev</deviation>
      <submodule><name>ietf-hardware-sub</name><revision>2018-03-13</revision></submodule>
    </module>
  </module-set>
  <content-id>14e2ab5dc325f6d86f743e8d3ade233f1a61a899</content-id>
</yang-library>`;

describe('module inventory', () => {
  it('parseModulesState: revisions (empty: none), conformance, features, deviations, submodules', () => {
    const modules = parseModulesState(parseXml(MODULES_STATE));
    assert.deepEqual(modules, [
      { name: 'iana-crypt-hash', revision: '2014-08-06', namespace: 'urn:ietf:params:xml:ns:yang:iana-crypt-hash', conformance: 'import', features: ['crypt-hash-md5', 'crypt-hash-sha-256'], deviations: [], submodules: [] },
      { name: 'ietf-interfaces', revision: '2014-05-08', namespace: 'urn:ietf:params:xml:ns:yang:ietf-interfaces', conformance: 'implement', features: ['arbitrary-names', 'if-mib'], deviations: ['example-dev'], submodules: [] },
      { name: 'example-main', revision: undefined, namespace: 'urn:example:main', conformance: 'implement', features: [], deviations: [], submodules: [{ name: 'example-sub', revision: '2019-02-02' }] },
    ]);
  });

  it('parseYangLibrary: the union of the module sets, implemented when any set implements, features merged', () => {
    const modules = parseYangLibrary(parseXml(YANG_LIBRARY));
    assert.deepEqual(
      modules.map((m) => [m.name, m.revision, m.conformance, m.features, m.deviations, m.submodules.map((s) => s.name)]),
      [
        ['ietf-interfaces', '2018-02-20', 'implement', ['if-mib', 'pre-provisioning'], [], []],
        ['ietf-yang-types', '2013-07-15', 'import', [], [], []],
        ['ietf-hardware', '2018-03-13', 'implement', [], ['example-hw-dev'], ['ietf-hardware-sub']],
      ],
    );
  });

  it('modulesFromCapabilities: module=, revision=, features=, deviations= of the hello', () => {
    const caps = new Capabilities([
      'urn:ietf:params:netconf:base:1.1',
      'urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2014-05-08&features=arbitrary-names,if-mib&deviations=ex-dev',
      'urn:example:norev?module=ex-norev',
    ]);
    assert.deepEqual(modulesFromCapabilities(caps), [
      { name: 'ietf-interfaces', revision: '2014-05-08', namespace: 'urn:ietf:params:xml:ns:yang:ietf-interfaces', conformance: 'implement', features: ['arbitrary-names', 'if-mib'], deviations: ['ex-dev'], submodules: [] },
      { name: 'ex-norev', revision: undefined, namespace: 'urn:example:norev', conformance: 'implement', features: [], deviations: [], submodules: [] },
    ]);
  });

  it('yangLibraryForm: 1.1 beats 1.0; the ietf-yang-library module alone means 1.0; else none', () => {
    assert.equal(yangLibraryForm(new Capabilities([`${YANG_LIBRARY_1_0}?revision=2016-06-21&module-set-id=1`, `${YANG_LIBRARY_1_1}?content-id=2`])), 'yang-library');
    assert.equal(yangLibraryForm(new Capabilities([`${YANG_LIBRARY_1_0}?revision=2016-06-21&module-set-id=1`])), 'modules-state');
    assert.equal(yangLibraryForm(new Capabilities([`${YL}?module=ietf-yang-library&revision=2016-06-21`])), 'modules-state');
    assert.equal(yangLibraryForm(new Capabilities(['urn:ietf:params:netconf:base:1.0'])), undefined);
    assert.equal(yangLibraryFilter('modules-state'), `<modules-state xmlns="${YL}"/>`);
  });

  it('inventoryFeatures: exactly the features the device lists, per module (none listed: none)', () => {
    const features = inventoryFeatures({ source: 'modules-state', modules: parseModulesState(parseXml(MODULES_STATE)) });
    assert.deepEqual([...features], [
      ['iana-crypt-hash', ['crypt-hash-md5', 'crypt-hash-sha-256']],
      ['ietf-interfaces', ['arbitrary-names', 'if-mib']],
      ['example-main', []],
    ]);
  });
});
