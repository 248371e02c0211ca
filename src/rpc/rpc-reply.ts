import { NETCONF_NS } from '../namespaces.js';
import type { ReceivedMessage } from '../transport/received-message.js';
import type { XmlElement } from '../xml/element.js';
import type { XmlLimits } from '../xml/limits.js';
import { parseXml } from '../xml/parse.js';
import type { YangSchema } from '../yang/schema.js';
import { xmlToJson, type JsonResult } from '../yang/xml-to-json.js';
import { parseRpcErrors, type RPCErrorInfo } from './rpc-error.js';

/** Options of {@link RPCReply.json}. */
export interface ReplyJsonOptions {
  /** The schema to map with; default the reply's {@link RPCReply.schema} (the session's). */
  schema?: YangSchema;
  /**
   * Keep what the schema cannot map (as schema-less JSON) and list warnings instead of throwing
   * `YangDataError`: for devices whose replies do not match their published modules. Default false.
   */
  lenient?: boolean;
  /**
   * The RPC this is the reply of, as `module:name` (`ietf-netconf-monitoring:get-schema`): maps
   * the reply's content as that RPC's output instead of the content of `<data>` as datastore data.
   */
  rpc?: string;
}

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
   * The YANG schema {@link json} maps with when given none: the manager sets its own
   * (`Manager.schema`) on the replies it returns.
   */
  schema: YangSchema | undefined;

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

  /**
   * The reply as RFC 7951 JSON, with warnings (lenient mode): the content of `<data>` of a get,
   * get-config or get-data reply as datastore data (`{"ietf-interfaces:interfaces": {…}}`;
   * `{}` when the reply has no `<data>`), or with `rpc` the output of that RPC. Throws
   * `YangDataError` (with the data path) when the data does not match the schema (unless
   * lenient), and `TypeError` when there is no schema.
   */
  jsonResult(options: ReplyJsonOptions = {}): JsonResult {
    const schema = options.schema ?? this.schema;
    if (!schema) throw new TypeError('reply.json(): no YANG schema: pass { schema }, or load one with m.loadSchema() (or connect with yangDir)');
    const lenient = options.lenient === true;
    if (options.rpc !== undefined) {
      const output = this.document.elements.filter((el) => !(el.namespace === NETCONF_NS && (el.local === 'rpc-error' || el.local === 'ok')));
      return xmlToJson(schema, output, { kind: 'reply', rpc: options.rpc, lenient });
    }
    // Not parsed yet (and no errors): converted while it is parsed, without building the tree
    // (several times faster on large replies; see yang/xml-stream-to-json.ts).
    if (this.#document === undefined && this.errors.length === 0) {
      return xmlToJson(schema, this.#xml ?? this.#message?.bytes ?? '', { kind: 'data', lenient, ...(this.#limits ? { limits: this.#limits } : {}) });
    }
    const data = this.data;
    if (!data) return { json: {}, warnings: [] };
    return xmlToJson(schema, data.elements, { kind: 'data', lenient });
  }

  /** The reply as RFC 7951 JSON (see {@link jsonResult}; the warnings of lenient mode are dropped). */
  json(options: ReplyJsonOptions = {}): Record<string, unknown> {
    return this.jsonResult(options).json;
  }

  /** Whether the reply contains `text`, searched in the bytes when it was not decoded yet. */
  #mentions(text: string): boolean {
    return this.#message ? this.#message.includes(text) : this.xml.includes(text);
  }

  toString(): string {
    return this.xml;
  }
}
