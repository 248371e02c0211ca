/**
 * The exact XML every operation sends (recorded by a fake peer), argument validation, and the
 * capability checks: an operation whose capability the server lacks rejects with
 * MissingCapabilityError naming it and sends nothing.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BASE_1_0, BASE_1_1 } from '../../src/transport/capabilities.js';
import { Manager } from '../../src/manager.js';
import { MissingCapabilityError, OperationError, TimeoutExpiredError } from '../../src/rpc/errors.js';
import { parseXml } from '../../src/xml/parse.js';
import { FakePeer, NS, openSession, operationOf, rpcReply } from '../helpers/fake-peer.js';

const CAP = 'urn:ietf:params:netconf:capability:';
const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
const IANA_NS = 'urn:ietf:params:xml:ns:yang:iana-if-type';
const WD_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults';
const NOTIF_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
const MON_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring';
const NMDA_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda';
const DS_NS = 'urn:ietf:params:xml:ns:yang:ietf-datastores';
const ORIGIN_NS = 'urn:ietf:params:xml:ns:yang:ietf-origin';
const SN_NS = 'urn:ietf:params:xml:ns:yang:ietf-subscribed-notifications';

/** A server with everything. */
const FULL = [
  BASE_1_0,
  BASE_1_1,
  `${CAP}writable-running:1.0`,
  `${CAP}candidate:1.0`,
  `${CAP}confirmed-commit:1.1`,
  `${CAP}rollback-on-error:1.0`,
  `${CAP}validate:1.1`,
  `${CAP}startup:1.0`,
  `${CAP}url:1.0?scheme=file,https`,
  `${CAP}xpath:1.0`,
  `${CAP}notification:1.0`,
  `${CAP}interleave:1.0`,
  `${CAP}with-defaults:1.0?basic-mode=explicit&also-supported=report-all,report-all-tagged`,
  `${MON_NS}?module=ietf-netconf-monitoring&revision=2010-10-04`,
  `${NMDA_NS}?module=ietf-netconf-nmda&revision=2019-01-07`,
  `${SN_NS}?module=ietf-subscribed-notifications&revision=2019-09-09`,
];

interface Harness {
  m: Manager;
  peer: FakePeer;
  /** The operation (content of `<rpc>`) of every RPC sent so far. */
  ops(): string[];
  /** Run `call`, and return the operation of the one RPC it sent. */
  sent(call: () => Promise<unknown>): Promise<string>;
  /** Check `call` rejects as `expected` and sends nothing. */
  refused(call: () => Promise<unknown>, expected: assert.AssertPredicate): Promise<void>;
  close(): Promise<void>;
}

/** A Manager over a fake server advertising `caps`, answering every RPC with `<ok/>` unless told otherwise. */
async function harness(caps: string[], reply: (op: string, id: string | undefined) => string | undefined = (_op, id) => rpcReply(id)): Promise<Harness> {
  const { session, peer } = await openSession(caps);
  const m = new Manager(session, { closeTimeout: 0.05 });
  peer.respond((message, id) => (operationOf(message) === '<close-session/>' ? rpcReply(id) : reply(operationOf(message), id)));
  const ops = (): string[] => peer.rpcs.map(operationOf);
  return {
    m,
    peer,
    ops,
    async sent(call) {
      const before = peer.rpcs.length;
      await call();
      const now = ops();
      assert.equal(now.length, before + 1, 'one RPC sent');
      return now[before] as string;
    },
    async refused(call, expected) {
      const before = peer.rpcs.length;
      await assert.rejects(call(), expected);
      // Anything the refused call had sent would arrive before this sentinel.
      await m.rpc('<sentinel/>');
      assert.deepEqual(ops().slice(before), ['<sentinel/>'], 'nothing sent but the sentinel');
    },
    close: () => m.close(),
  };
}

const missing = (capability: string) => (err: unknown) => err instanceof MissingCapabilityError && err.capability === capability && err.message.includes(capability);

