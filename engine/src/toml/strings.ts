// Decoding of TOML strings and keys (escapes, allowed characters) with toml_parser's error wording and spans.
// Every function takes the token's [start, end) in the source and reports errors at absolute offsets.
import { type ErrorSink, lit, msg } from './errors.js';
import { ATOM, BASIC_STRING, LITERAL_STRING, ML_BASIC_STRING, ML_LITERAL_STRING } from './scanner.js';

const STAGE = 2;

const BASIC_QUOTE = msg('invalid basic string', [lit('"')]);
const BASIC_CHARS = msg('invalid basic string', ['non-double-quote visible characters', lit('\\')]);
const ML_BASIC_QUOTE = msg('invalid multi-line basic string', [lit('"')]);
const ML_BASIC_CHARS = msg('invalid multi-line basic string', [lit('\\'), 'characters']);
const ML_BASIC_ESCAPED_NL = msg('invalid multi-line basic string', [lit('\n')]);
const LITERAL_QUOTE = msg('invalid literal string', [lit("'")]);
const LITERAL_CHARS = msg('invalid literal string', ['non-single-quote visible characters']);
const ML_LITERAL_QUOTE = msg('invalid multi-line literal string', [lit("'")]);
const ML_LITERAL_CHARS = msg('invalid multi-line literal string', ['non-single-quote characters']);
const LONE_CR = msg('carriage return must be followed by newline', [lit('\n')]);
// `t` is missing from the crate's list of expected escapes; kept as is.
const MISSING_ESCAPE = msg(
  'missing escaped value',
  ['b', 'e', 'f', 'n', 'r', '\\', '"', 'x', 'u', 'U'].map(lit),
);
const FEW_HEX_DIGITS = msg('too few unicode value digits', ['unicode hexadecimal value']);
const BAD_CODE_POINT = msg('invalid value', ['unicode hexadecimal value']);
const KEY_EXPECTED = ['letters', 'numbers', lit('-'), lit('_')];
const EMPTY_KEY = msg('unquoted keys cannot be empty', KEY_EXPECTED);
const BAD_KEY = msg('invalid unquoted key', KEY_EXPECTED);
const ML_LITERAL_KEY = msg('keys cannot be multi-line literal strings', ['basic string', 'literal string']);
const ML_BASIC_KEY = msg('keys cannot be multi-line basic strings', ['basic string', 'literal string']);

// Short strings (keys, most values) repeat all over a topology file: `memory`, `depends_on`, `"healthy"`.
// A small direct-mapped cache returns the same string object for the same characters, so parsing neither
// allocates a new copy per occurrence nor keeps thousands of equal copies alive. Only strings short enough
// that V8 copies them when slicing are cached (longer slices are views into the document text, and caching
// one would keep that whole text alive).
const INTERN_MAX = 12;
const INTERN_SIZE = 1024;
const internCache: string[] = new Array<string>(INTERN_SIZE).fill('');

/** `text.slice(start, end)`, shared with earlier equal short slices. */
function internedSlice(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > INTERN_MAX || len <= 0) return text.slice(start, end);
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  const slot = (first * 31 + last * 7 + text.charCodeAt(start + (len >> 1)) * 131 + len) & (INTERN_SIZE - 1);
  const cached = internCache[slot] as string;
  if (cached.length === len) {
    let i = 0;
    while (i < len && cached.charCodeAt(i) === text.charCodeAt(start + i)) i++;
    if (i === len) return cached;
  }
  const fresh = text.slice(start, end);
  internCache[slot] = fresh;
  return fresh;
}

/** basic-unescaped = wschar / %x21 / %x23-5B / %x5D-7E / non-ascii */
function isBasicUnescaped(c: number): boolean {
  return (c >= 0x20 && c !== 0x7f && c !== 0x22 && c !== 0x5c) || c === 0x09;
}

