// The model of the running-services view: topologies → services with status, pid, uptime and drift, built from
// the workspace's topology files and one state-directory snapshot (spec §6.3–§6.4, E5). Pure: no I/O, no clock.

import type { Analysis } from '../model.js';
import {
  analysisErrorCount,
  chosenContainer,
  observedRun,
  serviceRuntimeStatus,
  type ServiceDrift,
  type ServiceRunStatus,
} from './drift.js';
import { maskArgv, maskEntries } from './mask.js';
import type { ContainerStatus, ObservedContainer, StateSnapshot } from './state.js';

export type { ServiceRunStatus } from './drift.js';
export { isSecretLookingKey, isSecretLookingValue, maskArgv, maskEntries, MASKED } from './mask.js';

/** What the overview needs to know about one topology file (from an engine Analysis or the server's summary). */
export interface OverviewAnalysis {
  /** The topology `name`, null when the file has none that decodes. */
  name: string | null;
  /** The file's services in key order, with their change hash (u64 decimal) when their table is exact. */
  services: readonly { name: string; hash: string | null }[];
  /** Error-level problems in the file (Nucleus's own error included): drift cannot be trusted then. */
  errors: number;
}

export interface OverviewTopologyInput {
  /** Where the file is (a URI or a path: the overview only carries it). */
  uri: string;
  analysis: OverviewAnalysis;
}

/** A service's drift in the view: {@link ServiceDrift} (null on the row when it is not running). */
export type OverviewDrift = ServiceDrift;

/** The state file's fields, ready to show: secret-looking values are already masked. */
export interface ContainerDetails {
  id: string;
  /** The state file's name in the state directory. */
  file: string;
  status: ContainerStatus;
  /** Why it counts as (not) running (§6.3), in words. */
  liveness: string;
  pid: number;
  /** Unix seconds. */
  startedAt: number;
  /** The workload argv, secret-looking arguments masked. */
  command: string[];
  memoryLimit: number | null;
  /** Millicores. */
  cpuLimit: number | null;
  usingGvisor: boolean;
  rootless: boolean;
  cgroupPath: string | null;
  configHash: string | null;
  creatorUid: number;
  processUid: number;
  processGid: number;
  bundlePath: string | null;
  /** 0.3.9 */
  workdir?: string;
  /** 0.3.9 launch environment in key order; secret-looking values replaced by {@link MASKED}. */
  environment?: [string, string][];
  annotations: [string, string][];
}

/** One row of the view: a service of a file, or a container the files do not declare. */
export interface ServiceOverview {
  /** The topology it is listed under; null in the "other containers" group. */
  topology: string | null;
  /** The service name (`<svc>` of `<topo>-<svc>`); for other containers, the container name. */
  service: string;
  container: string;
  /** True for a service of the file; false for a container named `<topo>-…` the file does not declare. */
  declared: boolean;
  status: ServiceRunStatus;
  /** Set when running or starting. */
  pid: number | null;
  /** Seconds since `started_at`, when running or starting. */
  uptimeSeconds: number | null;
  drift: OverviewDrift | null;
  /** Why the drift is what it is, in words ("hash 1 → 2", "the file has 2 errors"). */
  driftReason: string | null;
  /** The file's hash for the service (declared services only). */
  fileHash: string | null;
  /** The state file of the container used (the one `compose up` would use), null when there is none. */
  details: ContainerDetails | null;
  /** How many state files carry this container name (more than one: refer to it by id, the name is ambiguous). */
  stateFiles: number;
  /** Things the user should know: ambiguous names, stale files, E5 prefix claims. */
  notes: string[];
}

export interface TopologyOverview {
  uri: string;
  name: string | null;
  /** Declared services in key order, then undeclared `<name>-…` containers by name. */
  services: ServiceOverview[];
  errors: number;
  /** E5: this topology's name is a `-`-prefix of another known one, and what `compose up` would stop because of it. */
  warnings: string[];
  counts: { running: number; starting: number; stopped: number; notStarted: number; changed: number };
}

export interface RuntimeOverview {
  topologies: TopologyOverview[];
  /** Containers no known topology declares or claims by prefix, by name. */
  others: ServiceOverview[];
  stateDir: string | null;
  /** The directory error and skipped state files, as messages. */
  problems: string[];
  /** When the snapshot was read (ms). */
  readAt: number;
}

/** The overview input of an engine analysis. */
export function overviewAnalysisOf(
  analysis: Pick<Analysis, 'topology' | 'hashes' | 'issues' | 'nucleusError'>,
): OverviewAnalysis {
  const topology = analysis.topology;
  return {
    // A decoded topology without a usable name has '' (Nucleus rejects it): no container can be its.
    name: topology === null || topology.name === '' ? null : topology.name,
    services: [...(topology?.services.keys() ?? [])].map((name) => ({
      name,
      hash: analysis.hashes.get(name) ?? null,
    })),
    errors: analysisErrorCount(analysis),
  };
}

