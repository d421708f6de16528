// `environment` keys as `nucleus create -e KEY=VALUE` accepts them (0.3.8 main.rs; 0.3.9 parse_env_assignment).

import type { SupportedVersion } from '../model.js';
import type { ValueResult } from './mount.js';

const BLOCKED_ENV_KEYS: readonly string[] = [
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'LD_DEBUG',
  'LD_PROFILE',
];

/** How a `KEY=VALUE` pair is split again by create: at the first `=`. */
function resplitEnv(key: string, value: string): { key: string; value: string } {
  if (!key.includes('=')) return { key, value };
  const joined = `${key}=${value}`;
  const eq = joined.indexOf('=');
  return { key: joined.slice(0, eq), value: joined.slice(eq + 1) };
}

/** 0.3.9 parse_env_assignment's key grammar. */
const ENV_KEY_039 = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BLOCKED = new Set(BLOCKED_ENV_KEYS);

/** The key create ends up with, or Nucleus's refusal. */
export function checkEnvironmentPair(
  key: string,
  value: string,
  version: SupportedVersion,
): ValueResult<string> {
  // The common case (a plain key that passes) allocates nothing but the result.
  if (
    !key.includes('=') &&
    !BLOCKED.has(key) &&
    (version !== '0.3.9' || (ENV_KEY_039.test(key) && !value.includes('\u0000')))
  ) {
    return { ok: true, value: key };
  }
  const effective = resplitEnv(key, value);
  if (version === '0.3.9') {
    if (!ENV_KEY_039.test(effective.key))
      return { ok: false, error: `Invalid env var key '${effective.key}'` };
    if (effective.value.includes('\u0000'))
      return { ok: false, error: `Invalid env var value for '${effective.key}': contains NUL` };
  }
  if (BLOCKED_ENV_KEYS.includes(effective.key)) {
    return {
      ok: false,
      error: `Environment variable '${effective.key}' is blocked (dynamic linker injection risk). This restriction applies in all modes.`,
    };
  }
  return { ok: true, value: effective.key };
}