/** literal-char = %x09 / %x20-26 / %x28-7E / non-ascii */
function isLiteralChar(c: number): boolean {
  return c === 0x09 || (c >= 0x20 && c <= 0x26) || (c >= 0x28 && c <= 0x7e) || c >= 0x80;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Result of decoding one escape: the text it stands for and where decoding resumes. */
let escapeNext = 0;

/** Decodes the escape whose letter is at `p` (just after the backslash); sets {@link escapeNext}. */
function escape(text: string, p: number, end: number, sink: ErrorSink): string {
  if (p >= end) {
    sink.report(MISSING_ESCAPE, p, p, STAGE);
    escapeNext = p;
    return '\\';
  }
  escapeNext = p + 1;
  switch (text.charCodeAt(p)) {
    case 0x62:
      return '\b';
    case 0x65:
      return '\x1b';
    case 0x66:
      return '\f';
    case 0x6e:
      return '\n';
    case 0x72:
      return '\r';
    case 0x74:
      return '\t';
    case 0x5c:
      return '\\';
    case 0x22:
      return '"';
    case 0x78:
      return hexEscape(text, p + 1, 2, end, sink);
    case 0x75:
      return hexEscape(text, p + 1, 4, end, sink);
    case 0x55:
      return hexEscape(text, p + 1, 8, end, sink);
    default:
      // The unknown letter is not consumed: it is decoded again as ordinary content.
      sink.report(MISSING_ESCAPE, p, p, STAGE);
      escapeNext = p;
      return '\\';
  }
}

function hexEscape(text: string, p: number, digits: number, end: number, sink: ErrorSink): string {
  let q = p;
  while (q < end && q - p < digits && isHexDigit(text.charCodeAt(q))) q++;
  escapeNext = q;
  if (q - p !== digits) {
    sink.report(FEW_HEX_DIGITS, q, q, STAGE);
    return '\ufffd';
  }
  const value = parseInt(text.slice(p, q), 16);
  // Rust's char::from_u32: no surrogates, nothing above U+10FFFF.
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    sink.report(BAD_CODE_POINT, p, p, STAGE);
    return '\ufffd';
  }
  return String.fromCodePoint(value);
}

export function decodeBasicString(text: string, start: number, end: number, sink: ErrorSink): string {
  let s = start;
  let e = end;
  if (s < e && text.charCodeAt(s) === 0x22) s++;
  else sink.report(BASIC_QUOTE, start, start, STAGE);
  if (e > s && text.charCodeAt(e - 1) === 0x22) e--;
  else sink.report(BASIC_QUOTE, end, end, STAGE);

  let i = s;
  while (i < e && isBasicUnescaped(text.charCodeAt(i))) i++;
  if (i === e) return internedSlice(text, s, e);

  let out = '';
  let seg = s;
  while (i < e) {
    const c = text.charCodeAt(i);
    if (isBasicUnescaped(c)) {
      i++;
      continue;
    }
    out += text.slice(seg, i);
    if (c === 0x5c) {
      out += escape(text, i + 1, e, sink);
      i = escapeNext;
    } else {
      let j = i + 1;
      while (j < e) {
        const d = text.charCodeAt(j);
        if (isBasicUnescaped(d) || d === 0x5c) break;
        j++;
      }
      sink.report(BASIC_CHARS, i, j, STAGE);
      out += text.slice(i, j);
      i = j;
    }
    seg = i;
  }
  return out + text.slice(seg, e);
}

/** Where the content starts after an opening delimiter: one leading LF or CRLF is trimmed. */
function skipFirstNewline(text: string, s: number, end: number): number {
  if (s < end && text.charCodeAt(s) === 0x0a) return s + 1;
  if (s + 1 < end && text.charCodeAt(s) === 0x0d && text.charCodeAt(s + 1) === 0x0a) return s + 2;
  return s;
}

function isMlBasicPlain(c: number): boolean {
  return isBasicUnescaped(c) || c === 0x22 || c === 0x0a;
}

export function decodeMlBasicString(text: string, start: number, end: number, sink: ErrorSink): string {
  let s = start;
  let e = end;
  if (text.startsWith('"""', s) && s + 3 <= e) s += 3;
  else sink.report(ML_BASIC_QUOTE, start, start, STAGE);
  s = skipFirstNewline(text, s, e);
  if (e - s >= 3 && text.startsWith('"""', e - 3)) e -= 3;
  else sink.report(ML_BASIC_QUOTE, end, end, STAGE);

  let i = s;
  while (i < e && isMlBasicPlain(text.charCodeAt(i))) i++;
  if (i === e) return text.slice(s, e);

  let out = '';
  let seg = s;
  while (i < e) {
    const c = text.charCodeAt(i);
    if (isMlBasicPlain(c)) {
      i++;
      continue;
    }
    out += text.slice(seg, i);
    if (c === 0x5c) {
      const n = i + 1 < e ? text.charCodeAt(i + 1) : -1;
      if (n === 0x20 || n === 0x09 || n === 0x0d || n === 0x0a) {
        i = escapedNewline(text, i + 1, e, sink);
      } else {
        out += escape(text, i + 1, e, sink);
        i = escapeNext;
      }
    } else if (c === 0x0d) {
      if (i + 1 < e && text.charCodeAt(i + 1) === 0x0a) {
        out += '\r\n';
        i += 2;
      } else {
        sink.report(LONE_CR, i + 1, i + 1, STAGE);
        out += '\r';
        i += 1;
      }
    } else {
      let j = i + 1;
      while (j < e) {
        const d = text.charCodeAt(j);
        if (isMlBasicPlain(d) || d === 0x5c || d === 0x0d) break;
        j++;
      }
      sink.report(ML_BASIC_CHARS, i, j, STAGE);
      out += text.slice(i, j);
      i = j;
    }
    seg = i;
  }
  return out + text.slice(seg, e);
}

