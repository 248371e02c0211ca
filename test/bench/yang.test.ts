// Workload (h) of the benchmark must not rot: run bench/yang.mjs at a tiny size (200 interfaces,
// one round) and check that every figure is there and that the conversion it times is the right
// one (our JSON equals yanglint's, yanglint reads our XML back the same). No timing is asserted.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)); // build/test/bench -> project root

interface Stat {
  median: number;
  n: number;
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['bench/yang.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, output }));
  });
}

describe('bench/yang.mjs (workload (h)) at a tiny size', () => {
  it('converts 200 interfaces both ways beside yanglint, compiles the IETF modules, prints the table', { timeout: 300_000 }, async () => {
    const state = await mkdtemp(join(tmpdir(), 'netconf-bench-yang-'));
    try {
      const { code, stdout, output } = await run(['--interfaces', '200', '--rounds', '1', '--compile-rounds', '1', '--state', state]);
      assert.equal(code, 0, `bench/yang.mjs failed:\n${output.slice(-4000)}`);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      assert.ok(line, `no RESULT line:\n${output.slice(-2000)}`);
      const r = JSON.parse(line.slice(7)) as Record<string, unknown>;
      assert.equal(r.error, undefined);
      assert.equal(r.interfaces, 200);
      assert.equal(r.jsonEqualsYanglint, true, 'our JSON differs from yanglint\'s');
      assert.equal(r.ourXmlReadBackEqual, true, 'yanglint reads our XML back differently');
      for (const k of ['oursXmlToJsonSeconds', 'oursXmlToJsonWall', 'oursXmlToJsonPeakRss', 'oursJsonToXmlSeconds', 'oursJsonToXmlPeakRss', 'yanglintXmlToJsonPeakRss', 'yanglintJsonToXmlPeakRss', 'oursCompileMs']) {
        const s = r[k] as Stat | undefined;
        assert.ok(s && Number.isFinite(s.median) && s.median > 0, `${k}: ${JSON.stringify(s)}`);
      }
      // /usr/bin/time has 10 ms steps: a tiny yanglint run may take "0.00" s
      for (const k of ['yanglintXmlToJsonWall', 'yanglintJsonToXmlWall', 'yanglintLoadMs']) {
        const s = r[k] as Stat | undefined;
        assert.ok(s && Number.isFinite(s.median) && s.median >= 0, `${k}: ${JSON.stringify(s)}`);
      }
      assert.ok((r.compileFiles as number) >= 30, `compiled ${String(r.compileFiles)} modules`);
      assert.match(output, /XML → JSON, 200 interfaces/);
      assert.match(output, /yanglint/);
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