/**
 * Builds the view. A declared service uses the container named exactly `<topo>-<svc>` (the last running one, as
 * `plan_reconcile`; else the last stale one). A container no file declares goes to the topology with the LONGEST
 * name it starts with (`<topo>-`), so `app-db-x` sits under `app-db` when `app` is known too (E5); otherwise to
 * `others`. Topologies are sorted by name then uri. Linear in files + containers (names are at most 128 chars).
 */
export function buildRuntimeOverview(
  topologies: readonly OverviewTopologyInput[],
  snapshot: StateSnapshot,
  now: number,
): RuntimeOverview {
  const byName = new Map<string, ObservedContainer[]>();
  for (const c of snapshot.containers) {
    const list = byName.get(c.state.name);
    if (list) list.push(c);
    else byName.set(c.state.name, [c]);
  }
  // topology name → its files; name → declared service names (union over files of that name).
  const filesByName = new Map<string, OverviewTopologyInput[]>();
  const declaredByName = new Map<string, Set<string>>();
  for (const t of topologies) {
    const name = t.analysis.name;
    if (name === null) continue;
    const files = filesByName.get(name);
    if (files) files.push(t);
    else filesByName.set(name, [t]);
    const declared = declaredByName.get(name) ?? new Set<string>();
    for (const s of t.analysis.services) declared.add(s.name);
    declaredByName.set(name, declared);
  }

  const nowSeconds = Math.floor(now / 1000);
  const undeclaredByTopology = new Map<string, ServiceOverview[]>();
  const others: ServiceOverview[] = [];
  for (const [container, all] of byName) {
    const owners = knownPrefixes(container, filesByName);
    if (owners.some((t) => declaredByName.get(t)?.has(container.slice(t.length + 1)) === true)) continue;
    const owner = owners[owners.length - 1];
    const service = owner === undefined ? container : container.slice(owner.length + 1);
    const row = containerRow(owner ?? null, service, container, all, nowSeconds);
    if (owner === undefined) {
      others.push(row);
      continue;
    }
    const shorter = owners.slice(0, -1);
    if (shorter.length > 0 && anyRunning(all)) {
      row.notes.push(
        `'apply' of ${shorter.map((t) => `'${t}'`).join(', ')} would stop it too: Nucleus claims every container whose name starts with the topology name and '-' (E5)`,
      );
    }
    const list = undeclaredByTopology.get(owner) ?? [];
    list.push(row);
    undeclaredByTopology.set(owner, list);
  }

  const knownNames = [...filesByName.keys()];
  const result: TopologyOverview[] = [];
  for (const t of topologies) {
    const { analysis } = t;
    const name = analysis.name;
    const services: ServiceOverview[] = [];
    if (name !== null) {
      for (const svc of analysis.services) {
        const container: string = `${name}-${svc.name}`;
        const all = byName.get(container) ?? [];
        const row = containerRow(name, svc.name, container, all, nowSeconds);
        row.declared = true;
        row.fileHash = svc.hash;
        const chosen = chosenContainer(all);
        const verdict = serviceRuntimeStatus(chosen && observedRun(chosen), {
          hash: svc.hash,
          errors: analysis.errors,
        });
        row.drift = verdict.drift;
        row.driftReason = verdict.driftReason;
        // E5 collision: `app` + service `db-x` and `app-db` + service `x` are both the container `app-db-x`.
        for (const other of knownPrefixes(container, filesByName)) {
          const rest: string = container.slice(other.length + 1);
          if (other !== name && declaredByName.get(other)?.has(rest) === true) {
            row.notes.push(
              `the container name ${container} is also service '${rest}' of topology '${other}': both files claim the same container (E5)`,
            );
          }
        }
        services.push(row);
      }
      const undeclared = (undeclaredByTopology.get(name) ?? [])
        .slice()
        .sort((a, b) => cmp(a.container, b.container));
      for (const shared of undeclared) {
        // Shared by every file of this name: each file gets its own copy.
        const row = { ...shared, notes: [...shared.notes] };
        row.notes.unshift(
          anyRunningRow(row)
            ? "not a service of this file: 'apply' would stop it"
            : 'not a service of this file (stale state file)',
        );
        services.push(row);
      }
    }
    result.push({
      uri: t.uri,
      name,
      services,
      errors: analysis.errors,
      warnings: name === null ? [] : prefixWarnings(name, knownNames, byName),
      counts: countServices(services),
    });
  }
  result.sort((a, b) => cmp(a.name ?? '', b.name ?? '') || cmp(a.uri, b.uri));
  others.sort((a, b) => cmp(a.container, b.container));

  const problems = snapshot.problems.map((p) => `${p.file}: ${p.message}`);
  if (snapshot.error !== undefined) problems.unshift(snapshot.error);
  return { topologies: result, others, stateDir: snapshot.dir, problems, readAt: snapshot.readAt };
}

