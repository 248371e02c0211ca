import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XmlOutput } from '../../src/yang/xml-output.js';

describe('XmlOutput', () => {
  it('gives back what was written, ASCII only, across many chunks', () => {
    const out = new XmlOutput(4);
    const parts = Array.from({ length: 5000 }, (_, k) => `<a>${k}</a>`);
    for (const p of parts) out.write(p);
    assert.equal(out.toString(), parts.join(''));
  });

  it('keeps non-ASCII text intact, short and long, BMP and astral, across chunks', () => {
    const out = new XmlOutput(4);
    const parts = ['a', 'é', `${'x'.repeat(40)}€`, '𝄞b', 'plain', '日本語のテキスト'.repeat(10)];
    for (let k = 0; k < 2000; k++) for (const p of parts) out.write(p);
    assert.equal(out.toString(), parts.join('').repeat(2000));
  });

  it('is empty when nothing was written', () => {
    assert.equal(new XmlOutput().toString(), '');
    assert.equal(new XmlOutput(0).toString(), '');
  });
});
