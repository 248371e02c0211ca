/**
 * `netconf yang convert` (offline XML <-> RFC 7951 JSON), `netconf yang fetch`, and `--json` by
 * YANG modules (from --yang-dir, or the device's, fetched and cached) on get-config, get and
 * subscribe, and edit-config with a JSON file — against the simulator, which serves the modules
 * of its YANG directory with get-schema. The command runs as a subprocess.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { SYS_NS, writeExampleModules } from '../helpers/example-yang.js';
import { OWN_MODULE_FILES } from '../simulator/helpers.js';
import { cleanEnv, runCli, waitFor, startCli } from './cli-helpers.js';

const PASSWORD = 'yang-pw';
const CONFIG = `<system xmlns="${SYS_NS}"><hostname>r1</hostname><enabled>true</enabled><load>42</load><counter>7</counter><user><name>ann</name><uid>1</uid></user></system>`;

/** The files of the example modules (writeExampleModules) in the simulator's directory. */
const DIR_FILES = ['example-sys-sub@2024-02-02.yang', 'example-sys@2024-02-02.yang', 'example-types@2024-01-01.yang'];

let work: string;
let yangDir: string;
let sim: Simulator;
let bare: Simulator;
let trusted: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-cli-yang-'));
  yangDir = await writeExampleModules(join(work, 'yang'));
  const users = [{ username: 'admin', password: PASSWORD }];
  sim = await startSimulator({ users, config: CONFIG, yangDir });
  bare = await startSimulator({ users, config: CONFIG });
  trusted = join(work, 'known_hosts');
  await writeFile(trusted, `${sim.knownHostsLine}\n${bare.knownHostsLine}\n`);
});

after(async () => {
  await sim?.close();
  await bare?.close();
  await rm(work, { recursive: true, force: true });
});

/** `netconf ARGS` against a simulator, with a fresh HOME (so a fresh default cache) unless given. */
async function netconf(args: readonly string[], options: { home?: string; input?: string; server?: Simulator } = {}): ReturnType<typeof runCli> {
  const home = options.home ?? (await mkdtemp(join(work, 'home-')));
  const server = options.server ?? sim;
  const env = cleanEnv(home, { NETCONF_HOST: '127.0.0.1', NETCONF_PORT: String(server.port), NETCONF_USER: 'admin', NETCONF_PASSWORD: PASSWORD, XDG_CACHE_HOME: undefined, NETCONFKIT_YANG_CACHE: undefined });
  return runCli([...args, '--known-hosts', trusted], { env, ...(options.input !== undefined ? { input: options.input } : {}) });
}

/** `netconf yang convert` (no server). */
function convert(args: readonly string[], input?: string): ReturnType<typeof runCli> {
  return runCli(['yang', 'convert', '--yang-dir', yangDir, ...args], { env: cleanEnv(work), ...(input !== undefined ? { input } : {}) });
}

const SYSTEM_JSON = { 'example-sys:system': { hostname: 'r1', enabled: true, load: 42, counter: '7', user: [{ name: 'ann', uid: 1 }] } };

