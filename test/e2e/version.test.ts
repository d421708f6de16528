// One rule version for lenses, tree and commands, in the real VS Code: with `nucleus.version = auto` and a nucleus
// that was never asked its version, a stack applied with 0.3.8 (state files without 0.3.9's fields) shows "in sync"
// in the lenses and the tree right away: the version is inferred from the state files, without running anything on
// file open, and the language status item says so. Then Detect Version makes `nucleus --version` the source.
import * as assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { analyzeTopology, applyTopology, createNucleusCli } from '@nucleus-topology/engine';
import { activate, closeAllEditors, extension, waitForEvent } from './helpers.js';
import { doubleCalls, killLeftovers, scratchDir, subcommand } from './runtime.js';

interface Api {
  treeProvider: {
    getChildren(node?: unknown): { kind: string; topology?: { name: string | null } }[];
    getTreeItem(node: unknown): vscode.TreeItem;
    onDidChangeTreeData: vscode.Event<unknown>;
  };
  statusItem: vscode.LanguageStatusItem;
}

const NAME = 'versiontest';
const TEXT = `name = "${NAME}"

[services.db]
rootfs = "/nix/store/aaaaaaaa-db"
command = ["/bin/db"]
memory = "128M"

[services.web]
rootfs = "/nix/store/cccccccc-web"
command = ["/bin/web"]
memory = "256M"
`;

suite('rule version from the state files', () => {
  let api: Api;
  let stateRoot: string;
  let binary: string;
  let document: vscode.TextDocument;
  const settings = vscode.workspace.getConfiguration('nucleus');
  const set = (key: string, value: unknown) => settings.update(key, value, vscode.ConfigurationTarget.Global);

  /** The tree's descriptions of our services, once the topology is listed. */
  const descriptions = (): string[] | undefined => {
    const topology = api.treeProvider.getChildren().find((n) => n.topology?.name === NAME);
    if (!topology) return undefined;
    return api.treeProvider
      .getChildren(topology)
      .map((n) => String(api.treeProvider.getTreeItem(n).description));
  };

  suiteSetup(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    await activate();
    api = extension().exports as Api;
    const dir = join(scratchDir(), 'version');
    stateRoot = join(dir, 'state');
    mkdirSync(stateRoot, { recursive: true, mode: 0o700 });
    // A nucleus at a path whose version was never detected (the extension remembers versions per binary).
    mkdirSync(join(dir, 'bin'));
    binary = join(dir, 'bin', 'nucleus');
    copyFileSync(join(extension().extensionPath, 'test/double/nucleus'), binary);
    chmodSync(binary, 0o755);
    const file = join(dir, `${NAME}.topology.toml`);
    writeFileSync(file, TEXT);
    await set('path', binary);
    await set('stateRoot', stateRoot);
    await set('logDir', join(dir, 'logs'));
    await set('version', 'auto');
    await set('tree.refreshInterval', 0);
    // Applied outside the editor with 0.3.8 rules: the double writes 0.3.8 state files (no workdir, rootfs_mode…).
    const result = await applyTopology(analyzeTopology(TEXT, { version: '0.3.8' }), {
      cli: createNucleusCli({ binary, root: stateRoot, env: process.env }),
      stateDir: stateRoot,
      root: stateRoot,
      logDir: join(dir, 'logs'),
      env: process.env,
    });
    assert.equal(result.status, 'ok', result.error);
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  });

  suiteTeardown(async () => {
    await killLeftovers(stateRoot, NAME);
    for (const key of ['path', 'stateRoot', 'logDir', 'version', 'tree.refreshInterval'])
      await set(key, undefined);
    await closeAllEditors();
  });

  test('opening the file: 0.3.8 inferred, lenses and tree in sync, nothing run', async () => {
    const versionRuns = () => doubleCalls().filter((c) => subcommand(c) === '--version').length;
    const before = versionRuns();
    await vscode.window.showTextDocument(document);
    const rows = await waitForEvent(
      api.treeProvider.onDidChangeTreeData,
      () => {
        const seen = descriptions();
        return seen?.length === 2 && seen.every((d) => /· in sync$/.test(d)) ? seen : undefined;
      },
      'db and web in sync in the tree',
      30_000,
      () => JSON.stringify(descriptions()),
    );
    assert.equal(rows.length, 2);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const status = lenses.map((l) => l.command?.title ?? '').filter((t) => t.startsWith('●'));
    assert.deepEqual(status, ['● running · in sync', '● running · in sync']);
    assert.equal(api.statusItem.text, 'Nucleus 0.3.8 rules');
    assert.match(api.statusItem.detail ?? '', /inferred from the state files/);
    assert.equal(versionRuns(), before, 'opening a file runs nothing (not even nucleus --version)');
  });

  test('Detect Version: nucleus --version becomes the source, the same rules stay', async () => {
    const version = await vscode.commands.executeCommand<string | undefined>('nucleus.detectVersion');
    assert.equal(version, '0.3.8');
    assert.equal(api.statusItem.text, 'Nucleus 0.3.8 rules');
    assert.match(api.statusItem.detail ?? '', /detected: nucleus --version/);
  });
});
