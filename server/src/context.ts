// What every feature module receives: the connection, the shared stores, the log and the handler wrapper.
import type { TopologyRuntimeState } from '@nucleus-topology/protocol';
import type { CancellationToken, ClientCapabilities, Connection, ResponseError } from 'vscode-languageserver';
import type { DocumentState, DocumentStore } from './documentStore.js';
import { safeHandler, safeNotification, type Logger } from './safeHandler.js';
import type { SettingsStore } from './settingsStore.js';

/** The runtime state the client last reported per topology URI (absent = unknown). */
export class RuntimeStateStore {
  private readonly states = new Map<string, TopologyRuntimeState>();

  get(uri: string): TopologyRuntimeState | undefined {
    return this.states.get(uri);
  }

  set(uri: string, state: TopologyRuntimeState | null): void {
    if (state === null) this.states.delete(uri);
    else this.states.set(uri, state);
  }
}

export interface ServerOptions {
  /** Delay between a change and its diagnostics, so a burst of keystrokes is analysed once. */
  debounceMs: number;
}

export class ServerContext {
  /** Filled in by `initialize`; features read it to decide what the client can take (refresh, snippets…). */
  clientCapabilities: ClientCapabilities = {};

  constructor(
    readonly connection: Connection,
    readonly documents: DocumentStore,
    readonly settings: SettingsStore,
    readonly runtime: RuntimeStateStore,
    readonly log: Logger,
    readonly options: ServerOptions,
  ) {}

  /** A request handler behind `safeHandler`. */
  request<P, R>(
    name: string,
    empty: R,
    handler: (params: P, token: CancellationToken) => R | Promise<R>,
  ): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
    return safeHandler(this.log, name, empty, handler);
  }

  /**
   * A request handler about one document: it runs only for open topology files, on the analysis of the
   * document's current version, and answers `empty` otherwise.
   */
  documentRequest<P extends { textDocument: { uri: string } }, R>(
    name: string,
    empty: R,
    handler: (state: DocumentState, params: P, token: CancellationToken) => R | Promise<R>,
  ): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
    return safeHandler(this.log, name, empty, async (params: P, token) => {
      const state = await this.documents.state(params.textDocument.uri);
      return state === undefined ? empty : handler(state, params, token);
    });
  }

  /** Runs fire-and-forget work (refresh requests, late notifications): a failure is logged, never unhandled. */
  background(name: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => {
      this.log.error(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    });
  }

  notification<P>(name: string, handler: (params: P) => void | Promise<void>): (params: P) => Promise<void> {
    return safeNotification(this.log, name, handler);
  }
}