/** A line-ending backslash: skips whitespace, the line break and all following whitespace/line breaks. */
function escapedNewline(text: string, p: number, e: number, sink: ErrorSink): number {
  let q = p;
  while (q < e && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q++;
  const c = q < e ? text.charCodeAt(q) : -1;
  if (c === 0x0a) {
    q++;
  } else if (c === 0x0d) {
    q++;
    if (q < e && text.charCodeAt(q) === 0x0a) q++;
    else sink.report(LONE_CR, q, q, STAGE);
  } else {
    sink.report(ML_BASIC_ESCAPED_NL, q, q, STAGE);
  }
  for (;;) {
    const from = q;
    while (q < e) {
      const d = text.charCodeAt(q);
      if (d !== 0x20 && d !== 0x09 && d !== 0x0a) break;
      q++;
    }
    if (q < e && text.charCodeAt(q) === 0x0d) {
      if (q + 1 < e && text.charCodeAt(q + 1) === 0x0a) q += 2;
      else {
        sink.report(LONE_CR, q + 1, q + 1, STAGE);
        q += 1;
      }
    }
    if (q === from) return q;
  }
}

export function decodeLiteralString(text: string, start: number, end: number, sink: ErrorSink): string {
  let s = start;
  let e = end;
  if (s < e && text.charCodeAt(s) === 0x27) s++;
  else sink.report(LITERAL_QUOTE, start, start, STAGE);
  if (e > s && text.charCodeAt(e - 1) === 0x27) e--;
  else sink.report(LITERAL_QUOTE, end, end, STAGE);
  for (let i = s; i < e; i++) {
    if (!isLiteralChar(text.charCodeAt(i))) sink.report(LITERAL_CHARS, i, i, STAGE);
  }
  return internedSlice(text, s, e);
}

export function decodeMlLiteralString(text: string, start: number, end: number, sink: ErrorSink): string {
  let s = start;
  let e = end;
  if (text.startsWith("'''", s) && s + 3 <= e) s += 3;
  else sink.report(ML_LITERAL_QUOTE, start, start, STAGE);
  s = skipFirstNewline(text, s, e);
  if (e - s >= 3 && text.startsWith("'''", e - 3)) e -= 3;
  else {
    sink.report(ML_LITERAL_QUOTE, end, end, STAGE);
    while (e > s && text.charCodeAt(e - 1) === 0x27) e--;
  }
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x27 || c === 0x0a) continue;
    if (c === 0x0d) {
      if (!(i + 1 < e && text.charCodeAt(i + 1) === 0x0a)) sink.report(LONE_CR, i + 1, i + 1, STAGE);
    } else if (!isLiteralChar(c)) {
      sink.report(ML_LITERAL_CHARS, i, i, STAGE);
    }
  }
  return text.slice(s, e);
}

function isUnquotedKeyChar(c: number): boolean {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d ||
    c === 0x5f
  );
}

/** unquoted-key = 1*( ALPHA / DIGIT / %x2D / %x5F ); each run of invalid characters is one error. */
function decodeUnquotedKey(text: string, start: number, end: number, sink: ErrorSink): string {
  if (start === end) {
    sink.report(EMPTY_KEY, start, start, STAGE);
    return '';
  }
  let runStart = -1;
  let runEnd = -1;
  for (let i = start; i < end; i++) {
    if (isUnquotedKeyChar(text.charCodeAt(i))) continue;
    if (runStart >= 0 && i === runEnd) {
      runEnd = i + 1;
    } else {
      if (runStart >= 0) sink.report(BAD_KEY, runStart, runEnd, STAGE);
      runStart = i;
      runEnd = i + 1;
    }
  }
  if (runStart >= 0) sink.report(BAD_KEY, runStart, runEnd, STAGE);
  return internedSlice(text, start, end);
}

/** Decodes one key segment written as a token of `kind` (an atom or one of the string kinds). */
export function decodeKey(text: string, kind: number, start: number, end: number, sink: ErrorSink): string {
  switch (kind) {
    case LITERAL_STRING:
      return decodeLiteralString(text, start, end, sink);
    case BASIC_STRING:
      return decodeBasicString(text, start, end, sink);
    case ML_LITERAL_STRING:
      sink.report(ML_LITERAL_KEY, start, end, STAGE);
      return decodeMlLiteralString(text, start, end, sink);
    case ML_BASIC_STRING:
      sink.report(ML_BASIC_KEY, start, end, STAGE);
      return decodeMlBasicString(text, start, end, sink);
    case ATOM:
    default:
      return decodeUnquotedKey(text, start, end, sink);
  }
}
