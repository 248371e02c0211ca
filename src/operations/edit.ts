import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { requireCapability } from './capability-check.js';
import { configXml, sourceXml, targetXml, type ConfigSource, type ConfigTarget } from './datastore.js';
import type { RPCReply } from '../rpc/rpc-reply.js';
import { OperationError } from '../rpc/errors.js';
import { textElement, type XmlInput } from './xml-fragments.js';
import { XmlElement } from '../xml/element.js';

/** Options of `<edit-config>`. */
export interface EditConfigOptions extends CallOptions {
  /** Default: `candidate` when the server has `:candidate`, otherwise `running`. */
  target?: ConfigTarget;
  defaultOperation?: 'merge' | 'replace' | 'none';
  /** `test-then-set` and `set` need `:validate`; `test-only` needs `:validate:1.1`. */
  testOption?: 'test-then-set' | 'set' | 'test-only';
  /** `rollback-on-error` needs `:rollback-on-error`. */
  errorOption?: 'stop-on-error' | 'continue-on-error' | 'rollback-on-error';
}

function oneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) throw new TypeError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

/** The edit-config target to use when the caller names none. */
export function defaultEditTarget(rpc: RPCDispatcher): ConfigTarget {
  return rpc.session.serverCapabilities.has(':candidate') ? 'candidate' : 'running';
}

/**
 * `<edit-config>` (RFC 6241 §7.2). `config` is a `<config>` element or its content (a string or
 * an element), or `{ url }` to load it from a URL (`:url`).
 */
export function editConfig(rpc: RPCDispatcher, config: XmlInput | { url: string }, options: EditConfigOptions = {}): Promise<RPCReply> {
  const caps = rpc.session.serverCapabilities;
  const target = options.target ?? defaultEditTarget(rpc);
  if (target === 'running') requireCapability(caps, ':writable-running', 'edit-config on running');
  let body = `<target>${targetXml(target, caps, 'edit-config')}</target>`;
  if (options.defaultOperation !== undefined) {
    body += textElement('default-operation', oneOf(options.defaultOperation, ['merge', 'replace', 'none'], 'defaultOperation'));
  }
  if (options.testOption !== undefined) {
    const test = oneOf(options.testOption, ['test-then-set', 'set', 'test-only'], 'testOption');
    requireCapability(caps, test === 'test-only' ? ':validate:1.1' : ':validate', `edit-config with test-option ${test}`);
    body += textElement('test-option', test);
  }
  if (options.errorOption !== undefined) {
    const onError = oneOf(options.errorOption, ['stop-on-error', 'continue-on-error', 'rollback-on-error'], 'errorOption');
    if (onError === 'rollback-on-error') requireCapability(caps, ':rollback-on-error', 'edit-config with error-option rollback-on-error');
    body += textElement('error-option', onError);
  }
  body += typeof config === 'object' && !(config instanceof XmlElement) ? targetXml(config, caps, 'edit-config') : configXml(config);
  return rpc.request(`<edit-config>${body}</edit-config>`, options);
}

/** `<copy-config>` (RFC 6241 §7.3): source a datastore, URL or inline config. */
export function copyConfig(rpc: RPCDispatcher, source: ConfigSource, target: ConfigTarget, options: CallOptions = {}): Promise<RPCReply> {
  const caps = rpc.session.serverCapabilities;
  const body = `<target>${targetXml(target, caps, 'copy-config')}</target><source>${sourceXml(source, caps, 'copy-config')}</source>`;
  return rpc.request(`<copy-config>${body}</copy-config>`, options);
}

/** `<delete-config>` (RFC 6241 §7.4) of startup or a URL. */
export function deleteConfig(rpc: RPCDispatcher, target: ConfigTarget, options: CallOptions = {}): Promise<RPCReply> {
  // RFC 6241's YANG allows only startup or a URL as delete-config target.
  if (target === 'running' || target === 'candidate') return Promise.reject(new OperationError(`delete-config: the ${target} datastore cannot be deleted (only startup or a URL)`));
  const body = `<target>${targetXml(target, rpc.session.serverCapabilities, 'delete-config')}</target>`;
  return rpc.request(`<delete-config>${body}</delete-config>`, options);
}

/** `<validate>` (RFC 6241 §8.6, `:validate`): a datastore, URL or inline config. */
export function validate(rpc: RPCDispatcher, source: ConfigSource, options: CallOptions = {}): Promise<RPCReply> {
  const caps = rpc.session.serverCapabilities;
  requireCapability(caps, ':validate', 'validate');
  return rpc.request(`<validate><source>${sourceXml(source, caps, 'validate')}</source></validate>`, options);
}
