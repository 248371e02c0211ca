/**
 * The layers of src/ point one way (scripts/check-layers.mjs, docs/architecture.md): run on the
 * real tree it finds nothing against the layering; run on small trees that break it, it says so.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repo, 'scripts', 'check-layers.mjs');

function check(srcDir?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [script, ...(srcDir ? [srcDir] : [])], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'layers-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A little src/ tree: path -> content. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('layering of src/', () => {
  it('the real tree: every import points down, no cycle between folders', () => {
    const r = check();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^xml -> base$/m, 'xml/ imports only the bottom modules');
    assert.match(r.stdout, /^transport -> base, xml$/m, 'transport/ knows nothing of RPCs');
    assert.doesNotMatch(r.stdout, /^(simulator|cli) -> .*\b(xml|transport|rpc|operations)\b/m, 'simulator and CLI sit on the public API');
  });

  it('reports xml/ importing transport/ (the cycle this layout removed)', () => {
    const root = tree('cycle', {
      'errors.ts': 'export class E extends Error {}\n',
      'xml/parse.ts': "import { MalformedMessageError } from '../transport/errors.js';\nexport const x = MalformedMessageError;\n",
      'transport/errors.ts': "import { x } from '../xml/parse.js';\nexport class MalformedMessageError extends Error {}\nexport const y = x;\n",
    });
    const r = check(root);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /xml\/parse\.ts:1: xml must not import transport/);
  });

  it('reports the simulator reaching past the public API, and dynamic imports too', () => {
    const root = tree('simulator', {
      'index.ts': "export * from './transport/framing.js';\n",
      'transport/framing.ts': 'export const f = 1;\n',
      'simulator/session.ts': "import { f } from '../transport/framing.js';\nconst g = await import('../index.js');\nexport const h = [f, g];\n",
      'cli/main.ts': "const m = await import('../transport/framing.js');\nexport const n = m;\n",
    });
    const r = check(root);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /simulator\/session\.ts:1: simulator must not import transport/);
    assert.match(r.stderr, /cli\/main\.ts:1: cli must not import transport/);
    assert.doesNotMatch(r.stderr, /simulator\/session\.ts:2/, 'importing the public API is allowed');
  });
});
