import type { Capabilities } from '../transport/capabilities.js';
import { escapeXml } from '../xml/text.js';
import { requireCapability } from './capability-check.js';
import { NETCONF_NS } from '../namespaces.js';
import { emptyElement, rootIs, xmlText, type XmlInput } from './xml-fragments.js';

/** A configuration datastore of RFC 6241. */
export type Datastore = 'running' | 'candidate' | 'startup';

/** Where configuration comes from or goes to: a datastore, or a URL (`:url` capability). */
export type ConfigTarget = Datastore | { url: string };

/** A copy-config source: a datastore, a URL, or inline configuration. */
export type ConfigSource = ConfigTarget | { config: XmlInput };

const DATASTORE_CAPABILITY: Record<string, string | undefined> = { candidate: ':candidate', startup: ':startup' };

/**
 * The XML naming a datastore or URL (`<running/>`, `<url>…</url>`), after checking the server has
 * what it needs (`:candidate`, `:startup`, `:url`).
 */
export function targetXml(target: ConfigTarget, caps: Capabilities, what: string): string {
  if (typeof target === 'object') {
    if (typeof target.url !== 'string' || !target.url) throw new TypeError(`${what}: url must be a non-empty string`);
    requireCapability(caps, ':url', `${what} with a URL`);
    return `<url>${escapeXml(target.url)}</url>`;
  }
  const capability = DATASTORE_CAPABILITY[target];
  if (capability) requireCapability(caps, capability, `${what} on ${target}`);
  return emptyElement(target, 'datastore');
}

/**
 * Inline configuration as a `<config>` element: wrapped unless the caller's root already is the
 * `<config>` of the operation's namespace (`ns`; NETCONF's by default) or an un-namespaced one.
 */
export function configXml(config: XmlInput, ns: string = NETCONF_NS): string {
  const text = xmlText(config);
  if (!text) throw new TypeError('Empty configuration');
  return rootIs(text, 'config', ['', ns]) ? text : `<config>${text}</config>`;
}

/** The XML of a copy-config source. */
export function sourceXml(source: ConfigSource, caps: Capabilities, what: string): string {
  if (typeof source === 'object' && 'config' in source) return configXml(source.config);
  return targetXml(source, caps, what);
}
