import { YangError } from './errors.js';

/**
 * XSD regular expressions (XML Schema 1.0 part 2, appendix F), the dialect of YANG's `pattern`
 * statement (RFC 7950 §9.4.5), translated into JavaScript regular expressions.
 *
 * The differences that matter, and how they are bridged:
 * - An XSD regex always matches the whole value: the result is wrapped in `^(?:…)$`, and `^`
 *   and `$` written in the pattern are ordinary characters (they are escaped).
 * - `.` matches any character except `\n` and `\r`.
 * - Character class subtraction `[a-z-[aeiou]]` has no `u`-flag equivalent: it becomes a
 *   negative lookahead in front of the base class, `(?![aeiou])[a-z]`, which matches the same
 *   single code point.
 * - `\s \w \d \i \c` (and complements) have XSD meanings, not JavaScript ones: they are spelled
 *   out as explicit classes or Unicode properties.
 * - `\p{IsBlock}` names a Unicode block, which JavaScript cannot express: the common blocks of
 *   XSD 1.0 are mapped to their code point ranges, an unknown one is an error.
 * - Back-references, lookarounds, lazy quantifiers, anchors, groups with `(?` … do not exist in
 *   XSD and are refused rather than passed through.
 *
 * Translations are cached: many leaves share a few typedefs, and the compiler calls this for
 * every `pattern` of every type it resolves.
 */

/** A set of code points as sorted, non-overlapping inclusive ranges. */
type Ranges = ReadonlyArray<readonly [number, number]>;

/**
 * A character class being translated. JavaScript `u`-mode classes can express unions of ranges
 * and Unicode properties (`pos`, the inside of `[…]`), but not the complement of a property inside
 * a union (XSD `\w` is "not punctuation, separator or other"). Such items are kept aside as the
 * inside of a negated class each (`negs`), and the whole is emitted as an alternation.
 */
interface ClassParts {
  pos: string;
  negs: string[];
}

const MAX_CODE_POINT = 0x10ffff;

/**
 * Unicode blocks usable as `\p{IsName}`: those of XML Schema 1.0 part 2 §F.1.1 (Unicode 3.1),
 * plus the few later names libyang accepts. An unknown block is an error rather than a silently
 * wrong match.
 */
