// The client's one runtime-state source: reads Nucleus's state directory (engine readStateDir, never creating
// anything), watches it, builds the Services view's overview and tells the language server the state of each open
// topology document, so the tree and the code lenses always show the same thing. It also reports the Nucleus
// version the state files were written by (NucleusService.setInferredVersion: the server learns it too).
//
// When it works: while the Services view is visible OR a topology document is visible in an editor (its lenses
// show the state). Then the state directory is watched (fs.watch, debounced; when the directory does not exist yet,
// its nearest existing parent is watched so its creation is seen). Polling (nucleus.tree.refreshInterval seconds,
// 0 = off) runs only while the view is visible: it catches what no file event reports (a workload that died
// without its state file changing, a SIGKILLed supervisor) and keeps uptimes current. Otherwise nothing runs.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import {
  buildRuntimeOverview,
  inferVersionFromState,
  readStateDir,
  resolveStateDir,
  type RuntimeOverview,
  type StateDirChoice,
  type StateSnapshot,
  type SupportedVersion,
} from '@nucleus-topology/engine';
import {
  DidChangeRuntimeStateNotification,
  SETTINGS_SECTION,
  type DidChangeRuntimeStateParams,
} from '@nucleus-topology/protocol';
import { stateDirFor } from '../commands/decisions.js';
import { config } from '../config.js';
import type { Ctx } from '../ctx.js';
import { nucleusService } from '../nucleusService.js';
import { runtimeStateForServer } from './serverState.js';
import { TopologyFiles, type KnownTopology } from './topologyFiles.js';

/** `nucleus.tree.refreshInterval`, seconds. */
const REFRESH_INTERVAL_SETTING = 'tree.refreshInterval';
const DEFAULT_REFRESH_SECONDS = 5;
/** State files are written as `<id>.json.tmp` then renamed: one burst of events per save. */
const DEBOUNCE_MS = 100;

/** Settings whose change means another directory (or other rules) may apply. */
const AFFECTING = ['stateRoot', 'useSudo', 'version', 'logDir', REFRESH_INTERVAL_SETTING].map(
  (k) => `${SETTINGS_SECTION}.${k}`,
);

