// The extension's context: owns the ExtensionContext, the log, the LanguageClient and two disposal scopes
// (extension lifetime, and one language-client lifetime that restart() disposes and rebuilds).
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient.js';
import { errorMessage, type Log } from './log.js';

export class Ctx implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly extDisposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  private readonly clientStarted = new vscode.EventEmitter<LanguageClient>();
  /**
   * Fires each time a language client has started (at activation and after every restart). Features that
   * listen to server notifications register their handlers here, into {@link pushClientCleanup}.
   */
  readonly onDidStartClient = this.clientStarted.event;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: Log,
  ) {
    this.extDisposables.push(this.clientStarted);
  }

  /** The running language client, if any. */
  get languageClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** Starts the language server; rejects when it cannot start (the caller decides how loudly to fail). */
  async start(): Promise<void> {
    if (this.client) return;
    const client = createLanguageClient(this.extension, this.log);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      await client.dispose().catch(() => undefined);
      throw error;
    }
    this.log.info('Language server started');
    this.clientStarted.fire(client);
  }

  /** Stops the server and disposes everything registered for this client. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    disposeAll(this.clientDisposables);
    this.clientDisposables = [];
    if (client) await client.dispose();
  }

  async restart(): Promise<void> {
    this.log.info('Restarting the language server');
    try {
      await this.stop();
      await this.start();
    } catch (error) {
      this.log.error('The language server failed to restart', error);
      const choice = await vscode.window.showErrorMessage(
        `Nucleus: the language server failed to restart: ${errorMessage(error)}`,
        'Show Output',
      );
      if (choice === 'Show Output') this.log.show();
    }
  }

  /** Registers something that lives as long as the extension. */
  pushExtCleanup(disposable: vscode.Disposable): void {
    this.extDisposables.push(disposable);
  }

  /** Registers something bound to the current language client; disposed when it stops or restarts. */
  pushClientCleanup(disposable: vscode.Disposable): void {
    this.clientDisposables.push(disposable);
  }

  async dispose(): Promise<void> {
    await this.stop();
    disposeAll(this.extDisposables);
    this.extDisposables.length = 0;
  }
}

function disposeAll(disposables: vscode.Disposable[]): void {
  // Reverse order: later registrations may depend on earlier ones.
  for (const disposable of disposables.reverse()) {
    try {
      disposable.dispose();
    } catch {
      // one failing disposal must not keep the others alive
    }
  }
}
