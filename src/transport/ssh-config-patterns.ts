/**
 * OpenSSH's host patterns (ssh_config(5), "PATTERNS"), as OpenSSH's match.c implements them:
 * `*` any run of characters, `?` exactly one character, no other special character; a pattern
 * list is comma-separated and a `!` in front of a pattern negates it.
 * @module
 */

/**
 * Whether `text` matches the single `pattern` (match.c `match_pattern`): case-sensitive, `*` and
 * `?` only, the whole string.
 */
export function matchPattern(text: string, pattern: string): boolean {
  // Iterative wildcard matching with one backtrack point (the last `*`): linear for any input,
  // unlike a translated RegExp.
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Match `text` against a comma-separated pattern list (match.c `match_pattern_list`): `1` when a
 * pattern matches and no negated one does, `-1` when a negated pattern matches, `0` otherwise.
 * With `lowerPatterns`, the patterns are lower-cased first (the text is taken as it is).
 */
export function matchPatternList(text: string, list: string, lowerPatterns: boolean): -1 | 0 | 1 {
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    let pattern = negated ? raw.slice(1) : raw;
    if (lowerPatterns) pattern = asciiLower(pattern);
    if (matchPattern(text, pattern)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** `matchPatternList` for a host name, case-insensitively (match.c `match_hostname`). */
export function matchHostname(host: string, list: string): -1 | 0 | 1 {
  return matchPatternList(asciiLower(host), list, true);
}

/** Lower-case ASCII letters only, like C's `tolower` in the C locale. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
