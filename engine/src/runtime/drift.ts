// A declared service's runtime status and drift against its file, decided in one place for the Services view
// (overview.ts), the language server's status lenses and `nucleus-topology state` (status.ts), so they never
// disagree; and which running values (memory, cpus, command) differ from the file, for the server's inlay hints.
// Pure: no I/O.

import type { Analysis, ServiceDef } from '../model.js';
import { parseMemory } from '../values/memory.js';
import { maskArgv } from './mask.js';
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

// ---------------------------------------------------------------------------------------------------------------
// What runs differently from the file, as far as the state file tells (spec §6.2): memory, cpus, command.

/** The state file's values that can be compared with the file. */
export interface RunningConfig {
  /** `memory_limit` in bytes; null = no limit. */
  memoryLimit: number | null;
  /** `cpu_limit` in millicores; null = no limit. */
  cpuLimit: number | null;
  /** The workload argv; compared with the file's after masking both alike ({@link maskArgv}). */
  command: readonly string[];
}

export interface ConfigDifference {
  key: 'memory' | 'cpus' | 'command';
  /** The running value, written as the file would write it: `512M`, `0.5`, `["/bin/api", "--port", "80"]`. */
  running: string;
  /** The state file's value in full (bytes, millicores, the whole argv), for a tooltip. */
  detail: string;
}

const MEMORY_UNITS: readonly [string, number][] = [
  ['T', 1024 ** 4],
  ['G', 1024 ** 3],
  ['M', 1024 ** 2],
  ['K', 1024],
];

/** Bytes as a `memory` value: the largest of T, G, M, K that divides it exactly, else the number of bytes. */
export function formatMemoryValue(bytes: number): string {
  for (const [unit, size] of MEMORY_UNITS)
    if (bytes > 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  return String(bytes);
}

/**
 * `cpus` as Nucleus stores it: millicores = floor(cpus × 100000) × 1000 / 100000 (the cgroup quota per 100 ms
 * period, in integer arithmetic), so 0.29 is 289, not 290. Null when `cpus` is not a valid limit.
 */
export function cpusToMillicores(cpus: number): number | null {
  if (!Number.isFinite(cpus) || cpus <= 0 || cpus > 65536) return null;
  return Math.floor((Math.floor(cpus * 100000) * 1000) / 100000);
}

/** A TOML array of strings (basic strings, JSON escapes are valid TOML escapes). */
function tomlStringArray(values: readonly string[]): string {
  return `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
}

/**
 * The running values of `memory`, `cpus` and `command` that differ from the file's (the file's decoded service).
 * A file value that is itself invalid is not compared (the engine reports it). Pure.
 */
export function runningConfigDifferences(
  service: Pick<ServiceDef, 'memory' | 'cpus' | 'command'>,
  running: RunningConfig,
): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  const memory = parseMemory(service.memory);
  if (memory.ok && (running.memoryLimit === null || BigInt(running.memoryLimit) !== memory.value)) {
    out.push(
      running.memoryLimit === null
        ? { key: 'memory', running: 'no limit', detail: 'memory_limit: none' }
        : {
            key: 'memory',
            running: formatMemoryValue(running.memoryLimit),
            detail: `memory_limit: ${running.memoryLimit.toLocaleString('en-US')} bytes`,
          },
    );
  }
  const millicores = cpusToMillicores(service.cpus);
  if (millicores !== null && running.cpuLimit !== millicores) {
    out.push(
      running.cpuLimit === null
        ? { key: 'cpus', running: 'no limit', detail: 'cpu_limit: none' }
        : {
            key: 'cpus',
            running: String(running.cpuLimit / 1000),
            detail: `cpu_limit: ${running.cpuLimit} millicores (the file's cpus = ${millicores} millicores)`,
          },
    );
  }
  const fileCommand = maskArgv(service.command);
  if (
    fileCommand.length !== running.command.length ||
    fileCommand.some((arg, i) => arg !== running.command[i])
  ) {
    const argv = tomlStringArray(running.command);
    out.push({ key: 'command', running: argv, detail: `command: ${argv}` });
  }
  return out;
}
