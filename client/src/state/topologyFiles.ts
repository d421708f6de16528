// The topologies the Services view and the lenses know: open topology documents (the language server's analysis,
// so the view and the lenses use the same hashes) and, while the view is visible, the workspace's topology files
// (analysed here with the engine, cached per file version). Nothing is scanned or watched while the view is hidden.
import { stat, readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import {
  analyzeTopology,
  fileErrorCount,
  overviewAnalysisOf,
  type OverviewAnalysis,
  type SupportedVersion,
} from '@nucleus-topology/engine';
import {
  AnalysisRequest,
  DidChangeAnalysisNotification,
  TOPOLOGY_LANGUAGE_ID,
  type AnalysisParams,
  type DidChangeAnalysisParams,
  type TopologySummary,
} from '@nucleus-topology/protocol';
import type { Ctx } from '../ctx.js';

/** The workspace files that are topologies (the language's `filenames` and `extensions`). */
const TOPOLOGY_GLOB = '**/{topology.toml,*.topology.toml}';
const EXCLUDE_GLOB = '**/{node_modules,.git}/**';
/** More files than this in one workspace are not listed (a safety net for huge trees). */
const MAX_FILES = 500;

export interface KnownTopology {
  uri: vscode.Uri;
  analysis: OverviewAnalysis;
  /** The server's summary, for documents open in the editor (ranges of the service headers, version). */
  summary?: TopologySummary;
}

interface FileEntry {
  /** `<mtimeMs>:<size>:<version>`: analysed again only when one of them changes. */
  key: string;
  analysis: OverviewAnalysis;
}

/** Converts the server's summary to the overview's input (the same facts the lenses use). */
function overviewAnalysisOfSummary(summary: TopologySummary): OverviewAnalysis {
  return {
    name: summary.name === '' ? null : summary.name,
    services: summary.services.map((s) => ({ name: s.name, hash: s.hash })),
    errors: fileErrorCount(summary.problems.errors, summary.nucleusError),
  };
}

export class TopologyFiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a topology was added, removed or re-analysed (debounced by the consumer). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private scanning: vscode.Disposable | undefined;
  /** Workspace files found by the last scan (URI strings), when scanning. */
  private files: Set<string> | undefined;
  private readonly fileCache = new Map<string, FileEntry>();
  private readonly summaries = new Map<string, TopologySummary>();
  /** The version the server analysed with, last seen: files on disk are analysed with it too. */
  private serverVersion: SupportedVersion | undefined;

  constructor(
    private readonly ctx: Ctx,
    /** The version whose rules apply to a file when the server has not said (the commands' choice). */
    private readonly fallbackVersion: (uri: vscode.Uri) => SupportedVersion,
  ) {
    const hook = (client: NonNullable<Ctx['languageClient']>) => {
      ctx.pushClientCleanup(
        // One handler per method on a client: this is the client's only `nucleus/didChangeAnalysis` handler.
        // Also sent for the same document version after a settings change (other rules, other hashes): ask again.
        client.onNotification(DidChangeAnalysisNotification.method, (params: DidChangeAnalysisParams) => {
          this.summaries.delete(params.uri);
          this.changed.fire();
        }),
      );
      // A new server may analyse differently (settings, version): ask again.
      this.summaries.clear();
      this.changed.fire();
    };
    if (ctx.languageClient) hook(ctx.languageClient);
    this.disposables.push(
      ctx.onDidStartClient(hook),
      vscode.workspace.onDidOpenTextDocument((d) => this.onDocument(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!this.summaries.delete(d.uri.toString()) && d.languageId !== TOPOLOGY_LANGUAGE_ID) return;
        this.changed.fire();
      }),
    );
  }

  /** Lists and watches the workspace's topology files (while the view is visible), or stops doing so. */
  setScanning(on: boolean): void {
    if (on === (this.scanning !== undefined)) return;
    if (!on) {
      this.scanning?.dispose();
      this.scanning = undefined;
      this.files = undefined;
      return;
    }
    const watcher = vscode.workspace.createFileSystemWatcher(TOPOLOGY_GLOB);
    const rescan = () => void this.scan();
    const touched = (uri: vscode.Uri) => {
      this.fileCache.delete(uri.toString());
      this.changed.fire();
    };
    this.scanning = vscode.Disposable.from(
      watcher,
      watcher.onDidCreate(rescan),
      watcher.onDidDelete(rescan),
      watcher.onDidChange(touched),
      vscode.workspace.onDidChangeWorkspaceFolders(rescan),
    );
    void this.scan();
  }

  private async scan(): Promise<void> {
    try {
      const found = await vscode.workspace.findFiles(TOPOLOGY_GLOB, EXCLUDE_GLOB, MAX_FILES);
      if (this.scanning === undefined) return;
      this.files = new Set(found.filter((u) => u.scheme === 'file').map((u) => u.toString()));
      for (const key of this.fileCache.keys()) if (!this.files.has(key)) this.fileCache.delete(key);
      this.changed.fire();
    } catch (error) {
      this.ctx.log.warn('Could not list the topology files of the workspace', error);
    }
  }

  private onDocument(document: vscode.TextDocument): void {
    if (document.languageId === TOPOLOGY_LANGUAGE_ID) this.changed.fire();
  }

  /** Whether a topology document is visible in an editor (the lenses then need the runtime state). */
  static topologyEditorVisible(): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document.languageId === TOPOLOGY_LANGUAGE_ID);
  }

  /** Open topology documents (file and untitled), in no particular order. */
  static openDocuments(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => d.languageId === TOPOLOGY_LANGUAGE_ID && !d.isClosed);
  }

  /**
   * Every known topology: open documents (the server's analysis, or the engine's when the server is not running)
   * and, while scanning, the workspace files that are not open. Files that cannot be read are left out.
   */
  async current(): Promise<KnownTopology[]> {
    const out: KnownTopology[] = [];
    const open = new Set<string>();
    for (const document of TopologyFiles.openDocuments()) {
      const key = document.uri.toString();
      open.add(key);
      const summary = await this.summaryOf(document);
      if (summary) out.push({ uri: document.uri, analysis: overviewAnalysisOfSummary(summary), summary });
      else {
        const version = this.serverVersion ?? this.fallbackVersion(document.uri);
        out.push({
          uri: document.uri,
          analysis: overviewAnalysisOf(analyzeTopology(document.getText(), { version })),
        });
      }
    }
    for (const key of this.files ?? []) {
      if (open.has(key)) continue;
      const uri = vscode.Uri.parse(key, true);
      const analysis = await this.analyseFile(uri);
      if (analysis) out.push({ uri, analysis });
    }
    return out;
  }

  /** The server's summary of an open document (asked once per document version). */
  async summaryOf(document: vscode.TextDocument): Promise<TopologySummary | undefined> {
    const key = document.uri.toString();
    const cached = this.summaries.get(key);
    if (cached?.documentVersion === document.version) return cached;
    const client = this.ctx.languageClient;
    if (!client) return undefined;
    try {
      const params: AnalysisParams = { uri: key };
      const summary = await client.sendRequest<TopologySummary | null>(AnalysisRequest.method, params);
      if (summary === null) return undefined;
      this.summaries.set(key, summary);
      if (summary.nucleusVersion === '0.3.8' || summary.nucleusVersion === '0.3.9') {
        this.serverVersion = summary.nucleusVersion;
      }
      return summary;
    } catch (error) {
      this.ctx.log.debug(`nucleus/analysis failed for ${key}`, error);
      return undefined;
    }
  }

  private async analyseFile(uri: vscode.Uri): Promise<OverviewAnalysis | undefined> {
    const key = uri.toString();
    const version = this.serverVersion ?? this.fallbackVersion(uri);
    try {
      const s = await stat(uri.fsPath);
      const cacheKey = `${s.mtimeMs}:${s.size}:${version}`;
      const cached = this.fileCache.get(key);
      if (cached?.key === cacheKey) return cached.analysis;
      const analysis = overviewAnalysisOf(analyzeTopology(await readFile(uri.fsPath, 'utf8'), { version }));
      this.fileCache.set(key, { key: cacheKey, analysis });
      return analysis;
    } catch (error) {
      this.fileCache.delete(key);
      this.ctx.log.debug(`Cannot read topology file ${uri.fsPath}`, error);
      return undefined;
    }
  }

  dispose(): void {
    this.scanning?.dispose();
    this.scanning = undefined;
    for (const d of this.disposables) d.dispose();
  }
}
