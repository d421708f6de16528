// Go to definition, find references, document highlights and rename for services, volumes and networks: a
// rename rewrites the definition's header(s), every `depends_on` service, volume mount and `networks` entry.
import {
  referencesTo,
  symbolAt,
  symbolIndexOf,
  symbolKey,
  type SymbolAt,
  type SymbolDefinition,
  type SymbolReference,
} from '@nucleus-topology/engine';
import {
  ResponseError,
  ErrorCodes,
  DocumentHighlightKind,
  type DefinitionParams,
  type DocumentHighlight,
  type DocumentHighlightParams,
  type Location,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  type RenameParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { positionToOffset, spanToRange } from '../convert.js';
import type { DocumentState } from '../documentStore.js';
import { tomlKey } from './completion.js';

function symbolAtPosition(
  state: DocumentState,
  position: { line: number; character: number },
): SymbolAt | undefined {
  return symbolAt(state.derive(symbolIndexOf), positionToOffset(state.lines, position));
}

function definitionOf(state: DocumentState, symbol: SymbolAt): SymbolDefinition | undefined {
  return state.derive(symbolIndexOf).definitions.get(symbolKey(symbol.kind, symbol.name));
}

/** The definition's own key: the earliest place its name is written as a key (its `[services.x]` header). */
function primarySpan(definition: SymbolDefinition): { start: number; end: number } {
  return definition.keySpans.reduce((a, b) => (a.start <= b.start ? a : b));
}

export function definition(
  state: DocumentState,
  position: { line: number; character: number },
): Location | null {
  const symbol = symbolAtPosition(state, position);
  const found = symbol && definitionOf(state, symbol);
  return found ? { uri: state.uri, range: spanToRange(state.lines, primarySpan(found)) } : null;
}

export function references(
  state: DocumentState,
  position: { line: number; character: number },
  includeDeclaration: boolean,
): Location[] {
  const symbol = symbolAtPosition(state, position);
  if (symbol === undefined) return [];
  const ranges: Range[] = [];
  const found = definitionOf(state, symbol);
  if (includeDeclaration && found) ranges.push(...found.keySpans.map((s) => spanToRange(state.lines, s)));
  for (const reference of referencesTo(state.derive(symbolIndexOf), symbol.kind, symbol.name)) {
    ranges.push(spanToRange(state.lines, reference.span));
  }
  return ranges.map((range) => ({ uri: state.uri, range }));
}

export function highlights(
  state: DocumentState,
  position: { line: number; character: number },
): DocumentHighlight[] {
  const symbol = symbolAtPosition(state, position);
  if (symbol === undefined) return [];
  const out: DocumentHighlight[] = (definitionOf(state, symbol)?.keySpans ?? []).map((s) => ({
    range: spanToRange(state.lines, s),
    kind: DocumentHighlightKind.Write,
  }));
  for (const reference of referencesTo(state.derive(symbolIndexOf), symbol.kind, symbol.name)) {
    out.push({ range: spanToRange(state.lines, reference.span), kind: DocumentHighlightKind.Read });
  }
  return out;
}

/** Nucleus's container-name rule for service names (spec §2.2 T3). */
const SERVICE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** A new string literal for a reference whose text had escapes (or whose quotes cannot hold the new name). */
function rewriteLiteral(reference: SymbolReference, newName: string): string {
  const value = reference.literal.value;
  return JSON.stringify(newName + value.slice(reference.name.length));
}

/** Rewrites the name in one reference: just the name when it is written verbatim, else the whole literal. */
export function referenceEdit(state: DocumentState, reference: SymbolReference, newName: string): TextEdit {
  const literalStyle = reference.literal.style;
  const fitsVerbatim =
    reference.verbatim &&
    (literalStyle === 'literal' || literalStyle === 'multiline-literal'
      ? !/['\n\r]/.test(newName)
      : !/["\\]/.test(newName) && ![...newName].some((c) => c.charCodeAt(0) < 0x20));
  if (fitsVerbatim) return { range: spanToRange(state.lines, reference.span), newText: newName };
  return {
    range: spanToRange(state.lines, reference.literal.span),
    newText: rewriteLiteral(reference, newName),
  };
}

export function rename(
  state: DocumentState,
  position: { line: number; character: number },
  newName: string,
  versioned = true,
): WorkspaceEdit | null {
  const symbol = symbolAtPosition(state, position);
  if (symbol === undefined) return null;
  if (newName === symbol.name) return { changes: { [state.uri]: [] } };
  if (newName === '') throw new ResponseError(ErrorCodes.InvalidParams, 'The new name must not be empty.');
  if (symbol.kind === 'service' && !SERVICE_NAME.test(newName)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `Nucleus rejects service name '${newName}': 1–128 characters from a-z A-Z 0-9 . _ -.`,
    );
  }
  if (symbol.kind === 'volume' && (newName.includes(':') || newName.startsWith('/'))) {
    throw new ResponseError(ErrorCodes.InvalidParams, `A volume name cannot contain ':' or start with '/'.`);
  }
  const index = state.derive(symbolIndexOf);
  if (index.definitions.has(symbolKey(symbol.kind, newName))) {
    throw new ResponseError(ErrorCodes.InvalidParams, `A ${symbol.kind} named '${newName}' already exists.`);
  }
  const edits: TextEdit[] = [];
  for (const span of definitionOf(state, symbol)?.keySpans ?? []) {
    edits.push({ range: spanToRange(state.lines, span), newText: tomlKey(newName) });
  }
  for (const reference of referencesTo(index, symbol.kind, symbol.name))
    edits.push(referenceEdit(state, reference, newName));
  return versioned
    ? { documentChanges: [{ textDocument: { uri: state.uri, version: state.version }, edits }] }
    : { changes: { [state.uri]: edits } };
}

export function register(ctx: ServerContext): void {
  const { connection } = ctx;
  connection.onDefinition(
    ctx.documentRequest('definition', null, (state, params: DefinitionParams) =>
      definition(state, params.position),
    ),
  );
  connection.onReferences(
    ctx.documentRequest('references', [] as Location[], (state, params: ReferenceParams) =>
      references(state, params.position, params.context.includeDeclaration),
    ),
  );
  connection.onDocumentHighlight(
    ctx.documentRequest(
      'documentHighlight',
      [] as DocumentHighlight[],
      (state, params: DocumentHighlightParams) => highlights(state, params.position),
    ),
  );
  connection.onPrepareRename(
    ctx.documentRequest('prepareRename', null, (state, params: PrepareRenameParams) => {
      const symbol = symbolAtPosition(state, params.position);
      return symbol ? { range: spanToRange(state.lines, symbol.span), placeholder: symbol.name } : null;
    }),
  );
  connection.onRenameRequest(
    ctx.documentRequest('rename', null, (state, params: RenameParams) =>
      rename(
        state,
        params.position,
        params.newName,
        ctx.clientCapabilities.workspace?.workspaceEdit?.documentChanges === true,
      ),
    ),
  );
}
