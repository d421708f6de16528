// The Services view in the real VS Code, with the nucleus test double: after apply the tree lists the services as
// running and in sync; a memory edit in the open document marks the service changed (tree and lens agree, the
// inlay hint shows the running memory), and Restart (confirmed) saves the edit and brings the service in sync;
// stopping a container outside the editor updates the tree with no refresh (polling off: the state directory
// watch); Reveal in File selects the `[services.x]` header; Stop, Restart, Logs (followed live), Attach and Plan
// on a topology run through the view's commands. The state directory and logs live in the run's scratch folder.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { analyzeTopology, applyTopology, createNucleusCli } from '@nucleus-topology/engine';
import { activate, closeAllEditors, extension, positionOf, waitForEvent } from './helpers.js';
import { answerMessages, killLeftovers, scratchDir } from './runtime.js';

/** The parts of the extension's API (activate's return value) this suite uses. */
interface ServiceRow {
  service: string;
  container: string;
  status: string;
}
interface Node {
  kind: 'topology' | 'service' | 'others' | 'message';
  row?: ServiceRow;
  topology?: { name: string | null; uri: string };
}
interface Api {
  treeProvider: {
    getChildren(node?: Node): Node[];
    getTreeItem(node: Node): vscode.TreeItem;
    onDidChangeTreeData: vscode.Event<unknown>;
  };
  runtimeState: { refresh(): Promise<void> };
}

const NAME = 'treetest';
const text = (webMemory: string) => `name = "${NAME}"

[services.db]
rootfs = "/nix/store/aaaaaaaa-db"
command = ["/bin/db", "--port", "5432"]
memory = "128M"

[services.web]
rootfs = "/nix/store/cccccccc-web"
command = ["/bin/web"]
memory = "${webMemory}"

[[services.web.depends_on]]
service = "db"
`;

/** A tree row as asserted: label, description, contextValue. */
interface Seen {
  label: string;
  description: string;
  contextValue: string;
}

