import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BASE_1_0,
  BASE_1_1,
  Capabilities,
  DEFAULT_CLIENT_CAPABILITIES,
  parseCapability,
} from '../../src/transport/capabilities.js';

const CANDIDATE = 'urn:ietf:params:netconf:capability:candidate:1.0';
const VALIDATE_11 = 'urn:ietf:params:netconf:capability:validate:1.1';
const WITH_DEFAULTS =
  'urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged';
const YANG_LIBRARY = 'urn:ietf:params:netconf:capability:yang-library:1.1?revision=2019-01-04&content-id=42';
const IF_MODULE =
  'urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2018-02-20&features=arbitrary-names,pre-provisioning&deviations=vendor-dev';
const TAILF_ACTIONS = 'http://tail-f.com/ns/netconf/actions/1.0';

describe('constants', () => {
  it('names both base versions and uses both by default', () => {
    assert.equal(BASE_1_0, 'urn:ietf:params:netconf:base:1.0');
    assert.equal(BASE_1_1, 'urn:ietf:params:netconf:base:1.1');
    assert.deepEqual([...DEFAULT_CLIENT_CAPABILITIES], [BASE_1_0, BASE_1_1]);
  });
});

describe('parseCapability', () => {
  it('splits a URI without parameters', () => {
    assert.deepEqual(parseCapability(CANDIDATE), {
      uri: CANDIDATE,
      base: CANDIDATE,
      parameters: {},
      abbreviations: [':candidate', ':candidate:1.0'],
    });
  });

  it('abbreviates base URIs as :base and :base:<version>', () => {
    assert.deepEqual(parseCapability(BASE_1_1).abbreviations, [':base', ':base:1.1']);
    assert.deepEqual(parseCapability(BASE_1_0).abbreviations, [':base', ':base:1.0']);
  });

  it('abbreviates a capability without a version as its name only', () => {
    assert.deepEqual(parseCapability('urn:ietf:params:netconf:capability:notification').abbreviations, [':notification']);
  });

  it('gives no abbreviation to a non-IETF URI', () => {
    assert.deepEqual(parseCapability(TAILF_ACTIONS).abbreviations, []);
    assert.deepEqual(parseCapability('urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces').abbreviations, []);
    assert.deepEqual(parseCapability('urn:ietf:params:netconf:capability:').abbreviations, []);
  });

  it('abbreviates from the base, not from the parameters', () => {
    const cap = parseCapability(WITH_DEFAULTS);
    assert.equal(cap.base, 'urn:ietf:params:netconf:capability:with-defaults:1.0');
    assert.deepEqual(cap.abbreviations, [':with-defaults', ':with-defaults:1.0']);
  });

  it('parses module, revision, features and deviations', () => {
    const cap = parseCapability(IF_MODULE);
    assert.equal(cap.uri, IF_MODULE);
    assert.equal(cap.base, 'urn:ietf:params:xml:ns:yang:ietf-interfaces');
    assert.deepEqual(cap.parameters, {
      module: 'ietf-interfaces',
      revision: '2018-02-20',
      features: 'arbitrary-names,pre-provisioning',
      deviations: 'vendor-dev',
    });
  });

  it('parses parameters of an IETF capability', () => {
    assert.deepEqual(parseCapability(WITH_DEFAULTS).parameters, {
      'basic-mode': 'explicit',
      'also-supported': 'report-all,report-all-tagged',
    });
  });

  it('accepts &amp; as a parameter separator, as some servers send it', () => {
    const cap = parseCapability('urn:example:mod?module=mod&amp;revision=2020-01-01&amp;features=a,b');
    assert.deepEqual(cap.parameters, { module: 'mod', revision: '2020-01-01', features: 'a,b' });
    assert.equal(cap.base, 'urn:example:mod');
  });

  it('accepts mixed & and &amp; separators and skips empty pairs', () => {
    const cap = parseCapability('urn:example:mod?&module=mod&&amp;revision=2020-01-01&');
    assert.deepEqual(cap.parameters, { module: 'mod', revision: '2020-01-01' });
  });

  it('percent-decodes parameter names and values', () => {
    const cap = parseCapability('urn:example:m?module=my%2Dmod&features=f%2Cg&deviations=a%20b&x%3Dy=1');
    assert.deepEqual(cap.parameters, { module: 'my-mod', features: 'f,g', deviations: 'a b', 'x=y': '1' });
  });

  it('does not treat + as a space', () => {
    assert.equal(parseCapability('urn:x?module=a+b').parameters['module'], 'a+b');
  });

  it('keeps a value that is not valid percent-encoding as it is', () => {
    assert.deepEqual(parseCapability('urn:x?module=100%&revision=%ZZ').parameters, { module: '100%', revision: '%ZZ' });
  });

  it('gives an empty value to a parameter without =', () => {
    assert.deepEqual(parseCapability('urn:x?flag&module=m').parameters, { flag: '', module: 'm' });
  });

  it('keeps = signs after the first in the value', () => {
    assert.deepEqual(parseCapability('urn:x?content-id=a=b').parameters, { 'content-id': 'a=b' });
  });

  it('gives a URI ending in ? no parameters', () => {
    const cap = parseCapability('urn:x?');
    assert.equal(cap.base, 'urn:x');
    assert.deepEqual(cap.parameters, {});
  });
});

