import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KnownHosts, defaultKnownHostsFiles } from '../../src/transport/known-hosts.js';

interface Key {
  /** `keytype base64` as in a .pub / known_hosts line. */
  text: string;
  blob: Buffer;
}

let dir: string;
let A: Key; // ed25519
let B: Key; // ed25519
let C: Key; // ed25519
let E: Key; // ecdsa

function generate(name: string, type: string): Key {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-t', type, '-C', name, '-f', file]);
  const [keytype, b64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  assert.ok(keytype && b64);
  return { text: `${keytype} ${b64}`, blob: Buffer.from(b64, 'base64') };
}

function kh(text: string): KnownHosts {
  const k = new KnownHosts();
  k.add(text);
  return k;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'known-hosts-test-'));
  A = generate('a', 'ed25519');
  B = generate('b', 'ed25519');
  C = generate('c', 'ed25519');
  E = generate('e', 'ecdsa');
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('KnownHosts', () => {
  it('plain entry: known, changed and unknown', () => {
    const k = kh(`router1.example.net ${A.text} some comment\n`);
    assert.equal(k.size, 1);
    assert.equal(k.check('router1.example.net', 22, A.blob), 'known');
    assert.equal(k.check('router1.example.net', 22, B.blob), 'changed');
    assert.equal(k.check('router2.example.net', 22, A.blob), 'unknown');
  });

  it('[host]:port entry matches only that port; plain host does not match port 830', () => {
    const k = kh(`[r1.example.net]:830 ${A.text}\nr2.example.net ${B.text}\n`);
    assert.equal(k.check('r1.example.net', 830, A.blob), 'known');
    assert.equal(k.check('r1.example.net', 830, B.blob), 'changed');
    assert.equal(k.check('r1.example.net', 22, A.blob), 'unknown');
    assert.equal(k.check('r1.example.net', 831, A.blob), 'unknown');
    assert.equal(k.check('r2.example.net', 22, B.blob), 'known');
    assert.equal(k.check('r2.example.net', 830, B.blob), 'unknown');
  });

  it('comma-separated host lists', () => {
    const k = kh(`r1.example.net,10.0.0.1,[r1.example.net]:830 ${A.text}\n`);
    assert.equal(k.size, 1);
    for (const [host, port] of [['r1.example.net', 22], ['10.0.0.1', 22], ['r1.example.net', 830]] as const) {
      assert.equal(k.check(host, port, A.blob), 'known', `${host}:${port}`);
      assert.equal(k.check(host, port, B.blob), 'changed', `${host}:${port}`);
    }
    assert.equal(k.check('10.0.0.1', 830, A.blob), 'unknown');
    assert.equal(k.check('10.0.0.2', 22, A.blob), 'unknown');
  });

  it('wildcards * and ?', () => {
    const k = kh(`*.lab.example.net ${A.text}\nsw?.example.net ${B.text}\n[*.dc.example.net]:830 ${C.text}\n`);
    assert.equal(k.check('r1.lab.example.net', 22, A.blob), 'known');
    assert.equal(k.check('a.b.lab.example.net', 22, A.blob), 'known');
    assert.equal(k.check('lab.example.net', 22, A.blob), 'unknown');
    assert.equal(k.check('sw1.example.net', 22, B.blob), 'known');
    assert.equal(k.check('sw12.example.net', 22, B.blob), 'unknown');
    assert.equal(k.check('sw.example.net', 22, B.blob), 'unknown');
    assert.equal(k.check('x.dc.example.net', 830, C.blob), 'known');
    assert.equal(k.check('x.dc.example.net', 22, C.blob), 'unknown');
    // Regex metacharacters in a pattern are literal: '.' does not match any character.
    assert.equal(k.check('r1xlabxexample.net', 22, A.blob), 'unknown');
  });

  it('negation makes the whole entry not apply, wherever it appears in the list', () => {
    const k = kh(`*.example.net,!bad.example.net ${A.text}\n!evil.example.org,*.example.org ${B.text}\n`);
    assert.equal(k.check('good.example.net', 22, A.blob), 'known');
    assert.equal(k.check('bad.example.net', 22, A.blob), 'unknown');
    assert.equal(k.check('good.example.org', 22, B.blob), 'known');
    assert.equal(k.check('evil.example.org', 22, B.blob), 'unknown');
    // A negation alone never makes an entry apply.
    assert.equal(kh(`!x.example.net ${A.text}\n`).check('y.example.net', 22, A.blob), 'unknown');
  });

  it('host-name matching agrees with ssh-keygen -F', () => {
    const file = join(dir, 'oracle_known_hosts');
    writeFileSync(
      file,
      [
        `*.example.net,!bad.example.net ${A.text}`,
        `[r?.example.com]:830,plain.example.com ${A.text}`,
        `Mixed.Example.COM ${A.text}`,
        '',
      ].join('\n'),
    );
    const k = new KnownHosts();
    k.loadSync(file);
    const names: Array<[string, number]> = [
      ['a.example.net', 22], ['bad.example.net', 22], ['example.net', 22], ['a.example.net', 830],
      ['r1.example.com', 830], ['r1.example.com', 22], ['r12.example.com', 830],
      ['plain.example.com', 22], ['plain.example.com', 830], ['mixed.example.com', 22],
    ];
    for (const [host, port] of names) {
      const query = port === 22 ? host : `[${host}]:${port}`;
      let sshFound = true;
      try {
        execFileSync('ssh-keygen', ['-F', query, '-f', file], { stdio: 'ignore' });
      } catch {
        sshFound = false;
      }
      assert.equal(k.check(host, port, A.blob) === 'known', sshFound, query);
    }
  });

  it('hashed entries written by ssh-keygen -H', () => {
    const file = join(dir, 'hashed_known_hosts');
    writeFileSync(
      file,
      [
        `r1.example.net ${A.text}`,
        `[r1.example.net]:830 ${B.text}`,
        `a.example.net,b.example.net ${C.text}`,
        `[::1]:830 ${E.text}`,
        `Upper.Example.NET ${A.text}`,
        '',
      ].join('\n'),
    );
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /example|::1/i, 'ssh-keygen -H left plain names');
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 6, 'ssh-keygen -H writes one line per name');
    assert.ok(lines.every((l) => l.startsWith('|1|')));

    const k = new KnownHosts();
    k.loadSync(file);
    assert.equal(k.size, 6);
    assert.equal(k.skipped, 0);
    assert.equal(k.check('r1.example.net', 22, A.blob), 'known');
    assert.equal(k.check('r1.example.net', 22, B.blob), 'changed');
    assert.equal(k.check('r1.example.net', 830, B.blob), 'known');
    assert.equal(k.check('r1.example.net', 830, A.blob), 'changed');
    assert.equal(k.check('a.example.net', 22, C.blob), 'known');
    assert.equal(k.check('b.example.net', 22, C.blob), 'known');
    assert.equal(k.check('c.example.net', 22, C.blob), 'unknown');
    assert.equal(k.check('::1', 830, E.blob), 'known');
    assert.equal(k.check('::1', 22, E.blob), 'unknown');
    assert.equal(k.check('upper.example.net', 22, A.blob), 'known');
    assert.equal(k.check('UPPER.example.net', 22, A.blob), 'known');
    assert.equal(k.check('r2.example.net', 22, A.blob), 'unknown');
  });

  it('@revoked wins, even when another line lists the same key as known', () => {
    const k = kh(
      [
        `r1.example.net ${A.text}`,
        `r1.example.net ${B.text}`,
        `@revoked * ${A.text}`,
        `@revoked other.example.net ${C.text}`,
      ].join('\n'),
    );
    assert.equal(k.size, 4);
    assert.equal(k.check('r1.example.net', 22, A.blob), 'revoked');
    assert.equal(k.check('r9.example.net', 830, A.blob), 'revoked');
    assert.equal(k.check('r1.example.net', 22, B.blob), 'known');
    // The revoked line's pattern does not cover r1, so C there is merely changed.
    assert.equal(k.check('r1.example.net', 22, C.blob), 'changed');
    assert.equal(k.check('other.example.net', 22, C.blob), 'revoked');
    // A revoked entry alone does not make other keys for the host "changed".
    assert.equal(k.check('other.example.net', 22, B.blob), 'unknown');
    // Order does not matter: revoked before known.
    const k2 = kh(`@revoked r1.example.net ${A.text}\nr1.example.net ${A.text}\n`);
    assert.equal(k2.check('r1.example.net', 22, A.blob), 'revoked');
  });

  it('changed: any other key for the host, also of another type (stricter than OpenSSH)', () => {
    const k = kh(`r1.example.net ${E.text}\n`);
    assert.equal(k.check('r1.example.net', 22, A.blob), 'changed');
    assert.equal(k.check('r1.example.net', 22, E.blob), 'known');
    // With several keys on record, one match is enough.
    const k2 = kh(`r1.example.net ${E.text}\nr1.example.net ${A.text}\n`);
    assert.equal(k2.check('r1.example.net', 22, A.blob), 'known');
    assert.equal(k2.check('r1.example.net', 22, B.blob), 'changed');
  });

  it('unknown host in an empty or unrelated set', () => {
    assert.equal(new KnownHosts().check('r1.example.net', 22, A.blob), 'unknown');
    assert.equal(new KnownHosts().size, 0);
    assert.equal(kh(`r2.example.net ${A.text}\n`).check('r1.example.net', 22, A.blob), 'unknown');
  });

  it('host names match case-insensitively', () => {
    const k = kh(`Router1.Example.NET,*.LAB.example.net ${A.text}\n[R2.Example.net]:830 ${B.text}\n`);
    assert.equal(k.check('router1.example.net', 22, A.blob), 'known');
    assert.equal(k.check('ROUTER1.EXAMPLE.NET', 22, A.blob), 'known');
    assert.equal(k.check('x.Lab.Example.Net', 22, A.blob), 'known');
    assert.equal(k.check('r2.EXAMPLE.net', 830, B.blob), 'known');
  });

  it('comments, blank lines and malformed lines', () => {
    const bad = [
      'lonely.example.net',
      `bad1.example.net ssh-ed25519`,
      `bad2.example.net ssh-ed25519 !!notbase64!!`,
      `bad3.example.net ssh-rsa ${A.text.split(' ')[1]}`, // type field disagrees with blob
      `bad4.example.net ssh-ed25519 AAAA`, // blob too short
      `@bogus bad5.example.net ${A.text}`,
      `@revoked`,
      `|1|notvalid ${A.text}`, // hashed name without a hash part
    ];
    const text = [
      '# a comment',
      '',
      '   ',
      `  # indented comment ${A.text}`,
      ...bad,
      `good.example.net\t${A.text}   trailing comment words`,
      `@cert-authority *.example.net ${B.text}`,
      '',
    ].join('\r\n');
    const k = new KnownHosts();
    k.add(text, 'test-source');
    assert.equal(k.size, 1);
    assert.equal(k.skipped, bad.length);
    assert.deepEqual(
      k.warnings.map((w) => w.line),
      bad.map((_, i) => 5 + i),
    );
    assert.ok(k.warnings.every((w) => w.source === 'test-source' && w.message.length > 0));
    assert.equal(k.check('good.example.net', 22, A.blob), 'known');
    for (const n of [1, 2, 3, 4, 5]) {
      assert.equal(k.check(`bad${n}.example.net`, 22, A.blob), 'unknown', `bad${n}`);
    }
    // @cert-authority lines make nothing known or changed; they are only recorded.
    assert.equal(k.check('x.example.net', 22, B.blob), 'unknown');
    assert.equal(k.check('good.example.net', 22, B.blob), 'changed');
    assert.equal(k.certAuthorityFor('x.example.net', 22), true);
    assert.equal(k.certAuthorityFor('x.example.org', 22), false);
    assert.equal(k.certAuthorityFor('good.example.net', 830), false, '*.example.net does not cover [good.example.net]:830');
  });

  it('add and load accumulate entries from several sources', async () => {
    const f1 = join(dir, 'kh1');
    const f2 = join(dir, 'kh2');
    writeFileSync(f1, `r1.example.net ${A.text}\nbroken line\n`);
    writeFileSync(f2, `r2.example.net ${B.text}\n`);
    const k = new KnownHosts();
    await k.load(f1);
    k.loadSync(f2);
    k.add(`r3.example.net ${C.text}\n`, 'inline');
    assert.equal(k.size, 3);
    assert.equal(k.check('r1.example.net', 22, A.blob), 'known');
    assert.equal(k.check('r2.example.net', 22, B.blob), 'known');
    assert.equal(k.check('r3.example.net', 22, C.blob), 'known');
    assert.deepEqual(k.warnings.map((w) => [w.source, w.line]), [[f1, 2]]);
    // A host listed in one file with key A and another file with key B: both known.
    k.add(`r1.example.net ${B.text}\n`);
    assert.equal(k.check('r1.example.net', 22, B.blob), 'known');
    assert.equal(k.check('r1.example.net', 22, C.blob), 'changed');
  });

  it('missing file is an error unless ignoreMissing', async () => {
    const missing = join(dir, 'does-not-exist');
    const k = new KnownHosts();
    await assert.rejects(k.load(missing), { code: 'ENOENT' });
    assert.throws(() => k.loadSync(missing), { code: 'ENOENT' });
    await k.load(missing, { ignoreMissing: true });
    k.loadSync(missing, { ignoreMissing: true });
    assert.equal(k.size, 0);
    assert.equal(k.skipped, 0);
    // ignoreMissing does not hide other errors (a directory is not readable as a file).
    await assert.rejects(k.load(dir, { ignoreMissing: true }), { code: 'EISDIR' });
    assert.throws(() => k.loadSync(dir, { ignoreMissing: true }), { code: 'EISDIR' });
  });

  it('IPv6 literals', () => {
    const k = kh(`[::1]:830 ${A.text}\n::1 ${B.text}\n[2001:db8::*]:830 ${C.text}\n`);
    assert.equal(k.check('::1', 830, A.blob), 'known');
    assert.equal(k.check('[::1]', 830, A.blob), 'known');
    assert.equal(k.check('::1', 830, B.blob), 'changed');
    assert.equal(k.check('::1', 22, B.blob), 'known');
    assert.equal(k.check('::1', 22, A.blob), 'changed');
    assert.equal(k.check('2001:db8::7', 830, C.blob), 'known');
    assert.equal(k.check('2001:DB8::7', 830, C.blob), 'known');
    assert.equal(k.check('2001:db9::7', 830, C.blob), 'unknown');
  });

  it('check rejects invalid arguments', () => {
    const k = kh(`r1.example.net ${A.text}\n`);
    for (const port of [0, -1, 65536, 22.5, Number.NaN]) {
      assert.throws(() => k.check('r1.example.net', port, A.blob), RangeError, String(port));
    }
    assert.throws(() => k.check('', 22, A.blob), TypeError);
    assert.throws(() => k.check('r1.example.net', 22, Buffer.from([0, 0, 0, 9, 1])), TypeError);
  });
});

describe('defaultKnownHostsFiles', () => {
  it('is ~/.ssh/known_hosts, plus ~/ssh/known_hosts on Windows', () => {
    assert.deepEqual(defaultKnownHostsFiles('linux', '/home/u'), [join('/home/u', '.ssh', 'known_hosts')]);
    assert.deepEqual(defaultKnownHostsFiles('win32', '/home/u'), [
      join('/home/u', '.ssh', 'known_hosts'),
      join('/home/u', 'ssh', 'known_hosts'),
    ]);
    const [first] = defaultKnownHostsFiles();
    assert.ok(first?.endsWith(join('.ssh', 'known_hosts')));
  });
});
