// Folding ranges: each table section (header to its last non-blank line), multi-line arrays and inline
// tables, and runs of comment lines.
import type { TomlNode } from '@nucleus-topology/engine';
import { FoldingRangeKind, type FoldingRange, type FoldingRangeParams } from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import type { DocumentState } from '../documentStore.js';

/** The offset just after the last non-whitespace character before `end`. */
function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && /\s/.test(text.charAt(i - 1))) i--;
  return i;
}

function valueRanges(state: DocumentState, node: TomlNode, out: FoldingRange[]): void {
  if (node.kind === 'array') {
    if (!node.ofTables) addBracketRange(state, node.span, out);
    for (const item of node.items) valueRanges(state, item, out);
  } else if (node.kind === 'table') {
    if (node.origin === 'inline') addBracketRange(state, node.span, out);
    for (const entry of node.entries.values()) valueRanges(state, entry.value, out);
  }
}

/** `[` … `]` over several lines: fold up to the line before the closing bracket, which stays visible. */
function addBracketRange(
  state: DocumentState,
  span: { start: number; end: number },
  out: FoldingRange[],
): void {
  const startLine = state.lines.positionAt(span.start).line;
  const close = state.lines.positionAt(Math.max(span.start, span.end - 1));
  const closeAlone =
    state.text.slice(state.text.lastIndexOf('\n', span.end - 1) + 1, span.end - 1).trim() === '';
  const endLine = closeAlone ? close.line - 1 : close.line;
  if (endLine > startLine) out.push({ startLine, endLine });
}

function foldingRanges(state: DocumentState): FoldingRange[] {
  const { text, lines } = state;
  const toml = state.analysis.toml;
  const out: FoldingRange[] = [];
  for (const header of toml.headers) {
    const startLine = lines.positionAt(header.span.start).line;
    const endLine = lines.positionAt(trimEnd(text, header.span.start, header.bodyEnd)).line;
    if (endLine > startLine) out.push({ startLine, endLine });
  }
  valueRanges(state, toml.root, out);
  // Consecutive whole-line comments.
  let runStart = -1;
  let runEnd = -1;
  const flush = (): void => {
    if (runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: FoldingRangeKind.Comment });
    runStart = runEnd = -1;
  };
  for (const comment of toml.comments) {
    const position = lines.positionAt(comment.span.start);
    const lineStart = comment.span.start - position.character;
    if (text.slice(lineStart, comment.span.start).trim() !== '') continue; // trailing comment
    if (position.line === runEnd + 1 && runStart >= 0) runEnd = position.line;
    else {
      flush();
      runStart = runEnd = position.line;
    }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine);
}

export function register(ctx: ServerContext): void {
  ctx.connection.onFoldingRanges(
    ctx.documentRequest('foldingRange', [] as FoldingRange[], (state, _params: FoldingRangeParams) =>
      foldingRanges(state),
    ),
  );
}
