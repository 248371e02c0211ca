import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeXml, unescapeXml } from '../../src/xml/text.js';

/** Assert that `unescapeXml(text)` throws a SyntaxError whose message matches `message`. */
function rejects(text: string, message?: RegExp): void {
  assert.throws(
    () => unescapeXml(text),
    (err: unknown) => {
      assert.ok(err instanceof SyntaxError, `expected SyntaxError for ${JSON.stringify(text)}, got ${String(err)}`);
      if (message) assert.match(err.message, message);
      return true;
    },
    `expected ${JSON.stringify(text)} to be rejected`,
  );
}

describe('escapeXml', () => {
  it('escapes the five special characters', () => {
    assert.equal(escapeXml('&'), '&amp;');
    assert.equal(escapeXml('<'), '&lt;');
    assert.equal(escapeXml('>'), '&gt;');
    assert.equal(escapeXml('"'), '&quot;');
    assert.equal(escapeXml("'"), '&apos;');
  });

  it('escapes every occurrence, and & first-class (no double escaping)', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f&&`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&amp;&amp;');
    assert.equal(escapeXml('&amp;'), '&amp;amp;');
  });

  it('leaves other text alone', () => {
    for (const text of ['', 'plain', 'urn:ietf:params:netconf:base:1.0', 'ünïcødé 模块 \u{1F600}', '; # = ? %']) {
      assert.equal(escapeXml(text), text);
    }
  });

  it('writes tab, LF and CR as character references (they survive attribute-value normalisation)', () => {
    assert.equal(escapeXml('line\nbreak\ttab\r'), 'line&#10;break&#9;tab&#13;');
  });

  it('leaves no raw ]]> in its output', () => {
    assert.equal(escapeXml(']]>'), ']]&gt;');
  });
});

describe('unescapeXml', () => {
  it('returns text without references unchanged', () => {
    for (const text of ['', 'plain', 'a;b', '#x41', 'lt;', 'line\nbreak']) {
      assert.equal(unescapeXml(text), text);
    }
  });

  it('resolves the five predefined entities', () => {
    assert.equal(unescapeXml('&amp;'), '&');
    assert.equal(unescapeXml('&lt;'), '<');
    assert.equal(unescapeXml('&gt;'), '>');
    assert.equal(unescapeXml('&quot;'), '"');
    assert.equal(unescapeXml('&apos;'), "'");
    assert.equal(unescapeXml('a&lt;b&gt;c&amp;d&quot;e&apos;f'), `a<b>c&d"e'f`);
  });

  it('resolves only one level (no double unescaping)', () => {
    assert.equal(unescapeXml('&amp;lt;'), '&lt;');
    assert.equal(unescapeXml('&amp;amp;'), '&amp;');
    assert.equal(unescapeXml('&#38;lt;'), '&lt;');
  });

  it('resolves decimal and hexadecimal character references', () => {
    assert.equal(unescapeXml('&#65;'), 'A');
    assert.equal(unescapeXml('&#x41;'), 'A');
    assert.equal(unescapeXml('&#x6a;&#x6A;'), 'jj');
    assert.equal(unescapeXml('&#0065;&#x0041;'), 'AA');
    assert.equal(unescapeXml('&#9;&#10;&#13;'), '\t\n\r');
    assert.equal(unescapeXml('&#xE9;&#233;'), 'éé');
    assert.equal(unescapeXml('&#x6A21;'), '模');
  });

  it('resolves astral code points to a surrogate pair', () => {
    const smiley = unescapeXml('&#x1F600;');
    assert.equal(smiley, '\u{1F600}');
    assert.equal(smiley.length, 2);
    assert.equal(smiley.codePointAt(0), 0x1f600);
    assert.equal(unescapeXml('&#128512;'), '\u{1F600}');
    assert.equal(unescapeXml('&#x10FFFF;'), '\u{10FFFF}');
  });

  it('round-trips escapeXml', () => {
    const samples = [
      '',
      'plain',
      `&<>"'`,
      'urn:x?module=a&revision=2020-01-01&features=b,c',
      '&amp; &lt; already-escaped-looking &#65;',
      '<rpc message-id="1"><get/></rpc>',
      ']]>]]>',
      'ünïcødé 模块 \u{1F600} \u{10FFFF}',
      'ends with &',
      '&',
      '&&&;;;',
    ];
    for (const text of samples) {
      assert.equal(unescapeXml(escapeXml(text)), text, JSON.stringify(text));
    }
    // every ASCII character, and some beyond
    let all = '';
    for (let c = 1; c < 0x300; c++) all += String.fromCharCode(c);
    assert.equal(unescapeXml(escapeXml(all)), all);
  });

  it('throws SyntaxError for an unknown entity', () => {
    rejects('&nbsp;', /unknown entity &nbsp;/i);
    rejects('&copy;', /unknown entity/i);
    rejects('a &AMP; b', /unknown entity/i);
    rejects('&ampx;', /unknown entity/i);
    rejects('&lt;&bogus;', /unknown entity/i);
  });

  it('throws SyntaxError for an unterminated reference', () => {
    rejects('&amp', /unterminated/i);
    rejects('a &lt b', /unterminated/i);
    rejects('&#65', /unterminated/i);
    rejects('&#x41', /unterminated/i);
    rejects('&#x41 more', /unterminated/i);
    rejects('ok &amp; then &gt', /unterminated/i);
  });

  it('throws SyntaxError for a character reference out of range', () => {
    rejects('&#0;', /invalid character reference/i);
    rejects('&#x0;', /invalid character reference/i);
    rejects('&#x110000;', /invalid character reference/i);
    rejects('&#1114112;', /invalid character reference/i);
    rejects('&#99999999999999999999999;', /invalid character reference/i);
  });

  it(
    'throws SyntaxError for a character reference to a non-XML character',
    () => {
      for (const ref of ['&#xD800;', '&#xDFFF;', '&#55296;', '&#1;', '&#x1F;', '&#xFFFE;', '&#xFFFF;']) rejects(ref);
    },
  );

  it(
    'throws SyntaxError for a & that does not start a well-formed reference',
    () => {
      for (const text of ['a & b', '&', 'x&', '&#;', '&#x;', '&#xZZ;', '&#-1;', '&1;']) rejects(text);
    },
  );
});
