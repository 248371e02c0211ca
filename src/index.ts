/**
 * netconfkit: a NETCONF (RFC 6241) client for Node.js.
 *
 * This entry point is the public API: {@link connect} and the {@link Manager} with every
 * operation; the transport and session layer with the API of ncclient's `ncclient.transport`
 * ({@link Session}, {@link SessionListener}, {@link SSHSession}, the error classes,
 * capabilities); replies, errors, notifications; the XML tree. The pieces the library is built
 * from (framing decoder, message reader, dispatcher, tokenizer) are exported from
 * `netconfkit/internals` for those who build on them, with no stability promise.
 * @packageDocumentation
 * @module netconfkit
 */
export { MalformedMessageError, NCClientError, TransportError } from './errors.js';
export * from './namespaces.js';
export {
  AuthenticationError,
  ConnectAbortedError,
  HelloError,
  NetconfFramingError,
  ProxyCommandError,
  SessionCloseError,
  SSHError,
  SSHUnknownHostError,
  TLSError,
  type TLSFailure,
  type HopInfo,
  type HostKeyRejection,
  type SSHErrorOptions,
} from './transport/errors.js';
export { BASE_1_0, BASE_1_1, Capabilities, DEFAULT_CLIENT_CAPABILITIES, parseCapability, type Capability } from './transport/capabilities.js';
export { DEFAULT_MAX_MESSAGE_SIZE, type FramingMode } from './transport/framing.js';
export { Session, type SessionListener, type SessionOptions } from './transport/session.js';
export { ReceivedMessage } from './transport/received-message.js';
export type { RootElement } from './xml/root-element.js';
export { StreamSession } from './transport/stream.js';
export { hostKeyInfo, md5Fingerprint, sha256Fingerprint, type HostKeyInfo } from './transport/host-key.js';
export { appendKnownHost, defaultKnownHostsFiles, KnownHosts, knownHostsLine, type HostKeyStatus, type KnownHostsLoadOptions, type KnownHostsWarning } from './transport/known-hosts.js';
export { defaultUnknownHostCb, type StrictHostKeyChecking, type UnknownHostCallback } from './transport/host-key-policy.js';
export { NETCONF_SSH_PORT, type JumpHostOptions, type SSHConnectOptions, type SSHHostOptions } from './transport/ssh-options.js';
export { parseJumpSpec, resolveSSHConfig, SSHConfigError, type ResolvedSSHConfig, type SSHConfigLookupOptions } from './transport/ssh-config.js';
export { SSHSession, sshNativeCryptoAvailable } from './transport/ssh.js';
export { CALL_HOME_SSH_PORT, CALL_HOME_TLS_PORT, NETCONF_TLS_PORT, type TLSConnectOptions, type TLSCredentials } from './transport/tls-options.js';
export { TLSSession } from './transport/tls.js';

// The RPC layer: every NETCONF operation on a Manager, replies, errors, notifications.
export { connect, Manager, type ConnectOptions, type ConnectTLSOptions, type ManagerOptions } from './manager.js';
export { acceptCallHome, CallHomeListener, listenCallHome, type CallHomeListenerEvents, type CallHomeManager, type CallHomeOptions } from './call-home.js';
export type { CallHomeDevice, CallHomeListenOptions, CallHomeSSHOptions, CallHomeTLSOptions } from './transport/call-home.js';
export type { CallOptions, RaiseMode } from './rpc/dispatcher.js';
export { RPCReply } from './rpc/rpc-reply.js';
export { ReplyStream, type ReplyStreamOptions } from './rpc/reply-stream.js';
export { RPCError, type RPCErrorInfo } from './rpc/rpc-error.js';
export { MissingCapabilityError, OperationError, RPCAbortedError, TimeoutExpiredError } from './rpc/errors.js';
export { NotificationQueue, parseNotification, type Notification } from './rpc/notification.js';
export type { ConfigSource, ConfigTarget, Datastore } from './operations/datastore.js';
export type { Filter, WithDefaultsMode } from './operations/filter.js';
export type { GetConfigOptions, GetOptions } from './operations/retrieve.js';
export type { EditConfigOptions } from './operations/edit.js';
export type { HeldLock } from './operations/lock.js';
export type { CommitOptions } from './operations/commit.js';
export type { GetSchemaOptions } from './operations/schema.js';
export type { CreateSubscriptionOptions, EstablishedSubscription, EstablishSubscriptionOptions, EventTime } from './operations/subscription.js';
export type { EditDataOptions, GetDataOptions, NmdaDatastore } from './operations/nmda.js';
export type { XmlInput } from './operations/xml-fragments.js';
export { XmlElement, type XmlNode } from './xml/element.js';
export { parseXml } from './xml/parse.js';
export { escapeXml } from './xml/text.js';
export { DEFAULT_XML_LIMITS, type XmlLimits } from './xml/limits.js';
export { XmlLimitError } from './xml/limit-error.js';
// YANG: modules compiled into a schema tree, data converted as RFC 7951 JSON (src/yang/)
export type { CompiledModule, Identity, Interval, IntegerKind, PatternRestriction, SchemaNode, SchemaNodeKind, TypeBase, YangSchema, YangType } from './yang/schema.js';
export { dataChildren, dataParent } from './yang/schema.js';
export type { SourceLocation, Statement } from './yang/statement.js';
export { YangDataError, YangError } from './yang/errors.js';
export { parseYang } from './yang/parser.js';
export { yangSourceFromText, yangSourcesFromDirectories, type YangSource } from './yang/sources.js';
export { compileYang, type CompileOptions } from './yang/compile.js';
export { parseFeatureSpec } from './yang/features.js';
export { leafValueFromXml, leafValueToXml, ValueError, type Declare, type JsonLeafValue, type NamespaceOf } from './yang/value.js';
export { xmlToJson, type JsonResult, type XmlToJsonOptions } from './yang/xml-to-json.js';
export { jsonToXml, jsonToXmlBytes, type JsonToXmlOptions } from './yang/json-to-xml.js';
export { generateTypeScript, type TypeScriptOptions } from './yang/typescript.js';
export { checkModuleText, defaultYangCacheDir, isCacheable, YangCache, YANG_CACHE_ENV, type YangCacheStats } from './yang/schema-cache.js';
export { loadDirectorySchema, type DeviceModules, type DiscoveredSchema, type SchemaDiscoveryOptions } from './operations/schema-discovery.js';
export { modulesFromCapabilities, parseModulesState, parseYangLibrary, type InventorySource, type ModuleEntry, type ModuleInventory, type SubmoduleEntry } from './operations/module-inventory.js';
export type { JsonInput, JsonObject } from './operations/json-config.js';
export type { LoadSchemaOptions } from './manager.js';
export type { ReplyJsonOptions } from './rpc/rpc-reply.js';
export { notificationJson, type NotificationJsonOptions } from './rpc/notification.js';
export { subtreeJson, type SubtreeJsonOptions } from './rpc/reply-stream.js';
