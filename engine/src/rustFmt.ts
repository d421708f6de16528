// Rust's text escapes reproduced for Nucleus messages: `{:?}` of str/Path and `char::escape_default`.

// Rust's core::unicode::printable marks as non-printable the general categories Cc, Cf, Cs, Co, Cn, Zl, Zp
// and Zs except ' ' (library/core/src/unicode/printable.py). We use the host's Unicode tables through
// property escapes, so characters whose category changed between Node's ICU version and Rust's Unicode
// version may be classified differently: an accepted approximation (it only affects exotic names).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const GRAPHEME_EXTEND = /\p{Grapheme_Extend}/u;

function unicodeEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/**
 * One character as `impl Debug for str` writes it: `escape_debug_ext` with grapheme-extended chars and
 * double quotes escaped, single quotes not.
 */
function debugChar(ch: string, cp: number): string {
  switch (cp) {
    case 0x00:
      return '\\0';
    case 0x09:
      return '\\t';
    case 0x0d:
      return '\\r';
    case 0x0a:
      return '\\n';
    case 0x5c:
      return '\\\\';
    case 0x22:
      return '\\"';
  }
  if (cp >= 0x20 && cp < 0x7f) return ch;
  // A lone surrogate cannot exist in a Rust String; Rust's OsStr Debug writes it as \u{d800}, so do that.
  if (GRAPHEME_EXTEND.test(ch) || NON_PRINTABLE.test(ch)) return unicodeEscape(cp);
  return ch;
}

/**
 * Rust `{:?}` of a `&str`, `String` or (UTF-8) `Path`: the text in double quotes with `\t \r \n \\ \" \0`
 * and `\u{…}` (lowercase hex) for non-printable and grapheme-extending characters (combining marks), e.g.
 * `"q\"uote"`, `"tab\there"`, `"e\u{301}"`.
 */
export function rustDebugStr(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    // Printable ASCII other than `"` and `\` is the overwhelmingly common case: copy it in runs.
    if (!(cp >= 0x20 && cp < 0x7f && cp !== 0x22 && cp !== 0x5c)) {
      const ch = s.slice(i, i + width);
      const esc = debugChar(ch, cp);
      if (esc !== ch) {
        out += s.slice(from, i) + esc;
        from = i + width;
      }
    }
    i += width;
  }
  return out + s.slice(from) + '"';
}

/** Rust `{:?}` of a `Vec<String>`/`&[&String]`: `["a", "b"]`. */
export function rustDebugList(items: readonly string[]): string {
  return `[${items.map(rustDebugStr).join(', ')}]`;
}

/**
 * Rust `char::escape_default` of one character (given as a code point): `\t \r \n \' \" \\`, printable
 * ASCII U+0020–U+007E as is, everything else `\u{hex}` (lowercase, no padding).
 */
export function rustEscapeDefault(cp: number): string {
  switch (cp) {
    case 0x09:
      return '\\t';
    case 0x0d:
      return '\\r';
    case 0x0a:
      return '\\n';
    case 0x27:
      return "\\'";
    case 0x22:
      return '\\"';
    case 0x5c:
      return '\\\\';
  }
  if (cp >= 0x20 && cp <= 0x7e) return String.fromCharCode(cp);
  return unicodeEscape(cp);
}
