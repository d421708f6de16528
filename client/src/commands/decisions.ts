// Pure decisions behind the runtime commands (no `vscode` import: unit-tested in Node): what a plan says in
// words, when Apply and Down must ask first, how the version whose rules apply is shown, and the CLI's options.
import {
  LineIndex,
  type Analysis,
  type Plan,
  type PlanStep,
  type RuleVersion,
  type StateDirHost,
  type SupportedVersion,
  type TopologyStatus,
} from '@nucleus-topology/engine';

/** A plan in words, for the confirmation dialog and messages. */
export interface PlanDescription {
  /** One sentence: "Apply 'shop': restart web, stop old, start db." */
  summary: string;
  /** Every service with what happens to it and why, then the warnings Nucleus does not give. */
  detail: string;
  /** Something running would be stopped or restarted, so the user is asked first. */
  needsConfirmation: boolean;
  /** Every service already runs with its current configuration: nothing to start. */
  nothingToDo: boolean;
}

const ACTION_ORDER = [
  ['Restart', 'Restart'],
  ['Stop', 'Stop'],
  ['Start', 'Start'],
] as const;

/** True when applying the plan stops or restarts a running container: the only case that asks first. */
export function planNeedsConfirmation(plan: Pick<Plan, 'steps'>): boolean {
  return plan.steps.some((s) => s.action === 'Restart' || s.action === 'Stop');
}

function names(steps: readonly PlanStep[]): string {
  return steps.map((s) => s.service).join(', ');
}

/** Describes a plan: restarts and stops first (what the user risks), then starts, then what stays as it is. */
export function describePlan(plan: Plan): PlanDescription {
  const byAction = (action: PlanStep['action']) => plan.steps.filter((s) => s.action === action);
  const lines: string[] = [];
  const parts: string[] = [];
  for (const [action, heading] of ACTION_ORDER) {
    const steps = byAction(action);
    if (steps.length === 0) continue;
    parts.push(`${action.toLowerCase()} ${names(steps)}`);
    lines.push(`${heading} (${steps.length}):`);
    for (const step of steps) lines.push(`  ${step.service}: ${step.reason}`);
  }
  const unchanged = byAction('NoChange');
  if (unchanged.length > 0) lines.push(`Unchanged (${unchanged.length}): ${names(unchanged)}`);
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of plan.warnings) lines.push(`  • ${w.message}`);
  }
  lines.push('', `Nucleus ${plan.version} rules; state directory: ${plan.stateDir ?? 'none'}`);
  const nothingToDo = plan.changes === 0 && plan.error === undefined;
  const summary = nothingToDo
    ? `Nothing to apply for '${plan.topology}': ${
        unchanged.length === 0
          ? 'it has no services.'
          : `${unchanged.length === 1 ? 'its service runs' : `all ${unchanged.length} services run`} with the current configuration.`
      }`
    : `Apply '${plan.topology}': ${parts.join(', ')}.`;
  return { summary, detail: lines.join('\n'), needsConfirmation: planNeedsConfirmation(plan), nothingToDo };
}

/** What Down would stop, in words. */
export interface DownDescription {
  /** Running services of the file (Down stops them, in shutdown order). */
  running: string[];
  /** Ask first: something is running. */
  needsConfirmation: boolean;
  summary: string;
  detail: string;
}

export function describeDown(status: TopologyStatus): DownDescription {
  const running = status.services.filter((s) => s.running).map((s) => s.service);
  const others = status.others.filter((o) => o.running).map((o) => o.container);
  const lines = running.map((s) => `  ${s}`);
  if (others.length > 0) {
    lines.push('', `Left running (not services of the file, as Nucleus does): ${others.join(', ')}`);
  }
  const summary =
    running.length === 0
      ? `Nothing of '${status.topology}' is running.`
      : `Stop ${running.length === 1 ? 'the running service' : `${running.length} running services`} of '${status.topology}'?`;
  return {
    running,
    needsConfirmation: running.length > 0,
    summary,
    detail: running.length > 0 ? `Stops:\n${lines.join('\n')}` : lines.join('\n').trim(),
  };
}

/** The language status item's words for the version whose rules apply (engine resolveRuleVersion). */
export interface RuleVersionText {
  /** `Nucleus 0.3.9 rules` */
  text: string;
  /** Where the version came from, in words. */
  source: string;
}

