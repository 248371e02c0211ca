import type { XmlElement } from './element.js';
import type { XmlLimits } from './limits.js';
import { XmlStreamParser } from './stream-parser.js';

/**
 * Parse a whole XML document into an {@link XmlElement} tree, namespace-aware. Comments and
 * processing instructions are dropped; CDATA becomes text. DTDs are refused.
 *
 * Bytes are read as UTF-8 as they are (no decoding pass); a string is encoded to UTF-8 first.
 * Time is linear in the size of the document whatever its shape; see {@link XmlStreamParser}
 * for what is checked.
 *
 * @param input - the document: UTF-8 bytes, or a string
 * @param limits - limits on the document's shape, over the defaults ({@link DEFAULT_XML_LIMITS})
 * @throws {@link MalformedMessageError} when the document is not well-formed (the message starts
 * with `Malformed XML:` and gives the byte offset of the error).
 * @throws {@link XmlLimitError} (a `MalformedMessageError`) when it goes beyond one of the limits.
 * @throws RangeError when a limit given is not a positive integer.
 */
export function parseXml(input: string | Uint8Array, limits?: Partial<XmlLimits>): XmlElement {
  let root: XmlElement | undefined;
  const parser = new XmlStreamParser({
    emitDepth: 0,
    limits,
    onSubtree(element) {
      root = element;
    },
  });
  parser.write(input);
  parser.end();
  return root!;
}
