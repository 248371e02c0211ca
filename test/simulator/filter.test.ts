/**
 * Subtree filtering (RFC 6241 §6, with its examples' data) and the XPath subset, through the
 * project's client.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Manager } from '../../src/manager.js';
import { RPCError } from '../../src/rpc/rpc-error.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { XmlElement } from '../../src/xml/element.js';
import { connectTo, IF_NS, interfaces, startSim } from './helpers.js';

const T = 'http://example.com/schema/1.2/config';
const user = (name: string, type: string, full: string, dept: number, id: number): string =>
  `<user><name>${name}</name><type>${type}</type><full-name>${full}</full-name><company-info><dept>${dept}</dept><id>${id}</id></company-info></user>`;
const CONFIG = `<top xmlns="${T}"><users>${user('root', 'superuser', 'Charlie Root', 1, 1)}${user('fred', 'admin', 'Fred Flintstone', 2, 2)}${user('barney', 'admin', 'Barney Rubble', 2, 3)}</users><groups><group><name>admin</name></group></groups></top>${interfaces({ eth0: 1500, eth1: 9000 })}`;

let sim: Simulator;
let m: Manager;

before(async () => {
  sim = await startSim({ config: CONFIG });
  m = await connectTo(sim);
});
after(async () => {
  await m.close();
  await sim.close();
});

/** A compact outline of an element tree: `name(child,child)` with leaf values as `name=value`. */
function outline(el: XmlElement | undefined): string {
  if (!el) return '';
  const kids = el.elements;
  if (kids.length === 0) return el.text.trim() ? `${el.local}=${el.text.trim()}` : el.local;
  return `${el.local}(${kids.map(outline).join(',')})`;
}

async function subtree(filter: string): Promise<string> {
  return outline((await m.getConfig('running', { filter })).data);
}

async function xpath(select: string, namespaces: Record<string, string> = { t: T, if: IF_NS }): Promise<string> {
  return outline((await m.getConfig('running', { filter: { xpath: select, namespaces } })).data);
}

describe('subtree filters', () => {
  it('no filter: everything; empty filter: nothing', async () => {
    const all = outline((await m.getConfig('running')).data);
    assert.match(all, /^data\(top\(users\(user\(/);
    assert.match(all, /interfaces\(/);
    assert.equal(await subtree('<filter type="subtree"></filter>'), 'data');
  });

  it('a selection node selects the whole subtree', async () => {
    assert.equal(await subtree(`<top xmlns="${T}"><groups/></top>`), 'data(top(groups(group(name=admin))))');
  });

  it('containment and selection nodes: every user name', async () => {
    assert.equal(await subtree(`<top xmlns="${T}"><users><user><name/></user></users></top>`), 'data(top(users(user(name=root),user(name=fred),user(name=barney))))');
  });

  it('a content match node alone selects its whole parent', async () => {
    assert.equal(
      await subtree(`<top xmlns="${T}"><users><user><name>fred</name></user></users></top>`),
      'data(top(users(user(name=fred,type=admin,full-name=Fred Flintstone,company-info(dept=2,id=2)))))',
    );
  });

  it('content match plus selection nodes: only those, for the matching entries', async () => {
    assert.equal(
      await subtree(`<top xmlns="${T}"><users><user><type>admin</type><name/></user></users></top>`),
      'data(top(users(user(name=fred,type=admin),user(name=barney,type=admin))))',
    );
  });

  it('several subtrees for several entries (RFC 6241 §6.4.7)', async () => {
    assert.equal(
      await subtree(`<top xmlns="${T}"><users><user><name>root</name><company-info/></user><user><name>fred</name><company-info><id/></company-info></user></users></top>`),
      'data(top(users(user(name=root,company-info(dept=1,id=1)),user(name=fred,company-info(id=2)))))',
    );
  });

  it('a failed content match selects nothing', async () => {
    assert.equal(await subtree(`<top xmlns="${T}"><users><user><name>nobody</name></user></users></top>`), 'data');
  });

  it('is namespace-aware: another namespace matches nothing, no namespace matches any', async () => {
    assert.equal(await subtree('<top xmlns="urn:other"><groups/></top>'), 'data');
    assert.equal(await subtree('<top xmlns=""><groups/></top>'), 'data(top(groups(group(name=admin))))');
  });

  it('applies to get, including the state data', async () => {
    const reply = await m.get({ filter: `<netconf-state xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"><sessions><session><session-id>${m.sessionId}</session-id></session></sessions></netconf-state>` });
    const session = reply.data?.find('netconf-state/sessions/session');
    assert.equal(session?.childText('username'), 'admin');
    assert.equal(reply.data?.find('top'), undefined);
  });
});

describe('XPath filters', () => {
  it('selects an entry by key, with its ancestors', async () => {
    assert.equal(await xpath("/t:top/t:users/t:user[t:name='fred']"), 'data(top(users(user(name=fred,type=admin,full-name=Fred Flintstone,company-info(dept=2,id=2)))))');
  });

  it('selects leaves, bringing the keys of ancestor list entries', async () => {
    assert.equal(await xpath('/t:top/t:users/t:user/t:type'), 'data(top(users(user(name=root,type=superuser),user(name=fred,type=admin),user(name=barney,type=admin))))');
    assert.equal(await xpath("/if:interfaces/if:interface[if:name='eth1']/if:mtu"), 'data(interfaces(interface(name=eth1,mtu=9000)))');
  });

  it('descendants, positions, nested paths in predicates, and, or, !=, numbers', async () => {
    assert.equal(await xpath('//t:group'), 'data(top(groups(group(name=admin))))');
    assert.equal(await xpath('/t:top/t:users/t:user[2]/t:name'), 'data(top(users(user(name=fred))))');
    assert.equal(await xpath("/t:top/t:users/t:user[t:company-info/t:dept='2']/t:name"), 'data(top(users(user(name=fred),user(name=barney))))');
    assert.equal(await xpath("/t:top/t:users/t:user[t:type='admin' and t:name!='fred']/t:name"), 'data(top(users(user(name=barney))))');
    assert.equal(await xpath("/t:top/t:users/t:user[t:name='root' or t:company-info/t:id=3]/t:name"), 'data(top(users(user(name=root),user(name=barney))))');
    assert.equal(await xpath('/if:interfaces/if:interface[if:mtu=1500]/if:name'), 'data(interfaces(interface(name=eth0)))');
  });

  it('unions, wildcards, unprefixed names and /', async () => {
    assert.equal(await xpath('/t:top/t:groups | /if:interfaces/if:interface/if:name'), 'data(top(groups(group(name=admin))),interfaces(interface(name=eth0),interface(name=eth1)))');
    assert.equal(await xpath("/top/users/user[name='root']/full-name", {}), 'data(top(users(user(name=root,full-name=Charlie Root))))');
    assert.equal(await xpath('/t:top/t:*/t:group'), 'data(top(groups(group(name=admin))))');
    assert.match(await xpath('/'), /^data\(top\(.*interfaces\(/);
  });

  it('refuses undeclared prefixes and expressions outside the subset with invalid-value', async () => {
    for (const select of ['/x:top', '/t:top/..', 'count(/t:top)', '/t:top[']) {
      await assert.rejects(xpath(select), (err: unknown) => err instanceof RPCError && err.tag === 'invalid-value', select);
    }
  });
});