const BLOCKS: ReadonlyMap<string, Ranges> = new Map<string, Ranges>([
  ['BasicLatin', [[0x0000, 0x007f]]],
  ['Latin-1Supplement', [[0x0080, 0x00ff]]],
  ['LatinExtended-A', [[0x0100, 0x017f]]],
  ['LatinExtended-B', [[0x0180, 0x024f]]],
  ['IPAExtensions', [[0x0250, 0x02af]]],
  ['SpacingModifierLetters', [[0x02b0, 0x02ff]]],
  ['CombiningDiacriticalMarks', [[0x0300, 0x036f]]],
  ['Greek', [[0x0370, 0x03ff]]],
  ['Cyrillic', [[0x0400, 0x04ff]]],
  ['Armenian', [[0x0530, 0x058f]]],
  ['Hebrew', [[0x0590, 0x05ff]]],
  ['Arabic', [[0x0600, 0x06ff]]],
  ['Syriac', [[0x0700, 0x074f]]],
  ['Thaana', [[0x0780, 0x07bf]]],
  ['Devanagari', [[0x0900, 0x097f]]],
  ['Bengali', [[0x0980, 0x09ff]]],
  ['Gurmukhi', [[0x0a00, 0x0a7f]]],
  ['Gujarati', [[0x0a80, 0x0aff]]],
  ['Oriya', [[0x0b00, 0x0b7f]]],
  ['Tamil', [[0x0b80, 0x0bff]]],
  ['Telugu', [[0x0c00, 0x0c7f]]],
  ['Kannada', [[0x0c80, 0x0cff]]],
  ['Malayalam', [[0x0d00, 0x0d7f]]],
  ['Sinhala', [[0x0d80, 0x0dff]]],
  ['Thai', [[0x0e00, 0x0e7f]]],
  ['Lao', [[0x0e80, 0x0eff]]],
  ['Tibetan', [[0x0f00, 0x0fff]]],
  ['Myanmar', [[0x1000, 0x109f]]],
  ['Georgian', [[0x10a0, 0x10ff]]],
  ['HangulJamo', [[0x1100, 0x11ff]]],
  ['Ethiopic', [[0x1200, 0x137f]]],
  ['Cherokee', [[0x13a0, 0x13ff]]],
  ['UnifiedCanadianAboriginalSyllabics', [[0x1400, 0x167f]]],
  ['Ogham', [[0x1680, 0x169f]]],
  ['Runic', [[0x16a0, 0x16ff]]],
  ['Khmer', [[0x1780, 0x17ff]]],
  ['Mongolian', [[0x1800, 0x18af]]],
  ['LatinExtendedAdditional', [[0x1e00, 0x1eff]]],
  ['GreekExtended', [[0x1f00, 0x1fff]]],
  ['GeneralPunctuation', [[0x2000, 0x206f]]],
  ['SuperscriptsandSubscripts', [[0x2070, 0x209f]]],
  ['CurrencySymbols', [[0x20a0, 0x20cf]]],
  ['CombiningMarksforSymbols', [[0x20d0, 0x20ff]]],
  ['LetterlikeSymbols', [[0x2100, 0x214f]]],
  ['NumberForms', [[0x2150, 0x218f]]],
  ['Arrows', [[0x2190, 0x21ff]]],
  ['MathematicalOperators', [[0x2200, 0x22ff]]],
  ['MiscellaneousTechnical', [[0x2300, 0x23ff]]],
  ['ControlPictures', [[0x2400, 0x243f]]],
  ['OpticalCharacterRecognition', [[0x2440, 0x245f]]],
  ['EnclosedAlphanumerics', [[0x2460, 0x24ff]]],
  ['BoxDrawing', [[0x2500, 0x257f]]],
  ['BlockElements', [[0x2580, 0x259f]]],
  ['GeometricShapes', [[0x25a0, 0x25ff]]],
  ['MiscellaneousSymbols', [[0x2600, 0x26ff]]],
  ['Dingbats', [[0x2700, 0x27bf]]],
  ['BraillePatterns', [[0x2800, 0x28ff]]],
  ['CJKRadicalsSupplement', [[0x2e80, 0x2eff]]],
  ['KangxiRadicals', [[0x2f00, 0x2fdf]]],
  ['IdeographicDescriptionCharacters', [[0x2ff0, 0x2fff]]],
  ['CJKSymbolsandPunctuation', [[0x3000, 0x303f]]],
  ['Hiragana', [[0x3040, 0x309f]]],
  ['Katakana', [[0x30a0, 0x30ff]]],
  ['Bopomofo', [[0x3100, 0x312f]]],
  ['HangulCompatibilityJamo', [[0x3130, 0x318f]]],
  ['Kanbun', [[0x3190, 0x319f]]],
  ['BopomofoExtended', [[0x31a0, 0x31bf]]],
  ['EnclosedCJKLettersandMonths', [[0x3200, 0x32ff]]],
  ['CJKCompatibility', [[0x3300, 0x33ff]]],
  ['CJKUnifiedIdeographsExtensionA', [[0x3400, 0x4db5]]],
  ['CJKUnifiedIdeographs', [[0x4e00, 0x9fff]]],
  ['YiSyllables', [[0xa000, 0xa48f]]],
  ['YiRadicals', [[0xa490, 0xa4cf]]],
  ['HangulSyllables', [[0xac00, 0xd7a3]]],
  ['HighSurrogates', [[0xd800, 0xdb7f]]],
  ['HighPrivateUseSurrogates', [[0xdb80, 0xdbff]]],
  ['LowSurrogates', [[0xdc00, 0xdfff]]],
  ['PrivateUse', [[0xe000, 0xf8ff], [0xf0000, 0xffffd], [0x100000, 0x10fffd]]],
  ['CJKCompatibilityIdeographs', [[0xf900, 0xfaff]]],
  ['AlphabeticPresentationForms', [[0xfb00, 0xfb4f]]],
  ['ArabicPresentationForms-A', [[0xfb50, 0xfdff]]],
  ['CombiningHalfMarks', [[0xfe20, 0xfe2f]]],
  ['CJKCompatibilityForms', [[0xfe30, 0xfe4f]]],
  ['SmallFormVariants', [[0xfe50, 0xfe6f]]],
  ['ArabicPresentationForms-B', [[0xfe70, 0xfefe]]],
  ['Specials', [[0xfeff, 0xfeff], [0xfff0, 0xfffd]]],
  ['HalfwidthandFullwidthForms', [[0xff00, 0xffef]]],
  ['OldItalic', [[0x10300, 0x1032f]]],
  ['Gothic', [[0x10330, 0x1034f]]],
  ['Deseret', [[0x10400, 0x1044f]]],
  ['ByzantineMusicalSymbols', [[0x1d000, 0x1d0ff]]],
  ['MusicalSymbols', [[0x1d100, 0x1d1ff]]],
  ['MathematicalAlphanumericSymbols', [[0x1d400, 0x1d7ff]]],
  ['CJKUnifiedIdeographsExtensionB', [[0x20000, 0x2a6d6]]],
  ['CJKCompatibilityIdeographsSupplement', [[0x2f800, 0x2fa1f]]],
  ['Tags', [[0xe0000, 0xe007f]]],
  // Names of later Unicode versions that libyang 2.1.30 also accepts (so modules using them
  // compile there); the other post-3.1 names it refuses too.
  ['GreekandCoptic', [[0x0370, 0x03ff]]],
  ['CyrillicSupplement', [[0x0500, 0x052f]]],
  ['CyrillicSupplementary', [[0x0500, 0x052f]]],
  ['ArabicSupplement', [[0x0750, 0x077f]]],
  ['EthiopicSupplement', [[0x1380, 0x139f]]],
  ['KhmerSymbols', [[0x19e0, 0x19ff]]],
  ['CombiningDiacriticalMarksSupplement', [[0x1dc0, 0x1dff]]],
  ['CombiningDiacriticalMarksforSymbols', [[0x20d0, 0x20ff]]],
  ['MiscellaneousSymbolsandArrows', [[0x2b00, 0x2bff]]],
  ['GeorgianSupplement', [[0x2d00, 0x2d2f]]],
  ['EthiopicExtended', [[0x2d80, 0x2ddf]]],
  ['CyrillicExtended-A', [[0x2de0, 0x2dff]]],
  ['KatakanaPhoneticExtensions', [[0x31f0, 0x31ff]]],
  ['PrivateUseArea', [[0xe000, 0xf8ff]]],
]);

