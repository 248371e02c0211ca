import { SaxesParser } from 'saxes';
import { HelloError } from './errors.js';
import { escapeXml } from './xml-text.js';

/** The NETCONF base namespace. */
export const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

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
 * Parse a hello message with a namespace-aware XML parser.
 * @throws {@link HelloError} when the document is not a well-formed NETCONF `<hello>`.
 */
export function parseHello(xml: string): Hello {
  const parser = new SaxesParser({ xmlns: true });
  const capabilities: string[] = [];
  let sessionId: string | null = null;
  const path: string[] = [];
  let text = '';
  let failure: Error | undefined;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('doctype', () => {
    failure ??= new Error('document type declarations are not allowed');
  });
  parser.on('opentag', (tag) => {
    const depth = path.length;
    if (depth === 0 && (tag.local !== 'hello' || tag.uri !== NETCONF_NS)) {
      failure ??= new Error(`expected <hello> in ${NETCONF_NS}, got <${tag.name}> in ${tag.uri || 'no namespace'}`);
    }
    path.push(tag.uri === NETCONF_NS ? tag.local : `{${tag.uri}}${tag.local}`);
    text = '';
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('cdata', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const where = path.join('/');
    if (where === 'hello/capabilities/capability') {
      const uri = text.trim();
      if (uri) capabilities.push(uri);
    } else if (where === 'hello/session-id') {
      sessionId = text.trim();
    }
    path.pop();
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    failure ??= err as Error;
  }
  if (failure) throw new HelloError(`Malformed hello: ${failure.message}`);
  return { capabilities, sessionId };
}
