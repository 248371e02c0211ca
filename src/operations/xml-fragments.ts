import { findRoot } from '../transport/root-element.js';
import { escapeXml } from '../transport/xml-text.js';
import type { XmlElement } from '../xml/element.js';

/** XML given by a caller: a string, or a parsed element. */
export type XmlInput = string | XmlElement;

/** The XML text of a caller's fragment, without an XML declaration (it cannot stand inside `<rpc>`). */
export function xmlText(input: XmlInput): string {
  const text = typeof input === 'string' ? input : input.toString();
  return text.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
}

/** The local name of the fragment's root element, or undefined for text / several elements. */
export function rootLocalName(xml: string): string | undefined {
  try {
    const tag = findRoot(xml)[0];
    return tag.slice(tag.indexOf('}') + 1);
  } catch {
    return undefined;
  }
}

/** An empty element `<name/>`, checking that `name` is a plain XML name (no markup injection). */
export function emptyElement(name: string, what: string): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new TypeError(`Invalid ${what} ${JSON.stringify(name)}`);
  return `<${name}/>`;
}

/** `<name>text</name>`, text escaped. */
export function textElement(name: string, text: string | number): string {
  return `<${name}>${escapeXml(String(text))}</${name}>`;
}
