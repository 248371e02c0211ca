/**
 * `netconf serve --yang-dir DIR [--module NAME] [--features LIST] [--yang-library] [--no-yang-validation]`: the
 * schema-aware simulator from the command line; usage errors for modules that do not compile and
 * for the YANG options without --yang-dir.
 */
import * as assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { cleanEnv, runCli, startCli, waitFor } from './cli-helpers.js';

const IETF = '/usr/share/yuma/modules/ietf';
const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';

let work: string;
let yangDir: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'netconf-cli-serve-yang-'));
  yangDir = join(work, 'yang');
  await import('node:fs/promises').then((fs) => fs.mkdir(yangDir));
  for (const m of ['ietf-interfaces@2014-05-08', 'ietf-yang-types@2013-07-15']) await copyFile(join(IETF, `${m}.yang`), join(yangDir, `${m}.yang`));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('netconf serve --yang-dir', () => {
  it('validates edits against the modules and advertises them with the features given', async () => {
    // The YANG library is answered by default (no --yang-library).
    const run = startCli(['serve', '--yang-dir', yangDir, '--module', 'ietf-interfaces', '--features', 'ietf-interfaces:if-mib', '--port', '0'], { env: cleanEnv(work), timeout: 60_000 });
    try {
      const found = await Promise.race([
        waitFor('the simulator to start', () => /listening on 127\.0\.0\.1:(\d+)/.exec(run.stderr()) ?? /listening on 127\.0\.0\.1:(\d+)/.exec(run.stdout())),
        run.result.then((r) => {
          throw new Error(`serve exited ${r.code}: ${r.stderr}`);
        }),
      ]);
      const port = Number((found as RegExpMatchArray)[1]);
      await waitFor('the YANG summary', () => /YANG: (\d+) modules advertised \(.+ and the simulator's own\), listed in the YANG library; edits validated against them/.exec(run.stderr()));
      // the directory's two modules and the 8 the simulator implements itself (ietf-netconf … ietf-yang-library)
      assert.match(run.stderr(), /YANG: 10 modules advertised/);
      const m = await connect({ host: '127.0.0.1', port, username: 'admin', password: 'admin', allowAgent: false, lookForKeys: false, hostkeyVerify: false });
      try {
        assert.ok([...m.serverCapabilities].includes(`${IF_NS}?module=ietf-interfaces&revision=2014-05-08&features=if-mib`));
        const lib = (await m.get({ filter: '<modules-state xmlns="urn:ietf:params:xml:ns:yang:ietf-yang-library"/>' })).data;
        const conformance = Object.fromEntries((lib?.findAll('modules-state/module') ?? []).map((x) => [x.childText('name'), x.childText('conformance-type')]));
        // The directory's modules (ietf-yang-types only imported, as --module says), and those of
        // what the simulator implements itself, with the one import the directory lacks.
        assert.deepEqual(conformance, {
          'ietf-interfaces': 'implement',
          'ietf-yang-types': 'import',
          'ietf-inet-types': 'import',
          'ietf-yang-metadata': 'import',
          'ietf-netconf': 'implement',
          'ietf-netconf-monitoring': 'implement',
          'ietf-netconf-notifications': 'implement',
          'ietf-netconf-with-defaults': 'implement',
          'ietf-netconf-nmda': 'implement',
          'ietf-datastores': 'implement',
          'ietf-origin': 'implement',
          'ietf-yang-library': 'implement',
        });
        const err = await m.editConfig(`<interfaces xmlns="${IF_NS}"><interface><name>e</name><enabled>maybe</enabled></interface></interfaces>`, { target: 'running' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof RPCError);
        assert.equal(err.tag, 'invalid-value');
        assert.equal(err.path, "/if:interfaces/if:interface[if:name='e']/if:enabled");
      } finally {
        await m.close();
      }
    } finally {
      run.child.kill('SIGINT');
      await run.result;
    }
  });

  it('usage errors: modules that do not compile, YANG options without --yang-dir', async () => {
    const broken = join(work, 'broken');
    await import('node:fs/promises').then((fs) => fs.mkdir(broken));
    await writeFile(join(broken, 'bad.yang'), 'module bad { namespace "urn:bad"; prefix b; leaf x { type nosuchtype; } }');
    const r1 = await runCli(['serve', '--yang-dir', broken, '--port', '0'], { env: cleanEnv(work) });
    assert.equal(r1.code, 2, r1.stderr);
    assert.match(r1.stderr, /do not compile/);
    const r2 = await runCli(['serve', '--features', 'a:b', '--port', '0'], { env: cleanEnv(work) });
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /--yang-dir/);
    const r3 = await runCli(['serve', '--no-yang-library', '--port', '0'], { env: cleanEnv(work) });
    assert.equal(r3.code, 2, r3.stderr);
    assert.match(r3.stderr, /--yang-dir/);
    const r4 = await runCli(['serve', '--yang-dir', yangDir, '--yang-library', '--no-yang-library', '--port', '0'], { env: cleanEnv(work) });
    assert.equal(r4.code, 2, r4.stderr);
    assert.match(r4.stderr, /not both/);
  });
});
