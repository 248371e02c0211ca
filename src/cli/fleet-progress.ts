/**
 * The live line of `netconf fleet` on a terminal (devices done/failed, in flight, rate, ETA) and
 * its summary line.
 * @module
 */
import type { FleetProgress } from '../fleet/index.js';
import type { ProgressStream } from './progress.js';

/** Milliseconds between redraws of the live line. */
const REDRAW_MS = 200;

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** `120/500 done (3 failed), 100 in flight, 85.3 devices/s, ETA 4 s`. */
export function progressText(p: FleetProgress): string {
  const total = p.totalKnown ? String(p.total) : `${p.total}+`;
  const eta = p.totalKnown && p.rate > 0 && p.done < p.total ? `, ETA ${seconds(((p.total - p.done) / p.rate) * 1000)}` : '';
  return `${p.done}/${total} done (${p.failed} failed), ${p.inFlight} in flight, ${p.rate.toFixed(1)} devices/s${eta}`;
}

/** Draws the live line on a terminal (nothing otherwise); `end()` erases it. */
export class FleetProgressLine {
  readonly #stream: ProgressStream;
  readonly #live: boolean;
  #last = 0;
  #shown = false;

  constructor(stream: ProgressStream, enabled: boolean) {
    this.#stream = stream;
    this.#live = enabled && stream.isTTY === true;
  }

  /** A progress report: redrawn at most every 200 ms. */
  update(p: FleetProgress): void {
    if (!this.#live) return;
    const now = Date.now();
    if (now - this.#last < REDRAW_MS && p.done < p.total) return;
    this.#last = now;
    this.#shown = true;
    this.#stream.write(`\r\x1b[Kfleet: ${progressText(p)}`);
  }

  /** Erase the line (before other output on stderr, and at the end). */
  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
