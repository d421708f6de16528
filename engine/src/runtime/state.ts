// Reads Nucleus's container state files (spec §6.2–§6.3): decoding, liveness and `resolve_container`, read-only.

import { constants } from 'node:fs';
import { open, opendir, readFile } from 'node:fs/promises';
import { parseJson, isJsonObject, JsonParseError, type JsonObject, type JsonValue } from '../json.js';
import { errorMessage } from './osError.js';

export type ContainerStatus = 'creating' | 'created' | 'running' | 'stopped';

/**
 * One `<id>.json` state file, decoded like Nucleus's serde `ContainerState` (0.3.8 fields, plus the 0.3.9 ones when
 * present). u64 values that can exceed 2^53 are decimal strings.
 */
export interface ContainerState {
  id: string;
  /** `<topo>-<svc>` for topology containers. */
  name: string;
  /** Host pid of the container's init process. */
  pid: number;
  command: string[];
  /** Unix seconds. */
  started_at: number;
  memory_limit: number | null;
  cpu_limit: number | null;
  using_gvisor: boolean;
  rootless: boolean;
  cgroup_path: string | null;
  /** The topology change hash (u64, decimal string), or null. */
  config_hash: string | null;
  creator_uid: number;
  process_uid: number;
  process_gid: number;
  additional_gids: number[];
  /** Field 22 of /proc/<pid>/stat at registration (u64, decimal string); "0" when unknown. */
  start_ticks: string;
  /** Missing in the file ⇒ 'stopped'. */
  status: ContainerStatus;
  bundle_path: string | null;
  annotations: Record<string, string>;
  /** 0.3.9: the launch environment (sensitive). */
  environment?: Record<string, string>;
  /** 0.3.9 */
  workdir?: string;
  rootfs_path?: string | null;
  rootfs_mode?: string;
  rootfs_upperdir?: string | null;
  rootfs_workdir?: string | null;
}

/** Whether a state counts as running (§6.3) and why, in words ("pid 123 gone"). */
export interface Liveness {
  running: boolean;
  reason: string;
}

/** Decides liveness; the default reads /proc. `file` is the state file's name. */
export type LivenessCheck = (state: ContainerState, file: string) => Liveness | Promise<Liveness>;

/** A state file as read: its name, decoded state and liveness. */
export interface ObservedContainer {
  /** File name, e.g. `3f9c….json`. */
  file: string;
  state: ContainerState;
  running: boolean;
  /** Why it is (not) running: "running", "status stopped", "pid 123 gone", "pid 123 reused (start ticks …)". */
  liveness: string;
}

/** A `*.json` file that could not be used (unreadable, not JSON, not a container state). It is skipped. */
export interface StateFileProblem {
  file: string;
  message: string;
}

/** Everything read from one state directory at one moment. Plain data. */
export interface StateSnapshot {
  /** The directory read (null when none could be determined). */
  dir: string | null;
  /** Containers in directory order (the order Nucleus reads them: later ones win in plan_reconcile). */
  containers: ObservedContainer[];
  problems: StateFileProblem[];
  /** Set when the directory itself could not be listed (Nucleus then treats it as "none running"). */
  error?: string;
  /** Date.now() when read. */
  readAt: number;
}

export interface ReadStateOptions {
  liveness?: LivenessCheck;
}

/**
 * Reads every `*.json` state file of `dir` (a missing directory is empty). Never throws for a bad file: it is listed
 * in `problems` and skipped, as Nucleus skips it with a warning.
 */
