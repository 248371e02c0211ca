/**
 * The package as another project sees it: `import { SSHSession } from 'netconfkit'` through
 * package.json `exports`, in JavaScript and in strict TypeScript against the shipped .d.ts.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let project: string;

before(async () => {
  project = await mkdtemp(join(tmpdir(), 'netconf-consumer-'));
  await mkdir(join(project, 'node_modules', '@types'), { recursive: true });
  await symlink(repo, join(project, 'node_modules', 'netconfkit'), 'dir');
  await symlink(join(repo, 'node_modules', '@types', 'node'), join(project, 'node_modules', '@types', 'node'), 'dir');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
});
after(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

it('imports the public API by package name from JavaScript, internals from netconfkit/internals only', async () => {
  const script = `
    import * as main from 'netconfkit';
    import { SSHSession, Session, SSHUnknownHostError, NCClientError, defaultUnknownHostCb } from 'netconfkit';
    import { FrameDecoder } from 'netconfkit/internals';
    const s = new SSHSession();
    console.log(JSON.stringify({ session: s instanceof Session, id: s.id, connected: s.connected,
      err: new SSHUnknownHostError('h', 'aa:bb') instanceof NCClientError, cb: defaultUnknownHostCb('h', 'aa'), framer: typeof FrameDecoder,
      internalsInMain: ['FrameDecoder', 'RPCDispatcher', 'findRoot', 'MessageReader'].filter((name) => name in main) }));
  `;
  await writeFile(join(project, 'main.mjs'), script);
  const { stdout } = await run(process.execPath, [join(project, 'main.mjs')], { cwd: project });
  assert.deepEqual(JSON.parse(stdout), { session: true, id: null, connected: false, err: true, cb: false, framer: 'function', internalsInMain: [] });
});

it('type-checks a strict TypeScript consumer against the shipped declarations', async () => {
  await writeFile(
    join(project, 'main.ts'),
    `import { SSHSession, type SessionListener, type RootElement } from 'netconfkit';
     const listener: SessionListener = { callback(root: RootElement, raw: string) { console.log(root[0], raw.length); }, errback(e: Error) { console.error(e); } };
     const s = new SSHSession();
     s.addListener(listener);
     const id: string | null = s.id;
     // @ts-expect-error port must be a number
     void s.connect({ host: 'x', port: '830' });
     export { id };
    `,
  );
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node', join(project, 'main.ts')];
  const result = await run(process.execPath, [tsc, ...args], { cwd: project }).then(
    () => '',
    (err: { stdout?: string }) => err.stdout ?? 'tsc failed',
  );
  assert.equal(result, '');
});

it("ships the simulator's own YANG modules (yang/, found from dist/simulator/) and not the OpenConfig example modules", async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, maxBuffer: 16 << 20 });
  const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
  const shipped = files.filter((f) => f.startsWith('yang/') && f.endsWith('.yang')).sort();
  assert.deepEqual(shipped, (await readdir(join(repo, 'yang'))).filter((f) => f.endsWith('.yang')).map((f) => `yang/${f}`).sort());
  assert.ok(shipped.includes('yang/ietf-yang-library@2019-01-04.yang') && shipped.includes('yang/ietf-netconf@2011-06-01.yang'), shipped.join(' '));
  assert.ok(files.includes('dist/simulator/builtin-modules.js'));
  assert.deepEqual(files.filter((f) => f.includes('openconfig')), []);
  // From the package as installed: the simulator finds them (dist/simulator/ → ../../yang).
  const script = `import { startSimulator } from 'netconfkit/simulator';
    const sim = await startSimulator({ users: [{ username: 'a', password: 'b' }] });
    console.log(sim.capabilities.filter((c) => c.includes('module=')).length);
    await sim.close();`;
  const out = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
  assert.equal(out.stdout.trim(), '2');
});
