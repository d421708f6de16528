// Builds the language server on a connection: stores, the capability list (the server's whole surface at a
// glance) and one register() per feature. Exported so tests start this same server over in-memory streams.
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { SETTINGS_SECTION, type InitializationOptions } from '@nucleus-topology/protocol';
import { RuntimeStateStore, ServerContext, type ServerOptions } from './context.js';
import { DocumentStore, type Analyzer } from './documentStore.js';
import { analyzeTopology } from './interimAnalyzer.js';
import type { Logger } from './safeHandler.js';
import { SettingsStore } from './settingsStore.js';
import * as diagnostics from './features/diagnostics.js';

export interface StartServerOptions extends Partial<ServerOptions> {
  /** The engine entry point; tests substitute one that fails on purpose. */
  analyze?: Analyzer;
}

const DEFAULT_OPTIONS: ServerOptions = { debounceMs: 150 };

const capabilities: ServerCapabilities = {
  // Incremental sync: a keystroke in a large file sends only the edit.
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
};

export function startServer(connection: Connection, options: StartServerOptions = {}): void {
  const log: Logger = {
    info: (message) => connection.console.info(message),
    error: (message) => connection.console.error(message),
  };
  let canFetchConfiguration = false;
  const settings = new SettingsStore((uri) =>
    canFetchConfiguration
      ? connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
      : Promise.resolve(undefined),
  );
  const documents = new DocumentStore(settings, options.analyze ?? analyzeTopology);
  const ctx = new ServerContext(connection, documents, settings, new RuntimeStateStore(), log, {
    ...DEFAULT_OPTIONS,
    ...options,
  });

  // Not behind safeHandler: it cannot fail, and its error type (InitializeError) is not a feature's.
  connection.onInitialize((params: InitializeParams) => {
    ctx.clientCapabilities = params.capabilities;
    canFetchConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as InitializationOptions | undefined;
    if (typeof init?.detectedVersion === 'string') settings.setDetectedVersion(init.detectedVersion);
    return { capabilities, serverInfo: { name: 'nucleus-topology' } };
  });
  connection.onInitialized(
    ctx.notification('initialized', async () => {
      if (ctx.clientCapabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true) {
        await connection.client.register(DidChangeConfigurationNotification.type, {
          section: SETTINGS_SECTION,
        });
      }
    }),
  );
  connection.onDidChangeConfiguration(
    ctx.notification('didChangeConfiguration', () => settings.invalidate()),
  );
  documents.documents.onDidClose(({ document }) => settings.forget(document.uri));

  diagnostics.register(ctx);

  documents.listen(connection);
}
