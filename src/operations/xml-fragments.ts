import { findRoot } from '../xml/root-element.js';
import { escapeXml } from '../xml/text.js';
import type { XmlElement } from '../xml/element.js';

/** XML given by a caller: a string, or a parsed element. */
export type XmlInput = string | XmlElement;

/** The XML text of a caller's fragment, without an XML declaration (it cannot stand inside `<rpc>`). */
export function xmlText(input: XmlInput): string {
  const text = typeof input === 'string' ? input : input.toString();
  return text.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
}

/**
 * True when the fragment's root element is `local` in one of `namespaces` (`''` standing for no
 * namespace declared, i.e. the one of the enclosing operation). Used to tell a caller's wrapper
 * element (`<config>`, `<filter>`) from content that merely has the same local name.
 */
export function rootIs(xml: string, local: string, namespaces: readonly string[]): boolean {
  let tag: string;
  try {
    tag = findRoot(xml)[0];
  } catch {
    return false;
  }
  return namespaces.some((ns) => tag === (ns ? `{${ns}}${local}` : local));
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
