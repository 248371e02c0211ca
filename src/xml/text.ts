import { isXmlChar } from './xml-chars.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Escape text for use in XML character data or a quoted attribute value (tab, LF and CR are
 * written as character references so that they survive attribute-value normalisation).
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Resolve the five predefined entities and character references in XML text.
 * Throws a `SyntaxError` for a `&` that does not start a well-formed reference, a reference to a
 * character XML does not allow, or an unknown entity (NETCONF messages carry no DTD to define one).
 */
export function unescapeXml(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(/&([^&;\s]*)(;?)/g, (whole, ref: string, semicolon: string) => {
    if (!semicolon) throw new SyntaxError(`Unterminated entity reference ${JSON.stringify(whole)}`);
    if (ref === '') throw new SyntaxError('Empty entity reference "&;"');
    if (ref.startsWith('#')) {
      const digits = ref[1] === 'x' ? ref.slice(2) : ref.slice(1);
      const valid = ref[1] === 'x' ? /^[0-9a-fA-F]{1,6}$/.test(digits) : /^[0-9]{1,7}$/.test(digits);
      const code = valid ? parseInt(digits, ref[1] === 'x' ? 16 : 10) : NaN;
      if (!isXmlChar(code)) throw new SyntaxError(`Invalid character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) throw new SyntaxError(`Unknown entity ${whole}`);
    return named;
  });
}
