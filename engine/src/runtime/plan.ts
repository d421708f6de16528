// The reconcile plan: reconcile.rs `plan_reconcile` (spec §5.1) exactly, plus reasons, warnings and a fingerprint.

import { createHash } from 'node:crypto';
import type { Analysis, PlanAction, SupportedVersion } from '../model.js';
import { compareBytes } from '../order.js';
import type { ObservedContainer, StateSnapshot } from './state.js';

/** One `(service, action)` of the plan, with what it was decided from. */
export interface PlanStep {
  service: string;
  action: PlanAction;
  /** `<topo>-<svc>`. */
  container: string;
  /** The file's change hash for the service (u64 decimal); absent for Stop. */
  desiredHash?: string;
  /** The running container the decision used (for NoChange/Restart/Stop). */
  running?: { id: string; file: string; pid: number; configHash: string | null };
  /** Why, for humans: "new service", "config changed (hash A → B)", "removed from the file", … */
  reason: string;
}

export type PlanWarningCode =
  /** A running `<topo>-…` container probably belongs to another topology (E5). */
  | 'foreign-container'
  /** A stale state file with the service's container name will make `nucleus create` fail (E10). */
  | 'stale-state'
  /** Several running containers map to one service; Nucleus keeps whichever it reads last (directory order). */
  | 'ambiguous-running'
  /** A restarted service has dependents that will keep running unrestarted (§5.2.5). */
  | 'dependents-not-restarted'
  /** A `*.json` file of the state directory could not be used (skipped, as Nucleus does). */
  | 'state-file-skipped'
  /** The state directory could not be read (Nucleus then plans as if nothing ran). */
  | 'state-dir-unreadable';

/** Something Nucleus does not say but the user should know before applying. */
export interface PlanWarning {
  code: PlanWarningCode;
  message: string;
  service?: string;
  container?: string;
  file?: string;
}

/** The reconcile plan for a topology file against a state snapshot. Plain, serialisable data. */
export interface Plan {
  topology: string;
  version: SupportedVersion;
  startupOrder: string[];
  shutdownOrder: string[];
  /** Actions in Nucleus's order: services in startup order, then Stop actions in byte order. Empty on error. */
  steps: PlanStep[];
  /** plan_reconcile's own error (e.g. the dependency cycle), `Configuration error: …`, when it fails. */
  error?: string;
  /**
   * What `nucleus compose plan`/`up` would print after `Error: ` (parse and validate come before the plan), when it
   * would fail. Apply refuses then.
   */
  nucleusError?: string;
  warnings: PlanWarning[];
  /** Stable hash of the actions, desired hashes and running hashes: "apply exactly this plan". */
  fingerprint: string;
  /** Desired hash per service of the file (u64 decimal). */
  hashes: Record<string, string>;
  stateDir: string | null;
  /** Number of steps that are not NoChange. */
  changes: number;
}

export interface PlanOptions {
  /** Names of other topologies the caller knows of (e.g. open files), to attribute prefix-caught containers (E5). */
  knownTopologies?: readonly string[];
}

/** The plan part of an analysis: what plan_reconcile needs. */
export type PlanInput = Pick<Analysis, 'version' | 'topology' | 'graph' | 'hashes' | 'nucleusError'>;

