/** parseRpcErrors and RPCError: what one or several `<rpc-error>` elements say. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NCClientError } from '../../src/errors.js';
import { OperationError } from '../../src/rpc/errors.js';
import { parseRpcErrors, RPCError, type RPCErrorInfo } from '../../src/rpc/rpc-error.js';
import { parseXml } from '../../src/xml/parse.js';
import { NS, rpcError, rpcReply } from '../helpers/fake-peer.js';

function errorsOf(body: string): RPCErrorInfo[] {
  return parseRpcErrors(parseXml(rpcReply('1', body)));
}

describe('parseRpcErrors', () => {
  it('reads every field of an rpc-error (RFC 6241 §4.3)', () => {
    const [e] = errorsOf(
      '<rpc-error>\n  <error-type>protocol</error-type>\n  <error-tag>lock-denied</error-tag>\n  <error-severity>error</error-severity>' +
        '<error-app-tag>app</error-app-tag><error-path xmlns:t="urn:t">/t:top/t:list[t:key="a&amp;b"]</error-path>' +
        '<error-message xml:lang="en">\n    Lock failed, lock is already held\n  </error-message>' +
        '<error-info><session-id>454</session-id><bad-element> x </bad-element><nested><a>1</a><b>2</b></nested></error-info></rpc-error>',
    );
    assert.ok(e);
    assert.equal(e.type, 'protocol');
    assert.equal(e.tag, 'lock-denied');
    assert.equal(e.severity, 'error');
    assert.equal(e.appTag, 'app');
    assert.equal(e.path, '/t:top/t:list[t:key="a&b"]');
    assert.equal(e.message, 'Lock failed, lock is already held');
    assert.deepEqual(e.info, { 'session-id': '454', 'bad-element': 'x', nested: '12' });
    assert.equal(e.infoElement?.local, 'error-info');
    assert.equal(e.element.tag, `{${NS}}rpc-error`);
    // The prefixes of error-path stay resolvable from the element.
    assert.equal(e.element.child('error-path')?.inScopeNamespaces().get('t'), 'urn:t');
  });

  it('finds rpc-errors nested in results too (Junos load-configuration-results), in document order, but not one inside another', () => {
    const errors = errorsOf(
      '<rpc-error><error-type>rpc</error-type><error-tag>first</error-tag><error-severity>warning</error-severity>' +
        '<error-info><rpc-error><error-tag>inner</error-tag></rpc-error></error-info></rpc-error>' +
        '<load-configuration-results><rpc-error><error-type>protocol</error-type><error-tag>nested</error-tag></rpc-error><ok/></load-configuration-results>' +
        '<data><x xmlns="urn:other"><rpc-error>not NETCONF\'s</rpc-error></x></data>',
    );
    assert.deepEqual(
      errors.map((e) => [e.tag, e.severity]),
      [
        ['first', 'warning'],
        ['nested', 'error'],
      ],
    );
  });

  it('leaves absent optional fields undefined, info empty, and severity defaults to error', () => {
    const [e] = errorsOf('<rpc-error><error-type>rpc</error-type><error-tag>unknown-element</error-tag></rpc-error>');
    assert.ok(e);
    assert.equal(e.severity, 'error');
    assert.equal(e.appTag, undefined);
    assert.equal(e.path, undefined);
    assert.equal(e.message, undefined);
    assert.deepEqual(e.info, {});
    assert.equal(e.infoElement, undefined);
  });

  it('gives empty type and tag when the server left them out', () => {
    const [e] = errorsOf('<rpc-error/>');
    assert.equal(e?.type, '');
    assert.equal(e?.tag, '');
  });

  it('reads several errors in order and ignores rpc-error elements of another namespace', () => {
    const errors = errorsOf(rpcError({ tag: 'a' }) + '<rpc-error xmlns="urn:vendor"><error-tag>not-me</error-tag></rpc-error>' + rpcError({ tag: 'b', severity: 'warning' }));
    assert.deepEqual(
      errors.map((e) => [e.tag, e.severity]),
      [
        ['a', 'error'],
        ['b', 'warning'],
      ],
    );
  });

  it('reads fields only in the base namespace', () => {
    const [e] = errorsOf('<rpc-error><error-tag xmlns="urn:vendor">vendor</error-tag><error-tag>in-use</error-tag></rpc-error>');
    assert.equal(e?.tag, 'in-use');
  });

  it('gives an empty list for a reply without errors', () => {
    assert.deepEqual(errorsOf('<ok/>'), []);
  });
});

describe('RPCError', () => {
  const warning = rpcError({ type: 'application', tag: 'operation-failed', severity: 'warning', message: 'slow' });
  const invalid = rpcError({ type: 'application', tag: 'invalid-value', path: '/a/b', message: 'bad value', appTag: 'x', info: '<bad-element>b</bad-element>' });
  const missing = rpcError({ type: 'protocol', tag: 'data-missing' });

  it('takes its fields from the first error of severity error, and keeps them all', () => {
    const errors = errorsOf(warning + invalid + missing);
    const xml = rpcReply('1', warning + invalid + missing);
    const err = new RPCError(errors, xml, 'admin@r1:830');
    assert.equal(err.type, 'application');
    assert.equal(err.tag, 'invalid-value');
    assert.equal(err.severity, 'error');
    assert.equal(err.appTag, 'x');
    assert.equal(err.path, '/a/b');
    assert.deepEqual(err.info, { 'bad-element': 'b' });
    assert.equal(err.message, 'bad value');
    assert.equal(err.errors, errors);
    assert.equal(err.xml, xml);
    assert.equal(err.description, 'admin@r1:830: error application/invalid-value at /a/b: bad value (and 2 more: warning application/operation-failed: slow; error protocol/data-missing)');
    assert.equal(String(err), `RPCError: ${err.description}`);
  });

  it('is an OperationError and NCClientError named RPCError, whose stack starts with the description', () => {
    const err = new RPCError(errorsOf(invalid), '');
    assert.ok(err instanceof OperationError);
    assert.ok(err instanceof NCClientError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'RPCError');
    assert.equal(err.stack?.split('\n')[0], 'RPCError: error application/invalid-value at /a/b: bad value');
  });

  it('message is type/tag when the server sent no error-message', () => {
    const err = new RPCError(errorsOf(missing), '');
    assert.equal(err.message, 'protocol/data-missing');
    assert.equal(err.description, 'error protocol/data-missing');
  });

  it('with warnings only, takes the fields of the first warning', () => {
    const err = new RPCError(errorsOf(warning + rpcError({ severity: 'warning', tag: 'second' })), '');
    assert.equal(err.severity, 'warning');
    assert.equal(err.tag, 'operation-failed');
    assert.equal(err.errors.length, 2);
  });

  it('needs at least one error', () => {
    assert.throws(() => new RPCError([], ''), TypeError);
  });
});
