import { NETCONF_NS } from '../transport/hello.js';
import type { XmlElement } from '../xml/element.js';
import { parseXml } from '../xml/parse.js';
import { parseRpcErrors, type RPCErrorInfo } from './rpc-error.js';

/**
 * The reply to an RPC. Parsing is lazy: `xml` costs nothing more, `ok` and `errors` parse only a
 * reply that mentions `rpc-error`, and the document is parsed once, on the first access to
 * `document`, `data` or an error's details.
 */
export class RPCReply {
  /** The whole reply document, as received. */
  readonly xml: string;
  /** The message-id it answers. */
  readonly messageId: string;
  #document: XmlElement | undefined;
  #errors: RPCErrorInfo[] | undefined;

  constructor(xml: string, messageId: string) {
    this.xml = xml;
    this.messageId = messageId;
  }

  /** The parsed `<rpc-reply>` element. */
  get document(): XmlElement {
    this.#document ??= parseXml(this.xml);
    return this.#document;
  }

  /** Every `<rpc-error>` of the reply, warnings included. */
  get errors(): readonly RPCErrorInfo[] {
    // A reply that does not even contain the text "rpc-error" has none: no need to parse it.
    this.#errors ??= this.xml.includes('rpc-error') ? parseRpcErrors(this.document) : [];
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

  toString(): string {
    return this.xml;
  }
}