describe('operations: the XML sent', () => {
  let h: Harness;
  before(async () => {
    h = await harness(FULL);
  });
  after(async () => {
    await h.close();
  });

  describe('get and get-config', () => {
    it('get without parameters', async () => {
      assert.equal(await h.sent(() => h.m.get()), '<get></get>');
    });

    it('a subtree filter as a string', async () => {
      const op = await h.sent(() => h.m.get({ filter: `<interfaces xmlns="${IF_NS}"><interface><name>eth0</name></interface></interfaces>` }));
      assert.equal(op, `<get><filter type="subtree"><interfaces xmlns="${IF_NS}"><interface><name>eth0</name></interface></interfaces></filter></get>`);
    });

    it('{ subtree } with an element, carrying its in-scope namespaces', async () => {
      const doc = parseXml(`<data xmlns:if="${IF_NS}"><if:interfaces><if:interface/></if:interfaces></data>`);
      const op = await h.sent(() => h.m.getConfig('running', { filter: { subtree: doc.find('interfaces') ?? assert.fail() } }));
      assert.equal(op, `<get-config><source><running/></source><filter type="subtree"><if:interfaces xmlns:if="${IF_NS}"><if:interface/></if:interfaces></filter></get-config>`);
    });

    it('a whole <filter> element is sent as given; an XML declaration is stripped', async () => {
      const filter = `<filter type="subtree" xmlns="${NS}"><interfaces xmlns="${IF_NS}"/></filter>`;
      const op = await h.sent(() => h.m.get({ filter: `<?xml version="1.0" encoding="UTF-8"?>\n${filter}\n` }));
      assert.equal(op, `<get>${filter}</get>`);
    });

    it('{ xpath, namespaces }: select escaped, prefixes declared on <filter>', async () => {
      const op = await h.sent(() =>
        h.m.getConfig('candidate', { filter: { xpath: `/if:interfaces/if:interface[if:name="eth0" and if:mtu<1500]`, namespaces: { if: IF_NS, ianaift: IANA_NS } } }),
      );
      assert.equal(
        op,
        `<get-config><source><candidate/></source><filter type="xpath" select="/if:interfaces/if:interface[if:name=&quot;eth0&quot; and if:mtu&lt;1500]" xmlns:if="${IF_NS}" xmlns:ianaift="${IANA_NS}"/></get-config>`,
      );
    });

    it('an XPath filter without namespaces, and a bad prefix or empty xpath refused', async () => {
      assert.equal(await h.sent(() => h.m.get({ filter: { xpath: '/*' } })), '<get><filter type="xpath" select="/*"/></get>');
      await h.refused(() => h.m.get({ filter: { xpath: '/x:a', namespaces: { 'x y': 'urn:x' } } }), TypeError);
      await h.refused(() => h.m.get({ filter: { xpath: '  ' } }), TypeError);
    });

    it('with-defaults after the filter, in its own namespace', async () => {
      const op = await h.sent(() => h.m.get({ filter: '<x xmlns="urn:x"/>', withDefaults: 'report-all-tagged' }));
      assert.equal(op, `<get><filter type="subtree"><x xmlns="urn:x"/></filter><with-defaults xmlns="${WD_NS}">report-all-tagged</with-defaults></get>`);
      const op2 = await h.sent(() => h.m.getConfig('startup', { withDefaults: 'explicit' }));
      assert.equal(op2, `<get-config><source><startup/></source><with-defaults xmlns="${WD_NS}">explicit</with-defaults></get-config>`);
    });

    it('a with-defaults mode the server does not support is refused', async () => {
      await h.refused(() => h.m.get({ withDefaults: 'trim' }), (err: unknown) => err instanceof TypeError && /supports: explicit, report-all, report-all-tagged/.test(err.message));
    });

    it('get-config from a URL', async () => {
      const op = await h.sent(() => h.m.getConfig({ url: 'file:///cfg.xml?a=1&b=2' }));
      assert.equal(op, '<get-config><source><url>file:///cfg.xml?a=1&amp;b=2</url></source></get-config>');
    });

    it('refuses a datastore name that is not an XML name', async () => {
      await h.refused(() => h.m.getConfig('running/><x' as 'running'), TypeError);
      await h.refused(() => h.m.getConfig({ url: '' }), TypeError);
    });
  });

  describe('edit-config, copy-config, delete-config, validate', () => {
    const config = `<interfaces xmlns="${IF_NS}"><interface><name>eth0</name><mtu>1500</mtu></interface></interfaces>`;

    it('edit-config targets candidate by default when the server has :candidate', async () => {
      const op = await h.sent(() => h.m.editConfig(config));
      assert.equal(op, `<edit-config><target><candidate/></target><config>${config}</config></edit-config>`);
    });

    it('edit-config wraps a root named config in another namespace, keeps a NETCONF or un-namespaced <config>', async () => {
      const vendor = '<config xmlns="urn:example:vendor"><hostname>r1</hostname></config>';
      assert.equal(await h.sent(() => h.m.editConfig(vendor)), `<edit-config><target><candidate/></target><config>${vendor}</config></edit-config>`);
      const plain = `<config>${config}</config>`;
      assert.equal(await h.sent(() => h.m.editConfig(plain)), `<edit-config><target><candidate/></target>${plain}</edit-config>`);
      const qualified = `<nc:config xmlns:nc="${NS}">${config}</nc:config>`;
      assert.equal(await h.sent(() => h.m.editConfig(qualified)), `<edit-config><target><candidate/></target>${qualified}</edit-config>`);
    });

    it('edit-config with every option, in RFC 6241 order', async () => {
      const op = await h.sent(() => h.m.editConfig(config, { target: 'running', defaultOperation: 'replace', testOption: 'test-then-set', errorOption: 'rollback-on-error' }));
      assert.equal(
        op,
        `<edit-config><target><running/></target><default-operation>replace</default-operation><test-option>test-then-set</test-option><error-option>rollback-on-error</error-option><config>${config}</config></edit-config>`,
      );
      const testOnly = await h.sent(() => h.m.editConfig(config, { testOption: 'test-only', errorOption: 'continue-on-error', defaultOperation: 'none' }));
      assert.equal(
        testOnly,
        `<edit-config><target><candidate/></target><default-operation>none</default-operation><test-option>test-only</test-option><error-option>continue-on-error</error-option><config>${config}</config></edit-config>`,
      );
    });

    it('edit-config passes a caller <config> as is, strips an XML declaration, takes an element', async () => {
      const wrapped = `<config xmlns="${NS}" xmlns:nc="${NS}">${config.replace('<interface>', '<interface nc:operation="delete">')}</config>`;
      assert.equal(await h.sent(() => h.m.editConfig(`<?xml version="1.0"?>${wrapped}`)), `<edit-config><target><candidate/></target>${wrapped}</edit-config>`);
      const element = parseXml(`<rpc-reply xmlns="${NS}"><data>${config}</data></rpc-reply>`).find('data/interfaces') ?? assert.fail();
      assert.equal(await h.sent(() => h.m.editConfig(element)), `<edit-config><target><candidate/></target><config>${config}</config></edit-config>`);
    });

    it('edit-config from a URL', async () => {
      const op = await h.sent(() => h.m.editConfig({ url: 'https://h/c.xml' }, { target: 'running' }));
      assert.equal(op, '<edit-config><target><running/></target><url>https://h/c.xml</url></edit-config>');
    });

    it('edit-config refuses bad options and empty config, sending nothing', async () => {
      await h.refused(() => h.m.editConfig(config, { defaultOperation: 'merge"' as 'merge' }), TypeError);
      await h.refused(() => h.m.editConfig(config, { testOption: 'maybe' as 'set' }), TypeError);
      await h.refused(() => h.m.editConfig(config, { errorOption: 'ignore' as 'stop-on-error' }), TypeError);
      await h.refused(() => h.m.editConfig('  '), TypeError);
    });

    it('copy-config from a datastore, a URL, inline config; to a URL', async () => {
      assert.equal(await h.sent(() => h.m.copyConfig('running', 'startup')), '<copy-config><target><startup/></target><source><running/></source></copy-config>');
      assert.equal(
        await h.sent(() => h.m.copyConfig({ url: 'file:///backup.xml' }, 'candidate')),
        '<copy-config><target><candidate/></target><source><url>file:///backup.xml</url></source></copy-config>',
      );
      assert.equal(
        await h.sent(() => h.m.copyConfig({ config }, 'running')),
        `<copy-config><target><running/></target><source><config>${config}</config></source></copy-config>`,
      );
      assert.equal(
        await h.sent(() => h.m.copyConfig('running', { url: 'file:///out.xml' })),
        '<copy-config><target><url>file:///out.xml</url></target><source><running/></source></copy-config>',
      );
    });

    it('delete-config refuses running and sends nothing; deletes startup', async () => {
      await h.refused(() => h.m.deleteConfig('running'), (err: unknown) => err instanceof OperationError && /running/.test(err.message));
      await h.refused(() => h.m.deleteConfig('candidate'), (err: unknown) => err instanceof OperationError && /only startup or a URL/.test(err.message));
      assert.equal(await h.sent(() => h.m.deleteConfig('startup')), '<delete-config><target><startup/></target></delete-config>');
      assert.equal(await h.sent(() => h.m.deleteConfig({ url: 'file:///old.xml' })), '<delete-config><target><url>file:///old.xml</url></target></delete-config>');
    });

    it('validate the candidate by default, a datastore, inline config', async () => {
      assert.equal(await h.sent(() => h.m.validate()), '<validate><source><candidate/></source></validate>');
      assert.equal(await h.sent(() => h.m.validate('running')), '<validate><source><running/></source></validate>');
      assert.equal(await h.sent(() => h.m.validate({ config })), `<validate><source><config>${config}</config></source></validate>`);
    });
  });

  describe('lock, commit, sessions', () => {
    it('lock and unlock (running by default)', async () => {
      assert.equal(await h.sent(() => h.m.lock()), '<lock><target><running/></target></lock>');
      assert.equal(await h.sent(() => h.m.unlock('candidate')), '<unlock><target><candidate/></target></unlock>');
    });

    it('locked() and withLock() unlock afterwards, even when the work throws', async () => {
      const before = h.ops().length;
      {
        await using held = await h.m.locked('candidate');
        assert.equal(held.target, 'candidate');
      }
      await assert.rejects(
        h.m.withLock('running', () => {
          throw new Error('work failed');
        }),
        /work failed/,
      );
      assert.equal(await h.m.withLock('running', () => 42), 42);
      assert.deepEqual(h.ops().slice(before), [
        '<lock><target><candidate/></target></lock>',
        '<unlock><target><candidate/></target></unlock>',
        '<lock><target><running/></target></lock>',
        '<unlock><target><running/></target></unlock>',
        '<lock><target><running/></target></lock>',
        '<unlock><target><running/></target></unlock>',
      ]);
    });

    it('commit, confirmed commit with timeout, persist, persist-id', async () => {
      assert.equal(await h.sent(() => h.m.commit()), '<commit></commit>');
      assert.equal(await h.sent(() => h.m.commit({ confirmed: true })), '<commit><confirmed/></commit>');
      assert.equal(await h.sent(() => h.m.commit({ confirmed: true, timeout: 120 })), '<commit><confirmed/><confirm-timeout>120</confirm-timeout></commit>');
      assert.equal(
        await h.sent(() => h.m.commit({ confirmed: true, timeout: 60, persist: 'my<id>' })),
        '<commit><confirmed/><confirm-timeout>60</confirm-timeout><persist>my&lt;id&gt;</persist></commit>',
      );
      assert.equal(await h.sent(() => h.m.commit({ persistId: 'p1' })), '<commit><persist-id>p1</persist-id></commit>');
      assert.equal(await h.sent(() => h.m.commit({ confirmed: true, persistId: 'p1' })), '<commit><confirmed/><persist-id>p1</persist-id></commit>');
    });

    it('commit refuses timeout or persist without confirmed, and a bad confirm-timeout, with TypeError', async () => {
      await h.refused(() => h.m.commit({ timeout: 60 }), (err: unknown) => err instanceof TypeError && /confirmed/.test(err.message));
      await h.refused(() => h.m.commit({ persist: 'p' }), TypeError);
      for (const timeout of [0, -5, 1.5, Number.NaN]) await h.refused(() => h.m.commit({ confirmed: true, timeout }), TypeError);
    });

    it('cancel-commit with and without persist-id; discard-changes', async () => {
      assert.equal(await h.sent(() => h.m.cancelCommit()), '<cancel-commit></cancel-commit>');
      assert.equal(await h.sent(() => h.m.cancelCommit('p1')), '<cancel-commit><persist-id>p1</persist-id></cancel-commit>');
      assert.equal(await h.sent(() => h.m.discardChanges()), '<discard-changes/>');
    });

    it('kill-session takes a positive integer session-id, string or number', async () => {
      assert.equal(await h.sent(() => h.m.killSession(12)), '<kill-session><session-id>12</session-id></kill-session>');
      assert.equal(await h.sent(() => h.m.killSession('4294967295')), '<kill-session><session-id>4294967295</session-id></kill-session>');
      for (const id of [0, -1, 1.5, '', 'abc', '012', '1 ', '1</session-id><x>']) await h.refused(() => h.m.killSession(id), TypeError);
    });

    it('get-schema with version and format', async () => {
      assert.equal(await h.sent(() => h.m.getSchema('ietf-interfaces')), `<get-schema xmlns="${MON_NS}"><identifier>ietf-interfaces</identifier></get-schema>`);
      assert.equal(
        await h.sent(() => h.m.getSchema('ietf-interfaces', { version: '2018-02-20', format: 'yang' })),
        `<get-schema xmlns="${MON_NS}"><identifier>ietf-interfaces</identifier><version>2018-02-20</version><format>yang</format></get-schema>`,
      );
      await h.refused(() => h.m.getSchema('x', { format: 'yang"/><x' }), TypeError);
    });
  });

  describe('notifications', () => {
    it('create-subscription with stream, filter, Date and string times', async () => {
      const op = await h.sent(() =>
        h.m.createSubscription({
          stream: 'NETCONF',
          filter: '<netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/>',
          startTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
          stopTime: '2024-01-03T00:00:00+01:00',
        }),
      );
      assert.equal(
        op,
        `<create-subscription xmlns="${NOTIF_NS}"><stream>NETCONF</stream><filter type="subtree"><netconf-config-change xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"/></filter>` +
          '<startTime>2024-01-02T03:04:05.006Z</startTime><stopTime>2024-01-03T00:00:00+01:00</stopTime></create-subscription>',
      );
      assert.equal(await h.sent(() => h.m.createSubscription()), `<create-subscription xmlns="${NOTIF_NS}"></create-subscription>`);
    });

    it('create-subscription refuses an invalid Date and stopTime without startTime', async () => {
      await h.refused(() => h.m.createSubscription({ startTime: new Date('nonsense') }), TypeError);
      await h.refused(() => h.m.createSubscription({ stopTime: new Date() }), TypeError);
    });

    it('establish-subscription returns the id from the reply; delete-subscription', async () => {
      const sh = await harness(FULL, (op, id) => (op.startsWith('<establish-subscription') ? rpcReply(id, `<id xmlns="${SN_NS}">42</id><replay-start-time-revision xmlns="${SN_NS}">2024-01-01T00:00:00Z</replay-start-time-revision>`) : rpcReply(id)));
      try {
        const sub = await sh.m.establishSubscription({
          stream: 'events',
          filter: { xpath: '/e:event[e:level>2]', namespaces: { e: 'urn:e' } },
          replayStartTime: new Date(Date.UTC(2024, 0, 1)),
          stopTime: '2024-12-31T23:59:59Z',
        });
        assert.equal(sub.id, '42');
        assert.equal(sub.reply.messageId, '101');
        assert.equal((await sh.m.establishSubscription()).id, '42');
        assert.deepEqual(sh.ops().slice(0, 2), [
          `<establish-subscription xmlns="${SN_NS}"><stream>events</stream><stream-xpath-filter xmlns:e="urn:e">/e:event[e:level&gt;2]</stream-xpath-filter>` +
            '<replay-start-time>2024-01-01T00:00:00.000Z</replay-start-time><stop-time>2024-12-31T23:59:59Z</stop-time></establish-subscription>',
          `<establish-subscription xmlns="${SN_NS}"><stream>NETCONF</stream></establish-subscription>`,
        ]);
        assert.equal(
          await sh.sent(() => sh.m.establishSubscription({ filter: '<event xmlns="urn:e"/>' })),
          `<establish-subscription xmlns="${SN_NS}"><stream>NETCONF</stream><stream-subtree-filter><event xmlns="urn:e"/></stream-subtree-filter></establish-subscription>`,
        );
        assert.equal(await sh.sent(() => sh.m.deleteSubscription(42)), `<delete-subscription xmlns="${SN_NS}"><id>42</id></delete-subscription>`);
      } finally {
        await sh.close();
      }
    });

    it('establish-subscription rejects with OperationError when the reply carries no id', async () => {
      await assert.rejects(h.m.establishSubscription(), (err: unknown) => err instanceof OperationError && /no subscription id/.test(err.message));
    });
  });

  describe('NMDA', () => {
    it('get-data with datastore identity, filters, origin filters, max-depth, with-origin, with-defaults', async () => {
      const op = await h.sent(() =>
        h.m.getData('operational', {
          filter: `<interfaces xmlns="${IF_NS}"/>`,
          configFilter: false,
          originFilter: ['intended', 'system'],
          negatedOriginFilter: ['learned'],
          maxDepth: 3,
          withOrigin: true,
          withDefaults: 'report-all',
        }),
      );
      assert.equal(
        op,
        `<get-data xmlns="${NMDA_NS}" xmlns:ds="${DS_NS}"><datastore>ds:operational</datastore><subtree-filter><interfaces xmlns="${IF_NS}"/></subtree-filter>` +
          `<config-filter>false</config-filter><origin-filter xmlns:or="${ORIGIN_NS}">or:intended</origin-filter><origin-filter xmlns:or="${ORIGIN_NS}">or:system</origin-filter>` +
          `<negated-origin-filter xmlns:or="${ORIGIN_NS}">or:learned</negated-origin-filter><max-depth>3</max-depth><with-origin/><with-defaults>report-all</with-defaults></get-data>`,
      );
    });

    it('get-data with an XPath filter and { subtree }', async () => {
      assert.equal(
        await h.sent(() => h.m.getData('running', { filter: { xpath: '/if:interfaces', namespaces: { if: IF_NS } }, configFilter: true })),
        `<get-data xmlns="${NMDA_NS}" xmlns:ds="${DS_NS}"><datastore>ds:running</datastore><xpath-filter xmlns:if="${IF_NS}">/if:interfaces</xpath-filter><config-filter>true</config-filter></get-data>`,
      );
      assert.equal(
        await h.sent(() => h.m.getData('intended', { filter: { subtree: `<interfaces xmlns="${IF_NS}"/>` } })),
        `<get-data xmlns="${NMDA_NS}" xmlns:ds="${DS_NS}"><datastore>ds:intended</datastore><subtree-filter><interfaces xmlns="${IF_NS}"/></subtree-filter></get-data>`,
      );
    });

    it('get-data refuses a bad max-depth, datastore or origin', async () => {
      for (const maxDepth of [0, 1.5, 65536, -1]) await h.refused(() => h.m.getData('operational', { maxDepth }), TypeError);
      await h.refused(() => h.m.getData('oper ational' as 'operational'), TypeError);
      await h.refused(() => h.m.getData('operational', { originFilter: ['or:system'] }), TypeError);
    });

    it('edit-data with datastore identity and default-operation', async () => {
      const config = `<interfaces xmlns="${IF_NS}"/>`;
      assert.equal(
        await h.sent(() => h.m.editData('running', config, { defaultOperation: 'merge' })),
        `<edit-data xmlns="${NMDA_NS}" xmlns:ds="${DS_NS}"><datastore>ds:running</datastore><default-operation>merge</default-operation><config>${config}</config></edit-data>`,
      );
      assert.equal(
        await h.sent(() => h.m.editData('candidate', `<config>${config}</config>`)),
        `<edit-data xmlns="${NMDA_NS}" xmlns:ds="${DS_NS}"><datastore>ds:candidate</datastore><config>${config}</config></edit-data>`,
      );
    });
  });

  describe('rpc()', () => {
    it('sends the operation as given, without an XML declaration; an element too', async () => {
      assert.equal(await h.sent(() => h.m.rpc('<get-chassis-inventory xmlns="urn:vendor"/>')), '<get-chassis-inventory xmlns="urn:vendor"/>');
      assert.equal(await h.sent(() => h.m.rpc('\n<?xml version="1.0" encoding="UTF-8"?>\n<reboot xmlns="urn:r"><delay>5</delay></reboot>\n')), '<reboot xmlns="urn:r"><delay>5</delay></reboot>');
      const element = parseXml(`<x xmlns:v="urn:v"><v:restart><v:now/></v:restart></x>`).find('restart') ?? assert.fail();
      assert.equal(await h.sent(() => h.m.rpc(element)), '<v:restart xmlns:v="urn:v"><v:now/></v:restart>');
    });

    it('refuses a whole <rpc> (any prefix) and an empty operation, sending nothing', async () => {
      await h.refused(() => h.m.rpc(`<rpc message-id="1" xmlns="${NS}"><get/></rpc>`), (err: unknown) => err instanceof TypeError && /whole <rpc>/.test(err.message));
      await h.refused(() => h.m.rpc(`<?xml version="1.0"?><nc:rpc xmlns:nc="${NS}"><nc:get/></nc:rpc>`), TypeError);
      await h.refused(() => h.m.rpc(''), TypeError);
      await h.refused(() => h.m.rpc('<?xml version="1.0"?>'), TypeError);
    });

    it('checks the capability given', async () => {
      assert.equal(await h.sent(() => h.m.rpc('<x xmlns="urn:x"/>', { capability: ':candidate' })), '<x xmlns="urn:x"/>');
      await h.refused(() => h.m.rpc('<x xmlns="urn:x"/>', { capability: 'urn:vendor:cap' }), missing('urn:vendor:cap'));
    });
  });

  it('commit: rpcTimeout bounds the wait for the reply, timeout is the confirm-timeout', async () => {
    const silent = await harness(FULL, () => undefined);
    try {
      await assert.rejects(silent.m.commit({ confirmed: true, timeout: 600, rpcTimeout: 0.05 }), TimeoutExpiredError);
      assert.deepEqual(silent.ops(), ['<commit><confirmed/><confirm-timeout>600</confirm-timeout></commit>']);
    } finally {
      await silent.close();
    }
  });
});

