import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { targetXml, type ConfigTarget } from './datastore.js';
import { filterXml, withDefaultsXml, type Filter, type WithDefaultsMode } from './filter.js';
import type { RPCReply } from '../rpc/rpc-reply.js';

/** Options of `<get>`. */
export interface GetOptions extends CallOptions {
  filter?: Filter;
  withDefaults?: WithDefaultsMode;
}

/** Options of `<get-config>`. */
export interface GetConfigOptions extends GetOptions {}

function retrievalParameters(rpc: RPCDispatcher, what: string, options: GetOptions): string {
  const caps = rpc.session.serverCapabilities;
  let xml = '';
  if (options.filter !== undefined) xml += filterXml(options.filter, caps, what);
  if (options.withDefaults !== undefined) xml += withDefaultsXml(options.withDefaults, caps, what);
  return xml;
}

/** The `<get>` operation element. */
export function getOperation(rpc: RPCDispatcher, options: GetOptions = {}): string {
  return `<get>${retrievalParameters(rpc, 'get', options)}</get>`;
}

/** The `<get-config>` operation element. */
export function getConfigOperation(rpc: RPCDispatcher, source: ConfigTarget, options: GetConfigOptions = {}): string {
  const caps = rpc.session.serverCapabilities;
  return `<get-config><source>${targetXml(source, caps, 'get-config')}</source>${retrievalParameters(rpc, 'get-config', options)}</get-config>`;
}

/** `<get>`: running configuration and state data (RFC 6241 §7.7). */
export function get(rpc: RPCDispatcher, options: GetOptions = {}): Promise<RPCReply> {
  return rpc.request(getOperation(rpc, options), options);
}

/** `<get-config>` from a datastore or URL (RFC 6241 §7.1). */
export function getConfig(rpc: RPCDispatcher, source: ConfigTarget, options: GetConfigOptions = {}): Promise<RPCReply> {
  return rpc.request(getConfigOperation(rpc, source, options), options);
}