describe('netconf yang convert', { concurrency: true }, () => {
  it('XML to RFC 7951 JSON: a data tree, a <config> wrapper, a whole <rpc-reply>, from a file or stdin', async () => {
    const file = join(work, 'system.xml');
    await writeFile(file, CONFIG);
    const [plain, wrapped, reply] = await Promise.all([
      convert(['--to', 'json', file]),
      convert(['-'], `<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${CONFIG}</config>`),
      convert(['--to', 'json', '-'], `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="1"><data>${CONFIG}</data></rpc-reply>`),
    ]);
    for (const r of [plain, wrapped, reply]) {
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), SYSTEM_JSON);
    }
  });

  it('JSON to XML, and back to the same JSON', async () => {
    const r = await convert(['--to', 'xml', '-'], JSON.stringify(SYSTEM_JSON));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<system xmlns="urn:example:sys">\n {2}<hostname>r1<\/hostname>\n/);
    const back = await convert(['-'], r.stdout);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(JSON.parse(back.stdout), SYSTEM_JSON);
  });

  it('a notification (RESTCONF form with eventTime), an RPC with its input, a reply by --rpc', async () => {
    const [notif, rpc, reply] = await Promise.all([
      convert(['-'], `<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0"><eventTime>2024-05-01T12:00:00Z</eventTime><overheated xmlns="${SYS_NS}"><load>99</load></overheated></notification>`),
      convert(['-'], `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3"><restart xmlns="${SYS_NS}"><delay>5</delay></restart></rpc>`),
      convert(['--rpc', 'example-sys:restart', '-'], `<rpc-reply xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="3"><message xmlns="${SYS_NS}">soon</message></rpc-reply>`),
    ]);
    assert.equal(notif.code, 0, notif.stderr);
    assert.deepEqual(JSON.parse(notif.stdout), { 'ietf-restconf:notification': { eventTime: '2024-05-01T12:00:00Z', 'example-sys:overheated': { load: 99 } } });
    assert.equal(rpc.code, 0, rpc.stderr);
    assert.deepEqual(JSON.parse(rpc.stdout), { 'example-sys:restart': { delay: 5 } });
    assert.equal(reply.code, 0, reply.stderr);
    assert.deepEqual(JSON.parse(reply.stdout), { 'example-sys:message': 'soon' });
    const back = await convert(['-'], notif.stdout);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /^<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1\.0">\n {2}<eventTime>2024-05-01T12:00:00Z<\/eventTime>\n {2}<overheated xmlns="urn:example:sys">/);
  });

  it('an action in <rpc><action>, to JSON and back into <action>', async () => {
    const action = `<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="4"><action xmlns="urn:ietf:params:xml:ns:yang:1"><system xmlns="${SYS_NS}"><user><name>ann</name><lock-out><minutes>5</minutes></lock-out></user></system></action></rpc>`;
    const json = await convert(['-'], action);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { 'example-sys:system': { user: [{ name: 'ann', 'lock-out': { minutes: 5 } }] } });
    const xml = await convert(['--type', 'rpc', '-'], json.stdout);
    assert.equal(xml.code, 0, xml.stderr);
    assert.match(xml.stdout, /^<action xmlns="urn:ietf:params:xml:ns:yang:1">\n {2}<system xmlns="urn:example:sys">\n {4}<user>\n {6}<name>ann<\/name>\n {6}<lock-out>/);
  });

  it('a document the schema refuses: exit 1, one line naming the data path, no stack trace', async () => {
    const [xml, json] = await Promise.all([
      convert(['-'], `<system xmlns="${SYS_NS}"><load>101</load></system>`),
      convert(['-'], JSON.stringify({ 'example-sys:system': { user: [{ name: 'ann', uid: 'x' }] } })),
    ]);
    assert.equal(xml.code, 1);
    assert.equal(xml.stdout, '');
    assert.match(xml.stderr, /^netconf: the document on stdin does not match the YANG modules: \/example-sys:system\/load: [^\n]*\n$/);
    assert.equal(json.code, 1);
    assert.match(json.stderr, /^netconf: [^\n]*\/example-sys:system\/user\[name='ann'\]\/uid[^\n]*\n$/);
  });

  it('--features: when given, the features not listed are off', async () => {
    const doc = `<system xmlns="${SYS_NS}"><fancy-name>x</fancy-name></system>`;
    const [on, off, bad] = await Promise.all([convert(['-'], doc), convert(['--features', 'example-sys:', '-'], doc), convert(['--features', 'nonsense', '-'], doc)]);
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(JSON.parse(on.stdout), { 'example-sys:system': { 'fancy-name': 'x' } });
    assert.equal(off.code, 1);
    assert.match(off.stderr, /fancy-name/);
    assert.equal(bad.code, 2);
  });

  it('usage errors: no --yang-dir, no FILE, --to other, not JSON, modules that do not compile', async () => {
    const broken = join(work, 'broken');
    await writeExampleModules(broken);
    await writeFile(join(broken, 'example-bad.yang'), 'module example-bad { namespace "urn:b"; prefix b; import nowhere { prefix n; } }');
    const results = await Promise.all([
      runCli(['yang', 'convert', '-'], { env: cleanEnv(work), input: '<a/>' }),
      convert([]),
      convert(['--to', 'yaml', '-'], '<a/>'),
      convert(['-'], '{"a": '),
      runCli(['yang', 'convert', '--yang-dir', broken, '-'], { env: cleanEnv(work), input: '<a/>' }),
      runCli(['yang', 'nope'], { env: cleanEnv(work) }),
    ]);
    for (const r of results) {
      assert.equal(r.code, 2, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.match(results[4]!.stderr, /do not compile: .*nowhere/);
  });
});

