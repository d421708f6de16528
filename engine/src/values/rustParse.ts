// Rust's `str::parse::<uN>()` as Nucleus's value parsers use it: optional leading `+`, ASCII digits only.

/** Parses like Rust `u64::from_str`/`u32::from_str`/`u8::from_str` (bits = width); null when Rust fails. */
export function parseRustUnsigned(text: string, bits: 8 | 16 | 32 | 64): bigint | null {
  let digits = text;
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (digits === '' || !/^[0-9]+$/.test(digits)) return null;
  const value = BigInt(digits);
  return value <= (1n << BigInt(bits)) - 1n ? value : null;
}

/** The reason Rust's integer parser gives, as `ParseIntError`'s Display words it. */
export function rustParseIntReason(text: string, bits: 8 | 16 | 32 | 64): string | null {
  let digits = text;
  if (text === '') return 'cannot parse integer from empty string';
  if (text === '+' || text === '-') return 'invalid digit found in string';
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (!/^[0-9]+$/.test(digits)) return 'invalid digit found in string';
  return BigInt(digits) > (1n << BigInt(bits)) - 1n ? 'number too large to fit in target type' : null;
}
