// Outline: the topology's name, then services, volumes and networks with their keys (depends_on entries named
// after their target, environment variables), built from the TOML document so it works on broken files.
import type { TomlEntry, TomlNode } from '@nucleus-topology/engine';
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import type { LineMap } from '../convert.js';
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

/** What `/\s/` matches. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * The value's text with whitespace runs collapsed to one space, cut at {@link MAX_DETAIL} characters with
 * `…` (`text.slice(…).replace(/\s+/g, ' ')` then cut, without copying a long value to show 60 characters
 * of it: this runs for every key of the file).
 */
function detailOf(text: string, node: TomlNode): string | undefined {
  if (node.kind === 'table' || (node.kind === 'array' && node.ofTables)) return undefined;
  const { start, end } = node.span;
  let plain = true;
  for (let i = start; i < end && i - start <= MAX_DETAIL; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 ? isSpace(c) : i + 1 < end && isSpace(text.charCodeAt(i + 1))) {
      plain = false;
      break;
    }
  }
  if (plain) {
    // No run to collapse within the first MAX_DETAIL + 1 characters: the text is its own rendering.
    return end - start > MAX_DETAIL
      ? `${text.slice(start, start + MAX_DETAIL - 1)}…`
      : text.slice(start, end);
  }
  let out = '';
  let i = start;
  while (i < end && out.length <= MAX_DETAIL) {
    if (isSpace(text.charCodeAt(i))) {
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      out += ' ';
    } else {
      out += text[i] as string;
      i++;
    }
  }
  return out.length > MAX_DETAIL ? `${out.slice(0, MAX_DETAIL - 1)}…` : out;
}

/**
 * Symbols are built children first; each call leaves the offsets of the symbol's range here, so that
 * parents can cover their children without converting positions back (and without a wrapper per symbol).
 */
let builtStart = 0;
let builtEnd = 0;

/** Symbols never lie outside their range: the range grows to cover the selection and every child. */
function symbol(
  lines: LineMap,
  name: string,
  kind: SymbolKind,
  span: { start: number; end: number },
  selection: { start: number; end: number },
  children: DocumentSymbol[],
  childrenStart: number,
  childrenEnd: number,
  detail?: string,
): DocumentSymbol {
  const start = Math.min(span.start, selection.start, childrenStart);
  const end = Math.max(span.end, selection.end, childrenEnd);
  builtStart = start;
  builtEnd = end;
  // Equal offsets share one Position (a key's range and selection start at the key).
  const rangeStart = lines.positionAt(start);
  const rangeEnd = lines.positionAt(end);
  const range = { start: rangeStart, end: rangeEnd };
  const selectionRange = {
    start: selection.start === start ? rangeStart : lines.positionAt(selection.start),
    end: selection.end === end ? rangeEnd : lines.positionAt(selection.end),
  };
  const shown = name === '' ? '""' : name;
  return detail !== undefined
    ? { name: shown, kind, range, selectionRange, children, detail }
    : { name: shown, kind, range, selectionRange, children };
}

/** The children of every scalar (shared: the outline is serialized, never modified). */
const NO_CHILDREN: DocumentSymbol[] = Object.freeze([]) as unknown as DocumentSymbol[];

/** The symbols of a node's children; their combined offsets are left in builtStart/builtEnd. */
function childrenOf(state: DocumentState, node: TomlNode, path: string[]): DocumentSymbol[] {
  if (node.kind !== 'table' && node.kind !== 'array') {
    builtStart = Infinity;
    builtEnd = -Infinity;
    return NO_CHILDREN;
  }
  const out: DocumentSymbol[] = [];
  let start = Infinity;
  let end = -Infinity;
  if (node.kind === 'table') {
    for (const entry of node.entries.values()) {
      out.push(entrySymbol(state, entry, path));
      if (builtStart < start) start = builtStart;
      if (builtEnd > end) end = builtEnd;
    }
  } else if (node.kind === 'array') {
    node.items.forEach((item, i) => {
      if (item.kind !== 'table') return;
      const target = item.entries.get('service')?.value;
      const isDependency = path.at(-1) === 'depends_on' && target?.kind === 'string';
      const condition = item.entries.get('condition')?.value;
      const name = isDependency ? target.value : `[${i}]`;
      const detail = isDependency ? (condition?.kind === 'string' ? condition.value : 'started') : undefined;
      const selection =
        item.origin === 'array-header' || item.origin === 'header' ? (item.header ?? item.span) : item.span;
      const children = childrenOf(state, item, [...path, String(i)]);
      out.push(
        symbol(
          state.lines,
          name,
          SymbolKind.Object,
          item.span,
          selection,
          children,
          builtStart,
          builtEnd,
          detail,
        ),
      );
      if (builtStart < start) start = builtStart;
      if (builtEnd > end) end = builtEnd;
    });
  }
  builtStart = start;
  builtEnd = end;
  return out;
}

function entrySymbol(state: DocumentState, entry: TomlEntry, parentPath: string[]): DocumentSymbol {
  const value = entry.value;
  // Only tables and arrays have children (and need their path).
  const path = value.kind === 'table' || value.kind === 'array' ? [...parentPath, entry.key] : parentPath;
  const memberKind = parentPath.length === 1 ? MEMBER_KINDS[parentPath[0]!] : undefined;
  const kind =
    memberKind ??
    (parentPath.length === 0 && entry.key in MEMBER_KINDS ? SymbolKind.Namespace : undefined) ??
    (parentPath.length === 3 && parentPath[2] === 'environment'
      ? SymbolKind.Variable
      : valueKind(entry.value));
  const children = childrenOf(state, entry.value, path);
  return symbol(
    state.lines,
    entry.key,
    kind,
    entry.span,
    entry.keySpan,
    children,
    builtStart,
    builtEnd,
    detailOf(state.text, entry.value),
  );
}

export function documentSymbols(state: DocumentState): DocumentSymbol[] {
  return childrenOf(state, state.analysis.toml.root, []);
}

export function register(ctx: ServerContext): void {
  ctx.connection.onDocumentSymbol(
    ctx.documentRequest('documentSymbol', [] as DocumentSymbol[], (state, _params: DocumentSymbolParams) =>
      documentSymbols(state),
    ),
  );
}
