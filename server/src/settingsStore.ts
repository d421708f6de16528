// Per-resource settings (workspace/configuration, section `nucleus`) and the detected Nucleus version; the
// one place that turns them into the version whose rules apply.
import { LATEST_VERSION, SUPPORTED_VERSIONS, type SupportedVersion } from '@nucleus-topology/engine';
import {
  DEFAULT_SERVER_SETTINGS,
  parseServerSettings,
  type ServerSettings,
  type VersionSetting,
} from '@nucleus-topology/protocol';

/** Asks the client for the `nucleus` section of one resource; null when the client cannot be asked. */
export type ConfigurationFetcher = ((uri: string) => Promise<unknown>) | null;

function parseVersion(text: string): [number, number, number] | null {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * The version whose rules apply: an explicit setting wins; with 'auto', the newest supported version not
 * newer than the detected one (an older Nucleus gets the oldest rules we know, a newer one the newest), or
 * the newest supported version when nothing was detected.
 */
export function resolveNucleusVersion(setting: VersionSetting, detected: string | null): SupportedVersion {
  if (setting !== 'auto') return setting;
  const found = detected === null ? null : parseVersion(detected);
  if (found === null) return LATEST_VERSION;
  let best: SupportedVersion | null = null;
  for (const candidate of SUPPORTED_VERSIONS) {
    const parsed = parseVersion(candidate);
    if (parsed !== null && compareVersions(parsed, found) <= 0) best = candidate;
  }
  return best ?? SUPPORTED_VERSIONS[0];
}

export class SettingsStore {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private detectedVersion: string | null = null;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly fetchConfiguration: ConfigurationFetcher) {}

  /** Settings for one document; fetched once per URI until the next configuration change. */
  get(uri: string): Promise<ServerSettings> {
    let settings = this.cache.get(uri);
    if (settings === undefined) {
      const fetch = this.fetchConfiguration;
      settings =
        fetch === null
          ? Promise.resolve(DEFAULT_SERVER_SETTINGS)
          : fetch(uri).then(parseServerSettings, () => DEFAULT_SERVER_SETTINGS);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** The Nucleus version whose rules apply to one document. */
  async nucleusVersion(uri: string): Promise<SupportedVersion> {
    return resolveNucleusVersion((await this.get(uri)).version, this.detectedVersion);
  }

  setDetectedVersion(version: string | null): void {
    if (version === this.detectedVersion) return;
    this.detectedVersion = version;
    this.changed();
  }

  /** workspace/didChangeConfiguration: forget every fetched value (the next read asks again). */
  invalidate(): void {
    this.cache.clear();
    this.changed();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  onDidChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
