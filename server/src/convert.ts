// The only place that knows both the engine's shapes and LSP's: offsets ↔ positions, spans ↔ ranges,
// issues → diagnostics. Features never do this arithmetic themselves.
import type { Issue, Severity, Span } from '@nucleus-topology/engine';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** The diagnostic `source` of everything this server reports. */
export const DIAGNOSTIC_SOURCE = 'nucleus';

/** Maps UTF-16 offsets (the engine's spans) to LSP positions and back for one version of a text. */
export type LineMap = Pick<TextDocument, 'positionAt' | 'offsetAt'>;

export function spanToRange(lines: LineMap, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function rangeToSpan(lines: LineMap, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

export function positionToOffset(lines: LineMap, position: Position): number {
  return lines.offsetAt(position);
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries back to the server in codeAction requests (`Diagnostic.data`). */
export interface DiagnosticData {
  /** The issue's span as offsets, so quick fixes need no position arithmetic. */
  span: Span;
  suggestions?: string[];
  name?: string;
  tablePath?: string[];
}

/**
 * A syntax error reads as the TOML reader words it ("unclosed table, expected `]`"), as in any TOML editor;
 * every other issue carries the engine's full sentence (what is wrong, what Nucleus answers and when).
 */
function diagnosticMessage(issue: Issue): string {
  return issue.code === 'toml-syntax' && issue.nucleus?.message !== undefined
    ? issue.nucleus.message
    : issue.message;
}

/** `span` (default: the issue's) is where the diagnostic is drawn, and the span its data carries. */
export function issueToDiagnostic(
  issue: Issue,
  uri: string,
  lines: LineMap,
  span: Span = issue.span,
): Diagnostic {
  const diagnostic: Diagnostic = {
    range: spanToRange(lines, span),
    severity: SEVERITIES[issue.severity],
    code: issue.code,
    source: DIAGNOSTIC_SOURCE,
    message: diagnosticMessage(issue),
  };
  if (issue.related !== undefined && issue.related.length > 0) {
    diagnostic.relatedInformation = issue.related.map((related) => ({
      location: { uri, range: spanToRange(lines, related.span) },
      message: related.message,
    }));
  }
  if (issue.tags !== undefined && issue.tags.length > 0) {
    diagnostic.tags = issue.tags.map((tag) =>
      tag === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated,
    );
  }
  const data: DiagnosticData = { span };
  if (issue.data?.suggestions !== undefined) data.suggestions = issue.data.suggestions;
  if (issue.data?.name !== undefined) data.name = issue.data.name;
  if (issue.data?.tablePath !== undefined) data.tablePath = issue.data.tablePath;
  diagnostic.data = data;
  return diagnostic;
}
