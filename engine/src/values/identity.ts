// `user` / `group` / `additional_groups` as main.rs resolve_process_identity and the user namespace treat them.

import { parseRustUint } from './rustParse.js';

/** A value that parses as a Rust u32 is a numeric id; anything else is a name looked up on the host. */
export function numericId(value: string): number | null {
  return parseRustUint(value, 32);
}

/** Container ids mapped by the production user namespace when Nucleus runs as root (rootless maps only 0). */
export const MAPPED_ID_MAX = 65535;