export function describeRuleVersion(
  rule: Pick<RuleVersion, 'version' | 'source' | 'unsupportedDetected'>,
): RuleVersionText {
  const text = `Nucleus ${rule.version} rules`;
  switch (rule.source) {
    case 'setting':
      return { text, source: 'set by nucleus.version' };
    case 'detected':
      return { text, source: 'detected: nucleus --version' };
    case 'state':
      return {
        text,
        source:
          rule.unsupportedDetected !== undefined
            ? `nucleus ${rule.unsupportedDetected} is not a version this extension knows; the state files were written by ${rule.version}`
            : 'inferred from the state files (nothing was run)',
      };
    case 'default':
      return {
        text,
        source:
          rule.unsupportedDetected !== undefined
            ? `nucleus ${rule.unsupportedDetected} is not a version this extension knows: the newest supported`
            : 'version unknown: the newest supported (Detect Version to be sure)',
      };
  }
}

/** Settings and facts every runtime CLI call (plan/apply/down/state) gets as options. */
export interface RuntimeOptionsInput {
  nucleusPath: string;
  version: SupportedVersion;
  /** `nucleus.stateRoot` (absolute), passed as `--root`. */
  stateRoot?: string | undefined;
  /** `nucleus.logDir` (absolute), passed as `--log-dir`. */
  logDir?: string | undefined;
  useSudo: boolean;
  /** The user's default log directory, passed explicitly under sudo so logs stay readable by the user. */
  userLogDir: string;
}

/**
 * The CLI's common options: always `--nucleus` (the binary the extension located) and `--nucleus-version` (so
 * the CLI plans with the same rules as the editor, and never runs `nucleus --version` itself); `--root` only
 * when set; `--log-dir` when set, and under sudo always (root's default would be /root/.local/state/…).
 */
export function runtimeCliOptions(input: RuntimeOptionsInput): string[] {
  const out = ['--nucleus', input.nucleusPath, '--nucleus-version', input.version];
  if (input.stateRoot !== undefined) out.push('--root', input.stateRoot);
  const logDir = input.logDir ?? (input.useSudo ? input.userLogDir : undefined);
  if (logDir !== undefined) out.push('--log-dir', logDir);
  return out;
}

/**
 * How to resolve the state directory in the extension host so it is the one the CLI (and nucleus) will use:
 * with `--root`, that; under sudo without it, root's choice (sudo resets the environment: /var/run/nucleus).
 */
export function stateDirFor(
  stateRoot: string | undefined,
  useSudo: boolean,
): { root?: string; host?: Partial<StateDirHost> } {
  if (stateRoot !== undefined) return { root: stateRoot };
  if (useSudo) return { host: { uid: 0, env: {} } };
  return {};
}

/**
 * The value of a setting that chooses what gets executed (`nucleus.path`) from an `inspect()` result: user
 * (machine) settings only, a workspace or folder value is ignored even if present.
 */
export function userSettingValue<T>(inspected: { globalValue?: T } | undefined): T | undefined {
  return inspected?.globalValue;
}

/** An error that keeps Apply (and Nucleus's `up`) from running, as one line: `line 3: Missing required key …`. */
export interface Blocker {
  line: number;
  message: string;
}

/**
 * Why Apply must refuse, in file order: every error issue (Nucleus would fail during `up` or earlier), plus the
 * error `compose` itself prints first when no issue covers it. Empty when the file can be applied.
 */
export function applyBlockers(analysis: Pick<Analysis, 'issues' | 'nucleusError'>, text: string): Blocker[] {
  const index = new LineIndex(text);
  const lineOf = (offset: number) => index.lineColumnAt(offset).line;
  const errors = analysis.issues
    .filter((i) => i.severity === 'error')
    .sort((a, b) => a.span.start - b.span.start)
    .map((i) => ({ line: lineOf(i.span.start), message: i.message }));
  const first = analysis.nucleusError;
  if (errors.length === 0 && first !== null) {
    errors.push({ line: lineOf(first.span?.start ?? 0), message: first.message });
  }
  return errors;
}

/** The refusal text for Apply: how many errors, the first few with their lines. */
export function describeBlockers(fileName: string, blockers: readonly Blocker[], max = 3): string {
  const shown = blockers
    .slice(0, max)
    .map((b) => `line ${b.line}: ${b.message}`)
    .join('; ');
  const more = blockers.length > max ? ` (and ${blockers.length - max} more)` : '';
  return `${fileName} has ${blockers.length} error${blockers.length === 1 ? '' : 's'} Nucleus would fail on: ${shown}${more}`;
}
