/**
 * YANG against the real netconfd (yuma123): discovery through its YANG library (RFC 7895
 * modules-state), every module fetched with get-schema and compiled, `netconf get-config --json`
 * printing RFC 7951 JSON from those modules (equal to what yanglint makes of the same XML with
 * the same modules), and a second run fetching nothing (the cache); the library's
 * `loadSchema()`, `reply.json()` and `editConfig({ json })`.
 *
 * netconfd bug (yuma123 2.13, not ours): the second `<get-schema>` of ietf-netconf in one
 * netconfd process, from any session, answers an empty `<data>` and then closes the session. So
 * the modules are fetched once per server here (test 1), and the other tests use that cache.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { parseXml } from '../../src/xml/parse.js';
import { cleanEnv, runCli, serverEnv, trustedKnownHosts } from '../cli/cli-helpers.js';
import { connectTo, IF_NS, interfaceEntry, interfaces } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

/** netconfd answers an RPC sent right after the hello only after a while; wait before the first one. */
const HELLO_SETTLE_MS = 300;

let server: Netconfd;
let work: string;
let knownHosts: string;
const managers: Manager[] = [];

async function manager(): Promise<Manager> {
  const m = await connectTo(server);
  managers.push(m);
  await new Promise((resolve) => setTimeout(resolve, HELLO_SETTLE_MS));
  return m;
}

before(async () => {
  server = await startNetconfd('yang');
  work = await mkdtemp(join(tmpdir(), 'netconf-yang-netconfd-'));
  knownHosts = await trustedKnownHosts(server, join(work, 'known_hosts'));
  const m = await manager();
  await m.editConfig(interfaces(interfaceEntry('eth0', { description: 'uplink', enabled: true }), interfaceEntry('eth1')));
  await m.commit();
});

