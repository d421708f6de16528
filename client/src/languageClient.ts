// LanguageClient options for the Nucleus language server: server module, document selector, error handling.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { Log } from './log.js';

export const LANGUAGE_ID = 'nucleus-topology';
/** The client id: VS Code reads the `nucleus.trace.server` setting through it. */
const CLIENT_ID = 'nucleus';
const CLIENT_NAME = 'Nucleus Topology Language Server';

/** Port the server's inspector listens on when the extension runs under a debugger ("Attach to Server"). */
const SERVER_DEBUG_PORT = 6009;

/** Crash-loop policy: restart after a crash, unless it crashed this many times within the window. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

export function createLanguageClient(context: vscode.ExtensionContext, log: Log): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', `--inspect=${SERVER_DEBUG_PORT}`] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    // Only our language, never every TOML file; untitled so a new unsaved topology gets checked too.
    documentSelector: [
      { language: LANGUAGE_ID, scheme: 'file' },
      { language: LANGUAGE_ID, scheme: 'untitled' },
    ],
    outputChannel: log.channel,
    // The server's own log lines are for the user who opens the output, never a reason to pop it open.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: createErrorHandler(log),
    initializationFailedHandler: (error: unknown) => {
      log.error('The Nucleus language server failed to initialize', error);
      // false: do not retry; the activation path reports the failure once.
      return false;
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/**
 * Quiet on transient connection errors (logged only); restarts a crashed server, but stops after a crash
 * loop and then tells the user once, with a way to the log.
 */
function createErrorHandler(log: Log): ErrorHandler {
  const crashes: number[] = [];
  return {
    error(error: Error, _message, count): ErrorHandlerResult {
      log.error(`Connection to the language server failed (${count ?? 1}x)`, error);
      return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
    },
    closed(): CloseHandlerResult {
      const now = Date.now();
      crashes.push(now);
      while (crashes.length > 0 && now - (crashes[0] ?? now) > CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length < MAX_CRASHES) {
        log.warn('The language server stopped unexpectedly; restarting it');
        return { action: CloseAction.Restart, handled: true };
      }
      const message = `The Nucleus language server crashed ${crashes.length} times in the last 3 minutes and will not be restarted.`;
      log.error(message);
      void vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server').then((choice) => {
        if (choice === 'Show Output') log.show();
        else if (choice === 'Restart Server') return vscode.commands.executeCommand('nucleus.restartServer');
        return undefined;
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}
