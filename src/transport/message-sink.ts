/**
 * Takes one message as it streams in: `data` with each piece of its bytes in order (views on the
 * transport's buffers, valid during the call unless the sink keeps them), then `end` when the
 * message is complete, or `error` if the session fails before it is.
 *
 * The one interface between the stages of the receive path: the {@link FrameDecoder} feeds the
 * {@link MessageReader} through it (and never calls `error`: it throws instead), and the reader
 * feeds a message claimed by a {@link MessageRouter} (a streamed reply) through it.
 */
export interface MessageSink {
  data(piece: Buffer): void;
  end(): void;
  error(error: Error): void;
}
