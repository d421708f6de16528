// Plan, Apply, Down, Validate and Show State: each runs the bundled CLI in the topology's terminal. Apply and
// Down first read the state in-process (engine) to show what will happen and ask when something running would
// stop or restart; Apply then runs exactly that plan (`--expect-plan`). Each returns the exit code, or undefined
// when nothing was started.
import * as vscode from 'vscode';
import {
  analyzeTopology,
  computePlan,
  computeTopologyStatus,
  defaultLogDir,
  readStateDir,
  resolveStateDir,
  type DetailedAnalysis,
  type Plan,
  type StateSnapshot,
  type SupportedVersion,
  type TopologyStatus,
} from '@nucleus-topology/engine';
import { config } from '../config.js';
import type { Ctx } from '../ctx.js';
import { nucleusService } from '../nucleusService.js';
import { runInTopologyTerminal } from '../terminal.js';
import { ensureTrusted } from '../trust.js';
import {
  applyBlockers,
  describeBlockers,
  describeDown,
  describePlan,
  runtimeCliOptions,
  stateDirFor,
} from './decisions.js';
import { resolveTarget, type TopologyTarget } from './target.js';

/** Exit code of `apply --expect-plan` when the state moved (docs/cli.md). */
const EXIT_PLAN_CHANGED = 3;

/** What a runtime CLI call needs, resolved once per command (also used by the view's Restart). */
export interface Runtime {
  version: SupportedVersion;
  /** The CLI's common options (`--nucleus`, `--nucleus-version`, `--root`, `--log-dir`). */
  options: string[];
  stateRoot: string | undefined;
  useSudo: boolean;
}

/**
 * The version whose rules apply, resolved as the server resolves it (NucleusService.ruleVersion): detects the
 * installed one first when needed and possible (the caller is a user action; the server then learns it too).
 */
async function ruleVersion(ctx: Ctx, uri: vscode.Uri, action: string): Promise<SupportedVersion> {
  const service = nucleusService(ctx);
  if (config.version(uri) === 'auto' && service.knownVersion() === undefined && service.locate().found) {
    await service.detectVersion({ quiet: true });
  }
  const { version, source, note } = service.ruleVersion(uri);
  if (note !== undefined) ctx.log.info(`${action}: ${note} (set nucleus.version to choose)`);
  else ctx.log.debug(`${action}: Nucleus ${version} rules (${source})`);
  return version;
}

/**
 * What every runtime command needs: nucleus located (else explained to the user: undefined), the rule version
 * (detected first when unknown: the caller is a user action), and the CLI's common options.
 */
export async function prepareRuntime(
  ctx: Ctx,
  uri: vscode.Uri,
  action: string,
): Promise<Runtime | undefined> {
  const location = nucleusService(ctx).locate();
  if (!location.found) {
    nucleusService(ctx).explainMissing(action);
    return undefined;
  }
  const version = await ruleVersion(ctx, uri, action);
  const stateRoot = config.stateRoot(uri);
  const useSudo = config.useSudo(uri);
  const options = runtimeCliOptions({
    nucleusPath: location.path,
    version,
    stateRoot,
    logDir: config.logDir(uri),
    useSudo,
    userLogDir: defaultLogDir(process.env),
  });
  return { version, options, stateRoot, useSudo };
}

/** Reads the state Nucleus (run as the CLI will run it) would see. */
async function readState(ctx: Ctx, runtime: Runtime): Promise<StateSnapshot | { error: string }> {
  const choice = resolveStateDir(stateDirFor(runtime.stateRoot, runtime.useSudo));
  if (choice.dir === null) return { error: `no usable Nucleus state directory: ${choice.error ?? ''}` };
  ctx.log.debug(`State directory ${choice.dir} (${choice.reason})`);
  return readStateDir(choice.dir);
}

function showFailure(ctx: Ctx, action: string, target: TopologyTarget, code: number): void {
  void vscode.window
    .showErrorMessage(
      `Nucleus: ${action} of ${vscode.workspace.asRelativePath(target.uri)} failed (exit code ${code}); the terminal shows why.`,
      'Show Output',
    )
    .then((choice) => choice === 'Show Output' && ctx.log.show());
}

