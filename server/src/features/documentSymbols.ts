// Outline: the topology's name, then services, volumes and networks with their keys (depends_on entries named
// after their target, environment variables), built from the TOML document so it works on broken files.
import type { TomlEntry, TomlNode } from '@nucleus-topology/engine';
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { spanToRange, type LineMap } from '../convert.js';
import type { DocumentState } from '../documentStore.js';

/** The kind of the named things inside each top-level table. */
const MEMBER_KINDS: Record<string, SymbolKind> = {
  services: SymbolKind.Class,
  volumes: SymbolKind.Struct,
  networks: SymbolKind.Interface,
};

function valueKind(node: TomlNode): SymbolKind {
  switch (node.kind) {
    case 'string':
      return SymbolKind.String;
    case 'integer':
    case 'float':
      return SymbolKind.Number;
    case 'boolean':
      return SymbolKind.Boolean;
    case 'datetime':
      return SymbolKind.Constant;
    case 'array':
      return SymbolKind.Array;
    case 'table':
      return SymbolKind.Object;
  }
}

const MAX_DETAIL = 60;

function detailOf(text: string, node: TomlNode): string | undefined {
  if (node.kind === 'table' || (node.kind === 'array' && node.ofTables)) return undefined;
  const raw = text.slice(node.span.start, node.span.end).replace(/\s+/g, ' ');
  return raw.length > MAX_DETAIL ? `${raw.slice(0, MAX_DETAIL - 1)}…` : raw;
}

/** A symbol with the offsets of its range, so parents can cover their children without converting back. */
interface Built {
  symbol: DocumentSymbol;
  start: number;
  end: number;
}

/** Symbols never lie outside their range: the range grows to cover the selection and every child. */
function symbol(
  lines: LineMap,
  name: string,
  kind: SymbolKind,
  span: { start: number; end: number },
  selection: { start: number; end: number },
  children: Built[],
  detail?: string,
): Built {
  let start = Math.min(span.start, selection.start);
  let end = Math.max(span.end, selection.end);
  for (const child of children) {
    start = Math.min(start, child.start);
    end = Math.max(end, child.end);
  }
  const result: DocumentSymbol = {
    name: name === '' ? '""' : name,
    kind,
    range: spanToRange(lines, { start, end }),
    selectionRange: spanToRange(lines, selection),
    children: children.map((child) => child.symbol),
  };
  if (detail !== undefined) result.detail = detail;
  return { symbol: result, start, end };
}

function childrenOf(state: DocumentState, node: TomlNode, path: string[]): Built[] {
  if (node.kind === 'table') {
    return [...node.entries.values()].map((entry) => entrySymbol(state, entry, path));
  }
  if (node.kind === 'array') {
    return node.items.flatMap((item, i) => {
      if (item.kind !== 'table') return [];
      const target = item.entries.get('service')?.value;
      const isDependency = path.at(-1) === 'depends_on' && target?.kind === 'string';
      const condition = item.entries.get('condition')?.value;
      const name = isDependency ? target.value : `[${i}]`;
      const detail = isDependency ? (condition?.kind === 'string' ? condition.value : 'started') : undefined;
      const selection =
        item.origin === 'array-header' || item.origin === 'header' ? (item.header ?? item.span) : item.span;
      return [
        symbol(
          state.lines,
          name,
          SymbolKind.Object,
          item.span,
          selection,
          childrenOf(state, item, [...path, String(i)]),
          detail,
        ),
      ];
    });
  }
  return [];
}

function entrySymbol(state: DocumentState, entry: TomlEntry, parentPath: string[]): Built {
  const path = [...parentPath, entry.key];
  const memberKind = parentPath.length === 1 ? MEMBER_KINDS[parentPath[0]!] : undefined;
  const kind =
    memberKind ??
    (parentPath.length === 0 && entry.key in MEMBER_KINDS ? SymbolKind.Namespace : undefined) ??
    (parentPath.length === 3 && parentPath[2] === 'environment'
      ? SymbolKind.Variable
      : valueKind(entry.value));
  return symbol(
    state.lines,
    entry.key,
    kind,
    entry.span,
    entry.keySpan,
    childrenOf(state, entry.value, path),
    detailOf(state.text, entry.value),
  );
}

export function documentSymbols(state: DocumentState): DocumentSymbol[] {
  return childrenOf(state, state.analysis.toml.root, []).map((built) => built.symbol);
}

export function register(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol(
    ctx.documentRequest('documentSymbol', [] as DocumentSymbol[], (state, _params: DocumentSymbolParams) =>
      documentSymbols(state),
    ),
  );
}
