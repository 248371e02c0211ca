/**
 * The README's examples run as written: examples/safe-change.mjs, examples/stream.mjs,
 * examples/cli.sh and examples/hello.mjs against the built-in simulator, examples/vendor-yang.mjs
 * (its own simulator on examples/openconfig, shown in docs/simulator.md; the .mjs files import
 * 'netconfkit', i.e. the built dist/; cli.sh runs bin/netconf.js as `netconf`), and the README
 * shows the first three verbatim.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator, type Simulator } from '../src/simulator/index.js';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let sim: Simulator;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  sim = await startSimulator({ users: [{ username: 'admin', password: 's3cret' }] });
  dir = await mkdtemp(join(tmpdir(), 'netconf-examples-'));
  await writeFile(join(dir, 'known_hosts'), `${sim.knownHostsLine}\n`);
  env = { ...process.env, NETCONF_HOST: '127.0.0.1', NETCONF_PORT: String(sim.port), NETCONF_USER: 'admin', NETCONF_PASSWORD: 's3cret', NETCONF_KNOWN_HOSTS: join(dir, 'known_hosts'), HOME: dir };
});
after(async () => {
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('examples/safe-change.mjs locks, edits, validates, commits confirmed, confirms and unlocks', async () => {
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'safe-change.mjs')], { env, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /committed and confirmed: eth9 — uplink to core, changed by netconfkit/);
  const running = sim.datastore('running');
  assert.match(running, /<name>eth9<\/name>/);
  assert.match(sim.datastore('candidate'), /<name>eth9<\/name>/);
});

it('examples/safe-change.mjs reports lock-denied readably and exits 1 when someone holds the lock', async () => {
  const { connect } = await import('../src/manager.js');
  const holder = await connect({ host: '127.0.0.1', port: sim.port, username: 'admin', password: 's3cret', allowAgent: false, lookForKeys: false, unknownHostCb: (_h, fp) => fp === sim.hostKey.md5 });
  await holder.lock('candidate');
  try {
    await assert.rejects(run(process.execPath, [join(repo, 'examples', 'safe-change.mjs')], { env, cwd: repo, timeout: 60_000 }), (err: { code?: number; stderr?: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr ?? '', /lock-denied/);
      return true;
    });
  } finally {
    await holder.close();
  }
});

it('examples/hello.mjs prints the session, capabilities and the running config', async () => {
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'hello.mjs')], { env, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /connected to admin@127\.0\.0\.1:\d+: session-id \d+, chunked framing/);
  assert.match(stdout, /reply root: \{urn:ietf:params:xml:ns:netconf:base:1\.0\}rpc-reply message-id=1/);
  assert.match(stdout, /^closed$/m);
});

it('examples/stream.mjs streams 20 000 interfaces of running as parsed subtrees', async () => {
  let interfaces = '';
  for (let i = 0; i < 20_000; i++) interfaces += `<interface><name>ge-0/0/${i}</name><description>port ${i}</description><enabled>${i % 1000 === 7 ? 'false' : 'true'}</enabled></interface>`;
  await using big = await startSimulator({ users: [{ username: 'admin', password: 's3cret' }], config: `<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">${interfaces}</interfaces>` });
  const knownHosts = join(dir, 'known_hosts_big');
  await writeFile(knownHosts, `${big.knownHostsLine}\n`);
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'stream.mjs')], { env: { ...env, NETCONF_PORT: String(big.port), NETCONF_KNOWN_HOSTS: knownHosts }, cwd: repo, timeout: 60_000 });
  const counted = /^20000 interfaces in (\d+) bytes; disabled: 20$/m.exec(stdout);
  assert.ok(counted, stdout);
  assert.ok(Number(counted[1]) > 2_000_000, stdout);
  assert.match(stdout, /^first disabled: ge-0\/0\/7, ge-0\/0\/1007, ge-0\/0\/2007, ge-0\/0\/3007, ge-0\/0\/4007$/m);
});

it('examples/cli.sh runs hello, get-config, a locked edit-config with commit, and get-config --json', async () => {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'netconf'), `#!/bin/sh\nexec '${process.execPath}' '${join(repo, 'bin', 'netconf.js')}' "$@"\n`);
  await chmod(join(bin, 'netconf'), 0o755);
  const { stdout, stderr } = await run('bash', [join(repo, 'examples', 'cli.sh'), '--known-hosts', join(dir, 'known_hosts')], { env: { ...env, PATH: `${bin}:${process.env['PATH'] ?? ''}` }, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /^session-id: \d+$/m);
  assert.match(stdout, /^ok$/m);
  assert.match(stdout, /"description": "set from the shell"/);
  assert.match(stderr, /locked candidate[\s\S]*commit: ok[\s\S]*unlocked candidate/);
  assert.match(sim.datastore('running'), /<name>eth7<\/name>/);
  assert.match(sim.datastore('running'), /set from the shell/);
});

it('examples/reconnect.mjs takes the lock again on a new session each time the session is lost', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [join(repo, 'examples', 'reconnect.mjs')], { env: { ...env, MAX_SESSIONS: '2' }, cwd: repo });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (out += text));
  child.stderr.on('data', () => undefined);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  const sessionHolding = async (count: number): Promise<number> => {
    const until = Date.now() + 30_000;
    for (;;) {
      const ids = [...out.matchAll(/^session (\d+): holding the candidate lock$/gm)].map((match) => Number(match[1]));
      if (ids.length >= count) return ids[count - 1] as number;
      if (Date.now() > until) throw new Error(`no session ${count} in: ${out}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
  };
  try {
    const first = await sessionHolding(1);
    assert.ok(sim.disconnect(first), 'the simulator dropped the first session');
    const second = await sessionHolding(2);
    assert.notEqual(second, first);
    assert.ok(sim.disconnect(second));
    assert.equal(await exited, 0);
    assert.match(out, new RegExp(`^session ${first} lost: .*closed by the server`, 'm'));
    assert.match(out, /^done$/m);
  } finally {
    child.kill();
  }
});

it('examples/tls.mjs connects over TLS with a client certificate and reads running; a wrong CA is a TLSError', async () => {
  const { generateTestPki } = await import('../src/simulator/index.js');
  const pki = await generateTestPki({ dir: join(dir, 'pki') });
  await using tlsSim = await startSimulator({ users: [{ username: 'admin' }], tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert } });
  const tlsEnv = { ...env, NETCONF_PORT: String(tlsSim.port), NETCONF_TLS_CERT: pki.client.certFile, NETCONF_TLS_KEY: pki.client.keyFile, NETCONF_TLS_CA: pki.ca.certFile };
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'tls.mjs')], { env: tlsEnv, cwd: repo, timeout: 60_000 });
  assert.match(stdout, /^connected to 127\.0\.0\.1:\d+ \(TLS\): session-id \d+, server certificate CN=netconfkit-simulator$/m);
  assert.match(stdout, /^running configuration: \d+ characters$/m);
  await assert.rejects(run(process.execPath, [join(repo, 'examples', 'tls.mjs')], { env: { ...tlsEnv, NETCONF_TLS_CA: pki.otherCa.certFile }, cwd: repo, timeout: 60_000 }), (err: { code?: number; stderr?: string }) => {
    assert.equal(err.code, 3);
    assert.match(err.stderr ?? '', /TLS refused \(unknown-ca\)/);
    return true;
  });
});

it('examples/call-home.mjs takes the call of a simulator dialling in over SSH, checked against known_hosts', async () => {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolvePort) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => resolvePort(p));
    });
  });
  await using device = await startSimulator({ users: [{ username: 'admin', password: 's3cret' }], callHome: { host: '127.0.0.1', port, reconnect: { strategy: 'once', interval: 0.2 } } });
  const knownHosts = join(dir, 'known_hosts_call_home');
  await writeFile(knownHosts, `127.0.0.1 ${device.hostKey.publicKey}\n`);
  const child = spawn(process.execPath, [join(repo, 'examples', 'call-home.mjs')], { env: { ...env, CALL_HOME_PORT: String(port), CALL_HOME_ADDRESS: '127.0.0.1', CALL_HOME_DEVICES: '1', NETCONF_KNOWN_HOSTS: knownHosts }, cwd: repo });
  let out = '';
  let errText = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (errText += text));
  const code = await new Promise<number | null>((resolveExit) => {
    const timer = setTimeout(() => child.kill(), 30_000);
    child.once('exit', (exitCode) => (clearTimeout(timer), resolveExit(exitCode)));
  });
  assert.equal(code, 0, errText);
  assert.match(out, new RegExp(`^listening on port ${port}$`, 'm'));
  assert.match(out, /^127\.0\.0\.1 \(SHA256:[^)]+\) called home: session-id \d+, running configuration \d+ characters$/m);
});

it('examples/typed-config.ts: types from the device (netconf yang types --from-device), tsc --strict, a typed edit and get', async () => {
  // A device that knows its modules: the simulator with the IETF interface modules netconfd ships.
  const yangDir = join(dir, 'typed-yang');
  await mkdir(yangDir, { recursive: true });
  for (const f of ['ietf-interfaces@2014-05-08.yang', 'ietf-ip@2014-06-16.yang', 'iana-if-type@2014-05-08.yang', 'ietf-inet-types@2013-07-15.yang', 'ietf-yang-types@2013-07-15.yang']) {
    await copyFile(join('/usr/share/yuma/modules/ietf', f), join(yangDir, f));
  }
  const device = await startSimulator({ users: [{ username: 'admin', password: 's3cret' }], yangDir });
  // Compiled inside the package (build/ is scratch space), so `import 'netconfkit'` is the package itself.
  const work = join(repo, 'build', 'typed-example');
  try {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    await writeFile(join(dir, 'typed_known_hosts'), `${device.knownHostsLine}\n`);
    const deviceEnv = { ...env, NETCONF_PORT: String(device.port), NETCONF_KNOWN_HOSTS: join(dir, 'typed_known_hosts') };
    const types = await run(process.execPath, [join(repo, 'bin', 'netconf.js'), 'yang', 'types', '--from-device', '--known-hosts', join(dir, 'typed_known_hosts'), '-o', join(work, 'models.ts'), 'ietf-interfaces', 'ietf-ip'], { env: deviceEnv, cwd: repo, timeout: 60_000 });
    assert.match(await readFile(join(work, 'models.ts'), 'utf8'), /export interface IetfInterfacesEdit\b/, types.stderr);
    await copyFile(join(repo, 'examples', 'typed-config.ts'), join(work, 'typed-config.ts'));
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '--strict', '--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', join(work, 'typed-config.ts'), join(work, 'models.ts')], { cwd: repo, timeout: 120_000 });
    const { stdout } = await run(process.execPath, [join(work, 'typed-config.js')], { env: deviceEnv, cwd: repo, timeout: 60_000 });
    assert.match(stdout, /^eth9 \(iana-if-type:ethernetCsmacd\): mtu 9000$/m);
    assert.match(device.datastore('running'), /<mtu>9000<\/mtu>/);
  } finally {
    await device.close();
    await rm(work, { recursive: true, force: true });
  }
});

it('examples/inventory.yaml loads as the README says: groups, precedence, --limit', async () => {
  const { Inventory } = await import('../src/fleet/index.js');
  const inventory = await Inventory.load(join(repo, 'examples', 'inventory.yaml'));
  const core = [...inventory.limit('core').targets()];
  assert.deepEqual(core.map((t) => t.name), ['r1', 'r2']);
  const r2 = inventory.target('r2') as unknown as Record<string, unknown>;
  assert.equal(r2['host'], 'r2.example.net');
  assert.equal(r2['port'], 830);
  assert.equal(r2['username'], 'netconf');
  assert.equal(r2['passwordEnv'], 'NETCONF_PASSWORD');
  assert.equal(r2['proxyJump'], 'bastion.example.net');
  assert.deepEqual(r2['knownHostsFile'], [join(repo, 'examples', 'known_hosts')], 'paths relative to the inventory file');
  assert.equal((inventory.target('r1') as unknown as Record<string, unknown>)['proxyJump'], undefined);
});

it('README.md shows examples/safe-change.mjs, stream.mjs, typed-config.ts, tls.mjs, call-home.mjs and cli.sh verbatim', async () => {
  const readme = await readFile(join(repo, 'README.md'), 'utf8');
  for (const [file, lang] of [['safe-change.mjs', 'js'], ['stream.mjs', 'js'], ['typed-config.ts', 'ts'], ['tls.mjs', 'js'], ['call-home.mjs', 'js'], ['inventory.yaml', 'yaml'], ['cli.sh', 'sh']] as const) {
    const source = await readFile(join(repo, 'examples', file), 'utf8');
    const block = '```' + lang + '\n' + source + (source.endsWith('\n') ? '' : '\n') + '```';
    assert.ok(readme.includes(block), `README.md must show examples/${file} verbatim in a \`\`\`${lang} block (copy the file into README.md)`);
  }
});

it("examples/vendor-yang.mjs: the simulator on OpenConfig's published modules refuses a bad edit, takes a good one and reports it with defaults", async () => {
  const { stdout } = await run(process.execPath, [join(repo, 'examples', 'vendor-yang.mjs')], { env, cwd: repo, timeout: 60_000 });
  assert.equal(
    stdout,
    "refused: invalid-value (not-in-range) at /oc-if:interfaces/oc-if:interface[oc-if:name='et-0/0/1']/oc-if:config/oc-if:mtu\n" +
      'et-0/0/1: mtu 9100, openconfig-if-ethernet:SPEED_100GB, auto-negotiate true, enabled true\n',
  );
  // docs/simulator.md shows the script verbatim, and what it prints.
  const doc = await readFile(join(repo, 'docs', 'simulator.md'), 'utf8');
  const source = await readFile(join(repo, 'examples', 'vendor-yang.mjs'), 'utf8');
  assert.ok(doc.includes('```js\n' + source + '```'), 'docs/simulator.md must show examples/vendor-yang.mjs verbatim in a ```js block');
  assert.ok(doc.includes('```\n' + stdout + '```'), 'docs/simulator.md must show what examples/vendor-yang.mjs prints');
});
