/**
 * `netconf` as a subprocess against netconfd: retrieval with filters, editing from stdin and
 * files, errors, JSON and raw output, get-schema, rpc, validate, lock.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cliSuite, IF_NS, interfaceXml } from './cli-helpers.js';

const suite = cliSuite('cli-config');
const netconf = suite.netconf;

const IF_FILTER = `<interfaces xmlns="${IF_NS}"/>`;

describe('netconf against netconfd: configuration', () => {
  it('edit-config from stdin with --commit, read back with get-config and a subtree filter', async () => {
    const edit = await netconf(['edit-config', '-', '--commit'], { input: interfaceXml('eth1', '<description>uplink</description>') });
    assert.equal(edit.code, 0, edit.stderr);
    assert.equal(edit.stdout, 'ok\n');
    assert.equal(edit.stderr, 'netconf: edit-config of candidate: ok\nnetconf: commit: ok\n');
    const read = await netconf(['get-config', '--filter', IF_FILTER]);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(
      read.stdout,
      `<interfaces xmlns="${IF_NS}">
  <interface>
    <name>eth1</name>
    <description>uplink</description>
    <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>
  </interface>
</interfaces>
`,
    );
  });

  it('edit-config FILE --lock --commit: locks, edits, commits, unlocks in one session', async () => {
    const file = join(suite.work, 'eth2.xml');
    await writeFile(file, `<?xml version="1.0"?>\n<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">${interfaceXml('eth2')}</config>\n`);
    const r = await netconf(['edit-config', file, '--lock', '--commit']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
    assert.equal(
      r.stderr,
      ['locked running', 'locked candidate', 'edit-config of candidate: ok', 'commit: ok', 'unlocked candidate', 'unlocked running'].map((l) => `netconf: ${l}\n`).join(''),
    );
  });

  it('a confirmed commit with --persist, confirmed by a later run with --persist-id', async () => {
    const edit = await netconf(['edit-config', '-', '--commit', '--confirmed', '--persist', 'cli-test', '--confirm-timeout', '120'], { input: interfaceXml('eth4') });
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(edit.stderr, /confirmed commit: ok; confirm it with 'netconf commit --persist-id cli-test' within 120 s/);
    const confirm = await netconf(['commit', '--persist-id', 'cli-test']);
    assert.equal(confirm.code, 0, confirm.stderr);
    assert.equal(confirm.stdout, 'ok\n');
    const read = await netconf(['get-config', '--xpath', "/if:interfaces/if:interface[if:name='eth4']/if:name", '--ns', `if=${IF_NS}`]);
    assert.match(read.stdout, /<name>eth4<\/name>/);
  });

  it('get-config with an XPath filter (--xpath, --ns) and as JSON; get with --filter-file', async () => {
    const filterFile = join(suite.work, 'filter.xml');
    await writeFile(filterFile, `<interfaces xmlns="${IF_NS}"><interface><name>eth2</name></interface></interfaces>`);
    const [xpath, json, get] = await Promise.all([
      netconf(['get-config', '--xpath', "/if:interfaces/if:interface[if:name='eth1']/if:description", '--ns', `if=${IF_NS}`]),
      netconf(['get-config', '--filter', IF_FILTER, '--json', '--no-yang']),
      netconf(['get', '--filter-file', filterFile]),
    ]);
    assert.equal(xpath.code, 0, xpath.stderr);
    assert.equal(xpath.stdout, `<interfaces xmlns="${IF_NS}">\n  <interface>\n    <name>eth1</name>\n    <description>uplink</description>\n  </interface>\n</interfaces>\n`);
    assert.equal(json.code, 0, json.stderr);
    const data = JSON.parse(json.stdout) as { interfaces: { '@xmlns': string; interface: Array<{ name: string; type: { '#text': string } }> } };
    assert.equal(data.interfaces['@xmlns'], IF_NS);
    assert.deepEqual(data.interfaces.interface.map((i) => i.name), ['eth1', 'eth2', 'eth4']);
    assert.equal(data.interfaces.interface[0]?.type['#text'], 'ianaift:ethernetCsmacd');
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /<name>eth2<\/name>/);
    assert.doesNotMatch(get.stdout, /eth1/);
  });

  it('an invalid edit: exit 1, every field of the rpc-error on stderr; --json puts the reply on stdout', async () => {
    const bad = interfaceXml('eth3').replace('ianaift:ethernetCsmacd', 'no-such-type');
    const [r, json] = await Promise.all([netconf(['edit-config', '-', '--target', 'candidate'], { input: bad }), netconf(['edit-config', '-', '--json'], { input: bad })]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    const lines = [
      'netconf: edit-config failed: the server answered with an rpc-error',
      'rpc-error:',
      '  severity: error',
      '  type:     protocol',
      '  tag:      invalid-value',
      '  app-tag:  data-invalid',
      "  path:     /nc:rpc/nc:edit-config/nc:config/if:interfaces/if:interface[if:name='eth3']/if:type",
      '  message:  invalid value',
      '  info:',
      '    bad-value: no-such-type',
    ];
    assert.ok(r.stderr.startsWith(`${lines.join('\n')}\n`), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(json.code, 1);
    const reply = JSON.parse(json.stdout) as { 'rpc-error': { 'error-tag': string; 'error-info': { 'bad-value': { '#text': string } } } };
    assert.equal(reply['rpc-error']['error-tag'], 'invalid-value');
    assert.equal(reply['rpc-error']['error-info']['bad-value']['#text'], 'no-such-type');
  });

  it('malformed XML is refused before anything is sent (exit 2)', async () => {
    const r = await netconf(['edit-config', '-'], { input: '<interfaces xmlns="x"><interface>' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^netconf: the configuration on stdin is not well-formed XML/);
  });

  it('--raw prints the reply as received; --progress reports the transfer', async () => {
    const r = await netconf(['get-config', '--source', 'running', '--raw', '--progress']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<rpc-reply message-id="\d+"\n/);
    assert.match(r.stdout, /<\/rpc-reply>\n$/);
    assert.match(r.stderr, /^get-config: \d+(\.\d)? (B|KiB) received in \d+\.\d s \(.+\/s\), reply \d+(\.\d)? (B|KiB)\n$/);
  });

  it('rpc sends any operation from stdin (a whole <rpc> too); validate; lock and unlock', async () => {
    const op = `<rpc message-id="x" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source><filter type="subtree">${IF_FILTER}</filter></get-config></rpc>`;
    const [rpc, validate, lock, unlock] = await Promise.all([
      netconf(['rpc', '-', '--json'], { input: op }),
      netconf(['validate']),
      netconf(['lock', '--target', 'candidate']),
      netconf(['unlock', '--target', 'startup']),
    ]);
    assert.equal(rpc.code, 0, rpc.stderr);
    assert.deepEqual((JSON.parse(rpc.stdout) as { interfaces: { interface: Array<{ name: string }> } }).interfaces.interface.map((i) => i.name), ['eth1', 'eth2', 'eth4']);
    assert.equal(validate.code, 0, validate.stderr);
    assert.equal(validate.stdout, 'ok\n');
    assert.equal(lock.code, 0, lock.stderr);
    assert.equal(lock.stdout, 'ok\n');
    // Unlocking what this session did not lock is the server's error.
    assert.equal(unlock.code, 1);
    assert.match(unlock.stderr, /unlock failed: the server answered with an rpc-error/);
  });

  it('get-schema prints a module, --output writes name@revision.yang', async () => {
    const dir = join(suite.work, 'yang');
    const [printed, written] = await Promise.all([netconf(['get-schema', 'toaster']), netconf(['get-schema', 'toaster', '--output', dir])]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^module toaster \{\n/);
    assert.match(printed.stdout, /\n\}\n$/);
    assert.equal(written.code, 0, written.stderr);
    const file = join(dir, 'toaster@2009-11-20.yang');
    assert.equal(written.stdout, `${file}\n`);
    assert.deepEqual(readdirSync(dir), ['toaster@2009-11-20.yang']);
    assert.equal(readFileSync(file, 'utf8'), printed.stdout);
  });
});
