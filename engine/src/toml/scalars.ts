// Decoding of unquoted TOML values (integers, floats, booleans, date-times) the way toml_parser 1.x does:
// same classification, same validation order, same wording and spans. Numbers keep full precision.
import { type ErrorSink, lit, msg } from './errors.js';

export const S_STRING = 0;
export const S_TRUE = 1;
export const S_FALSE = 2;
export const S_DATETIME = 3;
export const S_FLOAT = 4;
export const S_INT_DEC = 5;
export const S_INT_HEX = 6;
export const S_INT_OCT = 7;
export const S_INT_BIN = 8;

const STAGE = 2;

const NOTHING: readonly string[] = [];
const SIGN_REDUNDANT = msg('redundant numeric sign', NOTHING);
const RADIX_SIGNED = msg('integers with a radix cannot be signed', NOTHING);
const PREFIX_REDUNDANT = msg('redundant integer number prefix', NOTHING);
const LEADING_ZERO = msg('unexpected leading zero', NOTHING);
const UNEXPECTED_SIGN = msg('unexpected sign', NOTHING);
const UNDERSCORE = msg('`_` may only go between digits', NOTHING);
const INVALID_FLOAT_TAIL = msg('invalid float', NOTHING);
/** Also the parser's error for a value that is missing (the crate decodes an empty unquoted value). */
export const NOT_QUOTED = msg('string values must be quoted', ['literal string']);

/** Set by {@link decodeUnquotedScalar}: the value's text with `_` removed (what the crate converts later). */
export let scalarText = '';

let text = '';
let base = 0;
let len = 0;
let sink: ErrorSink;

/** Reports at [from, to) relative to the scalar's start. */
function report(message: string, from: number, to: number): void {
  sink.report(message, base + from, base + to, STAGE);
}

function at(i: number): number {
  return text.charCodeAt(base + i);
}

