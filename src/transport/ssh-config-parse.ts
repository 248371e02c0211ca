/**
 * The syntax of an ssh_config file, read with the `ssh-config` package: each directive with its
 * keyword, its arguments as the package tokenises them (double quotes, `Key=value`, comments),
 * its line number and the raw rest of its line. What the directives mean is `ssh-config.ts`'s
 * business.
 *
 * Worked around in the package:
 * - `Match` lines are handed to it as `Host` lines: its own reading of the criteria fails on
 *   `!all`, `!final` and `!canonical` (it wants an argument after them), and we only need the
 *   words;
 * - a keyword without an argument makes it read on into the next line, or crash: reported as
 *   OpenSSH does, "no argument after keyword";
 * - its errors carry no line: the line is found again by parsing each line alone;
 * - it keeps no line numbers: they are counted from the white space it keeps around each node.
 * @module
 */
import { LineType, parse as parseConfig, type Line } from 'ssh-config';
import { SSHConfigError } from './ssh-config-error.js';

/** One directive of a config file. */
export interface ConfigDirective {
  /** The keyword in lower case (`hostname`). */
  keyword: string;
  /** The keyword as written. */
  name: string;
  /** The arguments (quotes removed). */
  args: string[];
  /**
   * The raw text after the keyword and its separator, trailing white space removed: what OpenSSH
   * takes for `ProxyCommand` and `ProxyJump`.
   */
  rest: string;
  /** 1-based line number. */
  line: number;
}

const MATCH_LINE = /^([ \t]*)match(?=[ \t=]|$)/i;

function newlines(text: string | undefined): number {
  let n = 0;
  if (text) for (const c of text) if (c === '\n') n++;
  return n;
}

/** The words of a directive's value as the package gives them. */
function argsOf(value: unknown, quoted: boolean | undefined): string[] {
  if (Array.isArray(value)) return value.map((v: { val: string }) => v.val);
  if (typeof value !== 'string') return [];
  if (quoted) return [value];
  return value.split(/[ \t]+/).filter((w) => w !== '');
}

function keywordOf(line: string): string {
  return line.trim().split(/[ \t=]/)[0] ?? '';
}

/** Which line of `text` the package fails on, with a message in OpenSSH's words. */
function locate(text: string, file: string, error: unknown): SSHConfigError {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(MATCH_LINE, '$1Host');
    try {
      parseConfig(line);
    } catch (e) {
      const message =
        e instanceof TypeError ? `no argument after keyword "${keywordOf(lines[i] as string).toLowerCase()}"` : `invalid quotes (${(e as Error).message})`;
      return new SSHConfigError(`${file} line ${i + 1}: ${message}`, { cause: e });
    }
  }
  return new SSHConfigError(`${file}: ${(error as Error).message}`, { cause: error });
}

/**
 * The directives of the config text `text` (read from `file`, for the messages), in order; a
 * `Host` or `Match` directive is followed by those of its block.
 * @throws - {@link SSHConfigError} for a syntax error (an unterminated quote, a keyword without
 *   an argument), naming the file and line.
 */
export function parseConfigText(text: string, file: string): ConfigDirective[] {
  const rawLines = text.split('\n');
  // the package drops a line that starts with `=` (no keyword), and the line count with it
  const noKeyword = rawLines.findIndex((line) => /^[ \t]*=/.test(line));
  if (noKeyword !== -1) throw new SSHConfigError(`${file} line ${noKeyword + 1}: no keyword before "="`);
  const matchLines = new Set<number>();
  const fedLines = rawLines.map((line, i) => {
    if (!MATCH_LINE.test(line)) return line;
    matchLines.add(i + 1);
    return line.replace(MATCH_LINE, '$1Host');
  });
  const fed = fedLines.join('\n');

  let tree: Line[];
  try {
    tree = parseConfig(fed);
  } catch (e) {
    throw locate(text, file, e);
  }

  const out: ConfigDirective[] = [];
  let lineNo = 1;
  const visit = (node: Line): void => {
    lineNo += newlines(node.before);
    const line = lineNo;
    if (node.type === LineType.DIRECTIVE) {
      const { param, separator } = node;
      lineNo += newlines(param) + newlines(separator);
      const raw = rawLines[line - 1] ?? '';
      if (/[\r\n]/.test(param) || /[\r\n]/.test(separator) || param === '') {
        // the package read on past the end of the line: the keyword had no argument
        throw new SSHConfigError(`${file} line ${line}: no argument after keyword "${keywordOf(raw).toLowerCase()}"`);
      }
      if (keywordOf(fedLines[line - 1] ?? '') !== param) {
        // never seen: the line count went wrong, and `rest` would come from another line
        throw new SSHConfigError(`${file} line ${line}: cannot read "${param}" here (the ssh-config package read the file differently)`);
      }
      const isMatch = matchLines.has(line) && /^host$/i.test(param);
      const afterKeyword = raw.replace(/^[ \t]*/, '').slice(param.length);
      const rest = afterKeyword.replace(/^[ \t\r=]+/, '').replace(/[ \t\r\n\f]+$/, '');
      out.push({
        keyword: isMatch ? 'match' : param.toLowerCase(),
        name: isMatch ? keywordOf(raw) : param,
        // a line whose value starts with `#` has no argument (the package keeps a first `#word`)
        args: rest.startsWith('#') ? [] : argsOf(node.value, node.quoted),
        rest,
        line,
      });
    }
    lineNo += newlines(node.after);
    if ('config' in node) for (const child of node.config) visit(child);
  };
  for (const node of tree) visit(node);
  return out;
}