/** Unicode general categories XSD allows in `\p{…}` (and JavaScript understands as `\p{…}`). */
const CATEGORIES = new Set([
  'L', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo',
  'M', 'Mn', 'Mc', 'Me',
  'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po',
  'Z', 'Zs', 'Zl', 'Zp',
  'S', 'Sm', 'Sc', 'Sk', 'So',
  'C', 'Cc', 'Cf', 'Co', 'Cn', 'Cs',
]);

/**
 * XML name characters for `\i` (initial) and `\c` (any). XSD 1.0 points at the XML 1.0 name
 * productions; the compact ranges of XML 1.0 fifth edition are used (the older letter tables
 * differ only on rarely used characters).
 */
const NAME_START: Ranges = [
  [0x3a, 0x3a], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a], [0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x2ff],
  [0x370, 0x37d], [0x37f, 0x1fff], [0x200c, 0x200d], [0x2070, 0x218f], [0x2c00, 0x2fef], [0x3001, 0xd7ff],
  [0xf900, 0xfdcf], [0xfdf0, 0xfffd], [0x10000, 0xeffff],
];
const NAME_CHAR: Ranges = normalise([
  ...NAME_START, [0x2d, 0x2e], [0x30, 0x39], [0xb7, 0xb7], [0x300, 0x36f], [0x203f, 0x2040],
]);
/** XSD `\s`: space, tab, newline, carriage return (JavaScript's `\s` is much wider). */
const SPACE: Ranges = [[0x09, 0x0a], [0x0d, 0x0d], [0x20, 0x20]];
/** What `.` does not match. */
const LINE_ENDS = '\\n\\r';
/** XSD `\w` is everything except punctuation, separators and "other"; `\W` is those. */
const NON_WORD = '\\p{P}\\p{Z}\\p{C}';

