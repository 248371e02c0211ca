import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE_1_0, BASE_1_1, Capabilities, DEFAULT_CLIENT_CAPABILITIES } from '../../src/transport/capabilities.js';
import { HelloError } from '../../src/transport/errors.js';
import { TransportError } from '../../src/errors.js';
import { buildHello, parseHello } from '../../src/transport/hello.js';
import { NETCONF_NS } from '../../src/namespaces.js';
import { findRoot } from '../../src/xml/root-element.js';
import { XmlLimitError } from '../../src/xml/limit-error.js';
import { cpuMs } from '../helpers/cpu-budget.js';

const WITH_DEFAULTS =
  'urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged';

/** Assert that `parseHello(xml)` throws a HelloError whose message matches `message`. */
function rejects(xml: string, message?: RegExp): void {
  assert.throws(
    () => parseHello(xml),
    (err: unknown) => {
      assert.ok(err instanceof HelloError, `expected HelloError, got ${String(err)}`);
      assert.ok(err instanceof TransportError);
      if (message) assert.match(err.message, message);
      return true;
    },
  );
}

const serverHello = (body: string): string => `<hello xmlns="${NETCONF_NS}">${body}</hello>`;

describe('buildHello', () => {
  it('is a hello in the NETCONF namespace', () => {
    const xml = buildHello(DEFAULT_CLIENT_CAPABILITIES);
    assert.equal(NETCONF_NS, 'urn:ietf:params:xml:ns:netconf:base:1.0');
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
    assert.deepEqual(findRoot(xml), [`{${NETCONF_NS}}hello`, {}]);
  });

  it('parses back to the same capabilities, in order', () => {
    const caps = [BASE_1_1, BASE_1_0, 'urn:ietf:params:netconf:capability:candidate:1.0', 'http://example.com/ns/x'];
    assert.deepEqual(parseHello(buildHello(caps)), { capabilities: caps, sessionId: null });
  });

  it('escapes & and the other special characters in URIs', () => {
    const tricky = [WITH_DEFAULTS, 'urn:x?a=<b>&c="d"&e=\'f\'', 'urn:y?z=]]>'];
    const xml = buildHello(tricky);
    assert.ok(xml.includes('basic-mode=explicit&amp;also-supported'), xml);
    assert.equal(xml.includes('explicit&also'), false, 'no raw & in the output');
    assert.ok(xml.includes('&lt;b&gt;'));
    assert.equal(xml.includes(']]>'), false, 'no raw ]]> (the base:1.0 end-of-message marker) in the output');
    assert.deepEqual(parseHello(xml).capabilities, tricky);
  });

  it('has no session-id', () => {
    const xml = buildHello([BASE_1_0]);
    assert.equal(xml.includes('session-id'), false);
    assert.equal(parseHello(xml).sessionId, null);
  });

  it('has an empty capabilities element for no capabilities', () => {
    const xml = buildHello([]);
    assert.ok(xml.includes('<capabilities></capabilities>'));
    assert.deepEqual(parseHello(xml), { capabilities: [], sessionId: null });
  });

  it('accepts any iterable, such as a Capabilities set', () => {
    const caps = new Capabilities([BASE_1_0, WITH_DEFAULTS, BASE_1_0]);
    assert.deepEqual(parseHello(buildHello(caps)).capabilities, [BASE_1_0, WITH_DEFAULTS]);
  });

  it('keeps non-ASCII characters', () => {
    const caps = ['urn:example:ünïcødé?module=模块', 'urn:example:emoji?x=\u{1F600}'];
    assert.deepEqual(parseHello(buildHello(caps)).capabilities, caps);
  });
});

