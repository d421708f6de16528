// Quick fixes for the engine's issues: define a missing volume/network, make a healthy dependency work, did-you-
// mean replacements, strip unsafe health-check characters, remove `hooks` and keys Nucleus ignores.
import {
  validateHealthCheckCommand,
  type Issue,
  type Span,
  type TomlDocument,
  type TomlNode,
  type TomlTable,
  symbolIndexOf,
} from '@nucleus-topology/engine';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { DIAGNOSTIC_SOURCE, rangeToSpan, spanToRange } from '../convert.js';
import { referenceEdit } from './navigation.js';
import type { DocumentState } from '../documentStore.js';
import {
  deleteLineEdit,
  deleteSectionsEdits,
  insertKeyEdit,
  insertTableEdit,
  type OffsetEdit,
} from '../edits.js';
import { tomlKey } from './completion.js';

/** The command without the characters Nucleus refuses in a waited-on health check (the engine's allow-list). */
function stripUnsafe(command: string): string {
  let safe = command;
  for (;;) {
    const check = validateHealthCheckCommand(safe);
    if (check.ok || check.char === '') return safe;
    safe = safe.slice(0, check.index) + safe.slice(check.index + check.char.length);
  }
}

interface Fix {
  title: string;
  edits: OffsetEdit[];
  preferred?: boolean;
}