export class RuntimeState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RuntimeOverview>();
  /** Fires after every rebuild of the overview (a state change, a topology change, a refresh). */
  readonly onDidChange = this.changed.event;
  readonly files: TopologyFiles;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** The last overview built (undefined before the first read). */
  overview: RuntimeOverview | undefined;
  /** The known topologies it was built from. */
  topologies: readonly KnownTopology[] = [];
  /** The state directory chosen (as nucleus would choose it), once resolved. */
  stateDir: StateDirChoice | undefined;
  private snapshot: StateSnapshot | undefined;

  private viewVisible = false;
  private active = false;
  private watcher: FSWatcher | undefined;
  private watchedPath: string | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  /** What the next run must do: re-read the directory, or only rebuild from the last snapshot. */
  private pending: { read: boolean } | undefined;
  private running: Promise<void> | undefined;
  /** Last state sent to the server per document URI (JSON), so an unchanged state is not sent again. */
  private readonly sent = new Map<string, string>();

  constructor(private readonly ctx: Ctx) {
    this.files = new TopologyFiles(ctx, (uri) => this.ruleVersion(uri));
    this.disposables.push(
      this.files,
      this.files.onDidChange(() => this.schedule(false)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateActive()),
      vscode.workspace.onDidCloseTextDocument((d) => this.sent.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (AFFECTING.some((key) => e.affectsConfiguration(key))) this.reconfigure();
      }),
      // Trust decides whether a workspace nucleus.stateRoot counts.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reconfigure()),
      // A restarted server knows nothing: send every state again.
      ctx.onDidStartClient(() => {
        this.sent.clear();
        this.schedule(false);
      }),
      { dispose: () => this.deactivate() },
    );
    this.updateActive();
  }

  /** The view tells whether it is visible: scanning, polling and watching follow. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.files.setScanning(visible);
    this.updateActive();
    this.armPolling();
  }

  /** Reads the state directory now and rebuilds (the Refresh action, and after an action changed the state). */
  refresh(): Promise<void> {
    this.pending = { read: true };
    return this.drain();
  }

  private get shouldBeActive(): boolean {
    return this.viewVisible || TopologyFiles.topologyEditorVisible();
  }

  private updateActive(): void {
    const next = this.shouldBeActive;
    if (next === this.active) return;
    if (next) {
      this.active = true;
      this.ctx.log.debug('Runtime state: watching (view or topology editor visible)');
      this.resolveDir();
      this.schedule(true);
    } else {
      this.ctx.log.debug('Runtime state: idle (view hidden, no topology editor visible)');
      this.deactivate();
    }
  }

  private deactivate(): void {
    this.active = false;
    this.watcher?.close();
    this.watcher = undefined;
    this.watchedPath = undefined;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = undefined;
  }

  private reconfigure(): void {
    if (!this.active) return;
    this.resolveDir();
    this.armPolling();
    this.schedule(true);
  }

  /** The version whose rules apply to a file the server has not analysed (as the server and the commands resolve it). */
  private ruleVersion(uri: vscode.Uri): SupportedVersion {
    return nucleusService(this.ctx).ruleVersion(uri).version;
  }

  /**
   * `nucleus.stateRoot` as the runtime commands pass it (`--root`). In an untrusted folder only the user's own
   * value counts (it is also a restricted configuration): a folder must not choose what the editor reads.
   */
  private stateRoot(): string | undefined {
    const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (vscode.workspace.isTrusted) return config.stateRoot(scope);
    const value = vscode.workspace
      .getConfiguration(SETTINGS_SECTION)
      .inspect<string>('stateRoot')?.globalValue;
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    if (trimmed === '~' || trimmed.startsWith('~/')) return join(homedir(), trimmed.slice(1));
    return isAbsolute(trimmed) ? trimmed : undefined;
  }

  private resolveDir(): void {
    const scope = vscode.workspace.workspaceFolders?.[0]?.uri;
    const choice = resolveStateDir(stateDirFor(this.stateRoot(), config.useSudo(scope)));
    const before = this.stateDir?.dir;
    this.stateDir = choice;
    if (choice.dir !== before) {
      this.ctx.log.info(
        choice.dir === null
          ? `Runtime state: no usable state directory (${choice.error ?? choice.reason})`
          : `Runtime state: reading ${choice.dir} (${choice.reason})`,
      );
    }
    this.watchDir(choice.dir, choice.exists);
  }

  /** Watches the directory, or its nearest existing parent until it appears. */
  private watchDir(dir: string | null, exists: boolean): void {
    let target: string | undefined;
    if (dir !== null) {
      target = dir;
      if (!exists) {
        target = dirname(dir);
        while (target !== dirname(target) && !existsDir(target)) target = dirname(target);
      }
    }
    if (target === this.watchedPath && this.watcher) return;
    this.watcher?.close();
    this.watcher = undefined;
    this.watchedPath = target;
    if (target === undefined || dir === null) return;
    const waitingFor = target === dir ? undefined : basename(firstComponentBelow(target, dir));
    try {
      this.watcher = watch(target, { persistent: false }, (_event, file) => {
        if (waitingFor !== undefined) {
          // The directory (or one of its parents) appeared: re-resolve and watch it instead.
          if (file === null || file === waitingFor) {
            this.resolveDir();
            this.schedule(true);
          }
          return;
        }
        this.schedule(true);
      });
      this.watcher.on('error', (error) => {
        this.ctx.log.debug(`Runtime state: watching ${target} failed`, error);
        this.watcher?.close();
        this.watcher = undefined;
        this.watchedPath = undefined;
        // Deleted or replaced: look again (the poll, while the view is visible, keeps it current meanwhile).
        if (this.active) setTimeout(() => this.active && this.resolveDir(), 1000).unref();
      });
    } catch (error) {
      this.ctx.log.debug(`Runtime state: cannot watch ${target}`, error);
      this.watchedPath = undefined;
    }
  }

  private armPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    if (!this.viewVisible || !this.active) return;
    const seconds = refreshIntervalSeconds();
    if (seconds <= 0) return;
    this.pollTimer = setInterval(() => {
      // The directory may have been created or replaced since: resolving is a few lstat calls.
      this.resolveDir();
      this.schedule(true);
    }, seconds * 1000);
    this.pollTimer.unref();
  }

  /** Debounces a rebuild; `read` re-reads the directory first. Nothing happens while inactive. */
  private schedule(read: boolean): void {
    if (!this.active) return;
    this.pending = { read: read || (this.pending?.read ?? false) };
    if (this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      void this.drain();
    }, DEBOUNCE_MS);
  }

  /** Runs pending rebuilds one at a time. */
  private drain(): Promise<void> {
    if (this.running) return this.running.then(() => this.drain());
    if (!this.pending) return Promise.resolve();
    const run = (async () => {
      while (this.pending) {
        const { read } = this.pending;
        this.pending = undefined;
        try {
          await this.rebuild(read);
        } catch (error) {
          this.ctx.log.error('Runtime state: rebuild failed', error);
        }
      }
    })();
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async rebuild(read: boolean): Promise<void> {
    if (read || !this.snapshot) {
      if (!this.stateDir) this.resolveDir();
      const dir = this.stateDir?.dir ?? null;
      this.snapshot =
        dir === null
          ? {
              dir: null,
              containers: [],
              problems: [],
              error: `No usable Nucleus state directory: ${this.stateDir?.error ?? 'unknown'}`,
              readAt: Date.now(),
            }
          : await readStateDir(dir);
      // What the state files tell about the Nucleus that wrote them, reported before anything is asked of the server
      // (so the summaries below and the lenses use the rules it implies).
      await nucleusService(this.ctx).setInferredVersion(inferVersionFromState(this.snapshot));
    }
    const snapshot = this.snapshot;
    this.topologies = await this.files.current();
    const inputs = this.topologies.map((t) => ({ uri: t.uri.toString(), analysis: t.analysis }));
    const overview = buildRuntimeOverview(inputs, snapshot, Date.now());
    this.overview = overview;
    // The server first: a lens asked for once the tree changed already shows the same state.
    await this.notifyServer(overview, snapshot);
    this.changed.fire(overview);
  }

  /** Sends `nucleus/didChangeRuntimeState` for each open topology document whose state changed. */
  private async notifyServer(overview: RuntimeOverview, snapshot: StateSnapshot): Promise<void> {
    const client = this.ctx.languageClient;
    if (!client) return;
    for (const document of TopologyFiles.openDocuments()) {
      const uri = document.uri.toString();
      const state = runtimeStateForServer(overview, snapshot, uri);
      const json = JSON.stringify(state);
      if (this.sent.get(uri) === json) continue;
      this.sent.set(uri, json);
      const params: DidChangeRuntimeStateParams = { uri, state };
      try {
        await client.sendNotification(DidChangeRuntimeStateNotification.method, params);
      } catch (error) {
        this.sent.delete(uri);
        this.ctx.log.debug('Runtime state: could not notify the server', error);
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}

/** `nucleus.tree.refreshInterval` in seconds (default 5; 0 or less = no polling). */
function refreshIntervalSeconds(): number {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>(REFRESH_INTERVAL_SETTING);
  return typeof value === 'number' && Number.isFinite(value) ? value : DEFAULT_REFRESH_SECONDS;
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The path component of `descendant` right below `ancestor` (`/a`, `/a/b/c` → `/a/b`). */
function firstComponentBelow(ancestor: string, descendant: string): string {
  let path = descendant;
  while (dirname(path) !== ancestor && dirname(path) !== path) path = dirname(path);
  return path;
}
