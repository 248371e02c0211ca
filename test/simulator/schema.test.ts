/**
 * get-schema (RFC 6022) from a directory of YANG files, the module capabilities they give, and
 * what their list keys change in edit-config; explicit `listKeys`.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import { connectTo, NC_NS, startSim } from './helpers.js';

const USERS_NS = 'urn:example:users';
const usersModule = (revision: string): string => `// users, revision ${revision}
module example-users {
  yang-version 1.1;
  namespace "${USERS_NS}";
  prefix exu;
  /* the newest revision first */
  revision ${revision} { description "a \\"quoted\\" text" + ' and more'; }
  container users {
    list user {
      key "uid";
      leaf name { type string; }
      leaf uid { type uint32; }
      leaf-list tag { type string; }
    }
  }
}
`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netconf-sim-yang-'));
  await writeFile(join(dir, 'example-users@2024-01-01.yang'), usersModule('2024-01-01'));
  await writeFile(join(dir, 'example-users@2023-06-01.yang'), usersModule('2023-06-01'));
  await writeFile(join(dir, 'example-plain.yang'), 'module example-plain { namespace "urn:example:plain"; prefix p; revision 2019-01-01; revision 2020-02-02; }');
  await writeFile(join(dir, 'example-sub.yang'), 'submodule example-sub { belongs-to example-plain { prefix p; } }');
  await writeFile(join(dir, 'README.txt'), 'not a module');
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const users = (...entries: Array<[number, string]>): string =>
  `<users xmlns="${USERS_NS}">${entries.map(([uid, name]) => `<user><name>${name}</name><uid>${uid}</uid></user>`).join('')}</users>`;

describe('get-schema', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSim({ yangDir: dir, config: users([1, 'same']) });
  });
  after(() => sim.close());

  it('advertises the modules as capabilities, namespace read from the YANG text', async () => {
    const m = await connectTo(sim);
    try {
      const modules = m.serverCapabilities.modules();
      assert.equal(modules.get('example-plain')?.base, 'urn:example:plain');
      assert.equal(modules.get('example-plain')?.parameters['revision'], '2020-02-02');
      assert.ok([...m.serverCapabilities].includes(`${USERS_NS}?module=example-users&revision=2024-01-01`));
      assert.ok([...m.serverCapabilities].includes(`${USERS_NS}?module=example-users&revision=2023-06-01`));
      assert.equal(modules.has('example-sub'), false, 'submodules are not advertised');
      const schemas = (await m.get({ filter: '<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><schemas/></netconf-state>' })).data;
      assert.deepEqual(
        schemas?.findAll('netconf-state/schemas/schema').map((s) => `${s.childText('identifier')}@${s.childText('version')}`),
        [
          'example-plain@2020-02-02',
          'example-sub@',
          'example-users@2023-06-01',
          'example-users@2024-01-01',
          // the simulator's own modules (builtin-modules.ts), served whatever the directory holds
          'ietf-netconf-monitoring@2010-10-04',
          'ietf-netconf-notifications@2012-02-06',
          'ietf-netconf@2011-06-01',
          'ietf-netconf-with-defaults@2011-06-01',
          'ietf-netconf-nmda@2019-01-07',
          'ietf-datastores@2018-02-14',
          'ietf-origin@2018-02-14',
          'ietf-yang-library@2019-01-04',
          'ietf-yang-metadata@2016-08-05',
          'ietf-inet-types@2013-07-15',
          'ietf-yang-types@2013-07-15',
        ],
      );
    } finally {
      await m.close();
    }
  });

  it('returns the module text; refuses unknown ones, ambiguous ones and other formats', async () => {
    const m = await connectTo(sim);
    try {
      const reply = await m.getSchema('example-users', { version: '2024-01-01' });
      assert.equal(reply.data?.textContent, usersModule('2024-01-01'));
      assert.match((await m.getSchema('example-plain')).data?.textContent ?? '', /^module example-plain/);
      assert.match((await m.getSchema('example-sub', { format: 'yang' })).data?.textContent ?? '', /^submodule/);
      const fail = async (p: Promise<unknown>): Promise<RPCError> => p.then(() => assert.fail('expected an error'), (e: unknown) => e as RPCError);
      assert.equal((await fail(m.getSchema('nope'))).tag, 'invalid-value');
      assert.equal((await fail(m.getSchema('example-users', { version: '1999-01-01' }))).tag, 'invalid-value');
      const ambiguous = await fail(m.getSchema('example-users'));
      assert.equal(ambiguous.tag, 'operation-failed');
      assert.equal(ambiguous.appTag, 'data-not-unique');
      assert.equal((await fail(m.getSchema('example-plain', { format: 'yin' }))).tag, 'invalid-value');
    } finally {
      await m.close();
    }
  });

  it('uses the YANG list keys to match entries, and the module prefix in error paths', async () => {
    const m = await connectTo(sim);
    try {
      // keyed by uid, not by name: a second entry, although the name is the same
      await m.editConfig(users([2, 'same']), { target: 'running' });
      const entries = (await m.getConfig('running')).data?.findAll('users/user') ?? [];
      assert.deepEqual(entries.map((u) => u.childText('uid')), ['1', '2']);
      const err = await m.editConfig(`<users xmlns="${USERS_NS}" xmlns:xc="${NC_NS}"><user xc:operation="delete"><uid>9</uid></user></users>`).then(
        () => assert.fail('expected data-missing'),
        (e: unknown) => e as RPCError,
      );
      assert.equal(err.tag, 'data-missing');
      assert.equal(err.path, "/exu:users/exu:user[exu:uid='9']");
    } finally {
      await m.close();
    }
  });
});

describe('listKeys', () => {
  it('overrides the heuristic (which would key <user> by its name)', async () => {
    for (const [listKeys, expected] of [
      [undefined, ['2']],
      [{ user: ['uid'] }, ['1', '2']],
      [{ [`{${USERS_NS}}user`]: ['uid'] }, ['1', '2']],
    ] as const) {
      const sim = await startSim({ config: users([1, 'same']), ...(listKeys ? { listKeys } : {}) });
      try {
        const m = await connectTo(sim);
        await m.editConfig(users([2, 'same']), { target: 'running' });
        assert.deepEqual(sim.datastoreElement('running').findAll('users/user').map((u) => u.childText('uid')), expected);
        await m.close();
      } finally {
        await sim.close();
      }
    }
  });
});