/** Refuses (with the errors and a way to the Problems view) when the file cannot be applied. */
function refuseErrors(ctx: Ctx, action: string, target: TopologyTarget, analysis: DetailedAnalysis): boolean {
  const blockers = applyBlockers(analysis, target.text);
  if (blockers.length === 0) return false;
  const text = `Nucleus: ${action} refused: ${describeBlockers(vscode.workspace.asRelativePath(target.uri), blockers)}`;
  ctx.log.warn(text);
  void vscode.window
    .showErrorMessage(text, 'Show Problems')
    .then((choice) =>
      choice === 'Show Problems'
        ? vscode.commands.executeCommand('workbench.actions.view.problems')
        : undefined,
    );
  return true;
}

/** The topology file a command acts on, once the workspace is trusted. */
async function trustedTarget(ctx: Ctx, arg: unknown, action: string): Promise<TopologyTarget | undefined> {
  if (!ensureTrusted(ctx, action)) return undefined;
  return resolveTarget(arg, action);
}

/** The topology file and what a runtime CLI call needs for it (undefined: said why, nothing to run). */
async function targetAndRuntime(
  ctx: Ctx,
  arg: unknown,
  action: string,
): Promise<{ target: TopologyTarget; runtime: Runtime } | undefined> {
  const target = await trustedTarget(ctx, arg, action);
  if (!target) return undefined;
  const runtime = await prepareRuntime(ctx, target.uri, action);
  return runtime && { target, runtime };
}

/** A read-only CLI command (`plan`, `state`) on the file, in the terminal. */
async function runReadOnly(
  ctx: Ctx,
  arg: unknown,
  action: string,
  command: 'plan' | 'state',
): Promise<number | undefined> {
  const ready = await targetAndRuntime(ctx, arg, action);
  if (!ready) return undefined;
  const { target, runtime } = ready;
  return runInTopologyTerminal(ctx, target.uri, [command, target.uri.fsPath, ...runtime.options], {
    title: action,
  });
}

/** `nucleus.plan`: `plan FILE` in the terminal. */
export function planCommand(ctx: Ctx, arg: unknown): Promise<number | undefined> {
  return runReadOnly(ctx, arg, 'Plan', 'plan');
}

/** `nucleus.showState`: `state FILE` in the terminal. */
export function showStateCommand(ctx: Ctx, arg: unknown): Promise<number | undefined> {
  return runReadOnly(ctx, arg, 'Show State', 'state');
}

/**
 * `nucleus.validate`: the CLI's `check FILE` (every problem with its position, and what `nucleus compose
 * validate` would print first). It needs no nucleus binary, so it also works where Nucleus is not installed.
 */
export async function validateCommand(ctx: Ctx, arg: unknown): Promise<number | undefined> {
  const target = await trustedTarget(ctx, arg, 'Validate');
  if (!target) return undefined;
  const version = await ruleVersion(ctx, target.uri, 'Validate');
  return runInTopologyTerminal(ctx, target.uri, ['check', target.uri.fsPath, '--nucleus-version', version], {
    title: 'Validate',
  });
}

/**
 * `nucleus.apply`: computes the plan in-process (the same engine the CLI runs), says when there is nothing to do,
 * asks (modal, the plan in the detail) when something running would stop or restart, then runs
 * `apply FILE --yes --expect-plan <fingerprint>`: exactly the plan shown, or nothing when the state moved.
 */
export async function applyCommand(ctx: Ctx, arg: unknown): Promise<number | undefined> {
  const ready = await targetAndRuntime(ctx, arg, 'Apply');
  if (!ready) return undefined;
  const { target, runtime } = ready;
  const analysis = analyzeTopology(target.text, { version: runtime.version });
  if (refuseErrors(ctx, 'Apply', target, analysis)) return undefined;

  const snapshot = await readState(ctx, runtime);
  if ('error' in snapshot) {
    void vscode.window.showErrorMessage(`Nucleus: Apply: ${snapshot.error}`);
    return undefined;
  }
  if (snapshot.error !== undefined) {
    // Typically a root-owned state directory with nucleus.useSudo: the editor cannot see what runs, so the
    // CLI (running as root) shows the plan in the terminal and asks there itself.
    ctx.log.warn(`Apply: ${snapshot.error}; the CLI shows the plan and asks in the terminal`);
    return runApply(ctx, target, runtime, undefined);
  }
  const plan = computePlan(analysis, snapshot);
  return confirmAndApply(ctx, target, runtime, plan, false);
}

