// Restricted Mode (run with `node scripts/vscode/run-tests.mjs --untrusted`: Workspace Trust on, folder not
// trusted): language features work, while every command that starts a process refuses with a message saying why,
// creates no terminal and runs nothing (the nucleus double's argv log stays empty, so not even `--version` ran).
// In the normal (trusted) run this suite skips itself.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, closeAllEditors, manifest, openFixture, waitForDiagnostics } from './helpers.js';
import { answerMessages, doubleCalls } from './runtime.js';

const RUNTIME_COMMANDS = [
  'nucleus.plan',
  'nucleus.apply',
  'nucleus.down',
  'nucleus.validate',
  'nucleus.showState',
  'nucleus.detectVersion',
];

suite('untrusted workspace', () => {
  suiteSetup(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });
  suiteTeardown(closeAllEditors);

  test('language features work: diagnostics and code lenses appear', async () => {
    const { document } = await openFixture('syntax-error.topology.toml');
    const diagnostics = await waitForDiagnostics(document.uri);
    assert.ok(diagnostics.length > 0);
    const { document: shop } = await openFixture('shop.topology.toml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      shop.uri,
    );
    assert.ok(lenses.some((l) => l.command?.command === 'nucleus.apply'));
  });

  test('every runtime command (and the Apply lens) refuses, says why, opens no terminal and runs nothing', async () => {
    await activate();
    const { document } = await openFixture('shop.topology.toml');
    const opened: string[] = [];
    const watcher = vscode.window.onDidOpenTerminal((t) => opened.push(t.name));
    const terminalsBefore = vscode.window.terminals.length;
    const messages = answerMessages();
    try {
      for (const command of RUNTIME_COMMANDS) {
        const result = await vscode.commands.executeCommand(command, document.uri.toString());
        assert.equal(result, undefined, `${command} returned ${String(result)}`);
      }
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        document.uri,
      );
      const apply = lenses.find((l) => l.command?.command === 'nucleus.apply')?.command;
      assert.ok(apply);
      assert.equal(
        await vscode.commands.executeCommand(apply.command, ...((apply.arguments ?? []) as unknown[])),
        undefined,
      );
    } finally {
      messages.restore();
      watcher.dispose();
    }
    const refusals = messages.shown.filter(
      (m) => m.kind === 'warning' && m.message.includes('Restricted Mode'),
    );
    assert.equal(refusals.length, RUNTIME_COMMANDS.length + 1, JSON.stringify(messages.shown));
    assert.ok(refusals.every((m) => m.items.includes('Manage Workspace Trust')));
    assert.deepEqual(opened, []);
    assert.equal(vscode.window.terminals.length, terminalsBefore);
    assert.deepEqual(doubleCalls(), [], 'nucleus was run');
  });

  test('the commands are hidden in Restricted Mode: every menu entry of a runtime command requires trust', () => {
    const menus = (manifest().contributes as { menus?: Record<string, { command: string; when?: string }[]> })
      .menus;
    assert.ok(menus);
    const entries = Object.values(menus)
      .flat()
      .filter((e) => RUNTIME_COMMANDS.includes(e.command));
    assert.ok(entries.length >= RUNTIME_COMMANDS.length);
    for (const entry of entries) assert.match(entry.when ?? '', /isWorkspaceTrusted/, entry.command);
  });
});
