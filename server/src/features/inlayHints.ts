// Inlay hints: the effective values of omitted keys whose defaults matter (cpus, pids, runtime after each
// service header; health_interval after health_check), and memory sizes in bytes when the suffix is unusual.
import { parseMemory, serviceFields, type Span, type TomlTable } from '@nucleus-topology/engine';
import { InlayHintKind, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { rangeToSpan } from '../convert.js';
import type { DocumentState } from '../documentStore.js';

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

const overlaps = (a: Span, b: Span): boolean => a.start <= b.end && b.start <= a.end;

export function inlayHints(state: DocumentState, visible: Span): InlayHint[] {
  const hints: InlayHint[] = [];
  const services = state.analysis.toml.root.entries.get('services')?.value;
  if (services?.kind !== 'table') return hints;
  const defaults = new Map(serviceFields(state.nucleusVersion).map((f) => [f.key, f.default]));
  const hint = (offset: number, label: string, tooltip?: string): void => {
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
  }
  return hints.sort(
    (a, b) => a.position.line - b.position.line || a.position.character - b.position.character,
  );
}

function memoryHint(table: TomlTable, hint: (offset: number, label: string, tooltip?: string) => void): void {
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
      return settings.inlayHints.enabled ? inlayHints(state, rangeToSpan(state.lines, params.range)) : [];
    }),
  );
}
