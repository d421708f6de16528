// What the client knows about the installed nucleus: where it is (a PATH lookup, re-done when settings change),
// its version (detected only on an explicit user action, remembered per machine and binary in globalState, sent
// to the server), the version its state files were written by (reported by the runtime-state source, sent to the
// server), the version whose rules apply (the engine's one resolution, as the server resolves it), and the one
// "nucleus is missing" explanation every command shows.
import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { resolveRuleVersion, type RuleVersion, type SupportedVersion } from '@nucleus-topology/engine';
import {
  DidDetectVersionNotification,
  DidInferVersionNotification,
  type DidDetectVersionParams,
  type DidInferVersionParams,
} from '@nucleus-topology/protocol';
import { config } from './config.js';
import type { Ctx } from './ctx.js';
import { locateNucleus, runNucleusVersion, type NucleusLocation } from './nucleusBinary.js';
import { ensureTrusted } from './trust.js';

const VERSION_KEY = 'nucleus.detectedVersions';

/** Remembered `nucleus --version` results: `<host>\0<binary path>` → version. */
type VersionMemory = Record<string, string>;

export class NucleusService implements vscode.Disposable {
  private location: NucleusLocation | undefined;
  private inferred: SupportedVersion | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the location, the known version or the inferred version changes. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!config.affectsBinary(event)) return;
        this.location = undefined;
        this.changed.fire();
        void this.notifyServer();
      }),
      // After every (re)start the server learns the remembered and inferred versions; nothing is executed for it.
      ctx.onDidStartClient(() => {
        void this.notifyServer();
        void this.notifyServerInferred();
      }),
    );
  }

  /** Where nucleus is, looked up (never executed) now if not known yet. */
  locate(): NucleusLocation {
    if (!this.location) {
      this.location = locateNucleus({
        settingPath: config.nucleusPath,
        envPath: process.env['PATH'],
        platform: process.platform,
      });
      this.ctx.log.info(
        this.location.found
          ? `nucleus: ${this.location.path} (from ${this.location.source === 'setting' ? 'nucleus.path' : 'PATH'})`
          : `nucleus not found: ${this.location.detail}`,
      );
    }
    return this.location;
  }

  /** The version remembered for the located binary on this machine, if it was ever detected. */
  knownVersion(): string | undefined {
    const location = this.locate();
    if (!location.found) return undefined;
    return this.memory()[memoryKey(location.path)];
  }

  /** The version the state files were written by, as the runtime-state source last read them; null = unknown. */
  inferredVersion(): SupportedVersion | null {
    return this.inferred;
  }

  /**
   * Called by the runtime-state source after each read of the state directory (engine inferVersionFromState).
   * Resolves once the server was told, so what is asked of it next is analysed with the same rules.
   */
  async setInferredVersion(version: SupportedVersion | null): Promise<void> {
    if (version === this.inferred) return;
    this.inferred = version;
    this.ctx.log.info(
      version === null
        ? 'State files: no Nucleus version can be told from them'
        : `State files: written by Nucleus ${version}`,
    );
    this.changed.fire();
    await this.notifyServerInferred();
  }

  /**
   * The version whose rules apply to a file, and where it came from: `nucleus.version` > detected by `nucleus
   * --version` > inferred from the state files > the newest supported. The server resolves it from the same facts.
   */
  ruleVersion(scope: vscode.Uri | undefined): RuleVersion {
    return resolveRuleVersion({
      setting: config.version(scope),
      detected: this.knownVersion() ?? null,
      inferred: this.inferred,
    });
  }

  /**
   * Runs `nucleus --version` (trusted workspaces only; the caller is an explicit user action), remembers the
   * result and tells the server. Returns the version, or undefined when it could not be detected.
   */
  async detectVersion(options: { quiet?: boolean } = {}): Promise<string | undefined> {
    if (!ensureTrusted(this.ctx, 'Detect Version')) return undefined;
    this.location = undefined; // a fresh lookup: the user may just have installed it
    const location = this.locate();
    if (!location.found) {
      if (!options.quiet) this.explainMissing('Detect Version');
      return undefined;
    }
    this.ctx.log.info(`Running ${JSON.stringify([location.path, '--version'])}`);
    const result = await runNucleusVersion(location.path);
    if ('error' in result) {
      this.ctx.log.warn(`${location.path} --version failed: ${result.error}`);
      if (!options.quiet) {
        void vscode.window
          .showWarningMessage(
            `Nucleus: could not run '${location.path} --version': ${result.error}`,
            'Show Output',
          )
          .then((choice) => choice === 'Show Output' && this.ctx.log.show());
      }
      return undefined;
    }
    this.ctx.log.info(`nucleus --version: ${result.version}`);
    const memory = this.memory();
    if (memory[memoryKey(location.path)] !== result.version) {
      await this.ctx.extension.globalState.update(VERSION_KEY, {
        ...memory,
        [memoryKey(location.path)]: result.version,
      });
    }
    this.changed.fire();
    await this.notifyServer();
    return result.version;
  }

  /**
   * Explains that nucleus is missing (how to install it, or set nucleus.path), with "Set Path…" and "Show
   * Output". Language features are unaffected, so this is a warning shown only when a command needs nucleus.
   */
  explainMissing(action: string): void {
    const location = this.locate();
    if (location.found) return;
    const text =
      location.reason === 'unsupported-platform'
        ? `Nucleus: ${action} needs the nucleus runtime, which runs on Linux only. Open the folder on a Linux machine (e.g. Remote - SSH or WSL).`
        : `Nucleus: ${action} needs the nucleus binary. ${location.detail} Install Nucleus so that nucleus is on PATH, or set "nucleus.path" to the binary.`;
    this.ctx.log.warn(text);
    const actions =
      location.reason === 'unsupported-platform' ? ['Show Output'] : ['Set Path…', 'Show Output'];
    void vscode.window.showWarningMessage(text, ...actions).then((choice) => {
      if (choice === 'Set Path…') return vscode.commands.executeCommand('nucleus.setPath');
      if (choice === 'Show Output') this.ctx.log.show();
      return undefined;
    });
  }

  private memory(): VersionMemory {
    const value = this.ctx.extension.globalState.get<unknown>(VERSION_KEY);
    return typeof value === 'object' && value !== null ? (value as VersionMemory) : {};
  }

  private async notifyServer(): Promise<void> {
    const client = this.ctx.languageClient;
    if (!client) return;
    // Not found, or found but never detected: null, so the server resolves from the same facts as ruleVersion().
    const params: DidDetectVersionParams = { version: this.knownVersion() ?? null };
    try {
      await client.sendNotification(DidDetectVersionNotification.method, params);
    } catch (error) {
      this.ctx.log.warn('Could not send the detected version to the server', error);
    }
  }

  private async notifyServerInferred(): Promise<void> {
    const client = this.ctx.languageClient;
    if (!client) return;
    const params: DidInferVersionParams = { version: this.inferred };
    try {
      await client.sendNotification(DidInferVersionNotification.method, params);
    } catch (error) {
      this.ctx.log.warn('Could not send the inferred version to the server', error);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** globalState is shared by every machine a user connects to (remote windows): key by host and path. */
function memoryKey(path: string): string {
  return `${hostname()}\0${path}`;
}

const services = new WeakMap<Ctx, NucleusService>();

/** The extension's one NucleusService (created on first use, disposed with the extension). */
export function nucleusService(ctx: Ctx): NucleusService {
  let service = services.get(ctx);
  if (!service) {
    service = new NucleusService(ctx);
    services.set(ctx, service);
    ctx.pushExtCleanup(service);
  }
  return service;
}
