// The runtime commands in the real VS Code with the nucleus test double on PATH: the "▶ Apply topology" lens runs
// apply in the topology's terminal and the services run afterwards; Plan reuses that terminal; a change is applied
// as a restart of that service only (after the modal question, answered here); nothing to do starts nothing; a
// state that changed while the question was open applies nothing and shows the new plan; Down stops everything; a
// command for a topology whose Apply still runs (waiting for a health check) asks before stopping that run; a file
// named `a $(touch pwned) b.topology.toml` only ever reaches processes as argv.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import {
  activate,
  closeAllEditors,
  extension,
  fixtureUri,
  waitForDiagnostics,
  workspaceFolder,
} from './helpers.js';
import {
  answerMessages,
  doubleCalls,
  scratchDir,
  serviceStates,
  subcommand,
  terminalsNamed,
  type ShownMessage,
} from './runtime.js';
import { dbAndWeb } from '../helpers/topologies.js';

const DEMO = dbAndWeb('demo');

/** db is healthy once the file `ready` exists; web waits for that. */
const busyTopology = (ready: string) => `name = "busy"

[services.db]
rootfs = "/nix/store/00000000000000000000000000000000-db-rootfs"
command = ["db-server"]
memory = "64M"
health_check = "test -f ${ready}"

[services.web]
rootfs = "/nix/store/00000000000000000000000000000000-web-rootfs"
command = ["web-server"]
memory = "64M"
depends_on = [{ service = "db", condition = "healthy" }]
`;

const PWNED = 'folder with spaces/a $(touch pwned) b.topology.toml';

