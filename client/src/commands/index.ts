// The command table: every command id maps to a factory that takes the Ctx and returns its handler.
// To add a command: add its id to ids.ts and package.json `contributes.commands`, write the handler in its
// own module under commands/ (keep it thin; put decisions in pure, unit-tested functions), list it below.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.js';
import { CommandId } from './ids.js';
import { detectVersionCommand, setPathCommand } from './nucleusPath.js';
import { applyCommand, downCommand, planCommand, showStateCommand, validateCommand } from './runtime.js';

export { CommandId } from './ids.js';

/** A handler's arguments come from VS Code (menus, code lenses, executeCommand), so they are untyped. */
export type CommandHandler = (...args: unknown[]) => unknown;
export type CommandFactory = (ctx: Ctx) => CommandHandler;

const commands: Record<CommandId, CommandFactory> = {
  [CommandId.restartServer]: (ctx) => () => ctx.restart(),
  [CommandId.showOutput]: (ctx) => () => ctx.log.show(),
  // Runtime commands: argument = the topology URI (string from code lenses, Uri from menus), else the active
  // editor's file; each resolves with the CLI's exit code, or undefined when nothing was started.
  [CommandId.plan]: (ctx) => (uri) => planCommand(ctx, uri),
  [CommandId.apply]: (ctx) => (uri) => applyCommand(ctx, uri),
  [CommandId.down]: (ctx) => (uri) => downCommand(ctx, uri),
  [CommandId.validate]: (ctx) => (uri) => validateCommand(ctx, uri),
  [CommandId.showState]: (ctx) => (uri) => showStateCommand(ctx, uri),
  [CommandId.setPath]: (ctx) => () => setPathCommand(ctx),
  [CommandId.detectVersion]: (ctx) => () => detectVersionCommand(ctx),
};

/** Registers every command of the table; they live as long as the extension. */
export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(commands)) {
    ctx.pushExtCleanup(vscode.commands.registerCommand(id, factory(ctx)));
  }
}
