// Handlers of the custom messages in protocol/messages.ts: runtime state, detected and inferred versions from the
// client, and the topology summary the client's views ask for.
import { isSupportedVersion, postStartWait, symbolIndexOf, symbolKey } from '@nucleus-topology/engine';
import {
  AnalysisRequest,
  DidChangeRuntimeStateNotification,
  DidDetectVersionNotification,
  DidInferVersionNotification,
  type AnalysisParams,
  type DidChangeRuntimeStateParams,
  type DidDetectVersionParams,
  type DidInferVersionParams,
  type ServiceSummary,
  type TopologySummary,
} from '@nucleus-topology/protocol';
import type { ServerContext } from '../context.js';
import { spanToRange } from '../convert.js';
import type { DocumentState } from '../documentStore.js';
import { refreshCodeLenses, startupPositions } from './codeLens.js';
import { refreshInlayHints } from './inlayHints.js';

function topologySummary(state: DocumentState): TopologySummary {
  const { analysis } = state;
  const graph = analysis.graph;
  const index = state.derive(symbolIndexOf);
  const positions = state.derive(startupPositions);
  const services: ServiceSummary[] = [];
  for (const name of graph?.services ?? [...(analysis.topology?.services.keys() ?? [])]) {
    const definition = index.definitions.get(symbolKey('service', name));
    const position = positions.get(name) ?? -1;
    const hash = state.hashes.get(name);
    services.push({
      name,
      range: spanToRange(state.lines, definition?.keySpans[0] ?? { start: 0, end: 0 }),
      startupIndex: position >= 0 ? position + 1 : null,
      dependsOn: (graph?.edges.get(name) ?? []).map((e) => ({ service: e.service, condition: e.condition })),
      dependents: [...new Set(graph?.dependents.get(name) ?? [])],
      postStartWait: graph ? postStartWait(graph, name) : 'Started',
      hash: hash ?? null,
    });
  }
  const problems = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const issue of analysis.issues) {
    if (issue.severity === 'error') problems.errors++;
    else if (issue.severity === 'warning') problems.warnings++;
    else if (issue.severity === 'information') problems.infos++;
    else problems.hints++;
  }
  const error = analysis.nucleusError;
  return {
    uri: state.uri,
    documentVersion: state.version,
    nucleusVersion: state.nucleusVersion,
    name: analysis.topology?.name ?? null,
    nucleusError:
      error === null
        ? null
        : {
            phase: error.phase,
            message: error.message,
            ...(error.span ? { range: spanToRange(state.lines, error.span) } : {}),
          },
    startupOrder: graph?.startupOrder ?? [],
    services,
    volumes: [...(analysis.topology?.volumes.keys() ?? [])],
    networks: [...(analysis.topology?.networks.keys() ?? [])],
    problems,
  };
}

export function register(ctx: ServerContext): void {
  const { connection } = ctx;
  connection.onNotification(
    DidChangeRuntimeStateNotification,
    ctx.notification('didChangeRuntimeState', async (params: DidChangeRuntimeStateParams) => {
      ctx.runtime.set(params.uri, params.state);
      // The same state feeds the status lenses and the running-value hints.
      await refreshCodeLenses(ctx);
      await refreshInlayHints(ctx);
    }),
  );
  connection.onNotification(
    DidDetectVersionNotification,
    ctx.notification('didDetectVersion', (params: DidDetectVersionParams) => {
      ctx.settings.setDetectedVersion(params.version);
    }),
  );
  connection.onNotification(
    DidInferVersionNotification,
    ctx.notification('didInferVersion', (params: DidInferVersionParams) => {
      ctx.settings.setInferredVersion(isSupportedVersion(params.version) ? params.version : null);
    }),
  );
  connection.onRequest(
    AnalysisRequest,
    ctx.request('analysis', null, async (params: AnalysisParams) => {
      const state = await ctx.documents.state(params.uri);
      return state === undefined ? null : topologySummary(state);
    }),
  );
  // Settings or the detected version decide the rules, the lenses and the hints: ask the client to refresh.
  ctx.settings.onDidChange(() => {
    ctx.background('codeLens/refresh', refreshCodeLenses(ctx));
    ctx.background('inlayHint/refresh', refreshInlayHints(ctx));
  });
}
