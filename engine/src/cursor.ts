// What the text at an offset is (header, key or value, in which table, inside which string), read from the
// text of the offset's section alone so that it works while the rest of the file has syntax errors (completion
// and hover).
import type { Span, TomlDocument, TomlHeader } from './toml/ast.js';

export interface StringAtCursor {
  /** Offset of the string's first content character (after the opening quote). */
  contentStart: number;
  /** Offset of the closing quote, or the end of the line when the string is not closed yet. */
  contentEnd: number;
  quote: '"' | "'";
  closed: boolean;
}

export type CursorContext =
  | {
      kind: 'header';
      isArray: boolean;
      /** The header text between the brackets up to the cursor, e.g. `services.we`. */
      typed: string;
      /** From the first character after the brackets to the end of the header name (before `]` or line end). */
      replace: Span;
    }
  | {
      kind: 'key';
      /** The table the key goes in, e.g. ['services', 'web'] (array-of-tables elements use the array's path). */
      tablePath: string[];
      /** The bare word around the cursor, what a completion replaces. */
      replace: Span;
      /** Keys already written in that table (the whole section, not just before the cursor). */
      presentKeys: Set<string>;
      /** True at the start of a line of a section (where a header could also be written). */
      atLineStart: boolean;
    }
  | {
      kind: 'value';
      tablePath: string[];
      /** The (dotted) key whose value the cursor is in, e.g. ['condition']. */
      key: string[];
      /** The value is an element of an array (`volumes = ["…"]`). */
      inArray: boolean;
      /** Set when the cursor is inside a string literal. */
      string: StringAtCursor | null;
      /** The bare word around the cursor when not in a string (e.g. an unquoted `ke`). */
      replace: Span;
    }
  | { kind: 'none' };

interface Frame {
  kind: 'section' | 'array' | 'inline';
  /** section/inline: the table this frame's keys belong to; array: the table that owns the array. */
  tablePath: string[];
  /** array only: the key whose value the array is. */
  ownerKey: string[];
  state: 'key' | 'value';
  /** Parts of the key being written / just written (dotted keys). */
  keyParts: string[];
  keyText: string;
  keys: Set<string>;
}

function newFrame(kind: Frame['kind'], tablePath: string[], ownerKey: string[] = []): Frame {
  return {
    kind,
    tablePath,
    ownerKey,
    state: kind === 'array' ? 'value' : 'key',
    keyParts: [],
    keyText: '',
    keys: new Set(),
  };
}

const isBareKeyChar = (c: string): boolean => /[A-Za-z0-9_-]/.test(c);

function wordAround(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && isBareKeyChar(text.charAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isBareKeyChar(text.charAt(end))) end++;
  return { start, end };
}

function lineStartOf(text: string, offset: number): number {
  const n = text.lastIndexOf('\n', offset - 1);
  return n + 1;
}

function lineEndOf(text: string, offset: number): number {
  const n = text.indexOf('\n', offset);
  const end = n < 0 ? text.length : n;
  return end > offset && text.charAt(end - 1) === '\r' ? end - 1 : end;
}