suite('runtime commands', () => {
  let stateDir: string;
  let demoFile: string;
  let busyFile: string;
  let demoUri: vscode.Uri;
  let messages: ReturnType<typeof answerMessages> | undefined;
  const nucleus = vscode.workspace.getConfiguration('nucleus');

  /**
   * `nucleus-topology down FILE --yes`, run by the test as a user would in a shell (no question: --yes); never
   * synchronously, so the extension host stays responsive while it stops the services.
   */
  async function downOutsideTheEditor(file: string): Promise<void> {
    const cli = extension().extensionUri.fsPath + '/dist/cli.js';
    await promisify(execFile)(process.execPath, [cli, 'down', file, '--yes', '--root', stateDir], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
  }

  suiteSetup(async () => {
    const scratch = scratchDir();
    stateDir = join(scratch, 'state');
    demoFile = join(scratch, 'apply demo', 'demo.topology.toml');
    mkdirSync(dirname(demoFile), { recursive: true });
    writeFileSync(demoFile, DEMO);
    demoUri = vscode.Uri.file(demoFile);
    busyFile = join(scratch, 'busy', 'busy.topology.toml');
    mkdirSync(dirname(busyFile), { recursive: true });
    // Isolated state and logs (`--root`, `--log-dir`), as a user would set them.
    await nucleus.update('stateRoot', stateDir, vscode.ConfigurationTarget.Global);
    await nucleus.update('logDir', join(scratch, 'logs'), vscode.ConfigurationTarget.Global);
    await activate();
  });

  teardown(() => {
    messages?.restore();
    messages = undefined;
  });

  suiteTeardown(async () => {
    // Stop whatever a failed test left running, with the CLI itself.
    for (const file of [demoFile, busyFile, fixtureUri(PWNED).fsPath]) {
      try {
        await downOutsideTheEditor(file);
      } catch {
        // nothing to stop, or the file is invalid: nothing was started from it
      }
    }
    for (const terminal of vscode.window.terminals) {
      if (terminal.name.startsWith('Nucleus: ')) terminal.dispose();
    }
    await nucleus.update('stateRoot', undefined, vscode.ConfigurationTarget.Global);
    await nucleus.update('logDir', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  test('the "▶ Apply topology" lens runs apply in the terminal "Nucleus: demo"; the services run afterwards', async () => {
    const document = await vscode.workspace.openTextDocument(demoUri);
    await vscode.window.showTextDocument(document);
    // The file's one warning (no rootfs attestation) shows that the server has analysed it.
    await waitForDiagnostics(document.uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const lens = lenses.find((l) => l.command?.title === '▶ Apply topology');
    assert.ok(lens?.command, `no apply lens among ${lenses.map((l) => l.command?.title).join(', ')}`);
    messages = answerMessages();
    const code = await vscode.commands.executeCommand<number | undefined>(
      lens.command.command,
      ...((lens.command.arguments ?? []) as unknown[]),
    );
    assert.equal(code, 0);
    // Only starts: nothing to confirm.
    assert.deepEqual(
      messages.shown.filter((m) => m.options?.modal),
      [],
    );
    const terminals = terminalsNamed('Nucleus: demo');
    assert.equal(terminals.length, 1);
    const options = terminals[0]?.creationOptions as vscode.TerminalOptions;
    assert.equal(options.cwd, dirname(demoFile));
    assert.ok(options.shellArgs?.includes(demoFile), 'the file path is one argv entry');

    const states = await serviceStates(demoFile, stateDir);
    assert.deepEqual(
      [...states.values()].map((s) => [s.service, s.running, s.drift]),
      [
        ['db', true, 'in-sync'],
        ['web', true, 'in-sync'],
      ],
    );
    const creates = doubleCalls().filter((c) => subcommand(c) === 'create');
    assert.deepEqual(
      creates.map((c) => c.argv[c.argv.indexOf('--name') + 1]),
      ['demo-db', 'demo-web'],
    );
  });

  test('Plan runs in the same terminal name (the finished one is replaced, never duplicated)', async () => {
    const before = doubleCalls().length;
    const code = await vscode.commands.executeCommand<number | undefined>('nucleus.plan', demoUri.toString());
    assert.equal(code, 0);
    assert.equal(terminalsNamed('Nucleus: demo').length, 1);
    // Plan reads the state directory; it asks nucleus for nothing (the version is passed in).
    assert.deepEqual(
      doubleCalls()
        .slice(before)
        .map((c) => subcommand(c)),
      [],
    );
  });

  test('after a change, Apply shows the plan in a modal and restarts only the changed service', async () => {
    const before = await serviceStates(demoFile, stateDir);
    const document = await vscode.workspace.openTextDocument(demoUri);
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('"8080"');
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(at), document.positionAt(at + 6)),
      '"8081"',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(document.isDirty, true);

    messages = answerMessages((m) => (m.options?.modal ? 'Apply' : undefined));
    const code = await vscode.commands.executeCommand<number | undefined>('nucleus.apply', document.uri);
    assert.equal(code, 0);
    assert.equal(document.isDirty, false, 'Apply saves the file the CLI reads');
    const modals = messages.shown.filter((m) => m.options?.modal);
    assert.equal(modals.length, 1);
    assert.equal(modals[0]?.message, "Apply 'demo': restart web.");
    assert.match(
      modals[0]?.options?.detail ?? '',
      /^Restart \(1\):\n {2}web: config changed \(hash \d+ → \d+\)\nUnchanged \(1\): db/,
    );
    assert.deepEqual(modals[0]?.items, ['Apply']);

    const after = await serviceStates(demoFile, stateDir);
    assert.equal(after.get('db')?.pid, before.get('db')?.pid, 'db kept running');
    assert.notEqual(after.get('web')?.pid, before.get('web')?.pid, 'web was restarted');
    assert.deepEqual(
      [...after.values()].map((s) => [s.service, s.running, s.drift]),
      [
        ['db', true, 'in-sync'],
        ['web', true, 'in-sync'],
      ],
    );
  });

  test('Apply with nothing to do says so and starts nothing', async () => {
    const calls = doubleCalls().length;
    const terminal = terminalsNamed('Nucleus: demo')[0];
    messages = answerMessages();
    const code = await vscode.commands.executeCommand<number | undefined>('nucleus.apply', demoUri);
    assert.equal(code, undefined);
    assert.deepEqual(
      messages.shown.map((m) => [m.kind, m.message]),
      [
        [
          'information',
          "Nucleus: Nothing to apply for 'demo': all 2 services run with the current configuration.",
        ],
      ],
    );
    assert.equal(doubleCalls().length, calls);
    assert.equal(terminalsNamed('Nucleus: demo')[0], terminal, 'the terminal was not replaced');
  });

  test('when the state changes between the question and the run, nothing is applied and the new plan is shown', async () => {
    const document = await vscode.workspace.openTextDocument(demoUri);
    const edit = new vscode.WorkspaceEdit();
    const at = document.getText().indexOf('"8081"');
    assert.ok(at > 0, 'the earlier test changed the port to 8081');
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(at), document.positionAt(at + 6)),
      '"8082"',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    let changedPlanShown: (shown: ShownMessage) => void = () => undefined;
    const changedPlan = new Promise<ShownMessage>((resolve) => (changedPlanShown = resolve));
    messages = answerMessages(async (m) => {
      if (m.message === "Apply 'demo': restart web.") {
        // While the user reads the question, the stack is stopped from a shell; then they click Apply.
        await downOutsideTheEditor(demoFile);
        return 'Apply';
      }
      if (m.options?.modal) changedPlanShown(m);
      return undefined; // the new plan is not applied
    });
    const creates = doubleCalls().filter((c) => subcommand(c) === 'create').length;
    const code = await vscode.commands.executeCommand<number | undefined>('nucleus.apply', document.uri);
    assert.equal(code, 3, 'the CLI exits 3: the plan changed');
    const shown = await changedPlan;
    assert.equal(
      shown.message,
      "Nucleus: the state changed since the plan was shown, so nothing was applied. Apply 'demo': start db, web.",
    );
    assert.match(shown.options?.detail ?? '', /^Start \(2\):\n {2}db: .+\n {2}web: .+\n/);
    assert.deepEqual(shown.items, ['Apply New Plan']);
    assert.equal(
      doubleCalls().filter((c) => subcommand(c) === 'create').length,
      creates,
      'nothing was started',
    );
    const states = await serviceStates(demoFile, stateDir);
    assert.ok([...states.values()].every((s) => !s.running));

    // Everything runs again for the next tests (only starts: no question).
    messages.restore();
    messages = answerMessages();
    assert.equal(await vscode.commands.executeCommand('nucleus.apply', demoUri), 0);
    assert.deepEqual(messages.shown, []);
  });

  test('Down asks first (modal), then stops every service', async () => {
    messages = answerMessages((m) => (m.options?.modal ? 'Stop' : undefined));
    const code = await vscode.commands.executeCommand<number | undefined>('nucleus.down', demoUri);
    assert.equal(code, 0);
    const modals = messages.shown.filter((m) => m.options?.modal);
    assert.deepEqual(
      modals.map((m) => [m.message, m.options?.detail, m.items]),
      [["Stop 2 running services of 'demo'?", 'Stops:\n  db\n  web', ['Stop']]],
    );
    const after = await serviceStates(demoFile, stateDir);
    assert.deepEqual(
      [...after.values()].map((s) => [s.service, s.running]),
      [
        ['db', false],
        ['web', false],
      ],
    );
  });

  test('Down that is not confirmed starts nothing', async () => {
    // Everything runs again first (only starts: no question).
    assert.equal(await vscode.commands.executeCommand('nucleus.apply', demoUri), 0);
    const calls = doubleCalls().length;
    messages = answerMessages(); // the modal is dismissed
    assert.equal(await vscode.commands.executeCommand('nucleus.down', demoUri), undefined);
    assert.equal(messages.shown.filter((m) => m.options?.modal).length, 1);
    assert.equal(doubleCalls().length, calls);
    const states = await serviceStates(demoFile, stateDir);
    assert.ok([...states.values()].every((s) => s.running));
  });

  test('while Apply waits for a health check, another command asks before stopping it; web starts once db is healthy', async () => {
    const scratch = scratchDir();
    const ready = join(scratch, 'busy-ready');
    writeFileSync(busyFile, busyTopology(ready));
    const busyUri = vscode.Uri.file(busyFile);
    const creates = () =>
      doubleCalls()
        .filter((c) => subcommand(c) === 'create')
        .map((c) => c.argv[c.argv.indexOf('--name') + 1]);
    const opened = new Promise<void>((resolve) => {
      const sub = vscode.window.onDidOpenTerminal((t) => {
        if (t.name === 'Nucleus: busy') {
          sub.dispose();
          resolve();
        }
      });
    });
    messages = answerMessages();
    // Only starts: no question. It runs until db is healthy (the probe: the file `ready` exists).
    const applied = vscode.commands.executeCommand<number | undefined>('nucleus.apply', busyUri);
    await opened;

    const plan = await vscode.commands.executeCommand<number | undefined>('nucleus.plan', busyUri);
    assert.equal(plan, undefined, 'dismissed: Plan did not run');
    assert.deepEqual(
      messages.shown.map((m) => [m.message, m.options?.detail, m.items]),
      [
        [
          "Nucleus: Apply is still running in 'Nucleus: busy'.",
          'Stop it and run Plan instead?',
          ['Stop It and Run'],
        ],
      ],
    );
    assert.equal(terminalsNamed('Nucleus: busy').length, 1, 'the running terminal was kept');
    assert.ok(!creates().includes('busy-web'), 'web waits for db to be healthy');

    writeFileSync(ready, '');
    assert.equal(await applied, 0);
    assert.deepEqual(
      creates().filter((name) => name?.startsWith('busy-')),
      ['busy-db', 'busy-web'],
    );
    const states = await serviceStates(busyFile, stateDir);
    assert.deepEqual(
      [...states.values()].map((s) => [s.service, s.running]),
      [
        ['db', true],
        ['web', true],
      ],
    );
  });

  test('a file named "a $(touch pwned) b.topology.toml" in a folder with spaces reaches processes only as argv', async () => {
    const uri = fixtureUri(PWNED);
    const folder = dirname(uri.fsPath);
    const calls = doubleCalls().length;
    messages = answerMessages((m) => (m.options?.modal ? 'Stop' : undefined));
    assert.equal(await vscode.commands.executeCommand('nucleus.plan', uri), 0);
    assert.equal(await vscode.commands.executeCommand('nucleus.validate', uri), 0);
    assert.equal(await vscode.commands.executeCommand('nucleus.apply', uri), 0);
    const terminal = terminalsNamed('Nucleus: a $(touch pwned) b')[0];
    assert.ok(terminal, `terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(options.cwd, folder);
    assert.ok(options.shellArgs?.includes(uri.fsPath), `argv: ${JSON.stringify(options.shellArgs)}`);
    const states = await serviceStates(uri.fsPath, stateDir);
    assert.equal(states.get('app')?.running, true);
    assert.equal(await vscode.commands.executeCommand('nucleus.showState', uri), 0);
    assert.equal(await vscode.commands.executeCommand('nucleus.down', uri), 0);

    for (const dir of [folder, workspaceFolder().uri.fsPath, homedir(), scratchDir(), process.cwd()]) {
      assert.equal(existsSync(join(dir, 'pwned')), false, `${dir}/pwned exists`);
    }
    assert.deepEqual(readdirSync(folder), ['a $(touch pwned) b.topology.toml']);
    // Only nucleus ran, with its own subcommands (the file name never reaches it, let alone a shell).
    const used = doubleCalls()
      .slice(calls)
      .map((c) => subcommand(c));
    assert.ok(
      used.every((s) => s === '--version' || s === 'create' || s === 'stop') &&
        used.includes('create') &&
        used.includes('stop'),
      JSON.stringify(used),
    );
  });
});
