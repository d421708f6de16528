// Persistent volume preparation before `nucleus create` (reconcile.rs prepare_persistent_volume, spec §2.4 step 2).

import { closeSync, constants, fchownSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import type { Topology, VolumeDef } from '../model.js';
import { rustDebugStr } from '../rustFmt.js';
import {
  checkBindMountSourcePolicy,
  parseVolumeMount,
  parseVolumeOwner,
  persistentVolumePath,
} from '../values/mount.js';
import { rustOsError } from './osError.js';

export type PrepareResult = { ok: true; value: string } | { ok: false; error: string };

/**
 * Creates a persistent volume's directory as Nucleus does: sensitive-path policy on the normalized path, each missing
 * component made with mkdir (0755 for parents, 0700 for the leaf, umask applies, existing ones untouched), opened
 * without following symlinks, then canonicalized, re-checked and chowned when `owner` is set. Errors carry Nucleus's
 * wording (without the `Configuration error: ` prefix). Returns the canonical host path.
 */
export function preparePersistentVolume(name: string, volume: VolumeDef): PrepareResult {
  const normalized = persistentVolumePath(name, volume);
  if (!normalized.ok) return normalized;
  const path = normalized.value;
  const made = createDirAllNoFollow(path);
  if (!made.ok) return made;
  const fd = made.fd;
  try {
    let canonical: string;
    try {
      canonical = realpathSync.native(path);
    } catch (e) {
      return {
        ok: false,
        error: `Failed to canonicalize persistent volume '${name}' at ${rustDebugStr(path)}: ${rustOsError(e)}`,
      };
    }
    const recheck = checkBindMountSourcePolicy(canonical);
    if (!recheck.ok) return recheck;
    if (volume.owner !== null) {
      const owner = parseVolumeOwner(volume.owner);
      if (!owner.ok) return owner;
      try {
        fchownSync(fd, owner.value.uid, owner.value.gid);
      } catch (e) {
        return {
          ok: false,
          error: `Failed to set owner ${volume.owner} on persistent volume '${name}' at ${rustDebugStr(canonical)}: ${rustOsError(e)}`,
        };
      }
    }
    return { ok: true, value: canonical };
  } finally {
    closeSync(fd);
  }
}

/** create_persistent_volume_dir_all_nofollow: walks from `/`, never through a symlink; returns the leaf's fd. */
function createDirAllNoFollow(path: string): { ok: true; fd: number } | { ok: false; error: string } {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..')
      return { ok: false, error: `Persistent volume path is not normalized: ${rustDebugStr(path)}` };
    parts.push(part);
  }
  if (parts.length === 0)
    return { ok: false, error: 'Persistent volume path must not be the filesystem root' };
  const flags = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
  let current = '';
  let fd = -1;
  for (let i = 0; i < parts.length; i++) {
    current += `/${parts[i] as string}`;
    try {
      mkdirSync(current, { mode: i === parts.length - 1 ? 0o700 : 0o755 });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') {
        if (fd >= 0) closeSync(fd);
        return {
          ok: false,
          error: `Failed to create persistent volume directory component under ${rustDebugStr(path)}: ${rustOsError(e)}`,
        };
      }
    }
    // Each prefix was itself opened with O_NOFOLLOW on the previous round, so only the last component can be a link.
    let next: number;
    try {
      next = openSync(current, flags);
    } catch (e) {
      if (fd >= 0) closeSync(fd);
      return {
        ok: false,
        error: `Failed to open persistent volume directory component under ${rustDebugStr(path)} without following symlinks: ${rustOsError(e)}`,
      };
    }
    if (fd >= 0) closeSync(fd);
    fd = next;
  }
  return { ok: true, fd };
}

/**
 * Prepares, in entry order, every persistent volume a service mounts (again for each service, as Nucleus does).
 * Returns the canonical path per normalized host path, for buildRunArgs' `canonicalPath`, or the first error.
 */
export function prepareServiceVolumes(
  topology: Topology,
  service: string,
): { ok: true; canonical: Map<string, string> } | { ok: false; error: string } {
  const canonical = new Map<string, string>();
  const def = topology.services.get(service);
  if (!def) return { ok: true, canonical };
  for (const spec of def.volumes) {
    const mount = parseVolumeMount(spec);
    // Nucleus stops at the first bad entry; buildRunArgs then reports it with Nucleus's wording.
    if (!mount.ok) break;
    const volume = topology.volumes.get(mount.value.volume);
    if (!volume || (volume.volume_type !== 'persistent' && volume.volume_type !== 'ephemeral')) break;
    if (volume.volume_type === 'ephemeral') continue;
    const prepared = preparePersistentVolume(mount.value.volume, volume);
    if (!prepared.ok) return prepared;
    const normalized = checkBindMountSourcePolicy(volume.path as string);
    if (normalized.ok) canonical.set(normalized.value, prepared.value);
  }
  return { ok: true, canonical };
}
