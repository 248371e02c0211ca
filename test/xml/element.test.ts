/** XmlElement: navigation, text, and the serializer that keeps a detached subtree meaningful. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XmlElement } from '../../src/xml/element.js';
import { parseXml } from '../../src/xml/parse.js';

const NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IP_NS = 'urn:ietf:params:xml:ns:yang:ietf-ip';
const IANA_NS = 'urn:ietf:params:xml:ns:yang:iana-if-type';

const REPLY =
  `<rpc-reply xmlns="${NS}" xmlns:nc="${NS}" xmlns:ianaift="${IANA_NS}" message-id="7"><data>` +
  `<interfaces xmlns="${IF_NS}">` +
  `<interface nc:operation="merge"><name>eth0</name><type>ianaift:ethernetCsmacd</type><enabled>true</enabled>` +
  `<ipv4 xmlns="${IP_NS}"><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length></address></ipv4></interface>` +
  `<interface><name>lo</name><type>ianaift:softwareLoopback</type></interface>` +
  `</interfaces><name xmlns="urn:other">not an interface</name></data></rpc-reply>`;

/** Every element's tag, attributes and own text, depth first: what "the same document" means here. */
function shape(el: XmlElement): unknown {
  return [el.tag, el.attributes, el.text, el.elements.map(shape)];
}

describe('XmlElement: navigation', () => {
  const doc = parseXml(REPLY);

  it('child / childrenNamed / childText by local name, optionally namespace', () => {
    const data = doc.child('data');
    assert.equal(data?.tag, `{${NS}}data`);
    assert.equal(doc.child('data', NS), data);
    assert.equal(doc.child('data', IF_NS), undefined);
    assert.equal(doc.child('missing'), undefined);
    const interfaces = data?.child('interfaces');
    assert.equal(interfaces?.childrenNamed('interface').length, 2);
    assert.equal(interfaces?.childrenNamed('interface', 'urn:nope').length, 0);
    assert.equal(data?.childText('name'), 'not an interface');
    assert.equal(data?.childText('name', IF_NS), undefined);
    assert.equal(interfaces?.child('interface')?.childText('name', IF_NS), 'eth0');
    assert.equal(data?.childText('missing'), undefined);
  });

  it('childText trims and includes descendants’ text', () => {
    const el = parseXml('<a><b>\n  x <i>y</i> z\n</b></a>');
    assert.equal(el.childText('b'), 'x y z');
  });

  it('findAll / find follow a path of local names in any namespace; * matches any', () => {
    assert.deepEqual(
      doc.findAll('data/interfaces/interface/name').map((e) => e.text),
      ['eth0', 'lo'],
    );
    assert.equal(doc.find('data/interfaces/interface/ipv4/address/ip')?.text, '192.0.2.1');
    assert.deepEqual(
      doc.findAll('data/*').map((e) => e.local),
      ['interfaces', 'name'],
    );
    assert.deepEqual(
      doc.findAll('/data/interfaces/*/type').map((e) => e.text),
      ['ianaift:ethernetCsmacd', 'ianaift:softwareLoopback'],
      'leading and trailing slashes are ignored',
    );
    assert.deepEqual(doc.findAll('data/nothing/here'), []);
    assert.equal(doc.find('data/nothing'), undefined);
    assert.deepEqual(doc.findAll(''), [doc], 'an empty path is the element itself');
  });

  it('text is the own text, textContent includes descendants; elements skips text', () => {
    const el = parseXml('<a>1<b>2<c>3</c></b>4</a>');
    assert.equal(el.text, '14');
    assert.equal(el.textContent, '1234');
    assert.deepEqual(
      el.elements.map((e) => e.local),
      ['b'],
    );
    assert.equal(el.children.length, 3);
  });

  it('inScopeNamespaces merges the ancestors’ declarations, nearest winning', () => {
    const ip = doc.find('data/interfaces/interface/ipv4');
    const scope = ip?.inScopeNamespaces();
    assert.equal(scope?.get(''), IP_NS);
    assert.equal(scope?.get('nc'), NS);
    assert.equal(scope?.get('ianaift'), IANA_NS);
  });
});

