// A small strict JSON (RFC 8259) parser that keeps integers beyond 2^53 exact as BigInt (Nucleus state files hold u64s).

/** A parsed JSON value. Integers outside the safe range (or every integer, with `bigints: 'all'`) are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface ParseJsonOptions {
  /**
   * 'unsafe' (default): integers that do not fit a double exactly become bigint, others number.
   * 'all': every integer literal (no fraction, no exponent) is a bigint, so integers and floats stay distinguishable.
   */
  bigints?: 'unsafe' | 'all';
  /** Reject an object that repeats a key (serde rejects duplicate struct fields); default: last one wins. */
  rejectDuplicateKeys?: boolean;
  /** Maximum nesting depth (serde_json's default recursion limit is 128). */
  maxDepth?: number;
}

/** A syntax error, located by 0-based offset and 1-based line/column. */
export class JsonParseError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line} column ${column}`);
    this.name = 'JsonParseError';
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Parses one JSON text (surrounding whitespace allowed, nothing else). Throws JsonParseError. */
export function parseJson(text: string, options: ParseJsonOptions = {}): JsonValue {
  const allBig = options.bigints === 'all';
  const rejectDup = options.rejectDuplicateKeys === true;
  const maxDepth = options.maxDepth ?? 128;
  let pos = 0;

  const fail = (reason: string, at = pos): never => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonParseError(reason, at, line, at - lineStart + 1);
  };

  const skipWs = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else return;
    }
  };

  const parseString = (): string => {
    // pos is on the opening quote
    pos++;
    let out = '';
    let chunkStart = pos;
    for (;;) {
      if (pos >= text.length) fail('EOF while parsing a string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(chunkStart, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c === 0x5c) {
        out += text.slice(chunkStart, pos);
        const e = text[pos + 1];
        if (e === undefined) fail('EOF while parsing a string');
        if (e === 'u') {
          const unit = readHex4(pos + 2);
          pos += 6;
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (text[pos] !== '\\' || text[pos + 1] !== 'u') fail('lone leading surrogate in hex escape');
            const low = readHex4(pos + 2);
            if (low < 0xdc00 || low > 0xdfff) fail('lone leading surrogate in hex escape');
            pos += 6;
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            fail('lone trailing surrogate in hex escape');
          } else {
            out += String.fromCharCode(unit);
          }
        } else {
          const mapped = ESCAPES[e as string];
          if (mapped === undefined) fail('invalid escape', pos + 1);
          out += mapped;
          pos += 2;
        }
        chunkStart = pos;
        continue;
      }
      pos++;
    }
  };

  const readHex4 = (at: number): number => {
    const hex = text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid escape', at);
    return parseInt(hex, 16);
  };

  const parseNumber = (): number | bigint => {
    const start = pos;
    if (text[pos] === '-') pos++;
    if (text[pos] === '0') {
      pos++;
      if (isDigit(text.charCodeAt(pos))) fail('invalid number (leading zero)', pos);
    } else if (isDigit(text.charCodeAt(pos))) {
      while (isDigit(text.charCodeAt(pos))) pos++;
    } else {
      fail('invalid number', pos);
    }
    let integer = true;
    if (text[pos] === '.') {
      integer = false;
      pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('invalid number', pos);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      integer = false;
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      if (!isDigit(text.charCodeAt(pos))) fail('invalid number', pos);
      while (isDigit(text.charCodeAt(pos))) pos++;
    }
    const literal = text.slice(start, pos);
    if (integer) {
      const big = BigInt(literal);
      if (allBig) return big;
      if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER))
        return Number(big);
      return big;
    }
    const value = Number(literal);
    if (!Number.isFinite(value)) fail('number out of range', start);
    return value;
  };

  const parseValue = (depth: number): JsonValue => {
    skipWs();
    const c = text[pos];
    switch (c) {
      case '{': {
        if (depth >= maxDepth) fail('recursion limit exceeded');
        pos++;
        const obj: JsonObject = {};
        const seen = rejectDup ? new Set<string>() : null;
        skipWs();
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        for (;;) {
          skipWs();
          if (text[pos] !== '"') fail('key must be a string');
          const keyAt = pos;
          const key = parseString();
          if (seen) {
            if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
            seen.add(key);
          }
          skipWs();
          if (text[pos] !== ':') fail('expected `:`');
          pos++;
          const value = parseValue(depth + 1);
          // A "__proto__" key must become an own data property, not replace the prototype.
          Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
          skipWs();
          if (text[pos] === ',') {
            pos++;
            continue;
          }
          if (text[pos] === '}') {
            pos++;
            return obj;
          }
          fail(pos >= text.length ? 'EOF while parsing an object' : 'expected `,` or `}`');
        }
      }
      case '[': {
        if (depth >= maxDepth) fail('recursion limit exceeded');
        pos++;
        const arr: JsonValue[] = [];
        skipWs();
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        for (;;) {
          arr.push(parseValue(depth + 1));
          skipWs();
          if (text[pos] === ',') {
            pos++;
            continue;
          }
          if (text[pos] === ']') {
            pos++;
            return arr;
          }
          fail(pos >= text.length ? 'EOF while parsing a list' : 'expected `,` or `]`');
        }
      }
      case '"':
        return parseString();
      case 't':
        return literal('true', true);
      case 'f':
        return literal('false', false);
      case 'n':
        return literal('null', null);
      case undefined:
        return fail('EOF while parsing a value');
      default:
        if (c === '-' || isDigit(c.charCodeAt(0))) return parseNumber();
        return fail('expected value');
    }
  };

  const literal = <T extends JsonValue>(word: string, value: T): T => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return value;
    }
    return fail('expected ident');
  };

  const value = parseValue(0);
  skipWs();
  if (pos < text.length) fail('trailing characters');
  return value;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