describe('parseHello', () => {
  it('reads a netconfd-style server hello with prefixes, white space and a session-id', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<nc:hello xmlns:nc="${NETCONF_NS}">\n` +
      '  <nc:capabilities>\n' +
      '    <nc:capability>urn:ietf:params:netconf:base:1.0</nc:capability>\n' +
      '    <nc:capability>\n' +
      '      urn:ietf:params:netconf:base:1.1\n' +
      '    </nc:capability>\n' +
      '    <nc:capability>urn:ietf:params:netconf:capability:candidate:1.0</nc:capability>\n' +
      '    <nc:capability>urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&amp;also-supported=report-all,report-all-tagged</nc:capability>\n' +
      '    <nc:capability>\turn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&amp;revision=2018-02-20\r\n</nc:capability>\n' +
      '  </nc:capabilities>\n' +
      '  <nc:session-id>\n    4711\n  </nc:session-id>\n' +
      '</nc:hello>\n';
    const hello = parseHello(xml);
    assert.deepEqual(hello, {
      capabilities: [
        BASE_1_0,
        BASE_1_1,
        'urn:ietf:params:netconf:capability:candidate:1.0',
        WITH_DEFAULTS,
        'urn:ietf:params:xml:ns:yang:ietf-interfaces?module=ietf-interfaces&revision=2018-02-20',
      ],
      sessionId: '4711',
    });
    const caps = new Capabilities(hello.capabilities);
    assert.ok(caps.has(':base:1.1'));
    assert.equal(caps.get(':with-defaults')?.parameters['basic-mode'], 'explicit');
    assert.equal(caps.modules().get('ietf-interfaces')?.parameters['revision'], '2018-02-20');
  });

  it('reads a hello using the default namespace', () => {
    const xml = serverHello(
      `<capabilities><capability>${BASE_1_0}</capability></capabilities><session-id>1</session-id>`,
    );
    assert.deepEqual(parseHello(xml), { capabilities: [BASE_1_0], sessionId: '1' });
  });

  it('accepts the session-id before the capabilities', () => {
    const xml = serverHello(`<session-id>22</session-id><capabilities><capability>${BASE_1_1}</capability></capabilities>`);
    assert.deepEqual(parseHello(xml), { capabilities: [BASE_1_1], sessionId: '22' });
  });

  it('ignores comments, processing instructions and a BOM; joins text split by a comment; reads CDATA', () => {
    const xml =
      '\ufeff<?xml version="1.0"?><!-- server banner -->' +
      serverHello(
        '<capabilities><!-- c --><capability>urn:ietf:params:netconf:<!-- split -->base:1.0</capability>' +
          '<?pi x?><capability><![CDATA[urn:x?a=1&b=2]]></capability></capabilities>',
      );
    assert.deepEqual(parseHello(xml).capabilities, [BASE_1_0, 'urn:x?a=1&b=2']);
  });

  it('skips empty capability elements', () => {
    const xml = serverHello(`<capabilities><capability/><capability>  \n </capability><capability>${BASE_1_0}</capability></capabilities>`);
    assert.deepEqual(parseHello(xml).capabilities, [BASE_1_0]);
  });

  it('ignores capability elements outside <capabilities> and in other namespaces', () => {
    const xml = serverHello(
      '<capability>urn:stray</capability>' +
        '<capabilities>' +
        '<capability xmlns="urn:vendor">urn:vendor-ns</capability>' +
        `<capability>${BASE_1_0}</capability>` +
        '</capabilities>' +
        '<x:session-id xmlns:x="urn:vendor">99</x:session-id>' +
        '<session-id>7</session-id>' +
        '<x:extra xmlns:x="urn:vendor"><capabilities><capability>urn:nested</capability></capabilities></x:extra>',
    );
    assert.deepEqual(parseHello(xml), { capabilities: [BASE_1_0], sessionId: '7' });
  });

  it('returns a null session-id when there is none', () => {
    assert.equal(parseHello(serverHello(`<capabilities><capability>${BASE_1_0}</capability></capabilities>`)).sessionId, null);
  });

  it('resolves entities and character references in capability text', () => {
    const xml = serverHello('<capabilities><capability>urn:x?a=1&amp;b=&#x32;&#51;&lt;&gt;</capability></capabilities>');
    assert.deepEqual(parseHello(xml).capabilities, ['urn:x?a=1&b=23<>']);
  });

  it('keeps duplicate capabilities as advertised (de-duplication is for Capabilities)', () => {
    const xml = serverHello(`<capabilities><capability>${BASE_1_0}</capability><capability>${BASE_1_0}</capability></capabilities>`);
    assert.deepEqual(parseHello(xml).capabilities, [BASE_1_0, BASE_1_0]);
  });
});

describe('parseHello: errors', () => {
  it('rejects a root element other than hello', () => {
    rejects(`<rpc-reply xmlns="${NETCONF_NS}" message-id="1"><ok/></rpc-reply>`, /expected <hello>/);
    rejects(`<nc:capabilities xmlns:nc="${NETCONF_NS}"/>`, /expected <hello>/);
  });

  it('rejects a hello in the wrong namespace', () => {
    rejects('<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.1"><capabilities/></hello>', /urn:ietf:params:xml:ns:netconf:base:1\.1/);
    rejects('<x:hello xmlns:x="urn:vendor"><capabilities/></x:hello>', /urn:vendor/);
  });

  it('rejects a hello in no namespace', () => {
    rejects(`<hello><capabilities><capability>${BASE_1_0}</capability></capabilities><session-id>1</session-id></hello>`, /no namespace/);
  });

  it('rejects XML that is not well-formed', () => {
    rejects(serverHello(`<capabilities><capability>${BASE_1_0}</capabilities>`));
    rejects(`<hello xmlns="${NETCONF_NS}"><capabilities>`);
    rejects(serverHello('<capabilities><capability>urn:x?a=1&b=2</capability></capabilities>'));
    rejects(serverHello('<capabilities><capability>&nbsp;</capability></capabilities>'));
    rejects(serverHello('<nc:capabilities/>'), /prefix|nc/);
    rejects(`${serverHello('')}<hello xmlns="${NETCONF_NS}"/>`);
    rejects(`garbage${serverHello('')}`);
  });

  it('rejects an empty document', () => {
    rejects('');
    rejects('  \n ');
    rejects('<?xml version="1.0"?>');
  });

  it('rejects a DTD, even an internal one defining entities', () => {
    rejects(`<!DOCTYPE hello>${serverHello('<capabilities/>')}`, /document type/);
    rejects(
      '<?xml version="1.0"?>\n<!DOCTYPE hello [<!ENTITY cap "urn:ietf:params:netconf:base:1.0">]>\n' +
        serverHello('<capabilities><capability>&cap;</capability></capabilities>'),
    );
    rejects(`<!DOCTYPE hello SYSTEM "file:///etc/passwd">${serverHello('<capabilities/>')}`, /document type/);
  });

  it('refuses a hello 40 000 elements deep (280 kB) at once: the parser stops at its depth limit', () => {
    // saxes, the parser before, took 24 s (super-quadratic in depth) to say it was well-formed.
    const depth = 40_000;
    const xml = serverHello(`<capabilities>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</capabilities>`);
    assert.ok(xml.length > 280_000);
    let error: unknown;
    const ms = cpuMs(() => {
      try {
        parseHello(xml);
      } catch (err) {
        error = err;
      }
    });
    assert.ok(error instanceof HelloError, `expected HelloError, got ${String(error)}`);
    assert.match(error.message, /^Malformed hello: element <x> nested deeper than 1024 levels \(limit maxDepth: 1024\)/);
    assert.ok(error.cause instanceof XmlLimitError && error.cause.limit === 'maxDepth');
    assert.ok(ms < 250, `refused in ${ms.toFixed(0)} ms of CPU time`);
  });

  it('names the error and puts the cause in the message', () => {
    assert.throws(
      () => parseHello(`<hello xmlns="urn:wrong"/>`),
      (err: unknown) => {
        assert.ok(err instanceof HelloError);
        assert.equal(err.name, 'HelloError');
        assert.match(err.message, /^Malformed hello: expected <hello> in urn:ietf:params:xml:ns:netconf:base:1\.0, got <hello> in urn:wrong$/);
        return true;
      },
    );
  });
});
