// Restarts one service of a topology: what `compose up` does for a Restart step (stop, wait for the state file to
// go, create with the file's hash, wait Started, then Healthy when a dependent needs it), for that service only.

import { postStartWait } from '../graph.js';
import type { Analysis, Issue } from '../model.js';
import {
  ApplyError,
  Cancelled,
  Context,
  defaultLogDir,
  serviceLogFile,
  type ApplyEvent,
  type ApplyOptions,
} from './apply.js';
import { resolveContainer } from './state.js';

export type RestartStatus = 'ok' | 'failed' | 'refused' | 'cancelled';

export interface RestartResult {
  status: RestartStatus;
  /** Nucleus's error text (without `Error: `), or why it was refused or stopped. */
  error?: string;
  /** For 'refused' because of the file: its errors. */
  issues?: Issue[];
  /** Whether a running container was stopped first (false: the service was not running, it was only started). */
  stopped: boolean;
  /** The service's log file (written from this start on). */
  logFile?: string;
  /** Dependencies that are not running (the service is started anyway, as `up` would have started them first). */
  dependenciesNotRunning: string[];
  /** Running dependents that keep running without a restart (`compose up` does not restart them either, E11). */
  dependentsNotRestarted: string[];
}

export type RestartOptions = Omit<ApplyOptions, 'expectFingerprint' | 'knownTopologies'>;

/**
 * Restarts (or starts, when not running) service `service` of the analysed file. Refuses what `applyTopology`
 * refuses (a file with errors) and a service the file does not declare. Other services are left alone.
 */
export async function restartService(
  analysis: Analysis,
  service: string,
  options: RestartOptions,
): Promise<RestartResult> {
  const result: RestartResult = {
    status: 'ok',
    stopped: false,
    dependenciesNotRunning: [],
    dependentsNotRestarted: [],
  };
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  const topology = analysis.topology;
  const graph = analysis.graph;
  if (errors.length > 0 || analysis.nucleusError !== null || topology === null || graph === null) {
    result.status = 'refused';
    result.issues = errors;
    result.error =
      analysis.nucleusError?.message ??
      `the file has ${errors.length} error${errors.length === 1 ? '' : 's'}`;
    return result;
  }
  const hash = analysis.hashes.get(service);
  if (!topology.services.has(service) || hash === undefined) {
    result.status = 'refused';
    result.error = `Configuration error: Service '${service}' not found in topology`;
    return result;
  }
  const ctx = new Context({
    ...options,
    onProgress: (event: ApplyEvent) => {
      if (event.kind === 'stopped' && event.service === service) result.stopped = true;
      options.onProgress?.(event);
    },
  });
  const container = `${topology.name}-${service}`;
  const isRunning = async (svc: string): Promise<boolean> => {
    const found = resolveContainer((await ctx.snapshot()).containers, `${topology.name}-${svc}`);
    return 'ok' in found && found.ok.running;
  };
  try {
    ctx.emit({
      kind: 'begin',
      service,
      container,
      message: `Restarting service '${service}' of topology '${topology.name}'...`,
    });
    for (const dep of new Set((graph.edges.get(service) ?? []).map((e) => e.service))) {
      if (!(await isRunning(dep))) result.dependenciesNotRunning.push(dep);
    }
    if (result.dependenciesNotRunning.length > 0) {
      ctx.emit({
        kind: 'warning',
        service,
        container,
        message: `  Warning: ${service} depends on ${result.dependenciesNotRunning.join(', ')}, not running: 'apply' would start ${result.dependenciesNotRunning.length === 1 ? 'it' : 'them'} first`,
      });
    }
    await ctx.stopForApply(topology.name, service);
    const logFile = serviceLogFile(options.logDir ?? defaultLogDir(options.env), topology.name, service);
    result.logFile = logFile;
    await ctx.startService(analysis, topology, service, hash, logFile);
    if (postStartWait(graph, service) === 'Healthy') await ctx.waitHealthy(topology, service);
    for (const dependent of new Set(graph.dependents.get(service) ?? [])) {
      if (await isRunning(dependent)) result.dependentsNotRestarted.push(dependent);
    }
    if (result.dependentsNotRestarted.length > 0) {
      ctx.emit({
        kind: 'warning',
        service,
        container,
        message: `  Note: ${result.dependentsNotRestarted.join(', ')} depend${result.dependentsNotRestarted.length === 1 ? 's' : ''} on ${service} and keep${result.dependentsNotRestarted.length === 1 ? 's' : ''} running without a restart (as with 'nucleus compose up')`,
      });
    }
  } catch (error) {
    if (error instanceof Cancelled) {
      result.status = 'cancelled';
      result.error = 'cancelled';
      ctx.emit({ kind: 'failed', service, message: 'Cancelled' });
      return result;
    }
    if (error instanceof ApplyError) {
      result.status = 'failed';
      result.error = error.message;
      ctx.emit({ kind: 'failed', service, message: `Error: ${error.message}`, nucleus: true });
      return result;
    }
    throw error;
  }
  ctx.emit({ kind: 'done', service, container, message: `Service ${container} is up` });
  return result;
}
