// `secrets` entries as `nucleus create` reads them (SOURCE:DEST, at `compose up`).

import { normalizeContainerDestination, type ValueResult } from './mount.js';

export interface SecretSpec {
  source: string;
  dest: string;
}

/** Split at the first `:`; DEST through the container-destination rules. SOURCE is resolved at up time. */
export function parseSecret(spec: string): ValueResult<SecretSpec> {
  const colon = spec.indexOf(':');
  if (colon < 0) return { ok: false, error: `Invalid secret format '${spec}', expected SOURCE:DEST` };
  const dest = normalizeContainerDestination(spec.slice(colon + 1));
  if (!dest.ok) return dest;
  return { ok: true, value: { source: spec.slice(0, colon), dest: dest.value } };
}
