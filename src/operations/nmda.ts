import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { requireModule } from './capability-check.js';
import { configXml } from './datastore.js';
import { namespaceDeclarations, type WithDefaultsMode } from './filter.js';
import type { RPCReply } from '../rpc/rpc-reply.js';
import { textElement, xmlText, type XmlInput } from './xml-fragments.js';
import { escapeXml } from '../xml/text.js';
import { DATASTORES_NS, NMDA_NS, ORIGIN_NS } from '../namespaces.js';


/** An NMDA datastore (RFC 8342), by its ietf-datastores identity name. */
export type NmdaDatastore = 'running' | 'candidate' | 'startup' | 'intended' | 'operational';

/** Options of `<get-data>` (RFC 8526). */
export interface GetDataOptions extends CallOptions {
  /** A subtree filter (XML), or `{ xpath, namespaces }`. */
  filter?: XmlInput | { subtree: XmlInput } | { xpath: string; namespaces?: Record<string, string> };
  /** true: configuration only; false: state only; absent: both. */
  configFilter?: boolean;
  /** Only nodes with these origins (ietf-origin identity names: `intended`, `system`, `learned` …). */
  originFilter?: string[];
  /** Only nodes with origins other than these. */
  negatedOriginFilter?: string[];
  /** Depth of the subtrees returned (1 …); unbounded when absent. */
  maxDepth?: number;
  /** Report the origin of each node (operational datastore). */
  withOrigin?: boolean;
  withDefaults?: WithDefaultsMode;
}

function identity(name: string, what: string): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new TypeError(`Invalid ${what} ${JSON.stringify(name)}`);
  return name;
}

function requireNmda(rpc: RPCDispatcher, what: string): void {
  requireModule(rpc.session.serverCapabilities, NMDA_NS, 'ietf-netconf-nmda', what);
}

/** `<get-data>` from an NMDA datastore (RFC 8526). */
export function getData(rpc: RPCDispatcher, datastore: NmdaDatastore, options: GetDataOptions = {}): Promise<RPCReply> {
  requireNmda(rpc, 'get-data');
  let body = `<datastore>ds:${identity(datastore, 'datastore')}</datastore>`;
  const { filter } = options;
  if (filter !== undefined) {
    if (typeof filter === 'object' && 'xpath' in filter) {
      body += `<xpath-filter${namespaceDeclarations(filter.namespaces)}>${escapeXml(filter.xpath)}</xpath-filter>`;
    } else {
      const subtree = typeof filter === 'object' && 'subtree' in filter ? filter.subtree : filter;
      body += `<subtree-filter>${xmlText(subtree)}</subtree-filter>`;
    }
  }
  if (options.configFilter !== undefined) body += textElement('config-filter', String(options.configFilter));
  for (const origin of options.originFilter ?? []) body += `<origin-filter xmlns:or="${ORIGIN_NS}">or:${identity(origin, 'origin')}</origin-filter>`;
  for (const origin of options.negatedOriginFilter ?? []) body += `<negated-origin-filter xmlns:or="${ORIGIN_NS}">or:${identity(origin, 'origin')}</negated-origin-filter>`;
  if (options.maxDepth !== undefined) {
    if (!Number.isInteger(options.maxDepth) || options.maxDepth < 1 || options.maxDepth > 65535) throw new TypeError(`get-data: maxDepth must be an integer from 1 to 65535, got ${String(options.maxDepth)}`);
    body += textElement('max-depth', options.maxDepth);
  }
  if (options.withOrigin) body += '<with-origin/>';
  if (options.withDefaults !== undefined) body += textElement('with-defaults', options.withDefaults);
  return rpc.request(`<get-data xmlns="${NMDA_NS}" xmlns:ds="${DATASTORES_NS}">${body}</get-data>`, options);
}

/** Options of `<edit-data>` (RFC 8526). */
export interface EditDataOptions extends CallOptions {
  defaultOperation?: 'merge' | 'replace' | 'none';
}

/** `<edit-data>` of a writable NMDA datastore (RFC 8526). `config` is the configuration content or a `<config>` element. */
export function editData(rpc: RPCDispatcher, datastore: NmdaDatastore, config: XmlInput, options: EditDataOptions = {}): Promise<RPCReply> {
  requireNmda(rpc, 'edit-data');
  let body = `<datastore>ds:${identity(datastore, 'datastore')}</datastore>`;
  if (options.defaultOperation !== undefined) body += textElement('default-operation', identity(options.defaultOperation, 'default operation'));
  body += configXml(config, NMDA_NS);
  return rpc.request(`<edit-data xmlns="${NMDA_NS}" xmlns:ds="${DATASTORES_NS}">${body}</edit-data>`, options);
}
