// Volume value rules shared by the validator, the run-args builder and volume preparation: service volume
// entries, container destinations, persistent host paths (mount.rs / config.rs) and volume owners. Messages are
// Nucleus's, without the `Configuration error: ` prefix.

import type { VolumeDef } from '../model.js';
import { rustDebugStr } from '../rustFmt.js';

export type ValueResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A parsed service `volumes` entry (`ServiceVolumeMount`). */
export interface ServiceVolumeMount {
  /** The referenced `[volumes.X]` name (non-empty; may still start with '/', which validate() rejects). */
  volume: string;
  /** The normalized container destination. */
  dest: string;
  readOnly: boolean;
}

/** Container destinations a volume may not equal or lie under (mount.rs RESERVED_VOLUME_DESTINATION_PREFIXES). */
const RESERVED_VOLUME_DESTINATIONS: readonly string[] = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/nix',
  '/proc',
  '/run/secrets',
  '/sbin',
  '/sys',
  '/usr',
];

/** Host subtrees a bind mount source may not equal or lie under (mount.rs DENIED_BIND_MOUNT_SOURCE_PREFIXES). */
const SENSITIVE_HOST_PATHS: readonly string[] = [
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/proc',
  '/root',
  '/run',
  '/sys',
  '/var/log',
  '/var/run',
];

/**
 * The components of an absolute path as Rust's `Path::components()` yields them after the root: empty
 * segments (repeated or trailing slashes) and `.` are dropped, `..` is kept.
 */
function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/**
 * True when `path` is already what {@link components} + join would give back: absolute, not `/`, no empty,
 * `.` or `..` component. Such paths (nearly all) are normalized without splitting.
 */
function isNormalAbsolute(path: string): boolean {
  const n = path.length;
  if (n < 2 || path.charCodeAt(0) !== 47) return false;
  let segment = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && path.charCodeAt(i) !== 47) continue;
    const len = i - segment;
    if (len === 0) return false;
    if (path.charCodeAt(segment) === 46 && (len === 1 || (len === 2 && path.charCodeAt(segment + 1) === 46)))
      return false;
    segment = i + 1;
  }
  return true;
}

/** Component-wise `Path::starts_with` for normalized absolute paths (`/etcx` is not under `/etc`). */
function isUnder(path: string, prefix: string): boolean {
  return path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47);
}

/**
 * `normalize_container_destination`: absolute, `.` segments and extra slashes dropped, no `..`, not `/`.
 * Returns the normalized path.
 */
export function normalizeContainerDestination(dest: string): ValueResult<string> {
  if (!dest.startsWith('/')) {
    return { ok: false, error: `Container destination must be absolute: ${rustDebugStr(dest)}` };
  }
  if (isNormalAbsolute(dest)) return { ok: true, value: dest };
  const parts = components(dest);
  if (parts.includes('..')) {
    return {
      ok: false,
      error: `Container destination must not contain parent traversal: ${rustDebugStr(dest)}`,
    };
  }
  if (parts.length === 0) {
    return {
      ok: false,
      error: `Container destination must not be the root directory: ${rustDebugStr(dest)}`,
    };
  }
  return { ok: true, value: `/${parts.join('/')}` };
}

/** `normalize_volume_destination`: the container-destination rules, then the reserved prefixes. */
export function normalizeVolumeDestination(dest: string): ValueResult<string> {
  const normalized = normalizeContainerDestination(dest);
  if (!normalized.ok) return normalized;
  for (const reserved of RESERVED_VOLUME_DESTINATIONS) {
    if (isUnder(normalized.value, reserved)) {
      return {
        ok: false,
        error: `Volume destination '${normalized.value}' is reserved for trusted container/runtime paths and cannot be overlaid`,
      };
    }
  }
  return normalized;
}

/**
 * `parse_service_volume_mount`: split on every `:` into `VOL:DEST`, `VOL:DEST:ro` or `VOL:DEST:rw`; VOL
 * non-empty; DEST through {@link normalizeVolumeDestination}. (validate() then rejects a VOL starting with
 * `/` and unknown volumes; that is not part of this parser.)
 */
