/**
 * The disk cache of fetched YANG modules: where it is, what it keeps (parsed modules with a
 * revision), atomic writes, damaged files, the newest revision of a name, statistics.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { YangError } from '../../src/yang/errors.js';
import { checkModuleText, defaultYangCacheDir, isCacheable, YangCache } from '../../src/yang/schema-cache.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'netconf-yang-cache-'));
  dirs.push(d);
  return d;
}

const moduleText = (name: string, revision: string): string => `module ${name} {
  yang-version 1.1;
  namespace "urn:example:${name}";
  prefix ${name.replace(/-/g, '')};
  revision ${revision};
  leaf x { type string; }
}
`;

describe('defaultYangCacheDir', () => {
  it('NETCONFKIT_YANG_CACHE, else an absolute XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(defaultYangCacheDir({ NETCONFKIT_YANG_CACHE: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' }), '/c');
    assert.equal(defaultYangCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), '/x/netconfkit/yang');
    // a relative XDG_CACHE_HOME is invalid (XDG Base Directory) and ignored
    assert.equal(defaultYangCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/h' }), '/h/.cache/netconfkit/yang');
    assert.equal(defaultYangCacheDir({ HOME: '/h' }), '/h/.cache/netconfkit/yang');
  });
});

describe('YangCache', () => {
  it('caches a module by name@revision and finds it again (another instance: another process)', () => {
    const dir = join(tempDir(), 'nested', 'cache');
    const cache = new YangCache(dir);
    assert.equal(cache.get('ex-a', '2024-01-01'), undefined);
    const put = cache.put('ex-a', '2024-01-01', moduleText('ex-a', '2024-01-01'));
    assert.equal(put.name, 'ex-a');
    assert.equal(put.file, join(dir, 'ex-a@2024-01-01.yang'));
    assert.deepEqual(readdirSync(dir), ['ex-a@2024-01-01.yang']); // no temporary file left
    assert.equal(readFileSync(put.file, 'utf8'), moduleText('ex-a', '2024-01-01'));
    const again = new YangCache(dir).get('ex-a', '2024-01-01');
    assert.equal(again?.text(), moduleText('ex-a', '2024-01-01'));
    assert.deepEqual(cache.stats, { hits: 0, misses: 1, writes: 1 });
  });

  it('does not cache a module without revision (it is returned, not written)', () => {
    const dir = tempDir();
    const cache = new YangCache(dir);
    const text = 'module ex-norev { namespace "urn:x"; prefix x; }';
    const source = cache.put('ex-norev', undefined, text, '<get-schema ex-norev>');
    assert.equal(source.text(), text);
    assert.deepEqual(readdirSync(dir), []);
    assert.equal(cache.get('ex-norev', undefined), undefined);
    assert.equal(cache.stats.writes, 0);
  });

  it('refuses a text that does not parse, or is another module, and writes nothing', () => {
    const dir = tempDir();
    const cache = new YangCache(dir);
    assert.throws(() => cache.put('ex-b', '2024-01-01', 'module ex-b { leaf x { type string; }', '<get-schema ex-b@2024-01-01>'), (e: unknown) => e instanceof YangError && /get-schema ex-b@2024-01-01/.test(e.message));
    assert.throws(() => cache.put('ex-b', '2024-01-01', moduleText('ex-c', '2024-01-01')), /expected ex-b, got module ex-c/);
    assert.throws(() => checkModuleText('ex-b', '<rpc-error/>', 'f'), YangError);
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.yang')), []);
  });

  it('ignores a damaged cache file (a miss), and the next put replaces it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ex-d@2024-01-01.yang'), 'module ex-d { trunca');
    const cache = new YangCache(dir);
    assert.equal(cache.get('ex-d', '2024-01-01'), undefined);
    cache.put('ex-d', '2024-01-01', moduleText('ex-d', '2024-01-01'));
    assert.equal(cache.get('ex-d', '2024-01-01')?.text(), moduleText('ex-d', '2024-01-01'));
  });

  it('latest(): the newest cached revision of a name', () => {
    const dir = tempDir();
    const cache = new YangCache(dir);
    assert.equal(cache.latest('ex-e'), undefined);
    cache.put('ex-e', '2020-01-01', moduleText('ex-e', '2020-01-01'));
    cache.put('ex-e', '2023-05-05', moduleText('ex-e', '2023-05-05'));
    cache.put('ex-ee', '2025-01-01', moduleText('ex-ee', '2025-01-01'));
    assert.equal(cache.latest('ex-e')?.file, join(dir, 'ex-e@2023-05-05.yang'));
    assert.equal(new YangCache(join(dir, 'missing')).latest('ex-e'), undefined);
  });

  it('names that could leave the directory, and revisions that are not dates, are never cached', () => {
    assert.equal(isCacheable('../etc/passwd', '2024-01-01'), false);
    assert.equal(isCacheable('a/b', '2024-01-01'), false);
    assert.equal(isCacheable('ok', '2024-1-1'), false);
    assert.equal(isCacheable('ok', undefined), false);
    assert.equal(isCacheable('ok', '2024-01-01'), true);
    assert.equal(new YangCache(tempDir()).get('../x', '2024-01-01'), undefined);
  });
});