/** `plan_reconcile` (§5.1) for an analysed file and a state snapshot, with reasons, warnings and fingerprint. */
export function computePlan(analysis: PlanInput, snapshot: StateSnapshot, options: PlanOptions = {}): Plan {
  const topology = analysis.topology;
  const hashes: Record<string, string> = {};
  for (const [svc, h] of analysis.hashes) hashes[svc] = h;
  const base = {
    topology: topology?.name ?? '',
    version: analysis.version,
    hashes,
    stateDir: snapshot.dir,
    warnings: [] as PlanWarning[],
  };
  const nucleusError = analysis.nucleusError?.message;
  if (topology === null || analysis.graph === null || analysis.nucleusError?.phase === 'parse') {
    const error = nucleusError ?? 'the topology could not be decoded';
    return finish({ ...base, startupOrder: [], shutdownOrder: [], steps: [], error, nucleusError: error });
  }
  const graph = analysis.graph;
  if (graph.error !== undefined) {
    const error = `Configuration error: ${graph.error}`;
    return finish({
      ...base,
      startupOrder: [],
      shutdownOrder: [],
      steps: [],
      error,
      nucleusError: nucleusError ?? error,
    });
  }

  const warnings = base.warnings;
  if (snapshot.error !== undefined) {
    warnings.push({
      code: 'state-dir-unreadable',
      message: `${snapshot.error}; Nucleus plans as if nothing were running`,
    });
  }
  for (const p of snapshot.problems) {
    warnings.push({
      code: 'state-file-skipped',
      file: p.file,
      message: `state file ${p.file} skipped: ${p.message}`,
    });
  }

  const prefix = `${topology.name}-`;
  // running_by_name: later files overwrite earlier ones, exactly as the BTreeMap insert in plan_reconcile.
  const runningByName = new Map<string, ObservedContainer>();
  const runningAll = new Map<string, ObservedContainer[]>();
  for (const c of snapshot.containers) {
    if (!c.running || !c.state.name.startsWith(prefix)) continue;
    const svc = c.state.name.slice(prefix.length);
    runningByName.set(svc, c);
    const list = runningAll.get(svc);
    if (list) list.push(c);
    else runningAll.set(svc, [c]);
  }

  const steps: PlanStep[] = [];
  for (const svc of graph.startupOrder) {
    const container = prefix + svc;
    const desired = analysis.hashes.get(svc) ?? '0';
    const running = runningByName.get(svc);
    if (running) {
      const runningHash = running.state.config_hash;
      const same = runningHash === desired;
      steps.push({
        service: svc,
        action: same ? 'NoChange' : 'Restart',
        container,
        desiredHash: desired,
        running: runningRef(running),
        reason: same
          ? 'running with the same config hash'
          : runningHash === null
            ? 'running without a config hash'
            : `config changed (hash ${runningHash} → ${desired})`,
      });
    } else {
      const stale = snapshot.containers.filter((c) => c.state.name === container);
      const last = stale[stale.length - 1];
      steps.push({
        service: svc,
        action: 'Start',
        container,
        desiredHash: desired,
        reason: last ? `not running (state file stale: ${last.liveness})` : 'new service',
      });
    }
  }
  const removed = [...runningByName.keys()].filter((s) => !topology.services.has(s)).sort(compareBytes);
  for (const svc of removed) {
    const running = runningByName.get(svc) as ObservedContainer;
    steps.push({
      service: svc,
      action: 'Stop',
      container: prefix + svc,
      running: runningRef(running),
      reason: 'removed from the file',
    });
  }

  addWarnings(warnings, steps, snapshot, runningAll, topology.name, graph.dependents, options);

  return finish({
    ...base,
    startupOrder: [...graph.startupOrder],
    shutdownOrder: [...graph.shutdownOrder],
    steps,
    ...(nucleusError !== undefined ? { nucleusError } : {}),
  });
}

function runningRef(c: ObservedContainer): NonNullable<PlanStep['running']> {
  return { id: c.state.id, file: c.file, pid: c.state.pid, configHash: c.state.config_hash };
}

function addWarnings(
  warnings: PlanWarning[],
  steps: PlanStep[],
  snapshot: StateSnapshot,
  runningAll: Map<string, ObservedContainer[]>,
  topoName: string,
  dependents: Map<string, string[]>,
  options: PlanOptions,
): void {
  const byService = new Map(steps.map((s) => [s.service, s]));
  const known = (options.knownTopologies ?? []).filter((t) => t !== topoName && t.startsWith(`${topoName}-`));

  for (const step of steps) {
    // E5: the prefix rule claims containers of topologies whose name extends this one.
    const owner = known
      .filter((t) => step.container.startsWith(`${t}-`))
      .sort((a, b) => b.length - a.length)[0];
    if (step.action === 'Stop') {
      const rest = step.service;
      let guess: string | undefined;
      if (owner !== undefined) {
        guess = `it belongs to topology '${owner}' (service '${step.container.slice(owner.length + 1)}')`;
      } else {
        const candidates: string[] = [];
        for (let i = rest.indexOf('-'); i > 0 && i < rest.length - 1; i = rest.indexOf('-', i + 1)) {
          candidates.push(`'${topoName}-${rest.slice(0, i)}' (service '${rest.slice(i + 1)}')`);
        }
        if (candidates.length > 0) {
          guess = `it probably belongs to topology ${candidates.join(' or ')} rather than to a removed service`;
        }
      }
      if (guess !== undefined) {
        warnings.push({
          code: 'foreign-container',
          service: step.service,
          container: step.container,
          message:
            `container ${step.container} will be stopped because its name starts with '${topoName}-', but ${guess}; ` +
            `Nucleus claims every running container named '${topoName}-…'`,
        });
      }
    } else if (owner !== undefined && step.running) {
      warnings.push({
        code: 'foreign-container',
        service: step.service,
        container: step.container,
        message: `container ${step.container} is also a name of topology '${owner}' (service '${step.container.slice(owner.length + 1)}'); Nucleus treats it as service '${step.service}' of '${topoName}'`,
      });
    }

    // E10: `create` refuses a name that any state file (running or stale) still holds.
    if (step.action === 'Start' || step.action === 'Restart') {
      const stale = snapshot.containers.filter((c) => c.state.name === step.container && !c.running);
      for (const c of stale) {
        const restartNote =
          step.action === 'Restart'
            ? ` Worse, the name lookup that precedes the stop is then ambiguous, so 'up' will not even stop the running container.`
            : '';
        warnings.push({
          code: 'stale-state',
          service: step.service,
          container: step.container,
          file: c.file,
          message:
            `stale state file ${c.file} (${c.liveness}) still holds the name ${step.container}: 'nucleus create' will fail with ` +
            `"A container named '${step.container}' already exists; use a different --name, or remove the stale state with 'nucleus delete'". ` +
            `Remove it first ('nucleus delete ${c.state.id}').${restartNote}`,
        });
      }
    }

    const all = runningAll.get(step.service);
    if (all !== undefined && all.length > 1) {
      const used = all[all.length - 1] as ObservedContainer;
      warnings.push({
        code: 'ambiguous-running',
        service: step.service,
        container: step.container,
        message:
          `${all.length} running containers are named ${step.container} (${all.map((c) => c.file).join(', ')}): Nucleus uses the ` +
          `hash of the one it reads last in directory order, which is unspecified (${used.file} here); the name is ambiguous, ` +
          `so 'up' cannot stop it by name`,
      });
    }
  }

  // §5.2.5: restarts do not cascade.
  for (const step of steps) {
    if (step.action !== 'Restart') continue;
    const stay = [...new Set(dependents.get(step.service) ?? [])].filter(
      (d) => byService.get(d)?.action === 'NoChange',
    );
    if (stay.length > 0) {
      warnings.push({
        code: 'dependents-not-restarted',
        service: step.service,
        message: `${step.service} will be restarted but ${stay.map((d) => `'${d}'`).join(', ')}, which depend${stay.length === 1 ? 's' : ''} on it, will keep running without a restart (Nucleus does not cascade restarts)`,
      });
    }
  }
}

