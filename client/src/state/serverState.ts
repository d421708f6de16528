// What the client tells the language server about one open topology (`nucleus/didChangeRuntimeState`), derived from
// the same overview the Services view shows, so the lenses and the tree never disagree. Pure (no `vscode`).
import type { RuntimeOverview, StateSnapshot } from '@nucleus-topology/engine';
import type { TopologyRuntimeState } from '@nucleus-topology/protocol';

/**
 * The runtime state of the topology file `uri` for the server, or null when it is unknown (no overview entry, no
 * name). `orphans` follow Nucleus's own prefix rule (every running `<name>-…` container the file does not declare,
 * even one the view files under a longer topology name): they are what `compose up` would stop.
 */
export function runtimeStateForServer(
  overview: RuntimeOverview,
  snapshot: StateSnapshot,
  uri: string,
): TopologyRuntimeState | null {
  const topology = overview.topologies.find((t) => t.uri === uri);
  if (topology === undefined || topology.name === null) return null;
  const name = topology.name;
  const declared = topology.services.filter((s) => s.declared);
  const state: TopologyRuntimeState = {
    topologyName: name,
    services: declared
      .filter((s) => s.details !== null)
      .map((s) => ({
        service: s.service,
        status: s.details?.status ?? 'stopped',
        running: s.status === 'running' || s.status === 'starting',
        pid: s.pid,
        configHash: s.details?.configHash ?? null,
        // What the inlay hints compare with the file (the command is masked already).
        memoryLimit: s.details?.memoryLimit ?? null,
        cpuLimit: s.details?.cpuLimit ?? null,
        command: s.details?.command ?? [],
      })),
  };
  const names = new Set(declared.map((s) => s.service));
  const prefix = `${name}-`;
  const orphans = [
    ...new Set(
      snapshot.containers
        .filter(
          (c) =>
            c.running && c.state.name.startsWith(prefix) && !names.has(c.state.name.slice(prefix.length)),
        )
        .map((c) => c.state.name),
    ),
  ].sort();
  if (orphans.length > 0) state.orphans = orphans;
  if (snapshot.error !== undefined) state.error = snapshot.error;
  return state;
}