export async function readStateDir(dir: string, options: ReadStateOptions = {}): Promise<StateSnapshot> {
  const liveness = options.liveness ?? procLiveness;
  const snapshot: StateSnapshot = { dir, containers: [], problems: [], readAt: Date.now() };
  const names: string[] = [];
  try {
    // opendir iterates in readdir order, like Rust's read_dir (fs.readdir would sort).
    const handle = await opendir(dir);
    for await (const entry of handle) {
      if (isStateFileName(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return snapshot;
    snapshot.error = `Failed to read state directory ${JSON.stringify(dir)}: ${errorMessage(error)}`;
    return snapshot;
  }
  for (const file of names) {
    const text = await readNoFollow(`${dir}/${file}`);
    if (typeof text !== 'string') {
      snapshot.problems.push({ file, message: `cannot read: ${text.error}` });
      continue;
    }
    const decoded = decodeContainerState(text);
    if ('error' in decoded) {
      snapshot.problems.push({ file, message: decoded.error });
      continue;
    }
    const live = await liveness(decoded.state, file);
    snapshot.containers.push({ file, state: decoded.state, running: live.running, liveness: live.reason });
  }
  return snapshot;
}

/** Rust's `Path::extension() == Some("json")`: `x.json` yes, `.json` and `x.json.tmp` no. */
export function isStateFileName(name: string): boolean {
  return name.endsWith('.json') && name.lastIndexOf('.') > 0;
}

async function readNoFollow(path: string): Promise<string | { error: string }> {
  try {
    // O_NOFOLLOW as Nucleus: a symlinked state file is not followed.
    const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (error) {
    return { error: errnoCode(error) === 'ELOOP' ? 'is a symlink (not followed)' : errorMessage(error) };
  }
}

/** Decodes a state file's text like serde would decode `ContainerState`; an error says which field is wrong. */
export function decodeContainerState(text: string): { state: ContainerState } | { error: string } {
  let raw: JsonValue;
  try {
    raw = parseJson(text, { bigints: 'all', rejectDuplicateKeys: true });
  } catch (error) {
    if (error instanceof JsonParseError) return { error: `not valid JSON: ${error.message}` };
    throw error;
  }
  if (!isJsonObject(raw)) return { error: 'not a container state: expected a JSON object' };
  try {
    return { state: decodeFields(raw) };
  } catch (error) {
    if (error instanceof FieldError) return { error: `not a container state: ${error.message}` };
    throw error;
  }
}

class FieldError extends Error {}

const U32_MAX = 0xffffffffn;
const U64_MAX = 0xffffffffffffffffn;

function decodeFields(o: JsonObject): ContainerState {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const req = (k: string): JsonValue => {
    if (!has(k)) throw new FieldError(`missing field \`${k}\``);
    return o[k] as JsonValue;
  };
  const str = (k: string, v: JsonValue): string => {
    if (typeof v !== 'string') throw new FieldError(`field \`${k}\`: expected a string, found ${kind(v)}`);
    return v;
  };
  const uint = (k: string, v: JsonValue, max: bigint): bigint => {
    if (typeof v !== 'bigint' || v < 0n || v > max)
      throw new FieldError(`field \`${k}\`: expected ${max === U32_MAX ? 'u32' : 'u64'}, found ${kind(v)}`);
    return v;
  };
  const bool = (k: string, v: JsonValue): boolean => {
    if (typeof v !== 'boolean') throw new FieldError(`field \`${k}\`: expected a boolean, found ${kind(v)}`);
    return v;
  };
  const opt = <T>(k: string, dec: (k: string, v: JsonValue) => T): T | null => {
    const v = o[k];
    return v === undefined || v === null ? null : dec(k, v);
  };
  const strArray = (k: string, v: JsonValue): string[] => {
    if (!Array.isArray(v)) throw new FieldError(`field \`${k}\`: expected a sequence, found ${kind(v)}`);
    return v.map((x) => str(k, x));
  };
  const strMap = (k: string, v: JsonValue): Record<string, string> => {
    if (!isJsonObject(v)) throw new FieldError(`field \`${k}\`: expected a map, found ${kind(v)}`);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(v)) {
      Object.defineProperty(out, key, {
        value: str(k, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const num = (b: bigint): number => Number(b);

  const statusRaw = o.status;
  let status: ContainerStatus = 'stopped';
  if (statusRaw !== undefined) {
    if (
      statusRaw !== 'creating' &&
      statusRaw !== 'created' &&
      statusRaw !== 'running' &&
      statusRaw !== 'stopped'
    ) {
      throw new FieldError(
        `field \`status\`: unknown variant ${kind(statusRaw)}, expected one of \`creating\`, \`created\`, \`running\`, \`stopped\``,
      );
    }
    status = statusRaw;
  }

  const state: ContainerState = {
    id: str('id', req('id')),
    name: str('name', req('name')),
    pid: num(uint('pid', req('pid'), U32_MAX)),
    command: strArray('command', req('command')),
    started_at: num(uint('started_at', req('started_at'), U64_MAX)),
    memory_limit: opt('memory_limit', (k, v) => num(uint(k, v, U64_MAX))),
    cpu_limit: opt('cpu_limit', (k, v) => num(uint(k, v, U64_MAX))),
    using_gvisor: bool('using_gvisor', req('using_gvisor')),
    rootless: bool('rootless', req('rootless')),
    cgroup_path: opt('cgroup_path', str),
    config_hash: opt('config_hash', (k, v) => uint(k, v, U64_MAX).toString()),
    creator_uid: has('creator_uid') ? num(uint('creator_uid', o.creator_uid as JsonValue, U32_MAX)) : 0,
    process_uid: has('process_uid') ? num(uint('process_uid', o.process_uid as JsonValue, U32_MAX)) : 0,
    process_gid: has('process_gid') ? num(uint('process_gid', o.process_gid as JsonValue, U32_MAX)) : 0,
    additional_gids: has('additional_gids')
      ? (() => {
          const v = o.additional_gids as JsonValue;
          if (!Array.isArray(v))
            throw new FieldError(`field \`additional_gids\`: expected a sequence, found ${kind(v)}`);
          return v.map((x) => num(uint('additional_gids', x, U32_MAX)));
        })()
      : [],
    start_ticks: has('start_ticks')
      ? uint('start_ticks', o.start_ticks as JsonValue, U64_MAX).toString()
      : '0',
    status,
    bundle_path: opt('bundle_path', str),
    annotations: has('annotations') ? strMap('annotations', o.annotations as JsonValue) : {},
  };
  if (has('environment')) state.environment = strMap('environment', o.environment as JsonValue);
  if (has('workdir')) state.workdir = str('workdir', o.workdir as JsonValue);
  if (has('rootfs_path')) state.rootfs_path = opt('rootfs_path', str);
  if (has('rootfs_mode')) state.rootfs_mode = str('rootfs_mode', o.rootfs_mode as JsonValue);
  if (has('rootfs_upperdir')) state.rootfs_upperdir = opt('rootfs_upperdir', str);
  if (has('rootfs_workdir')) state.rootfs_workdir = opt('rootfs_workdir', str);
  return state;
}

function kind(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a sequence';
  if (typeof v === 'bigint') return `integer \`${v}\``;
  if (typeof v === 'number') return `floating point \`${v}\``;
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  return 'a map';
}

/**
 * Field 22 (starttime) of a /proc/<pid>/stat text: after the LAST `)`, skip one character, split on whitespace,
 * token 19. Null when absent or not a u64.
 */
export function parseStartTicks(stat: string): string | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const token = stat
    .slice(close + 2)
    .split(/\s+/)
    .filter((t) => t !== '')[19];
  if (token === undefined || !/^\+?[0-9]+$/.test(token)) return null;
  const value = BigInt(token);
  return value > U64_MAX ? null : value.toString();
}

/** Reads /proc/<pid>/stat; null when unreadable. Injectable so tests can fake the process table. */
export type ProcStatReader = (pid: number) => Promise<string | null>;

const readProcStat: ProcStatReader = async (pid) => {
  try {
    return await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
};

/** `ContainerState::is_running` (§6.3) against a /proc reader. */
export async function checkLiveness(
  state: ContainerState,
  readStat: ProcStatReader = readProcStat,
): Promise<Liveness> {
  if (state.status === 'stopped') return { running: false, reason: 'status stopped' };
  const stat = await readStat(state.pid);
  if (stat === null) return { running: false, reason: `pid ${state.pid} gone` };
  if (state.start_ticks === '0')
    return { running: false, reason: `start_ticks is 0: pid ${state.pid} cannot be verified` };
  const ticks = parseStartTicks(stat);
  if (ticks !== state.start_ticks) {
    return {
      running: false,
      reason: `pid ${state.pid} reused by another process (start ticks ${ticks ?? '?'} ≠ ${state.start_ticks})`,
    };
  }
  return {
    running: true,
    reason: state.status === 'running' ? 'running' : `running (status ${state.status})`,
  };
}

/** The default liveness check: the real /proc of this host. */
const procLiveness: LivenessCheck = (state) => checkLiveness(state);

/** `resolve_container(ref)` (§6.3) over decoded states (running or not), with Nucleus's error texts. */
export function resolveContainer<T extends { state: ContainerState }>(
  entries: readonly T[],
  reference: string,
): { ok: T } | { error: string; kind: 'not-found' | 'ambiguous' } {
  const exact = entries.find((e) => e.state.id === reference);
  if (exact) return { ok: exact };
  const byName = entries.filter((e) => e.state.name === reference);
  if (byName.length === 1) return { ok: byName[0] as T };
  if (byName.length > 1) {
    return {
      error: `Ambiguous container reference: Name '${reference}' matches ${byName.length} containers; use container ID instead`,
      kind: 'ambiguous',
    };
  }
  const byPrefix = entries.filter((e) => e.state.id.startsWith(reference));
  if (byPrefix.length === 1) return { ok: byPrefix[0] as T };
  if (byPrefix.length > 1) {
    return {
      error: `Ambiguous container reference: '${reference}' matches ${byPrefix.length} containers`,
      kind: 'ambiguous',
    };
  }
  return { error: `Container not found: ${reference}`, kind: 'not-found' };
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? ((error as { code?: string }).code ?? undefined)
    : undefined;
}