describe('Capabilities', () => {
  const server = (): Capabilities =>
    new Capabilities([BASE_1_0, BASE_1_1, CANDIDATE, VALIDATE_11, WITH_DEFAULTS, YANG_LIBRARY, IF_MODULE, TAILF_ACTIONS]);

  it('has() full URIs, parameters included', () => {
    const caps = server();
    for (const uri of [BASE_1_0, BASE_1_1, CANDIDATE, VALIDATE_11, WITH_DEFAULTS, YANG_LIBRARY, IF_MODULE, TAILF_ACTIONS]) {
      assert.ok(caps.has(uri), uri);
    }
  });

  it('has() a URI with parameters by its base URI', () => {
    const caps = server();
    assert.ok(caps.has('urn:ietf:params:netconf:capability:with-defaults:1.0'));
    assert.ok(caps.has('urn:ietf:params:xml:ns:yang:ietf-interfaces'));
    assert.ok(caps.has('urn:ietf:params:netconf:capability:yang-library:1.1'));
  });

  it('has() abbreviations', () => {
    const caps = server();
    for (const abbr of [':candidate', ':candidate:1.0', ':base', ':base:1.0', ':base:1.1', ':validate', ':validate:1.1', ':with-defaults', ':with-defaults:1.0', ':yang-library', ':yang-library:1.1']) {
      assert.ok(caps.has(abbr), abbr);
    }
  });

  it('does not have what was not advertised', () => {
    const caps = server();
    for (const absent of [
      ':startup',
      ':candidate:1.1',
      ':validate:1.0',
      ':base:1.2',
      'urn:ietf:params:netconf:capability:startup:1.0',
      'urn:ietf:params:netconf:capability:candidate:1.1',
      'candidate',
      ':',
      '',
      // a different parameter set is not the advertised URI
      'urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=trim',
      // only exact strings match
      CANDIDATE.toUpperCase(),
      `${CANDIDATE} `,
      'http://tail-f.com/ns/netconf/actions',
    ]) {
      assert.equal(caps.has(absent), false, JSON.stringify(absent));
    }
  });

  it('does not abbreviate a non-IETF URI', () => {
    const caps = new Capabilities([TAILF_ACTIONS, 'http://example.com/ns/capability:candidate:1.0']);
    assert.equal(caps.has(':candidate'), false);
    assert.equal(caps.has(':actions'), false);
    assert.equal(caps.has(':1.0'), false);
    assert.deepEqual(caps.get(TAILF_ACTIONS)?.abbreviations, []);
  });

  it(':base:1.1 is only present when base:1.1 is', () => {
    const caps = new Capabilities([BASE_1_0]);
    assert.ok(caps.has(':base'));
    assert.ok(caps.has(':base:1.0'));
    assert.equal(caps.has(':base:1.1'), false);
  });

  it('get() returns the parsed capability by URI, base URI or abbreviation', () => {
    const caps = server();
    const expected = parseCapability(WITH_DEFAULTS);
    assert.deepEqual(caps.get(WITH_DEFAULTS), expected);
    assert.deepEqual(caps.get('urn:ietf:params:netconf:capability:with-defaults:1.0'), expected);
    assert.deepEqual(caps.get(':with-defaults'), expected);
    assert.deepEqual(caps.get(':with-defaults:1.0'), expected);
    assert.equal(caps.get(':with-defaults')?.parameters['basic-mode'], 'explicit');
    assert.equal(caps.get(':candidate')?.uri, CANDIDATE);
    assert.equal(caps.get(':startup'), undefined);
  });

  it('get(":base") gives the first base advertised', () => {
    assert.equal(new Capabilities([BASE_1_1, BASE_1_0]).get(':base')?.uri, BASE_1_1);
    assert.equal(new Capabilities([BASE_1_0, BASE_1_1]).get(':base')?.uri, BASE_1_0);
  });

  it('iterates the URIs in the order advertised', () => {
    const uris = [IF_MODULE, BASE_1_1, TAILF_ACTIONS, CANDIDATE, BASE_1_0];
    const caps = new Capabilities(uris);
    assert.deepEqual([...caps], uris);
    assert.deepEqual(caps.toArray(), uris);
    assert.deepEqual([...caps.values()].map((c) => c.uri), uris);
  });

  it('removes duplicates, keeping the first position', () => {
    const caps = new Capabilities([CANDIDATE, BASE_1_0, CANDIDATE, BASE_1_1, BASE_1_0]);
    assert.deepEqual(caps.toArray(), [CANDIDATE, BASE_1_0, BASE_1_1]);
    assert.equal(caps.size, 3);
  });

  it('trims URIs, skips empty ones and de-duplicates after trimming', () => {
    const caps = new Capabilities([`\n   ${CANDIDATE}\n  `, '', '   ', CANDIDATE, `\t${BASE_1_0}`]);
    assert.deepEqual(caps.toArray(), [CANDIDATE, BASE_1_0]);
    assert.equal(caps.size, 2);
    assert.ok(caps.has(CANDIDATE));
    assert.ok(caps.has(':candidate'));
  });

  it('keeps two URIs with the same base and different parameters, both by full URI', () => {
    const a = 'urn:example:m?module=m&revision=2020-01-01';
    const b = 'urn:example:m?module=m&revision=2021-01-01';
    const caps = new Capabilities([a, b]);
    assert.equal(caps.size, 2);
    assert.equal(caps.get(a)?.parameters['revision'], '2020-01-01');
    assert.equal(caps.get(b)?.parameters['revision'], '2021-01-01');
    assert.equal(caps.get('urn:example:m')?.uri, a, 'the base URI finds the first');
  });

  it('size counts distinct capabilities', () => {
    assert.equal(new Capabilities().size, 0);
    assert.equal(new Capabilities([]).size, 0);
    assert.equal(server().size, 8);
  });

  it('accepts any iterable, a Set or a generator', () => {
    function* gen(): Generator<string> {
      yield BASE_1_0;
      yield CANDIDATE;
    }
    assert.deepEqual(new Capabilities(gen()).toArray(), [BASE_1_0, CANDIDATE]);
    assert.deepEqual(new Capabilities(new Set([BASE_1_1])).toArray(), [BASE_1_1]);
    assert.deepEqual(new Capabilities(server()).toArray(), server().toArray());
  });

  it('modules() maps module names to their capability', () => {
    const other = 'urn:example:other?module=example-other&amp;revision=2022-02-02';
    const caps = new Capabilities([...server(), other, 'urn:example:no-module?revision=2020-01-01', 'urn:x?module=']);
    const modules = caps.modules();
    assert.deepEqual([...modules.keys()], ['ietf-interfaces', 'example-other']);
    assert.equal(modules.get('ietf-interfaces')?.uri, IF_MODULE);
    assert.equal(modules.get('ietf-interfaces')?.parameters['revision'], '2018-02-20');
    assert.equal(modules.get('example-other')?.parameters['revision'], '2022-02-02');
  });

  it('modules() uses the percent-decoded module name', () => {
    const modules = new Capabilities(['urn:x?module=my%2Dmod']).modules();
    assert.deepEqual([...modules.keys()], ['my-mod']);
  });

  it('modules() is empty without module capabilities', () => {
    assert.equal(new Capabilities([BASE_1_0, CANDIDATE]).modules().size, 0);
  });

  it('serialises to JSON as the list of URIs', () => {
    const caps = new Capabilities([BASE_1_0, IF_MODULE, BASE_1_0]);
    assert.deepEqual(caps.toJSON(), [BASE_1_0, IF_MODULE]);
    assert.equal(JSON.stringify({ caps }), JSON.stringify({ caps: [BASE_1_0, IF_MODULE] }));
  });

  it('toArray() returns a copy', () => {
    const caps = new Capabilities([BASE_1_0]);
    caps.toArray().push(BASE_1_1);
    assert.deepEqual(caps.toArray(), [BASE_1_0]);
    assert.equal(caps.size, 1);
  });
});