describe('operations: edit-config target without :candidate', () => {
  it('defaults to running with :writable-running', async () => {
    const h = await harness([BASE_1_1, `${CAP}writable-running:1.0`]);
    assert.equal(await h.sent(() => h.m.editConfig('<x xmlns="urn:x"/>')), '<edit-config><target><running/></target><config><x xmlns="urn:x"/></config></edit-config>');
    await h.close();
  });

  it('over base:1.0 (end-of-message framing) too', async () => {
    const h = await harness([BASE_1_0, `${CAP}writable-running:1.0`]);
    assert.equal(h.m.session.framing, 'eom');
    assert.equal(await h.sent(() => h.m.editConfig('<x xmlns="urn:x"/>')), '<edit-config><target><running/></target><config><x xmlns="urn:x"/></config></edit-config>');
    await h.close();
  });
});

describe('operations: capability checks', () => {
  const cases: Array<[string, string[], (m: Manager) => Promise<unknown>, string]> = [
    ['get-config from candidate', [], (m) => m.getConfig('candidate'), ':candidate'],
    ['get-config from startup', [], (m) => m.getConfig('startup'), ':startup'],
    ['get-config from a URL', [], (m) => m.getConfig({ url: 'file:///a' }), ':url'],
    ['get with an XPath filter', [], (m) => m.get({ filter: { xpath: '/a' } }), ':xpath'],
    ['get with with-defaults', [], (m) => m.get({ withDefaults: 'report-all' }), ':with-defaults'],
    ['get-config with with-defaults', [], (m) => m.getConfig('running', { withDefaults: 'explicit' }), ':with-defaults'],
    ['edit-config on running (the default without :candidate)', [], (m) => m.editConfig('<x/>'), ':writable-running'],
    ['edit-config on candidate', [`${CAP}writable-running:1.0`], (m) => m.editConfig('<x/>', { target: 'candidate' }), ':candidate'],
    ['edit-config on startup', [`${CAP}writable-running:1.0`], (m) => m.editConfig('<x/>', { target: 'startup' }), ':startup'],
    ['edit-config test-then-set', [`${CAP}candidate:1.0`], (m) => m.editConfig('<x/>', { testOption: 'test-then-set' }), ':validate'],
    ['edit-config test-only', [`${CAP}candidate:1.0`, `${CAP}validate:1.0`], (m) => m.editConfig('<x/>', { testOption: 'test-only' }), ':validate:1.1'],
    ['edit-config rollback-on-error', [`${CAP}candidate:1.0`], (m) => m.editConfig('<x/>', { errorOption: 'rollback-on-error' }), ':rollback-on-error'],
    ['edit-config from a URL', [`${CAP}candidate:1.0`], (m) => m.editConfig({ url: 'file:///a' }), ':url'],
    ['copy-config to startup', [], (m) => m.copyConfig('running', 'startup'), ':startup'],
    ['copy-config from a URL', [], (m) => m.copyConfig({ url: 'file:///a' }, 'running'), ':url'],
    ['copy-config to a URL', [], (m) => m.copyConfig('running', { url: 'file:///a' }), ':url'],
    ['delete-config of startup', [], (m) => m.deleteConfig('startup'), ':startup'],
    ['validate', [`${CAP}candidate:1.0`], (m) => m.validate(), ':validate'],
    ['validate of candidate', [`${CAP}validate:1.1`], (m) => m.validate('candidate'), ':candidate'],
    ['lock of candidate', [], (m) => m.lock('candidate'), ':candidate'],
    ['unlock of startup', [], (m) => m.unlock('startup'), ':startup'],
    ['commit', [], (m) => m.commit(), ':candidate'],
    ['confirmed commit', [`${CAP}candidate:1.0`], (m) => m.commit({ confirmed: true }), ':confirmed-commit'],
    ['confirmed commit with persist', [`${CAP}candidate:1.0`, `${CAP}confirmed-commit:1.0`], (m) => m.commit({ confirmed: true, persist: 'p' }), ':confirmed-commit:1.1'],
    ['commit with persist-id', [`${CAP}candidate:1.0`, `${CAP}confirmed-commit:1.0`], (m) => m.commit({ persistId: 'p' }), ':confirmed-commit:1.1'],
    ['cancel-commit', [`${CAP}candidate:1.0`, `${CAP}confirmed-commit:1.0`], (m) => m.cancelCommit(), ':confirmed-commit:1.1'],
    ['discard-changes', [], (m) => m.discardChanges(), ':candidate'],
    ['get-schema', [], (m) => m.getSchema('ietf-interfaces'), `${MON_NS}?module=ietf-netconf-monitoring`],
    ['create-subscription', [], (m) => m.createSubscription(), ':notification'],
    ['create-subscription with an XPath filter', [`${CAP}notification:1.0`], (m) => m.createSubscription({ filter: { xpath: '/a' } }), ':xpath'],
    ['establish-subscription', [], (m) => m.establishSubscription(), `${SN_NS}?module=ietf-subscribed-notifications`],
    ['delete-subscription', [], (m) => m.deleteSubscription(1), `${SN_NS}?module=ietf-subscribed-notifications`],
    ['get-data', [], (m) => m.getData('operational'), `${NMDA_NS}?module=ietf-netconf-nmda`],
    ['edit-data', [], (m) => m.editData('running', '<x/>'), `${NMDA_NS}?module=ietf-netconf-nmda`],
    ['rpc() with a capability', [], (m) => m.rpc('<x/>', { capability: ':interleave' }), ':interleave'],
  ];

  let h: Harness;
  for (const [what, extra, call, capability] of cases) {
    it(`${what} needs ${capability}`, async () => {
      h = await harness([BASE_1_0, BASE_1_1, ...extra]);
      try {
        await h.refused(() => call(h.m), missing(capability));
      } finally {
        await h.close();
      }
    });
  }

  it('a module capability is taken as present with YANG library 1.1, or advertised by namespace alone', async () => {
    h = await harness([BASE_1_1, `${CAP}yang-library:1.1?revision=2019-01-04&content-id=1`]);
    assert.equal(await h.sent(() => h.m.getSchema('m')), `<get-schema xmlns="${MON_NS}"><identifier>m</identifier></get-schema>`);
    assert.match(await h.sent(() => h.m.getData('running')), /^<get-data /);
    await h.close();
    h = await harness([BASE_1_1, MON_NS]);
    assert.match(await h.sent(() => h.m.getSchema('m')), /^<get-schema /);
    await h.close();
  });
});
