// Text helpers for server tests: positions and ranges of snippets (so no test hard-codes a line number) and
// applying LSP edits to a text.
import { readFileSync } from 'node:fs';
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

export interface FindOptions {
  /** Which occurrence (0-based). */
  occurrence?: number;
  /** Position after the needle instead of at its start. */
  after?: boolean;
}

function offsetOf(text: string, needle: string, occurrence = 0): number {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (occurrence ${occurrence}) not found`);
  }
  return at;
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i]!.length + 1;
  return offset + position.character;
}

export function positionOf(text: string, needle: string, options: FindOptions = {}): Position {
  const at = offsetOf(text, needle, options.occurrence);
  return positionAt(text, options.after === true ? at + needle.length : at);
}

/** The range covering `needle`, or only `part` of it when given (e.g. the `web` in `[services.web]`). */
export function rangeOf(
  text: string,
  needle: string,
  options: { occurrence?: number; part?: string } = {},
): Range {
  const at = offsetOf(text, needle, options.occurrence);
  const start = options.part === undefined ? at : at + needle.indexOf(options.part);
  const length = (options.part ?? needle).length;
  return { start: positionAt(text, start), end: positionAt(text, start + length) };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The edits of a workspace edit for one document (documentChanges or changes). */
export function editsFor(edit: WorkspaceEdit | null | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  const fromChanges = edit.changes?.[uri] ?? [];
  const fromDocumentChanges = (edit.documentChanges ?? []).flatMap((change) =>
    'textDocument' in change && change.textDocument.uri === uri
      ? change.edits.filter((e): e is TextEdit => 'range' in e)
      : [],
  );
  return [...fromChanges, ...fromDocumentChanges];
}

/** An example file of the repository (examples/), as a new user would open it. */
export function example(name: string): string {
  return readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
}

/** The cursor marker used in test documents. */
export const CURSOR = '‸';

/** Removes the cursor marker from a text and returns the text and the cursor's position. */
export function withCursor(marked: string): { text: string; position: Position } {
  const at = marked.indexOf(CURSOR);
  if (at < 0) throw new Error('no cursor marker ‸ in the text');
  const text = marked.slice(0, at) + marked.slice(at + CURSOR.length);
  return { text, position: positionAt(text, at) };
}
