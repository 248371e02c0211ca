// Workload (i) must not rot: bench/fleet.mjs at its tiny size (20 devices, in one process and
// through 2 BullMQ workers on a private redis-server) produces numbers for every run. No timing
// is asserted. Needs dist/ (npm test builds it) and redis-server.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)); // build/test/bench -> project root

interface Run {
  devices: number;
  ok: number;
  seconds: number;
  rate: number;
  peakRss?: number;
  workerPeakRss?: number[];
  fdsAfter?: number;
}

describe('bench/fleet.mjs --tiny', () => {
  it('measures runFleet and BullMQ workers on 20 simulated devices', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netconf-bench-fleet-'));
    try {
      const json = join(dir, 'fleet.json');
      const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['bench/fleet.mjs', '--tiny', '--json', json], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.stderr.on('data', (d: Buffer) => (text += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, text }));
      });
      assert.equal(output.code, 0, output.text.slice(-3000));
      const results = JSON.parse(await readFile(json, 'utf8')) as { inProcess: Run[]; queue: Array<Run & { workers: number }> };
      const check = (r: Run | undefined, what: string): void => {
        assert.ok(r, `${what} missing`);
        assert.equal(r.ok, r.devices, `${what}: every device answered`);
        assert.ok(r.rate > 0 && Number.isFinite(r.seconds), `${what}: ${JSON.stringify(r)}`);
      };
      check(results.inProcess[0], 'in-process');
      assert.ok((results.inProcess[0]?.peakRss ?? 0) > 0);
      check(results.queue.find((q) => q.workers === 2), '2 workers');
      assert.match(output.text, /one process, runFleet/);
      assert.match(output.text, /BullMQ, 2 workers/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
