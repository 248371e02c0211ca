import type { XmlElement } from '../xml/element.js';
import { NETCONF_NS } from '../namespaces.js';
import { OperationError } from './errors.js';

/** What one `<rpc-error>` says (RFC 6241 §4.3). */
export interface RPCErrorInfo {
  /** `transport`, `rpc`, `protocol` or `application`. */
  type: string;
  /** `in-use`, `invalid-value`, `lock-denied`, `data-missing` … */
  tag: string;
  /** `error` or `warning`. */
  severity: string;
  appTag: string | undefined;
  /** The XPath of the node the error is about. */
  path: string | undefined;
  message: string | undefined;
  /** `error-info` children by local name → text (`session-id`, `bad-element` …). */
  info: Record<string, string>;
  /** The `error-info` element itself, when present. */
  infoElement: XmlElement | undefined;
  /** The `<rpc-error>` element. */
  element: XmlElement;
}

/**
 * Read every `<rpc-error>` of a reply element, in document order: its children, and those nested
 * deeper, as ncclient finds them too (Junos, for one, reports errors and warnings inside
 * operation results such as `<load-configuration-results>`). An `<rpc-error>` inside another
 * one's `<error-info>` is part of that one, not another error.
 */
export function parseRpcErrors(reply: XmlElement): RPCErrorInfo[] {
  const found: XmlElement[] = [];
  const visit = (el: XmlElement): void => {
    for (const child of el.elements) {
      if (child.local === 'rpc-error' && child.namespace === NETCONF_NS) found.push(child);
      else visit(child);
    }
  };
  visit(reply);
  return found.map(parseRpcError);
}

/** Read one `<rpc-error>` element. */
export function parseRpcError(el: XmlElement): RPCErrorInfo {
  const infoElement = el.child('error-info', NETCONF_NS);
  const info: Array<[string, string]> = [];
  for (const c of infoElement?.elements ?? []) info.push([c.local, c.textContent.trim()]);
  return {
    type: el.childText('error-type', NETCONF_NS) ?? '',
    tag: el.childText('error-tag', NETCONF_NS) ?? '',
    severity: el.childText('error-severity', NETCONF_NS) ?? 'error',
    appTag: el.childText('error-app-tag', NETCONF_NS),
    path: el.childText('error-path', NETCONF_NS),
    message: el.childText('error-message', NETCONF_NS),
    info: Object.fromEntries(info),
    infoElement,
    element: el,
  };
}

/**
 * The server answered with `<rpc-error>`. The fields are those of the first error of the most
 * severe kind; {@link errors} holds every `<rpc-error>` of the reply, warnings included.
 *
 * `message` is the server's `error-message` (or `type/tag` when it sent none), as in ncclient;
 * {@link description}, `toString()` and the stack trace say type, tag, path and the other errors.
 */
export class RPCError extends OperationError implements Omit<RPCErrorInfo, 'element' | 'infoElement' | 'message'> {
  readonly type: string;
  readonly tag: string;
  readonly severity: string;
  readonly appTag: string | undefined;
  readonly path: string | undefined;
  readonly info: Record<string, string>;
  /** Every error of the reply, in order. */
  readonly errors: readonly RPCErrorInfo[];
  /** The raw reply. */
  readonly xml: string;
  /** One line naming every error: severity, type/tag, path, message. */
  readonly description: string;

  constructor(errors: readonly RPCErrorInfo[], xml: string, peer?: string) {
    const first = errors.find((e) => e.severity === 'error') ?? errors[0];
    if (!first) throw new TypeError('RPCError needs at least one error');
    const describe = (e: RPCErrorInfo): string => `${e.severity} ${e.type}/${e.tag}${e.path ? ` at ${e.path}` : ''}${e.message ? `: ${e.message}` : ''}`;
    const others = errors.filter((e) => e !== first);
    const description = `${peer ? `${peer}: ` : ''}${describe(first)}${others.length ? ` (and ${others.length} more: ${others.map(describe).join('; ')})` : ''}`;
    super(description);
    // V8 formats the stack lazily from `message`: fix its header now, before `message` changes.
    void this.stack;
    this.message = first.message ?? `${first.type}/${first.tag}`;
    this.description = description;
    this.type = first.type;
    this.tag = first.tag;
    this.severity = first.severity;
    this.appTag = first.appTag;
    this.path = first.path;
    this.info = first.info;
    this.errors = errors;
    this.xml = xml;
  }

  override toString(): string {
    return `${this.name}: ${this.description}`;
  }
}
