/**
 * The simulator's life cycle: `close()` ends every session and leaves nothing open (a child
 * process using it exits on its own, even with timers armed), and the `netconfkit/simulator`
 * package entry point.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SessionCloseError } from '../../src/transport/errors.js';
import { connectTo, interfaces, startSim, waitFor } from './helpers.js';

const buildDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repo = resolve(buildDir, '..');
const built = (path: string): string => pathToFileURL(join(buildDir, 'src', path)).href;

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-sim-life-'));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** Run a script with node; resolves with its stdout, rejects if it has not exited after `ms`. */
function runScript(file: string, ms = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(process.execPath, [file], { cwd: dirname(file), timeout: ms, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err && err.killed) reject(new Error(`the script did not exit on its own within ${ms} ms; stdout: ${stdout}; stderr: ${stderr}`));
      else resolvePromise({ code: child.exitCode, stdout, stderr });
    });
  });
}

describe('close()', () => {
  it('ends the sessions of connected clients, who see SessionCloseError; idempotent', async () => {
    const sim = await startSim({ config: interfaces({ eth0: 1 }) });
    const m = await connectTo(sim);
    const errors: Error[] = [];
    m.session.addListener({ callback: () => undefined, errback: (e) => errors.push(e) });
    sim.faults.next({ operation: 'get', delay: 60_000 });
    const pending = m.get({ timeout: 60 }).catch((e: unknown) => e);
    await waitFor(() => sim.sessions.length === 1);
    const closing = sim.close();
    assert.equal(sim.close(), closing);
    await closing;
    assert.ok((await pending) instanceof SessionCloseError);
    assert.ok(errors.some((e) => e instanceof SessionCloseError));
    assert.equal(sim.sessions.length, 0);
    await m.close();
  });

  it('a process that starts a simulator, connects, and closes both exits on its own (timers armed)', async () => {
    const script = join(work, 'run.mjs');
    await writeFile(
      script,
      `
      import { startSimulator } from ${JSON.stringify(built('simulator/index.js'))};
      import { connect } from ${JSON.stringify(built('manager.js'))};
      const sim = await startSimulator({ users: [{ username: 'u', password: 'p' }], config: '<a xmlns="urn:x"><b>1</b></a>' });
      const opts = { host: '127.0.0.1', port: sim.port, username: 'u', password: 'p', allowAgent: false, lookForKeys: false,
        unknownHostCb: (_h, fp) => fp === sim.hostKey.md5 };
      const a = await connect(opts);
      const b = await connect(opts);
      // arm every kind of timer the simulator has
      await a.createSubscription({ startTime: new Date(Date.now() - 1000), stopTime: new Date(Date.now() + 600000) });
      await a.editConfig('<a xmlns="urn:x"><b>2</b></a>');
      await a.commit({ confirmed: true, timeout: 600, persist: 'keep' });
      await b.lock('running');
      // (RPCs of a session are carried out in order: nothing on b gets past this one)
      sim.faults.next({ operation: 'get', delay: 600000 });
      const late = b.get({ timeout: 600 }).catch((e) => e.name);
      sim.pushNotification('<ping xmlns="urn:x"/>');
      await a.close();
      await sim.close();
      console.log('late:', await late);
      await b.close();
      console.log('done');
      `,
    );
    // A timer left armed (confirm-timeout 600 s, stopTime, the 600 s delay) would keep it alive.
    const { code, stdout, stderr } = await runScript(script);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /late: SessionCloseError/);
    assert.match(stdout, /done/);
  });

  it('a process whose simulator is closed with no client ever connected exits too', async () => {
    const script = join(work, 'idle.mjs');
    await writeFile(script, `import { startSimulator } from ${JSON.stringify(built('simulator/index.js'))};\nconst sim = await startSimulator({ users: [{ username: 'u', password: 'p' }] });\nawait sim.close();\nconsole.log('done');\n`);
    const { code, stdout } = await runScript(script);
    assert.equal(code, 0);
    assert.match(stdout, /done/);
  });
});

describe('package entry point', () => {
  it("imports startSimulator from 'netconfkit/simulator' (needs npm run build)", async (t) => {
    if (!existsSync(join(repo, 'dist', 'simulator', 'index.js'))) {
      t.skip('dist/simulator is not built');
      return;
    }
    const project = join(work, 'consumer');
    await mkdir(join(project, 'node_modules'), { recursive: true });
    await symlink(repo, join(project, 'node_modules', 'netconfkit'), 'dir');
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    const script = join(project, 'main.mjs');
    await writeFile(
      script,
      `import { startSimulator, NetconfServerError } from 'netconfkit/simulator';
       import { connect } from 'netconfkit';
       const sim = await startSimulator({ users: [{ username: 'u', password: 'p' }] });
       const m = await connect({ host: '127.0.0.1', port: sim.port, username: 'u', password: 'p', allowAgent: false, lookForKeys: false, hostkeyVerify: false });
       console.log(JSON.stringify({ id: m.sessionId, err: typeof NetconfServerError }));
       await m.close();
       await sim.close();`,
    );
    const { code, stdout, stderr } = await runScript(script);
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { id: '1', err: 'function' });
  });
});
