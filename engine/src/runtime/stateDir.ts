// Chooses Nucleus's state directory exactly as `ContainerStateManager` does (spec §6.1), without creating anything.

import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** Where the chosen directory came from, in Nucleus's order of preference. */
export type StateDirSource =
  | 'root-option' // --root DIR
  | 'env' // NUCLEUS_STATE_DIR
  | 'uid-0' // effective uid 0 ⇒ /var/run/nucleus
  | 'xdg-runtime' // $XDG_RUNTIME_DIR/nucleus
  | 'xdg-data' // $XDG_DATA_HOME/nucleus (default ~/.local/share/nucleus)
  | 'home' // ~/.nucleus
  | 'tmp'; // /tmp/nucleus-<uid>

export interface StateDirCandidate {
  path: string;
  source: StateDirSource;
  /** 'usable': exists and Nucleus would accept it; 'would-create': missing but creatable (so it holds no state). */
  verdict: 'usable' | 'would-create' | 'rejected';
  /** Why, in words. */
  reason: string;
}

/** The directory Nucleus would use, with the reasoning. `dir` is null when no candidate is usable. */
export interface StateDirChoice {
  dir: string | null;
  source: StateDirSource | null;
  /** False when the directory does not exist yet (Nucleus would create it: there are no containers). */
  exists: boolean;
  /** One sentence: which candidate and why. */
  reason: string;
  /** Every candidate examined, in order. */
  candidates: StateDirCandidate[];
  /** When no candidate is usable: the problem with the last one (what Nucleus would fail with). */
  error?: string;
}

/** File-system facts the choice depends on; injectable for tests. */
export interface StateDirHost {
  env: Record<string, string | undefined>;
  /** Effective uid. */
  uid: number;
  /** Home directory when $HOME is unset or empty (the passwd entry). */
  passwdHome(): string | undefined;
  /** lstat: null when the path does not exist. */
  lstat(path: string): { kind: 'dir' | 'symlink' | 'file' | 'other'; mode: number; uid: number } | null;
  /** stat (following symlinks): null when missing. Used for ancestors of a missing directory. */
  stat(path: string): { kind: 'dir' | 'file' | 'other' } | null;
  /** access(W_OK|X_OK). */
  writable(path: string): boolean;
}

