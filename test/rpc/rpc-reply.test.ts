/**
 * RPCReply: lazy parsing, errors, ok, data.
 *
 * How "does not parse when not needed" is checked: parsing a document that is not well-formed
 * throws MalformedMessageError, so a reply whose XML is broken but never mentions "rpc-error"
 * answering `ok` / `errors` without throwing proves they did not parse it; `document` then
 * throwing proves the XML really was unparsable.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { RPCReply } from '../../src/rpc/rpc-reply.js';
import { parseXml } from '../../src/xml/parse.js';
import { NS, rpcError, rpcReply } from '../helpers/fake-peer.js';

const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA_NS = 'urn:ietf:params:xml:ns:yang:iana-if-type';

describe('RPCReply: lazy parsing', () => {
  it('ok and errors of a huge malformed reply without "rpc-error" come without parsing; xml is as received', () => {
    const xml = `<rpc-reply message-id="101" xmlns="${NS}"><data>${'<item>x</item>'.repeat(200_000)}<unclosed></data>`;
    const reply = new RPCReply(xml, '101');
    assert.equal(reply.ok, true);
    assert.deepEqual(reply.errors, []);
    assert.equal(reply.xml, xml);
    assert.equal(String(reply), xml);
    assert.equal(reply.messageId, '101');
    assert.throws(() => reply.document, MalformedMessageError, 'the XML really is malformed');
  });

  it('parses a reply that mentions "rpc-error" only in data, and finds none', () => {
    const reply = new RPCReply(rpcReply('1', '<data><note xmlns="urn:n">an rpc-error would go here</note></data>'), '1');
    assert.deepEqual(reply.errors, []);
    assert.equal(reply.ok, true);
  });

  it('a malformed reply that mentions rpc-error throws MalformedMessageError from ok and errors', () => {
    const reply = new RPCReply(`<rpc-reply xmlns="${NS}"><rpc-error>`, '1');
    assert.throws(() => reply.ok, MalformedMessageError);
    assert.throws(() => reply.errors, MalformedMessageError);
  });

  it('parses the document once', () => {
    const reply = new RPCReply(rpcReply('1', rpcError({ tag: 'in-use' })), '1');
    const doc = reply.document;
    assert.equal(reply.document, doc);
    assert.equal(reply.errors, reply.errors);
    assert.equal(reply.errors[0]?.element.parent, doc);
  });
});

describe('RPCReply: content', () => {
  it('isOkElement for <ok/>, false for data', () => {
    assert.equal(new RPCReply(rpcReply('1'), '1').isOkElement, true);
    assert.equal(new RPCReply(`<nc:rpc-reply xmlns:nc="${NS}"><nc:ok/></nc:rpc-reply>`, '1').isOkElement, true);
    assert.equal(new RPCReply(rpcReply('1', '<data/>'), '1').isOkElement, false);
    assert.equal(new RPCReply(rpcReply('1', '<ok xmlns="urn:other"/>'), '1').isOkElement, false);
  });

  it('ok is false with an error, true with warnings only; errors lists all in order', () => {
    const warning = rpcError({ severity: 'warning', tag: 'w' });
    const error = rpcError({ tag: 'e' });
    const warned = new RPCReply(rpcReply('1', warning + '<ok/>'), '1');
    assert.equal(warned.ok, true);
    assert.equal(warned.errors.length, 1);
    const failed = new RPCReply(rpcReply('1', warning + error), '1');
    assert.equal(failed.ok, false);
    assert.deepEqual(
      failed.errors.map((e) => [e.severity, e.tag]),
      [
        ['warning', 'w'],
        ['error', 'e'],
      ],
    );
  });

  it('finds errors in a reply using a prefix for the base namespace', () => {
    const xml = `<nc:rpc-reply xmlns:nc="${NS}" message-id="3"><nc:rpc-error><nc:error-type>rpc</nc:error-type><nc:error-tag>operation-not-supported</nc:error-tag><nc:error-severity>error</nc:error-severity></nc:rpc-error></nc:rpc-reply>`;
    const reply = new RPCReply(xml, '3');
    assert.equal(reply.ok, false);
    assert.equal(reply.errors[0]?.tag, 'operation-not-supported');
  });

  it('data is the <data> element; dataXml stands on its own with the namespaces in force', () => {
    const xml =
      `<rpc-reply message-id="1" xmlns="${NS}" xmlns:ianaift="${IANA_NS}">` +
      `<data><interfaces xmlns="${IF_NS}"><interface><name>eth0</name><type>ianaift:ethernetCsmacd</type></interface></interfaces></data></rpc-reply>`;
    const reply = new RPCReply(xml, '1');
    assert.equal(reply.data?.tag, `{${NS}}data`);
    assert.equal(reply.data?.find('interfaces/interface/name')?.text, 'eth0');
    const dataXml = reply.dataXml ?? '';
    assert.equal(dataXml, `<data xmlns="${NS}" xmlns:ianaift="${IANA_NS}"><interfaces xmlns="${IF_NS}"><interface><name>eth0</name><type>ianaift:ethernetCsmacd</type></interface></interfaces></data>`);
    const reparsed = parseXml(dataXml);
    const type = reparsed.find('interfaces/interface/type');
    assert.equal(type?.namespace, IF_NS);
    assert.equal(type?.inScopeNamespaces().get('ianaift'), IANA_NS);
  });

  it('data in another namespace (get-data, get-schema) is found too', () => {
    const nmda = new RPCReply(rpcReply('1', '<data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-nmda"><x xmlns="urn:x"/></data>'), '1');
    assert.equal(nmda.data?.namespace, 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda');
    const schema = new RPCReply(rpcReply('1', '<data xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring">module m {\n  prefix "m&amp;n"; // &lt;x&gt;\n}</data>'), '1');
    assert.equal(schema.data?.textContent, 'module m {\n  prefix "m&n"; // <x>\n}');
  });

  it('data and dataXml are undefined without <data>', () => {
    const reply = new RPCReply(rpcReply('1'), '1');
    assert.equal(reply.data, undefined);
    assert.equal(reply.dataXml, undefined);
  });
});