after(async () => {
  for (const m of managers) await m.close().catch(() => undefined);
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function netconf(args: readonly string[]): ReturnType<typeof runCli> {
  return runCli([...args, '--known-hosts', knownHosts], { env: serverEnv(server, work) });
}

/** How many `get-schema NAME` lines --debug printed. */
function getSchemaCount(stderr: string): number {
  return stderr.split('\n').filter((l) => /^netconf: debug: get-schema \S+$/.test(l)).length;
}

describe('netconfd: the device\'s YANG modules', () => {
  it('netconf get-config --json: RFC 7951 JSON from modules fetched with get-schema into the cache; the second run fetches nothing', async () => {
    const cache = join(work, 'cache');
    const filter = `<interfaces xmlns="${IF_NS}"/>`;
    const first = await netconf(['get-config', '--json', '--filter', filter, '--yang-cache', cache, '--debug']);
    assert.equal(first.code, 0, first.stderr);
    const modules = (await readdir(cache)).filter((f) => f.endsWith('.yang')).sort();
    // netconfd lists its modules in the RFC 7895 YANG library; every one is served and compiles
    assert.match(first.stderr, new RegExp(`YANG: ${modules.length} modules listed by the device \\(modules-state\\); ${modules.length} fetched with get-schema, 0 from the cache`));
    assert.equal(getSchemaCount(first.stderr), modules.length);
    for (const name of ['ietf-interfaces@2014-05-08.yang', 'ietf-ip@2014-06-16.yang', 'iana-if-type@2014-05-08.yang', 'ietf-yang-types@2013-07-15.yang', 'toaster@2009-11-20.yang', 'yuma-ncx@2012-01-13.yang']) {
      assert.ok(modules.includes(name), `${name} in ${modules.join(' ')}`);
    }
    const json = JSON.parse(first.stdout) as Record<string, unknown>;
    assert.deepEqual(json, {
      'ietf-interfaces:interfaces': {
        interface: [
          { name: 'eth0', description: 'uplink', type: 'iana-if-type:ethernetCsmacd', enabled: true },
          { name: 'eth1', type: 'iana-if-type:ethernetCsmacd' },
        ],
      },
    });

    const second = await netconf(['get-config', '--json', '--filter', filter, '--yang-cache', cache, '--debug']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(getSchemaCount(second.stderr), 0);
    assert.match(second.stderr, new RegExp(`; 0 fetched with get-schema, ${modules.length} from the cache`));
    assert.deepEqual(JSON.parse(second.stdout), json);

    // yanglint makes the same JSON of the same XML with the same (cached) modules
    const xml = await netconf(['get-config', '--filter', filter]);
    assert.equal(xml.code, 0, xml.stderr);
    const file = join(work, 'interfaces.xml');
    await writeFile(file, xml.stdout);
    const implemented = ['ietf-interfaces@2014-05-08.yang', 'iana-if-type@2014-05-08.yang', 'ietf-ip@2014-06-16.yang'].map((f) => join(cache, f));
    const lint = spawnSync('yanglint', ['-p', cache, '-f', 'json', '-t', 'getconfig', ...implemented, file], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    assert.deepEqual(JSON.parse(lint.stdout), json);
  });

  it('the whole running configuration and state (get) map without a warning', async () => {
    const cache = join(work, 'cache');
    const [config, state] = await Promise.all([netconf(['get-config', '--json', '--yang-cache', cache]), netconf(['get', '--json', '--yang-cache', cache])]);
    assert.equal(config.code, 0, config.stderr);
    assert.doesNotMatch(config.stderr, /does not match/);
    assert.ok('ietf-interfaces:interfaces' in (JSON.parse(config.stdout) as object));
    assert.equal(state.code, 0, state.stderr);
    const data = JSON.parse(state.stdout) as Record<string, unknown>;
    assert.ok('ietf-netconf-monitoring:netconf-state' in data, Object.keys(data).join(' '));
    // what the reply holds that the modules do not describe is reported, not fatal
    for (const line of state.stderr.split('\n').filter((l) => /does not match/.test(l))) assert.match(line, /^netconf: the reply does not match the YANG modules: /);
  });

  it('netconf yang fetch -o DIR writes the modules (taken from the cache)', async () => {
    const out = join(work, 'fetched');
    const r = await runCli(['yang', 'fetch', server.host, '--port', String(server.port), '-o', out, '--yang-cache', join(work, 'cache'), '--known-hosts', knownHosts], { env: cleanEnv(work, { NETCONF_USER: server.username, NETCONF_PASSWORD: server.password }) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /; 0 fetched with get-schema, \d+ from the cache\)/);
    const files = await readdir(out);
    assert.ok(files.includes('ietf-interfaces@2014-05-08.yang'));
    assert.equal(r.stdout.trim().split('\n').length, files.length);
  });

  it('the library: loadSchema(), reply.json(), editConfig({ json }) with an operation as RFC 7952 metadata', async () => {
    const m = await manager();
    const schema = await m.loadSchema({ cacheDir: join(work, 'cache') });
    assert.equal(m.schemaDiscovery?.inventory.source, 'modules-state');
    assert.deepEqual(m.schemaDiscovery?.fetched, []);
    assert.equal(schema.modules.get('ietf-interfaces')?.features.has('if-mib'), true); // netconfd's features
    await m.editConfig({
      json: {
        'ietf-interfaces:interfaces': {
          interface: [
            { name: 'eth2', type: 'iana-if-type:softwareLoopback', 'ietf-ip:ipv4': { address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] } },
            { name: 'eth1', '@': { 'ietf-netconf:operation': 'delete' } },
          ],
        },
      },
    });
    await m.commit();
    const reply = await m.getConfig('running', { filter: `<interfaces xmlns="${IF_NS}"/>` });
    const names = ((reply.json()['ietf-interfaces:interfaces'] as { interface: Array<{ name: string }> }).interface).map((i) => i.name);
    assert.deepEqual(names.sort(), ['eth0', 'eth2']);
    const eth2 = (reply.json()['ietf-interfaces:interfaces'] as { interface: Array<Record<string, unknown>> }).interface.find((i) => i['name'] === 'eth2');
    assert.deepEqual(eth2?.['ietf-ip:ipv4'], { address: [{ ip: '192.0.2.1', 'prefix-length': 24 }] });
    assert.equal(parseXml(reply.xml).local, 'rpc-reply');
  });
});
