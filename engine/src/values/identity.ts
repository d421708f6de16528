// `user` / `group` / `additional_groups` as main.rs resolve_process_identity and the user namespace treat them.

import { parseRustUnsigned } from './rustParse.js';

/** A value that parses as a Rust u32 is a numeric id; anything else is a name looked up on the host. */
export function numericId(value: string): number | null {
  const v = parseRustUnsigned(value, 32);
  return v === null ? null : Number(v);
}

/** Container ids mapped by the production user namespace when Nucleus runs as root (rootless maps only 0). */
export const MAPPED_ID_MAX = 65535;