function seen(api: Api, node: Node): Seen {
  const item = api.treeProvider.getTreeItem(node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return { label, description: String(item.description ?? ''), contextValue: item.contextValue ?? '' };
}

function topologyNode(api: Api): Node | undefined {
  return api.treeProvider.getChildren().find((n) => n.kind === 'topology' && n.topology?.name === NAME);
}

/** The services of our topology as the tree shows them (label → row), or undefined when it is not listed. */
function services(api: Api): Map<string, Seen & { node: Node }> | undefined {
  const topology = topologyNode(api);
  if (!topology) return undefined;
  return new Map(
    api.treeProvider.getChildren(topology).map((node) => {
      const s = seen(api, node);
      return [s.label, { ...s, node }];
    }),
  );
}

/** Waits (on the provider's onDidChangeTreeData, no polling) until `check` holds for our services. */
function waitForTree(
  api: Api,
  what: string,
  check: (rows: Map<string, Seen & { node: Node }>) => boolean,
): Promise<Map<string, Seen & { node: Node }>> {
  return waitForEvent(
    api.treeProvider.onDidChangeTreeData,
    () => {
      const rows = services(api);
      return rows && check(rows) ? rows : undefined;
    },
    what,
    30_000,
    () =>
      JSON.stringify(
        [...(services(api) ?? new Map<string, Seen>()).values()].map(
          ({ label, description, contextValue }) => ({ label, description, contextValue }),
        ),
      ),
  );
}

const RUNNING_IN_SYNC = /^pid \d+ · up \d+s · in sync$/;

suite('services view', () => {
  let api: Api;
  let dir: string;
  let stateRoot: string;
  let logDir: string;
  let file: string;
  let document: vscode.TextDocument;
  const double = () => join(extension().extensionPath, 'test/double/nucleus');
  const settings = vscode.workspace.getConfiguration('nucleus');
  const set = (key: string, value: unknown) => settings.update(key, value, vscode.ConfigurationTarget.Global);

  suiteSetup(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    await activate();
    api = extension().exports as Api;
    assert.ok(api?.treeProvider, 'activate() returns the Services view API');
    dir = join(scratchDir(), 'tree');
    stateRoot = join(dir, 'state');
    logDir = join(dir, 'logs');
    mkdirSync(stateRoot, { recursive: true, mode: 0o700 });
    file = join(dir, `${NAME}.topology.toml`);
    writeFileSync(file, text('256M'));
    // User settings: the state directory and logs of this suite, the double as nucleus, 0.3.8 rules everywhere,
    // and no polling, so every change the tree shows below comes from watching the state directory.
    await set('path', double());
    await set('stateRoot', stateRoot);
    await set('logDir', logDir);
    await set('version', '0.3.8');
    await set('tree.refreshInterval', 0);
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
  });

  suiteTeardown(async () => {
    await killLeftovers(stateRoot, NAME);
    for (const key of ['path', 'stateRoot', 'logDir', 'version', 'tree.refreshInterval'])
      await set(key, undefined);
    for (const t of vscode.window.terminals) if (t.name.startsWith('Nucleus: treetest')) t.dispose();
    await closeAllEditors();
  });

  test('after apply, the tree lists the services as running and in sync', async () => {
    const analysis = analyzeTopology(text('256M'), { version: '0.3.8' });
    const result = await applyTopology(analysis, {
      cli: createNucleusCli({ binary: double(), root: stateRoot, env: process.env }),
      stateDir: stateRoot,
      root: stateRoot,
      logDir,
      env: process.env,
    });
    assert.equal(result.status, 'ok', result.error);
    const rows = await waitForTree(api, 'db and web running in sync', (r) =>
      ['db', 'web'].every((s) => RUNNING_IN_SYNC.test(r.get(s)?.description ?? '')),
    );
    assert.deepEqual([...rows.keys()], ['db', 'web']);
    for (const row of rows.values()) assert.equal(row.contextValue, 'service running declared');
    const topology = topologyNode(api);
    assert.ok(topology);
    const item = seen(api, topology);
    assert.equal(item.label, NAME);
    assert.match(item.description, /^2\/2 running — /);
    assert.equal(item.contextValue, 'topology running');
  });

  test("editing a service's memory in the open document marks it changed, in the tree and in its lens", async () => {
    const edit = new vscode.WorkspaceEdit();
    const at = positionOf(document, '"256M"');
    edit.replace(document.uri, new vscode.Range(at, at.translate(0, 6)), '"300M"');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const rows = await waitForTree(api, 'web changed', (r) =>
      /· changed$/.test(r.get('web')?.description ?? ''),
    );
    assert.match(rows.get('db')?.description ?? '', RUNNING_IN_SYNC);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('● running · changed → restart'), titles.join(' | '));
    assert.ok(titles.includes('● running · in sync'), titles.join(' | '));
    // The same runtime state feeds the inlay hints: the running memory next to the edited value.
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
      'vscode.executeInlayHintProvider',
      document.uri,
      new vscode.Range(0, 0, document.lineCount, 0),
    );
    const memory = positionOf(document, '"300M"').translate(0, 6);
    const running = hints
      .filter((h) => h.position.isEqual(memory))
      .map((h) => (typeof h.label === 'string' ? h.label : h.label.map((part) => part.value).join('')));
    assert.deepEqual(running, ['running: 256M']);
  });

  test('Restart of a running service asks first, saves the edit, and brings it in sync', async () => {
    const web = services(api)?.get('web');
    assert.ok(web);
    const messages = answerMessages((shown) => (shown.options?.modal ? 'Restart' : undefined));
    try {
      const code = await vscode.commands.executeCommand<number | undefined>(
        'nucleus.service.restart',
        web.node,
      );
      assert.equal(code, 0);
    } finally {
      messages.restore();
    }
    assert.deepEqual(
      messages.shown.map((m) => [m.message, m.options?.modal, m.items]),
      [[`Restart ${NAME}-web?`, true, ['Restart']]],
    );
    assert.equal(document.isDirty, false, 'the edit was saved before the CLI read the file');
    await waitForTree(api, 'web running in sync', (r) =>
      RUNNING_IN_SYNC.test(r.get('web')?.description ?? ''),
    );
  });

  test('Reveal in File selects the [services.web] header', async () => {
    const web = services(api)?.get('web');
    assert.ok(web);
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    await vscode.commands.executeCommand('nucleus.service.reveal', web.node);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), document.uri.toString());
    const start = positionOf(document, '[services.web]');
    assert.deepEqual(
      [
        editor.selection.start.line,
        editor.selection.start.character,
        editor.selection.end.line,
        editor.selection.end.character,
      ],
      [start.line, start.character, start.line, start.character + '[services.web]'.length],
    );
  });

  test('stopping a container outside the editor updates the tree without a refresh', async () => {
    await promisify(execFile)(double(), ['--root', stateRoot, 'stop', `${NAME}-db`]);
    const rows = await waitForTree(
      api,
      'db no longer running',
      (r) => r.get('db')?.description === 'not started',
    );
    assert.equal(rows.get('db')?.contextValue, 'service notStarted declared');
    assert.match(rows.get('web')?.description ?? '', RUNNING_IN_SYNC);
  });

  test('Restart starts db again with the file (its terminal runs `nucleus-topology restart`)', async () => {
    const db = services(api)?.get('db');
    assert.ok(db);
    const messages = answerMessages();
    let code: number | undefined;
    try {
      code = await vscode.commands.executeCommand<number | undefined>('nucleus.service.restart', db.node);
    } finally {
      messages.restore();
    }
    assert.equal(code, 0, `messages: ${JSON.stringify(messages.shown)}; unsaved: ${document.isDirty}`);
    await waitForTree(api, 'db running in sync', (r) => RUNNING_IN_SYNC.test(r.get('db')?.description ?? ''));
  });

  test('Logs opens the service log and follows it as it grows', async () => {
    const web = services(api)?.get('web');
    assert.ok(web);
    await vscode.commands.executeCommand('nucleus.service.logs', web.node);
    const editor = vscode.window.activeTextEditor;
    const logFile = join(logDir, NAME, 'web.log');
    assert.equal(editor?.document.uri.fsPath, logFile);
    assert.match(editor.document.getText(), /==> .* nucleus-topology apply: /);
    assert.equal(editor.selection.active.line, editor.document.lineCount - 1, 'the cursor is at the end');
    const grown = new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === editor.document && e.document.getText().includes('hello from web')) {
          sub.dispose();
          resolve();
        }
      });
    });
    // The service keeps writing, as a running one does (the editor may start watching the file after a first line).
    const writer = setInterval(() => appendFileSync(logFile, 'hello from web\nsecond line\n'), 250);
    try {
      await grown;
    } finally {
      clearInterval(writer);
    }
    assert.equal(editor.selection.active.line, editor.document.lineCount - 1, 'still at the (new) end');
    assert.ok(readFileSync(logFile, 'utf8').endsWith('second line\n'));
  });

  test('Stop asks first, then runs `nucleus stop` in the topology terminal', async () => {
    const web = services(api)?.get('web');
    assert.ok(web);
    const declined = answerMessages(() => undefined);
    try {
      assert.equal(await vscode.commands.executeCommand('nucleus.service.stop', web.node), undefined);
    } finally {
      declined.restore();
    }
    assert.equal(declined.shown[0]?.message, `Stop ${NAME}-web?`);
    assert.ok(
      RUNNING_IN_SYNC.test(services(api)?.get('web')?.description ?? ''),
      'not confirmed: still running',
    );
    const accepted = answerMessages((shown) => (shown.options?.modal ? 'Stop' : undefined));
    try {
      assert.equal(await vscode.commands.executeCommand('nucleus.service.stop', web.node), 0);
    } finally {
      accepted.restore();
    }
    await waitForTree(api, 'web stopped', (r) => r.get('web')?.description === 'not started');
  });

  test('Attach opens a terminal for the container running `nucleus attach`', async () => {
    const db = services(api)?.get('db');
    assert.ok(db);
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => {
        if (t.name === `Nucleus: ${NAME}-db`) {
          sub.dispose();
          resolve(t);
        }
      });
    });
    // Not awaited: it resolves when the attached shell ends.
    void vscode.commands.executeCommand('nucleus.service.attach', db.node);
    const terminal = await opened;
    terminal.dispose();
  });

  test('Plan on the topology node runs the plan for its file', async () => {
    const topology = topologyNode(api);
    assert.ok(topology);
    const code = await vscode.commands.executeCommand<number | undefined>('nucleus.topology.plan', topology);
    assert.equal(code, 0);
  });

  test('the state directory of this suite holds only its containers (nothing created elsewhere)', () => {
    for (const name of readdirSync(stateRoot)) assert.match(name, /^[0-9a-f]{32}\.json$/);
  });
});

suite('untrusted workspace: services view', () => {
  suiteSetup(function () {
    if (vscode.workspace.isTrusted) this.skip();
  });

  test('view actions refuse with the trust message and start nothing', async () => {
    await activate();
    const node = {
      kind: 'service',
      row: {
        topology: 'x',
        service: 'web',
        container: 'x-web',
        declared: true,
        status: 'running',
        stateFiles: 1,
      },
      topologyUri: vscode.Uri.file('/tmp/x.topology.toml'),
    };
    const terminals = vscode.window.terminals.length;
    const messages = answerMessages();
    try {
      for (const command of [
        'nucleus.service.stop',
        'nucleus.service.restart',
        'nucleus.service.attach',
        'nucleus.service.logs',
      ]) {
        assert.equal(await vscode.commands.executeCommand(command, node), undefined, command);
      }
    } finally {
      messages.restore();
    }
    assert.equal(messages.shown.length, 4);
    for (const m of messages.shown) assert.match(m.message, /disabled in Restricted Mode/);
    assert.equal(vscode.window.terminals.length, terminals);
  });
});