async function confirmAndApply(
  ctx: Ctx,
  target: TopologyTarget,
  runtime: Runtime,
  plan: Plan,
  confirmed: boolean,
): Promise<number | undefined> {
  const description = describePlan(plan);
  ctx.log.info(`Apply: ${description.summary}\n${description.detail}`);
  if (plan.nucleusError !== undefined) {
    void vscode.window.showErrorMessage(`Nucleus: Apply refused: ${plan.nucleusError}`);
    return undefined;
  }
  if (description.nothingToDo) {
    void vscode.window.showInformationMessage(`Nucleus: ${description.summary}`);
    return undefined;
  }
  if (description.needsConfirmation && !confirmed) {
    const apply = 'Apply';
    const choice = await vscode.window.showWarningMessage(
      description.summary,
      { modal: true, detail: description.detail },
      apply,
    );
    if (choice !== apply) {
      ctx.log.info('Apply: not confirmed; nothing was started');
      return undefined;
    }
  }
  return runApply(ctx, target, runtime, plan);
}

/** Runs the apply; `plan` undefined = let the CLI show and confirm (no in-process view of the state). */
async function runApply(
  ctx: Ctx,
  target: TopologyTarget,
  runtime: Runtime,
  plan: Plan | undefined,
): Promise<number | undefined> {
  const args = ['apply', target.uri.fsPath];
  if (plan) args.push('--yes', '--expect-plan', plan.fingerprint);
  const code = await runInTopologyTerminal(ctx, target.uri, [...args, ...runtime.options], {
    title: 'Apply',
  });
  if (code === EXIT_PLAN_CHANGED && plan) {
    void showChangedPlan(ctx, target, runtime);
  } else if (code !== undefined && code !== 0) {
    showFailure(ctx, 'Apply', target, code);
  }
  return code;
}

/** After exit 3: says the state changed, shows the new plan and offers to apply that one (modal = the question). */
async function showChangedPlan(ctx: Ctx, target: TopologyTarget, runtime: Runtime): Promise<void> {
  const snapshot = await readState(ctx, runtime);
  if ('error' in snapshot) return;
  const analysis = analyzeTopology(target.text, { version: runtime.version });
  const plan = computePlan(analysis, snapshot);
  const description = describePlan(plan);
  const apply = 'Apply New Plan';
  const choice = await vscode.window.showWarningMessage(
    `Nucleus: the state changed since the plan was shown, so nothing was applied. ${description.summary}`,
    { modal: true, detail: description.detail },
    ...(description.nothingToDo ? [] : [apply]),
  );
  if (choice === apply) await confirmAndApply(ctx, target, runtime, plan, true);
}

/**
 * `nucleus.down`: reads which services of the file run; nothing ⇒ says so; else asks (modal) and runs
 * `down FILE --yes`. Without an in-process view of the state (unreadable directory), the CLI asks in the terminal.
 */
export async function downCommand(ctx: Ctx, arg: unknown): Promise<number | undefined> {
  const ready = await targetAndRuntime(ctx, arg, 'Down');
  if (!ready) return undefined;
  const { target, runtime } = ready;
  const analysis = analyzeTopology(target.text, { version: runtime.version });
  if (analysis.nucleusError !== null) {
    // `compose down` parses and validates the file first, as the CLI does: it would fail with this.
    void vscode.window.showErrorMessage(`Nucleus: Down refused: ${analysis.nucleusError.message}`);
    return undefined;
  }
  const snapshot = await readState(ctx, runtime);
  if ('error' in snapshot) {
    void vscode.window.showErrorMessage(`Nucleus: Down: ${snapshot.error}`);
    return undefined;
  }
  const args = ['down', target.uri.fsPath];
  const status: TopologyStatus | { error: string } =
    snapshot.error === undefined ? computeTopologyStatus(analysis, snapshot) : { error: snapshot.error };
  if ('error' in status) {
    ctx.log.warn(`Down: ${status.error}; the CLI asks in the terminal`);
  } else {
    const description = describeDown(status);
    ctx.log.info(`Down: ${description.summary}\n${description.detail}`);
    if (!description.needsConfirmation) {
      void vscode.window.showInformationMessage(`Nucleus: ${description.summary}`);
      return undefined;
    }
    const stop = 'Stop';
    const choice = await vscode.window.showWarningMessage(
      description.summary,
      { modal: true, detail: description.detail },
      stop,
    );
    if (choice !== stop) {
      ctx.log.info('Down: not confirmed; nothing was started');
      return undefined;
    }
    args.push('--yes');
  }
  const code = await runInTopologyTerminal(ctx, target.uri, [...args, ...runtime.options], { title: 'Down' });
  if (code !== undefined && code !== 0) showFailure(ctx, 'Down', target, code);
  return code;
}
