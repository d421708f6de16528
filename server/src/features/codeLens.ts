// Code lenses: apply / plan / down / validate at the top of the file; on each service its startup position
// and what it waits for, and, once the client reported the runtime state, whether it runs and is in sync (decided
// by the engine's serviceRuntimeStatus, as the Services view decides it).
import {
  analysisErrorCount,
  driftLabel,
  serviceRuntimeStatus,
  symbolIndexOf,
  symbolKey,
  type Analysis,
  type ServiceRuntimeStatus,
} from '@nucleus-topology/engine';
import { ClientCommands, type TopologyRuntimeState } from '@nucleus-topology/protocol';
import {
  CodeLensRefreshRequest,
  type CodeLens,
  type CodeLensParams,
  type Command,
  type Range,
} from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { spanToRange } from '../convert.js';
import type { DocumentState } from '../documentStore.js';

const TOP: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The first line of the file's top lenses, in display order. */
const TOP_LENSES = [
  { title: '▶ Apply topology', command: ClientCommands.apply },
  { title: 'Plan', command: ClientCommands.plan },
  { title: 'Down', command: ClientCommands.down },
  { title: 'Validate', command: ClientCommands.validate },
] as const;

/** 0-based startup position of each placed service, computed once per analysis (lenses ask per service). */
export const startupPositions = (state: { analysis: Analysis }): Map<string, number> =>
  new Map((state.analysis.graph?.startupOrder ?? []).map((service, i) => [service, i]));

/** "#2 · after db (healthy)": where the service starts and what it waits for. */
function startupTitle(analysis: Analysis, positions: Map<string, number>, service: string): string {
  const graph = analysis.graph;
  if (graph === null) return '';
  const position = positions.get(service) ?? -1;
  if (position < 0) {
    const inCycle = graph.cycle?.cycles.some((cycle) => cycle.includes(service)) === true;
    return inCycle
      ? '⚠ in a dependency cycle: cannot start'
      : '⚠ cannot start: depends on a service that cannot';
  }
  const deps = graph.edges.get(service) ?? [];
  const after = deps.map((d) => (d.condition === 'healthy' ? `${d.service} (healthy)` : d.service));
  return `#${position + 1} · ${after.length > 0 ? `after ${[...new Set(after)].join(', ')}` : 'no dependencies'}`;
}

/** Error-level problems of the analysis (drift is unknown while there are any), computed once per analysis. */
export const fileErrors = (state: { analysis: Analysis }): number => analysisErrorCount(state.analysis);

/** A service's status and drift from the runtime state the client reported, as the Services view computes it. */
export function runtimeStatusOf(
  analysis: Pick<Analysis, 'topology'>,
  hashes: ReadonlyMap<string, string>,
  errors: number,
  runtime: TopologyRuntimeState,
  service: string,
): ServiceRuntimeStatus {
  const sameTopology = analysis.topology?.name === runtime.topologyName;
  const container = sameTopology ? runtime.services.find((s) => s.service === service) : undefined;
  return serviceRuntimeStatus(container, { hash: hashes.get(service) ?? null, errors });
}

/** "● running · in sync" / "● running · changed → restart" / "● running · drift unknown" / "○ not running → start". */
function statusTitle(status: ServiceRuntimeStatus): string {
  switch (status.status) {
    case 'not-started':
    case 'stopped':
      return '○ not running → start';
    case 'running':
    case 'starting': {
      const head = status.status === 'running' ? '● running' : '● starting';
      if (status.drift === null) return head;
      return `${head} · ${driftLabel(status.drift)}${status.restart ? ' → restart' : ''}`;
    }
  }
}

function codeLenses(state: DocumentState, runtime: TopologyRuntimeState | undefined): CodeLens[] {
  const lenses: CodeLens[] = TOP_LENSES.map(({ title, command }) => ({
    range: TOP,
    command: { title, command, arguments: [state.uri] },
  }));
  const { analysis } = state;
  const index = state.derive(symbolIndexOf);
  const positions = state.derive(startupPositions);
  for (const service of analysis.graph?.services ?? []) {
    const definition = index.definitions.get(symbolKey('service', service));
    if (definition === undefined) continue;
    // On the line of the service's own header (its first key occurrence).
    const keySpan = definition.keySpans.reduce((a, b) => (a.start <= b.start ? a : b));
    const range = spanToRange(state.lines, keySpan);
    const title = startupTitle(analysis, positions, service);
    if (title !== '') lenses.push({ range, command: { title, command: '' } });
    if (runtime !== undefined && runtime.error === undefined) {
      const status = runtimeStatusOf(analysis, state.hashes, state.derive(fileErrors), runtime, service);
      const command: Command = { title: statusTitle(status), command: '' };
      if (status.driftReason !== null) command.tooltip = status.driftReason;
      lenses.push({ range, command });
    }
  }
  return lenses;
}

export function register(ctx: ServerContext): void {
  ctx.connection.onCodeLens(
    ctx.documentRequest('codeLens', [] as CodeLens[], async (state, _params: CodeLensParams) => {
      const settings = await ctx.settings.get(state.uri);
      return settings.codeLens.enabled ? codeLenses(state, ctx.runtime.get(state.uri)) : [];
    }),
  );
}

/** Asks the client to re-request lenses (runtime state, settings or detected version changed). */
export async function refreshCodeLenses(ctx: ServerContext): Promise<void> {
  if (ctx.clientCapabilities.workspace?.codeLens?.refreshSupport === true) {
    await ctx.connection.sendRequest(CodeLensRefreshRequest.type);
  }
}