function raw(from = 0): string {
  return text.slice(base + from, base + len);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Classifies and validates the unquoted value text[start, end); see {@link scalarText}. */
export function decodeUnquotedScalar(src: string, start: number, end: number, errors: ErrorSink): number {
  text = src;
  base = start;
  len = end - start;
  sink = errors;
  if (len === 0) return decodeInvalid();
  const first = at(0);
  if (!isDigit(first) && raw().includes(' ')) return decodeInvalid();
  switch (first) {
    case 0x2b:
    case 0x2d:
      return decodeSignPrefix(1);
    case 0x5f:
      return decodeDatetimeOrFloatOrInteger(0);
    case 0x30:
      return decodeZeroPrefix(0, false);
    case 0x2e:
      return ensureFloat(0) ? decodeFloatOrInteger(0, S_FLOAT) : emptyAs(S_FLOAT);
    case 0x74:
    case 0x54:
      return decodeSymbol('true', S_TRUE, 'invalid boolean');
    case 0x66:
    case 0x46:
      return decodeSymbol('false', S_FALSE, 'invalid boolean');
    case 0x69:
    case 0x49:
      return decodeSymbol('inf', S_FLOAT, 'invalid float');
    case 0x6e:
    case 0x4e:
      return decodeSymbol('nan', S_FLOAT, 'invalid float');
    default:
      return isDigit(first) ? decodeDatetimeOrFloatOrInteger(0) : decodeInvalid();
  }
}

/** When validation failed the crate leaves the output empty. */
function emptyAs(kind: number): number {
  scalarText = '';
  return kind;
}

function decodeSignPrefix(from: number): number {
  let v = from;
  for (;;) {
    if (v >= len) return decodeInvalid();
    const c = at(v);
    if (c !== 0x2b && c !== 0x2d) break;
    report(SIGN_REDUNDANT, v, v + 1);
    v++;
  }
  const c = at(v);
  if (c === 0x5f) return decodeDatetimeOrFloatOrInteger(v);
  if (c === 0x30) return decodeZeroPrefix(v, true);
  if (c >= 0x31 && c <= 0x39) return decodeDatetimeOrFloatOrInteger(v);
  if (c === 0x2e) return ensureFloat(0) ? decodeFloatOrInteger(0, S_FLOAT) : emptyAs(S_FLOAT);
  if (c === 0x69 || c === 0x49 || c === 0x6e || c === 0x4e) {
    const symbol = c === 0x69 || c === 0x49 ? 'inf' : 'nan';
    if (raw(v) !== symbol) {
      report(msg('invalid float', [lit(symbol)]), v, len);
      scalarText = symbol;
    } else {
      scalarText = raw();
    }
    return S_FLOAT;
  }
  return decodeInvalid();
}

function decodeZeroPrefix(v: number, signed: boolean): number {
  if (len - v === 1) return decodeFloatOrInteger(0, S_INT_DEC);
  const r = at(v + 1);
  let kind: number;
  let lowercase: string;
  switch (r) {
    case 0x78:
    case 0x58:
      kind = S_INT_HEX;
      lowercase = '0x';
      break;
    case 0x6f:
    case 0x4f:
      kind = S_INT_OCT;
      lowercase = '0o';
      break;
    case 0x62:
    case 0x42:
      kind = S_INT_BIN;
      lowercase = '0b';
      break;
    case 0x64:
    case 0x44:
      kind = S_INT_DEC;
      lowercase = '';
      break;
    default:
      return decodeDatetimeOrFloatOrInteger(v);
  }
  if (raw(v).includes(' ')) return decodeInvalid();
  if (signed) report(RADIX_SIGNED, 0, 1);
  if (kind === S_INT_DEC) {
    report(PREFIX_REDUNDANT, 0, 2);
  } else if (r < 0x61) {
    report(msg('radix must be lowercase', [lit(lowercase)]), v, v + 2);
  }
  return ensureRadixedValue(v + 2, kind) ? decodeFloatOrInteger(v + 2, kind) : emptyAs(kind);
}

function decodeDatetimeOrFloatOrInteger(v: number): number {
  let digitEnd = v;
  while (digitEnd < len && isDigit(at(digitEnd))) digitEnd++;
  if (digitEnd === len) {
    return ensureNoLeadingZero(v) ? decodeFloatOrInteger(0, S_INT_DEC) : emptyAs(S_INT_DEC);
  }
  const c = at(digitEnd);
  if (c === 0x2d || c === 0x3a) {
    scalarText = raw();
    return S_DATETIME;
  }
  const rest = raw(digitEnd);
  if (rest.includes(' ')) return decodeInvalid();
  if (rest.includes('.') || rest.includes('e') || rest.includes('E')) {
    return ensureFloat(v) ? decodeFloatOrInteger(0, S_FLOAT) : emptyAs(S_FLOAT);
  }
  if (c === 0x5f) {
    return ensureNoLeadingZero(v) ? decodeFloatOrInteger(0, S_INT_DEC) : emptyAs(S_INT_DEC);
  }
  return decodeInvalid();
}

/** float = dec-int ( exp / frac [ exp ] ), checked part by part. */
function ensureFloat(from: number): boolean {
  let p = from;
  let ok = true;
  p = ensureDecUint(p, false, 'invalid mantissa');
  if (p < 0) {
    p = ~p;
    ok = false;
  }
  if (p < len && at(p) === 0x2e) {
    p = ensureDecUint(p + 1, true, 'invalid fraction');
    if (p < 0) {
      p = ~p;
      ok = false;
    }
  }
  if (p < len && (at(p) === 0x65 || at(p) === 0x45)) {
    p++;
    if (p < len && (at(p) === 0x2b || at(p) === 0x2d)) p++;
    p = ensureDecUint(p, true, 'invalid exponent');
    if (p < 0) {
      p = ~p;
      ok = false;
    }
  }
  if (p < len) {
    report(INVALID_FLOAT_TAIL, p, len);
    ok = false;
  }
  return ok;
}

/** Skips digits and `_` from `p`; returns the end, or its bitwise complement when invalid. */
function ensureDecUint(p: number, zeroPrefix: boolean, description: string): number {
  const start = p;
  let digits = 0;
  while (p < len) {
    const c = at(p);
    if (isDigit(c)) digits++;
    else if (c !== 0x5f) break;
    p++;
  }
  if (digits === 0) {
    report(msg(description, ['digits']), start, start);
    return ~p;
  }
  if (digits > 1 && at(start) === 0x30 && !zeroPrefix) {
    report(LEADING_ZERO, start, start + 1);
    return ~p;
  }
  return p;
}

function ensureNoLeadingZero(v: number): boolean {
  if (at(v) === 0x30) {
    report(LEADING_ZERO, v, v + 1);
    return false;
  }
  return true;
}

function ensureRadixedValue(from: number, kind: number): boolean {
  let ok = true;
  let p = from;
  if (p < len && (at(p) === 0x2b || at(p) === 0x2d)) {
    // The crate reports the first sign anywhere in the literal (which is this one).
    const s = raw();
    const plus = s.indexOf('+');
    const minus = s.indexOf('-');
    const pos = plus < 0 ? minus : minus < 0 ? plus : Math.min(plus, minus);
    report(UNEXPECTED_SIGN, pos, pos + 1);
    ok = false;
    p++;
  }
  const description =
    kind === S_INT_HEX
      ? 'invalid hexadecimal number'
      : kind === S_INT_OCT
        ? 'invalid octal number'
        : kind === S_INT_BIN
          ? 'invalid binary number'
          : 'invalid integer number';
  while (p < len) {
    const c = at(p);
    const valid =
      c === 0x5f ||
      (kind === S_INT_HEX
        ? isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
        : kind === S_INT_OCT
          ? c >= 0x30 && c <= 0x37
          : kind === S_INT_BIN
            ? c === 0x30 || c === 0x31
            : isDigit(c));
    if (!valid) {
      report(description, p, p);
      ok = false;
    }
    // One error per character, a surrogate pair being one character.
    p += c >= 0xd800 && c <= 0xdbff && p + 1 < len ? 2 : 1;
  }
  return ok;
}

function isAnyDigit(c: number, kind: number): boolean {
  if (kind === S_FLOAT) return isDigit(c);
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Removes `_` separators from raw[from..], reporting each one not between two digits. */
function decodeFloatOrInteger(from: number, kind: number): number {
  let p = from;
  let out = '';
  let seg = from;
  while (p < len) {
    if (at(p) !== 0x5f) {
      p++;
      continue;
    }
    out += text.slice(base + seg, base + p);
    let invalid = false;
    if (p > seg) {
      if (!isAnyDigit(at(p - 1), kind)) invalid = true;
    } else if (p === from) {
      invalid = true;
    }
    if (p + 1 < len) {
      if (!isAnyDigit(at(p + 1), kind)) invalid = true;
    } else {
      invalid = true;
    }
    if (invalid) report(UNDERSCORE, p, p + 1);
    p++;
    seg = p;
  }
  scalarText = seg === from ? raw(from) : out + text.slice(base + seg, base + len);
  return kind;
}

function decodeSymbol(symbol: string, kind: number, invalidDescription: string): number {
  const r = raw();
  if (r !== symbol) {
    if (r.includes(' ')) return decodeInvalid();
    report(msg(invalidDescription, [lit(symbol)]), 0, len);
  }
  scalarText = symbol;
  return kind;
}

function decodeInvalid(): number {
  const r = raw();
  if (r.endsWith("'''")) report(msg('missing opening quote', [lit("'''")]), 0, 0);
  else if (r.endsWith('"""')) report(msg('missing opening quote', [lit('"""')]), 0, 0);
  else if (r.endsWith("'")) report(msg('missing opening quote', [lit("'")]), 0, 0);
  else if (r.endsWith('"')) report(msg('missing opening quote', [lit('"')]), 0, 0);
  else report(NOT_QUOTED, 0, len);
  scalarText = r;
  return S_STRING;
}
