import { HelloError } from './errors.js';
import { escapeXml } from '../xml/text.js';
import type { XmlElement } from '../xml/element.js';
import type { XmlLimits } from '../xml/limits.js';
import { parseXml } from '../xml/parse.js';
import { NETCONF_NS } from '../namespaces.js';


/** What a peer's hello says. */
export interface Hello {
  /** The capability URIs, in the order advertised. */
  capabilities: string[];
  /** The session-id (a server hello must have one, a client hello must not). */
  sessionId: string | null;
}

/** The client hello, as a complete XML document. */
export function buildHello(capabilities: Iterable<string>): string {
  let caps = '';
  for (const uri of capabilities) caps += `<capability>${escapeXml(uri)}</capability>`;
  return `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NETCONF_NS}"><capabilities>${caps}</capabilities></hello>`;
}

/**
 * Parse a hello message with a namespace-aware XML parser, within the parser's default limits
 * (a hello is three levels deep: a deeper one is refused as soon as the parser passes
 * `maxDepth`, in time proportional to what it read).
 * @throws `HelloError` when the document is not a well-formed NETCONF `<hello>` or goes
 * beyond a parser limit (the parser's error is its `cause`).
 */
export function parseHello(xml: string, limits?: Partial<XmlLimits>): Hello {
  let root: XmlElement;
  try {
    root = parseXml(xml, limits);
  } catch (err) {
    throw new HelloError(`Malformed hello: ${(err as Error).message.replace(/^Malformed XML: /, '')}`, { cause: err });
  }
  if (root.local !== 'hello' || root.namespace !== NETCONF_NS) {
    throw new HelloError(`Malformed hello: expected <hello> in ${NETCONF_NS}, got <${root.name}> in ${root.namespace || 'no namespace'}`);
  }
  const capabilities: string[] = [];
  for (const cap of root.child('capabilities', NETCONF_NS)?.childrenNamed('capability', NETCONF_NS) ?? []) {
    const uri = cap.textContent.trim();
    if (uri) capabilities.push(uri);
  }
  const sessionId = root.child('session-id', NETCONF_NS)?.textContent.trim() ?? null;
  return { capabilities, sessionId };
}