/** Sorts and merges ranges. */
function normalise(ranges: Array<readonly [number, number]>): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The complement of normalised ranges within all code points. */
function complement(ranges: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** A code point written for the inside of a JavaScript `u`-mode class (always escaped: safe anywhere). */
function classChar(cp: number): string {
  // ASCII letters and digits as themselves, for readable sources; everything else escaped.
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return String.fromCharCode(cp);
  return `\\u{${cp.toString(16)}}`;
}

/** Ranges as the inside of a JavaScript class. */
function rangesSource(ranges: Ranges): string {
  let s = '';
  for (const [lo, hi] of ranges) s += lo === hi ? classChar(lo) : `${classChar(lo)}-${classChar(hi)}`;
  return s;
}

/** Characters that must be escaped to be literal outside a class in `u` mode. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

/** A literal code point outside a class. */
function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX.has(ch)) return `\\${ch}`;
  // Control characters, separators and lone surrogates are written as escapes so that the
  // source stays printable and a lone surrogate cannot pair up with a neighbour.
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029) return classChar(cp);
  return ch;
}

/** XSD single-character escapes (`\n`, `\|` …) and the code point each stands for. */
const SINGLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['n', 0x0a], ['r', 0x0d], ['t', 0x09],
  ...'\\|.-^?*+{}()[]'.split('').map((c): [string, number] => [c, c.codePointAt(0) as number]),
]);

/** Translates one pattern. Recursive descent over the appendix F grammar, by code point. */
class Translator {
  private readonly cps: number[];
  private pos = 0;

  constructor(private readonly pattern: string) {
    this.cps = Array.from(pattern, (c) => c.codePointAt(0) as number);
  }

  translate(): string {
    const body = this.regExp();
    if (this.pos < this.cps.length) this.fail(this.peekChar() === ')' ? 'unbalanced ")"' : `unexpected "${this.peekChar()}"`);
    return `^(?:${body})$`;
  }

  private fail(why: string): never {
    throw new YangError(`invalid pattern '${this.pattern}': ${why} (at character ${this.pos + 1})`);
  }

  private peek(): number | undefined {
    return this.cps[this.pos];
  }