/** The last header that starts before `offset` (headers are in document order). */
function headerBefore(headers: readonly TomlHeader[], offset: number): TomlHeader | undefined {
  let lo = 0;
  let hi = headers.length - 1;
  let found: TomlHeader | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const header = headers[mid]!;
    if (header.span.start < offset) {
      found = header;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The text of a TOML string literal starting at `start` (quote included); returns its end and value. */
function readString(
  text: string,
  start: number,
): { end: number; value: string; closed: boolean; contentEnd: number } {
  const quote = text.charAt(start);
  const triple = text.startsWith(quote.repeat(3), start);
  if (triple) {
    const close = text.indexOf(quote.repeat(3), start + 3);
    if (close < 0)
      return { end: text.length, value: text.slice(start + 3), closed: false, contentEnd: text.length };
    return { end: close + 3, value: text.slice(start + 3, close), closed: true, contentEnd: close };
  }
  let i = start + 1;
  let value = '';
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '\n' || c === '\r') break;
    if (c === quote) return { end: i + 1, value, closed: true, contentEnd: i };
    if (c === '\\' && quote === '"') {
      value += text.charAt(i + 1);
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return { end: i, value, closed: false, contentEnd: i };
}

/** A line that starts a `key =` assignment (used to recover from an array left open on an earlier line). */
const KEY_PART = `(?:[A-Za-z0-9_-]+|"[^"\\n]*"|'[^'\\n]*')`;
const KEY_LINE = new RegExp(`^[ \\t]*${KEY_PART}(?:[ \\t]*\\.[ \\t]*${KEY_PART})*[ \\t]*=`);

/**
 * Reads the context of `offset` in `doc`. Scans only the section the offset is in (from its header to the
 * next one), so the cost is independent of the file size and errors in other sections do not matter.
 */
export function cursorContext(doc: TomlDocument, offset: number): CursorContext {
  const text = doc.text;
  const lineStart = lineStartOf(text, offset);
  const before = text.slice(lineStart, offset);

  const headerMatch = /^\s*(\[\[?)\s*([^\]#]*)$/.exec(before);
  if (headerMatch !== null) {
    const open = headerMatch[1]!;
    const typed = headerMatch[2]!;
    const typedStart =
      lineStart + before.indexOf(open) + open.length + (typed.length - typed.trimStart().length);
    const lineEnd = lineEndOf(text, offset);
    const close = text.slice(offset, lineEnd).search(/[\]#]/);
    return {
      kind: 'header',
      isArray: open === '[[',
      typed: typed.trimStart(),
      replace: { start: typedStart, end: close < 0 ? lineEnd : offset + close },
    };
  }
  // After the closing bracket of a header, or in its comment: nothing to complete.
  if (/^\s*\[/.test(before)) return { kind: 'none' };

  const header = headerBefore(doc.headers, lineStart);
  const sectionStart = header ? lineEndOf(text, header.span.end) : 0;
  const stack: Frame[] = [newFrame('section', header ? [...header.path] : [])];
  const nextHeader = doc.headers.find((h) => h.span.start >= lineStart);
  // Keys after the cursor count as present too: keep scanning to the end of the section.
  const sectionEnd = Math.max(offset, nextHeader ? nextHeader.span.start : text.length);
  let result: CursorContext | undefined;

  const top = (): Frame => stack[stack.length - 1]!;
  const finishKeyPart = (frame: Frame): void => {
    const part = frame.keyText.trim();
    if (part !== '') frame.keyParts.push(part);
    frame.keyText = '';
  };
  const contextAt = (frame: Frame, at: number): CursorContext => {
    const replace = wordAround(text, at);
    if (frame.state === 'key') {
      return {
        kind: 'key',
        tablePath: [...frame.tablePath, ...frame.keyParts],
        replace,
        presentKeys: frame.keys,
        atLineStart:
          frame.kind === 'section' &&
          frame.keyParts.length === 0 &&
          before.trim() === text.slice(replace.start, at),
      };
    }
    const inArray = frame.kind === 'array';
    return {
      kind: 'value',
      tablePath: frame.tablePath,
      key: inArray ? frame.ownerKey : frame.keyParts,
      inArray,
      string: null,
      replace,
    };
  };

  let i = sectionStart;
  while (i < sectionEnd) {
    if (result === undefined && i === offset) result = contextAt(top(), i);
    const c = text.charAt(i);
    const frame = top();
    if (c === '#') {
      const end = lineEndOf(text, i);
      if (result === undefined && offset > i && offset <= end) return { kind: 'none' };
      i = end;
      continue;
    }
    if (c === '"' || c === "'") {
      const read = readString(text, i);
      if (result === undefined && offset > i && offset <= read.contentEnd) {
        const context = contextAt(frame, offset);
        if (context.kind !== 'value') return { kind: 'none' }; // inside a quoted key
        const triple = text.startsWith(c.repeat(3), i);
        context.string = {
          contentStart: i + (triple ? 3 : 1),
          contentEnd: read.contentEnd,
          quote: c,
          closed: read.closed,
        };
        context.replace = { start: offset, end: offset };
        result = context;
      }
      if (frame.state === 'key') frame.keyText += read.value;
      i = read.end;
      continue;
    }
    if (c === '\n') {
      if (frame.kind === 'section') {
        frame.state = 'key';
        frame.keyParts = [];
        frame.keyText = '';
      } else if (
        KEY_LINE.test(text.slice(i + 1, lineEndOf(text, i + 1))) &&
        stack.some((f) => f.kind === 'array')
      ) {
        // An array left open on an earlier line (being typed): the next `key =` line is the section's again.
        while (stack.length > 1) stack.pop();
        const section = top();
        section.state = 'key';
        section.keyParts = [];
        section.keyText = '';
      }
      i++;
      continue;
    }
    if (frame.state === 'key') {
      if (c === '.') finishKeyPart(frame);
      else if (c === '=') {
        finishKeyPart(frame);
        const first = frame.keyParts[0];
        if (first !== undefined) frame.keys.add(first);
        frame.state = 'value';
      } else if (c === '}' && frame.kind === 'inline') stack.pop();
      else if (
        c === '[' &&
        frame.kind === 'section' &&
        frame.keyText.trim() === '' &&
        frame.keyParts.length === 0
      ) {
        // A header the parser did not record: the section ends here.
        break;
      } else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== ',') frame.keyText += c;
      i++;
      continue;
    }
    if (c === '[') {
      stack.push(
        frame.kind === 'array'
          ? newFrame('array', frame.tablePath, frame.ownerKey)
          : newFrame('array', frame.tablePath, [...frame.keyParts]),
      );
    } else if (c === '{') {
      const owner =
        frame.kind === 'array'
          ? [...frame.tablePath, ...frame.ownerKey]
          : [...frame.tablePath, ...frame.keyParts];
      stack.push(newFrame('inline', owner));
    } else if ((c === ']' && frame.kind === 'array') || (c === '}' && frame.kind === 'inline')) {
      stack.pop();
    } else if (c === ',' && frame.kind === 'inline') {
      frame.state = 'key';
      frame.keyParts = [];
      frame.keyText = '';
    }
    i++;
  }
  return result ?? contextAt(top(), offset);
}
