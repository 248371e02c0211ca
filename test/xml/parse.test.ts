/** parseXml: namespaces, text, entities, CDATA, refusal of DTDs and malformed documents. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError, TransportError } from '../../src/errors.js';
import { XmlElement } from '../../src/xml/element.js';
import { parseXml } from '../../src/xml/parse.js';

const NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA_NS = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

describe('parseXml: names and namespaces', () => {
  it('resolves default namespaces and prefixes on elements', () => {
    const doc = parseXml(`<nc:rpc-reply xmlns:nc="${NS}" message-id="1"><nc:data><interfaces xmlns="${IF_NS}"><interface/></interfaces></nc:data></nc:rpc-reply>`);
    assert.ok(doc instanceof XmlElement);
    assert.equal(doc.name, 'nc:rpc-reply');
    assert.equal(doc.local, 'rpc-reply');
    assert.equal(doc.namespace, NS);
    assert.equal(doc.tag, `{${NS}}rpc-reply`);
    assert.equal(doc.parent, null);
    const data = doc.elements[0];
    assert.equal(data?.tag, `{${NS}}data`);
    assert.equal(data?.parent, doc);
    const iface = doc.find('data/interfaces/interface');
    assert.equal(iface?.tag, `{${IF_NS}}interface`, 'the default namespace is inherited');
    assert.equal(iface?.name, 'interface');
  });

  it('an element without namespace has tag = local name; xmlns="" undeclares the default', () => {
    assert.equal(parseXml('<a><b/></a>').find('b')?.tag, 'b');
    const doc = parseXml('<a xmlns="urn:a"><b xmlns=""><c/></b></a>');
    assert.equal(doc.find('b')?.namespace, '');
    assert.equal(doc.find('b/c')?.tag, 'c');
  });

  it('attributes in Clark notation: un-prefixed plain, prefixed resolved, xml: to the XML namespace; declarations apart', () => {
    const doc = parseXml(`<config xmlns="${NS}" xmlns:nc="${NS}" xmlns:yang="urn:ietf:params:xml:ns:yang:1"><x nc:operation="delete" yang:insert="first" plain="p" xml:lang="en"/></config>`);
    const x = doc.find('x');
    assert.deepEqual(x?.attributes, {
      [`{${NS}}operation`]: 'delete',
      '{urn:ietf:params:xml:ns:yang:1}insert': 'first',
      plain: 'p',
      [`{${XML_NS}}lang`]: 'en',
    });
    assert.deepEqual(x?.rawAttributes, [
      ['nc:operation', 'delete'],
      ['yang:insert', 'first'],
      ['plain', 'p'],
      ['xml:lang', 'en'],
    ]);
    assert.deepEqual(x?.declarations, {});
    assert.deepEqual(doc.declarations, { '': NS, nc: NS, yang: 'urn:ietf:params:xml:ns:yang:1' });
  });

  it('a prefix redeclared deeper shadows the outer binding', () => {
    const doc = parseXml('<p:a xmlns:p="urn:one"><p:b xmlns:p="urn:two"><p:c/></p:b><p:d/></p:a>');
    assert.equal(doc.find('b/c')?.namespace, 'urn:two');
    assert.equal(doc.find('d')?.namespace, 'urn:one');
  });

  it('prefixed values such as ianaift:ethernetCsmacd stay text, their prefix resolvable from the element', () => {
    const doc = parseXml(`<interfaces xmlns="${IF_NS}" xmlns:ianaift="${IANA_NS}"><interface><type>ianaift:ethernetCsmacd</type></interface></interfaces>`);
    const type = doc.find('interface/type');
    assert.equal(type?.text, 'ianaift:ethernetCsmacd');
    assert.deepEqual(type?.children, ['ianaift:ethernetCsmacd']);
    assert.equal(type?.inScopeNamespaces().get('ianaift'), IANA_NS);
  });
});

describe('parseXml: text', () => {
  it('decodes the predefined entities and character references', () => {
    const doc = parseXml('<a t="&lt;&amp;&gt;&quot;&apos;&#10;&#x9;">&lt;b&gt; &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;</a>');
    assert.equal(doc.text, '<b> & "q" \'s\' AB😀');
    assert.equal(doc.attributes['t'], '<&>"\'\n\t');
  });

  it('CDATA becomes text, merged with the text around it', () => {
    const doc = parseXml('<a>x<![CDATA[<not-an-element> & ]]]]><![CDATA[>]]>y</a>');
    assert.deepEqual(doc.children, ['x<not-an-element> & ]]>y']);
    assert.equal(doc.elements.length, 0);
  });

  it('drops comments and processing instructions, keeps mixed content in order', () => {
    const doc = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><?pi x?><a>one<!-- c -->two<b/><?pi?>three</a>\n<!-- trailing -->\n');
    assert.equal(doc.children.length, 3);
    assert.equal(doc.children[0], 'onetwo');
    assert.equal((doc.children[1] as XmlElement).local, 'b');
    assert.equal(doc.children[2], 'three');
  });

  it('keeps white space inside elements, ignores it around the root; accepts a BOM', () => {
    const doc = parseXml('\uFEFF  \n<a>\n  <b> x </b>\n</a>\n  ');
    assert.equal(doc.find('b')?.text, ' x ');
    assert.equal(doc.text, '\n  \n');
  });

  it('normalises line ends (CRLF and CR to LF) but keeps a CR given as &#13;', () => {
    assert.equal(parseXml('<a>1\r\n2\r3&#13;</a>').text, '1\n2\n3\r');
  });

  it('reads non-ASCII text', () => {
    assert.equal(parseXml('<d>Zürich — 東京 €</d>').text, 'Zürich — 東京 €');
  });

  it('parses a large, deep document', () => {
    const depth = 2000;
    const xml = '<a>'.repeat(depth) + 'deep' + '</a>'.repeat(depth);
    assert.equal(parseXml(xml, { maxDepth: depth }).textContent, 'deep'); // (beyond the default maxDepth, 1024)
    const wide = `<data xmlns="urn:d">${'<i>1</i>'.repeat(100_000)}</data>`;
    assert.equal(parseXml(wide).elements.length, 100_000);
  });
});

describe('parseXml: refused', () => {
  const refused: Array<[string, string]> = [
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['a DTD with an entity (no expansion)', '<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>'],
    ['an external entity', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a bare &', '<a>fish & chips</a>'],
    ['a character reference to a forbidden character', '<a>&#0;</a>'],
    ['an unclosed element', `<rpc-reply xmlns="${NS}"><data>`],
    ['mismatched tags', '<a><b></a></b>'],
    ['two roots', '<a/><b/>'],
    ['text after the root', '<a/>text'],
    ['text only', 'just text'],
    ['an empty document', ''],
    ['white space only', ' \n '],
    ['an undeclared element prefix', '<x:a/>'],
    ['an undeclared attribute prefix', '<a x:b="1"/>'],
    ['a duplicate attribute', '<a b="1" b="2"/>'],
    ['a duplicate attribute through two prefixes', '<a xmlns:p="urn:p" xmlns:q="urn:p" p:b="1" q:b="2"/>'],
    ['an unquoted attribute', '<a b=1/>'],
    ['< in an attribute value', '<a b="<"/>'],
    ['a truncated document', '<a><b>text</b'],
    ['an XML declaration not at the start', '<a/><?xml version="1.0"?>'],
  ];
  for (const [what, xml] of refused) {
    it(`${what} → MalformedMessageError`, () => {
      assert.throws(
        () => parseXml(xml),
        (err: unknown) => err instanceof MalformedMessageError && err instanceof TransportError && /^Malformed XML/.test(err.message),
      );
    });
  }
});
