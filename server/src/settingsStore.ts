// Per-resource settings (workspace/configuration, section `nucleus`) and what the client learnt about the installed
// Nucleus (the version `nucleus --version` printed, the version the state files were written by); the version
// whose rules apply comes from the engine's one resolution, which the client's commands use too.
import { resolveRuleVersion, type RuleVersion, type SupportedVersion } from '@nucleus-topology/engine';
import {
  DEFAULT_SERVER_SETTINGS,
  parseServerSettings,
  type ServerSettings,
} from '@nucleus-topology/protocol';

/** Asks the client for the `nucleus` section of one resource; null when the client cannot be asked. */
export type ConfigurationFetcher = ((uri: string) => Promise<unknown>) | null;

export class SettingsStore {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private detectedVersion: string | null = null;
  private inferredVersion: SupportedVersion | null = null;
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

  /**
   * The Nucleus version whose rules apply to one document: `nucleus.version` > detected by `nucleus --version` >
   * inferred from the state files > the newest supported.
   */
  async nucleusVersion(uri: string): Promise<SupportedVersion> {
    return (await this.ruleVersion(uri)).version;
  }

  /** {@link nucleusVersion} with where it came from. */
  async ruleVersion(uri: string): Promise<RuleVersion> {
    const settings = await this.get(uri);
    return resolveRuleVersion({
      setting: settings.version,
      detected: this.detectedVersion,
      inferred: this.inferredVersion,
    });
  }

  setDetectedVersion(version: string | null): void {
    if (version === this.detectedVersion) return;
    this.detectedVersion = version;
    this.changed();
  }

  /** The version the client inferred from the state directory (nucleus/didInferVersion); null = unknown. */
  setInferredVersion(version: SupportedVersion | null): void {
    if (version === this.inferredVersion) return;
    this.inferredVersion = version;
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
