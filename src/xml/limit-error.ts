import { MalformedMessageError } from '../errors.js';
import type { XmlLimits } from './limits.js';

/**
 * A document went beyond one of the parser's {@link XmlLimits}: too deep, too many attributes or
 * namespace declarations on an element, a name too long. A {@link MalformedMessageError}, so
 * that code handling malformed messages handles it too; `limit` and `value` say which limit
 * and what it was set to.
 */
export class XmlLimitError extends MalformedMessageError {
  /** The limit exceeded (`maxDepth`, `maxAttributes`, …). */
  readonly limit: keyof XmlLimits;
  /** The value of that limit when the document was refused. */
  readonly value: number;

  /**
   * @param limit - the limit exceeded
   * @param value - its value
   * @param message - the whole message (the parser's `Malformed XML: …` with the position)
   */
  constructor(limit: keyof XmlLimits, value: number, message: string) {
    super(message);
    this.limit = limit;
    this.value = value;
  }
}
