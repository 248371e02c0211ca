// The benchmark must not rot: run it at tiny sizes (`npm run bench -- --smoke`) and check that
// every workload of every client produced numbers. No timing is asserted: these are smoke sizes on
// a shared CI machine, and benchmarks are not tests.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)); // build/test/bench -> project root

interface Stat {
  median: number;
  n: number;
}
interface Row {
  group: string;
  name: string;
  node?: Stat;
  ncclient?: Stat;
  ssh2?: Stat;
  /** The string ceiling: the bare ssh2 channel building each large reply as one string. */
  'ssh2-string'?: Stat;
  openssh?: Stat;
}
interface Results {
  failures: unknown[];
  rows: Row[];
  targets: Array<{ target: string; met: boolean | null }>;
}

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['bench/run.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('bench/run.mjs --smoke', () => {
  it('runs every workload against the C peer with this client, ncclient and both ceilings', { timeout: 900_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netconf-bench-smoke-'));
    try {
      const json = join(dir, 'smoke.json');
      const { code, output } = await run(['--smoke', '--json', json]);
      assert.equal(code, 0, `bench/run.mjs --smoke failed:\n${output.slice(-4000)}`);
      const results = JSON.parse(await readFile(json, 'utf8')) as Results;
      assert.deepEqual(results.failures, []);
      const row = (prefix: string): Row => {
        const found = results.rows.find((r) => r.name.startsWith(prefix));
        assert.ok(found, `row ${prefix} missing`);
        return found;
      };
      const positive = (s: Stat | undefined, what: string): void => {
        assert.ok(s !== undefined && Number.isFinite(s.median) && s.median > 0, `${what}: ${JSON.stringify(s)}`);
      };
      for (const client of ['node', 'ncclient', 'ssh2', 'openssh'] as const) positive(row('get-config 1 MB, COLD throughput')[client], `large ${client}`);
      // the string ceiling, beside the bare channel: cold and warm throughput, peak RSS
      for (const name of ['get-config 1 MB, COLD throughput', 'get-config 1 MB, WARM throughput', 'peak RSS after the cold call', 'peak RSS after all calls']) {
        positive(row(name)['ssh2-string'], `large ssh2-string: ${name}`);
      }
      for (const client of ['node', 'ncclient', 'ssh2', 'openssh'] as const) positive(row('sequential <get>')[client], `small ${client}`);
      positive(row('getConfigStream()').node, 'stream node');
      positive(row('getConfigStream()').ssh2, 'stream ssh2');
      positive(row('client RSS growth per session').node, 'many node');
      positive(row('framing decoder: chunked, 1024 B chunks').node, 'framing');
      // the leak checks are results, not timings: they must hold at any size
      assert.equal(row('open fds after close').node?.median, 0);
      assert.equal(row('active handles').node?.median, 0);
      assert.ok(results.targets.length >= 10);
      assert.match(output, /^targets \(issue 5: /m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
