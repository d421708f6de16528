// Rust's `str::parse::<uN>()` as Nucleus's value parsers use it: optional leading `+`, ASCII digits only.

function digitsOf(text: string): string | null {
  const digits = text.charCodeAt(0) === 43 /* + */ ? text.slice(1) : text;
  if (digits === '') return null;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return digits;
}

/** Rust `u8/u16/u32::from_str` as a JS number; null when Rust fails. */
export function parseRustUint(text: string, bits: 8 | 16 | 32): number | null {
  return parseRustUintAt(text, 0, text.length, bits);
}

/** {@link parseRustUint} of `text.slice(start, end)`, without slicing. */
export function parseRustUintAt(text: string, start: number, end: number, bits: 8 | 16 | 32): number | null {
  let i = start < end && text.charCodeAt(start) === 43 /* + */ ? start + 1 : start;
  if (i === end) return null;
  const max = bits === 32 ? 0xffffffff : bits === 16 ? 0xffff : 0xff;
  // Digits are read left to right; once the value is past the maximum it can only grow (leading zeros,
  // which Rust allows, keep it at 0), so the first overflow decides, as in Rust.
  let value = 0;
  let overflow = false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    if (!overflow) {
      value = value * 10 + c;
      if (value > max) overflow = true;
    }
  }
  return overflow ? null : value;
}

/** Rust `u64::from_str` (or narrower); null when Rust fails. */
export function parseRustUnsigned(text: string, bits: 8 | 16 | 32 | 64): bigint | null {
  if (bits !== 64) {
    const n = parseRustUint(text, bits);
    return n === null ? null : BigInt(n);
  }
  const digits = digitsOf(text);
  if (digits === null) return null;
  const value = BigInt(digits);
  return value <= 0xffffffffffffffffn ? value : null;
}
