// Applies a reconcile plan (reconcile.rs `execute_reconcile`, spec §5.2 and §3 wait rules) and tears a topology down
// (`compose down`, §5.4), driving `nucleus` through the NucleusCli port.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { healthTimeoutSeconds, postStartWait } from '../graph.js';
import type { Analysis, Issue, PlanAction, Topology } from '../model.js';
import { buildRunArgs, secretsPayload } from '../runArgs.js';
import { validateHealthCheckCommand } from '../values/healthCheck.js';
import type { CreateProcess, NucleusCli } from './nucleusCli.js';
import { errorMessage } from './osError.js';
import { computePlan, type Plan } from './plan.js';
import { readStateDir, resolveContainer, type LivenessCheck, type StateSnapshot } from './state.js';
import { prepareServiceVolumes } from './volumes.js';
import { readLogTail } from './logs.js';

/** One progress report. `message` is a ready-to-print line; `nucleus: true` marks lines Nucleus itself prints. */
export interface ApplyEvent {
  kind:
    | 'begin' // "Bringing up topology …" / "Tearing down topology …"
    | 'stopping'
    | 'stopped'
    | 'stop-skipped' // lookup failed: Nucleus ignores it
    | 'stop-failed' // logged and ignored by apply; fatal for down
    | 'state-gone' // our E10 improvement: the old state file disappeared
    | 'skipped' // NoChange service
    | 'starting'
    | 'spawned'
    | 'started'
    | 'waiting-healthy'
    | 'probe-failed'
    | 'healthy'
    | 'warning'
    | 'failed'
    | 'done'; // "Topology … is up/down"
  message: string;
  service?: string;
  container?: string;
  nucleus?: boolean;
}

/** Wait knobs; defaults are Nucleus's. Tests shorten them. */
export interface ApplyTiming {
  /** wait_for_started: 10 s. */
  startTimeoutMs: number;
  /** Poll period while waiting to start: 100 ms. */
  pollMs: number;
  /** Sleep between health probes: 1 s. */
  probeIntervalMs: number;
  /** Per-probe timeout: 5 s. */
  probeTimeoutMs: number;
  /** How long to wait for a stopped container's state file to disappear (our E10 improvement): 5 s. */
  stateGoneTimeoutMs: number;
  /** Overrides the healthy-wait timeout (default: max(3 × health_interval + 10, 20) s). */
  healthTimeoutSeconds?: number;
}

const DEFAULT_TIMING: ApplyTiming = {
  startTimeoutMs: 10_000,
  pollMs: 100,
  probeIntervalMs: 1_000,
  probeTimeoutMs: 5_000,
  stateGoneTimeoutMs: 5_000,
};

export interface RuntimeOptions {
  cli: NucleusCli;
  /** The state directory nucleus uses (resolveStateDir). */
  stateDir: string;
  /** `compose --root R`: forwarded in the create argument list (the cli forwards it to stop/attach). */
  root?: string;
  /** compose's `--timeout` for stops, seconds (default 10). */
  stopTimeoutSecs?: number;
  liveness?: LivenessCheck;
  onProgress?: (event: ApplyEvent) => void;
  signal?: AbortSignal;
  timing?: Partial<ApplyTiming>;
}

export interface ApplyOptions extends RuntimeOptions {
  /** Base directory of service logs (default {@link defaultLogDir}); a service logs to `<dir>/<topo>/<svc>.log`. */
  logDir?: string;
  /** Only apply if the freshly computed plan has this fingerprint. */
  expectFingerprint?: string;
  knownTopologies?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export type ApplyStatus = 'ok' | 'failed' | 'refused' | 'plan-changed' | 'cancelled';

/** What happened to one step. */
export interface ApplyStepResult {
  service: string;
  action: PlanAction;
  outcome: 'done' | 'skipped' | 'failed' | 'not-run';
  detail?: string;
}

export interface ApplyResult {
  status: ApplyStatus;
  /** The plan that was (or would have been) applied. */
  plan: Plan;
  /** Nucleus's error text (without `Error: `) for 'failed'/'refused', or what changed / why it stopped. */
  error?: string;
  /** For 'refused': the analysis errors. */
  issues?: Issue[];
  steps: ApplyStepResult[];
  /** Log file of each service started. */
  logFiles: Record<string, string>;
}

/** Where service logs go: `$XDG_STATE_HOME/nucleus-topology/logs` or `~/.local/state/nucleus-topology/logs`. */
export function defaultLogDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME;
  if (state !== undefined && state.startsWith('/')) return join(state, 'nucleus-topology', 'logs');
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.local', 'state', 'nucleus-topology', 'logs');
}

