// The extension's one log: a LogOutputChannel with levels (set by the user via "Developer: Set Log Level…").
// Every client module logs through a Log; the language client writes its own messages to the same channel.
import * as vscode from 'vscode';

const OUTPUT_CHANNEL_NAME = 'Nucleus Topology';

export interface Log extends vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  /** Logs an error; an Error argument is logged with its stack. */
  error(message: string | Error, ...args: unknown[]): void;
  show(): void;
}

export function createLog(name = OUTPUT_CHANNEL_NAME): Log {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  return {
    channel,
    trace: (message, ...args) => channel.trace(message, ...args),
    debug: (message, ...args) => channel.debug(message, ...args),
    info: (message, ...args) => channel.info(message, ...args),
    warn: (message, ...args) => channel.warn(message, ...args),
    error: (message, ...args) => channel.error(message, ...args),
    // preserveFocus: opening the log must never steal the cursor from the editor
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

/** Formats an unknown thrown value for a log line or a message. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
