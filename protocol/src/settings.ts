// Settings the language server consumes; the client reads them from VS Code and the server via
// workspace/configuration. Defaults live here only.

export type VersionSetting = 'auto' | '0.3.8' | '0.3.9';

export interface ServerSettings {
  /** Which Nucleus version's rules apply; 'auto' = the version the client detected, else the newest. */
  version: VersionSetting;
  codeLens: { enabled: boolean };
  inlayHints: { enabled: boolean };
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  version: 'auto',
  codeLens: { enabled: true },
  inlayHints: { enabled: true },
};