export function parseVolumeMount(spec: string): ValueResult<ServiceVolumeMount> {
  // `split(':')` into 2 or 3 parts, found with indexOf.
  const first = spec.indexOf(':');
  const second = first < 0 ? -1 : spec.indexOf(':', first + 1);
  let readOnly = false;
  if (first < 0 || (second >= 0 && spec.indexOf(':', second + 1) >= 0)) {
    return { ok: false, error: `Invalid volume mount '${spec}', expected VOLUME:DEST[:ro|rw]` };
  }
  if (second >= 0) {
    const mode = spec.slice(second + 1);
    if (mode !== 'ro' && mode !== 'rw') {
      return { ok: false, error: `Invalid volume mount '${spec}', expected VOLUME:DEST[:ro|rw]` };
    }
    readOnly = mode === 'ro';
  }
  const volume = spec.slice(0, first);
  if (volume === '') return { ok: false, error: `Volume mount '${spec}' must name a topology volume` };
  const dest = normalizeVolumeDestination(spec.slice(first + 1, second >= 0 ? second : spec.length));
  if (!dest.ok) return dest;
  return { ok: true, value: { volume, dest: dest.value, readOnly } };
}

/**
 * `normalize_bind_mount_source_for_policy`: absolute, then lexically normalized without touching the disk
 * (`.` dropped, `..` pops a component and stops at `/`).
 */
export function normalizeHostPath(path: string): ValueResult<string> {
  if (!path.startsWith('/')) {
    return { ok: false, error: `Bind mount source must be absolute: ${rustDebugStr(path)}` };
  }
  if (isNormalAbsolute(path)) return { ok: true, value: path };
  const stack: string[] = [];
  for (const part of components(path)) {
    if (part === '..') stack.pop();
    else stack.push(part);
  }
  return { ok: true, value: `/${stack.join('/')}` };
}

/**
 * `validate_bind_mount_source_policy` (persistent volume paths): {@link normalizeHostPath}, then rejects `/`
 * and anything equal to or under a {@link SENSITIVE_HOST_PATHS} entry. Returns the normalized path.
 */
export function checkBindMountSourcePolicy(path: string): ValueResult<string> {
  const normalized = normalizeHostPath(path);
  if (!normalized.ok) return normalized;
  const p = normalized.value;
  if (p === '/') {
    return {
      ok: false,
      error: `Bind mount source '/' is a sensitive host path and cannot be mounted into containers`,
    };
  }
  for (const prefix of SENSITIVE_HOST_PATHS) {
    if (isUnder(p, prefix)) {
      return {
        ok: false,
        error: `Bind mount source '${p}' is under sensitive host path '${prefix}' and cannot be mounted into containers`,
      };
    }
  }
  return normalized;
}

const U32_MAX = 0xffffffff;

/**
 * Rust `u32::from_str` error reason, or the value: optional single leading `+`, decimal digits only,
 * scanned left to right (so an overflow is reported before a later bad digit, as Rust does).
 */
function parseU32(text: string): { ok: true; value: number } | { ok: false; reason: string } {
  if (text === '') return { ok: false, reason: 'cannot parse integer from empty string' };
  let digits = text;
  if (text === '+' || text === '-') return { ok: false, reason: 'invalid digit found in string' };
  if (text.startsWith('+')) digits = text.slice(1);
  let value = 0;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return { ok: false, reason: 'invalid digit found in string' };
    value = value * 10 + c;
    if (value > U32_MAX) return { ok: false, reason: 'number too large to fit in target type' };
  }
  return { ok: true, value };
}

/**
 * The first steps of `prepare_persistent_volume` (for `compose up`): `path` present and absolute, then the
 * sensitive-path policy. Returns the lexically normalized host path.
 */
export function persistentVolumePath(name: string, volume: VolumeDef): ValueResult<string> {
  if (volume.path === null) return { ok: false, error: `Persistent volume '${name}' must define path` };
  if (!volume.path.startsWith('/')) {
    return {
      ok: false,
      error: `Persistent volume '${name}' path must be absolute: ${rustDebugStr(volume.path)}`,
    };
  }
  return checkBindMountSourcePolicy(volume.path);
}

/**
 * `parse_volume_owner`: `UID:GID` split at the first `:`, each a Rust u32 (optional `+`). Used by validate()
 * (rule V6) and again by `compose up` before chowning a persistent volume.
 */
export function parseVolumeOwner(owner: string): ValueResult<{ uid: number; gid: number }> {
  const colon = owner.indexOf(':');
  if (colon < 0) return { ok: false, error: `Invalid volume owner '${owner}', expected UID:GID` };
  const uidText = owner.slice(0, colon);
  const gidText = owner.slice(colon + 1);
  const uid = parseU32(uidText);
  if (!uid.ok)
    return { ok: false, error: `Invalid volume owner UID '${uidText}' in '${owner}': ${uid.reason}` };
  const gid = parseU32(gidText);
  if (!gid.ok)
    return { ok: false, error: `Invalid volume owner GID '${gidText}' in '${owner}': ${gid.reason}` };
  return { ok: true, value: { uid: uid.value, gid: gid.value } };
}
