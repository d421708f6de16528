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
function readerSpan(issue: Issue, toml: TomlDocument): Span {
  if (issue.code !== 'toml-syntax') return issue.span;
  const exact = toml.errors.find(
    (e) =>
      e.span.start === e.span.end &&
      e.message === issue.nucleus?.message &&
      e.span.start >= issue.span.start &&
      e.span.start <= issue.span.end,
  );
  return exact?.span ?? issue.span;
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
    const toml = state.analysis.toml;
    const diagnostics = state.analysis.issues.map((issue) =>
      issueToDiagnostic({ ...issue, span: readerSpan(issue, toml) }, uri, state.lines),
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
