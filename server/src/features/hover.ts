// Hover: for a key, what it means, its type, default and since which version; for a service, its startup
// position, who depends on it, its change hash and the exact `nucleus create` command; for a volume or a
// network, its definition and who uses it.
import {
  buildRunArgs,
  fieldDoc,
  healthTimeoutSeconds,
  postStartWait,
  type FieldDoc,
  type Span,
  type TomlEntry,
  type TomlNode,
  type TomlTable,
  referencesTo,
  symbolAt,
  symbolIndexOf,
  type SymbolKind,
  cursorContext,
} from '@nucleus-topology/engine';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { positionToOffset, spanToRange } from '../convert.js';
import type { DocumentState } from '../documentStore.js';

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/** POSIX shell quoting, so the command can be pasted into a terminal as is. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function describeField(doc: FieldDoc, version: string): string {
  const facts = [
    `**${doc.key}**`,
    doc.type,
    doc.required ? 'required' : `default ${code(doc.default ?? 'none')}`,
  ];
  const lines = [facts.join(' · '), '', doc.description, ''];
  if (doc.removedIn !== undefined) {
    lines.push(`Since ${doc.since}; **removed in ${doc.removedIn}**.`);
  } else {
    lines.push(`Since Nucleus ${doc.since}.`);
    const since = /^\d+\.\d+\.\d+$/.exec(doc.since)?.[0];
    if (since !== undefined && since > version) {
      lines.push(`Not known to Nucleus ${version} (the version whose rules apply here).`);
    }
  }
  if (doc.variants !== undefined)
    lines.push('', `Values: ${doc.variants.map((v) => code(`"${v}"`)).join(', ')}.`);
  return lines.join('\n');
}

/** The entry whose key is at `offset`, with the path of the table that holds it. */
function entryAt(
  table: TomlTable,
  offset: number,
  path: string[] = [],
): { path: string[]; entry: TomlEntry } | undefined {
  for (const entry of table.entries.values()) {
    if (entry.keySpan.start <= offset && offset <= entry.keySpan.end) return { path, entry };
    const found = entryInValue(entry.value, offset, [...path, entry.key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function entryInValue(
  node: TomlNode,
  offset: number,
  path: string[],
): { path: string[]; entry: TomlEntry } | undefined {
  if (node.kind === 'table') return entryAt(node, offset, path);
  if (node.kind === 'array') {
    for (const item of node.items) {
      const found = entryInValue(item, offset, path);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The key under the cursor: from the AST, else (broken section) from the cursor's context. */
function keyAt(
  state: DocumentState,
  offset: number,
): { path: string[]; key: string; span: Span } | undefined {
  const toml = state.analysis.toml;
  for (const header of toml.headers) {
    if (header.span.start > offset) break;
    const i = header.keySpans.findIndex((s) => s.start <= offset && offset <= s.end);
    if (i >= 0 && header.span.end >= offset) {
      return { path: header.path.slice(0, i), key: header.path[i]!, span: header.keySpans[i]! };
    }
  }
  const found = entryAt(toml.root, offset);
  if (found !== undefined) return { path: found.path, key: found.entry.key, span: found.entry.keySpan };
  const context = cursorContext(toml, offset);
  if (context.kind === 'key' && context.replace.end > context.replace.start) {
    return {
      path: context.tablePath,
      key: state.text.slice(context.replace.start, context.replace.end),
      span: context.replace,
    };
  }
  return undefined;
}

function describeService(state: DocumentState, name: string): string {
  const { analysis } = state;
  const graph = analysis.graph;
  const facts: string[] = [];
  if (graph !== null) {
    const position = graph.startupOrder.indexOf(name);
    const deps = graph.edges.get(name) ?? [];
    const after = deps.map((d) => `${code(d.service)} (${d.condition})`).join(', ');
    facts.push(
      position >= 0
        ? `Starts **#${position + 1}** of ${graph.services.length}${after ? `, after ${after}` : ''}.`
        : `Cannot be placed in the startup order${graph.error ? `: ${graph.error}` : ''}.`,
    );
    const dependents = [...new Set(graph.dependents.get(name) ?? [])];
    facts.push(
      dependents.length > 0 ? `Needed by ${dependents.map(code).join(', ')}.` : 'No service depends on it.',
    );
    const service = analysis.topology?.services.get(name);
    if (postStartWait(graph, name) === 'Healthy' && service !== undefined) {
      facts.push(
        `After starting it, \`compose up\` waits until its health check passes (timeout ${healthTimeoutSeconds(service.health_interval)} s).`,
      );
    }
  }
  const hash = state.hashes.get(name);
  const topology = analysis.topology;
  facts.push(
    hash === undefined
      ? 'No change hash: fix the problems in this service first.'
      : `Change hash (Nucleus ${state.nucleusVersion}): ${code(hash)}`,
  );
  const lines = [`**service ${code(name)}**`, '', ...facts.map((fact) => `- ${fact}`)];
  if (hash === undefined || topology === null) return lines.join('\n');
  const run = buildRunArgs(topology, name, { hash, version: state.nucleusVersion });
  if ('args' in run) {
    lines.push('', '`compose up` runs:', '', '```sh', run.args.map(shellQuote).join(' '), '```');
  } else {
    lines.push('', `\`compose up\` would fail to launch it: ${run.error}`);
  }
  return lines.join('\n');
}

function describeNamed(state: DocumentState, kind: Exclude<SymbolKind, 'service'>, name: string): string {
  const index = state.derive(symbolIndexOf);
  const users = [...new Set(referencesTo(index, kind, name).map((r) => r.inService))];
  const defined = index.definitions.has(`${kind}:${name}`);
  // One paragraph per fact (Markdown joins single lines).
  const lines = [`**${kind} ${code(name)}**${defined ? '' : ' (not defined)'}`];
  const volume = kind === 'volume' ? state.analysis.topology?.volumes.get(name) : undefined;
  if (volume !== undefined) {
    lines.push(
      volume.volume_type === 'persistent'
        ? `Persistent: host directory ${code(volume.path ?? '?')}${volume.owner ? `, owner ${code(volume.owner)}` : ''}.`
        : `Ephemeral: a tmpfs${volume.size ? ` of ${code(volume.size)}` : ''}, emptied at every start.`,
    );
  }
  if (kind === 'network') {
    lines.push('Any non-empty `networks` list puts the service on the one `nucleus0` bridge (10.0.42.0/24).');
  }
  lines.push(users.length > 0 ? `Used by ${users.map(code).join(', ')}.` : 'Not used by any service.');
  return lines.join('\n\n');
}

export function hover(state: DocumentState, offset: number): Hover | null {
  const symbol = symbolAt(state.derive(symbolIndexOf), offset);
  if (symbol !== undefined) {
    const value =
      symbol.kind === 'service'
        ? describeService(state, symbol.name)
        : describeNamed(state, symbol.kind, symbol.name);
    return { contents: { kind: MarkupKind.Markdown, value }, range: spanToRange(state.lines, symbol.span) };
  }
  const key = keyAt(state, offset);
  if (key === undefined) return null;
  const doc = fieldDoc(key.path, key.key, state.nucleusVersion);
  if (doc === undefined) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: describeField(doc, state.nucleusVersion) },
    range: spanToRange(state.lines, key.span),
  };
}

export function register(ctx: ServerContext): void {
  ctx.connection.onHover(
    ctx.documentRequest('hover', null, (state, params: HoverParams) =>
      hover(state, positionToOffset(state.lines, params.position)),
    ),
  );
}
