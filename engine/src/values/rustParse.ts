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
  const digits = digitsOf(text);
  if (digits === null) return null;
  // More than 10 significant digits cannot fit 32 bits; leading zeros are allowed by Rust.
  const significant = digits.replace(/^0+(?=.)/, '');
  if (significant.length > 10) return null;
  const value = Number(significant);
  return value <= 2 ** bits - 1 ? value : null;
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