/** The log file of one service (names are container-name safe; `.`/`..` are escaped). */
export function serviceLogFile(logDir: string, topology: string, service: string): string {
  const safe = (s: string) => (s === '.' || s === '..' || s === '' ? `_${s}` : s.replace(/\//g, '_'));
  return join(logDir, safe(topology), `${safe(service)}.log`);
}

/** A failure that ends an apply/down/restart with Nucleus's message (exported for restart.ts). */
export class ApplyError extends Error {}
export class Cancelled extends Error {}

/**
 * `compose up`: refuses when the analysis has errors; computes the plan on a fresh snapshot; then Phase 1 (stop
 * Restart services in shutdown order), Phase 1b (Stop actions), Phase 2 (start Start/Restart services in startup
 * order, waiting Started, then Healthy when a dependent needs it). The first error aborts; what started stays up.
 */
export async function applyTopology(analysis: Analysis, options: ApplyOptions): Promise<ApplyResult> {
  const ctx = new Context(options);
  const snapshot = await ctx.snapshot();
  const plan = computePlan(analysis, snapshot, { knownTopologies: options.knownTopologies ?? [] });
  const result: ApplyResult = {
    status: 'ok',
    plan,
    steps: plan.steps.map((s) => ({ service: s.service, action: s.action, outcome: 'not-run' })),
    logFiles: {},
  };
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || plan.nucleusError !== undefined || analysis.topology === null) {
    result.status = 'refused';
    result.issues = errors;
    result.error =
      plan.nucleusError ?? `the file has ${errors.length} error${errors.length === 1 ? '' : 's'}`;
    return result;
  }
  if (options.expectFingerprint !== undefined && options.expectFingerprint !== plan.fingerprint) {
    result.status = 'plan-changed';
    result.error = `the plan changed since it was shown (fingerprint ${options.expectFingerprint} → ${plan.fingerprint})`;
    return result;
  }
  const topology = analysis.topology;
  const graph = analysis.graph;
  if (graph === null) throw new Error('unreachable: a plan without a graph');
  const stepOf = (svc: string) => result.steps.find((s) => s.service === svc) as ApplyStepResult;
  const actionOf = (svc: string) => plan.steps.find((s) => s.service === svc)?.action;
  const logDir = options.logDir ?? defaultLogDir(options.env);

  ctx.emit({ kind: 'begin', message: `Bringing up topology '${topology.name}'...`, nucleus: true });
  let current: string | undefined;
  try {
    // Phase 1: Restart services, in shutdown order.
    for (const svc of graph.shutdownOrder) {
      if (actionOf(svc) !== 'Restart') continue;
      current = svc;
      await ctx.stopForApply(topology.name, svc);
    }
    // Phase 1b: Stop actions, in plan order (they are never in the shutdown order: not services of the file).
    for (const step of plan.steps) {
      if (step.action !== 'Stop') continue;
      current = step.service;
      await ctx.stopForApply(topology.name, step.service);
      stepOf(step.service).outcome = 'done';
    }
    // Phase 2: Start/Restart, in startup order; NoChange services are only logged.
    for (const svc of plan.startupOrder) {
      const action = actionOf(svc);
      if (action === 'NoChange') {
        stepOf(svc).outcome = 'skipped';
        ctx.emit({ kind: 'skipped', service: svc, message: `  ${svc}: unchanged, skipped` });
        continue;
      }
      if (action !== 'Start' && action !== 'Restart') continue;
      current = svc;
      const logFile = serviceLogFile(logDir, topology.name, svc);
      result.logFiles[svc] = logFile;
      await ctx.startService(analysis, topology, svc, plan.hashes[svc] ?? '0', logFile);
      const wait = postStartWait(graph, svc);
      if (wait === 'Healthy') await ctx.waitHealthy(topology, svc);
      stepOf(svc).outcome = 'done';
    }
  } catch (error) {
    if (current !== undefined) stepOf(current).outcome = 'failed';
    if (error instanceof Cancelled) {
      result.status = 'cancelled';
      result.error = 'cancelled; services started so far keep running';
      ctx.emit({ kind: 'failed', message: `Cancelled: ${result.error}` });
      return result;
    }
    if (error instanceof ApplyError) {
      result.status = 'failed';
      result.error = error.message;
      if (current !== undefined) stepOf(current).detail = error.message;
      ctx.emit({ kind: 'failed', service: current, message: `Error: ${error.message}`, nucleus: true });
      return result;
    }
    throw error;
  }
  ctx.emit({ kind: 'done', message: `Topology '${topology.name}' is up`, nucleus: true });
  return result;
}

export type DownStatus = 'ok' | 'failed' | 'refused' | 'cancelled';

export interface DownResult {
  status: DownStatus;
  error?: string;
  /** Containers stopped, in order. */
  stopped: string[];
  /** Running `<topo>-…` containers of services no longer in the file: `down` leaves them running (E11). */
  leftRunning: string[];
}

/**
 * `compose down`: refuses when Nucleus would reject the file; stops each service of the file whose container is
 * running, in shutdown order (a stop error aborts). Containers of services removed from the file are not stopped.
 */
export async function downTopology(analysis: Analysis, options: RuntimeOptions): Promise<DownResult> {
  const ctx = new Context(options);
  const result: DownResult = { status: 'ok', stopped: [], leftRunning: [] };
  const topology = analysis.topology;
  if (analysis.nucleusError !== null || topology === null || analysis.graph === null) {
    result.status = 'refused';
    result.error = analysis.nucleusError?.message ?? 'the topology could not be decoded';
    return result;
  }
  const graph = analysis.graph;
  if (graph.error !== undefined) {
    result.status = 'refused';
    result.error = `Configuration error: ${graph.error}`;
    return result;
  }
  ctx.emit({ kind: 'begin', message: `Tearing down topology '${topology.name}'...`, nucleus: true });
  try {
    for (const svc of graph.shutdownOrder) {
      const container = `${topology.name}-${svc}`;
      const snap = await ctx.snapshot();
      const found = resolveContainer(snap.containers, container);
      if (!('ok' in found) || !found.ok.running) continue;
      ctx.emit({
        kind: 'stopping',
        service: svc,
        container,
        message: `Stopping ${container}...`,
        nucleus: true,
      });
      const r = await options.cli.stop(container, ctx.stopTimeout, options.signal);
      ctx.checkAborted();
      if (r.spawnError !== undefined || r.exitCode !== 0) throw new ApplyError(stopFailure(options.cli, r));
      result.stopped.push(container);
      await ctx.waitStateGone(found.ok.state.id, container, svc);
    }
    const snap = await ctx.snapshot();
    const prefix = `${topology.name}-`;
    for (const c of snap.containers) {
      if (
        c.running &&
        c.state.name.startsWith(prefix) &&
        !topology.services.has(c.state.name.slice(prefix.length))
      ) {
        result.leftRunning.push(c.state.name);
      }
    }
  } catch (error) {
    if (error instanceof Cancelled) {
      result.status = 'cancelled';
      result.error = 'cancelled';
      return result;
    }
    if (error instanceof ApplyError) {
      result.status = 'failed';
      result.error = error.message;
      ctx.emit({ kind: 'failed', message: `Error: ${error.message}`, nucleus: true });
      return result;
    }
    throw error;
  }
  ctx.emit({ kind: 'done', message: `Topology '${topology.name}' is down`, nucleus: true });
  if (result.leftRunning.length > 0) {
    ctx.emit({
      kind: 'warning',
      message: `Note: not stopped (services no longer in the file; Nucleus's down ignores them): ${result.leftRunning.join(', ')}`,
    });
  }
  return result;
}

/** The error text of a failed `nucleus stop`: its own `Error: …` line when it printed one. */
function stopFailure(
  cli: NucleusCli,
  r: { spawnError?: string; stderr: string; exitCode: number | null; timedOut: boolean },
): string {
  if (r.spawnError !== undefined) return `Failed to run ${cli.binary}: ${r.spawnError}`;
  if (r.timedOut) return `'${cli.binary} stop' did not finish in time`;
  const line = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .pop();
  if (line !== undefined) return line.startsWith('Error: ') ? line.slice('Error: '.length) : line;
  return `'${cli.binary} stop' exited with status ${r.exitCode ?? 'unknown'}`;
}

/** Shared state of one apply/down/restart run: options, timing, progress and abortable sleeps. */
export class Context {
  readonly timing: ApplyTiming;
  readonly stopTimeout: number;
  private readonly created = new Map<string, CreateProcess>();

  constructor(private readonly options: RuntimeOptions) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.stopTimeout = options.stopTimeoutSecs ?? 10;
  }

  emit(event: ApplyEvent): void {
    this.options.onProgress?.(event);
  }

  checkAborted(): void {
    if (this.options.signal?.aborted) throw new Cancelled();
  }

  async snapshot(): Promise<StateSnapshot> {
    this.checkAborted();
    return readStateDir(
      this.options.stateDir,
      this.options.liveness ? { liveness: this.options.liveness } : {},
    );
  }

  sleep(ms: number): Promise<void> {
    this.checkAborted();
    return new Promise((resolve, reject) => {
      const signal = this.options.signal;
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Cancelled());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Phase 1/1b: look the container up by name (failures ignored, as Nucleus), stop it, wait for its file to go. */
  async stopForApply(topo: string, svc: string): Promise<void> {
    const container = `${topo}-${svc}`;
    const found = resolveContainer((await this.snapshot()).containers, container);
    if ('error' in found) {
      this.emit({
        kind: 'stop-skipped',
        service: svc,
        container,
        message:
          found.kind === 'ambiguous'
            ? `  ${container}: not stopped: ${found.error} (Nucleus ignores a failed lookup)`
            : `  ${container}: already gone`,
      });
      return;
    }
    this.emit({ kind: 'stopping', service: svc, container, message: `  Stopping ${container}...` });
    const r = await this.options.cli.stop(container, this.stopTimeout, this.options.signal);
    this.checkAborted();
    if (r.spawnError !== undefined || r.exitCode !== 0) {
      this.emit({
        kind: 'stop-failed',
        service: svc,
        container,
        message: `  Warning: Failed to stop ${container}: ${stopFailure(this.options.cli, r)} (continuing)`,
      });
    } else {
      this.emit({ kind: 'stopped', service: svc, container, message: `  Stopped ${container}` });
    }
    await this.waitStateGone(found.ok.state.id, container, svc);
  }

  /**
   * Our improvement over Nucleus (E10): after a stop, wait (bounded) until the old supervisor removed the state
   * file, so the next create does not fail with "already exists" and the name is not briefly ambiguous.
   */
  async waitStateGone(id: string, container: string, svc: string): Promise<void> {
    const start = Date.now();
    for (;;) {
      const snap = await this.snapshot();
      if (!snap.containers.some((c) => c.state.id === id)) {
        const ms = Date.now() - start;
        this.emit({
          kind: 'state-gone',
          service: svc,
          container,
          message: `  ${container}: state file gone after ${ms} ms (waited for it, unlike Nucleus, so a new create cannot hit "already exists")`,
        });
        return;
      }
      if (Date.now() - start >= this.timing.stateGoneTimeoutMs) {
        this.emit({
          kind: 'warning',
          service: svc,
          container,
          message: `  Warning: the state file of ${container} (${id}) is still there after ${this.timing.stateGoneTimeoutMs} ms: a new create with this name will fail with "already exists" (remove it with 'nucleus delete ${id}')`,
        });
        return;
      }
      await this.sleep(this.timing.pollMs);
    }
  }

  /** Phase 2 for one service: volumes, argument list, detached create, then wait Started. */
  async startService(
    analysis: Analysis,
    topology: Topology,
    svc: string,
    hash: string,
    logFile: string,
  ): Promise<void> {
    const container = `${topology.name}-${svc}`;
    const def = topology.services.get(svc);
    if (def === undefined)
      throw new ApplyError(`Configuration error: Service '${svc}' not found in topology`);
    this.checkAborted();
    this.emit({ kind: 'starting', service: svc, container, message: `  Starting ${container}...` });
    const volumes = prepareServiceVolumes(topology, svc);
    if (!volumes.ok) throw new ApplyError(`Configuration error: ${volumes.error}`);
    const built = buildRunArgs(topology, svc, {
      hash,
      version: analysis.version,
      ...(this.options.root !== undefined ? { root: this.options.root } : {}),
      secretsFd: 3,
      canonicalPath: (p) => volumes.canonical.get(p) ?? p,
    });
    if ('error' in built) throw new ApplyError(built.error);
    const args = built.args.slice(1);
    let proc: CreateProcess;
    try {
      proc = await this.options.cli.spawnCreate(args, {
        logFile,
        ...(def.secrets.length > 0 ? { secrets: secretsPayload(def) } : {}),
        header: `==> ${new Date().toISOString()} nucleus-topology apply: ${this.options.cli.binary} ${args.join(' ')}\n`,
      });
    } catch (error) {
      throw new ApplyError(
        `Process execution failed: Failed to start service ${container}: ${errorMessage(error)}`,
      );
    }
    this.created.set(svc, proc);
    this.emit({
      kind: 'spawned',
      service: svc,
      container,
      message: `  ${container}: nucleus create running as pid ${proc.pid}, logging to ${logFile}`,
    });
    await this.waitStarted(container, svc, proc);
  }

  /** wait_for_started: poll every 100 ms up to 10 s until resolve_container finds a running state. */
  async waitStarted(container: string, svc: string, proc: CreateProcess): Promise<void> {
    const start = Date.now();
    const timeoutS = Math.round(this.timing.startTimeoutMs / 1000);
    for (;;) {
      const found = resolveContainer((await this.snapshot()).containers, container);
      if ('ok' in found && found.ok.running) {
        this.emit({
          kind: 'started',
          service: svc,
          container,
          message: `  ${container} is running (pid ${found.ok.state.pid})`,
        });
        return;
      }
      const exit = proc.exit();
      if (exit !== null) {
        // Nucleus would keep polling for the full 10 s; the supervisor is gone, so say why now.
        const how = exit.code !== null ? `status ${exit.code}` : `signal ${exit.signal ?? '?'}`;
        throw new ApplyError(
          `Process execution failed: Service ${container} failed to register state: nucleus create exited with ${how}` +
            logTail(proc.logFile),
        );
      }
      if (Date.now() - start >= this.timing.startTimeoutMs) {
        throw new ApplyError(
          'ok' in found
            ? `Process execution failed: Service ${container} did not enter running state within ${timeoutS}s`
            : `Process execution failed: Service ${container} failed to register state within ${timeoutS}s: ${found.error}` +
                logTail(proc.logFile),
        );
      }
      await this.sleep(this.timing.pollMs);
    }
  }

  /** wait_for_healthy: lookup, running check, allow-list, `attach … /bin/sh -c <cmd>` (5 s), 1 s apart, until T. */
  async waitHealthy(topology: Topology, svc: string): Promise<void> {
    const container = `${topology.name}-${svc}`;
    const def = topology.services.get(svc);
    const cmd = def?.health_check ?? null;
    if (def === undefined || cmd === null) {
      throw new ApplyError(
        `Configuration error: Service '${svc}' must define health_check to satisfy healthy dependencies`,
      );
    }
    const formula = healthTimeoutSeconds(def.health_interval);
    const limitS =
      this.timing.healthTimeoutSeconds ?? (formula > 1_000_000_000n ? 1_000_000_000 : Number(formula));
    const start = Date.now();
    this.emit({
      kind: 'waiting-healthy',
      service: svc,
      container,
      message: `  Waiting for ${container} to become healthy (up to ${limitS}s): ${cmd}`,
    });
    let probes = 0;
    for (;;) {
      const found = resolveContainer((await this.snapshot()).containers, container);
      if ('error' in found) throw new ApplyError(found.error + this.createdLogTail(svc));
      if (!found.ok.running) {
        throw new ApplyError(
          `Process execution failed: Service ${container} exited before becoming healthy${this.createdLogTail(svc)}`,
        );
      }
      const valid = validateHealthCheckCommand(cmd);
      if (!valid.ok) throw new ApplyError(`Configuration error: ${valid.error}`);
      probes++;
      const r = await this.options.cli.attach(
        container,
        ['/bin/sh', '-c', cmd],
        this.timing.probeTimeoutMs,
        this.options.signal,
      );
      this.checkAborted();
      if (r.exitCode === 0) {
        this.emit({
          kind: 'healthy',
          service: svc,
          container,
          message: `  ${container} is healthy (probe ${probes}, ${((Date.now() - start) / 1000).toFixed(1)}s)`,
        });
        return;
      }
      const why = r.timedOut
        ? `timed out after ${this.timing.probeTimeoutMs / 1000}s`
        : r.spawnError !== undefined
          ? r.spawnError
          : `exit status ${r.exitCode ?? '?'}`;
      this.emit({
        kind: 'probe-failed',
        service: svc,
        container,
        message: `  ${container}: health probe ${probes} failed (${why})`,
      });
      if (Date.now() - start >= limitS * 1000) {
        throw new ApplyError(
          `Process execution failed: Service ${container} did not become healthy within ${limitS}s`,
        );
      }
      await this.sleep(this.timing.probeIntervalMs);
    }
  }

  private createdLogTail(svc: string): string {
    const proc = this.created.get(svc);
    return proc ? logTail(proc.logFile) : '';
  }
}

function logTail(file: string): string {
  const tail = readLogTail(file, 15);
  if (tail.length === 0) return '';
  return `\nLast lines of ${file}:\n${tail.map((l) => `  | ${l}`).join('\n')}`;
}
