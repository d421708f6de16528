// Finding the `nucleus` binary without running it (a PATH lookup of an executable file), and the one place that
// runs `nucleus --version`. No `vscode` import: unit-tested in Node.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Where the binary was found, or why it was not. */
export type NucleusLocation =
  | { found: true; path: string; source: 'setting' | 'PATH' }
  | { found: false; reason: 'unsupported-platform' | 'setting-invalid' | 'not-on-path'; detail: string };

export interface LocateInput {
  /** `nucleus.path` from user settings, already `~`-expanded; undefined when unset. */
  settingPath: string | undefined;
  /** `PATH` of the extension host. */
  envPath: string | undefined;
  platform: NodeJS.Platform;
  /** Whether a path is an executable regular file (injectable for tests). */
  isExecutableFile?: (path: string) => boolean;
}

/** True when `path` is a regular file (after symlinks) that this process may execute. Never executes it. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Locates nucleus: the `nucleus.path` setting when set (it must be an executable file), else the first
 * executable `nucleus` on PATH. Nucleus is Linux-only, so other platforms report 'unsupported-platform'.
 */
export function locateNucleus(input: LocateInput): NucleusLocation {
  const check = input.isExecutableFile ?? isExecutableFile;
  if (input.platform !== 'linux') {
    return {
      found: false,
      reason: 'unsupported-platform',
      detail: `Nucleus runs on Linux only (this extension host runs on ${input.platform}).`,
    };
  }
  if (input.settingPath !== undefined) {
    if (isAbsolute(input.settingPath) && check(input.settingPath)) {
      return { found: true, path: input.settingPath, source: 'setting' };
    }
    return {
      found: false,
      reason: 'setting-invalid',
      detail: `nucleus.path is set to '${input.settingPath}', which is not an executable file.`,
    };
  }
  for (const dir of (input.envPath ?? '').split(delimiter)) {
    // An empty or relative PATH entry means "the current directory": never look there (a folder could plant one).
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, 'nucleus');
    if (check(candidate)) return { found: true, path: candidate, source: 'PATH' };
  }
  return { found: false, reason: 'not-on-path', detail: 'No executable named nucleus was found on PATH.' };
}

/** `nucleus --version` output (`nucleus 0.3.8`) → `0.3.8`; undefined when it is not a version line. */
export function parseNucleusVersion(stdout: string): string | undefined {
  const match = /^\s*nucleus\s+v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)\s*$/m.exec(stdout);
  return match?.[1];
}

/**
 * Runs `<path> --version` (argv, no shell, 5 s timeout) and returns the version, or an error text. The caller
 * decides when this may run: only on an explicit user action in a trusted workspace.
 */
export function runNucleusVersion(path: string): Promise<{ version: string } | { error: string }> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: 5000, windowsHide: true }, (error, stdout, stderr) => {
      const version = parseNucleusVersion(String(stdout));
      if (version !== undefined) resolve({ version });
      else if (error) resolve({ error: error.message });
      else
        resolve({
          error: `unexpected output: ${String(stdout || stderr)
            .trim()
            .slice(0, 200)}`,
        });
    });
  });
}
