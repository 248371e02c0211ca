/** YANG sources: directories (name@revision.yang naming, revisions read from the text), texts in memory. */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compileYang } from '../../src/yang/compile.js';
import { YangError } from '../../src/yang/errors.js';
import { yangSourceFromText, yangSourcesFromDirectories } from '../../src/yang/sources.js';

const text = (name: string, revisions: string[], body = ''): string =>
  `module ${name} { namespace "urn:${name}"; prefix ${name}; ${revisions.map((r) => `revision ${r};`).join(' ')} ${body} }`;

describe('yangSourcesFromDirectories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yang-sources-'));
  const other = mkdtempSync(join(tmpdir(), 'yang-sources-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'a@2020-01-01.yang'), text('a', ['2020-01-01'], 'leaf old { type string; }'));
  writeFileSync(join(dir, 'a@2021-01-01.yang'), text('a', ['2021-01-01', '2020-01-01'], 'leaf new { type string; }'));
  writeFileSync(join(dir, 'b.yang'), text('b', ['2019-05-05', '2019-06-06', '2018-01-01']));
  writeFileSync(join(dir, 'notes.txt'), 'not yang');
  mkdirSync(join(dir, 'sub.yang'));
  writeFileSync(join(other, 'c.yang'), text('c', []));

  it('lists *.yang files of every directory, with name and revision from the file name or the text', () => {
    const sources = yangSourcesFromDirectories([dir, other]);
    assert.deepEqual(
      sources.map((s) => [s.name, s.revision, s.file]),
      [
        ['a', '2020-01-01', join(dir, 'a@2020-01-01.yang')],
        ['a', '2021-01-01', join(dir, 'a@2021-01-01.yang')],
        ['b', '2019-06-06', join(dir, 'b.yang')],
        ['c', undefined, join(other, 'c.yang')],
      ],
    );
    assert.match(sources[3]!.text(), /^module c/);
  });

  it('the newest revision of a module is compiled when several are present', () => {
    const s = compileYang(yangSourcesFromDirectories([dir, other]));
    assert.equal(s.modules.get('a')!.revision, '2021-01-01');
    assert.deepEqual(s.modules.get('a')!.data.map((n) => n.name), ['new']);
  });

  it('a missing directory is a YangError', () => {
    assert.throws(() => yangSourcesFromDirectories([join(dir, 'nope')]), YangError);
  });
});

describe('yangSourceFromText', () => {
  it('reads the name and the newest revision from the text', () => {
    const s = yangSourceFromText(text('m', ['2001-01-01', '2003-03-03']), '<get-schema m>');
    assert.deepEqual([s.name, s.revision, s.file], ['m', '2003-03-03', '<get-schema m>']);
    const sub = yangSourceFromText('submodule s { belongs-to m { prefix m; } }', 's.yang');
    assert.deepEqual([sub.name, sub.revision], ['s', undefined]);
  });

  it('refuses a text that does not parse, with the location', () => {
    assert.throws(() => yangSourceFromText('module m {', 'x.yang'), /^YangError: x\.yang:1:11: unexpected end of text/);
  });
});
