// The health-check allow-list of reconcile.rs validate_health_check_command (applied when `up` waits for a
// service to become healthy), with Nucleus's exact message and the offending character's position.

import { rustEscapeDefault } from '../rustFmt.js';

export type HealthCheckResult =
  | { ok: true }
  | {
      ok: false;
      /** Nucleus's message, without the `Configuration error: ` prefix. */
      error: string;
      /** UTF-16 offset in the command of the first unsafe character (0 for an empty command). */
      index: number;
      /** The unsafe character as a JS string (two code units above U+FFFF); '' for an empty command. */
      char: string;
    };

function isSafe(cp: number): boolean {
  return (
    (cp >= 0x61 && cp <= 0x7a) || // a-z
    (cp >= 0x41 && cp <= 0x5a) || // A-Z
    (cp >= 0x30 && cp <= 0x39) || // 0-9
    cp === 0x20 || // space
    cp === 0x2d || // -
    cp === 0x5f || // _
    cp === 0x2e || // .
    cp === 0x2f || // /
    cp === 0x3a || // :
    cp === 0x40 || // @
    cp === 0x3d || // =
    cp === 0x3f // ?
  );
}

/**
 * Empty ⇒ `Health check command must not be empty`; else the first character outside
 * `[a-zA-Z0-9 \-_./:@=?]` ⇒ `Health check command contains unsafe character '<escape_default>'
 * (code point U+<at least 4 uppercase hex digits>): <command>`.
 */
export function validateHealthCheckCommand(cmd: string): HealthCheckResult {
  if (cmd === '') return { ok: false, error: 'Health check command must not be empty', index: 0, char: '' };
  for (let i = 0; i < cmd.length;) {
    const cp = cmd.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (!isSafe(cp)) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      return {
        ok: false,
        error: `Health check command contains unsafe character '${rustEscapeDefault(cp)}' (code point U+${hex}): ${cmd}`,
        index: i,
        char: cmd.slice(i, i + width),
      };
    }
    i += width;
  }
  return { ok: true };
}
