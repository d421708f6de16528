// Text edits quick fixes share: delete a key line or a whole section, insert a key into a table, add a table.
// Pure offsets (Span); features convert them to LSP ranges.
import type { Span, TomlDocument, TomlTable } from '@nucleus-topology/engine';

export interface OffsetEdit {
  span: Span;
  newText: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Deletes `span` (a `key = value` entry); when it is alone on its line (trailing comment included), the
 * whole line goes, so no blank line is left behind.
 */
export function deleteLineEdit(text: string, span: Span): OffsetEdit {
  const start = lineStart(text, span.start);
  const alone = text.slice(start, span.start).trim() === '';
  let end = span.end;
  const rest = /^[ \t]*(#[^\n]*)?(\r?\n|$)/.exec(text.slice(end));
  if (alone && rest !== null) return { span: { start, end: end + rest[0].length }, newText: '' };
  // Inside an inline table or after other text on the line: remove the entry and one separating comma.
  const comma = /^\s*,/.exec(text.slice(end));
  if (comma !== null) end += comma[0].length;
  return { span: { start: span.start, end }, newText: '' };
}

/** Deletes every section whose header path starts with `prefix` (e.g. `[services.web.hooks]` and its sub-tables). */
export function deleteSectionsEdits(doc: TomlDocument, prefix: readonly string[]): OffsetEdit[] {
  return doc.headers
    .filter((h) => prefix.every((part, i) => h.path[i] === part))
    .map((h) => ({ span: { start: h.span.start, end: h.bodyEnd }, newText: '' }));
}

/** Where a new `key = value` line goes in a table: after its last key line (before trailing blank lines). */
export function insertKeyEdit(doc: TomlDocument, table: TomlTable, line: string): OffsetEdit | undefined {
  const text = doc.text;
  let after: number | undefined;
  for (const entry of table.entries.values()) {
    const isSubTable =
      entry.value.kind === 'table' && entry.value.origin !== 'inline' && entry.value.origin !== 'dotted';
    const isArrayOfTables = entry.value.kind === 'array' && entry.value.ofTables;
    if (!isSubTable && !isArrayOfTables) after = Math.max(after ?? 0, entry.span.end);
  }
  if (after === undefined) {
    if (table.header === undefined) return undefined;
    after = table.header.end;
  }
  const newline = text.indexOf('\n', after);
  const at = newline < 0 ? text.length : newline + 1;
  const prefix = newline < 0 ? '\n' : '';
  return { span: { start: at, end: at }, newText: `${prefix}${line}\n` };
}

/**
 * Where a new `[volumes.x]` / `[networks.x]` table goes: after the last section of that kind, else before
 * the first `[services.…]` section, else at the end of the file.
 */
export function insertTableEdit(doc: TomlDocument, top: string, body: string): OffsetEdit {
  const text = doc.text;
  const same = doc.headers.filter((h) => h.path[0] === top);
  const last = same.at(-1);
  if (last !== undefined) {
    const end = trimmedEnd(text, last.bodyEnd);
    return {
      span: { start: end, end: last.bodyEnd },
      newText: `\n\n${body}\n${last.bodyEnd < text.length ? '\n' : ''}`,
    };
  }
  const firstService = doc.headers.find((h) => h.path[0] === 'services');
  if (firstService !== undefined) {
    return { span: { start: firstService.span.start, end: firstService.span.start }, newText: `${body}\n\n` };
  }
  const end = trimmedEnd(text, text.length);
  return { span: { start: end, end: text.length }, newText: `\n\n${body}\n` };
}

function trimmedEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text.charAt(i - 1))) i--;
  return i;
}
