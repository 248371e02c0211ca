import { XmlStreamParser } from './stream-parser.js';

/**
 * The root element of a NETCONF message: its qualified name and its attributes, both in Clark
 * notation (`{namespace-uri}local-name`; an un-namespaced attribute keeps its plain name).
 * Namespace declarations are not attributes and do not appear.
 */
export type RootElement = readonly [tag: string, attributes: Readonly<Record<string, string>>];

/** How much of a string is encoded and read at first; each further slice is twice as long. */
const FIRST_SLICE = 4096;

/**
 * Find the root element of an XML document without parsing the rest of it: the XML parser reads
 * the prolog (BOM, XML declaration, comments, processing instructions, white space, all checked
 * as in a whole document) and the root start tag, resolves its prefixes with the namespace
 * declarations it carries, and stops there. Nothing after the root start tag is looked at.
 *
 * Cost is proportional to the prolog and the root start tag, not to the document: a string is
 * encoded to UTF-8 a slice at a time, until the root start tag is complete.
 *
 * @throws `MalformedMessageError` when no well-formed root start tag is found (empty
 * document, text before the root, an unterminated start tag, comment or PI), a prefix is
 * undeclared, or the document has a DTD (never valid in NETCONF, and a known attack vector).
 */
export function findRoot(input: string | Uint8Array): RootElement {
  const parser = new XmlStreamParser({ emitDepth: 1, rootOnly: true, onSubtree() {} });
  if (typeof input === 'string') {
    for (let at = 0, n = FIRST_SLICE; at < input.length && parser.root === undefined; at += n, n *= 2) parser.write(input.slice(at, at + n));
  } else parser.write(input);
  // The input ended before the root start tag was complete: end() throws the reason.
  if (parser.root === undefined) parser.end();
  const root = parser.root!;
  return [root.tag, root.attributes];
}
