// Workspace Trust for everything that starts a process: the one check every such command (and the terminal
// runner, again right before spawning) goes through. Language features never call it: they work untrusted.
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';

const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * True when the workspace is trusted. Otherwise logs the refusal, tells the user why `action` (e.g. "Apply")
 * cannot run, with a "Manage Workspace Trust" button, and returns false. Never waits for the message, so a
 * caller (or a test) is not blocked by a notification nobody answers.
 */
export function ensureTrusted(ctx: Ctx, action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  ctx.log.warn(`${action}: refused, the workspace is not trusted (Restricted Mode); nothing was started`);
  void vscode.window
    .showWarningMessage(
      `Nucleus: ${action} starts processes, so it is disabled in Restricted Mode. Trust this folder to use it.`,
      MANAGE_TRUST,
    )
    .then((choice) =>
      choice === MANAGE_TRUST ? vscode.commands.executeCommand('workbench.trust.manage') : undefined,
    );
  return false;
}
