// A real LSP client talking to startServer over in-memory streams: server tests send real requests and
// notifications and wait for what the server publishes (no sleeps).
import { PassThrough } from 'node:stream';
import type { StartServerOptions } from '@nucleus-topology/server';
import { startServer } from '@nucleus-topology/server';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  InlayHintRefreshRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';

export const TOPOLOGY_LANGUAGE = 'nucleus-topology';

/** What a client like VS Code announces; refresh support lets the server ask for new lenses and hints. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    codeLens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] } },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    rename: { prepareSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
};

type Waiter<T> = { accept: (value: T) => boolean; resolve: (value: T) => void };

/** Collects every message of one kind and lets a test wait for the first (past or future) that matches. */
class Inbox<T> {
  readonly received: T[] = [];
  private waiters: Waiter<T>[] = [];

  push(value: T): void {
    this.received.push(value);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.accept(value)) return true;
      waiter.resolve(value);
      return false;
    });
  }

  /** Resolves with the first message received from index `from` on that `accept`s. */
  wait(accept: (value: T) => boolean, from = 0): Promise<T> {
    const found = this.received.slice(from).find(accept);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ accept, resolve }));
  }
}

export interface TestClientOptions extends StartServerOptions {
  /** The `nucleus` settings section the client answers workspace/configuration with. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  capabilities?: ClientCapabilities;
}

export class TestClient {
  readonly diagnostics = new Inbox<PublishDiagnosticsParams>();
  readonly logs = new Inbox<LogMessageParams>();
  readonly refreshes = new Inbox<'codeLens' | 'inlayHint'>();
  settings: Record<string, unknown>;
  /** The server's answer to `initialize`. */
  initializeResult: InitializeResult | undefined;
  private readonly versions = new Map<string, number>();

  constructor(
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
    private readonly onDispose: () => void,
  ) {
    this.settings = settings;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.diagnostics.push(params));
    connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params));
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'nucleus' ? this.settings : null)),
    );
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.refreshes.push('codeLens');
    });
    connection.onRequest(InlayHintRefreshRequest.type, () => {
      this.refreshes.push('inlayHint');
    });
  }

  async initialize(options: TestClientOptions): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: null,
      rootUri: null,
      capabilities: options.capabilities ?? CLIENT_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    this.initializeResult = result;
    return result;
  }

  /** Opens a document (version 1 unless given) and returns its version. */
  async open(uri: string, text: string, languageId = TOPOLOGY_LANGUAGE, version = 1): Promise<number> {
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version, text },
    });
    return version;
  }

  /** Sends one didChange with the given (incremental or full) changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Changes the settings the client answers with and tells the server, as VS Code does. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /**
   * The diagnostics published for exactly this document version (received from message index `from` on:
   * pass `client.diagnostics.received.length` taken before a re-open, whose versions start over).
   */
  diagnosticsFor(uri: string, version: number, from = 0): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.wait((p) => p.uri === uri && p.version === version, from);
  }

  async dispose(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    // No `exit` notification: the server library answers it with process.exit, which would end the test run.
    this.connection.dispose();
    this.onDispose();
  }
}

/** Starts the real server (startServer) and a client connected to it over two in-memory pipes. */
export async function startTestServer(options: TestClientOptions = {}): Promise<TestClient> {
  const clientToServer = new PassThrough();
  const serverToClient = new PassThrough();
  const serverConnection = createConnection(
    new StreamMessageReader(clientToServer),
    new StreamMessageWriter(serverToClient),
  );
  startServer(serverConnection, options);
  serverConnection.listen();
  const connection = createProtocolConnection(
    new StreamMessageReader(serverToClient),
    new StreamMessageWriter(clientToServer),
  );
  connection.listen();
  const client = new TestClient(connection, options.settings ?? {}, () => {
    serverConnection.dispose();
    clientToServer.end();
    serverToClient.end();
  });
  await client.initialize(options);
  return client;
}
