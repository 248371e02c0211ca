/**
 * Manager against netconfd: edit-config to the candidate, validate, commit, default-operation,
 * test-option, error-option, discard-changes, typed rpc-errors and the raise modes.
 *
 * netconfd bug worked around: `<validate>` of the candidate followed by `<commit>` loses the
 * candidate's edits, so validation is tested on inline configuration (`validate({ config })`).
 */
import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { NCClientError } from '../../src/errors.js';
import type { Manager } from '../../src/manager.js';
import { OperationError } from '../../src/rpc/errors.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { BASE_NS, connectTo, findInterface, IF_NS, interfaceEntry, interfaceNames, interfaces, spySends } from './manager-fixtures.js';
import { startNetconfd, type Netconfd } from './netconfd.js';

/** The edit of the issue, verbatim. */
const ETH0 =
  '<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"><interface><name>eth0</name><description>test</description><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type><enabled>true</enabled></interface></interfaces>';

/** An interface whose `enabled` is not a boolean. */
const invalidEnabled = (name: string): string => `<interfaces xmlns="${IF_NS}"><interface><name>${name}</name><enabled>notabool</enabled></interface></interfaces>`;

let server: Netconfd;
let m: Manager;
let other: Manager;

before(async () => {
  server = await startNetconfd('mgr-editing');
  [m, other] = await Promise.all([connectTo(server), connectTo(server)]);
  // a committed interface for the tests that change existing configuration
  await m.editConfig(interfaces(interfaceEntry('base0', { description: 'base' })));
  await m.commit();
});

after(async () => {
  await Promise.all([m?.close(), other?.close()]);
  await server?.stop();
});

// the candidate is shared by every session: start each test from a clean one
beforeEach(async () => {
  await m?.discardChanges();
  if (m) m.raiseMode = 'all';
});

async function descriptionOf(manager: Manager, source: 'running' | 'candidate', name: string): Promise<string | undefined> {
  const reply = await manager.getConfig(source, { filter: `<interfaces xmlns="${IF_NS}"><interface><name>${name}</name></interface></interfaces>` });
  return findInterface(reply, name)?.childText('description', IF_NS);
}

describe('edit-config, validate, commit', () => {
  it('edits the candidate (the default target), validates inline, commits: the data is in running', async () => {
    assert.deepEqual(await interfaceNames(m, 'running'), ['base0']);
    const edit = await m.editConfig(ETH0);
    assert.equal(edit.ok, true);
    assert.equal(edit.isOkElement, true);
    assert.deepEqual(await interfaceNames(m, 'candidate'), ['base0', 'eth0']);
    assert.deepEqual(await interfaceNames(m, 'running'), ['base0'], 'not in running before the commit');

    const validated = await m.validate({ config: ETH0 });
    assert.equal(validated.isOkElement, true);

    assert.equal((await m.commit()).isOkElement, true);
    // seen from another session
    const reply = await other.getConfig('running', { filter: `<interfaces xmlns="${IF_NS}"/>` });
    const eth0 = findInterface(reply, 'eth0');
    assert.ok(eth0, reply.xml);
    assert.equal(eth0.childText('description', IF_NS), 'test');
    assert.equal(eth0.childText('type', IF_NS), 'ianaift:ethernetCsmacd');
    assert.equal(eth0.childText('enabled', IF_NS), 'true');
  });

  it('validate of an invalid inline config is an RPCError about the bad leaf, and changes nothing', async () => {
    await assert.rejects(m.validate({ config: invalidEnabled('bad1') }), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.tag, 'invalid-value');
      assert.match(err.path ?? '', /validate\/nc:source\/nc:config\/if:interfaces\/if:interface\[if:name='bad1'\]\/if:enabled$/);
      assert.equal(err.info['bad-value'], 'notabool');
      return true;
    });
    assert.deepEqual(await interfaceNames(m, 'candidate'), await interfaceNames(m, 'running'));
  });

  it('a config given as a whole <config> element is used as is', async () => {
    await m.editConfig(`<config xmlns="${BASE_NS}">${interfaces(interfaceEntry('cfg1'))}</config>`);
    assert.ok((await interfaceNames(m, 'candidate')).includes('cfg1'));
  });
});

