import type { Capabilities } from '../transport/capabilities.js';
import { escapeXml } from '../xml/text.js';
import { requireCapability } from './capability-check.js';
import { rootIs, xmlText, type XmlInput } from './xml-fragments.js';
import { NETCONF_NS, WITH_DEFAULTS_NS } from '../namespaces.js';

/**
 * A filter for get, get-config and subscriptions:
 * - a string or element: a subtree filter (the content of `<filter>`, or a whole `<filter>`);
 * - `{ subtree }`: the same;
 * - `{ xpath, namespaces }`: an XPath filter (`:xpath` capability), with the prefixes it uses.
 */
export type Filter = XmlInput | { subtree: XmlInput } | { xpath: string; namespaces?: Record<string, string> };

/** The `<filter>` element for a filter, after checking the server supports its kind. */
export function filterXml(filter: Filter, caps: Capabilities, what: string): string {
  if (typeof filter === 'object' && 'xpath' in filter) {
    requireCapability(caps, ':xpath', `${what} with an XPath filter`);
    if (typeof filter.xpath !== 'string' || !filter.xpath.trim()) throw new TypeError('XPath filter: xpath must be a non-empty string');
    return `<filter type="xpath" select="${escapeXml(filter.xpath)}"${namespaceDeclarations(filter.namespaces)}/>`;
  }
  const subtree = typeof filter === 'object' && 'subtree' in filter ? filter.subtree : filter;
  const text = xmlText(subtree);
  // create-subscription's <filter> is in the notification namespace
  if (rootIs(text, 'filter', ['', NETCONF_NS, 'urn:ietf:params:xml:ns:netconf:notification:1.0'])) return text;
  return `<filter type="subtree">${text}</filter>`;
}

/** ` xmlns:p="uri"` attributes for the prefixes an XPath expression uses. */
export function namespaceDeclarations(namespaces: Record<string, string> = {}): string {
  let decls = '';
  for (const [prefix, uri] of Object.entries(namespaces)) {
    if (!/^[A-Za-z_][\w.-]*$/.test(prefix)) throw new TypeError(`XPath filter: invalid namespace prefix ${JSON.stringify(prefix)}`);
    decls += ` xmlns:${prefix}="${escapeXml(uri)}"`;
  }
  return decls;
}

/** RFC 6243 retrieval modes. */
export type WithDefaultsMode = 'report-all' | 'report-all-tagged' | 'trim' | 'explicit';


/** The `<with-defaults>` parameter, after checking the server advertises that mode. */
export function withDefaultsXml(mode: WithDefaultsMode, caps: Capabilities, what: string): string {
  requireCapability(caps, ':with-defaults', `${what} with with-defaults`);
  const cap = caps.get(':with-defaults');
  const supported = new Set([cap?.parameters['basic-mode'], ...(cap?.parameters['also-supported'] ?? '').split(',')].filter(Boolean));
  if (!supported.has(mode)) {
    throw new TypeError(`${what}: with-defaults mode '${mode}' is not supported by the server (it supports: ${[...supported].join(', ') || 'none'})`);
  }
  return `<with-defaults xmlns="${WITH_DEFAULTS_NS}">${mode}</with-defaults>`;
}
