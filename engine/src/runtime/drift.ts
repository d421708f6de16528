// A declared service's runtime status and drift against its file, decided in one place for the Services view
// (overview.ts), the language server's status lenses and `nucleus-topology state` (status.ts), so they never
// disagree. Pure: no I/O.

import type { Analysis } from '../model.js';
import type { ContainerStatus, ObservedContainer } from './state.js';

/** running: is_running with status running; starting: is_running while `creating`/`created`; stopped: a stale file. */
export type ServiceRunStatus = 'running' | 'starting' | 'stopped' | 'not-started';

/**
 * in-sync: the container runs with the file's change hash; changed: it runs with another hash; no-hash: it runs
 * without one (apply restarts both); unknown: the file's hash cannot be trusted (the file has errors, or the
 * service's table does not decode exactly as Nucleus reads it).
 */
export type ServiceDrift = 'in-sync' | 'changed' | 'no-hash' | 'unknown';

/** The container a service uses, as observed (state file + liveness); what the client also sends the server. */
export interface ObservedRun {
  /** The state file's `status`. */
  status: ContainerStatus;
  /** §6.3 is_running. */
  running: boolean;
  /** Its `config_hash` (u64 decimal), null when it has none. */
  configHash: string | null;
}

/**
 * The state file `compose up` uses for a name: the last running one read (as `plan_reconcile`), else the last one.
 * Undefined when there is none.
 */
export function chosenContainer<T extends { running: boolean }>(all: readonly T[]): T | undefined {
  let chosen: T | undefined;
  for (const c of all) if (c.running) chosen = c;
  return chosen ?? all[all.length - 1];
}

/** The part of a state file as read that decides status and drift. */
export function observedRun(c: ObservedContainer): ObservedRun {
  return { status: c.state.status, running: c.running, configHash: c.state.config_hash };
}

/** What the file says about the service. */
export interface FileSide {
  /** The service's change hash, null when its table does not decode exactly. */
  hash: string | null;
  /** Error-level problems in the file ({@link fileErrorCount}). */
  errors: number;
}

export interface ServiceRuntimeStatus {
  status: ServiceRunStatus;
  /** Null when the service is not running or starting (apply starts it whatever the hash). */
  drift: ServiceDrift | null;
  /** Why the drift is what it is, in words; null with `drift`. */
  driftReason: string | null;
  /** Whether apply would restart it (changed or no hash). */
  restart: boolean;
}

/**
 * Status and drift of one declared service. `container` is the one `compose up` would use (the last running state
 * file with the name, else the last one), undefined when there is no state file.
 */
export function serviceRuntimeStatus(
  container: ObservedRun | undefined,
  file: FileSide,
): ServiceRuntimeStatus {
  if (container === undefined)
    return { status: 'not-started', drift: null, driftReason: null, restart: false };
  if (!container.running) return { status: 'stopped', drift: null, driftReason: null, restart: false };
  const status: ServiceRunStatus =
    container.status === 'creating' || container.status === 'created' ? 'starting' : 'running';
  const verdict = (drift: ServiceDrift, driftReason: string): ServiceRuntimeStatus => ({
    status,
    drift,
    driftReason,
    restart: drift === 'changed' || drift === 'no-hash',
  });
  if (file.errors > 0) {
    return verdict(
      'unknown',
      `the file has ${file.errors} error${file.errors === 1 ? '' : 's'}: 'apply' would refuse it`,
    );
  }
  if (file.hash === null) {
    return verdict(
      'unknown',
      "the service's table does not decode as Nucleus reads it: its change hash is unknown",
    );
  }
  if (container.configHash === null)
    return verdict('no-hash', "running without a config hash: 'apply' restarts it");
  if (container.configHash === file.hash)
    return verdict('in-sync', 'running with the same config hash as the file');
  return verdict(
    'changed',
    `config changed (hash ${container.configHash} → ${file.hash}): 'apply' restarts it`,
  );
}

/** How a drift reads next to a service (tree, lenses): `in sync`, `changed`, `no hash`, `drift unknown`. */
export function driftLabel(drift: ServiceDrift): string {
  switch (drift) {
    case 'in-sync':
      return 'in sync';
    case 'changed':
      return 'changed';
    case 'no-hash':
      return 'no hash';
    case 'unknown':
      return 'drift unknown';
  }
}

/**
 * Error-level problems of a file, from the number of error issues and Nucleus's own first error: that error is
 * normally one of the issues, and counts as one when it is not. Drift cannot be trusted when this is not 0.
 */
export function fileErrorCount(errorIssues: number, nucleusError: unknown): number {
  return errorIssues === 0 && nucleusError !== null && nucleusError !== undefined ? 1 : errorIssues;
}

/** {@link fileErrorCount} of an engine analysis. */
export function analysisErrorCount(analysis: Pick<Analysis, 'issues' | 'nucleusError'>): number {
  let errors = 0;
  for (const issue of analysis.issues) if (issue.severity === 'error') errors++;
  return fileErrorCount(errors, analysis.nucleusError);
}
