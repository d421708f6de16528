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
  /** Some multi-line string was unclosed and cut at the end of its first line (see {@link lex}). */
  cutStrings: boolean;
}

// An atom (bare key, number, bool, date…) runs until one of these ASCII characters. Quotes are deliberately
// not delimiters: toml_parser keeps `abc"` in one atom so it can report a missing opening quote.
const ATOM_END = new Uint8Array(128);
for (const c of '.=,[]{} \t#\r\n') ATOM_END[c.charCodeAt(0)] = 1;

/** Token arrays kept between calls (see {@link lex}'s `reuse`). */
interface Buffers {
  kind: Uint8Array;
  start: Uint32Array;
  end: Uint32Array;
  /** How many slots the last lex into them used (beyond it they are zero, as in fresh arrays). */
  used: number;
}

/**
 * The arrays of the last reusable lex. Allocating them afresh costs more than lexing (a 700 KB file needs
 * ~3 MB of zeroed memory per parse, the editor parses on every keystroke), so they are kept, but only
 * weakly: a full garbage collection (memory pressure, an idle editor) may free them.
 */
let scratch: WeakRef<Buffers> | undefined;

/**
 * Lexes the whole text. An unclosed multi-line string runs to the end of the file, as in the crate; with
 * `cutUnclosed` it ends with its first line instead, so the rest of a file being edited still parses.
 * With `reuse`, the result's arrays are shared with the previous and the next reusing call: it is valid
 * until then (parseToml uses it within one call).
 */
export function lex(text: string, cutUnclosed = false, reuse = false): Tokens {
  const n = text.length;
  const kept = reuse ? scratch?.deref() : undefined;
  // Typical TOML has about one token per 2.5 characters.
  let capacity = kept !== undefined ? kept.kind.length : (n >> 1) + 16;
  let kind = kept !== undefined ? kept.kind : new Uint8Array(capacity);
  let start = kept !== undefined ? kept.start : new Uint32Array(capacity);
  let end = kept !== undefined ? kept.end : new Uint32Array(capacity);
  let count = 0;
  let cutStrings = false;

  const grow = (): void => {
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
            i = cutUnclosed ? beforeNextHeader(text, i) : n;
            cutStrings ||= i < n;
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
          if (!closed && cutUnclosed) {
            i = beforeNextHeader(text, s);
            cutStrings ||= i < n;
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
    if (count === capacity) grow();
    kind[count] = k;
    start[count] = s;
    end[count] = i;
    count++;
  }
  if (count === capacity) grow();
  kind[count] = EOF;
  start[count] = n;
  end[count] = n;
  count++;
  if (reuse) {
    if (kept !== undefined && kind === kept.kind) {
      // Slots past the end read as in fresh arrays (EOF at offset 0): clear what the previous text left.
      if (kept.used > count) {
        kind.fill(0, count, kept.used);
        start.fill(0, count, kept.used);
        end.fill(0, count, kept.used);
      }
      kept.used = count;
    } else scratch = new WeakRef({ kind, start, end, used: count });
  }
  return { kind, start, end, count, cutStrings };
}

/**
 * For an unclosed multi-line string starting at `from`: the end of the line before the next line that reads
 * as a table header (`[name]`), or the end of the text. Lines in between stay string content (they were
 * most likely meant as such), and the sections after the header parse normally.
 */
function beforeNextHeader(text: string, from: number): number {
  for (let nl = text.indexOf('\n', from); nl >= 0; nl = text.indexOf('\n', nl + 1)) {
    let j = nl + 1;
    while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09) j++;
    if (text.charCodeAt(j) !== 0x5b) continue;
    const next = text.indexOf('\n', j);
    const close = text.indexOf(']', j);
    if (close >= 0 && (next < 0 || close < next))
      return nl > from && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
  }
  return text.length;
}
