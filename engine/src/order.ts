// Byte order of strings: the one key order of the engine (Rust's BTreeMap<String, _> compares UTF-8 bytes).

/**
 * Compares two strings by their UTF-8 bytes, which is the same as comparing their code points.
 * JS's `<` compares UTF-16 code units instead, which disagrees as soon as a character above U+FFFF
 * (a surrogate pair, 0xD800–0xDFFF) meets a BMP character in U+E000–U+FFFF: `'😀' < 'ｆ'` in JS, but
 * U+1F600 sorts after U+FF46 in Rust. Returns a negative number, 0 or a positive number.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Only the first differing unit decides. When both are ≥ 0xD800 remap so that surrogates
      // (which encode code points ≥ 0x10000) sort after U+E000–U+FFFF; below that UTF-16 order already
      // equals code-point order. If the first difference is a low surrogate, the high surrogates before it
      // were equal and low-surrogate order is code-point order.
      return (x >= 0xd800 && y >= 0xd800 ? remap(x) - remap(y) : x - y) < 0 ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : 1;
}

function remap(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  return unit + 0x2000; // 0xD800–0xDFFF → 0xF800–0xFFFF, above every remapped BMP unit
}

/** A new array with the strings in byte order (the input is not modified). */
export function byteSort(values: Iterable<string>): string[] {
  return Array.from(values).sort(compareBytes);
}

/** True when `keys` is already in strictly ascending byte order (what a BTreeMap yields). */
export function isByteSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    if (compareBytes(keys[i - 1] as string, keys[i] as string) >= 0) return false;
  }
  return true;
}

/**
 * A Map whose iteration order is byte order of its keys, as Rust's BTreeMap. Returns `map` itself when
 * it is already ordered (the common case: the decoder builds maps in order), so callers can use it freely.
 */
export function sortedMap<V>(map: ReadonlyMap<string, V> | Iterable<readonly [string, V]>): Map<string, V> {
  const entries = map instanceof Map ? null : Array.from(map as Iterable<readonly [string, V]>);
  if (map instanceof Map && isByteSorted(Array.from(map.keys()))) return map as Map<string, V>;
  const list = entries ?? Array.from((map as ReadonlyMap<string, V>).entries());
  list.sort((x, y) => compareBytes(x[0], y[0]));
  return new Map(list);
}
