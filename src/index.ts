/**
 * netconf-client: a NETCONF (RFC 6241) client for Node.js.
 *
 * This entry point exports the transport and session layer, with the API of ncclient's
 * `ncclient.transport`: {@link Session}, {@link SessionListener}, {@link SSHSession}, the error
 * classes, capabilities and framing.
 * @packageDocumentation
 */
export { NCClientError } from './errors.js';
export {
  AuthenticationError,
  HelloError,
  MalformedMessageError,
  NetconfFramingError,
  SessionCloseError,
  SSHError,
  SSHUnknownHostError,
  TransportError,
  type HostKeyRejection,
} from './transport/errors.js';
export { BASE_1_0, BASE_1_1, Capabilities, DEFAULT_CLIENT_CAPABILITIES, parseCapability, type Capability } from './transport/capabilities.js';
export {
  DEFAULT_MAX_MESSAGE_SIZE,
  encodeMessage,
  EOM_DELIMITER,
  FrameDecoder,
  MAX_CHUNK_SIZE,
  type FrameDecoderOptions,
  type FramingMode,
  type MessageHandler,
} from './transport/framing.js';
export { buildHello, NETCONF_NS, parseHello, type Hello } from './transport/hello.js';
export { findRoot, type RootElement } from './transport/root-element.js';
export { Session, type SessionListener, type SessionOptions } from './transport/session.js';
export { StreamSession } from './transport/stream.js';
export { hostKeyInfo, md5Fingerprint, sha256Fingerprint, type HostKeyInfo } from './transport/host-key.js';
export { defaultKnownHostsFiles, KnownHosts, type HostKeyStatus, type KnownHostsWarning } from './transport/known-hosts.js';
export { defaultUnknownHostCb, NETCONF_SSH_PORT, SSHSession, sshNativeCryptoAvailable, type SSHConnectOptions, type UnknownHostCallback } from './transport/ssh.js';
