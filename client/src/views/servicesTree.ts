// The Services view's TreeDataProvider: maps the engine's runtime overview (topologies → services, other
// containers) to tree items: codicons and theme colours for status and drift, contextValues for the menus,
// Markdown tooltips with every user-provided value escaped. It computes nothing itself.
import { relative } from 'node:path';
import * as vscode from 'vscode';
import {
  driftLabel,
  formatUptime,
  type RuntimeOverview,
  type ServiceOverview,
  type TopologyOverview,
} from '@nucleus-topology/engine';
import type { RuntimeState } from '../state/runtimeState.js';
import {
  describeService,
  describeTopology,
  formatBytes,
  serviceContextValue,
  topologyContextValue,
} from './serviceText.js';

/** The view's id (package.json `contributes.views`). */
export const SERVICES_VIEW_ID = 'nucleus.services';

export type ServicesNode =
  | { kind: 'topology'; id: string; uri: vscode.Uri; topology: TopologyOverview }
  | {
      kind: 'service';
      id: string;
      row: ServiceOverview;
      parent: ServicesNode;
      topologyUri: vscode.Uri | undefined;
    }
  | { kind: 'others'; id: string; rows: ServiceOverview[] }
  | { kind: 'message'; id: string; text: string; detail: string };

function statusIcon(row: ServiceOverview): vscode.ThemeIcon {
  switch (row.status) {
    case 'running': {
      const color =
        row.drift === 'changed' || row.drift === 'no-hash'
          ? 'list.warningForeground'
          : row.drift === 'in-sync'
            ? 'testing.iconPassed'
            : 'charts.blue';
      return new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor(color));
    }
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'stopped':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('list.errorForeground'));
    case 'not-started':
      return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground'));
  }
}

const STATUS_WORDS: Record<ServiceOverview['status'], string> = {
  running: 'running',
  starting: 'starting',
  stopped: 'stopped: stale state file',
  'not-started': 'not started',
};

/** A Markdown line `**label**: value` with the value escaped (state files and names are not ours to trust). */
function field(md: vscode.MarkdownString, label: string, value: string): void {
  md.appendMarkdown(`**${label}**: `);
  md.appendText(value);
  md.appendMarkdown('  \n');
}

function serviceTooltip(row: ServiceOverview): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('$(server-process) ');
  md.supportThemeIcons = true;
  md.appendText(row.container);
  md.appendMarkdown('\n\n');
  field(md, 'Status', STATUS_WORDS[row.status]);
  if (row.drift !== null) {
    field(md, 'Drift', `${driftLabel(row.drift)}${row.driftReason ? `: ${row.driftReason}` : ''}`);
  }
  const d = row.details;
  if (d !== null) {
    if (row.pid !== null) field(md, 'PID', String(row.pid));
    if (row.uptimeSeconds !== null) {
      field(
        md,
        'Started',
        `${new Date(d.startedAt * 1000).toISOString()} (up ${formatUptime(row.uptimeSeconds)})`,
      );
    }
    field(md, 'Command', d.command.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' '));
    field(md, 'Memory limit', d.memoryLimit === null ? 'none' : formatBytes(d.memoryLimit));
    field(
      md,
      'CPU limit',
      d.cpuLimit === null ? 'none' : `${d.cpuLimit / 1000} CPU (${d.cpuLimit} millicores)`,
    );
    field(md, 'Runtime', `${d.usingGvisor ? 'gVisor' : 'native'}${d.rootless ? ', rootless' : ''}`);
    field(md, 'User', `${d.processUid}:${d.processGid} (created by uid ${d.creatorUid})`);
    if (d.workdir !== undefined) field(md, 'Workdir', d.workdir);
    if (d.environment !== undefined && d.environment.length > 0) {
      // Secret-looking values arrive masked from the engine.
      field(md, 'Environment', d.environment.map(([k, v]) => `${k}=${v}`).join(' '));
    }
    if (d.bundlePath !== null) field(md, 'Root filesystem', d.bundlePath);
    if (d.cgroupPath !== null) field(md, 'Cgroup', d.cgroupPath);
    field(md, 'Config hash', d.configHash ?? 'none');
    if (row.fileHash !== null && row.fileHash !== d.configHash) field(md, 'File hash', row.fileHash);
    field(md, 'Id', d.id);
    field(md, 'State file', `${d.file} (${d.status}; ${d.liveness})`);
  } else if (row.fileHash !== null) {
    field(md, 'File hash', row.fileHash);
  }
  for (const note of row.notes) {
    md.appendMarkdown('\n$(info) ');
    md.appendText(note);
    md.appendMarkdown('\n');
  }
  return md;
}