type Unfinished = Omit<Plan, 'fingerprint' | 'changes'>;

function finish(plan: Unfinished): Plan {
  return {
    ...plan,
    changes: plan.steps.filter((s) => s.action !== 'NoChange').length,
    fingerprint: planFingerprint(plan),
  };
}

/**
 * A stable hash (16 hex chars) of what an apply would do: topology, version, actions with the desired hash and the
 * running hash each decision used, or the error. Container ids and pids are not included, so a re-read of an
 * unchanged state gives the same fingerprint.
 */
export function planFingerprint(
  plan: Pick<Plan, 'topology' | 'version' | 'steps' | 'error' | 'startupOrder'>,
): string {
  const payload = JSON.stringify([
    1,
    plan.topology,
    plan.version,
    plan.error ?? null,
    plan.startupOrder,
    plan.steps.map((s) => [
      s.service,
      s.action,
      s.desiredHash ?? null,
      s.running ? s.running.configHash : '-',
    ]),
  ]);
  return createHash('sha256').update(payload).digest('hex').slice(0, 16);
}

/** Nucleus's action words in `compose plan` output. */
function actionWord(action: PlanAction): string {
  switch (action) {
    case 'NoChange':
      return 'no change';
    case 'Start':
      return 'start';
    case 'Restart':
      return 'restart';
    case 'Stop':
      return 'stop';
  }
}

/**
 * The JSON form of a plan: `startup_order` and `actions` exactly as plan_reconcile (conformance plan/expected.json)
 * or `{error}` when it fails, plus extra fields `reasons`, `warnings`, `fingerprint`, `hashes`, `nucleus_error`.
 */
export function planToJson(plan: Plan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (plan.error !== undefined) {
    out.error = plan.error;
  } else {
    out.startup_order = plan.startupOrder;
    out.actions = plan.steps.map((s) => [s.service, s.action]);
    out.reasons = Object.fromEntries(plan.steps.map((s) => [s.service, s.reason]));
  }
  if (plan.nucleusError !== undefined && plan.nucleusError !== plan.error)
    out.nucleus_error = plan.nucleusError;
  out.hashes = plan.hashes;
  out.warnings = plan.warnings;
  out.fingerprint = plan.fingerprint;
  out.topology = plan.topology;
  out.version = plan.version;
  out.state_dir = plan.stateDir;
  return out;
}

/** `compose plan`'s text (§5.4): the header and one `  <svc> -> <action>` line per step. */
export function formatPlanNucleus(plan: Plan): string {
  const lines = [`Reconciliation plan for topology '${plan.topology}':`];
  for (const s of plan.steps) lines.push(`  ${s.service} -> ${actionWord(s.action)}`);
  return lines.join('\n') + '\n';
}