describe('default-operation and test-option', () => {
  it("default-operation 'replace' replaces the whole candidate; discard-changes brings running back", async () => {
    await m.editConfig(interfaces(interfaceEntry('rep1', { description: 'only' })), { defaultOperation: 'replace' });
    assert.deepEqual(await interfaceNames(m, 'candidate'), ['rep1']);
    assert.deepEqual(await interfaceNames(other, 'candidate'), ['rep1'], 'netconfd has one candidate for every session');
    await m.discardChanges();
    assert.deepEqual(await interfaceNames(m, 'candidate'), await interfaceNames(m, 'running'));
    assert.ok(!(await interfaceNames(m, 'candidate')).includes('rep1'));
  });

  it("default-operation 'merge' (the default) merges into what is there", async () => {
    await m.editConfig(interfaces(interfaceEntry('mrg1')), { defaultOperation: 'merge' });
    assert.deepEqual(await interfaceNames(m, 'candidate'), [...(await interfaceNames(m, 'running')), 'mrg1'].sort());
  });

  it("default-operation 'none' leaves the candidate alone except where an operation attribute says otherwise", async () => {
    await m.editConfig(`<interfaces xmlns="${IF_NS}"><interface><name>base0</name><description>ignored</description></interface></interfaces>`, { defaultOperation: 'none' });
    assert.equal(await descriptionOf(m, 'candidate', 'base0'), 'base');
    await m.editConfig(
      `<interfaces xmlns="${IF_NS}" xmlns:nc="${BASE_NS}"><interface><name>base0</name><description nc:operation="merge">merged</description></interface></interfaces>`,
      { defaultOperation: 'none' },
    );
    assert.equal(await descriptionOf(m, 'candidate', 'base0'), 'merged');
  });

  it("test-option 'test-only' checks without changing; 'test-then-set' and 'set' change", async () => {
    const before = await interfaceNames(m, 'candidate');
    assert.equal((await m.editConfig(interfaces(interfaceEntry('tst1')), { testOption: 'test-only' })).isOkElement, true);
    assert.deepEqual(await interfaceNames(m, 'candidate'), before);
    await assert.rejects(m.editConfig(invalidEnabled('tst2'), { testOption: 'test-only' }), (err: Error) => err instanceof RPCError && err.tag === 'invalid-value');

    await m.editConfig(interfaces(interfaceEntry('tts1')), { testOption: 'test-then-set' });
    await m.editConfig(interfaces(interfaceEntry('set1')), { testOption: 'set' });
    assert.deepEqual(await interfaceNames(m, 'candidate'), [...before, 'set1', 'tts1'].sort());
  });

  it("error-option 'rollback-on-error': a failing edit leaves none of its parts applied", async () => {
    const edit = `<interfaces xmlns="${IF_NS}">${interfaceEntry('roe1')}<interface><name>roe2</name><enabled>notabool</enabled></interface></interfaces>`;
    await assert.rejects(m.editConfig(edit, { errorOption: 'rollback-on-error' }), RPCError);
    assert.ok(!(await interfaceNames(m, 'candidate')).includes('roe1'));
  });
});

