// Helpers for the e2e suites of the runtime commands (not a test file): the scratch folder and the nucleus test
// double's argv log that scripts/vscode/run-tests.mjs provides, the runtime state read with the engine, and
// recorded answers to our messages (a modal never resolves headless, so a test answers it like a user would).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  analyzeTopology,
  computeTopologyStatus,
  readStateDir,
  type ServiceStatus,
} from '@nucleus-topology/engine';

/** The scratch folder of this run (state directory, logs, topology copies); removed by the runner. */
export function scratchDir(): string {
  const dir = process.env['NUCLEUS_E2E_TMP'];
  assert.ok(dir, 'NUCLEUS_E2E_TMP is not set: run the suite through scripts/vscode/run-tests.mjs');
  return dir;
}

/** One invocation of the nucleus test double, as it logged it. */
export interface DoubleCall {
  pid: number;
  argv: string[];
}

/** Every nucleus invocation so far (NUCLEUS_DOUBLE_LOG, one JSON line each). */
export function doubleCalls(): DoubleCall[] {
  const file = process.env['NUCLEUS_DOUBLE_LOG'];
  assert.ok(file, 'NUCLEUS_DOUBLE_LOG is not set: run the suite through scripts/vscode/run-tests.mjs');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as DoubleCall);
}

/** The nucleus subcommand of a call (after global options such as `--root DIR`). */
export function subcommand(call: DoubleCall): string | undefined {
  const argv = [...call.argv];
  while (argv[0] === '--root' || argv[0] === '--log' || argv[0] === '--log-format') argv.splice(0, 2);
  return argv[0];
}

/**
 * Kills what a failed suite left running: every workload the double started in `stateDir`, then the double's
 * supervisors of the topology `name` (its `create` calls in the argv log).
 */
export async function killLeftovers(stateDir: string, name: string): Promise<void> {
  const kill = (pid: number) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  try {
    for (const c of (await readStateDir(stateDir)).containers) kill(c.state.pid);
  } catch {
    // no state directory: nothing started
  }
  try {
    for (const call of doubleCalls()) {
      if (subcommand(call) === 'create' && call.argv.some((a) => a.startsWith(`${name}-`))) kill(call.pid);
    }
  } catch {
    // no argv log
  }
}

/** Each service of a topology file with its runtime status, read from `stateDir` as the tree view would. */
export async function serviceStates(file: string, stateDir: string): Promise<Map<string, ServiceStatus>> {
  const analysis = analyzeTopology(readFileSync(file, 'utf8'), { version: '0.3.8' });
  const status = computeTopologyStatus(analysis, await readStateDir(stateDir));
  assert.ok(!('error' in status), 'error' in status ? status.error : '');
  return new Map(status.services.map((s) => [s.service, s]));
}

/** A message our extension showed: which kind, its text, its options (modal, detail) and buttons. */
export interface ShownMessage {
  kind: 'warning' | 'information' | 'error';
  message: string;
  options: vscode.MessageOptions | undefined;
  items: string[];
}

/** The button a user picks (undefined: dismissed), possibly after doing something else first. */
type Answer = (shown: ShownMessage) => string | undefined | Promise<string | undefined>;

/**
 * Records every warning/information/error message shown while active and answers it with `answer` (default:
 * dismissed). The extension under test shares this `vscode.window` object. Call `restore()` when done.
 */
export function answerMessages(answer: Answer = () => undefined): {
  shown: ShownMessage[];
  restore: () => void;
} {
  const win = vscode.window as unknown as Record<string, unknown>;
  const kinds = {
    warning: 'showWarningMessage',
    information: 'showInformationMessage',
    error: 'showErrorMessage',
  } as const;
  const originals = Object.fromEntries(Object.values(kinds).map((name) => [name, win[name]]));
  const shown: ShownMessage[] = [];
  for (const [kind, name] of Object.entries(kinds) as [ShownMessage['kind'], string][]) {
    win[name] = (message: string, ...rest: unknown[]) => {
      const options =
        typeof rest[0] === 'object' && rest[0] !== null && !('title' in rest[0])
          ? (rest.shift() as vscode.MessageOptions)
          : undefined;
      const items = rest.map((item) =>
        typeof item === 'string' ? item : (item as vscode.MessageItem).title,
      );
      const entry = { kind, message, options, items };
      shown.push(entry);
      return Promise.resolve(answer(entry));
    };
  }
  return {
    shown,
    restore: () => {
      for (const [name, original] of Object.entries(originals)) win[name] = original;
    },
  };
}

/** Terminals whose name is `name`. */
export function terminalsNamed(name: string): vscode.Terminal[] {
  return vscode.window.terminals.filter((t) => t.name === name);
}