function topologyTooltip(
  node: Extract<ServicesNode, { kind: 'topology' }>,
  stateDir: string | null,
): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.supportThemeIcons = true;
  md.appendMarkdown('$(layers) ');
  md.appendText(node.topology.name ?? '(no topology name)');
  md.appendMarkdown('\n\n');
  field(md, 'File', node.uri.scheme === 'file' ? node.uri.fsPath : node.uri.toString());
  field(md, 'Services', describeTopology(node.topology));
  if (stateDir !== null) field(md, 'State directory', stateDir);
  for (const warning of node.topology.warnings) {
    md.appendMarkdown('\n$(warning) ');
    md.appendText(warning);
    md.appendMarkdown('\n');
  }
  return md;
}

export class ServicesTreeProvider implements vscode.TreeDataProvider<ServicesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ServicesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ServicesNode[] = [];
  private stateDir: string | null = null;
  private readonly subscription: vscode.Disposable;

  constructor(state: RuntimeState) {
    this.subscription = state.onDidChange((overview) => {
      this.rebuild(overview);
      this.changed.fire(undefined);
    });
    if (state.overview) this.rebuild(state.overview);
  }

  private rebuild(overview: RuntimeOverview): void {
    const roots: ServicesNode[] = [];
    const anyRunning = [...overview.topologies.flatMap((t) => t.services), ...overview.others].some(
      (s) => s.status === 'running' || s.status === 'starting',
    );
    if (anyRunning) {
      for (const topology of overview.topologies) {
        const uri = vscode.Uri.parse(topology.uri, true);
        // Workspace files only: an untitled document still gets its lenses, but is no place to act from.
        if (uri.scheme !== 'file') continue;
        const node: ServicesNode = { kind: 'topology', id: `topology:${topology.uri}`, uri, topology };
        roots.push(node);
      }
      if (overview.others.length > 0) roots.push({ kind: 'others', id: 'others', rows: overview.others });
    }
    overview.problems.forEach((problem, i) => {
      roots.push({ kind: 'message', id: `problem:${i}`, text: problem, detail: problem });
    });
    this.roots = roots;
    this.stateDir = overview.stateDir;
  }

  getChildren(element?: ServicesNode): ServicesNode[] {
    if (element === undefined) return this.roots;
    let children: ServicesNode[] = [];
    if (element.kind === 'topology') {
      children = element.topology.services.map((row) => ({
        kind: 'service',
        id: `service:${element.topology.uri}:${row.container}`,
        row,
        parent: element,
        topologyUri: element.uri,
      }));
    } else if (element.kind === 'others') {
      children = element.rows.map((row) => ({
        kind: 'service',
        id: `other:${row.container}`,
        row,
        parent: element,
        topologyUri: undefined,
      }));
    }
    return children;
  }

  getParent(element: ServicesNode): ServicesNode | undefined {
    return element.kind === 'service' ? element.parent : undefined;
  }

  getTreeItem(node: ServicesNode): vscode.TreeItem {
    switch (node.kind) {
      case 'topology': {
        const item = new vscode.TreeItem(
          node.topology.name ?? '(no name)',
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = node.id;
        const folder = vscode.workspace.getWorkspaceFolder(node.uri);
        const where = folder ? relative(folder.uri.fsPath, node.uri.fsPath) : node.uri.fsPath;
        item.description = `${describeTopology(node.topology)} — ${where}`;
        item.iconPath = new vscode.ThemeIcon(
          node.topology.warnings.length > 0 || node.topology.errors > 0 ? 'warning' : 'layers',
          node.topology.errors > 0
            ? new vscode.ThemeColor('list.errorForeground')
            : node.topology.warnings.length > 0
              ? new vscode.ThemeColor('list.warningForeground')
              : undefined,
        );
        item.tooltip = topologyTooltip(node, this.stateDir);
        item.contextValue = topologyContextValue(node.topology);
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.row.service, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = describeService(node.row);
        item.iconPath = statusIcon(node.row);
        item.tooltip = serviceTooltip(node.row);
        item.contextValue = serviceContextValue(node.row);
        if (node.row.declared && node.topologyUri) {
          item.command = {
            title: 'Reveal in File',
            command: 'nucleus.service.reveal',
            arguments: [node],
          };
        }
        return item;
      }
      case 'others': {
        const item = new vscode.TreeItem('Other containers', vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = `${node.rows.length} not from a known topology`;
        item.iconPath = new vscode.ThemeIcon('package');
        item.tooltip = new vscode.MarkdownString(
          'Containers in the state directory whose name does not start with the name of a topology file of the workspace and `-`.',
        );
        item.contextValue = 'others';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        const md = new vscode.MarkdownString();
        md.appendText(node.detail);
        item.tooltip = md;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  /** The node of a service of a topology file, when the view lists it. */
  findService(topologyUri: string, service: string): ServicesNode | undefined {
    const topology = this.roots.find((r) => r.kind === 'topology' && r.topology.uri === topologyUri);
    if (!topology) return undefined;
    return this.getChildren(topology).find(
      (c) => c.kind === 'service' && c.row.service === service && c.row.declared,
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
