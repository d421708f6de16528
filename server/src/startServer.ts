// Builds the language server on a connection: stores, the capability list (the server's whole surface at a
// glance) and one register() per feature. Exported so tests start this same server over in-memory streams.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { analyzeTopology } from '@nucleus-topology/engine';
import { SETTINGS_SECTION, type InitializationOptions } from '@nucleus-topology/protocol';
import { RuntimeStateStore, ServerContext, type ServerOptions } from './context.js';
import { DocumentStore, type Analyzer } from './documentStore.js';

import type { Logger } from './safeHandler.js';
import { SettingsStore } from './settingsStore.js';
import * as codeActions from './features/codeActions.js';
import * as codeLens from './features/codeLens.js';
import * as completion from './features/completion.js';
import * as diagnostics from './features/diagnostics.js';
import * as documentSymbols from './features/documentSymbols.js';
import * as folding from './features/folding.js';
import * as hover from './features/hover.js';
import * as inlayHints from './features/inlayHints.js';
import * as navigation from './features/navigation.js';
import * as topologyRequests from './features/topologyRequests.js';

/** One register() per feature; each adds its handlers to the connection. */
const FEATURES = [
  diagnostics,
  completion,
  hover,
  navigation,
  documentSymbols,
  folding,
  codeActions,
  codeLens,
  inlayHints,
  topologyRequests,
];

export interface StartServerOptions extends Partial<ServerOptions> {
  /** The engine entry point; tests substitute one that fails on purpose. */
  analyze?: Analyzer;
}

const DEFAULT_OPTIONS: ServerOptions = { debounceMs: 150 };

const capabilities: ServerCapabilities = {
  // Incremental sync: a keystroke in a large file sends only the edit.
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  // Diagnostics are pushed (debounced, versioned) by features/diagnostics.ts: no capability needed.
  // Keys, enum values, referenced names, headers; `"` `.` `[` `:` open a value or a header.
  completionProvider: { triggerCharacters: ['"', "'", '.', '[', ' '] },
  // Key docs; service startup position, dependents, hash and `nucleus create` command; volume/network users.
  hoverProvider: true,
  // Services, volumes and networks: their definition, their references, highlights and rename.
  definitionProvider: true,
  referencesProvider: true,
  documentHighlightProvider: true,
  renameProvider: { prepareProvider: true },
  // Outline: name, services, volumes, networks and their keys.
  documentSymbolProvider: { label: 'Nucleus topology' },
  // Table sections, multi-line arrays and inline tables, comment blocks.
  foldingRangeProvider: true,
  // Quick fixes for engine issues.
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  // Apply/Plan/Down/Validate on top; startup position and runtime status per service.
  codeLensProvider: { resolveProvider: false },
  // Effective defaults of omitted keys, memory in bytes, running values that differ from the file.
  inlayHintProvider: true,
};

export function startServer(connection: Connection, options: StartServerOptions = {}): void {
  // The log never throws: the safe wrappers log from their catch blocks, and a message that can no longer be
  // delivered (work that ends after the connection closed) must not become an unhandled rejection.
  const deliver = (send: (message: string) => void, message: string): void => {
    try {
      send(message);
    } catch {
      // the connection is closed: nobody is left to read it
    }
  };
  const log: Logger = {
    info: (message) => deliver((m) => connection.console.info(m), message),
    error: (message) => deliver((m) => connection.console.error(m), message),
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

  for (const feature of FEATURES) feature.register(ctx);

  documents.listen(connection);
}
