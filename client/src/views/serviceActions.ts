// The Services view's actions: Logs, Attach, Stop, Restart, Reveal in File on a service; Apply, Plan, Down on a
// topology (the runtime commands, given its URI). Every action checks Workspace Trust first; Stop and Restart of a
// running container ask first (modal). Processes run in the topology terminals (runInTopologyTerminal), as argv.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  buildSymbolIndex,
  defaultLogDir,
  parseToml,
  serviceLogFile,
  symbolKey,
  type ServiceOverview,
} from '@nucleus-topology/engine';
import { ClientCommands } from '@nucleus-topology/protocol';
import { prepareRuntime } from '../commands/runtime.js';
import { resolveTarget } from '../commands/target.js';
import { config } from '../config.js';
import type { Ctx } from '../ctx.js';
import type { RuntimeState } from '../state/runtimeState.js';
import { runInTopologyTerminal } from '../terminal.js';
import { ensureTrusted } from '../trust.js';
import { openFollowingLog } from './logFollower.js';
import type { ServicesNode } from './servicesTree.js';

type ServiceNode = Extract<ServicesNode, { kind: 'service' }>;
type TopologyNode = Extract<ServicesNode, { kind: 'topology' }>;

/** A modal yes/no: true only when the user picked `action`. */
function confirm(message: string, detail: string, action: string): Thenable<boolean> {
  return vscode.window.showWarningMessage(message, { modal: true, detail }, action).then((c) => c === action);
}

function isServiceNode(arg: unknown): arg is ServiceNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'service';
}

function isTopologyNode(arg: unknown): arg is TopologyNode {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'topology';
}

/** How to name a container to nucleus: its name, or its id when several state files share the name. */
function containerRef(row: ServiceOverview): string {
  return row.stateFiles > 1 && row.details !== null ? row.details.id : row.container;
}

export class ServiceActions {
  constructor(
    private readonly ctx: Ctx,
    private readonly state: RuntimeState,
  ) {}

  private scope(node: ServiceNode): vscode.Uri | undefined {
    return node.topologyUri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  /** `--root R` for nucleus itself, when nucleus.stateRoot is set (the commands pass the same). */
  private rootArgs(node: ServiceNode): string[] {
    const root = config.stateRoot(this.scope(node));
    return root !== undefined ? ['--root', root] : [];
  }

  /**
   * The terminal a long-running container command (attach, logs -f) gets: one per container, named after it, in
   * the topology's folder, so it never blocks the topology's own terminal (apply, plan, stop).
   */
  private containerTerminalUri(node: ServiceNode): vscode.Uri {
    const folder = node.topologyUri
      ? dirname(node.topologyUri.fsPath)
      : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.state.stateDir?.dir ?? '/');
    return vscode.Uri.file(join(folder, node.row.container));
  }

  /** The log file apply writes for a service of a topology, when there is one. */
  logFileOf(node: ServiceNode): string | undefined {
    const { row } = node;
    if (row.topology === null) return undefined;
    const dir = config.logDir(this.scope(node)) ?? defaultLogDir(process.env);
    return serviceLogFile(dir, row.topology, row.service);
  }

  async logs(arg: unknown): Promise<void> {
    if (!isServiceNode(arg) || !ensureTrusted(this.ctx, 'Logs')) return;
    const file = this.logFileOf(arg);
    if (file !== undefined && existsSync(file)) {
      await openFollowingLog(this.ctx, file);
      return;
    }
    if (arg.row.details === null) {
      void vscode.window.showInformationMessage(
        `Nucleus: ${arg.row.container} has no log yet: it has not been started by Apply.`,
      );
      return;
    }
    // Not started by our apply: Nucleus's own logs (journald, for `create --detach` containers; E11).
    this.ctx.log.info(
      `Logs: no log file for ${arg.row.container}${file ? ` (${file})` : ''}; running 'nucleus logs -f'`,
    );
    await runInTopologyTerminal(
      this.ctx,
      this.containerTerminalUri(arg),
      [...this.rootArgs(arg), 'logs', containerRef(arg.row), '-f'],
      { title: `Logs ${arg.row.container}`, program: 'nucleus', focus: true },
    );
  }

