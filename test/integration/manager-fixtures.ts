/**
 * What the Manager integration tests (manager-*.test.ts) share: connection options for the test
 * server, ietf-interfaces configuration snippets, reading interface names back, a spy on what a
 * manager sends, and polling.
 */
import { connect, type ConnectOptions, type Manager } from '../../src/manager.js';
import type { ConfigTarget } from '../../src/operations/datastore.js';
import type { RPCReply } from '../../src/rpc/rpc-reply.js';
import type { XmlElement } from '../../src/xml/element.js';
import type { Netconfd } from './netconfd.js';

export const BASE_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const IF_NS = 'urn:ietf:params:xml:ns:yang:ietf-interfaces';
export const IANA_IF_NS = 'urn:ietf:params:xml:ns:yang:iana-if-type';
export const MONITORING_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring';
export const NC_NOTIFICATIONS_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';

/** Password login to the test server, host key not checked (host keys are tested elsewhere). */
export function connectOptions(server: Netconfd, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    password: server.password,
    allowAgent: false,
    lookForKeys: false,
    hostkeyVerify: false,
    timeout: 20,
    rpcTimeout: 20,
    ...extra,
  };
}

export function connectTo(server: Netconfd, extra: Partial<ConnectOptions> = {}): Promise<Manager> {
  return connect(connectOptions(server, extra));
}

/** One `<interface>` list entry (type ethernetCsmacd); `enabled` only when given. */
export function interfaceEntry(name: string, options: { description?: string; enabled?: boolean } = {}): string {
  return (
    `<interface><name>${name}</name>` +
    (options.description === undefined ? '' : `<description>${options.description}</description>`) +
    `<type xmlns:ianaift="${IANA_IF_NS}">ianaift:ethernetCsmacd</type>` +
    (options.enabled === undefined ? '' : `<enabled>${String(options.enabled)}</enabled>`) +
    '</interface>'
  );
}

/** `<interfaces>` holding the given entries. */
export function interfaces(...entries: string[]): string {
  return `<interfaces xmlns="${IF_NS}">${entries.join('')}</interfaces>`;
}

/** The `<interface>` elements under a reply's data (any reply with `<data><interfaces>`). */
export function interfaceElements(reply: RPCReply): XmlElement[] {
  return reply.data?.findAll('interfaces/interface').filter((el) => el.namespace === IF_NS) ?? [];
}

/** The names of the interfaces under a reply's data, sorted. */
export function interfaceNamesOf(reply: RPCReply): string[] {
  return interfaceElements(reply)
    .map((el) => el.childText('name', IF_NS) ?? '')
    .sort();
}

/** The names of the interfaces in a datastore, sorted. */
export async function interfaceNames(m: Manager, source: ConfigTarget = 'running'): Promise<string[]> {
  return interfaceNamesOf(await m.getConfig(source, { filter: `<interfaces xmlns="${IF_NS}"/>` }));
}

/** The `<interface>` element named `name` in a reply, if any. */
export function findInterface(reply: RPCReply, name: string): XmlElement | undefined {
  return interfaceElements(reply).find((el) => el.childText('name', IF_NS) === name);
}

/** Record every message the manager's session sends from now on (the spy stays installed). */
export function spySends(m: Manager): string[] {
  const sent: string[] = [];
  const session = m.session;
  const original = session.send.bind(session);
  session.send = (message: string | Buffer): void => {
    sent.push(String(message));
    original(message);
  };
  return sent;
}

/** The message-id attribute of an `<rpc>` the client sent. */
export function messageIdOf(rpc: string): string | undefined {
  return /^<rpc message-id="([^"]+)"/.exec(rpc)?.[1];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Poll `check` every `intervalMs` until it returns true; throws after `timeoutMs` saying `what`.
 * Returns the milliseconds waited.
 */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
