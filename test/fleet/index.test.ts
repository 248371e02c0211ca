/**
 * `netconfkit/fleet` as another project sees it (package.json `exports`, dist/): runFleet and the
 * inventory load without BullMQ, ioredis or yaml; the queue functions bring BullMQ in when called.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

it('netconfkit/fleet imports by package name and loads BullMQ only for the queue', { timeout: 30_000 }, async () => {
  const project = await mkdtemp(join(tmpdir(), 'netconf-fleet-consumer-'));
  try {
    await mkdir(join(project, 'node_modules'));
    await symlink(repo, join(project, 'node_modules', 'netconfkit'), 'dir');
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    await writeFile(
      join(project, 'main.mjs'),
      `import { createRequire } from 'node:module';
       const loaded = () => Object.keys(createRequire(import.meta.url)('node:module')._cache).filter((k) => /node_modules\\/(bullmq|ioredis|yaml)\\//.test(k)).map((k) => k.match(/node_modules\\/([^/]+)\\//)[1]);
       const fleet = await import('netconfkit/fleet');
       const first = [...new Set(loaded())];
       const inv = fleet.Inventory.parse('hosts: { r1: { port: 830 } }');
       const afterInventory = [...new Set(loaded())].sort();
       await import('netconfkit');
       console.log(JSON.stringify({ first, afterInventory, exports: ['runFleet', 'enqueueFleet', 'startFleetWorker', 'Inventory'].every((n) => typeof fleet[n] === 'function'), target: inv.target('r1').host }));`,
    );
    const { stdout } = await run(process.execPath, [join(project, 'main.mjs')], { cwd: project });
    assert.deepEqual(JSON.parse(stdout), { first: [], afterInventory: ['yaml'], exports: true, target: 'r1' });
  } finally {
    await rm(project, { recursive: true, force: true });
  }
});