const contains = (outer: Span, inner: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;

function asTable(node: TomlNode | undefined): TomlTable | undefined {
  return node?.kind === 'table' ? node : undefined;
}

function serviceTable(doc: TomlDocument, name: string): TomlTable | undefined {
  return asTable(asTable(doc.root.entries.get('services')?.value)?.entries.get(name)?.value);
}

/** The service whose table holds `span`: from the issue's tablePath, else by position. */
function serviceAround(doc: TomlDocument, issue: Issue): string | undefined {
  const path = issue.data?.tablePath;
  if (path?.[0] === 'services' && path[1] !== undefined) return path[1];
  const services = asTable(doc.root.entries.get('services')?.value);
  for (const [name, entry] of services?.entries ?? []) {
    if (contains(entry.span, issue.span) || spansOf(entry.value).some((s) => contains(s, issue.span)))
      return name;
  }
  return undefined;
}

/** Spans of a table's sections (header tables, array-of-tables items), to find what holds an offset. */
function spansOf(node: TomlNode): Span[] {
  if (node.kind === 'table') {
    return [node.span, ...[...node.entries.values()].flatMap((e) => [e.span, ...spansOf(e.value)])];
  }
  if (node.kind === 'array') return node.items.flatMap(spansOf);
  return [];
}

/** The smallest table in `root` (any depth) whose entries contain `span`. */
function innermostTable(table: TomlTable, span: Span): TomlTable | undefined {
  for (const entry of table.entries.values()) {
    const candidates =
      entry.value.kind === 'table' ? [entry.value] : entry.value.kind === 'array' ? entry.value.items : [];
    for (const candidate of candidates) {
      if (candidate.kind !== 'table') continue;
      const inner = innermostTable(candidate, span);
      if (inner !== undefined) return inner;
      if ([...candidate.entries.values()].some((e) => contains(e.span, span))) return candidate;
    }
  }
  return [...table.entries.values()].some((e) => contains(e.span, span)) ? table : undefined;
}

function replaceFixes(state: DocumentState, issue: Issue): Fix[] {
  const text = state.text;
  const current = text.slice(issue.span.start, issue.span.end);
  // A reference (`"uploads:/srv/uploads"`, `service = "db"`): replace only the name inside the string.
  const reference = state
    .derive(symbolIndexOf)
    .references.find(
      (r) =>
        (r.literal.span.start === issue.span.start && r.literal.span.end === issue.span.end) ||
        (r.span.start === issue.span.start && r.span.end === issue.span.end),
    );
  return (issue.data?.suggestions ?? []).slice(0, 3).map((suggestion, i) => {
    let edit: OffsetEdit;
    if (reference !== undefined) {
      const lsp = referenceEdit(state, reference, suggestion);
      edit = { span: rangeToSpan(state.lines, lsp.range), newText: lsp.newText };
    } else if (isKeyIssue(issue)) edit = { span: issue.span, newText: tomlKey(suggestion) };
    else if (/^["']/.test(current)) edit = { span: issue.span, newText: JSON.stringify(suggestion) };
    else edit = { span: issue.span, newText: suggestion };
    return { title: `Change to '${suggestion}'`, edits: [edit], preferred: i === 0 };
  });
}

const isKeyIssue = (issue: Issue): boolean =>
  issue.code === 'unknown-service-key' || issue.code === 'ignored-key' || issue.code === 'newer-version-key';

function defineFix(doc: TomlDocument, kind: 'volume' | 'network', name: string): Fix {
  const header = `[${kind}s.${tomlKey(name)}]`;
  const body = kind === 'volume' ? `${header}\nvolume_type = "ephemeral"` : header;
  return { title: `Define ${kind} '${name}'`, edits: [insertTableEdit(doc, `${kind}s`, body)] };
}

function healthyFixes(doc: TomlDocument, issue: Issue): Fix[] {
  const fixes: Fix[] = [];
  const dependency = innermostTable(doc.root, issue.span);
  const target = dependency?.entries.get('service')?.value;
  const name = issue.data?.name ?? (target?.kind === 'string' ? target.value : undefined);
  const table = name === undefined ? undefined : serviceTable(doc, name);
  if (name !== undefined && table !== undefined) {
    const edit = insertKeyEdit(
      doc,
      table,
      `health_check = "true"  # replace with a command that succeeds once ${name} is ready`,
    );
    if (edit !== undefined)
      fixes.push({ title: `Add a health_check to '${name}'`, edits: [edit], preferred: true });
  }
  const condition = dependency?.entries.get('condition');
  if (condition !== undefined) {
    fixes.push({
      title: `Change the condition to "started"`,
      edits: [{ span: condition.value.span, newText: '"started"' }],
    });
  }
  return fixes;
}

function unsafeHealthCheckFix(doc: TomlDocument, issue: Issue): Fix[] {
  const service = serviceAround(doc, issue);
  const entry = service === undefined ? undefined : serviceTable(doc, service)?.entries.get('health_check');
  if (entry?.value.kind !== 'string') return [];
  const safe = stripUnsafe(entry.value.value).replace(/ {2,}/g, ' ').trim();
  if (safe === '') return []; // nothing usable left: an empty check is refused too
  return [
    {
      title: `Remove the unsafe characters: "${safe}"`,
      edits: [{ span: entry.value.span, newText: JSON.stringify(safe) }],
    },
  ];
}

function hooksFix(doc: TomlDocument, issue: Issue): Fix[] {
  const service = serviceAround(doc, issue);
  if (service === undefined) return [];
  const title = 'Remove hooks (Nucleus rejects them in topologies since 0.3.5; use `nucleus create --hooks`)';
  const sections = deleteSectionsEdits(doc, ['services', service, 'hooks']);
  if (sections.length > 0) return [{ title, edits: sections }];
  const entry = serviceTable(doc, service)?.entries.get('hooks');
  return entry === undefined ? [] : [{ title, edits: [deleteLineEdit(doc.text, entry.span)] }];
}

function removeKeyFix(doc: TomlDocument, issue: Issue, title: string): Fix[] {
  const table = innermostTable(doc.root, issue.span);
  const entry = [...(table?.entries.values() ?? [])].find((e) => contains(e.span, issue.span));
  if (entry === undefined) return [];
  const isSection = entry.value.kind === 'table' && entry.value.header !== undefined;
  return [
    {
      title,
      edits: isSection ? [{ span: entry.span, newText: '' }] : [deleteLineEdit(doc.text, entry.span)],
    },
  ];
}

/** The quick fixes of one issue. */
function fixesFor(state: DocumentState, issue: Issue): Fix[] {
  const doc = state.analysis.toml;
  const name = issue.data?.name;
  switch (issue.code) {
    case 'unknown-volume':
      return [...replaceFixes(state, issue), ...(name ? [defineFix(doc, 'volume', name)] : [])];
    case 'unknown-network':
      return [...replaceFixes(state, issue), ...(name ? [defineFix(doc, 'network', name)] : [])];
    case 'unknown-dependency':
    case 'unknown-service-key':
    case 'unknown-variant':
    case 'invalid-dependency-condition':
      return replaceFixes(state, issue);
    case 'healthy-without-health-check':
      return healthyFixes(doc, issue);
    case 'unsafe-health-check':
    case 'unsafe-health-check-waited':
      return unsafeHealthCheckFix(doc, issue);
    case 'removed-hooks':
      return hooksFix(doc, issue);
    case 'ignored-key':
      return [
        ...replaceFixes(state, issue),
        ...removeKeyFix(
          doc,
          issue,
          `Remove '${name ?? doc.text.slice(issue.span.start, issue.span.end)}' (Nucleus ignores it)`,
        ),
      ];
    case 'newer-version-key':
      return removeKeyFix(
        doc,
        issue,
        `Remove '${name ?? doc.text.slice(issue.span.start, issue.span.end)}' (not known to Nucleus ${state.nucleusVersion})`,
      );
    default:
      return [];
  }
}

function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

export function codeActions(state: DocumentState, params: CodeActionParams): CodeAction[] {
  const actions: CodeAction[] = [];
  const only = params.context.only;
  if (only !== undefined && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return actions;
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    // Fixes are computed from the current analysis; a diagnostic from an older version simply finds no issue.
    const issue = state.analysis.issues.find(
      (i) => i.code === diagnostic.code && sameRange(spanToRange(state.lines, i.span), diagnostic.range),
    );
    if (issue === undefined) continue;
    for (const fix of fixesFor(state, issue)) {
      const edits: TextEdit[] = fix.edits.map((e) => ({
        range: spanToRange(state.lines, e.span),
        newText: e.newText,
      }));
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred === true,
        edit: { documentChanges: [{ textDocument: { uri: state.uri, version: state.version }, edits }] },
      });
    }
  }
  return actions;
}

export function register(ctx: ServerContext): void {
  ctx.connection.onCodeAction(
    ctx.documentRequest('codeAction', [] as CodeAction[], (state, params: CodeActionParams) =>
      codeActions(state, params),
    ),
  );
}
