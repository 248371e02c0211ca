/**
 * `netconfkit/internals`: the pieces the library is built from, for tools that build on them
 * (a server of your own, a custom transport, tests). No stability promise: these may change in
 * any minor version. Everything a client needs is in the main entry point.
 * @packageDocumentation
 * @module netconfkit/internals
 */
export {
  encodeMessage,
  EOM_DELIMITER,
  FrameDecoder,
  MAX_CHUNK_SIZE,
  type FrameDecoderOptions,
  type FrameSink,
  type MessageHandler,
} from './transport/framing.js';
export type { MessageSink } from './transport/message-sink.js';
export type { ScanResult } from './transport/message-scan.js';
export { MessageReader, type MessageReaderOptions, type MessageRouter } from './transport/message-reader.js';
export { buildHello, parseHello, type Hello } from './transport/hello.js';
export { RPCDispatcher, NOTIFICATION_TAG, type DispatcherOptions } from './rpc/dispatcher.js';
export type { FlowControl } from './rpc/reply-stream.js';
export { parseRpcError, parseRpcErrors } from './rpc/rpc-error.js';
export { findRoot } from './xml/root-element.js';
export { XmlStreamParser, type XmlStreamParserOptions } from './xml/stream-parser.js';
