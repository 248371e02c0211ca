/** The inventory: YAML and JSON, precedence (program defaults < defaults < groups in order < host), paths, errors. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Inventory, InventoryError, LimitError, resolveTarget } from '../../src/fleet/index.js';

const ISSUE_EXAMPLE = `
groups:
  core:
    username: netconf
    passwordEnv: NETCONF_PASSWORD     # secrets by reference
    knownHostsFile: ./known_hosts
    timeout: 10
  edge:
    keyFilename: ~/.ssh/id_ed25519
    proxyJump: bastion.example.net
    timeout: 20
hosts:
  r1: { host: 10.0.0.1, groups: [core] }
  r2: { host: r2.example.net, port: 830, groups: [core, edge] }
`;

describe('Inventory', () => {
  it("reads the issue's layout: group values, later groups beat earlier ones, paths resolved", () => {
    const inv = Inventory.parse(ISSUE_EXAMPLE, { baseDir: '/etc/netconf' });
    assert.deepEqual(inv.hostNames, ['r1', 'r2']);
    assert.deepEqual(inv.groupNames, ['core', 'edge']);
    const r1 = inv.target('r1');
    assert.equal(r1.host, '10.0.0.1');
    assert.equal((r1 as { username?: string }).username, 'netconf');
    assert.equal(r1.passwordEnv, 'NETCONF_PASSWORD');
    assert.deepEqual((r1 as { knownHostsFile?: string[] }).knownHostsFile, ['/etc/netconf/known_hosts']);
    assert.equal(r1.timeout, 10);
    const r2 = inv.target('r2');
    assert.equal(r2.port, 830);
    assert.equal(r2.timeout, 20, 'edge (later) beats core');
    assert.deepEqual((r2 as { keyFilename?: string[] }).keyFilename, [join(homedir(), '.ssh/id_ed25519')]);
    assert.equal((r2 as { proxyJump?: string }).proxyJump, 'bastion.example.net');
    assert.deepEqual(r2.groups, ['core', 'edge']);
  });

  it('host beats group beats file defaults beats program defaults; vars merge key by key', () => {
    const inv = Inventory.parse(
      `defaults: { port: 1830, vars: { site: x, role: any } }
groups:
  g1: { port: 2830, username: g1, vars: { role: core } }
  g2: { username: g2 }
hosts:
  a: { groups: [g1, g2], port: 3830, vars: { rack: 7 } }
  b: { groups: [g2, g1] }
  c: {}
`,
      { defaults: { port: 9999, username: 'cli', rpcTimeout: 5 } },
    );
    const a = inv.target('a') as { port?: number; username?: string; rpcTimeout?: number; host: string; vars?: unknown };
    assert.equal(a.port, 3830);
    assert.equal(a.username, 'g2');
    assert.equal(a.rpcTimeout, 5, 'program default where nothing else says');
    assert.equal(a.host, 'a', 'host defaults to the name');
    assert.deepEqual(a.vars, { site: 'x', role: 'core', rack: 7 });
    const b = inv.target('b') as { port?: number; username?: string };
    assert.equal(b.username, 'g1', 'the later group wins');
    assert.equal(b.port, 2830);
    const c = inv.target('c') as { port?: number; username?: string };
    assert.equal(c.port, 1830, "the file's defaults beat the program's");
    assert.equal(c.username, 'cli');
  });

  it('a password by reference beats a password given earlier, and is read only when contacting', () => {
    const inv = Inventory.parse('groups: { g: { passwordEnv: PW } }\nhosts: { a: { groups: [g] } }', { defaults: { password: 'from-cli' } });
    const a = inv.target('a');
    assert.equal((a as { password?: string }).password, undefined);
    assert.equal(a.passwordEnv, 'PW');
    assert.equal((resolveTarget(a, { PW: 's3cret' }).options as { password?: string }).password, 's3cret');
    assert.throws(() => resolveTarget(a, {}), /PW is not set/);
  });

  it('reads JSON, and files (relative paths against the file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netconf-inventory-'));
    try {
      writeFileSync(join(dir, 'inv.json'), JSON.stringify({ groups: { g: { knownHostsFile: 'kh' } }, hosts: { a: { groups: ['g'], port: 22 } } }));
      return Inventory.load(join(dir, 'inv.json')).then((inv) => {
        assert.deepEqual((inv.target('a') as { knownHostsFile?: string[] }).knownHostsFile, [join(dir, 'kh')]);
        assert.equal(inv.target('a').port, 22);
      });
    } finally {
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 100);
    }
  });

  it('refuses what it does not understand, saying where', () => {
    assert.throws(() => Inventory.parse('hosts: { a: { prot: 830 } }'), (e: Error) => e instanceof InventoryError && /hosts\.a\.prot: unknown option/.test(e.message));
    assert.throws(() => Inventory.parse('hosts: { a: { port: "830" } }'), /hosts\.a\.port: must be a number/);
    assert.throws(() => Inventory.parse('hosts: { a: { groups: [nope] } }'), /no group 'nope'/);
    assert.throws(() => Inventory.parse('hosts: [a, b]'), /hosts must be a mapping/);
    assert.throws(() => Inventory.parse('hosts: {}\nextra: 1'), /unknown top-level key 'extra'/);
    assert.throws(() => Inventory.parse('hosts: {a: {}}\n  bad: [', { source: 'x.yaml' }), /x\.yaml: not valid YAML/);
    assert.throws(() => Inventory.parse('hosts: { a: {}, a: {} }'), /not valid YAML/);
    assert.throws(() => Inventory.parse('hosts: { a: { tls: { passphrase: x } } }'), /passphraseEnv/);
    assert.throws(() => Inventory.parse('groups: { a: {} }\nhosts: { a: {} }'), /both a host and a group/);
  });

  it('limit: names, groups and globs, their union, ! removes; a term naming nothing is an error', () => {
    const inv = Inventory.parse(`groups: { core: {}, edge: {} }
hosts:
  r1: { groups: [core] }
  r2: { groups: [core, edge] }
  r9a: {}
  r9b: { groups: [edge] }
  sw1: {}
`);
    assert.deepEqual(inv.limit('core,r9*').selected, ['r1', 'r2', 'r9a', 'r9b']);
    assert.deepEqual(inv.limit('sw1, edge').selected, ['r2', 'r9b', 'sw1']);
    assert.deepEqual(inv.limit('core,!r2').selected, ['r1']);
    assert.deepEqual(inv.limit('!core').selected, ['r9a', 'r9b', 'sw1']);
    assert.deepEqual(inv.limit('r?').selected, ['r1', 'r2']);
    assert.deepEqual(inv.limit('r[12]').selected, ['r1', 'r2']);
    assert.deepEqual(inv.limit('e*').selected, ['r2', 'r9b'], 'a glob matches group names too');
    assert.deepEqual([...inv.limit('r1').targets()].map((t) => t.name), ['r1']);
    assert.throws(() => inv.limit('r1,typo'), (e: Error) => e instanceof LimitError && /'typo' is neither a host nor a group/.test(e.message));
    assert.throws(() => inv.limit('x*'), /matches no host or group/);
    assert.throws(() => inv.limit(' , '), LimitError);
  });
});
