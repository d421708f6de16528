// Which topology file a command acts on: the argument from a code lens (URI string), an editor title or explorer
// menu (Uri), else the active editor's topology file. Also reads its text, saving it first when it has unsaved
// edits, because the CLI reads the file from disk and must see what the editor shows.
import * as vscode from 'vscode';
import { TOPOLOGY_LANGUAGE_ID } from '@nucleus-topology/protocol';

const TOPOLOGY_FILE = /(^|\.)topology\.toml$/i;

export interface TopologyTarget {
  uri: vscode.Uri;
  /** The text the CLI will read (the saved document). */
  text: string;
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function isTopology(uri: vscode.Uri, document: vscode.TextDocument | undefined): boolean {
  return document?.languageId === TOPOLOGY_LANGUAGE_ID || TOPOLOGY_FILE.test(uri.path);
}

/** The topology URI a command was invoked for, or undefined (after saying why) when there is none. */
function topologyUriFrom(arg: unknown, action: string): vscode.Uri | undefined {
  const given = toUri(arg);
  if (given) return given;
  const editor = vscode.window.activeTextEditor;
  if (editor && isTopology(editor.document.uri, editor.document)) return editor.document.uri;
  void vscode.window.showInformationMessage(
    `Nucleus: ${action} works on a topology file (*.topology.toml): open one, or use the command from its code lens or context menu.`,
  );
  return undefined;
}

/**
 * Resolves the target and its current text. An open document with unsaved edits is saved first; an untitled
 * one is refused (the CLI needs a file). Undefined (after saying why) when it cannot be used.
 */
export async function resolveTarget(arg: unknown, action: string): Promise<TopologyTarget | undefined> {
  const uri = topologyUriFrom(arg, action);
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(
      `Nucleus: ${action} runs the topology from disk: save ${uri.scheme === 'untitled' ? 'this new file' : vscode.workspace.asRelativePath(uri)} as a local *.topology.toml file first.`,
    );
    return undefined;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (document) {
    if (document.isDirty && !(await document.save())) {
      void vscode.window.showWarningMessage(`Nucleus: ${action}: could not save ${uri.fsPath}.`);
      return undefined;
    }
    return { uri, text: document.getText() };
  }
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { uri, text: new TextDecoder().decode(bytes) };
  } catch (error) {
    void vscode.window.showWarningMessage(
      `Nucleus: ${action}: cannot read ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
