/**
 * Limits on the shape of an XML document, enforced by the parser as it reads, so that a peer
 * cannot make the client build trees no code can walk or spend time out of proportion to the
 * message. The parser is linear in the size of its input whatever the limits; they bound what
 * a document may contain, not how long parsing it takes.
 */
export interface XmlLimits {
  /**
   * How deep elements may nest: the root is at depth 1. Default 1024 (NETCONF data is a few
   * tens of levels deep; libxml2 stops at 256). Every walk over an {@link XmlElement} tree is
   * iterative, so a larger value is safe for the tree itself.
   */
  maxDepth: number;
  /** How many attributes one element may have, namespace declarations not counted. Default 1024. */
  maxAttributes: number;
  /** How many namespace declarations (`xmlns`, `xmlns:prefix`) one element may make. Default 1024. */
  maxNamespaceDeclarations: number;
  /**
   * How long a name may be, in bytes of its UTF-8 encoding: element and attribute names (prefix
   * included) and processing-instruction targets. Default 1024.
   */
  maxNameLength: number;
}

/** The limits used for whatever a caller leaves out (see {@link XmlLimits} for each). */
export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxDepth: 1024,
  maxAttributes: 1024,
  maxNamespaceDeclarations: 1024,
  maxNameLength: 1024,
});

/**
 * The limits to enforce: `limits` over the defaults.
 * @throws RangeError when a limit given is not a positive integer.
 */
export function resolveXmlLimits(limits: Partial<XmlLimits> | undefined): Readonly<XmlLimits> {
  if (limits === undefined) return DEFAULT_XML_LIMITS;
  const out: XmlLimits = { ...DEFAULT_XML_LIMITS };
  for (const key of Object.keys(DEFAULT_XML_LIMITS) as Array<keyof XmlLimits>) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`XML limit ${key} must be a positive integer, got ${String(value)}`);
    out[key] = value;
  }
  return out;
}
