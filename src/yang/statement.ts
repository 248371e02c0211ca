/** Where a statement (or an error) is in a YANG source: 1-based line and column. */
export interface SourceLocation {
  /** The file the text came from (or a name such as `<get-schema ietf-ip@2014-06-16>`). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One YANG statement as written (RFC 7950 §6.3): the generic tree the parser produces and the
 * compiler reads. Nothing is resolved here: arguments are the unquoted, concatenated strings.
 */
export interface Statement {
  /** The keyword: `container`, `leaf` …, or `prefix:name` for an extension statement. */
  readonly keyword: string;
  /** The argument, when the statement has one (`undefined` for e.g. `input`). */
  readonly argument: string | undefined;
  /** The substatements, in order. */
  readonly substatements: readonly Statement[];
  /** Where the keyword starts. */
  readonly loc: SourceLocation;
}
