/**
 * The root of the error hierarchy, at the bottom of the layers: every folder may import it, it
 * imports nothing. The transport's own errors are in `transport/errors.ts`, the RPC layer's in
 * `rpc/errors.ts`.
 */

/**
 * The root of every error this package throws.
 *
 * Mirrors ncclient's `NCClientError`: catch it to handle anything that went wrong in the
 * client, whatever the layer.
 */
export class NCClientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // `new.target.name` keeps `name` right in subclasses without each repeating it.
    this.name = new.target.name;
  }
}

/** Anything that went wrong below the RPC layer: the connection, SSH, framing, the hello. */
export class TransportError extends NCClientError {}

/**
 * A message arrived whole but is not XML that can be dispatched: not well-formed, no root
 * element, a DTD, or beyond a parser limit (depth, attributes, name length …). Thrown by the XML
 * parser, which reads the peer's bytes, hence a {@link TransportError}.
 */
export class MalformedMessageError extends TransportError {}
