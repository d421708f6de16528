// Helpers for the e2e suite (runs in the extension host): open fixtures, wait for diagnostics and other
// events without sleeping, find positions in a document. Import with `import { … } from './helpers.js'`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'nucleus-topology.nucleus-topology';
export const LANGUAGE_ID = 'nucleus-topology';
/** The `source` of every diagnostic our language server publishes. */
export const DIAGNOSTIC_SOURCE = 'nucleus';
/** Default wait for anything the server does; generous because CI machines have 2 busy cores. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** The package.json of the extension under test, as VS Code loaded it. */
export function manifest(): {
  activationEvents?: string[];
  contributes: { commands?: { command: string; title: string }[] } & Record<string, unknown>;
} & Record<string, unknown> {
  return extension().packageJSON as ReturnType<typeof manifest>;
}

export async function activate(): Promise<void> {
  await extension().activate();
}

/** The fixture workspace folder (test/fixtures/workspace) the runner opened. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e runner opens test/fixtures/workspace');
  return folder;
}

/** URI of a file of the fixture workspace, e.g. fixtureUri('syntax-error.topology.toml'). */
export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
}

/** Opens a fixture in an editor (like a user would) and returns its document and editor. */
export async function openFixture(
  relativePath: string,
): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  const editor = await vscode.window.showTextDocument(document);
  return { document, editor };
}

/** Opens an untitled document of our language with the given text. */
export async function openUntitled(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content });
  await vscode.window.showTextDocument(document);
  return document;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Resolves with the first value `check` returns that is not undefined, evaluated now and after every
 * `event`; rejects after `timeoutMs` with `describe()` in the message (what was last seen).
 */
export function waitForEvent<E, T>(
  event: vscode.Event<E>,
  check: () => T | undefined,
  what: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  describe: () => string = () => '',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const immediate = check();
    if (immediate !== undefined) {
      resolve(immediate);
      return;
    }
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}${describe() ? `; ${describe()}` : ''}`,
        ),
      );
    }, timeoutMs);
    const subscription = event(() => {
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        clearTimeout(timer);
        subscription.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (value === undefined) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

/** Our server's diagnostics for a document (other sources, if any, are ignored). */
export function nucleusDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/**
 * Waits (on languages.onDidChangeDiagnostics, no polling) until the document's nucleus diagnostics satisfy
 * `predicate` (default: at least one), and returns them.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean = (d) => d.length > 0,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return waitForEvent(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const diagnostics = nucleusDiagnostics(uri);
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    `diagnostics of ${vscode.workspace.asRelativePath(uri)}`,
    timeoutMs,
    () => `last seen: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map(formatDiagnostic))}`,
  );
}

/** `line:col-line:col message (source)`, 0-based, for assertion messages. */
export function formatDiagnostic(d: vscode.Diagnostic): string {
  const { start, end } = d.range;
  return `${start.line}:${start.character}-${end.line}:${end.character} ${d.message} (${d.source ?? '?'})`;
}

/** Position of the `nth` occurrence of `needle` in the document (`after`: just past it). */
export function positionOf(
  document: vscode.TextDocument,
  needle: string,
  { after = false, nth = 0 }: { after?: boolean; nth?: number } = {},
): vscode.Position {
  const text = document.getText();
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(
      offset >= 0,
      `${JSON.stringify(needle)} (occurrence ${nth}) not found in ${document.uri.fsPath}`,
    );
  }
  return document.positionAt(after ? offset + needle.length : offset);
}

/** Every command id VS Code has registered (including internal ones). */
export async function registeredCommands(): Promise<Set<string>> {
  return new Set(await vscode.commands.getCommands(true));
}
