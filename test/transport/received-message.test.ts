import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedMessageError } from '../../src/errors.js';
import { ReceivedMessage } from '../../src/transport/received-message.js';

function split(text: string, ...cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const at = [0, ...cuts, bytes.length];
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}

describe('ReceivedMessage', () => {
  const doc = '<rpc-reply message-id="7" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><data>€漢🎉 rpc-error?</data></rpc-reply>';

  it('decodes text and joins bytes from pieces split anywhere, multi-byte characters included', () => {
    const bytes = Buffer.from(doc);
    for (let cut = 1; cut < bytes.length; cut++) {
      const message = new ReceivedMessage(split(doc, cut, Math.min(bytes.length, cut + 3)));
      assert.equal(message.size, bytes.length);
      assert.equal(message.text, doc, `cut at ${cut}`);
      assert.deepEqual(message.bytes, bytes);
    }
  });

  it('finds a needle straddling two pieces without decoding', () => {
    const at = Buffer.from(doc).indexOf('rpc-error');
    for (let cut = at - 1; cut <= at + 9; cut++) {
      const message = new ReceivedMessage(split(doc, cut));
      assert.equal(message.includes('rpc-error'), true, `cut at ${cut}`);
      assert.equal(message.includes('rpc-errors'), false);
      assert.equal(message.decoded, false);
    }
  });

  it('finds the root from the first bytes, also when the root tag spans pieces', () => {
    const message = new ReceivedMessage(split(doc, 5, 20));
    assert.deepEqual(message.root, ['{urn:ietf:params:xml:ns:netconf:base:1.0}rpc-reply', { 'message-id': '7' }]);
    assert.equal(message.decoded, false, 'a small prefix was enough');
    const long = `<r xmlns="urn:x" a="${'x'.repeat(10000)}"/>`;
    assert.equal(new ReceivedMessage(split(long, 100, 5000)).root[0], '{urn:x}r');
    assert.throws(() => new ReceivedMessage(split('no xml here', 3)).root, MalformedMessageError);
  });

  it('finds the root of a large message from its first bytes only (no decoding of the whole)', () => {
    const big = Buffer.from(`<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="9"><data>${'x'.repeat(1_000_000)}</data></rpc-reply>`);
    const message = new ReceivedMessage(big);
    assert.deepEqual(message.root, ['{urn:ietf:params:xml:ns:netconf:base:1.0}rpc-reply', { 'message-id': '9' }]);
    assert.equal(message.decoded, false);
    assert.equal(message.bytes, big, 'one Buffer is kept as it is, not copied');
  });

  it('gives the memory of an ASCII message back once decoded, and re-encodes the same bytes if asked', () => {
    const ascii = '<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data>plain</data></rpc-reply>';
    const recycled: Buffer[] = [];
    const original = Buffer.from(ascii);
    const message = new ReceivedMessage(original, { recycle: (b) => recycled.push(b) });
    assert.equal(message.includes('plain'), true);
    assert.equal(message.root[0], '{urn:ietf:params:xml:ns:netconf:base:1.0}rpc-reply');
    assert.equal(recycled.length, 0, 'not before the text is decoded');
    assert.equal(message.text, ascii);
    assert.deepEqual(recycled, [original]);
    assert.deepEqual(message.bytes, original);
    assert.notEqual(message.bytes, original, 'a re-encoded copy: the original memory may be reused');
    assert.equal(message.root[1]['message-id'], '1', 'the root is still found from the text');
  });

  it('never gives back bytes that were handed out, nor a non-ASCII message (its exact bytes are kept)', () => {
    const recycled: Buffer[] = [];
    const handedOut = new ReceivedMessage(Buffer.from('<a>ascii</a>'), { recycle: (b) => recycled.push(b) });
    const held = handedOut.bytes;
    assert.equal(handedOut.text, '<a>ascii</a>');
    assert.deepEqual(handedOut.bytes, held);
    const utf8 = Buffer.from(doc);
    const nonAscii = new ReceivedMessage(utf8, { recycle: (b) => recycled.push(b) });
    assert.equal(nonAscii.text, doc);
    assert.equal(nonAscii.bytes, utf8);
    assert.equal(recycled.length, 0);
  });
});
