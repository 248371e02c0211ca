import { NETCONF_NS } from '../namespaces.js';
import type { ReceivedMessage } from '../transport/received-message.js';
import type { XmlElement } from '../xml/element.js';
import type { XmlLimits } from '../xml/limits.js';
import { parseXml } from '../xml/parse.js';
import { parseRpcErrors, type RPCErrorInfo } from './rpc-error.js';

/** Text every reply with an `<rpc-error>` contains; one without it has no errors (no parse needed). */
export const RPC_ERROR_MARK = 'rpc-error';

/**
 * The reply to an RPC. Everything is lazy: the bytes are decoded to `xml` on first access (so
 * `bytes` alone never pays for a string), `ok` and `errors` parse only a reply that mentions
 * `rpc-error`, and the document is parsed once, on the first access to `document` or `data`.
 */
export class RPCReply {
  /** The message-id it answers. */
  readonly messageId: string;
  readonly #message: ReceivedMessage | undefined;
  #xml: string | undefined;
  #document: XmlElement | undefined;
  #errors: RPCErrorInfo[] | undefined;

  readonly #limits: Partial<XmlLimits> | undefined;

  /**
   * @param message - the reply as text, or as received (bytes, decoded on demand)
   * @param limits - limits on the XML when it is parsed (default {@link DEFAULT_XML_LIMITS})
   */
  constructor(message: string | ReceivedMessage, messageId: string, limits?: Partial<XmlLimits>) {
    if (typeof message === 'string') this.#xml = message;
    else this.#message = message;
    this.messageId = messageId;
    this.#limits = limits;
  }

  /** The whole reply document, as received (decoded from the bytes on first access). */
  get xml(): string {
    this.#xml ??= this.#message?.text ?? '';
    return this.#xml;
  }

  /** The reply's bytes (UTF-8) as one Buffer, without decoding it to a string. */
  get bytes(): Buffer {
    return this.#message?.bytes ?? Buffer.from(this.xml, 'utf8');
  }

  /** The parsed `<rpc-reply>` element (parsed from the bytes when the text was not decoded). */
  get document(): XmlElement {
    this.#document ??= parseXml(this.#xml ?? this.#message?.bytes ?? '', this.#limits);
    return this.#document;
  }

  /** Every `<rpc-error>` of the reply, warnings included. */
  get errors(): readonly RPCErrorInfo[] {
    // A reply that does not even contain the text "rpc-error" has none: no need to parse it.
    this.#errors ??= this.#mentions(RPC_ERROR_MARK) ? parseRpcErrors(this.document) : [];
    return this.#errors;
  }

  /** True when the reply carries no `<rpc-error>` of severity `error` (warnings allowed). */
  get ok(): boolean {
    return this.errors.every((e) => e.severity !== 'error');
  }

  /** True when the reply is a bare `<ok/>`. */
  get isOkElement(): boolean {
    return this.document.child('ok', NETCONF_NS) !== undefined;
  }

  /** The `<data>` element of the reply (get, get-config, get-data, get-schema), if any. */
  get data(): XmlElement | undefined {
    return this.document.elements.find((el) => el.local === 'data');
  }

  /** The `<data>` element serialized with the namespace declarations it needs, if any. */
  get dataXml(): string | undefined {
    return this.data?.toString();
  }

  /** Whether the reply contains `text`, searched in the bytes when it was not decoded yet. */
  #mentions(text: string): boolean {
    return this.#message ? this.#message.includes(text) : this.xml.includes(text);
  }

  toString(): string {
    return this.xml;
  }
}
