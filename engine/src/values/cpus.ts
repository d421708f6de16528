// `cpus` range check of limits.rs with_cpu_cores (at `compose up`).

import type { ValueResult } from './mount.js';

/** Finite, > 0 and ≤ 65536; messages without the `Invalid resource limit: ` prefix. */
export function checkCpus(cpus: number): ValueResult<number> {
  if (!Number.isFinite(cpus) || cpus <= 0)
    return { ok: false, error: 'CPU cores must be a finite positive number' };
  if (cpus > 65536) return { ok: false, error: 'CPU cores must be <= 65536' };
  return { ok: true, value: cpus };
}
