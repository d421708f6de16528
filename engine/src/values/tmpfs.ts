// Ephemeral volume `size` as `nucleus create --tmpfs DEST[:SIZE][:ro|rw]` and the tmpfs mount step read it.

import type { ValueResult } from './mount.js';
import { parseRustUnsigned } from './rustParse.js';

/** The `--tmpfs` value `compose up` generates for a mount of an ephemeral volume. */
export function tmpfsSpec(dest: string, size: string | null, readOnly: boolean): string {
  if (size !== null) return `${dest}:${size}${readOnly ? ':ro' : ''}`;
  return readOnly ? `${dest}:ro` : dest;
}

/** create's size test: trailing ASCII letters stripped, the rest a Rust u64. */
function createAcceptsSize(size: string): boolean {
  return parseRustUnsigned(size.replace(/[A-Za-z]+$/, ''), 64) !== null;
}

/**
 * What `nucleus create` and then the mount step say about a `--tmpfs` value; ok when both accept it.
 * Messages are Nucleus's (`Invalid tmpfs format …`, `Invalid tmpfs second field …`, `Invalid tmpfs size value …`).
 */
export function checkTmpfsSpec(spec: string): ValueResult<string> {
  const parts = spec.split(':');
  let size: string | null = null;
  if (parts.length === 2) {
    const second = parts[1] as string;
    if (second !== 'ro' && second !== 'rw') {
      if (!createAcceptsSize(second)) {
        return {
          ok: false,
          error: `Invalid tmpfs second field '${second}' in '${spec}': expected a size (e.g. 64M) or mode (ro|rw)`,
        };
      }
      size = second;
    }
  } else if (parts.length === 3) {
    const [, second, third] = parts as [string, string, string];
    if (!createAcceptsSize(second) || (third !== 'ro' && third !== 'rw')) {
      return { ok: false, error: `Invalid tmpfs format '${spec}', expected DEST[:SIZE][:ro|rw]` };
    }
    size = second;
  } else if (parts.length > 3) {
    return { ok: false, error: `Invalid tmpfs format '${spec}', expected DEST[:SIZE][:ro|rw]` };
  }
  if (size !== null && !/^[0-9]+[kKmMgG]?$/.test(size)) {
    return {
      ok: false,
      error: `Invalid tmpfs size value '${size}': only digits with optional K/M/G suffix allowed`,
    };
  }
  return { ok: true, value: spec };
}

/** The editor's safe grammar for `size`: digits with an optional K/M/G (either case). */
export function isSafeTmpfsSize(size: string): boolean {
  return /^[0-9]+[kKmMgG]?$/.test(size);
}