  private peekChar(): string {
    const cp = this.peek();
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private next(): number {
    const cp = this.cps[this.pos++];
    if (cp === undefined) this.fail('unexpected end');
    return cp;
  }

  private isChar(c: string): boolean {
    return this.peek() === c.codePointAt(0);
  }

  /** regExp ::= branch ( '|' branch )* */
  private regExp(): string {
    let s = this.branch();
    while (this.isChar('|')) {
      this.pos++;
      s += `|${this.branch()}`;
    }
    return s;
  }

  /** branch ::= piece* */
  private branch(): string {
    let s = '';
    while (this.pos < this.cps.length && !this.isChar('|') && !this.isChar(')')) s += this.piece();
    return s;
  }

  /** piece ::= atom quantifier? */
  private piece(): string {
    const atom = this.atom();
    const q = this.quantifier();
    if (q === '') return atom;
    // A second quantifier (`a*?` lazy, `a*+` possessive, `a**`) is not XSD.
    if (this.isChar('?') || this.isChar('*') || this.isChar('+') || this.isChar('{')) this.fail(`quantifier "${this.peekChar()}" after a quantifier`);
    return atom + q;
  }

  private quantifier(): string {
    const c = this.peekChar();
    if (c === '?' || c === '*' || c === '+') {
      this.pos++;
      return c;
    }
    if (c !== '{') return '';
    this.pos++;
    const min = this.digits();
    if (min === undefined) this.fail('"{" must start a quantifier {n}, {n,} or {n,m}');
    let s = `{${min}`;
    if (this.isChar(',')) {
      this.pos++;
      s += ',';
      const max = this.digits();
      if (max !== undefined) {
        if (BigInt(max) < BigInt(min)) this.fail(`quantifier {${min},${max}}: max < min`);
        s += max;
      }
    }
    if (!this.isChar('}')) this.fail('unterminated quantifier');
    this.pos++;
    return `${s}}`;
  }

  private digits(): string | undefined {
    const start = this.pos;
    while (this.peek() !== undefined && (this.peek() as number) >= 0x30 && (this.peek() as number) <= 0x39) this.pos++;
    if (start === this.pos) return undefined;
    const d = String.fromCodePoint(...this.cps.slice(start, this.pos));
    // JavaScript caps quantifiers at 2^31-1 (larger are a syntax error there).
    if (BigInt(d) > 0x7fffffffn) this.fail(`quantifier bound ${d} too large`);
    return String(Number(d));
  }

  /** atom ::= Char | charClass | '(' regExp ')' */
  private atom(): string {
    const cp = this.next();
    switch (String.fromCodePoint(cp)) {
      case '(': {
        const inner = this.regExp();
        if (!this.isChar(')')) this.fail('missing ")"');
        this.pos++;
        return `(?:${inner})`;
      }
      case '[':
        return this.classExpr();
      case '.':
        return `[^${LINE_ENDS}]`;
      case '\\':
        return this.escapeOutside();
      case '?':
      case '*':
      case '+':
      case '{':
        return this.fail(`quantifier "${String.fromCodePoint(cp)}" without anything to repeat`);
      case ']':
        return this.fail('"]" outside a character class');
      // A lone `}` is an ordinary character in the XSD 1.0 grammar (its `Char` production only
      // excludes `.\?*+()|[]`), and libyang accepts it: it falls through to the default.
      default:
        return literal(cp);
    }
  }

  /** An escape outside a class, as a JavaScript fragment matching one code point. */
  private escapeOutside(): string {
    const parts: ClassParts = { pos: '', negs: [] };
    const single = this.escape(parts);
    if (single !== undefined) return literal(single);
    return partsSource(parts, false);
  }

  /**
   * Reads an escape after `\`. A single-character escape returns its code point; a multi-character
   * or category escape adds itself to `parts` and returns undefined.
   */
  private escape(parts: ClassParts): number | undefined {
    const c = String.fromCodePoint(this.next());
    const single = SINGLE_ESCAPES.get(c);
    if (single !== undefined) return single;
    switch (c) {
      case 's':
        parts.pos += rangesSource(SPACE);
        return undefined;
      case 'S':
        parts.pos += rangesSource(complement(SPACE));
        return undefined;
      case 'd':
        parts.pos += '\\p{Nd}';
        return undefined;
      case 'D':
        parts.pos += '\\P{Nd}';
        return undefined;
      case 'w':
        parts.negs.push(NON_WORD);
        return undefined;
      case 'W':
        parts.pos += NON_WORD;
        return undefined;
      case 'i':
        parts.pos += rangesSource(NAME_START);
        return undefined;
      case 'I':
        parts.pos += rangesSource(complement(NAME_START));
        return undefined;
      case 'c':
        parts.pos += rangesSource(NAME_CHAR);
        return undefined;
      case 'C':
        parts.pos += rangesSource(complement(NAME_CHAR));
        return undefined;
      case 'p':
      case 'P':
        parts.pos += this.property(c === 'P');
        return undefined;
      default:
        return this.fail(`unknown escape "\\${c}"`);
    }
  }

  /** `\p{…}` / `\P{…}` after the letter: a category or an `Is` block, as the inside of a class. */
  private property(negated: boolean): string {
    if (!this.isChar('{')) this.fail('"\\p" must be followed by "{"');
    this.pos++;
    const start = this.pos;
    while (this.peek() !== undefined && !this.isChar('}')) this.pos++;
    if (this.peek() === undefined) this.fail('unterminated "\\p{"');
    const name = String.fromCodePoint(...this.cps.slice(start, this.pos));
    this.pos++;
    if (name.startsWith('Is')) {
      const block = BLOCKS.get(name.slice(2));
      if (!block) this.fail(`unknown Unicode block "${name}"`);
      return rangesSource(negated ? complement(block) : block);
    }
    if (!CATEGORIES.has(name)) this.fail(`unknown Unicode category "${name}"`);
    return `\\${negated ? 'P' : 'p'}{${name}}`;
  }

  /**
   * charClassExpr ::= '[' charGroup ']' (the `[` consumed), as a JavaScript fragment matching one
   * code point.
   */
  private classExpr(): string {
    let negated = false;
    if (this.isChar('^')) {
      negated = true;
      this.pos++;
    }
    const parts: ClassParts = { pos: '', negs: [] };
    let subtract: string | undefined;
    let first = true;
    for (;;) {
      const cp = this.peek();
      if (cp === undefined) this.fail('missing "]"');
      const ch = String.fromCodePoint(cp);
      if (ch === ']') {
        if (first) this.fail('empty character class');
        this.pos++;
        break;
      }
      if (ch === '-' && this.cps[this.pos + 1] === 0x5b /* [ */) {
        // charClassSub: the subtracted class must be the last thing in the group.
        if (first) this.fail('character class subtraction without a class to subtract from');
        this.pos += 2;
        subtract = this.classExpr();
        if (!this.isChar(']')) this.fail('a subtraction must end its character class');
        this.pos++;
        break;
      }
      if (ch === '[') this.fail('"[" in a character class must be escaped');
      first = false;
      let lo: number | undefined;
      this.pos++;
      if (ch === '\\') {
        lo = this.escape(parts);
        if (lo === undefined) continue; // a multi-character escape: not a range endpoint
      } else {
        lo = cp;
      }
      // seRange: `lo-hi`, unless the `-` ends the group or starts a subtraction (then it is a
      // literal or the subtraction operator).
      if (this.isChar('-') && this.cps[this.pos + 1] !== undefined && this.cps[this.pos + 1] !== 0x5d && this.cps[this.pos + 1] !== 0x5b) {
        this.pos++;
        let hi = this.next();
        if (hi === 0x5c /* \ */) {
          const single = this.escape(parts);
          if (single === undefined) this.fail('a range cannot end with a multi-character escape');
          hi = single;
        }
        if (hi < lo) this.fail(`range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)} out of order`);
        parts.pos += `${classChar(lo)}-${classChar(hi)}`;
      } else {
        parts.pos += classChar(lo);
      }
    }
    const base = partsSource(parts, negated);
    return subtract === undefined ? base : `(?:(?!${subtract})${base})`;
  }
}

/** A translated class as a JavaScript fragment matching one code point. */
function partsSource(parts: ClassParts, negated: boolean): string {
  if (parts.negs.length === 0) return negated ? `[^${parts.pos}]` : `[${parts.pos}]`;
  const alternatives = [...(parts.pos === '' ? [] : [`[${parts.pos}]`]), ...parts.negs.map((n) => `[^${n}]`)];
  const union = alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join('|')})`;
  // Complement of a union that contains complements: any code point the union does not match.
  return negated ? `(?:(?!${union})[\\u{0}-\\u{10ffff}])` : union;
}

const cache = new Map<string, RegExp>();

/**
 * Translates an XSD regular expression (XML Schema 1.0 part 2, appendix F, as YANG's `pattern`
 * uses it) into an equivalent JavaScript RegExp: anchored at both ends, `u` flag, no `g`/`y`
 * flag (so `test()` keeps no state and the object can be shared). Results are cached by pattern.
 *
 * @throws YangError `invalid pattern …` for a pattern that is not a valid XSD regex, uses
 *   constructs XSD does not have (back-references, lookarounds, lazy quantifiers), or names an
 *   unknown Unicode block or category.
 */
export function xsdRegex(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const source = new Translator(pattern).translate();
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'u');
  } catch (e) {
    // Should not happen: the translation only emits constructs valid in `u` mode.
    throw new YangError(`invalid pattern '${pattern}': ${(e as Error).message}`, undefined, { cause: e });
  }
  cache.set(pattern, regex);
  return regex;
}
