/**
 * XML 1.0 (5th edition) character classes beyond ASCII, shared by the string and the byte
 * tokenizer. Only the rare paths (non-ASCII names, character references) call these; the ASCII
 * tables and character-code constants stay in each tokenizer, next to the loops that read them.
 */

/** `NameStartChar` (XML 1.0 §2.3 [4]) for a code point >= 0x80. */
export function isWideNameStart(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0xeffff)
  );
}

/** `NameChar` (XML 1.0 §2.3 [4a]) for a code point >= 0x80. */
export function isWideNameChar(c: number): boolean {
  return isWideNameStart(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** `Char` (XML 1.0 §2.2 [2]): what a document, and a character reference, may contain. */
export function isXmlChar(c: number): boolean {
  return (c >= 0x20 && c <= 0xd7ff) || c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}
