/**
 * The device's schema through the Manager, against the simulator (which advertises the modules of
 * its YANG directory in the hello and serves them with get-schema): discovery from the hello,
 * submodules and unlisted imports fetched, the disk cache (the second connection fetches
 * nothing), fetch off, offline directories, JSON both ways (reply.json(), editConfig({ json })),
 * and typed reads (getConfig as json, getJson, getDataJson) from a simulator with its YANG library.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import type { Simulator } from '../../src/simulator/index.js';
import { YangDataError } from '../../src/yang/errors.js';
import { connectTo, startSim } from '../simulator/helpers.js';
import { SYS_NS, TYPES_NS, writeExampleModules } from '../helpers/example-yang.js';

let work: string;
let yangDir: string;
let sim: Simulator;
const managers: Manager[] = [];

async function manager(): Promise<Manager> {
  const m = await connectTo(sim);
  managers.push(m);
  return m;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-discovery-'));
  yangDir = await writeExampleModules(join(work, 'yang'));
  // example-types is not advertised: it is found as an import of example-sys. Without the YANG
  // library in the hello, the modules are read from the hello's module capabilities.
  sim = await startSim({
    yangDir,
    omitCapabilities: [TYPES_NS, 'urn:ietf:params:netconf:capability:yang-library:1.0', 'urn:ietf:params:netconf:capability:yang-library:1.1', 'urn:ietf:params:xml:ns:yang:ietf-yang-library'],
  });
});

after(async () => {
  for (const m of managers) await m.close();
  await sim?.close();
  await rm(work, { recursive: true, force: true });
});

describe('Manager.loadSchema from the device', () => {
  it('fetches the advertised modules, their submodules and unlisted imports, and caches them; a second connection fetches nothing', async () => {
    const cacheDir = join(work, 'cache');
    const m = await manager();
    assert.equal(m.schema, undefined);
    const asked: string[] = [];
    const schema = await m.loadSchema({ cacheDir, onFetch: (name, revision) => asked.push(`${name}@${revision ?? ''}`) });
    assert.equal(m.schema, schema);
    assert.ok(schema.modules.has('example-sys'));
    assert.ok(schema.modules.has('example-types'));
    assert.equal(schema.modules.get('example-sys')?.implemented, true);
    const found = m.schemaDiscovery;
    assert.equal(found?.inventory.source, 'hello');
    const ours = ['example-sys-sub', 'example-sys@2024-02-02', 'example-types'];
    for (const name of ours) {
      assert.ok(found?.fetched.includes(name), `${name} fetched: ${found?.fetched.join(' ')}`);
      assert.ok(asked.includes(`${name.includes('@') ? name : `${name}@`}`), asked.join(' '));
    }
    // Whatever else the simulator advertises is fetched too, or left out with a warning.
    assert.equal(found?.fetched.length, asked.length - (found?.warnings.length ?? 0));
    for (const w of found?.warnings ?? []) assert.match(w, /^get-schema \S+ failed: |does not parse/);
    assert.deepEqual(found?.cached, []);
    const files = await readdir(cacheDir);
    for (const f of ['example-sys-sub@2024-02-02.yang', 'example-sys@2024-02-02.yang', 'example-types@2024-01-01.yang']) assert.ok(files.includes(f), files.join(' '));

    const again = await manager();
    const fetchedAgain: string[] = [];
    await again.loadSchema({ cacheDir, onFetch: (name) => fetchedAgain.push(name) });
    // only what could not be had the first time is asked for again
    assert.equal(fetchedAgain.length, found?.warnings.length);
    assert.deepEqual(again.schemaDiscovery?.fetched, []);
    assert.equal(again.schemaDiscovery?.cached.length, found?.fetched.length);
    assert.ok(again.schema?.modules.has('example-types'));
  });

  it('fetch: false takes only what the cache has (the rest is a warning); cacheDir: false caches nothing', async () => {
    const m = await manager();
    const empty = join(work, 'empty-cache');
    await assert.rejects(m.loadSchema({ cacheDir: empty, fetch: false }), /none of the device's YANG modules could be had: .*is not in the cache/);
    await m.loadSchema({ cacheDir: false });
    assert.ok((m.schemaDiscovery?.fetched.length ?? 0) >= 3);
    assert.equal(m.schemaDiscovery?.cached.length, 0);
    await assert.rejects(readdir(empty), /ENOENT/);
  });

  it('fetchModules: the sources without compiling', async () => {
    const m = await manager();
    const found = await m.fetchModules({ cacheDir: false });
    for (const name of ['example-sys', 'example-sys-sub', 'example-types']) assert.ok(found.sources.some((s) => s.name === name), name);
    assert.match(found.sources.find((s) => s.name === 'example-types')?.text() ?? '', /identity admin/);
  });
});

describe('JSON in and out', () => {
  it('reply.json() maps get-config data by the schema; editConfig({ json }) writes by it', async () => {
    const m = await manager();
    await assert.rejects(m.editConfig({ json: { 'example-sys:system': { hostname: 'r1' } } }, { target: 'running' }), /needs a YANG schema/);
    await m.loadSchema({ yangDir });
    await m.editConfig(
      { json: { 'example-sys:system': { hostname: 'r1', enabled: true, load: 42, counter: '18446744073709551615', role: 'example-types:admin', user: [{ name: 'ann', uid: 7 }] } } },
      { target: 'running' },
    );
    const reply = await m.getConfig('running', { filter: `<system xmlns="${SYS_NS}"/>` });
    assert.deepEqual(reply.json(), {
      'example-sys:system': { hostname: 'r1', enabled: true, load: 42, counter: '18446744073709551615', role: 'example-types:admin', user: [{ name: 'ann', uid: 7 }] },
    });
    // the XML sent was ordinary XML in the module's namespace
    assert.equal(reply.data?.find('system/hostname')?.namespace, SYS_NS);
    assert.equal(reply.data?.find('system/hostname')?.textContent, 'r1');
  });

  it('a JSON edit the schema refuses throws YangDataError with the data path, and nothing is sent', async () => {
    const m = await manager();
    await m.loadSchema({ yangDir });
    const before = (await m.getConfig('running')).xml;
    await assert.rejects(
      m.editConfig({ json: { 'example-sys:system': { load: 101 } } }, { target: 'running' }),
      (e: unknown) => e instanceof YangDataError && e.path === '/example-sys:system/load',
    );
    await assert.rejects(m.editConfig({ json: { 'example-sys:system': { nope: 1 } } }, { target: 'running' }), YangDataError);
    assert.equal((await m.getConfig('running')).xml.replace(/message-id="\d+"/, ''), before.replace(/message-id="\d+"/, ''));
  });

  it('reply.json() without a schema is a TypeError; the schema given beats the session\'s', async () => {
    const m = await manager();
    const reply = await m.getConfig('running', { filter: `<system xmlns="${SYS_NS}"/>` });
    assert.equal(reply.schema, undefined);
    assert.throws(() => reply.json(), TypeError);
    const other = await manager();
    await other.loadSchema({ yangDir });
    assert.ok('example-sys:system' in reply.json({ schema: other.schema! }));
    // a reply of a manager with a schema carries it
    assert.equal((await other.get({ filter: `<system xmlns="${SYS_NS}"/>` })).schema, other.schema);
  });
});

describe('connect({ yangDir }) and rpc({ json })', () => {
  it('connect with yangDir compiles the directory into m.schema; rpc({ json }) sends the RPC by it', async () => {
    const m = await connectTo(sim, { yangDir });
    managers.push(m);
    assert.ok(m.schema?.modules.has('example-sys'));
    assert.ok(m.schema?.modules.get('example-sys')?.features.has('fancy'));
    // The simulator does not implement example-sys:restart: its refusal proves the XML reached it.
    await assert.rejects(m.rpc({ json: { 'example-sys:restart': { delay: 5 } } }), /restart|operation-not-supported|not supported/i);
    await assert.rejects(m.rpc({ json: { 'example-sys:restart': { delay: 'soon' } } }), (e: unknown) => e instanceof YangDataError && e.path === '/example-sys:restart/delay');
  });
});

describe('typed reads from a device with a YANG library (getConfig as json, getJson, getDataJson)', () => {
  it("the device's modules and its own: configuration, /yang-library, /netconf-state and NMDA origins as RFC 7951 JSON", async () => {
    const device = await startSim({ yangDir, config: `<system xmlns="${SYS_NS}"><hostname>r9</hostname><load>3</load></system>` });
    const m = await connectTo(device);
    try {
      const found = await m.loadSchema({ cacheDir: join(work, 'typed-cache') });
      assert.equal(m.schemaDiscovery?.inventory.source, 'yang-library');
      for (const own of ['ietf-netconf', 'ietf-netconf-monitoring', 'ietf-yang-library', 'ietf-netconf-nmda', 'ietf-origin']) assert.ok(found.modules.get(own)?.implemented, own);
      const filter = `<system xmlns="${SYS_NS}"><hostname/></system>`;
      assert.deepEqual(await m.getConfig('running', { as: 'json', filter }), { 'example-sys:system': { hostname: 'r9' } });
      assert.deepEqual(await m.getConfigJson('running', { filter }), { 'example-sys:system': { hostname: 'r9' } });
      const library = await m.getJson<{ 'ietf-yang-library:yang-library': { 'module-set': Array<{ module: Array<{ name: string }> }>; 'content-id': string } }>({
        filter: '<yang-library xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"/>',
      });
      const implemented = library['ietf-yang-library:yang-library']['module-set'][0]?.module.map((x) => x.name) ?? [];
      assert.ok(implemented.includes('example-sys') && implemented.includes('ietf-yang-library'), implemented.join(' '));
      assert.match(library['ietf-yang-library:yang-library']['content-id'], /^[0-9a-f]+$/);
      const state = await m.getJson<{ 'ietf-netconf-monitoring:netconf-state': { schemas: { schema: Array<{ identifier: string; format: string }> } } }>({
        filter: '<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><schemas/></netconf-state>',
      });
      const schemas = state['ietf-netconf-monitoring:netconf-state'].schemas.schema;
      assert.ok(schemas.some((x) => x.identifier === 'ietf-netconf' && x.format === 'ietf-netconf-monitoring:yang'));
      const operational = await m.getDataJson<Record<string, { '@'?: Record<string, unknown>; hostname?: string }>>('operational', { filter, withOrigin: true });
      assert.equal(operational['example-sys:system']?.hostname, 'r9');
      assert.equal(operational['example-sys:system']?.['@']?.['ietf-origin:origin'], 'ietf-origin:intended');
    } finally {
      await m.close();
      await device.close();
    }
  });
});

describe('JSON subtrees of a streamed reply', () => {
  it('stream.json(entry): each list entry as an RFC 7951 document wrapped in its ancestors', async () => {
    const m = await manager();
    await m.loadSchema({ yangDir });
    await m.editConfig({ json: { 'example-sys:system': { user: [{ name: 'bob', uid: 2 }, { name: 'cy', uid: 3 }] } } }, { target: 'running' });
    const stream = m.getConfigStream('running', { filter: `<system xmlns="${SYS_NS}"><user/></system>` });
    const docs: unknown[] = [];
    for await (const entry of stream) docs.push(stream.json(entry));
    assert.ok(docs.length >= 2);
    assert.ok(docs.some((d) => JSON.stringify(d) === JSON.stringify({ 'example-sys:system': { user: [{ name: 'bob', uid: 2 }] } })), JSON.stringify(docs));
    const plain = (await manager()).getConfigStream('running');
    for await (const entry of plain) assert.throws(() => plain.json(entry), TypeError);
  });
});
