// Inlay hints: the effective values of omitted keys whose defaults matter (cpus, pids, runtime after each
// service header; health_interval after health_check), memory sizes in bytes when the suffix is unusual, and, for a
// running service whose config differs from the file, the running values the state file tells (memory, cpus,
// command) next to their keys: `memory = "768M"  running: 512M`. Refreshed when the runtime state changes.
import {
  parseMemory,
  runningConfigDifferences,
  serviceFields,
  type ConfigDifference,
  type Span,
  type TomlEntry,
  type TomlTable,
} from '@nucleus-topology/engine';
import type { RuntimeServiceState, TopologyRuntimeState } from '@nucleus-topology/protocol';
import {
  InlayHintKind,
  InlayHintRefreshRequest,
  type InlayHint,
  type InlayHintParams,
} from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { rangeToSpan } from '../convert.js';
import type { DocumentState } from '../documentStore.js';
import { fileErrors, runtimeStatusOf } from './codeLens.js';

/** Omitted keys shown after the service header: the defaults people get wrong (spec §1.5, §7 E2). */
const HEADER_DEFAULTS = ['cpus', 'pids', 'runtime'] as const;

const TOOLTIPS: Record<string, string> = {
  cpus: 'Not set: Nucleus gives the service 1 CPU core.',
  pids: 'Not set: at most 512 processes (0 would mean unlimited).',
  runtime:
    'Not set: "native", which Nucleus ignores: `nucleus create` still runs the service under gVisor (its default).',
  health_interval:
    'Not set: the health check runs every 30 seconds; `compose up` waits up to 100 s for healthy.',
};

/** `M` and `G` are what people write; anything else (no suffix = bytes, K, T, lowercase) deserves the number. */
const USUAL_MEMORY = /^\s*\+?\d+[MG]\s*$/;

/** A running-value hint longer than this is cut (the tooltip has it whole): hints must stay short. */
const MAX_RUNNING_LABEL = 40;

const overlaps = (a: Span, b: Span): boolean => a.start <= b.end && b.start <= a.end;

type Hint = (offset: number, label: string, tooltip?: string) => void;

/**
 * Per service that runs with another config than the file's (apply would restart it), the running values that
 * differ, as far as the state file tells. Empty without a runtime state, or while the file has errors.
 */
function runningDifferences(
  state: DocumentState,
  runtime: TopologyRuntimeState | undefined,
): Map<string, ConfigDifference[]> {
  const out = new Map<string, ConfigDifference[]>();
  const topology = state.analysis.topology;
  if (runtime === undefined || runtime.error !== undefined || topology === null) return out;
  const errors = state.derive(fileErrors);
  for (const container of runtime.services) {
    const service = topology.services.get(container.service);
    const running = runningConfigOf(container);
    if (service === undefined || running === undefined) continue;
    const status = runtimeStatusOf(state.analysis, state.hashes, errors, runtime, container.service);
    if (!status.restart) continue;
    const differences = runningConfigDifferences(service, running);
    if (differences.length > 0) out.set(container.service, differences);
  }
  return out;
}

function runningConfigOf(
  container: RuntimeServiceState,
): { memoryLimit: number | null; cpuLimit: number | null; command: string[] } | undefined {
  const { memoryLimit, cpuLimit, command } = container;
  if (memoryLimit === undefined || cpuLimit === undefined || command === undefined) return undefined;
  return { memoryLimit, cpuLimit, command };
}

export function inlayHints(state: DocumentState, visible: Span, runtime?: TopologyRuntimeState): InlayHint[] {
  const hints: InlayHint[] = [];
  const services = state.analysis.toml.root.entries.get('services')?.value;
  if (services?.kind !== 'table') return hints;
  const running = runningDifferences(state, runtime);
  const defaults = new Map(serviceFields(state.nucleusVersion).map((f) => [f.key, f.default]));
  const hint: Hint = (offset, label, tooltip) => {
    const item: InlayHint = {
      position: state.lines.positionAt(offset),
      label,
      kind: InlayHintKind.Parameter,
      paddingLeft: true,
    };
    if (tooltip !== undefined) item.tooltip = tooltip;
    hints.push(item);
  };
  for (const entry of services.entries.values()) {
    const table = entry.value;
    if (table.kind !== 'table' || !overlaps(table.span, visible)) continue;
    if (table.header !== undefined) {
      // One hint for all of them, worded as an annotation so it does not read as code.
      const omitted = HEADER_DEFAULTS.filter(
        (key) => !table.entries.has(key) && defaults.get(key) !== undefined,
      );
      if (omitted.length > 0) {
        hint(
          table.header.end,
          `defaults: ${omitted.map((key) => `${key} = ${defaults.get(key)}`).join(', ')}`,
          omitted.map((key) => TOOLTIPS[key]).join('\n'),
        );
      }
    }
    const healthCheck = table.entries.get('health_check');
    const interval = defaults.get('health_interval');
    if (healthCheck !== undefined && !table.entries.has('health_interval') && interval !== undefined) {
      hint(healthCheck.value.span.end, `default: health_interval = ${interval}`, TOOLTIPS.health_interval);
    }
    memoryHint(table, hint);
    const differences = running.get(entry.key);
    if (differences !== undefined) runningHints(entry, table, differences, hint);
  }
  return hints.sort(
    (a, b) => a.position.line - b.position.line || a.position.character - b.position.character,
  );
}

/** `running: 512M` after the key's value; after the header (`running: cpus = 0.5`) when the file omits the key. */
function runningHints(
  entry: TomlEntry,
  table: TomlTable,
  differences: readonly ConfigDifference[],
  hint: Hint,
): void {
  for (const difference of differences) {
    const value = table.entries.get(difference.key)?.value;
    const full = value !== undefined ? difference.running : `${difference.key} = ${difference.running}`;
    const label = `running: ${full.length > MAX_RUNNING_LABEL ? `${full.slice(0, MAX_RUNNING_LABEL - 1)}…` : full}`;
    hint(
      value?.span.end ?? table.header?.end ?? entry.keySpan.end,
      label,
      `The running container was started with ${difference.detail}. 'apply' restarts it with the file's value.`,
    );
  }
}

function memoryHint(table: TomlTable, hint: Hint): void {
  const memory = table.entries.get('memory')?.value;
  if (memory?.kind !== 'string' || USUAL_MEMORY.test(memory.value)) return;
  const parsed = parseMemory(memory.value);
  if (!parsed.ok) return; // the engine reports the invalid value
  hint(
    memory.span.end,
    `= ${parsed.value.toLocaleString('en-US')} bytes`,
    'What Nucleus reads: K, M, G, T multiply by 1024 (either case); no suffix means bytes.',
  );
}

export function register(ctx: ServerContext): void {
  ctx.connection.languages.inlayHint.on(
    ctx.documentRequest('inlayHint', [] as InlayHint[], async (state, params: InlayHintParams) => {
      const settings = await ctx.settings.get(state.uri);
      return settings.inlayHints.enabled
        ? inlayHints(state, rangeToSpan(state.lines, params.range), ctx.runtime.get(state.uri))
        : [];
    }),
  );
}

/** Asks the client to re-request hints (runtime state, settings or the rule version changed). */
export async function refreshInlayHints(ctx: ServerContext): Promise<void> {
  if (ctx.clientCapabilities.workspace?.inlayHint?.refreshSupport === true) {
    await ctx.connection.sendRequest(InlayHintRefreshRequest.type);
  }
}
