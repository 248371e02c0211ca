/**
 * Messages on stderr, each prefixed `netconf: `: information (silenced by `--quiet`), warnings
 * and errors (always), debug traces (only with `--debug`).
 * @module
 */

export interface LoggerOptions {
  quiet?: boolean;
  debug?: boolean;
}

export class Logger {
  readonly #write: (text: string) => void;
  readonly quiet: boolean;
  readonly debugging: boolean;

  constructor(write: (text: string) => void, options: LoggerOptions = {}) {
    this.#write = write;
    this.quiet = options.quiet === true;
    this.debugging = options.debug === true;
  }

  /** Progress of the run (`subscribed …`, `locked …`); not shown with `--quiet`. */
  info(message: string): void {
    if (!this.quiet) this.#line(message);
  }

  /** What the output is about (`netconf listen`: which device); shown even with `--quiet`. */
  notice(message: string): void {
    this.#line(message);
  }

  warn(message: string): void {
    this.#line(message);
  }

  error(message: string): void {
    this.#line(message);
  }

  debug(message: string): void {
    if (this.debugging) this.#line(`debug: ${message}`);
  }

  #line(message: string): void {
    this.#write(`netconf: ${message.endsWith('\n') ? message : `${message}\n`}`);
  }
}
