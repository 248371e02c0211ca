import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { findRoot } from '../../src/xml/root-element.js';
import { cpuMs } from '../helpers/cpu-budget.js';

const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Assert that `findRoot(xml)` throws a MalformedMessageError whose message matches `message`. */
function rejects(xml: string, message?: RegExp): void {
  assert.throws(
    () => findRoot(xml),
    (err: unknown) => {
      assert.ok(err instanceof MalformedMessageError, `expected MalformedMessageError, got ${String(err)}`);
      if (message) assert.match(err.message, message);
      return true;
    },
  );
}

describe('findRoot: element names', () => {
  it('resolves a default namespace to Clark notation', () => {
    assert.deepEqual(findRoot(`<rpc-reply xmlns="${NC}"></rpc-reply>`), [`{${NC}}rpc-reply`, {}]);
  });

  it('resolves a prefixed root with the declaration it carries', () => {
    assert.deepEqual(findRoot(`<nc:rpc-reply xmlns:nc="${NC}"></nc:rpc-reply>`), [`{${NC}}rpc-reply`, {}]);
  });

  it('uses the prefix binding, not the default namespace, for a prefixed root', () => {
    const [tag] = findRoot(`<nc:rpc-reply xmlns="urn:other" xmlns:nc="${NC}"/>`);
    assert.equal(tag, `{${NC}}rpc-reply`);
  });

  it('takes the namespace declaration into account even when it follows the attribute using it', () => {
    const [tag, attrs] = findRoot('<x:root x:a="1" xmlns:x="urn:x"/>');
    assert.equal(tag, '{urn:x}root');
    assert.deepEqual(attrs, { '{urn:x}a': '1' });
  });

  it('returns a plain name for a root in no namespace', () => {
    assert.deepEqual(findRoot('<rpc-reply message-id="7"><ok/></rpc-reply>'), ['rpc-reply', { 'message-id': '7' }]);
  });

  it('treats xmlns="" as no namespace', () => {
    assert.deepEqual(findRoot('<hello xmlns=""/>'), ['hello', {}]);
  });

  it('reads a self-closing root', () => {
    assert.deepEqual(findRoot('<ok/>'), ['ok', {}]);
    assert.deepEqual(findRoot(`<ok xmlns="${NC}"/>`), [`{${NC}}ok`, {}]);
    assert.deepEqual(findRoot(`<ok xmlns="${NC}" />`), [`{${NC}}ok`, {}]);
  });

  it('ends the name at >, / or white space', () => {
    assert.equal(findRoot('<hello>')[0], 'hello');
    assert.equal(findRoot('<hello/>')[0], 'hello');
    assert.equal(findRoot('<hello\n/>')[0], 'hello');
    assert.equal(findRoot('<hello\txmlns="urn:x">')[0], '{urn:x}hello');
  });
});

