/**
 * JSON text of the values the XML → JSON mapping makes ({@link JsonValue}: strings, arrays,
 * objects), written without recursion: `JSON.stringify` recurses and throws `RangeError` on a
 * value a few thousand levels deep, which a reply can be.
 * @module
 */
import type { JsonValue } from './output.js';

/**
 * Indentation stops growing past this many levels: the text of a deeper value stays linear in
 * its size (a fixed indent per level would make it quadratic).
 */
export const MAX_INDENT_LEVELS = 100;

/**
 * The JSON text of `value`: what `JSON.stringify(value, null, indent)` gives (compact when
 * `indent` is `''`), except that indentation stops growing at {@link MAX_INDENT_LEVELS}.
 */
export function jsonText(value: JsonValue, indent: string): string {
  const pads: string[] = [];
  const pad = (level: number): string => (indent === '' ? '' : (pads[level] ??= `\n${indent.repeat(Math.min(level, MAX_INDENT_LEVELS))}`));
  const colon = indent === '' ? ':' : ': ';
  const parts: string[] = [];
  // What is left to write, last first: text as it is, or a value at a nesting level.
  const todo: Array<string | { value: JsonValue; level: number }> = [{ value, level: 0 }];
  while (todo.length !== 0) {
    const item = todo.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    const { value: v, level } = item;
    if (typeof v === 'string') {
      parts.push(JSON.stringify(v));
      continue;
    }
    const isArray = Array.isArray(v);
    const keys = isArray ? undefined : Object.keys(v);
    const n = keys === undefined ? (v as JsonValue[]).length : keys.length;
    if (n === 0) {
      parts.push(isArray ? '[]' : '{}');
      continue;
    }
    parts.push(isArray ? '[' : '{');
    todo.push(`${pad(level)}${isArray ? ']' : '}'}`);
    const inner = pad(level + 1);
    for (let i = n - 1; i >= 0; i--) {
      const key = keys?.[i];
      todo.push({ value: key === undefined ? (v as JsonValue[])[i]! : (v as Record<string, JsonValue>)[key]!, level: level + 1 });
      todo.push(`${i === 0 ? '' : ','}${inner}${key === undefined ? '' : `${JSON.stringify(key)}${colon}`}`);
    }
  }
  return parts.join('');
}
