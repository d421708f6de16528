// The Services view: its runtime-state source, tree, messages, context keys and the commands of its menus.
// Registered at activation; it does nothing until the view or a topology editor is visible (see runtimeState.ts).
import * as vscode from 'vscode';
import { ClientCommands } from '@nucleus-topology/protocol';
import type { Ctx } from '../ctx.js';
import { nucleusService } from '../nucleusService.js';
import { RuntimeState } from '../state/runtimeState.js';
import { ServiceActions } from './serviceActions.js';
import { SERVICES_VIEW_ID, ServicesTreeProvider } from './servicesTree.js';

/** The view's commands (package.json `contributes.commands`; hidden from the palette except Refresh). */
export const ViewCommandId = {
  refresh: 'nucleus.tree.refresh',
  logs: 'nucleus.service.logs',
  attach: 'nucleus.service.attach',
  stop: 'nucleus.service.stop',
  restart: 'nucleus.service.restart',
  reveal: 'nucleus.service.reveal',
  topologyApply: 'nucleus.topology.apply',
  topologyPlan: 'nucleus.topology.plan',
  topologyDown: 'nucleus.topology.down',
  /** From the server's lenses: `[uri: string, service: string]`, shows the service in the view. */
  revealService: ClientCommands.revealService,
} as const;

/** Context key: true when the nucleus binary was not found (the view's welcome says how to fix it). */
const NUCLEUS_MISSING_CONTEXT = 'nucleus.services.nucleusMissing';

/** What the extension exposes for its e2e tests (the return value of activate). */
export interface ServicesViewApi {
  treeProvider: ServicesTreeProvider;
  runtimeState: RuntimeState;
  actions: ServiceActions;
  treeView: vscode.TreeView<unknown>;
}

export function registerServicesView(ctx: Ctx): ServicesViewApi {
  const runtimeState = new RuntimeState(ctx);
  const treeProvider = new ServicesTreeProvider(runtimeState);
  const treeView = vscode.window.createTreeView(SERVICES_VIEW_ID, {
    treeDataProvider: treeProvider,
    showCollapseAll: true,
  });
  const actions = new ServiceActions(ctx, runtimeState);
  const nucleus = nucleusService(ctx);

  const updateMessage = () => {
    const missing = !nucleus.locate().found;
    void vscode.commands.executeCommand('setContext', NUCLEUS_MISSING_CONTEXT, missing);
    treeView.message = !vscode.workspace.isTrusted
      ? 'Restricted Mode: the view shows what runs; its actions are disabled until you trust this folder.'
      : missing
        ? 'nucleus was not found: Logs, Attach, Stop, Restart and Apply need it (Nucleus: Set Path to nucleus…).'
        : undefined;
  };
  updateMessage();

  const revealService = async (uri: unknown, service: unknown) => {
    await vscode.commands.executeCommand(`${SERVICES_VIEW_ID}.focus`);
    if (typeof uri !== 'string' || typeof service !== 'string') return;
    await runtimeState.refresh();
    const node = treeProvider.findService(uri, service);
    if (node) await treeView.reveal(node, { select: true, focus: true, expand: true });
  };

  const handlers: Record<
    (typeof ViewCommandId)[keyof typeof ViewCommandId],
    (...args: unknown[]) => unknown
  > = {
    [ViewCommandId.refresh]: () => runtimeState.refresh(),
    [ViewCommandId.logs]: (node) => actions.logs(node),
    [ViewCommandId.attach]: (node) => actions.attach(node),
    [ViewCommandId.stop]: (node) => actions.stop(node),
    [ViewCommandId.restart]: (node) => actions.restart(node),
    [ViewCommandId.reveal]: (node) => actions.reveal(node),
    [ViewCommandId.topologyApply]: (node) => actions.topology('apply', node),
    [ViewCommandId.topologyPlan]: (node) => actions.topology('plan', node),
    [ViewCommandId.topologyDown]: (node) => actions.topology('down', node),
    [ViewCommandId.revealService]: (uri, service) => revealService(uri, service),
  };
  for (const [id, handler] of Object.entries(handlers)) {
    ctx.pushExtCleanup(vscode.commands.registerCommand(id, handler));
  }

  ctx.pushExtCleanup(runtimeState);
  ctx.pushExtCleanup(treeProvider);
  ctx.pushExtCleanup(treeView);
  ctx.pushExtCleanup(treeView.onDidChangeVisibility((e) => runtimeState.setViewVisible(e.visible)));
  ctx.pushExtCleanup(nucleus.onDidChange(updateMessage));
  ctx.pushExtCleanup(vscode.workspace.onDidGrantWorkspaceTrust(updateMessage));
  runtimeState.setViewVisible(treeView.visible);
  return { treeProvider, runtimeState, actions, treeView };
}
