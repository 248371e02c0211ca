/**
 * Progress of long transfers, on stderr.
 *
 * The counter is the session's `bytesReceived` (`Session.bytesReceived`): the NETCONF bytes
 * received, after SSH decryption, framing included (so a little more than the XML of the
 * replies), whether the connection is direct, through jump hosts or through a proxy command.
 *
 * - `auto` (default): on a terminal, an RPC that takes more than {@link DELAY_MS} shows a live
 *   line `⠹ get-config: 12.4 MiB received, 3.1 MiB/s, 4.0 s`, replaced when the reply is in by a
 *   summary `get-config: 12.4 MiB received in 4.0 s (3.1 MiB/s), reply 11.9 MiB` when it took at
 *   least a second. Nothing at all when stderr is not a terminal.
 * - `on` (`--progress`): the same; without a terminal only the summary line, printed for every
 *   RPC, whatever it took.
 * - `off` (`--no-progress`, `--quiet`): nothing.
 * @module
 */

export type ProgressMode = 'auto' | 'on' | 'off';

/** Milliseconds before the live line appears (short RPCs show nothing). */
export const DELAY_MS = 300;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** `1.2 MiB`, `850 KiB`, `12 B`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

function formatRate(bytes: number, ms: number): string {
  return ms <= 0 ? '-' : `${formatBytes(Math.round((bytes * 1000) / ms))}/s`;
}

/** The part of a `WriteStream` progress needs (stderr). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export class Progress {
  readonly #stream: ProgressStream;
  readonly #mode: ProgressMode;
  #bytesReceived: () => number = () => 0;

  constructor(stream: ProgressStream, mode: ProgressMode) {
    this.#stream = stream;
    this.#mode = mode;
  }

  /** Where to read the received-bytes counter (set once connected). */
  setCounter(bytesReceived: () => number): void {
    this.#bytesReceived = bytesReceived;
  }

  get #live(): boolean {
    return this.#mode !== 'off' && this.#stream.isTTY === true;
  }

  /**
   * Run `work` (an RPC), showing progress while it runs and a summary when it is done.
   * @param size - the size of the result, for the summary (e.g. the reply's length)
   * @param live - false: no live line (the caller reports steps with {@link step}), summary only
   */
  async track<T>(label: string, work: Promise<T>, size?: (result: T) => number, live = true): Promise<T> {
    if (this.#mode === 'off') return work;
    const start = Date.now();
    const base = this.#bytesReceived();
    let frame = 0;
    let shown = false;
    const draw = (): void => {
      const ms = Date.now() - start;
      const bytes = this.#bytesReceived() - base;
      shown = true;
      this.#stream.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${label}: ${formatBytes(bytes)} received, ${formatRate(bytes, ms)}, ${(ms / 1000).toFixed(1)} s`);
    };
    let timer: NodeJS.Timeout | undefined;
    const delay = this.#live && live ? setTimeout(() => {
      draw();
      timer = setInterval(draw, 200);
    }, DELAY_MS) : undefined;
    try {
      const result = await work;
      const ms = Date.now() - start;
      if (shown) this.#stream.write('\r\x1b[K');
      if (this.#mode === 'on' || (this.#live && ms >= 1000)) {
        const bytes = this.#bytesReceived() - base;
        const reply = size ? `, reply ${formatBytes(size(result))}` : '';
        this.#stream.write(`${label}: ${formatBytes(bytes)} received in ${(ms / 1000).toFixed(1)} s (${formatRate(bytes, ms)})${reply}\n`);
      }
      return result;
    } catch (err) {
      if (shown) this.#stream.write('\r\x1b[K');
      throw err;
    } finally {
      clearTimeout(delay);
      clearInterval(timer);
    }
  }

  /** A counter line for multi-step work (`get-schema --all`): `label 3/40, 120 KiB received`, live terminals only. */
  step(label: string, done: number, total: number): void {
    if (!this.#live) return;
    this.#stream.write(`\r\x1b[K${label} ${done}/${total}, ${formatBytes(this.#bytesReceived())} received`);
    if (done === total) this.#stream.write('\r\x1b[K');
  }
}