  async attach(arg: unknown): Promise<void> {
    if (!isServiceNode(arg) || !ensureTrusted(this.ctx, 'Attach')) return;
    await runInTopologyTerminal(
      this.ctx,
      this.containerTerminalUri(arg),
      [...this.rootArgs(arg), 'attach', containerRef(arg.row)],
      { title: `Attach ${arg.row.container}`, program: 'nucleus', focus: true },
    );
  }

  async stop(arg: unknown): Promise<number | undefined> {
    if (!isServiceNode(arg) || !ensureTrusted(this.ctx, 'Stop')) return undefined;
    const { row } = arg;
    const ok = await confirm(
      `Stop ${row.container}?`,
      `Runs 'nucleus stop ${containerRef(row)}': the workload gets SIGTERM (SIGKILL after 10 s). ` +
        (row.declared
          ? `The next Apply starts it again.`
          : `It is not a service of any topology file of this workspace.`),
      'Stop',
    );
    if (!ok) return undefined;
    const code = await runInTopologyTerminal(
      this.ctx,
      arg.topologyUri ?? this.containerTerminalUri(arg),
      [...this.rootArgs(arg), 'stop', containerRef(row)],
      { title: `Stop ${row.container}`, program: 'nucleus' },
    );
    await this.state.refresh();
    return code;
  }

  /** Apply for one service: `nucleus-topology restart FILE SERVICE --yes` (confirmed here) in the terminal. */
  async restart(arg: unknown): Promise<number | undefined> {
    if (!isServiceNode(arg) || !ensureTrusted(this.ctx, 'Restart')) return undefined;
    const { row } = arg;
    if (!row.declared || arg.topologyUri === undefined) return undefined;
    const running = row.status === 'running' || row.status === 'starting';
    if (running) {
      const ok = await confirm(
        `Restart ${row.container}?`,
        `Stops the running container and starts it again with the configuration in ${vscode.workspace.asRelativePath(arg.topologyUri)} (unsaved edits are saved first). Other services are left alone.`,
        'Restart',
      );
      if (!ok) return undefined;
    }
    const target = await resolveTarget(arg.topologyUri, 'Restart');
    if (!target) return undefined;
    // The same nucleus, rule version and options as Apply (which also detects the version when it must).
    const runtime = await prepareRuntime(this.ctx, target.uri, 'Restart');
    if (!runtime) return undefined;
    const code = await runInTopologyTerminal(
      this.ctx,
      target.uri,
      ['restart', target.uri.fsPath, row.service, '--yes', ...runtime.options],
      { title: `Restart ${row.service}` },
    );
    await this.state.refresh();
    if (code !== undefined && code !== 0) {
      void vscode.window.showErrorMessage(
        `Nucleus: Restart of ${row.container} failed (exit code ${code}); the terminal shows why.`,
      );
    }
    return code;
  }

  /** Opens the topology file and selects the service's `[services.<name>]` header. */
  async reveal(arg: unknown): Promise<vscode.TextEditor | undefined> {
    if (!isServiceNode(arg) || !ensureTrusted(this.ctx, 'Reveal in File')) return undefined;
    const uri = arg.topologyUri;
    if (uri === undefined || !arg.row.declared) return undefined;
    return this.revealInFile(uri, arg.row.service);
  }

  async revealInFile(uri: vscode.Uri, service: string): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    // The whole `[services.<name>]` header (the key, for a service defined inline) of the text as the editor has
    // it: the same definition the server's navigation and lenses use.
    const definition = buildSymbolIndex(parseToml(document.getText())).definitions.get(
      symbolKey('service', service),
    );
    if (definition) {
      const span = definition.headerSpan;
      const range = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return editor;
  }

  /** Apply / Plan / Down on a topology node: the runtime commands with the node's file. */
  async topology(command: 'apply' | 'plan' | 'down', arg: unknown): Promise<unknown> {
    if (!isTopologyNode(arg)) return undefined;
    const title = command === 'apply' ? 'Apply' : command === 'plan' ? 'Plan' : 'Down';
    if (!ensureTrusted(this.ctx, title)) return undefined;
    const result = await vscode.commands.executeCommand(ClientCommands[command], arg.uri);
    if (command !== 'plan') await this.state.refresh();
    return result;
  }
}
