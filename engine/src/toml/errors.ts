// TOML reading errors: the toml crate's message wording, the sink the reader reports into, and the exact
// multi-line rendering Nucleus prints (`TOML parse error at line L, column C` + caret snippet + message).
import type { Span, TomlSyntaxError } from './ast.js';

/**
 * Which step of toml 1.1.2 reports an error. The crate parses in steps and keeps only the first error it
 * sees, so a syntax error anywhere wins over a duplicate key earlier in the file:
 * 1 = parsing tokens (syntax, comments, line breaks, nesting depth);
 * 2 = building the document (decoding keys and values, duplicate keys, table redefinitions);
 * 3 = converting values for serde (float overflow), which happens while the topology is deserialized.
 */
export type TomlErrorStage = 1 | 2 | 3;

/** toml_parser's `Expected::Literal` rendering (`render_literal` in toml/src/de/error.rs). */
export function lit(s: string): string {
  if (s === '\n') return 'newline';
  if (s === '`') return "'`'";
  return `\`${s}\``;
}

/** `description, expected a, b` as TomlError::new builds it; `[]` renders as "expected nothing". */
export function msg(description: string, expected?: readonly string[]): string {
  if (expected === undefined) return description;
  return `${description}, expected ${expected.length === 0 ? 'nothing' : expected.join(', ')}`;
}

export interface StagedError extends TomlSyntaxError {
  stage: TomlErrorStage;
}

export class ErrorSink {
  readonly items: StagedError[] = [];
  report(message: string, start: number, end: number, stage: TomlErrorStage): void {
    this.items.push({ message, span: { start, end }, stage });
  }
}

/**
 * The error toml 1.1.2 (hence Nucleus) reports for a document: the first error of the earliest step.
 * `errors` must be in the order they were found.
 */
export function firstReported<T extends StagedError>(errors: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const e of errors) if (best === undefined || e.stage < best.stage) best = e;
  return best;
}

/**
 * 1-based line and column of a UTF-16 offset, the column counted in Unicode code points (for CLI output
 * such as `file:3:7`). For the text Nucleus prints, use {@link formatTomlError}.
 */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < at; i++) {
    const c = text.charCodeAt(i);
    // A surrogate pair is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < at) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    column++;
  }
  return { line, column };
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Nucleus's rendering of a TOML error (toml 1.1.2 `TomlError`'s Display), byte for byte:
 *
 * ```
 * TOML parse error at line L, column C
 *   |
 * L | <the line's text>
 *   |        ^^^
 * <message>
 * ```
 * followed by a line break. The decoder reuses it for serde type errors, which have the same shape.
 *
 * It follows the crate exactly, including how it counts in UTF-8 bytes: the column counts characters
 * except when the span starts on a multi-byte character (then bytes from the line start), and there is one
 * `^` per byte of the span, cut at the end of the line, at least one. On ASCII text that is one `^` per
 * character. The shown line keeps a trailing `\r` of a CRLF file, as the crate splits on `\n` only.
 */
export function formatTomlError(text: string, span: Span, message: string): string {
  const start = Math.min(span.start, text.length);
  const spanBytes = utf8Length(text, start, Math.min(Math.max(span.end, span.start), text.length));
  let line: number;
  let column: number;
  if (start < text.length) {
    // Only the error's line is encoded (the editor formats this on every analysis of a broken file).
    let lineStart = 0;
    line = 0;
    for (let nl = text.indexOf('\n'); nl >= 0 && nl < start; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    const lineEnd = text.indexOf('\n', start);
    const lineBytes = encoder.encode(text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd + 1));
    ({ column } = translatePosition(lineBytes, utf8Length(text, lineStart, start)));
  } else {
    ({ line, column } = translatePosition(encoder.encode(text), utf8Length(text, 0, start)));
  }
  const lineNum = line + 1;
  const gutter = String(lineNum).length;
  const content = nthLine(text, line);
  const contentBytes = utf8Length(content, 0, content.length);
  const highlight = Math.min(spanBytes, Math.max(0, contentBytes - column));

  const pad = ' '.repeat(gutter + 1);
  return (
    `TOML parse error at line ${lineNum}, column ${column + 1}\n` +
    `${pad}|\n` +
    `${lineNum} | ${content}\n` +
    `${pad}|${' '.repeat(column + 1)}^${'^'.repeat(Math.max(0, highlight - 1))}\n` +
    `${message}\n`
  );
}

/** The line-th line of text (0-based) split on `\n` only, as the crate does. */
function nthLine(text: string, line: number): string {
  let from = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', from);
    if (nl < 0) return '';
    from = nl + 1;
  }
  const nl = text.indexOf('\n', from);
  return text.slice(from, nl < 0 ? text.length : nl);
}

/** toml's `translate_position`: 0-based line and column of a byte index. */
function translatePosition(input: Uint8Array, index: number): { line: number; column: number } {
  if (input.length === 0) return { line: 0, column: index };
  const safeIndex = Math.min(index, input.length - 1);
  const columnOffset = index - safeIndex;
  let lineStart = 0;
  let line = 0;
  for (let i = 0; i < safeIndex; i++) {
    if (input[i] === 0x0a) {
      lineStart = i + 1;
      line++;
    }
  }
  let column: number;
  try {
    // The crate decodes `line_start..=index`: invalid (and so counted in bytes) when `index` is the first
    // byte of a multi-byte character.
    column = [...strictUtf8.decode(input.subarray(lineStart, safeIndex + 1))].length - 1;
  } catch {
    column = safeIndex - lineStart;
  }
  return { line, column: column + columnOffset };
}

/** UTF-8 length of text[from, to) without allocating. A lone surrogate counts 3 bytes (U+FFFD). */
function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
