// Typed view of the `nucleus.*` settings the client reads (the server reads version/codeLens/inlayHints itself).
// `nucleus.path` is machine-scoped and read from user settings only: a folder must never choose what we execute.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { SETTINGS_SECTION, VERSION_SETTING_VALUES, type VersionSetting } from '@nucleus-topology/protocol';
import { userSettingValue } from './commands/decisions.js';

/** Setting keys (without the `nucleus.` section) this module reads. */
export const SettingKey = {
  path: 'path',
  stateRoot: 'stateRoot',
  useSudo: 'useSudo',
  version: 'version',
  logDir: 'logDir',
} as const;

function section(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
}

/** Expands `~/` and resolves a relative path against the folder that holds `scope` (else: undefined). */
function resolveUserPath(value: string, scope: vscode.Uri | undefined): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '~' || trimmed.startsWith('~/')) return join(homedir(), trimmed.slice(1));
  if (isAbsolute(trimmed)) return trimmed;
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : undefined;
  return folder ? join(folder.uri.fsPath, trimmed) : undefined;
}

export const config = {
  /**
   * `nucleus.path`: the user's (or remote machine's) value only. `inspect()` rather than `get()` so a value
   * smuggled into workspace or folder settings is ignored even where VS Code would still merge it.
   */
  get nucleusPath(): string | undefined {
    const value = userSettingValue(section().inspect<string>(SettingKey.path));
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    return resolveUserPath(value, undefined);
  },

  /** `nucleus.stateRoot` for a topology file: passed as `--root`; undefined = Nucleus's own choice. */
  stateRoot(scope: vscode.Uri | undefined): string | undefined {
    const value = section(scope).get<string>(SettingKey.stateRoot);
    return typeof value === 'string' ? resolveUserPath(value, scope) : undefined;
  },

  /** `nucleus.useSudo`: run the CLI through sudo in the terminal. */
  useSudo(scope: vscode.Uri | undefined): boolean {
    return section(scope).get<boolean>(SettingKey.useSudo) === true;
  },

  /** `nucleus.version`: auto, or the version whose rules apply. */
  version(scope: vscode.Uri | undefined): VersionSetting {
    const value = section(scope).get<string>(SettingKey.version);
    return VERSION_SETTING_VALUES.includes(value as VersionSetting) ? (value as VersionSetting) : 'auto';
  },

  /** `nucleus.logDir`: where applied services write their output (`--log-dir`); undefined = the CLI default. */
  logDir(scope: vscode.Uri | undefined): string | undefined {
    const value = section(scope).get<string>(SettingKey.logDir);
    return typeof value === 'string' ? resolveUserPath(value, scope) : undefined;
  },

  /** Writes `nucleus.path` to the user settings (the only place it is read from). */
  async setNucleusPath(path: string | undefined): Promise<void> {
    await section().update(SettingKey.path, path, vscode.ConfigurationTarget.Global);
  },

  /** True when a change touches a setting that decides which binary runs or how it is found. */
  affectsBinary(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration(`${SETTINGS_SECTION}.${SettingKey.path}`);
  },
};