describe('findRoot: attributes', () => {
  it('keeps an unprefixed attribute plain, even under a default namespace', () => {
    const [tag, attrs] = findRoot(`<rpc-reply xmlns="${NC}" message-id="101"/>`);
    assert.equal(tag, `{${NC}}rpc-reply`);
    assert.deepEqual(attrs, { 'message-id': '101' });
    assert.equal(Object.hasOwn(attrs, `{${NC}}message-id`), false);
  });

  it('resolves prefixed attributes', () => {
    const [, attrs] = findRoot('<root xmlns:x="urn:x" x:a="1"/>');
    assert.deepEqual(attrs, { '{urn:x}a': '1' });
  });

  it('distinguishes the same local name in different namespaces', () => {
    const [, attrs] = findRoot('<root xmlns:x="urn:x" xmlns:y="urn:y" x:a="1" y:a="2" a="3"/>');
    assert.deepEqual(attrs, { '{urn:x}a': '1', '{urn:y}a': '2', a: '3' });
  });

  it('binds the xml prefix without a declaration', () => {
    const [, attrs] = findRoot('<rpc xml:lang="en" xml:space="preserve"/>');
    assert.deepEqual(attrs, { [`{${XML_NS}}lang`]: 'en', [`{${XML_NS}}space`]: 'preserve' });
  });

  it('leaves namespace declarations out of the attributes', () => {
    const [, attrs] = findRoot(`<nc:rpc-reply xmlns="urn:d" xmlns:nc="${NC}" xmlns:x="urn:x" message-id="1"/>`);
    assert.deepEqual(Object.keys(attrs), ['message-id']);
  });

  it('accepts single and double quotes, each containing the other', () => {
    const [, attrs] = findRoot(`<rpc a='1' b="2" c='say "hi"' d="it's"/>`);
    assert.deepEqual(attrs, { a: '1', b: '2', c: 'say "hi"', d: "it's" });
  });

  it('accepts a namespace declaration in single quotes', () => {
    assert.equal(findRoot(`<hello xmlns='${NC}'/>`)[0], `{${NC}}hello`);
  });

  it('keeps an empty attribute value', () => {
    assert.deepEqual(findRoot('<rpc a="" b=\'\'/>')[1], { a: '', b: '' });
  });

  it('resolves entities and character references in attribute values', () => {
    const [, attrs] = findRoot('<rpc a="x &amp; y &lt; z" b="&#x41;&#65;" c="&quot;&apos;&gt;"/>');
    assert.deepEqual(attrs, { a: 'x & y < z', b: 'AA', c: `"'>` });
  });

  it('resolves entities in a namespace declaration', () => {
    assert.equal(findRoot('<a:r xmlns:a="urn:x?p=1&amp;q=2"/>')[0], '{urn:x?p=1&q=2}r');
  });

  it('allows white space and newlines anywhere white space is allowed in the tag', () => {
    const xml = `<rpc-reply\n\txmlns = "${NC}"\r\n   message-id\n=\n'42'\n\n   >\n<ok/></rpc-reply>`;
    assert.deepEqual(findRoot(xml), [`{${NC}}rpc-reply`, { 'message-id': '42' }]);
  });

  it('normalises white space inside an attribute value, as the whole-document parse does', () => {
    assert.deepEqual(findRoot('<rpc a="1\n2"/>')[1], { a: '1 2' });
  });

  it('returns a "/" or ">" inside a quoted value as part of the value', () => {
    assert.deepEqual(findRoot('<rpc a="x/>y" b=\'>\'/>')[1], { a: 'x/>y', b: '>' });
  });
});

describe('findRoot: what comes before the root', () => {
  it('skips the XML declaration', () => {
    assert.equal(findRoot(`<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NC}"/>`)[0], `{${NC}}hello`);
  });

  it('skips a BOM, white space, comments and processing instructions in any order', () => {
    const xml =
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<!-- a comment with <rpc> and "quotes" inside -->\n' +
      '  <?some-pi data <not-root/> ?>\r\n\t' +
      '<!---->' +
      '<!-- two\nlines -->' +
      `<nc:rpc-reply xmlns:nc="${NC}" message-id="5">`;
    assert.deepEqual(findRoot(xml), [`{${NC}}rpc-reply`, { 'message-id': '5' }]);
  });

  it('skips leading white space', () => {
    assert.equal(findRoot('\n\n   \t<ok/>')[0], 'ok');
  });

  it('ignores what follows the root start tag, however broken', () => {
    const xml = `<rpc-reply message-id="1" xmlns="${NC}"><<<&&&`;
    assert.deepEqual(findRoot(xml), [`{${NC}}rpc-reply`, { 'message-id': '1' }]);
  });

  it('ignores a second root and trailing garbage after a self-closing root', () => {
    assert.deepEqual(findRoot('<ok/><another-root/></unbalanced>&bogus;<!DOCTYPE x>'), ['ok', {}]);
  });

  it('does not look into children for namespace declarations or prefixes', () => {
    const xml = `<rpc-reply xmlns="${NC}" message-id="9"><data xmlns:undeclared-later="urn:y"><q:x/></data></rpc-reply>`;
    assert.deepEqual(findRoot(xml), [`{${NC}}rpc-reply`, { 'message-id': '9' }]);
  });

  it('reads a realistic ncclient-style rpc-reply', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<nc:rpc-reply xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0"\n' +
      '              xmlns:junos="http://xml.juniper.net/junos/18.1R3/junos"\n' +
      '              xmlns:if="urn:ietf:params:xml:ns:yang:ietf-interfaces"\n' +
      '              message-id="urn:uuid:0b8c6a4e-8c39-4a48-9a53-2d9d6c1a7c0f"\n' +
      '              junos:style="normal">\n' +
      '  <nc:data><if:interfaces><if:interface><if:name>ge-0/0/0</if:name></if:interface></if:interfaces></nc:data>\n' +
      '</nc:rpc-reply>\n';
    const [tag, attrs] = findRoot(xml);
    assert.equal(tag, `{${NC}}rpc-reply`);
    assert.deepEqual(attrs, {
      'message-id': 'urn:uuid:0b8c6a4e-8c39-4a48-9a53-2d9d6c1a7c0f',
      '{http://xml.juniper.net/junos/18.1R3/junos}style': 'normal',
    });
  });

  it('reads a notification root', () => {
    const xml =
      '<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0">' +
      '<eventTime>2024-01-01T00:00:00Z</eventTime></notification>';
    assert.deepEqual(findRoot(xml), ['{urn:ietf:params:xml:ns:netconf:notification:1.0}notification', {}]);
  });
});

