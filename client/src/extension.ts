// Extension entry: activate/deactivate only. Everything else hangs off the Ctx.
import * as vscode from 'vscode';
import { registerCommands } from './commands/index.js';
import { Ctx } from './ctx.js';
import { createLog, errorMessage } from './log.js';
import { registerNucleusStatusItem } from './statusItem.js';

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLog();
  context.subscriptions.push(log);
  ctx = new Ctx(context, log);
  // Commands first: "Show Output" and "Restart Server" must work even when the server failed to start.
  registerCommands(ctx);
  // A PATH lookup only: nothing is executed at activation.
  registerNucleusStatusItem(ctx);
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
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