// One at a time: edit-config changes the simulator's running datastore that the others read.
describe('--json by YANG modules, against the simulator', () => {
  it('get-config --json --yang-dir DIR prints RFC 7951 JSON', async () => {
    const r = await netconf(['get-config', '--json', '--yang-dir', yangDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), SYSTEM_JSON);
  });

  it('get-config --json without --yang-dir: the device\'s modules, fetched once into the cache, then taken from it', async () => {
    const home = await mkdtemp(join(work, 'home-cache-'));
    const first = await netconf(['get-config', '--json'], { home });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), SYSTEM_JSON);
    // the simulator's YANG library lists the directory's modules and its own (the submodule is fetched too)
    const files = [...DIR_FILES, ...OWN_MODULE_FILES].sort();
    assert.match(first.stderr, new RegExp(`YANG: ${files.length - 1} modules listed by the device \\(yang-library\\); ${files.length} fetched with get-schema, 0 from the cache`));
    assert.deepEqual((await readdir(join(home, '.cache', 'netconfkit', 'yang'))).sort(), files);
    const second = await netconf(['get', '--json', '--filter', `<system xmlns="${SYS_NS}"/>`], { home });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, new RegExp(`; 0 fetched with get-schema, ${files.length} from the cache`));
    assert.deepEqual(JSON.parse(second.stdout), SYSTEM_JSON);
    // --yang-cache DIR instead of the default
    const own = join(work, 'own-cache');
    const third = await netconf(['get-config', '--json', '--yang-cache', own], { home });
    assert.equal(third.code, 0, third.stderr);
    assert.equal((await readdir(own)).length, files.length);
  });

  it('get-data (NMDA): operational by default, a datastore, config/origin filters, --with-origin as RFC 7952 metadata', async () => {
    const [operational, running, filtered, configOnly, stateOnly, origin] = await Promise.all([
      netconf(['get-data', '--json', '--yang-dir', yangDir]),
      netconf(['get-data', '--datastore', 'running', '--json', '--yang-dir', yangDir]),
      netconf(['get-data', '--filter', `<system xmlns="${SYS_NS}"><hostname/></system>`]),
      netconf(['get-data', '--config-only']),
      netconf(['get-data', '--state-only']),
      netconf(['get-data', '--with-origin', '--json', '--yang-dir', yangDir]),
    ]);
    for (const r of [operational, running, filtered, configOnly, stateOnly, origin]) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(running.stdout), SYSTEM_JSON);
    const op = JSON.parse(operational.stdout) as { 'example-sys:system': Record<string, unknown> };
    assert.equal(op['example-sys:system'].hostname, 'r1');
    // a subtree filter selects; the example module has configuration only, no state
    assert.match(filtered.stdout, /<hostname>r1<\/hostname>/);
    assert.doesNotMatch(filtered.stdout, /<load>/);
    assert.match(configOnly.stdout, /<load>42<\/load>/);
    assert.doesNotMatch(stateOnly.stdout, /<system/);
    const withOrigin = JSON.parse(origin.stdout) as { 'example-sys:system': { '@'?: Record<string, unknown> } };
    assert.equal(withOrigin['example-sys:system']['@']?.['ietf-origin:origin'], 'ietf-origin:intended');
    // usage errors before connecting (exit 2)
    const bad = await Promise.all([
      netconf(['get-data', '--datastore', 'nowhere']),
      netconf(['get-data', '--config-only', '--state-only']),
      netconf(['get-data', '--with-origin', '--datastore', 'running']),
      netconf(['get-data', '--max-depth', '0']),
      netconf(['get-data', '--origin', 'intended', '--not-origin', 'system']),
    ]);
    for (const r of bad) assert.equal(r.code, 2, r.stderr);
  });

  it('--no-yang, a device whose modules do not cover the data, or one without schemas: the schema-less mapping (the latter two say so on stderr)', async () => {
    const [off, uncovered] = await Promise.all([netconf(['get-config', '--json', '--no-yang']), netconf(['get-config', '--json'], { server: bare })]);
    assert.equal(off.code, 0, off.stderr);
    assert.equal((JSON.parse(off.stdout) as { system: { '@xmlns': string } }).system['@xmlns'], SYS_NS);
    assert.doesNotMatch(off.stderr, /YANG/);
    // `bare` serves its own modules only (ietf-netconf-monitoring …): none defines urn:example:sys
    assert.equal(uncovered.code, 0, uncovered.stderr);
    assert.equal((JSON.parse(uncovered.stdout) as { system: { '@xmlns': string } }).system['@xmlns'], SYS_NS);
    assert.match(uncovered.stderr, new RegExp(`no YANG module defines the namespace ${SYS_NS} of the data: printing the schema-less JSON mapping`));
    const refused = bare.faults.always({ operation: 'get-schema', rpcError: { tag: 'operation-not-supported' } });
    try {
      const none = await netconf(['get-config', '--json', '--yang-cache', join(work, 'empty-cache')], { server: bare });
      assert.equal(none.code, 0, none.stderr);
      assert.equal((JSON.parse(none.stdout) as { system: { hostname: string } }).system.hostname, 'r1');
      assert.match(none.stderr, /the device's YANG modules could not be loaded \(.*\): printing the schema-less JSON mapping/);
    } finally {
      refused.remove();
    }
  });

  it('edit-config with an RFC 7951 JSON file (by --yang-dir, or the device\'s modules); a refused one sends nothing', async () => {
    const file = join(work, 'edit.json');
    await writeFile(file, JSON.stringify({ 'example-sys:system': { hostname: 'r2', role: 'example-types:admin' } }));
    const edit = await netconf(['edit-config', file, '--target', 'running', '--yang-dir', yangDir]);
    assert.equal(edit.code, 0, edit.stderr);
    assert.equal(edit.stdout, 'ok\n');
    const read = await netconf(['get-config', '--filter', `<system xmlns="${SYS_NS}"><hostname/><role/></system>`]);
    assert.match(read.stdout, /<hostname>r2<\/hostname>/);
    assert.match(read.stdout, /<role xmlns:ext="urn:example:types">ext:admin<\/role>|<role[^>]*>[a-z]+:admin<\/role>/);
    const device = await netconf(['edit-config', '-', '--target', 'running'], { input: JSON.stringify({ 'example-sys:system': { hostname: 'r1' } }) });
    assert.equal(device.code, 0, device.stderr);
    const bad = await netconf(['edit-config', '-', '--target', 'running', '--yang-dir', yangDir], { input: JSON.stringify({ 'example-sys:system': { load: 'high' } }) });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /does not match the YANG modules: \/example-sys:system\/load/);
    sim.setDatastore('running', CONFIG);
  });

  it('yang fetch -o DIR writes the device\'s modules as name@revision.yang', async () => {
    const out = join(work, 'fetched');
    const r = await netconf(['yang', 'fetch', '-o', out]);
    // every module the device lists is served: the directory's and the simulator's own
    assert.equal(r.code, 0, r.stderr);
    const files = [...DIR_FILES, ...OWN_MODULE_FILES].sort();
    assert.deepEqual((await readdir(out)).sort(), files);
    assert.equal(r.stdout.trim().split('\n').length, files.length);
  });

  it('yang types: the same TypeScript from --yang-dir (stdout or -o FILE) and from the device; an unknown module is exit 1', async () => {
    const file = join(work, 'models.ts');
    const [fromDir, toFile, fromDevice, unknown] = await Promise.all([
      runCli(['yang', 'types', '--yang-dir', yangDir, 'example-sys'], { env: cleanEnv(work) }),
      runCli(['yang', 'types', '--yang-dir', yangDir, '-o', file, 'example-sys'], { env: cleanEnv(work) }),
      netconf(['yang', 'types', '--from-device', 'example-sys']),
      runCli(['yang', 'types', '--yang-dir', yangDir, 'no-such-module'], { env: cleanEnv(work) }),
    ]);
    for (const r of [fromDir, toFile, fromDevice]) assert.equal(r.code, 0, r.stderr);
    assert.match(fromDir.stdout, /export interface ExampleSys\b/);
    assert.match(fromDir.stdout, /export interface ExampleSysEdit\b/);
    assert.equal(await readFile(file, 'utf8'), fromDir.stdout);
    assert.equal(fromDevice.stdout, fromDir.stdout);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no-such-module/);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);
  });

  it('yang types -o: the file\'s directory is created; a path that cannot be written is exit 2 naming it, no stack trace', async () => {
    const nested = join(work, 'types-out', 'deeper', 'models.ts');
    const [made, blocked] = await Promise.all([
      runCli(['yang', 'types', '--yang-dir', yangDir, '-o', nested, 'example-sys'], { env: cleanEnv(work) }),
      runCli(['yang', 'types', '--yang-dir', yangDir, '-o', join(yangDir, 'example-sys@2024-02-02.yang', 'models.ts'), 'example-sys'], { env: cleanEnv(work) }),
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(await readFile(nested, 'utf8'), /export interface ExampleSys\b/);
    assert.equal(blocked.code, 2, blocked.stderr);
    assert.match(blocked.stderr, /^netconf: \S+example-sys@2024-02-02\.yang: exists, and is not a directory \(mkdir\)\n$/);
  });

  it('subscribe --json prints notifications as RFC 7951 JSON (RESTCONF form)', async () => {
    const home = await mkdtemp(join(work, 'home-sub-'));
    const env = cleanEnv(home, { NETCONF_HOST: '127.0.0.1', NETCONF_PORT: String(sim.port), NETCONF_USER: 'admin', NETCONF_PASSWORD: PASSWORD });
    const sub = startCli(['subscribe', '--json', '--yang-dir', yangDir, '--known-hosts', trusted], { env });
    try {
      await waitFor('the subscription', () => /subscribed to stream/.test(sub.stderr()), 20_000);
      sim.pushNotification(`<overheated xmlns="${SYS_NS}"><load>97</load></overheated>`);
      await waitFor('the notification', () => sub.stdout().includes('overheated'), 20_000);
    } finally {
      sub.child.kill('SIGINT');
    }
    const r = await sub.result;
    assert.equal(r.code, 0, r.stderr);
    const event = JSON.parse(r.stdout.trim().split('\n')[0] ?? '') as { 'ietf-restconf:notification': Record<string, unknown> };
    assert.deepEqual(event['ietf-restconf:notification']['example-sys:overheated'], { load: 97 });
    assert.equal(typeof event['ietf-restconf:notification']['eventTime'], 'string');
  });
});
