// Push diagnostics: every engine issue of an open topology, published shortly after each change (debounced),
// never older over newer, and cleared when the document closes or stops being a topology.
import type { Issue, Span, TomlDocument } from '@nucleus-topology/engine';
import { DidChangeAnalysisNotification } from '@nucleus-topology/protocol';
import type { ServerContext } from '../context.js';
import { issueToDiagnostic } from '../convert.js';
import type { DocumentState } from '../documentStore.js';

/**
 * A syntax error sits exactly where the TOML reader puts it: an unclosed `[services.web` is the empty range
 * right after `web`. The engine widens zero-width spans by a character; VS Code already draws an empty range
 * under the adjacent word, so the editor keeps the reader's position.
 */
function readerSpan(issue: Issue, zeroWidth: ReadonlyMap<string, Span[]> | null): Span {
  if (issue.code !== 'toml-syntax' || zeroWidth === null) return issue.span;
  const candidates = zeroWidth.get(issue.nucleus?.message ?? '');
  const exact = candidates?.find((s) => s.start >= issue.span.start && s.start <= issue.span.end);
  return exact ?? issue.span;
}

/** The reader's zero-width errors by message (looked up per syntax issue instead of scanning every error). */
function zeroWidthErrors(toml: TomlDocument): Map<string, Span[]> | null {
  let out: Map<string, Span[]> | null = null;
  for (const e of toml.errors) {
    if (e.span.start !== e.span.end) continue;
    out ??= new Map();
    const list = out.get(e.message);
    if (list === undefined) out.set(e.message, [e.span]);
    else list.push(e.span);
  }
  return out;
}

export function register(ctx: ServerContext): void {
  const { connection, documents } = ctx;
  const timers = new Map<string, NodeJS.Timeout>();
  /** Per URI, the number of the latest publication started: an older one that finishes late is dropped. */
  const generations = new Map<string, number>();
  const published = new Map<string, DocumentState>();

  const publish = ctx.notification('diagnostics', async (uri: string) => {
    const generation = (generations.get(uri) ?? 0) + 1;
    generations.set(uri, generation);
    const state = await documents.state(uri);
    if (state === undefined || generations.get(uri) !== generation) return;
    if (published.get(uri) === state) return;
    published.set(uri, state);
    const zeroWidth = zeroWidthErrors(state.analysis.toml);
    const diagnostics = state.analysis.issues.map((issue) =>
      issueToDiagnostic(issue, uri, state.lines, readerSpan(issue, zeroWidth)),
    );
    await connection.sendDiagnostics({ uri, version: state.version, diagnostics });
    await connection.sendNotification(DidChangeAnalysisNotification, { uri, documentVersion: state.version });
  });

  function schedule(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        void publish(uri);
      }, delay),
    );
  }

  function clear(uri: string): void {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    // A publication still awaiting settings must not resurrect the diagnostics of a closed document.
    generations.set(uri, (generations.get(uri) ?? 0) + 1);
    if (published.delete(uri))
      ctx.background('clear diagnostics', connection.sendDiagnostics({ uri, diagnostics: [] }));
  }

  // TextDocuments fires onDidChangeContent right after onDidOpen: the open is published at once, and only
  // real edits are debounced.
  const justOpened = new Set<string>();
  documents.documents.onDidOpen(({ document }) => {
    justOpened.add(document.uri);
    if (documents.get(document.uri) !== undefined) schedule(document.uri, 0);
    // Not (or no longer) a topology: a language change arrives as close + open, but be safe.
    else clear(document.uri);
  });
  documents.documents.onDidChangeContent(({ document }) => {
    if (justOpened.delete(document.uri)) return;
    if (documents.get(document.uri) !== undefined) schedule(document.uri, ctx.options.debounceMs);
  });
  documents.documents.onDidClose(({ document }) => clear(document.uri));

  // A different Nucleus version changes the rules: re-check every open topology.
  ctx.settings.onDidChange(() => {
    for (const document of documents.all()) schedule(document.uri, 0);
  });
}
