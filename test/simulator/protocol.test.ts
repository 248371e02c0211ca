/**
 * RPC-level protocol handling of the simulator: errors for unknown and malformed RPCs (RFC 6241
 * Appendix A), attributes echoed in replies, user RPC handlers, the `rpc` event, omitted
 * capabilities, initial configuration from options and files, state counters.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { MissingCapabilityError } from '../../src/rpc/errors.js';
import { parseRpcErrors } from '../../src/rpc/rpc-error.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import { NetconfServerError, type RpcEvent, type Simulator } from '../../src/simulator/index.js';
import { parseXml } from '../../src/xml/parse.js';
import { connectTo, IF_NS, interfaces, NC_NS, startSim } from './helpers.js';

async function rpcError(promise: Promise<unknown>): Promise<RPCError> {
  return promise.then(
    () => assert.fail('expected an RPCError'),
    (e: unknown) => {
      assert.ok(e instanceof RPCError, String(e));
      return e;
    },
  );
}

/** Send raw text as a message and return the next message the server sends back. */
function exchange(m: Manager, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const listener = {
      callback: (_root: unknown, raw: string) => {
        m.session.removeListener(listener);
        resolve(raw);
      },
      errback: (e: Error) => reject(e),
    };
    m.session.addListener(listener);
    m.session.send(message);
  });
}

describe('protocol errors', () => {
  let sim: Simulator;
  let m: Manager;
  before(async () => {
    sim = await startSim({ config: interfaces({ eth0: 1500 }) });
    m = await connectTo(sim);
  });
  after(async () => {
    await m.close();
    await sim.close();
  });

  it('an unknown operation is operation-not-supported', async () => {
    const err = await rpcError(m.rpc('<frobnicate xmlns="urn:example:x"/>'));
    assert.equal(err.tag, 'operation-not-supported');
    assert.equal(err.type, 'protocol');
  });

  it('malformed messages get malformed-message, missing-attribute, missing-element', async () => {
    const cases: Array<[string, string, string | undefined]> = [
      [`<rpc message-id="5" xmlns="${NC_NS}"><get></rpc>`, 'malformed-message', undefined],
      [`<hello xmlns="${NC_NS}"/>`, 'malformed-message', undefined],
      [`<rpc xmlns="${NC_NS}"><get/></rpc>`, 'missing-attribute', undefined],
      [`<rpc message-id="6" xmlns="${NC_NS}"/>`, 'missing-element', '6'],
      [`<rpc message-id="7" xmlns="${NC_NS}"><get><bogus/></get></rpc>`, 'unknown-element', '7'],
    ];
    for (const [message, tag, id] of cases) {
      const reply = parseXml(await exchange(m, message));
      assert.equal(reply.local, 'rpc-reply');
      assert.equal(reply.attributes['message-id'], id, message);
      const [error] = parseRpcErrors(reply);
      assert.equal(error?.tag, tag, message);
    }
    const missing = parseRpcErrors(parseXml(await exchange(m, `<rpc xmlns="${NC_NS}"><get/></rpc>`)))[0];
    assert.equal(missing?.info['bad-attribute'], 'message-id');
    assert.ok(m.connected, 'the session survives');
    assert.ok((await m.get()).ok);
  });

  it('echoes every attribute of the rpc in rpc-reply', async () => {
    const raw = await exchange(m, `<rpc message-id="42" xmlns="${NC_NS}" xmlns:ex="urn:example:x" ex:trace="t-1" user-tag="u"><get-config><source><running/></source></get-config></rpc>`);
    const reply = parseXml(raw);
    assert.equal(reply.attributes['message-id'], '42');
    assert.equal(reply.attributes['{urn:example:x}trace'], 't-1');
    assert.equal(reply.attributes['user-tag'], 'u');
  });

  it('counts RPCs in netconf-state', async () => {
    const session = (await m.get({ filter: `<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions><session><session-id>${m.sessionId}</session-id></session></sessions></netconf-state>` })).data?.find('netconf-state/sessions/session');
    assert.ok(Number(session?.childText('in-rpcs')) >= 9);
    assert.ok(Number(session?.childText('in-bad-rpcs')) >= 4);
    assert.ok(Number(session?.childText('out-rpc-errors')) >= 6);
  });
});