describe('findRoot: errors', () => {
  it('rejects an empty message', () => {
    rejects('', /empty/i);
  });

  it('rejects a message of only white space, a BOM, comments and a declaration', () => {
    rejects('   \n\t\r\n  ', /empty/i);
    rejects('\ufeff', /empty/i);
    rejects('<?xml version="1.0"?>\n<!-- nothing -->\n', /empty/i);
  });

  it('rejects text before the root', () => {
    rejects(`hello <rpc-reply xmlns="${NC}"/>`, /expected the root element/i);
    rejects(`]]>]]><rpc-reply xmlns="${NC}"/>`);
  });

  it('rejects a closing tag or CDATA in place of the root', () => {
    rejects('</rpc-reply>');
    rejects('<![CDATA[x]]><ok/>');
  });

  it('rejects a DOCTYPE before the root', () => {
    rejects('<!DOCTYPE rpc-reply [<!ENTITY x "y">]><rpc-reply/>', /document type/i);
    rejects('<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE hello SYSTEM "http://example.com/x.dtd"><hello/>', /document type/i);
  });

  it('rejects an undeclared prefix on the root tag', () => {
    rejects('<nc:rpc-reply message-id="1"/>', /undeclared.*'nc'/i);
    // a default namespace does not bind a prefix
    rejects(`<nc:rpc-reply xmlns="${NC}"/>`, /undeclared/i);
  });

  it('rejects an undeclared prefix on an attribute', () => {
    rejects(`<rpc-reply xmlns="${NC}" junos:style="normal"/>`, /undeclared.*'junos'/i);
  });

  it('rejects an unterminated root start tag', () => {
    rejects('<rpc-reply', /unterminated/i);
    rejects(`<rpc-reply xmlns="${NC}"`, /unterminated/i);
    rejects(`<rpc-reply xmlns="${NC}" message-id="1`, /unterminated/i);
    rejects(`<rpc-reply xmlns="${NC}" message-id='1"/>`, /unterminated/i);
    rejects('<rpc-reply message-id="1" /', /unterminated/i);
  });

  it('rejects a malformed attribute', () => {
    rejects('<rpc-reply message-id=1>');
    rejects('<rpc-reply message-id>');
    rejects('<rpc-reply ="1">');
    rejects('<rpc-reply / >');
  });

  it('rejects a root start tag with no name', () => {
    rejects('<>', /no name/i);
    rejects('< rpc-reply/>', /no name/i);
  });

  it('rejects an unterminated comment or processing instruction', () => {
    rejects('<!-- never closed <rpc-reply/>', /unterminated comment/i);
    rejects('<?xml version="1.0" <rpc-reply/>', /unterminated processing instruction/i);
  });

  it('rejects a bad entity in an attribute value', () => {
    rejects('<rpc-reply message-id="&nbsp;"/>', /message-id/);
    rejects('<rpc-reply message-id="&amp"/>', /message-id/);
    rejects('<rpc-reply message-id="&#0;"/>', /message-id/);
    rejects('<rpc-reply xmlns="urn:&bogus;"/>', /xmlns/);
  });

  it('does not need a resolvable prefix on anything but the root tag and its attributes', () => {
    // the undeclared prefix is in a child: not looked at
    assert.doesNotThrow(() => findRoot('<rpc-reply><x:y/></rpc-reply>'));
  });
});