describe('rpc-errors', () => {
  it('an invalid edit is an RPCError with every field of the rpc-error', async () => {
    const err = await m.editConfig(invalidEnabled('bad0')).then(
      () => assert.fail('the invalid edit was accepted'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof RPCError, String(err));
    assert.ok(err instanceof OperationError);
    assert.ok(err instanceof NCClientError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'RPCError');
    assert.equal(err.type, 'protocol');
    assert.equal(err.tag, 'invalid-value');
    assert.equal(err.severity, 'error');
    assert.equal(err.appTag, 'data-invalid');
    assert.equal(err.path, "/nc:rpc/nc:edit-config/nc:config/if:interfaces/if:interface[if:name='bad0']/if:enabled");
    assert.equal(err.message, 'invalid value');
    assert.equal(err.info['bad-value'], 'notabool');
    assert.match(err.info['error-number'] ?? '', /^\d+$/);
    assert.equal(err.errors.length, 1);
    assert.equal(err.errors[0]?.element.local, 'rpc-error');
    assert.equal(err.errors[0]?.infoElement?.local, 'error-info');
    assert.match(err.xml, /<rpc-error>/);
    assert.match(err.description, /error protocol\/invalid-value at \/nc:rpc.*if:enabled: invalid value/);
    assert.match(String(err), /^RPCError: .*protocol\/invalid-value/);
    assert.ok(!(await interfaceNames(m, 'candidate')).includes('bad0'));
  });

  it('an application error (create of an existing entry) has its own type and tag', async () => {
    const create = `<interfaces xmlns="${IF_NS}" xmlns:nc="${BASE_NS}"><interface nc:operation="create"><name>base0</name><type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type></interface></interfaces>`;
    await assert.rejects(m.editConfig(create), (err: Error) => {
      assert.ok(err instanceof RPCError, String(err));
      assert.equal(err.type, 'application');
      assert.equal(err.tag, 'data-exists');
      assert.equal(err.path, "/nc:rpc/nc:edit-config/nc:config/if:interfaces/if:interface[if:name='base0']");
      return true;
    });
  });

  it("raise modes: 'all' and 'errors' throw on an error; 'none' returns the reply with ok false", async () => {
    for (const mode of ['all', 'errors'] as const) {
      m.raiseMode = mode;
      await assert.rejects(m.editConfig(invalidEnabled('rm1')), (err: Error) => err instanceof RPCError && err.tag === 'invalid-value', mode);
    }
    m.raiseMode = 'none';
    const failed = await m.editConfig(invalidEnabled('rm1'));
    assert.equal(failed.ok, false);
    assert.equal(failed.isOkElement, false);
    assert.equal(failed.errors.length, 1);
    assert.equal(failed.errors[0]?.tag, 'invalid-value');
    assert.equal(failed.errors[0]?.info['bad-value'], 'notabool');
    const fine = await m.editConfig(interfaces(interfaceEntry('rm2')));
    assert.equal(fine.ok, true);
    assert.deepEqual(fine.errors, []);
    assert.throws(() => {
      m.raiseMode = 'sometimes' as 'all';
    }, TypeError);
    assert.equal(m.raiseMode, 'none');
  });

  it("raiseMode 'none' given to connect() applies to the new manager", async () => {
    const lenient = await connectTo(server, { raiseMode: 'none' });
    try {
      assert.equal(lenient.raiseMode, 'none');
      const reply = await lenient.validate({ config: invalidEnabled('rm3') });
      assert.equal(reply.ok, false);
      assert.equal(reply.errors[0]?.tag, 'invalid-value');
    } finally {
      await lenient.close();
    }
  });
});

describe('copy-config and delete-config', () => {
  it('delete-config empties startup; copy-config running → startup fills it again', async () => {
    assert.equal((await m.deleteConfig('startup')).isOkElement, true);
    assert.deepEqual(await interfaceNames(m, 'startup'), []);
    assert.equal((await m.copyConfig('running', 'startup')).isOkElement, true);
    assert.deepEqual(await interfaceNames(m, 'startup'), await interfaceNames(m, 'running'));
  });

  it('copy-config of an inline config replaces the candidate', async () => {
    await m.copyConfig({ config: interfaces(interfaceEntry('cpy1')) }, 'candidate');
    assert.deepEqual(await interfaceNames(m, 'candidate'), ['cpy1']);
  });

  it('delete-config of running is refused before sending', async () => {
    const sent = spySends(m);
    await assert.rejects(m.deleteConfig('running'), (err: Error) => err instanceof OperationError && /running/.test(err.message));
    assert.equal(sent.length, 0);
  });
});

describe('discard-changes', () => {
  it('drops uncommitted edits, seen from every session', async () => {
    await m.editConfig(interfaces(interfaceEntry('dsc1')));
    assert.ok((await interfaceNames(other, 'candidate')).includes('dsc1'));
    assert.equal((await other.discardChanges()).isOkElement, true);
    assert.ok(!(await interfaceNames(m, 'candidate')).includes('dsc1'));
    assert.deepEqual(await interfaceNames(m, 'candidate'), await interfaceNames(m, 'running'));
  });
});
