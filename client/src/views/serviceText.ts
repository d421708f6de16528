// The words of the Services view (descriptions, contextValues for the menus, sizes), pure so they are unit-tested in
// Node (no `vscode` import); servicesTree.ts puts them on tree items.
import {
  driftLabel,
  formatUptime,
  type ServiceOverview,
  type TopologyOverview,
} from '@nucleus-topology/engine';

/**
 * A service's contextValue: space-separated words that package.json menus match with `viewItem =~ /\bword\b/`:
 * `service`, then `running` | `starting` | `stopped` | `notStarted`, then `declared` (a service of its file),
 * `undeclared` (a `<topology>-…` container the file does not declare) or `other` (no known topology).
 */
export function serviceContextValue(row: ServiceOverview): string {
  const status = row.status === 'not-started' ? 'notStarted' : row.status;
  return `service ${status} ${row.topology === null ? 'other' : row.declared ? 'declared' : 'undeclared'}`;
}

/** A topology's contextValue: `topology`, plus `running` when one of its services runs (Down is offered). */
export function topologyContextValue(topology: TopologyOverview): string {
  return `topology${topology.counts.running + topology.counts.starting > 0 ? ' running' : ''}`;
}

/** The description next to a service: `pid 4242 · up 5m12s · in sync`, `not started`, … */
export function describeService(row: ServiceOverview): string {
  const parts: string[] = [];
  switch (row.status) {
    case 'running':
    case 'starting':
      if (row.status === 'starting') parts.push('starting');
      if (row.pid !== null) parts.push(`pid ${row.pid}`);
      if (row.uptimeSeconds !== null) parts.push(`up ${formatUptime(row.uptimeSeconds)}`);
      // The engine's words, as the lenses show them.
      if (row.drift !== null) parts.push(driftLabel(row.drift));
      break;
    case 'stopped':
      parts.push('stopped (stale state file)');
      break;
    case 'not-started':
      parts.push('not started');
      break;
  }
  if (row.topology !== null && !row.declared) parts.push('not in file');
  return parts.join(' · ');
}

/** The description next to a topology: `2/3 running · 1 changed`. */
export function describeTopology(topology: TopologyOverview): string {
  const { counts } = topology;
  const declared = counts.running + counts.starting + counts.stopped + counts.notStarted;
  const parts = [`${counts.running + counts.starting}/${declared} running`];
  if (counts.changed > 0) parts.push(`${counts.changed} changed`);
  if (topology.errors > 0) parts.push(`${topology.errors} error${topology.errors === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** `512 MiB`, `1.5 GiB`: limits as people read them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}
