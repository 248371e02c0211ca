import { MalformedMessageError } from '../errors.js';
import { unescapeXml } from './text.js';
import { XML_NS } from '../namespaces.js';


/**
 * The root element of a NETCONF message: its qualified name and its attributes, both in Clark
 * notation (`{namespace-uri}local-name`; an un-namespaced attribute keeps its plain name).
 * Namespace declarations are not attributes and do not appear.
 */
export type RootElement = readonly [tag: string, attributes: Readonly<Record<string, string>>];

const NAME_END = /[\s/>]/g;
const ATTRIBUTE = /\s+([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
/** A name with at most one colon, neither part empty. */
const QNAME = /^[^\s:]+(?::[^\s:]+)?$/;
const TAG_CLOSE = /\s*(\/?>)/y;

function clark(ns: string | undefined, local: string): string {
  return ns ? `{${ns}}${local}` : local;
}

/**
 * Find the root element of an XML document without parsing the rest of it: skips a BOM, the XML
 * declaration, processing instructions, comments and white space, then reads the first start tag
 * and resolves its prefixes with the namespace declarations it carries.
 *
 * Cost is proportional to the size of the root start tag, not of the document.
 *
 * @throws {@link MalformedMessageError} when no well-formed root start tag is found, a prefix is
 * undeclared, or the document has a DTD (never valid in NETCONF, and a known attack vector).
 */
export function findRoot(xml: string): RootElement {
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i] as string)) i++;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end === -1) throw new MalformedMessageError('Unterminated processing instruction before the root element');
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end === -1) throw new MalformedMessageError('Unterminated comment before the root element');
      i = end + 3;
    } else if (xml.startsWith('<!', i)) {
      throw new MalformedMessageError('Document type declarations are not allowed in NETCONF messages');
    } else {
      break;
    }
  }
  if (xml[i] !== '<') {
    throw new MalformedMessageError(i >= xml.length ? 'Empty message: no root element' : `Expected the root element, found ${JSON.stringify(xml.slice(i, i + 20))}`);
  }
  NAME_END.lastIndex = i + 1;
  const nameEnd = NAME_END.exec(xml);
  if (!nameEnd) throw new MalformedMessageError('Unterminated root start tag');
  const qname = xml.slice(i + 1, nameEnd.index);
  if (!qname) throw new MalformedMessageError('Root start tag has no name');
  if (!QNAME.test(qname)) throw new MalformedMessageError(`Malformed root element name ${JSON.stringify(qname)}`);

  const namespaces = new Map<string, string>([['xml', XML_NS]]);
  const raw: Array<[string, string]> = [];
  let at = nameEnd.index;
  for (;;) {
    TAG_CLOSE.lastIndex = at;
    if (TAG_CLOSE.exec(xml)) break;
    ATTRIBUTE.lastIndex = at;
    const m = ATTRIBUTE.exec(xml);
    if (!m) throw new MalformedMessageError(`Malformed or unterminated root start tag <${qname}`);
    at = ATTRIBUTE.lastIndex;
    const name = m[1] as string;
    if (!QNAME.test(name)) throw new MalformedMessageError(`Malformed attribute name ${JSON.stringify(name)} on root element`);
    let value: string;
    try {
      value = unescapeXml(m[2] ?? m[3] ?? '');
    } catch (err) {
      throw new MalformedMessageError(`Bad attribute ${name} on root element: ${(err as Error).message}`);
    }
    if (name === 'xmlns') namespaces.set('', value);
    else if (name.startsWith('xmlns:')) namespaces.set(name.slice(6), value);
    else raw.push([name, value]);
  }

  const resolve = (name: string, isElement: boolean): string => {
    const colon = name.indexOf(':');
    if (colon === -1) return isElement ? clark(namespaces.get(''), name) : name;
    const prefix = name.slice(0, colon);
    const ns = namespaces.get(prefix);
    if (ns === undefined) throw new MalformedMessageError(`Undeclared namespace prefix '${prefix}' on root element`);
    return clark(ns, name.slice(colon + 1));
  };
  const resolved = raw.map(([name, value]): [string, string] => [resolve(name, false), value]);
  // fromEntries defines own properties, so even an attribute named __proto__ is kept.
  const attributes: Record<string, string> = Object.fromEntries(resolved);
  if (Object.keys(attributes).length !== resolved.length) throw new MalformedMessageError(`Duplicate attribute on root element <${qname}>`);
  return [resolve(qname, true), attributes];
}
