/** The YANG tokenizer and parser: strings (quoting, escapes, indentation, concatenation), comments, locations, syntax errors. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { YangError } from '../../src/yang/errors.js';
import { parseYang, substatement } from '../../src/yang/parser.js';
import type { Statement } from '../../src/yang/statement.js';

/** The argument of the `description` of a one-statement module. */
function description(body: string): string | undefined {
  const root = parseYang(`module m {\n  ${body}\n}\n`, 'm.yang');
  return substatement(root, 'description')?.argument;
}

/** Asserts a YangError at line:column whose message matches. */
function refused(text: string, line: number, column: number, message: RegExp): void {
  assert.throws(
    () => parseYang(text, 'bad.yang'),
    (err: unknown) => {
      assert.ok(err instanceof YangError, String(err));
      assert.deepEqual(err.loc, { file: 'bad.yang', line, column });
      assert.match(err.message, new RegExp(`^bad\\.yang:${line}:${column}: `));
      assert.match(err.message, message);
      return true;
    },
  );
}

describe('parseYang: statements', () => {
  it('builds the statement tree with keywords, arguments, substatements and locations', () => {
    const root = parseYang('module m {\n  namespace "urn:m";\n  prefix m;\n  container c { leaf x { type string; } }\n  input;\n}', 'm.yang');
    assert.equal(root.keyword, 'module');
    assert.equal(root.argument, 'm');
    assert.deepEqual(root.loc, { file: 'm.yang', line: 1, column: 1 });
    assert.deepEqual(
      root.substatements.map((s) => [s.keyword, s.argument]),
      [['namespace', 'urn:m'], ['prefix', 'm'], ['container', 'c'], ['input', undefined]],
    );
    const leaf = root.substatements[2]!.substatements[0]!;
    assert.equal(leaf.keyword, 'leaf');
    assert.deepEqual(leaf.loc, { file: 'm.yang', line: 4, column: 17 });
    assert.equal(leaf.substatements[0]!.argument, 'string');
  });

  it('keeps extension statements (prefix:name) with any substatements', () => {
    const root = parseYang('module m { ex:thing "arg" { anything goes; ex:nested; } ex:flag; }', 'm.yang');
    const ext = root.substatements[0]!;
    assert.equal(ext.keyword, 'ex:thing');
    assert.equal(ext.argument, 'arg');
    assert.deepEqual(ext.substatements.map((s: Statement) => s.keyword), ['anything', 'ex:nested']);
    assert.equal(root.substatements[1]!.argument, undefined);
  });

  it('skips comments of both kinds, also between concatenated strings', () => {
    const root = parseYang('// head\nmodule m { /* a\nb */ description "x" // c\n + /* d */ "y"; }', 'm.yang');
    assert.equal(substatement(root, 'description')?.argument, 'xy');
  });

  it('accepts a byte order mark and CRLF line ends', () => {
    const root = parseYang('\ufeffmodule m {\r\n  prefix p;\r\n}\r\n', 'm.yang');
    assert.equal(root.substatements[0]!.loc.line, 2);
  });

  it('accepts unquoted arguments with slashes and plus signs, stopping at comments', () => {
    const root = parseYang('module m { pattern [0-9]+/x; path ../a/b// comment\n; }', 'm.yang');
    assert.deepEqual(root.substatements.map((s) => s.argument), ['[0-9]+/x', '../a/b']);
  });
});

describe('parseYang: strings (RFC 7950 §6.1.3)', () => {
  it('single quotes keep everything as written', () => {
    assert.equal(description(`description 'a\\n "b"\n      c';`), 'a\\n "b"\n      c');
  });

  it('double quotes understand \\n \\t \\" \\\\', () => {
    assert.equal(description('description "a\\nb\\tc\\"d\\\\e";'), 'a\nb\tc"d\\e');
  });

  it('refuses any other escape, in YANG 1.0 as in 1.1 (as libyang)', () => {
    refused('module m {\n  description "a\\qb";\n}', 2, 17, /invalid escape sequence "\\q"/);
  });

  it('strips the indentation of continuation lines up to the column after the opening quote', () => {
    // The quote is at column 15 (0-based 14): up to 15 columns of leading whitespace go.
    const text = 'description "first\n               second\n                 indented\n  short";';
    assert.equal(description(text), 'first\nsecond\n  indented\nshort');
  });

  it('counts a tab as 8 columns and keeps the part of a tab past the indentation', () => {
    // Quote at 0-based column 14 → strip 15 columns; "\t\t" = 16 columns → one column stays.
    assert.equal(description('description "a\n\t\tb";'), 'a\n b');
    assert.equal(description('description "a\n\t       b";'), 'a\nb');
  });

  it('removes trailing whitespace before a line break, but not escaped whitespace', () => {
    assert.equal(description('description "a   \n               b\\t\n               c";'), 'a\nb\t\nc');
  });

  it('concatenates quoted strings with +', () => {
    assert.equal(description(`description "a" + 'b' +\n  "c";`), 'abc');
  });

  it('refuses + not followed by a quoted string', () => {
    refused('module m {\n  description "a" + b;\n}', 2, 19, /"\+" must be followed by a quoted string/);
  });
});

describe('parseYang: errors name file:line:column', () => {
  it('unterminated strings and comments', () => {
    refused('module m {\n  description "abc\n}', 2, 15, /unterminated double-quoted string/);
    refused("module m {\n  description 'abc\n}", 2, 15, /unterminated single-quoted string/);
    refused('module m {\n  /* open\n}', 2, 3, /unterminated comment/);
  });

  it('structure: missing ; or {, stray }, unclosed block, text after the module', () => {
    refused('module m {\n  prefix p\n}', 3, 1, /unexpected "}" after "prefix": expected ";" or "\{"/);
    refused('module m { }\n}', 2, 1, /unexpected "}"/);
    refused('module m {\n  container c {\n', 3, 1, /end of text: "container" not closed/);
    refused('module m { }\nmodule n { }', 2, 1, /after the end of the module/);
    refused('', 1, 1, /empty text/);
  });

  it('keywords: unknown, quoted, not module/submodule at the top, missing or extra argument', () => {
    refused('module m {\n  contaner c;\n}', 2, 3, /unknown keyword "contaner"/);
    refused('module m { "leaf" x; }', 1, 12, /invalid keyword/);
    refused('container c { }', 1, 1, /expected "module" or "submodule"/);
    refused('module m { leaf; }', 1, 12, /"leaf" needs an argument/);
    refused('module m { input x; }', 1, 12, /"input" takes no argument/);
  });

  it('a quote inside an unquoted string', () => {
    refused('module m { prefix a"b; }', 1, 20, /a quote inside an unquoted string/);
  });

  it('nesting is bounded: a hostile text is a YangError, not a stack overflow', () => {
    const deep = 'module m { ' + 'container c { '.repeat(100_000) + '}'.repeat(100_000) + ' }';
    assert.throws(() => parseYang(deep, 'deep.yang'), (err: unknown) => err instanceof YangError && /nested deeper than/.test(err.message));
  });
});
