import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageScan } from '../../src/transport/message-scan.js';

/** Feed `text` cut at `cuts` and return the result. */
function scan(s: MessageScan, text: string | Buffer, ...cuts: number[]): ReturnType<MessageScan['take']> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const at = [0, ...cuts, bytes.length];
  for (let i = 1; i < at.length; i++) s.push(bytes.subarray(at[i - 1], at[i]));
  return s.take();
}

describe('MessageScan', () => {
  it('finds a watched string wherever the message is cut, straddling pieces included', () => {
    const s = new MessageScan();
    s.watch('rpc-error');
    const doc = '<rpc-reply><rpc-error><error-tag>x</error-tag></rpc-error></rpc-reply>';
    const at = doc.indexOf('rpc-error');
    for (let a = 1; a < doc.length; a++) {
      for (const b of [a + 1, a + 4, at + 5]) {
        if (b <= a || b >= doc.length) continue;
        assert.equal(scan(s, doc, a, b).contains.get('rpc-error'), true, `cut at ${a}, ${b}`);
      }
    }
    // byte by byte
    const bytes = Buffer.from(doc);
    assert.equal(scan(s, bytes, ...Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)).contains.get('rpc-error'), true);
  });

  it('does not find what is not there, nor carry a find over to the next message', () => {
    const s = new MessageScan();
    s.watch('rpc-error');
    s.watch('ok');
    assert.equal(scan(s, '<rpc-reply><ok/></rpc-reply>', 3).contains.get('rpc-error'), false);
    // "rpc-" at the end of one message and "error" at the start of the next are not an occurrence
    assert.deepEqual([...scan(s, '<a>rpc-').contains], [['rpc-error', false], ['ok', false]]);
    assert.equal(scan(s, 'error</a>').contains.get('rpc-error'), false);
    // a partial message forgotten by reset()
    s.push(Buffer.from('<x>rpc-err'));
    s.reset();
    assert.equal(scan(s, 'or</x>').contains.get('rpc-error'), false);
  });

  it('tells whether the message is all ASCII', () => {
    const s = new MessageScan();
    assert.equal(scan(s, '<a>plain</a>', 4).ascii, true);
    const utf8 = Buffer.from('<a>é漢🎉</a>');
    for (let cut = 1; cut < utf8.length; cut++) assert.equal(scan(s, utf8, cut).ascii, false, `cut at ${cut}`);
    assert.equal(scan(s, '<b/>').ascii, true, 'reset for the next message');
  });

  it('watches each string once and ignores empty or non-ASCII ones', () => {
    const s = new MessageScan();
    s.watch('abc');
    s.watch('abc');
    s.watch('');
    s.watch('é');
    assert.deepEqual([...scan(s, 'xxabcxx').contains], [['abc', true]]);
  });
});
