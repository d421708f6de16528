// When nucleus cannot be found (here: `nucleus.path` names a file that does not exist), the language features
// work as before, Apply explains what to do and offers Set Path…, opens no terminal and runs nothing, and the
// language status item says that nucleus was not found. Setting the path back restores it.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activate, closeAllEditors, extension, waitForDiagnostics } from './helpers.js';
import { answerMessages, doubleCalls, scratchDir } from './runtime.js';
import { dbAndWeb } from '../helpers/topologies.js';

interface Api {
  statusItem: vscode.LanguageStatusItem;
}

suite('nucleus missing', () => {
  const settings = vscode.workspace.getConfiguration('nucleus');
  let missing: string | undefined;

  /** Sets nucleus.path and waits until the configuration change reached the extension (its listener runs first). */
  async function setPath(value: string | undefined): Promise<void> {
    const changed = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('nucleus.path')) return;
        sub.dispose();
        resolve();
      });
    });
    await settings.update('path', value, vscode.ConfigurationTarget.Global);
    await changed;
  }

  suiteSetup(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    await activate();
    missing = join(scratchDir(), 'no-such-dir', 'nucleus');
    await setPath(missing);
  });

  suiteTeardown(async () => {
    if (missing !== undefined) await setPath(undefined);
    await closeAllEditors();
  });

  test('language features work; Apply explains, offers Set Path… and starts nothing; the status item says so', async () => {
    const file = join(scratchDir(), 'missing.topology.toml');
    writeFileSync(file, dbAndWeb('missing'));
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(document.uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    assert.ok(lenses.some((l) => l.command?.title === '▶ Apply topology'));

    const terminals = vscode.window.terminals.length;
    const calls = doubleCalls().length;
    const messages = answerMessages();
    try {
      assert.equal(await vscode.commands.executeCommand('nucleus.apply', document.uri), undefined);
    } finally {
      messages.restore();
    }
    assert.deepEqual(
      messages.shown.map((m) => [m.kind, m.message, m.items]),
      [
        [
          'warning',
          `Nucleus: Apply needs the nucleus binary. nucleus.path is set to '${missing ?? ''}', which is not an executable file. Install Nucleus so that nucleus is on PATH, or set "nucleus.path" to the binary.`,
          ['Set Path…', 'Show Output'],
        ],
      ],
    );
    assert.equal(vscode.window.terminals.length, terminals, 'no terminal opened');
    assert.equal(doubleCalls().length, calls, 'nothing ran');

    const item = (extension().exports as Api).statusItem;
    assert.match(item.detail ?? '', /nucleus not found: nucleus\.path is set to/);
    assert.equal(item.severity, vscode.LanguageStatusSeverity.Warning);
    assert.equal(item.command?.title, 'Set Path…');
  });
});
