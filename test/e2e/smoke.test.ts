// Smoke suite, run first in the real VS Code: the extension activates on topology files only, the language
// client reaches the server (a TOML syntax error comes back as a diagnostic at its exact position), and every
// command contributed in package.json is registered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activate,
  closeAllEditors,
  DIAGNOSTIC_SOURCE,
  extension,
  formatDiagnostic,
  LANGUAGE_ID,
  manifest,
  nucleusDiagnostics,
  openFixture,
  positionOf,
  registeredCommands,
  waitForDiagnostics,
} from './helpers.js';

suite('smoke', () => {
  suiteTeardown(closeAllEditors);

  test('activation is declared for the topology language only', () => {
    assert.deepEqual(manifest().activationEvents, [`onLanguage:${LANGUAGE_ID}`]);
  });

  test('a plain TOML file does not get the language nor activate the extension', async () => {
    const { document } = await openFixture('settings.toml');
    assert.notEqual(document.languageId, LANGUAGE_ID);
    // A round trip through the workbench: an activation request caused by the open would have arrived first.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assert.equal(extension().isActive, false, 'opening settings.toml activated the extension');
  });

  test('*.topology.toml and topology.toml files get the topology language', async () => {
    const { document } = await openFixture('shop.topology.toml');
    assert.equal(document.languageId, LANGUAGE_ID);
    const { document: plain } = await openFixture('service/topology.toml');
    assert.equal(plain.languageId, LANGUAGE_ID);
  });

  // Nothing above calls activate() or runs one of our commands (which would activate the extension too):
  // diagnostics arriving here prove that opening topology files activated it and the client reached the server.
  test('the server reports a TOML syntax error at its exact position', async () => {
    const { document } = await openFixture('syntax-error.topology.toml');
    // the header `[services.web` (at a line start; the file's comment mentions it too) is never closed:
    // the error is the empty range right after `web`
    const at = positionOf(document, '\n[services.web', { after: true });
    const isSyntaxError = (d: vscode.Diagnostic) => d.message.includes('unclosed table, expected `]`');
    const diagnostics = await waitForDiagnostics(document.uri, (all) => all.some(isSyntaxError));
    assert.equal(extension().isActive, true);
    const error = diagnostics.find(isSyntaxError);
    assert.ok(error);
    assert.equal(error.source, DIAGNOSTIC_SOURCE);
    assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      [error.range.start.line, error.range.start.character, error.range.end.line, error.range.end.character],
      [at.line, at.character, at.line, at.character],
      `got ${formatDiagnostic(error)}`,
    );
  });

  test('every contributed command is registered', async () => {
    const contributed = (manifest().contributes.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes commands');
    await activate(); // already active after the tests above; this one can also run alone (MOCHA_GREP)
    const registered = await registeredCommands();
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('Show Output and Restart Language Server run; diagnostics come back after a restart', async () => {
    await vscode.commands.executeCommand('nucleus.showOutput');
    const { document } = await openFixture('syntax-error.topology.toml');
    await vscode.commands.executeCommand('nucleus.restartServer');
    const diagnostics = await waitForDiagnostics(document.uri);
    assert.ok(
      diagnostics.length > 0,
      `after restart: ${nucleusDiagnostics(document.uri).map(formatDiagnostic).join('; ')}`,
    );
  });
});
