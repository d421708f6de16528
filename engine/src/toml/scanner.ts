// TOML lexer: splits the text into tokens exactly as toml_parser 1.x (the lexer of the Rust `toml` crate) does.
// Tokens live in typed arrays (kind/start/end, UTF-16 offsets) so lexing a large file allocates no object per token.

/** Token kinds. Plain numbers (not an enum) so they inline well and cost nothing across modules. */
export const EOF = 0;
export const DOT = 1;
export const EQUALS = 2;
export const COMMA = 3;
export const LBRACKET = 4;
export const RBRACKET = 5;
export const LBRACE = 6;
export const RBRACE = 7;
export const WHITESPACE = 8;
export const COMMENT = 9;
export const NEWLINE = 10;
export const LITERAL_STRING = 11;
export const BASIC_STRING = 12;
export const ML_LITERAL_STRING = 13;
export const ML_BASIC_STRING = 14;
export const ATOM = 15;

export interface Tokens {
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  count: number;
}

/** True for the four string token kinds (which double as quoted keys). */
export function isStringKind(kind: number): boolean {
  return kind >= LITERAL_STRING && kind <= ML_BASIC_STRING;
}

// An atom (bare key, number, bool, date…) runs until one of these ASCII characters. Quotes are deliberately
// not delimiters: toml_parser keeps `abc"` in one atom so it can report a missing opening quote.
const ATOM_END = new Uint8Array(128);
for (const c of '.=,[]{} \t#\r\n') ATOM_END[c.charCodeAt(0)] = 1;

export function lex(text: string): Tokens {
  const n = text.length;
  let capacity = (n >> 2) + 16;
  let kind = new Uint8Array(capacity);
  let start = new Uint32Array(capacity);
  let end = new Uint32Array(capacity);
  let count = 0;

  const push = (k: number, s: number, e: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const k2 = new Uint8Array(capacity);
      k2.set(kind);
      kind = k2;
      const s2 = new Uint32Array(capacity);
      s2.set(start);
      start = s2;
      const e2 = new Uint32Array(capacity);
      e2.set(end);
      end = e2;
    }
    kind[count] = k;
    start[count] = s;
    end[count] = e;
    count++;
  };

  // A byte order mark is skipped only at the very start; anywhere else it is an ordinary character.
  let i = n > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const s = i;
    const c = text.charCodeAt(i);
    let k: number;
    switch (c) {
      case 0x2e:
        k = DOT;
        i++;
        break;
      case 0x3d:
        k = EQUALS;
        i++;
        break;
      case 0x2c:
        k = COMMA;
        i++;
        break;
      case 0x5b:
        k = LBRACKET;
        i++;
        break;
      case 0x5d:
        k = RBRACKET;
        i++;
        break;
      case 0x7b:
        k = LBRACE;
        i++;
        break;
      case 0x7d:
        k = RBRACE;
        i++;
        break;
      case 0x20:
      case 0x09: {
        k = WHITESPACE;
        i++;
        let d = text.charCodeAt(i);
        while (d === 0x20 || d === 0x09) d = text.charCodeAt(++i);
        break;
      }
      case 0x23: {
        k = COMMENT;
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === 0x0a || d === 0x0d) break;
          i++;
        }
        break;
      }
      case 0x0d:
        k = NEWLINE;
        i++;
        if (text.charCodeAt(i) === 0x0a) i++;
        break;
      case 0x0a:
        k = NEWLINE;
        i++;
        break;
      case 0x27:
        if (text.charCodeAt(i + 1) === 0x27 && text.charCodeAt(i + 2) === 0x27) {
          k = ML_LITERAL_STRING;
          const close = text.indexOf("'''", i + 3);
          if (close < 0) {
            i = n;
          } else {
            // Up to two more quotes belong to the content (`''''a''''` ends with the last three).
            i = close + 3;
            if (text.charCodeAt(i) === 0x27) {
              i++;
              if (text.charCodeAt(i) === 0x27) i++;
            }
          }
        } else {
          k = LITERAL_STRING;
          i++;
          while (i < n) {
            const d = text.charCodeAt(i);
            if (d === 0x27) {
              i++;
              break;
            }
            // An unclosed literal string stops before the line break, for error recovery.
            if (d === 0x0a) break;
            i++;
          }
        }
        break;
      case 0x22:
        if (text.charCodeAt(i + 1) === 0x22 && text.charCodeAt(i + 2) === 0x22) {
          k = ML_BASIC_STRING;
          i += 3;
          let closed = false;
          while (i < n) {
            const d = text.charCodeAt(i);
            if (d === 0x5c) {
              i++;
              const e = text.charCodeAt(i);
              if (e === 0x5c || e === 0x22) i++;
            } else if (d === 0x22 && text.charCodeAt(i + 1) === 0x22 && text.charCodeAt(i + 2) === 0x22) {
              i += 3;
              closed = true;
              break;
            } else {
              i++;
            }
          }
          if (closed && text.charCodeAt(i) === 0x22) {
            i++;
            if (text.charCodeAt(i) === 0x22) i++;
          }
        } else {
          k = BASIC_STRING;
          i++;
          while (i < n) {
            const d = text.charCodeAt(i);
            if (d === 0x22) {
              i++;
              break;
            }
            if (d === 0x5c) {
              i++;
              const e = text.charCodeAt(i);
              if (e === 0x5c || e === 0x22) i++;
              continue;
            }
            if (d === 0x0a) break;
            i++;
          }
        }
        break;
      default: {
        k = ATOM;
        i++;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d < 128 && ATOM_END[d] === 1) break;
          i++;
        }
      }
    }
    push(k, s, i);
  }
  push(EOF, n, n);
  return { kind, start, end, count };
}