describe('XmlElement: serialization', () => {
  it('a document serializes to an equivalent document', () => {
    const doc = parseXml(REPLY);
    assert.deepEqual(shape(parseXml(doc.toString())), shape(doc));
  });

  it('a detached subtree carries the namespace declarations in force and re-parses to the same names', () => {
    const doc = parseXml(REPLY);
    const iface = doc.find('data/interfaces/interface') ?? assert.fail();
    const xml = iface.toString();
    assert.equal(
      xml,
      `<interface xmlns="${IF_NS}" xmlns:nc="${NS}" xmlns:ianaift="${IANA_NS}" nc:operation="merge"><name>eth0</name><type>ianaift:ethernetCsmacd</type><enabled>true</enabled>` +
        `<ipv4 xmlns="${IP_NS}"><address><ip>192.0.2.1</ip><prefix-length>24</prefix-length></address></ipv4></interface>`,
    );
    const again = parseXml(xml);
    assert.deepEqual(shape(again), shape(iface));
    assert.equal(again.attributes[`{${NS}}operation`], 'merge');
    // The prefixed value keeps its meaning.
    assert.equal(again.child('type')?.inScopeNamespaces().get('ianaift'), IANA_NS);
  });

  it('a subtree deep inside keeps a prefix declared at the top', () => {
    const doc = parseXml(`<a xmlns:p="urn:p"><b><c><p:d>p:v</p:d></c></b></a>`);
    const d = doc.find('b/c/d') ?? assert.fail();
    assert.equal(d.toString(), '<p:d xmlns:p="urn:p">p:v</p:d>');
    assert.equal(parseXml(d.toString()).tag, '{urn:p}d');
  });

  it('a subtree under xmlns="" stays without namespace', () => {
    const doc = parseXml('<a xmlns="urn:a"><b xmlns=""><c/></b></a>');
    const c = doc.find('b/c') ?? assert.fail();
    assert.equal(parseXml(c.toString()).tag, 'c');
  });

  it('innerXml serializes the children, each standing on its own', () => {
    const doc = parseXml(`<rpc-reply xmlns="${NS}"><data>a&amp;b<x xmlns:q="urn:q"><q:y/></x><z/></data></rpc-reply>`);
    const data = doc.child('data') ?? assert.fail();
    assert.equal(data.innerXml(), `a&amp;b<x xmlns="${NS}" xmlns:q="urn:q"><q:y/></x><z xmlns="${NS}"/>`);
  });

  it('escapes text and attribute values so that they survive a round trip', () => {
    const doc = parseXml('<a t="&quot;q&quot; &apos;s&apos; &lt;&amp;&gt; tab&#9;nl&#10;cr&#13;">&lt;b&gt; &amp; ]]&gt; "q" tab&#9;cr&#13;end<![CDATA[<c>]]></a>');
    const again = parseXml(doc.toString());
    assert.equal(again.attributes['t'], doc.attributes['t']);
    assert.equal(again.attributes['t'], '"q" \'s\' <&> tab\tnl\ncr\r');
    assert.equal(again.text, doc.text);
    assert.equal(again.text, '<b> & ]]> "q" tab\tcr\rend<c>');
  });

  it('an empty element is written self-closed', () => {
    assert.equal(parseXml('<a><b></b></a>').toString(), '<a><b/></a>');
  });

  it('an element built by hand serializes too', () => {
    const el = new XmlElement({ name: 'x:top', local: 'top', namespace: 'urn:x', declarations: { x: 'urn:x' }, rawAttributes: [['k', 'v"']] });
    const child = new XmlElement({ name: 'x:leaf', local: 'leaf', namespace: 'urn:x' });
    child.parent = el;
    child.children.push('1 < 2');
    el.children.push(child);
    assert.equal(el.toString(), '<x:top xmlns:x="urn:x" k="v&quot;"><x:leaf>1 &lt; 2</x:leaf></x:top>');
    assert.equal(child.toString(), '<x:leaf xmlns:x="urn:x">1 &lt; 2</x:leaf>');
    assert.equal(el.tag, '{urn:x}top');
  });
});

describe('XmlElement: trees as deep as the parser allows', () => {
  const depth = 200_000;
  const limits = { maxDepth: depth };
  const doc = parseXml(`<r xmlns:p="urn:p">${'<p:a k="v">'.repeat(depth - 1)}deep &amp; down${'</p:a>'.repeat(depth - 1)}</r>`, limits);
  const innermost = (): XmlElement => {
    let el = doc;
    while (el.elements[0] !== undefined) el = el.elements[0];
    return el;
  };

  it('toString and innerXml write every level, and the result parses back', () => {
    const xml = doc.toString();
    assert.ok(xml.startsWith('<r xmlns:p="urn:p"><p:a k="v"><p:a k="v">'));
    assert.ok(xml.endsWith(`deep &amp; down${'</p:a>'.repeat(depth - 1)}</r>`));
    assert.equal(parseXml(xml, limits).textContent, 'deep & down');
    assert.equal(doc.innerXml().length, xml.length - '<r xmlns:p="urn:p">'.length - '</r>'.length + 'xmlns:p="urn:p" '.length);
    assert.equal(innermost().toString(), '<p:a xmlns:p="urn:p" k="v">deep &amp; down</p:a>');
  });

  it('textContent, find, findAll and inScopeNamespaces work at any depth', () => {
    assert.equal(doc.textContent, 'deep & down');
    const path = Array(depth - 1).fill('a').join('/');
    assert.equal(doc.find(path)?.text, 'deep & down');
    assert.equal(doc.findAll(`${path}/*`).length, 0);
    assert.equal(innermost().inScopeNamespaces().get('p'), 'urn:p');
  });
});
