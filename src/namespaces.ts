/**
 * Namespace URIs used in more than one place, each defined once. At the bottom of the layers:
 * every folder may import it, it imports nothing.
 */

/** The namespace bound to the `xml` prefix by definition (XML Namespaces §3). */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** The namespace of namespace declarations themselves; no prefix may be bound to it. */
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** The NETCONF base namespace (RFC 6241): `<hello>`, `<rpc>`, `<rpc-reply>`, the operations. */
export const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
/** RFC 5277 notifications: `<notification>`, `<create-subscription>`. */
export const NOTIFICATION_NS = 'urn:ietf:params:xml:ns:netconf:notification:1.0';
/** RFC 5277 §3.4: the NETCONF event stream list (`<netconf><streams>`). */
export const NETMOD_NOTIFICATION_NS = 'urn:ietf:params:xml:ns:netmod:notification';
/** RFC 6022 ietf-netconf-monitoring: `<get-schema>`, `<netconf-state>`. */
export const MONITORING_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring';
/** RFC 6470 ietf-netconf-notifications: `netconf-config-change` and friends. */
export const NC_NOTIFICATIONS_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-notifications';
/** YANG's own namespace (RFC 7950), for `yang:operation` style attributes. */
export const YANG_NS = 'urn:ietf:params:xml:ns:yang:1';
/** RFC 6243 with-defaults. */
export const WITH_DEFAULTS_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults';
/** RFC 8526 NMDA operations: `<get-data>`, `<edit-data>`. */
export const NMDA_NS = 'urn:ietf:params:xml:ns:yang:ietf-netconf-nmda';
/** RFC 8342 datastore identities (`ds:running`, `ds:operational` …). */
export const DATASTORES_NS = 'urn:ietf:params:xml:ns:yang:ietf-datastores';
/** RFC 8342 ietf-origin. */
export const ORIGIN_NS = 'urn:ietf:params:xml:ns:yang:ietf-origin';
/** RFC 8639 subscribed notifications: `<establish-subscription>`. */
export const SUBSCRIBED_NOTIFICATIONS_NS = 'urn:ietf:params:xml:ns:yang:ietf-subscribed-notifications';