function defaultStateDirHost(): StateDirHost {
  return {
    env: process.env,
    uid: typeof process.geteuid === 'function' ? process.geteuid() : 0,
    passwdHome: () => {
      try {
        return homedir();
      } catch {
        return undefined;
      }
    },
    lstat(path) {
      try {
        const s = lstatSync(path);
        const kind = s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
        return { kind, mode: s.mode & 0o7777, uid: s.uid };
      } catch (error) {
        if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return null;
        throw error;
      }
    },
    stat(path) {
      try {
        const s = statSync(path);
        return { kind: s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other' };
      } catch {
        return null;
      }
    },
    writable(path) {
      try {
        accessSync(path, constants.W_OK | constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export interface ResolveStateDirOptions {
  /** `--root DIR` (used exactly as given). */
  root?: string;
  host?: Partial<StateDirHost>;
}

/** Nucleus's candidate list (§6.1 steps 2–4); `--root` is handled by the caller. */
function stateDirCandidates(host: StateDirHost): { path: string; source: StateDirSource }[] {
  const env = host.env;
  const fromEnv = env.NUCLEUS_STATE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return [{ path: fromEnv, source: 'env' }];
  if (host.uid === 0) return [{ path: '/var/run/nucleus', source: 'uid-0' }];
  const out: { path: string; source: StateDirSource }[] = [];
  // The `dirs` crate only honours absolute XDG paths and $HOME when non-empty.
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : host.passwdHome();
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && isAbsolute(runtime))
    out.push({ path: join(runtime, 'nucleus'), source: 'xdg-runtime' });
  const data = env.XDG_DATA_HOME;
  if (data !== undefined && isAbsolute(data)) out.push({ path: join(data, 'nucleus'), source: 'xdg-data' });
  else if (home !== undefined) out.push({ path: join(home, '.local/share/nucleus'), source: 'xdg-data' });
  if (home !== undefined) out.push({ path: join(home, '.nucleus'), source: 'home' });
  out.push({ path: `/tmp/nucleus-${host.uid}`, source: 'tmp' });
  return out;
}

/**
 * Picks the state directory Nucleus would pick for the same user, environment and `--root`. Read-only: a missing
 * candidate that Nucleus would create is reported as chosen with `exists: false`.
 */
export function resolveStateDir(options: ResolveStateDirOptions = {}): StateDirChoice {
  const host: StateDirHost = { ...defaultStateDirHost(), ...options.host };
  const list =
    options.root !== undefined
      ? [{ path: options.root, source: 'root-option' as const }]
      : stateDirCandidates(host);
  const candidates: StateDirCandidate[] = [];
  for (const c of list) {
    const judged = judgeCandidate(c.path, host);
    candidates.push({ ...c, ...judged });
    if (judged.verdict !== 'rejected') {
      return {
        dir: c.path,
        source: c.source,
        exists: judged.verdict === 'usable',
        reason: `${describeSource(c.source)}: ${judged.reason}`,
        candidates,
      };
    }
  }
  const last = candidates[candidates.length - 1];
  return {
    dir: null,
    source: null,
    exists: false,
    reason: 'no usable state directory',
    candidates,
    error: last ? `${last.path}: ${last.reason}` : 'No usable state directory candidates found',
  };
}

function describeSource(source: StateDirSource): string {
  switch (source) {
    case 'root-option':
      return '--root';
    case 'env':
      return 'NUCLEUS_STATE_DIR';
    case 'uid-0':
      return 'running as root';
    case 'xdg-runtime':
      return '$XDG_RUNTIME_DIR/nucleus';
    case 'xdg-data':
      return '$XDG_DATA_HOME/nucleus';
    case 'home':
      return '~/.nucleus';
    case 'tmp':
      return '/tmp fallback';
  }
}

/** The "usable" rules of `with_state_dir`: no symlink, a directory (or creatable), owner-only or ours to chmod, writable. */
function judgeCandidate(path: string, host: StateDirHost): Omit<StateDirCandidate, 'path' | 'source'> {
  const st = host.lstat(path);
  if (st === null) {
    // create_dir_all would make it (and its parents): possible iff the nearest existing ancestor is a writable directory.
    let parent = dirname(path);
    for (;;) {
      const p = host.stat(parent);
      if (p !== null) {
        if (p.kind !== 'dir')
          return { verdict: 'rejected', reason: `cannot be created: ${parent} is not a directory` };
        if (!host.writable(parent))
          return { verdict: 'rejected', reason: `cannot be created: ${parent} is not writable` };
        return {
          verdict: 'would-create',
          reason: 'does not exist yet; Nucleus would create it, so no containers',
        };
      }
      const up = dirname(parent);
      if (up === parent) return { verdict: 'rejected', reason: 'cannot be created' };
      parent = up;
    }
  }
  if (st.kind === 'symlink')
    return { verdict: 'rejected', reason: 'is a symlink (Nucleus refuses symlink state directories)' };
  if (st.kind !== 'dir') return { verdict: 'rejected', reason: 'exists but is not a directory' };
  // Nucleus chmods it to 0700; that only fails for someone else's directory, which is then accepted only when already
  // owner-only and the caller is root.
  const ownerOk = st.uid === host.uid || host.uid === 0;
  if (!ownerOk) {
    return {
      verdict: 'rejected',
      reason: `owned by uid ${st.uid}, not ${host.uid} (mode ${st.mode.toString(8)}): Nucleus cannot secure it`,
    };
  }
  if (!host.writable(path)) return { verdict: 'rejected', reason: 'not writable' };
  return { verdict: 'usable', reason: 'exists, owned by us, writable' };
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