/** Known topology names T with `container` starting with `T-`, shortest first (at most one per `-` position). */
function knownPrefixes(container: string, known: ReadonlyMap<string, unknown>): string[] {
  const out: string[] = [];
  for (let i = container.indexOf('-'); i > 0; i = container.indexOf('-', i + 1)) {
    const prefix = container.slice(0, i);
    if (known.has(prefix)) out.push(prefix);
  }
  return out;
}

function containerRow(
  topology: string | null,
  service: string,
  container: string,
  all: readonly ObservedContainer[],
  nowSeconds: number,
): ServiceOverview {
  const chosen = chosenContainer(all);
  const row: ServiceOverview = {
    topology,
    service,
    container,
    declared: false,
    status: 'not-started',
    pid: null,
    uptimeSeconds: null,
    drift: null,
    driftReason: null,
    fileHash: null,
    details: null,
    stateFiles: all.length,
    notes: [],
  };
  if (chosen === undefined) return row;
  const s = chosen.state;
  row.details = detailsOf(chosen);
  // The status only: the drift needs the file's side, which only declared services have.
  row.status = serviceRuntimeStatus(observedRun(chosen), { hash: null, errors: 0 }).status;
  if (chosen.running) {
    row.pid = s.pid;
    row.uptimeSeconds = Math.max(0, nowSeconds - s.started_at);
  } else {
    row.notes.push(`stale state file ${chosen.file}: ${chosen.liveness}`);
  }
  if (all.length > 1) {
    row.notes.push(
      `${all.length} state files are named ${container}: nucleus finds the name ambiguous (use the container id)`,
    );
  }
  return row;
}

function detailsOf(c: ObservedContainer): ContainerDetails {
  const s = c.state;
  const details: ContainerDetails = {
    id: s.id,
    file: c.file,
    status: s.status,
    liveness: c.liveness,
    pid: s.pid,
    startedAt: s.started_at,
    command: maskArgv(s.command),
    memoryLimit: s.memory_limit,
    cpuLimit: s.cpu_limit,
    usingGvisor: s.using_gvisor,
    rootless: s.rootless,
    cgroupPath: s.cgroup_path,
    configHash: s.config_hash,
    creatorUid: s.creator_uid,
    processUid: s.process_uid,
    processGid: s.process_gid,
    bundlePath: s.bundle_path,
    annotations: maskEntries(s.annotations),
  };
  if (s.workdir !== undefined) details.workdir = s.workdir;
  if (s.environment !== undefined) details.environment = maskEntries(s.environment);
  return details;
}

function anyRunning(all: readonly ObservedContainer[]): boolean {
  return all.some((c) => c.running);
}

function anyRunningRow(row: ServiceOverview): boolean {
  return row.status === 'running' || row.status === 'starting';
}

/** E5 warnings of a topology whose name is a `-`-prefix of other known topologies. */
function prefixWarnings(
  name: string,
  knownNames: readonly string[],
  byName: ReadonlyMap<string, readonly ObservedContainer[]>,
): string[] {
  const longer = knownNames.filter((n) => n.startsWith(`${name}-`)).sort(cmp);
  if (longer.length === 0) return [];
  const claimed: string[] = [];
  for (const [container, all] of byName) {
    if (anyRunning(all) && longer.some((n) => container.startsWith(`${n}-`))) claimed.push(container);
  }
  claimed.sort(cmp);
  return [
    `the name '${name}' is a prefix of topology ${longer.map((n) => `'${n}'`).join(', ')}: Nucleus treats their containers as services of '${name}'` +
      (claimed.length > 0 ? `, so 'apply' of '${name}' would stop ${claimed.join(', ')}` : '') +
      ' (E5)',
  ];
}

function countServices(services: readonly ServiceOverview[]): TopologyOverview['counts'] {
  const counts = { running: 0, starting: 0, stopped: 0, notStarted: 0, changed: 0 };
  for (const s of services) {
    if (!s.declared) continue;
    if (s.status === 'running') counts.running++;
    else if (s.status === 'starting') counts.starting++;
    else if (s.status === 'stopped') counts.stopped++;
    else counts.notStarted++;
    // What apply would restart: another hash, or none.
    if (s.drift === 'changed' || s.drift === 'no-hash') counts.changed++;
  }
  return counts;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
