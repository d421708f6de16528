// Open documents and the engine's result for each one, computed once per (URI, document version, Nucleus
// version) and shared by every feature; dropped when the document closes.
import {
  serviceHashes,
  type Analysis,
  type AnalyzeOptions,
  type SupportedVersion,
} from '@nucleus-topology/engine';
import { TOPOLOGY_LANGUAGE_ID } from '@nucleus-topology/protocol';
import { TextDocuments, type Connection, type Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineMap } from './convert.js';
import type { SettingsStore } from './settingsStore.js';

/** The engine entry point the store calls (injected so tests can substitute a failing one). */
export type Analyzer = (text: string, options: AnalyzeOptions) => Analysis;

/** One analysed version of one document: what every feature reads. */
export class DocumentState {
  private readonly derived = new Map<(state: DocumentState) => unknown, unknown>();

  constructor(
    readonly uri: string,
    /** The LSP document version the analysis was computed from. */
    readonly version: number,
    readonly nucleusVersion: SupportedVersion,
    /** Offset ↔ position conversion for the text of `version` (see {@link VersionLines}). */
    readonly lines: LineMap,
    readonly analysis: Analysis,
  ) {}

  get text(): string {
    return this.analysis.toml.text;
  }

  /**
   * The change hash of every exactly decoded service. The analysis is made without them (diagnostics, the
   * work of every keystroke, need none): they are computed the first time a lens, hover or view asks.
   */
  get hashes(): ReadonlyMap<string, string> {
    return this.derive(hashesOf);
  }

  /**
   * A value computed from this analysis at most once (symbol index, cursor helpers…), keyed by the function
   * that computes it, so features share derived data without a registry.
   */
  derive<T>(compute: (state: DocumentState) => T): T {
    if (this.derived.has(compute)) return this.derived.get(compute) as T;
    const value = compute(this);
    this.derived.set(compute, value);
    return value;
  }
}

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly cache = new Map<string, DocumentState>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly analyze: Analyzer,
  ) {
    this.documents.onDidClose((event) => this.cache.delete(event.document.uri));
  }

  listen(connection: Connection): void {
    this.documents.listen(connection);
  }

  /** The live document, when it is open and is a topology file (other documents get no work at all). */
  get(uri: string): TextDocument | undefined {
    const document = this.documents.get(uri);
    return document !== undefined && isTopology(document) ? document : undefined;
  }

  all(): TextDocument[] {
    return this.documents.all().filter(isTopology);
  }

  /** The analysis of the document's current version (computed now if no feature asked for it yet). */
  async state(uri: string): Promise<DocumentState | undefined> {
    if (this.get(uri) === undefined) return undefined;
    const nucleusVersion = await this.settings.nucleusVersion(uri);
    // Read the document after the await: the state must describe the version that is current now.
    const document = this.get(uri);
    if (document === undefined) return undefined;
    const cached = this.cache.get(uri);
    if (
      cached !== undefined &&
      cached.version === document.version &&
      cached.nucleusVersion === nucleusVersion
    ) {
      return cached;
    }
    const text = document.getText();
    const lines = new VersionLines(document, document.version, text);
    const state = new DocumentState(
      uri,
      document.version,
      nucleusVersion,
      lines,
      kept(this.analyze(text, { version: nucleusVersion, details: false })),
    );
    this.cache.set(uri, state);
    return state;
  }
}

/**
 * What the store keeps of an analysis: the Analysis fields only. analyzeTopology returns more (the
 * decoder's sources, the validate() violations) that no feature reads; dropping the reference frees them
 * (~0.5 MB for 1000 services) while the document stays open.
 */
function kept(analysis: Analysis): Analysis {
  return {
    version: analysis.version,
    toml: analysis.toml,
    topology: analysis.topology,
    exactServices: analysis.exactServices,
    issues: analysis.issues,
    nucleusError: analysis.nucleusError,
    graph: analysis.graph,
    hashes: analysis.hashes,
  };
}

/**
 * Offsets ↔ positions of one analysed version. TextDocuments updates its documents in place on every change,
 * keeping their line table up to date incrementally: while the live document is still at the analysed
 * version, it answers; once it has moved on, the analysed text is indexed on its own (once). So a keystroke
 * costs no full line scan of the file (5 ms for a 700 KB file), yet an analysis never reads a newer text.
 */
class VersionLines implements LineMap {
  private frozen: TextDocument | undefined;

  constructor(
    private readonly live: TextDocument,
    private readonly version: number,
    private readonly text: string,
  ) {}

  private current(): LineMap {
    if (this.frozen !== undefined) return this.frozen;
    if (this.live.version === this.version) return this.live;
    this.frozen = TextDocument.create(this.live.uri, this.live.languageId, this.version, this.text);
    return this.frozen;
  }

  positionAt(offset: number): Position {
    return this.current().positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.current().offsetAt(position);
  }
}

function hashesOf(state: DocumentState): ReadonlyMap<string, string> {
  // An injected analyzer may have computed them anyway.
  const { analysis } = state;
  return analysis.hashes.size > 0 ? analysis.hashes : serviceHashes(analysis);
}

function isTopology(document: TextDocument): boolean {
  return document.languageId === TOPOLOGY_LANGUAGE_ID;
}
