import type { CallOptions, RPCDispatcher } from '../rpc/dispatcher.js';
import { requireModule } from './capability-check.js';
import type { RPCReply } from '../rpc/rpc-reply.js';
import { textElement } from './xml-fragments.js';
import { MONITORING_NS } from '../namespaces.js';


/** Options of `<get-schema>`. */
export interface GetSchemaOptions extends CallOptions {
  /** Revision of the module (e.g. `2014-05-08`); the server's choice when absent. */
  version?: string;
  /** `yang` (default on most servers), `yin`, `xsd`, `rng`, `rnc`. */
  format?: string;
}

/** `<get-schema>` (RFC 6022): the module text is in `reply.data`'s text. */
export function getSchema(rpc: RPCDispatcher, identifier: string, options: GetSchemaOptions = {}): Promise<RPCReply> {
  requireModule(rpc.session.serverCapabilities, MONITORING_NS, 'ietf-netconf-monitoring', 'get-schema');
  let body = textElement('identifier', identifier);
  if (options.version !== undefined) body += textElement('version', options.version);
  if (options.format !== undefined) {
    if (!/^[A-Za-z][\w-]*(:[A-Za-z][\w-]*)?$/.test(options.format)) return Promise.reject(new TypeError(`get-schema: invalid format ${JSON.stringify(options.format)}`));
    body += `<format>${options.format}</format>`;
  }
  return rpc.request(`<get-schema xmlns="${MONITORING_NS}">${body}</get-schema>`, options);
}
