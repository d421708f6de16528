// `memory` grammar of limits.rs parse_memory (checked by the child `nucleus create` at `compose up`).

import type { ValueResult } from './mount.js';
import { parseRustUint, parseRustUnsigned } from './rustParse.js';

const MULTIPLIERS: Readonly<Record<string, bigint>> = {
  K: 1024n,
  k: 1024n,
  M: 1024n ** 2n,
  m: 1024n ** 2n,
  G: 1024n ** 3n,
  g: 1024n ** 3n,
  T: 1024n ** 4n,
  t: 1024n ** 4n,
};
const U64_MAX = 2n ** 64n - 1n;

/**
 * `parse_memory`: trimmed; `K/M/G/T` (either case) multiply by powers of 1024, the rest must be a Rust u64.
 * Errors are Nucleus's `InvalidResourceLimit` texts without the `Invalid resource limit: ` prefix.
 */
export function parseMemory(value: string): ValueResult<bigint> {
  const s = value.trim();
  if (s === '') return { ok: false, error: 'Empty memory limit' };
  const last = s.charAt(s.length - 1);
  const multiplier = MULTIPLIERS[last];
  const digits = multiplier === undefined ? s : s.slice(0, -1);
  // Common case: a short number whose product stays exact in a double (< 2^53) needs no BigInt.
  const small = digits.length <= 9 ? parseRustUint(digits, 32) : null;
  if (small !== null) {
    const m = multiplier === undefined ? 1 : Number(multiplier);
    if (small * m <= Number.MAX_SAFE_INTEGER) return { ok: true, value: BigInt(small * m) };
  }
  const n = parseRustUnsigned(digits, 64);
  if (n === null) return { ok: false, error: `Invalid memory value: ${s}` };
  const bytes = n * (multiplier ?? 1n);
  if (bytes > U64_MAX) return { ok: false, error: `Memory value overflows u64: ${s}` };
  return { ok: true, value: bytes };
}
