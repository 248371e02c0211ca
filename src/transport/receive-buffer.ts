/** Capacity of the contiguous buffer when a message first spans two pieces. */
const FIRST_CAPACITY = 256 * 1024;
/** How much the capacity grows when a message outgrows it. */
const GROWTH = 8;
/**
 * How long a large buffer kept for the next message (recycled, or kept after copying a small
 * message out of it) is held before it is let go: long enough for back-to-back large replies to
 * reuse mapped memory, short enough that an idle session does not hold a large reply's worth of
 * memory (a thousand sessions that each fetched 100 MB must not keep 100 GB).
 */
export const KEEP_LARGE_BUFFER_MS = 2000;
/** Largest capacity grown to in one step (a message never exceeds the framing's maximum size). */
const MAX_STEP = 1024 * 1024 * 1024;

/**
 * Where the bytes of the message being received are gathered: each piece is copied into one
 * contiguous buffer as it arrives, so the transport's read buffers are released at once (and
 * reused by the allocator) instead of being held until the message ends, and the finished
 * message is one Buffer, never joined afterwards.
 *
 * A message that arrives in one piece is not copied at all. Capacity is reserved with
 * `Buffer.allocUnsafeSlow` (untouched memory is not resident), grown eightfold at a time (a
 * 100 MB message is copied about 1.2 times in all, not twice), and a session that received a
 * large message starts the next large one at that capacity: repeated large replies are never
 * re-grown.
 */
export class ReceiveBuffer {
  /** The message so far when it is a single piece (kept as it arrived); then `#buffer` holds none of it. */
  #first: Buffer | undefined;
  /** Contiguous storage: holds the message once it spans two pieces; may be kept for the next one. */
  #buffer: Buffer | undefined;
  #size = 0;
  #hint = FIRST_CAPACITY;
  #release: ReturnType<typeof setTimeout> | undefined;
  readonly #keepMs: number;

  /** @param keepMs - how long a large spare buffer is kept (default {@link KEEP_LARGE_BUFFER_MS}) */
  constructor(keepMs = KEEP_LARGE_BUFFER_MS) {
    this.#keepMs = keepMs;
  }

  /** Bytes gathered so far. */
  get size(): number {
    return this.#size;
  }

  /** Add a piece of the message. The piece may be kept as it is (when it is the first one). */
  append(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.#size === 0) {
      this.#first = piece;
      this.#size = piece.length;
      return;
    }
    const needed = this.#size + piece.length;
    let buffer = this.#buffer;
    const first = this.#first;
    if (buffer === undefined || needed > buffer.length) {
      const capacity = buffer === undefined ? Math.max(FIRST_CAPACITY, needed) : Math.max(needed, this.#hint, Math.min(buffer.length * GROWTH, MAX_STEP));
      const grown = Buffer.allocUnsafeSlow(capacity);
      if (first === undefined) (buffer as Buffer).copy(grown, 0, 0, this.#size);
      this.#buffer = buffer = grown;
    }
    if (first !== undefined) {
      first.copy(buffer, 0);
      this.#first = undefined;
    }
    piece.copy(buffer, this.#size);
    this.#size = needed;
  }

  /** The bytes gathered so far, as a view (valid until the next {@link append}, {@link take} or {@link reset}). */
  view(): Buffer {
    if (this.#first !== undefined) return this.#first;
    return this.#buffer === undefined ? Buffer.alloc(0) : this.#buffer.subarray(0, this.#size);
  }

  /**
   * End the message: its bytes, owned by the caller from now on (nothing here refers to them any
   * more); the buffer is empty for the next message.
   */
  take(): Buffer {
    const bytes = this.view();
    const buffer = this.#buffer;
    const inBuffer = this.#first === undefined && this.#size > 0;
    this.#first = undefined;
    this.#size = 0;
    if (!inBuffer || buffer === undefined) return bytes;
    if (buffer.length > FIRST_CAPACITY) this.#hint = buffer.length;
    // A message filling less than half of the buffer is copied out and the buffer kept for the
    // next message: a small message must not pin a large, mostly unused reservation.
    if (buffer.length - bytes.length > bytes.length) {
      this.#keepForAWhile();
      return Buffer.from(bytes);
    }
    this.#buffer = undefined;
    return bytes;
  }

  /**
   * Give back the storage of a message returned by {@link take} that nobody refers to any more
   * (its text was decoded and its bytes never handed out), to receive the next message into
   * memory that is already mapped. Kept only when nothing is held at the moment.
   */
  recycle(bytes: Buffer): void {
    if (this.#buffer !== undefined || bytes.byteOffset !== 0 || bytes.buffer.byteLength <= FIRST_CAPACITY) return;
    this.#buffer = Buffer.from(bytes.buffer);
    this.#keepForAWhile();
  }

  /** Whether storage is held for the next message (none while a message is being gathered in it). */
  get holdsSpare(): boolean {
    return this.#buffer !== undefined && (this.#size === 0 || this.#first !== undefined);
  }

  /** Let a large spare buffer go after {@link KEEP_LARGE_BUFFER_MS} unless a message is using it then. */
  #keepForAWhile(): void {
    if ((this.#buffer?.length ?? 0) <= FIRST_CAPACITY) return;
    clearTimeout(this.#release);
    this.#release = setTimeout(() => {
      this.#release = undefined;
      if (this.holdsSpare) this.#buffer = undefined;
    }, this.#keepMs);
    this.#release.unref();
  }

  /** Drop what was gathered (and the storage). */
  reset(): void {
    clearTimeout(this.#release);
    this.#release = undefined;
    this.#first = undefined;
    this.#buffer = undefined;
    this.#size = 0;
  }
}
