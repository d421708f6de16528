// Which Nucleus version's rules (and change hashes) apply, decided by ONE function for the language server, the
// editor's commands and the CLI: an explicit choice, else what `nucleus --version` printed, else the version the
// state files were written by (known without running anything), else a fallback. Pure: no I/O.

import { isSupportedVersion, LATEST_VERSION, type SupportedVersion } from '../model.js';
import type { ContainerState, StateSnapshot } from './state.js';

/** Fields only 0.3.9 writes into a state file (spec §6.2); 0.3.8 writes none of them. */
const FIELDS_SINCE_0_3_9 = [
  'environment',
  'workdir',
  'rootfs_path',
  'rootfs_mode',
  'rootfs_upperdir',
  'rootfs_workdir',
] as const satisfies readonly (keyof ContainerState)[];

/** The version that wrote one state file: 0.3.9 when it has any field 0.3.8 does not write, else 0.3.8. */
export function stateFileVersion(state: ContainerState): SupportedVersion {
  return FIELDS_SINCE_0_3_9.some((key) => state[key] !== undefined) ? '0.3.9' : '0.3.8';
}

/**
 * The Nucleus version the state directory's files were written by (every decoded file, running or stale): null
 * when there is none, or when they disagree (e.g. containers left from before an upgrade), as that says nothing.
 */
export function inferVersionFromState(snapshot: Pick<StateSnapshot, 'containers'>): SupportedVersion | null {
  let found: SupportedVersion | null = null;
  for (const container of snapshot.containers) {
    const version = stateFileVersion(container.state);
    if (found === null) found = version;
    else if (found !== version) return null;
  }
  return found;
}

/** Where the version came from: the setting/option, `nucleus --version`, the state files, or the fallback. */
export type RuleVersionSource = 'setting' | 'detected' | 'state' | 'default';

export interface RuleVersionInput {
  /** The explicit choice (`nucleus.version`, `--nucleus-version`); 'auto' or undefined = none. */
  setting?: SupportedVersion | 'auto' | undefined;
  /** What `nucleus --version` printed (`nucleus 0.3.9` or `0.3.9`); null/undefined when it was not run or failed. */
  detected?: string | null | undefined;
  /** {@link inferVersionFromState}'s answer; null/undefined when unknown. */
  inferred?: SupportedVersion | null | undefined;
  /** When nothing says: {@link LATEST_VERSION} (the default) for the editor, CLI_DEFAULT_VERSION for the CLI. */
  fallback?: SupportedVersion;
}

export interface RuleVersion {
  version: SupportedVersion;
  source: RuleVersionSource;
  /** Set when `nucleus --version` printed a version this tool has no rules for (it was passed over). */
  unsupportedDetected?: string;
  /** Why the version is a guess, in words (no advice: callers add how to choose), when it is one. */
  note?: string;
}

/** `nucleus 0.3.9` → `0.3.9`; the text trimmed when it holds no `x.y.z`. */
function versionOfText(text: string): string {
  return /(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? text.trim();
}

/** The one resolution: explicit setting > detected by `nucleus --version` > inferred from state files > fallback. */
export function resolveRuleVersion(input: RuleVersionInput): RuleVersion {
  const { setting } = input;
  if (setting !== undefined && setting !== 'auto') return { version: setting, source: 'setting' };
  const detected =
    input.detected === null || input.detected === undefined ? '' : versionOfText(input.detected);
  if (isSupportedVersion(detected)) return { version: detected, source: 'detected' };
  const unsupported = detected === '' ? undefined : detected;
  const passedOver = unsupported === undefined ? {} : { unsupportedDetected: unsupported };
  const unknown =
    unsupported === undefined ? undefined : `nucleus ${unsupported} is not a version this tool knows`;
  if (input.inferred !== null && input.inferred !== undefined) {
    return {
      version: input.inferred,
      source: 'state',
      ...passedOver,
      note: `${unknown ?? 'the nucleus version was not detected'}; the state files were written by Nucleus ${input.inferred}`,
    };
  }
  const fallback = input.fallback ?? LATEST_VERSION;
  return {
    version: fallback,
    source: 'default',
    ...passedOver,
    note: `${unknown ?? 'the nucleus version is unknown'}; assuming ${fallback} hash rules`,
  };
}
