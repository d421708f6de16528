// Extension entry: activate/deactivate only. Everything else hangs off the Ctx.
import * as vscode from 'vscode';
import { registerCommands } from './commands/index.js';
import { Ctx } from './ctx.js';
import { createLog, errorMessage } from './log.js';
import { registerNucleusStatusItem } from './statusItem.js';
import { registerServicesView, type ServicesViewApi } from './views/index.js';

let ctx: Ctx | undefined;

/** The API returned to VS Code: the Services view's provider and state source, the status item (e2e suite). */
export interface ExtensionApi extends ServicesViewApi {
  statusItem: vscode.LanguageStatusItem;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const log = createLog();
  context.subscriptions.push(log);
  ctx = new Ctx(context, log);
  // Commands first: "Show Output" and "Restart Server" must work even when the server failed to start.
  registerCommands(ctx);
  // A PATH lookup only: nothing is executed at activation.
  const statusItem = registerNucleusStatusItem(ctx);
  // The view reads files only (no process) and works without the server, so it comes before the server start.
  const api: ExtensionApi = { ...registerServicesView(ctx), statusItem };
  try {
    await ctx.start();
  } catch (error) {
    // Fail loudly at activation: one message with a way to the details, then rethrow so VS Code records it.
    log.error('Activation failed: the language server did not start', error);
    void vscode.window
      .showErrorMessage(`Nucleus Topology failed to start: ${errorMessage(error)}`, 'Show Output')
      .then((choice) => choice === 'Show Output' && log.show());
    throw error;
  }
  return api;
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
