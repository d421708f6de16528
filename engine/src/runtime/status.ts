// The per-service status of a topology read from the state directory (spec §6.4): status, pid, uptime and drift.

import type { Analysis } from '../model.js';
import {
  analysisErrorCount,
  chosenContainer,
  observedRun,
  serviceRuntimeStatus,
  type ServiceDrift,
} from './drift.js';
import type { ContainerStatus, ObservedContainer, StateSnapshot } from './state.js';

/**
 * The drift column: {@link ServiceDrift} of a running service (in-sync, changed, no-hash, unknown when the file has
 * errors), not-running otherwise. Decided by serviceRuntimeStatus, as the Services view and the lenses decide it.
 */
export type Drift = ServiceDrift | 'not-running';

/** One service of the file. */
export interface ServiceStatus {
  service: string;
  container: string;
  /** The stored status when running, 'stopped' for a stale file, 'not found' without a state file. */
  status: ContainerStatus | 'not found';
  running: boolean;
  pid: number | null;
  /** Seconds since `started_at`, when running. */
  uptimeSeconds: number | null;
  drift: Drift;
  /** The running container's hash (u64 decimal) or null. */
  configHash: string | null;
  /** The file's hash for the service, when known. */
  desiredHash: string | null;
  id?: string;
  file?: string;
  /** e.g. "2 containers with this name (ambiguous for nucleus)", or why a stale one is not running. */
  note?: string;
}

/** A `<topo>-…` container that is not a service of the file (`compose up` would stop it if running). */
export interface OtherContainer {
  container: string;
  /** The name minus the `<topo>-` prefix. */
  service: string;
  running: boolean;
  status: ContainerStatus;
  pid: number;
  id: string;
  file: string;
}

/** What `state FILE` shows. Plain data. */
export interface TopologyStatus {
  topology: string;
  stateDir: string | null;
  /** Services in key order. */
  services: ServiceStatus[];
  others: OtherContainer[];
  /** State files skipped and the directory error, as messages. */
  problems: string[];
}

/**
 * Builds the status table; needs only a decodable topology (Nucleus's `compose state` never validates). The drift
 * of a running service is unknown when the file has errors (as in the editor).
 */
export function computeTopologyStatus(
  analysis: Pick<Analysis, 'topology' | 'hashes' | 'issues' | 'nucleusError'>,
  snapshot: StateSnapshot,
  now: number = Date.now(),
): TopologyStatus | { error: string } {
  const topology = analysis.topology;
  if (topology === null) return { error: 'the topology could not be decoded' };
  const prefix = `${topology.name}-`;
  const byName = new Map<string, ObservedContainer[]>();
  for (const c of snapshot.containers) {
    const list = byName.get(c.state.name);
    if (list) list.push(c);
    else byName.set(c.state.name, [c]);
  }
  const services: ServiceStatus[] = [];
  const errors = analysisErrorCount(analysis);
  for (const svc of topology.services.keys()) {
    const container = prefix + svc;
    const desired = analysis.hashes.get(svc) ?? null;
    const all = byName.get(container) ?? [];
    // The one plan_reconcile would use: the last running state read.
    const chosen = chosenContainer(all);
    if (chosen === undefined) {
      services.push({
        service: svc,
        container,
        status: 'not found',
        running: false,
        pid: null,
        uptimeSeconds: null,
        drift: 'not-running',
        configHash: null,
        desiredHash: desired,
      });
      continue;
    }
    const s = chosen.state;
    const verdict = serviceRuntimeStatus(observedRun(chosen), { hash: desired, errors });
    const row: ServiceStatus = {
      service: svc,
      container,
      status: chosen.running ? s.status : 'stopped',
      running: chosen.running,
      pid: chosen.running ? s.pid : null,
      uptimeSeconds: chosen.running ? Math.max(0, Math.floor(now / 1000) - s.started_at) : null,
      drift: verdict.drift ?? 'not-running',
      configHash: s.config_hash,
      desiredHash: desired,
      id: s.id,
      file: chosen.file,
    };
    if (all.length > 1)
      row.note = `${all.length} state files named ${container} (nucleus finds the name ambiguous)`;
    else if (!chosen.running) row.note = `stale state file ${chosen.file}: ${chosen.liveness}`;
    else if (verdict.drift === 'unknown' && verdict.driftReason !== null) row.note = verdict.driftReason;
    services.push(row);
  }
  const others: OtherContainer[] = [];
  for (const c of snapshot.containers) {
    if (!c.state.name.startsWith(prefix)) continue;
    const svc = c.state.name.slice(prefix.length);
    if (topology.services.has(svc)) continue;
    others.push({
      container: c.state.name,
      service: svc,
      running: c.running,
      status: c.running ? c.state.status : 'stopped',
      pid: c.state.pid,
      id: c.state.id,
      file: c.file,
    });
  }
  const problems = snapshot.problems.map((p) => `${p.file}: ${p.message}`);
  if (snapshot.error !== undefined) problems.unshift(snapshot.error);
  return { topology: topology.name, stateDir: snapshot.dir, services, others, problems };
}

/** "3d4h", "5m12s", "42s". */
export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The table `state FILE` prints (Nucleus's `{:<25} {:<10} {:<10}` columns, then ours). */
export function formatTopologyStatus(status: TopologyStatus): string {
  const drift: Record<Drift, string> = {
    'in-sync': 'in sync',
    changed: 'changed',
    'no-hash': 'no hash',
    unknown: 'unknown',
    'not-running': 'not running',
  };
  const row = (a: string, b: string, c: string, d: string, e: string) =>
    `${a.padEnd(25)} ${b.padEnd(10)} ${c.padEnd(10)} ${d.padEnd(10)} ${e}`.trimEnd();
  const lines = [row('SERVICE', 'STATUS', 'PID', 'UPTIME', 'DRIFT')];
  for (const s of status.services) {
    lines.push(
      row(
        s.service,
        s.status === 'not found' ? 'Not found' : s.status,
        s.pid === null ? '-' : String(s.pid),
        s.uptimeSeconds === null ? '-' : formatUptime(s.uptimeSeconds),
        drift[s.drift] + (s.note !== undefined ? `  (${s.note})` : ''),
      ),
    );
  }
  if (status.others.length > 0) {
    lines.push('');
    lines.push(`Containers named '${status.topology}-…' that are not services of this file:`);
    for (const o of status.others) {
      lines.push(
        `  ${o.container} (${o.running ? `${o.status}, pid ${o.pid}: 'apply' would stop it` : 'not running, stale state file'})`,
      );
    }
  }
  for (const p of status.problems) lines.push(`Warning: ${p}`);
  return lines.join('\n') + '\n';
}
