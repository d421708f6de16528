// Settings the language server consumes: their shape, defaults and the one tolerant parser. The client
// contributes them as `nucleus.*` and the server reads them per resource via workspace/configuration.

/** The configuration section the server asks for (`workspace/configuration` item `section`). */
export const SETTINGS_SECTION = 'nucleus';

export const VERSION_SETTING_VALUES = ['auto', '0.3.8', '0.3.9'] as const;
export type VersionSetting = (typeof VERSION_SETTING_VALUES)[number];

export interface ServerSettings {
  /**
   * `nucleus.version`: which Nucleus version's rules apply; 'auto' = the version the client detected, else the one
   * the state files were written by, else the newest (engine resolveRuleVersion).
   */
  version: VersionSetting;
  /** `nucleus.codeLens.enabled`: apply/plan lenses at the top, startup order and status on each service. */
  codeLens: { enabled: boolean };
  /** `nucleus.inlayHints.enabled`: effective defaults of omitted keys, memory sizes in bytes. */
  inlayHints: { enabled: boolean };
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  version: 'auto',
  codeLens: { enabled: true },
  inlayHints: { enabled: true },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBoolean(section: unknown, key: string, fallback: boolean): boolean {
  const value = isRecord(section) ? section[key] : undefined;
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * Reads the `nucleus` section as the client sent it. A user can type anything in settings.json, so every
 * value that is missing or of the wrong type falls back to its default instead of failing.
 */
export function parseServerSettings(raw: unknown): ServerSettings {
  const section = isRecord(raw) ? raw : {};
  const version = section['version'];
  return {
    version: VERSION_SETTING_VALUES.includes(version as VersionSetting)
      ? (version as VersionSetting)
      : DEFAULT_SERVER_SETTINGS.version,
    codeLens: {
      enabled: readBoolean(section['codeLens'], 'enabled', DEFAULT_SERVER_SETTINGS.codeLens.enabled),
    },
    inlayHints: {
      enabled: readBoolean(section['inlayHints'], 'enabled', DEFAULT_SERVER_SETTINGS.inlayHints.enabled),
    },
  };
}
