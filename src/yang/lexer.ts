/**
 * The YANG tokenizer (RFC 7950 §6.1): turns a module's text into keywords/arguments and the three
 * punctuation tokens, with 1-based line/column positions. Quoted strings are unquoted here
 * (escapes, the indentation trimming of multi-line double-quoted strings, `+` concatenation), so
 * the parser only sees finished argument strings.
 */
import { YangError } from './errors.js';
import type { SourceLocation } from './statement.js';

/** A token: a string (keyword or argument) or one of `{`, `}`, `;`. */
export interface YangToken {
  readonly kind: 'string' | '{' | '}' | ';' | 'eof';
  /** The string's value (unquoted, concatenated); empty for punctuation. */
  readonly text: string;
  /** Whether the string was (at least partly) quoted: a quoted string is never a keyword. */
  readonly quoted: boolean;
  readonly loc: SourceLocation;
}

/** Width of a tab when measuring the indentation of a double-quoted string (RFC 7950 §6.1.3). */
const TAB_WIDTH = 8;

/**
 * A pull tokenizer over one YANG text. `next()` returns the following token; at the end it keeps
 * returning an `eof` token.
 */
export class YangLexer {
  private pos = 0;
  private line = 1;
  /** Offset of the first character of the current line, to compute columns. */
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    // A UTF-8 byte order mark is not part of the module.
    if (text.charCodeAt(0) === 0xfeff) this.pos = this.lineStart = 1;
  }

  /** Where the character at the current position is. */
  private here(): SourceLocation {
    return { file: this.file, line: this.line, column: this.pos - this.lineStart + 1 };
  }

  private fail(message: string, loc: SourceLocation = this.here()): never {
    throw new YangError(message, loc);
  }

  /** Advances over one character, counting lines. */
  private advance(): void {
    if (this.text.charCodeAt(this.pos) === 10) {
      this.line++;
      this.lineStart = this.pos + 1;
    }
    this.pos++;
  }

  /** Skips whitespace and comments. */
  private skipSeparators(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13 || c === 10) {
        this.advance();
      } else if (c === 47 /* / */ && t.charCodeAt(this.pos + 1) === 47) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 10) this.pos++;
      } else if (c === 47 && t.charCodeAt(this.pos + 1) === 42 /* * */) {
        const start = this.here();
        this.pos += 2;
        for (;;) {
          if (this.pos >= t.length) this.fail('unterminated comment', start);
          if (t.charCodeAt(this.pos) === 42 && t.charCodeAt(this.pos + 1) === 47) {
            this.pos += 2;
            break;
          }
          this.advance();
        }
      } else {
        return;
      }
    }
  }

  /** The next token. */
  next(): YangToken {
    this.skipSeparators();
    const loc = this.here();
    const t = this.text;
    if (this.pos >= t.length) return { kind: 'eof', text: '', quoted: false, loc};
    const c = t[this.pos];
    if (c === '{' || c === '}' || c === ';') {
      this.pos++;
      return { kind: c, text: '', quoted: false, loc};
    }
    if (c === '"' || c === "'") return this.quoted(loc);
    return { kind: 'string', text: this.unquoted(), quoted: false, loc};
  }

  /** An unquoted string: up to whitespace, a quote, `;`, `{`, `}` or a comment sequence. */
  private unquoted(): string {
    const t = this.text;
    const start = this.pos;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (this.pos >= t.length || c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 123 || c === 125) break;
      if (c === 34 || c === 39) this.fail('a quote inside an unquoted string');
      if (c === 47 && (t.charCodeAt(this.pos + 1) === 47 || t.charCodeAt(this.pos + 1) === 42)) break;
      if (c === 42 && t.charCodeAt(this.pos + 1) === 47) this.fail('"*/" inside an unquoted string');
      this.pos++;
    }
    return t.slice(start, this.pos);
  }

  /** One or more quoted strings joined by `+`. */
  private quoted(loc: SourceLocation): YangToken {
    let text = '';
    for (;;) {
      text += this.text[this.pos] === '"' ? this.doubleQuoted() : this.singleQuoted();
      // Look past separators for `+` followed by another quoted string; otherwise stay put.
      const save = { pos: this.pos, line: this.line, lineStart: this.lineStart };
      this.skipSeparators();
      if (this.text[this.pos] === '+') {
        const plus = this.here();
        this.pos++;
        this.skipSeparators();
        const q = this.text[this.pos];
        if (q === '"' || q === "'") continue;
        // `"a" +b` or `"a" + ;`: a `+` that does not join two quoted strings.
        this.fail('"+" must be followed by a quoted string', plus);
      }
      this.pos = save.pos;
      this.line = save.line;
      this.lineStart = save.lineStart;
      return { kind: 'string', text, quoted: true, loc };
    }
  }

  private singleQuoted(): string {
    const start = this.here();
    this.pos++;
    const from = this.pos;
    const end = this.text.indexOf("'", from);
    if (end === -1) this.fail('unterminated single-quoted string', start);
    for (let nl = this.text.indexOf('\n', from); nl !== -1 && nl < end; nl = this.text.indexOf('\n', nl + 1)) {
      this.line++;
      this.lineStart = nl + 1;
    }
    this.pos = end + 1;
    return this.text.slice(from, end);
  }

  /**
   * A double-quoted string (RFC 7950 §6.1.3): escapes `\n \t \" \\` (any other is an error); whitespace before a line
   * break removed; on each following line, the indentation removed up to and including the
   * column of the opening quote (tabs counting 8 columns).
   */
  private doubleQuoted(): string {
    const t = this.text;
    const start = this.here();
    // Columns to strip on continuation lines: the quote's column, counted from 0, plus one.
    const indent = this.columnsOf(this.lineStart, this.pos) + 1;
    this.pos++;
    let out = '';
    // Whitespace written as an escape (`\t`) is text, not trailing layout: never trimmed.
    let keep = 0;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated double-quoted string', start);
      const c = t[this.pos]!;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') {
        const e = t[this.pos + 1];
        if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else if (e === '"') out += '"';
        else if (e === '\\') out += '\\';
        // RFC 7950 §6.1.3 allows no other escape; libyang refuses them in YANG 1.0 modules too.
        else this.fail(`invalid escape sequence "\\${e ?? ''}" in a double-quoted string`);
        this.pos += 2;
        keep = out.length;
        continue;
      }
      if (c === '\n' || (c === '\r' && t[this.pos + 1] === '\n')) {
        // Trailing spaces and tabs before a real line break are not part of the string.
        let end = out.length;
        while (end > keep && (out[end - 1] === ' ' || out[end - 1] === '\t')) end--;
        if (end < out.length) out = out.slice(0, end);
        if (c === '\r') this.pos++;
        this.advance();
        out += '\n' + ' '.repeat(this.skipIndentation(indent));
        continue;
      }
      // A run of ordinary characters, appended at once (character-wise appends dominate the
      // parse time of description-heavy modules).
      let end = this.pos + 1;
      for (;;) {
        const d = t.charCodeAt(end);
        if (d === 34 || d === 92 || d === 10 || d === 13 || end >= t.length) break;
        end++;
      }
      out += t.slice(this.pos, end);
      this.pos = end;
    }
  }

  /**
   * Skips at most `indent` columns of leading whitespace on a continuation line. Returns the
   * number of spaces that remain of a tab straddling the indentation column (they stay in the text).
   */
  private skipIndentation(indent: number): number {
    const t = this.text;
    let col = 0;
    while (col < indent) {
      const c = t[this.pos];
      if (c === ' ') {
        col++;
        this.pos++;
      } else if (c === '\t') {
        const width = TAB_WIDTH - (col % TAB_WIDTH);
        if (col + width > indent) {
          // A tab reaching past the indentation: the columns beyond it stay, as spaces.
          this.pos++;
          return col + width - indent;
        }
        col += width;
        this.pos++;
      } else {
        return 0;
      }
    }
    return 0;
  }

  /** Display columns between two offsets of the same line (tabs to the next multiple of 8). */
  private columnsOf(from: number, to: number): number {
    let col = 0;
    for (let i = from; i < to; i++) col = this.text.charCodeAt(i) === 9 ? col + TAB_WIDTH - (col % TAB_WIDTH) : col + 1;
    return col;
  }
}