describe('findRoot: strictness', () => {
  it(
    'rejects a QName with an empty prefix or an empty local part',
    () => {
      rejects('<:rpc xmlns="urn:x"/>');
      rejects('<rpc: xmlns:rpc="urn:x"/>');
      rejects('<rpc xmlns="urn:x" :a="1"/>');
    },
  );

  it(
    'keeps an attribute named __proto__',
    () => {
      const [, attrs] = findRoot('<rpc __proto__="x" a="1"/>');
      assert.ok(Object.hasOwn(attrs, '__proto__'), 'attribute __proto__ is present');
      assert.equal(attrs['__proto__'], 'x');
    },
  );

  it(
    'rejects a start tag that is not well-formed',
    () => {
      rejects('<rpc a="1"b="2"/>');
      rejects('<rpc a="1" a="2"/>');
      rejects('<rpc xmlns:p="urn:a" xmlns:q="urn:a" p:x="1" q:x="2"/>');
      rejects('<rpc a="<"/>');
      rejects('<rpc a="x & y"/>');
    },
  );
});

describe('findRoot: input and cost', () => {
  it('reads bytes as well as strings, with the same result', () => {
    for (const xml of [`<nc:rpc-reply xmlns:nc="${NC}" message-id="é€😀"/>`, '\ufeff<?xml version="1.0"?><!-- c --><r a="&amp;"><x/></r>']) {
      assert.deepEqual(findRoot(Buffer.from(xml, 'utf8')), findRoot(xml));
      assert.deepEqual(findRoot(new Uint8Array(Buffer.from(xml, 'utf8'))), findRoot(xml));
    }
    assert.throws(() => findRoot(Buffer.from('<r a="1"')), /unterminated/i);
    assert.throws(() => findRoot(Buffer.from([0x3c, 0x72, 0xff, 0x3e])), MalformedMessageError);
  });

  it('costs as much as the root start tag, not the document', () => {
    const body = `<data>${'<x>&amp;</x>'.repeat(2_000_000)}</data>`; // 24 MB after the root start tag
    const xml = `<rpc-reply xmlns="${NC}" message-id="7">${body}</rpc-reply>`;
    const bytes = Buffer.from(xml);
    let root: unknown;
    const ms = cpuMs(() => {
      for (let i = 0; i < 100; i++) root = [findRoot(xml), findRoot(bytes)];
    });
    assert.deepEqual(root, [[`{${NC}}rpc-reply`, { 'message-id': '7' }], [`{${NC}}rpc-reply`, { 'message-id': '7' }]]);
    assert.ok(ms < 500, `200 calls took ${ms.toFixed(0)} ms of CPU time`);
  });

  it('ignores what follows the root start tag, even a lone surrogate or bytes that are not UTF-8', () => {
    assert.deepEqual(findRoot('<ok>\uD800'), ['ok', {}]);
    assert.deepEqual(findRoot(Buffer.from([0x3c, 0x6f, 0x6b, 0x3e, 0xff, 0xfe])), ['ok', {}]);
  });

  it('reads a root start tag longer than the first slice of a string, cut anywhere', () => {
    const attrs = Array.from({ length: 1000 }, (_, i) => `a${i}="😀${i}"`).join(' ');
    const xml = `<r ${attrs}><x/></r>`;
    const [tag, attributes] = findRoot(xml);
    assert.equal(tag, 'r');
    assert.equal(Object.keys(attributes).length, 1000);
    assert.equal(attributes['a999'], '😀999');
  });
});
