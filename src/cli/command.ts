/**
 * What a subcommand of `netconf` is: its name, help, options (in `node:util` `parseArgs` form
 * plus help text) and the function that runs it.
 * @module
 */
import type { Context } from './context.js';

/** One option: a `parseArgs` option plus what the help says. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder of the value in help (`FILE`, `SECONDS`). */
  value?: string;
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed option values, as `parseArgs` gives them. */
export type Values = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface Command {
  name: string;
  /** One line, for the command list. */
  summary: string;
  /** The arguments after the command name, for the usage line (`FILE|-`, `[NAME]`). */
  usage: string;
  /** Paragraphs for `netconf <command> --help`. */
  description: string;
  options: OptionSpecs;
  /** How many positional arguments the command takes (besides the HOST argument). */
  args: { min: number; max: number };
  /**
   * Whether a leading HOST argument may name the server (when the command is given one
   * argument more than `args.max`); default true. False for commands that do not connect.
   */
  hostArgument?: boolean;
  /**
   * Takes another command and its arguments (`netconf listen … get-config --source running`),
   * available as `ctx.subcommand`; `usage` and `args` are then about what precedes it.
   */
  subcommand?: boolean;
  /** Run; resolves to the exit status (0 when nothing else is said). */
  run(ctx: Context): Promise<number | void>;
}
