/**
 * `netconfkit/simulator`: a NETCONF device simulator for tests.
 *
 * An SSH server (password and public-key users, its own host key) with the `netconf`
 * subsystem, or a TLS server (RFC 7589: client certificates, cert-to-name), listening or calling
 * the client home (RFC 8071); base:1.0 and base:1.1 framing, running / candidate / startup
 * datastores with RFC 6241 edit-config semantics, subtree and XPath filtering, locks, confirmed commits, get-schema from a
 * directory of YANG files, RFC 5277 notifications, and fault injection (delays, stalls, dropped
 * connections, broken framing, wrong message-ids, huge replies). With `yangDir` the modules are
 * compiled with the modules of what the simulator implements itself (ietf-netconf,
 * ietf-yang-library …, shipped with the package): edits are validated against them (the errors
 * netconfd answers), with-defaults (RFC 6243), NMDA `<get-data>` / `<edit-data>` (RFC 8526) and
 * the YANG library (RFC 7895, RFC 8525) are supported (docs/simulator.md).
 *
 * ```ts
 * import { startSimulator } from 'netconfkit/simulator';
 * const sim = await startSimulator({ users: [{ username: 'admin', password: 'secret' }] });
 * // connect to 127.0.0.1:sim.port, trusting sim.hostKey.md5 …
 * sim.faults.next({ operation: 'get', delay: 5000 });
 * await sim.close();
 *
 * // schema-aware: a vendor's YANG modules, edits validated against them
 * const vendor = await startSimulator({ users, yangDir: './vendor-yang', features: 'acme-if:vlans' });
 *
 * // NETCONF over TLS, with a throw-away PKI:
 * const pki = await generateTestPki();
 * const tlsSim = await startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert } });
 * ```
 * @packageDocumentation
 * @module netconfkit/simulator
 */
export {
  startSimulator,
  Simulator,
  type CallHomeAttempt,
  type PushNotificationOptions,
  type SimulatorCallHomeOptions,
  type SimulatorEvents,
  type SimulatorOptions,
  type SimulatorReconnectOptions,
  type SimulatorRejection,
  type SimulatorSessionInfo,
  type SimulatorTlsOptions,
} from './server.js';
export type { CertToName, CertToNameMap } from './cert-to-name.js';
export { createTestCertificate, generateTestPki, TEST_SERVER_COMMON_NAME, type TestCertificate, type TestCertificateOptions, type TestPki, type TestPkiCertificate, type TestPkiOptions } from './pki.js';
export type { SimulatorUser } from './users.js';
export type { SimulatorHostKey } from './host-key.js';
export { Faults, FaultRule, BULK_NS, type FaultRpcInfo, type FaultSpec, type MalformedFraming } from './faults.js';
export { NetconfServerError, type RpcErrorSpec, type RpcErrorType } from './errors.js';
export type { RpcEvent, RpcHandler, RpcRequest } from './device.js';
export type { DatastoreName } from './datastore.js';