describe('user RPC handlers and events', () => {
  it('answers RPCs with a handler, errors it throws, and reports RPCs', async () => {
    const sim = await startSim();
    try {
      const events: RpcEvent[] = [];
      sim.on('rpc', (e) => events.push(e));
      sim.setRpcHandler('get-chassis', (req) => `<data><chassis xmlns="urn:example:x"><serial>S-${req.sessionId}</serial></chassis></data>`);
      sim.setRpcHandler('{urn:example:x}reboot', () => {
        throw new NetconfServerError({ type: 'application', tag: 'resource-denied', message: 'not now', appTag: 'busy' });
      });
      sim.setRpcHandler('ping', () => undefined);
      const m = await connectTo(sim);
      const reply = await m.rpc('<get-chassis xmlns="urn:example:x"/>');
      assert.equal(reply.data?.find('chassis/serial')?.text, `S-${m.sessionId}`);
      const err = await rpcError(m.rpc('<reboot xmlns="urn:example:x"/>'));
      assert.deepEqual([err.tag, err.appTag, err.message], ['resource-denied', 'busy', 'not now']);
      assert.ok((await m.rpc('<ping xmlns="urn:example:x"/>')).isOkElement);
      sim.setRpcHandler('ping', undefined);
      assert.equal((await rpcError(m.rpc('<ping xmlns="urn:example:x"/>'))).tag, 'operation-not-supported');
      assert.deepEqual(events.map((e) => e.operation), ['get-chassis', 'reboot', 'ping', 'ping']);
      assert.match(events[0]?.xml ?? '', /<get-chassis/);
      await m.close();
    } finally {
      await sim.close();
    }
  });
});

describe('options', () => {
  it('omitCapabilities: not advertised, and refused', async () => {
    const sim = await startSim({ omitCapabilities: [':candidate', ':xpath', ':confirmed-commit'], capabilities: ['urn:example:extra:1.0'] });
    try {
      const m = await connectTo(sim);
      const caps = m.serverCapabilities;
      assert.ok(!caps.has(':candidate') && !caps.has(':xpath') && !caps.has(':confirmed-commit:1.1'));
      assert.ok(caps.has('urn:example:extra:1.0'));
      await assert.rejects(m.commit(), MissingCapabilityError);
      await m.editConfig(interfaces({ eth0: 1 })); // the client now targets running
      assert.match(sim.datastore('running'), /<mtu>1<\/mtu>/);
      assert.equal((await rpcError(m.rpc('<commit/>'))).tag, 'operation-not-supported');
      assert.equal((await rpcError(m.rpc('<get-config><source><candidate/></source></get-config>'))).tag, 'operation-not-supported');
      assert.equal((await rpcError(m.rpc(`<get><filter type="xpath" select="/x"/></get>`))).tag, 'operation-not-supported');
      await m.close();
    } finally {
      await sim.close();
    }
  });

  it('initial configuration from configDir files and from per-datastore text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'netconf-sim-config-'));
    try {
      await writeFile(join(dir, 'startup.xml'), `<?xml version="1.0"?>\n<config xmlns="${NC_NS}">\n  ${interfaces({ boot: 1 })}\n</config>\n`);
      const fromDir = await startSim({ configDir: dir });
      assert.equal(fromDir.datastoreElement('running').find('interfaces/interface/name')?.text, 'boot', 'running boots from startup');
      assert.equal(fromDir.datastoreElement('startup').find('interfaces/interface/name')?.text, 'boot');
      await fromDir.close();
      await writeFile(join(dir, 'running.xml'), `<data xmlns="${NC_NS}">${interfaces({ live: 2 })}</data>`);
      const both = await startSim({ configDir: dir, config: { candidate: interfaces({ cand: 3 }) } });
      const m = await connectTo(both);
      const name = async (source: 'running' | 'candidate' | 'startup'): Promise<string | undefined> =>
        (await m.getConfig(source, { filter: `<interfaces xmlns="${IF_NS}"/>` })).data?.find('interfaces/interface/name')?.text;
      assert.deepEqual([await name('running'), await name('candidate'), await name('startup')], ['live', 'cand', 'boot']);
      await m.close();
      await both.close();
      await assert.rejects(startSim({ config: '<unclosed' }), TypeError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
