/**
 * `<rpc-error>` replies of the simulator (RFC 6241 §4.3 and Appendix A).
 * @module
 */
import { escapeText } from './xml.js';
import { escapeXml } from '../index.js';

/** The layer an error belongs to. */
export type RpcErrorType = 'transport' | 'rpc' | 'protocol' | 'application';

/** Everything one `<rpc-error>` says. */
export interface RpcErrorSpec {
  /** Default `application`. */
  type?: RpcErrorType;
  /** `in-use`, `invalid-value`, `data-exists`, `lock-denied` … (RFC 6241 Appendix A). */
  tag: string;
  /** Default `error`. */
  severity?: 'error' | 'warning';
  appTag?: string;
  /** An XPath naming the node the error is about. */
  path?: string;
  /** Namespace declarations (prefix → URI) the path's prefixes need. */
  pathNamespaces?: Readonly<Record<string, string>>;
  message?: string;
  /** `<error-info>` children: name → text (`session-id`, `bad-element` …), in the NETCONF namespace. */
  info?: Readonly<Record<string, string>>;
}

/**
 * An error a simulated operation answers with: throw it from an RPC handler (see
 * `Simulator.setRpcHandler`) and the client receives it as an `<rpc-error>`.
 */
export class NetconfServerError extends Error {
  /** What the `<rpc-error>` says. */
  readonly spec: Readonly<RpcErrorSpec>;

  /** @param spec - what the `<rpc-error>` says; `message` also becomes the Error's message */
  constructor(spec: RpcErrorSpec) {
    super(spec.message ?? `${spec.type ?? 'application'}/${spec.tag}`);
    this.name = 'NetconfServerError';
    this.spec = spec;
  }

  /** The `<rpc-error>` element (in a parent whose default namespace is NETCONF's). */
  toXml(): string {
    return rpcErrorXml(this.spec);
  }
}

/** One `<rpc-error>` element; its parent must have the NETCONF namespace as default. */
export function rpcErrorXml(spec: RpcErrorSpec): string {
  let xml = `<rpc-error><error-type>${spec.type ?? 'application'}</error-type><error-tag>${escapeText(spec.tag)}</error-tag>`;
  xml += `<error-severity>${spec.severity ?? 'error'}</error-severity>`;
  if (spec.appTag !== undefined) xml += `<error-app-tag>${escapeText(spec.appTag)}</error-app-tag>`;
  if (spec.path !== undefined) {
    let decls = '';
    for (const [prefix, uri] of Object.entries(spec.pathNamespaces ?? {})) decls += ` xmlns:${prefix}="${escapeXml(uri)}"`;
    xml += `<error-path${decls}>${escapeText(spec.path)}</error-path>`;
  }
  if (spec.message !== undefined) xml += `<error-message xml:lang="en">${escapeText(spec.message)}</error-message>`;
  const info = Object.entries(spec.info ?? {});
  if (info.length > 0) {
    xml += '<error-info>';
    for (const [name, value] of info) xml += `<${name}>${escapeText(value)}</${name}>`;
    xml += '</error-info>';
  }
  return `${xml}</rpc-error>`;
}

/** The rpc-errors of a failed operation, as one throwable. */
export class NetconfServerErrors extends Error {
  readonly errors: readonly NetconfServerError[];
  constructor(errors: readonly NetconfServerError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'NetconfServerErrors';
    this.errors = errors;
  }
}

/** Shorthand for the common protocol errors. */
export const rpcErrors = {
  missingElement(element: string, message?: string): NetconfServerError {
    return new NetconfServerError({ type: 'protocol', tag: 'missing-element', message: message ?? `missing element <${element}>`, info: { 'bad-element': element } });
  },
  unknownElement(element: string, message?: string): NetconfServerError {
    return new NetconfServerError({ type: 'protocol', tag: 'unknown-element', message: message ?? `unexpected element <${element}>`, info: { 'bad-element': element } });
  },
  badElement(element: string, message: string): NetconfServerError {
    return new NetconfServerError({ type: 'protocol', tag: 'bad-element', message, info: { 'bad-element': element } });
  },
  invalidValue(message: string, element?: string): NetconfServerError {
    return new NetconfServerError({ type: 'protocol', tag: 'invalid-value', message, ...(element ? { info: { 'bad-element': element } } : {}) });
  },
  operationNotSupported(message: string): NetconfServerError {
    return new NetconfServerError({ type: 'protocol', tag: 'operation-not-supported', message });
  },
  operationFailed(message: string, type: RpcErrorType = 'protocol'): NetconfServerError {
    return new NetconfServerError({ type, tag: 'operation-failed', message });
  },
  inUse(message: string): NetconfServerError {
    return new NetconfServerError({ type: 'protocol', tag: 'in-use', message });
  },
};
