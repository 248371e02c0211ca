/**
 * The reference the XML parser is tested against: saxes (namespaces on), building the same
 * {@link XmlElement} tree as `parseXml`. saxes is a development dependency only: the library
 * parses with its own tokenizer (src/xml/stream-parser.ts); the tests check that both accept the
 * same documents and build the same trees (see the module documentation of the tokenizer for
 * the deliberate differences).
 */
import { SaxesParser } from 'saxes';
import { MalformedMessageError } from '../../src/errors.js';
import { XmlElement } from '../../src/xml/element.js';

/**
 * Parse `xml` with saxes into an {@link XmlElement} tree. Comments and processing instructions
 * are dropped; CDATA becomes text (an empty CDATA section an empty text child). DTDs are refused.
 * @throws {@link MalformedMessageError} when saxes finds the document not well-formed.
 */
export function referenceParse(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: false });
  let root: XmlElement | undefined;
  let current: XmlElement | undefined;
  let failure: Error | undefined;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('doctype', () => {
    failure ??= new Error('document type declarations are not allowed');
  });
  parser.on('opentag', (tag) => {
    const attributes: Array<[string, string]> = [];
    const raw: Array<readonly [string, string]> = [];
    for (const attr of Object.values(tag.attributes)) {
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
      attributes.push([attr.uri ? `{${attr.uri}}${attr.local}` : attr.local, attr.value]);
      raw.push([attr.name, attr.value]);
    }
    const el = new XmlElement({
      name: tag.name,
      local: tag.local,
      namespace: tag.uri,
      attributes: Object.fromEntries(attributes),
      declarations: { ...tag.ns },
      rawAttributes: raw,
    });
    if (current) {
      el.parent = current;
      current.children.push(el);
    } else {
      root = el;
    }
    current = el;
  });
  const onText = (text: string): void => {
    if (!current) return; // white space around the root
    const last = current.children[current.children.length - 1];
    if (typeof last === 'string') current.children[current.children.length - 1] = last + text;
    else current.children.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    current = current?.parent ?? undefined;
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    failure ??= err as Error;
  }
  if (failure) throw new MalformedMessageError(`Malformed XML: ${failure.message}`);
  if (!root) throw new MalformedMessageError('Malformed XML: no root element');
  return root;
}
