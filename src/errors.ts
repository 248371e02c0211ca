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
