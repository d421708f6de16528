// Completion: keys valid at the cursor (not already present), enum values, service / volume / network names
// where a reference is expected, and table headers. Reads the cursor's section only (cursor.ts), so it works
// while other parts of the file have syntax errors.
import {
  tableFields,
  tableKind,
  type FieldInfo,
  type TomlNode,
  type TomlTable,
  symbolIndexOf,
  type SymbolKind,
  cursorContext,
  type CursorContext,
} from '@nucleus-topology/engine';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Range,
} from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { positionToOffset, spanToRange } from '../convert.js';
import type { DocumentState } from '../documentStore.js';

/** Values worth offering for free-form string keys (Nucleus only reacts to these spellings). */
const SUGGESTED_VALUES: Record<string, readonly string[]> = {
  runtime: ['native', 'gvisor'],
};

type KeyContext = Extract<CursorContext, { kind: 'key' }>;
type ValueContext = Extract<CursorContext, { kind: 'value' }>;
type HeaderContext = Extract<CursorContext, { kind: 'header' }>;

interface Completer {
  state: DocumentState;
  offset: number;
  snippets: boolean;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A name as a TOML key: bare when possible, quoted otherwise. */
export function tomlKey(name: string): string {
  return BARE_KEY.test(name) ? name : JSON.stringify(name);
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

function fieldDocumentation(field: FieldInfo): string {
  const facts = [
    `**${field.key}**: ${field.type}`,
    field.required ? 'required' : `default \`${field.default ?? 'none'}\``,
    `since ${field.since}`,
  ];
  return `${facts.join(' · ')}\n\n${field.description}`;
}

/** The value template after `key = ` for a field, as a snippet (with tab stops) or plain text. */
function valueTemplate(field: FieldInfo, snippets: boolean): string {
  if (!snippets) return '';
  const choice = (values: readonly string[]): string => `\${1|${values.map(escapeSnippet).join(',')}|}`;
  if (field.variants !== undefined) return `"${choice(field.variants)}"`;
  switch (field.kind) {
    case 'string':
    case 'optional-string':
      return SUGGESTED_VALUES[field.key] ? `"${choice(SUGGESTED_VALUES[field.key]!)}"` : '"$1"';
    case 'string-list':
      return '["$1"]';
    case 'u16-list':
      return '[$1]';
    case 'bool':
      return choice(['true', 'false']);
    case 'f64':
    case 'u64':
    case 'u32':
      return `\${1:${escapeSnippet(field.default ?? '0')}}`;
    case 'depends-on-list':
      return '[{ service = "$1" }]';
    case 'string-map':
    case 'network-map':
    case 'volume-map':
    case 'service-map':
      return '{ $1 }';
    case 'nat-backend':
    case 'hooks':
      return '$1';
  }
  return '$1';
}

/** The table at `path` in the AST, descending into the array-of-tables element that contains `offset`. */
function tableAt(root: TomlTable, path: readonly string[], offset: number): TomlTable | undefined {
  let table: TomlTable | undefined = root;
  for (const key of path) {
    const value: TomlNode | undefined = table?.entries.get(key)?.value;
    if (value?.kind === 'table') table = value;
    else if (value?.kind === 'array') {
      table = value.items.find(
        (it): it is TomlTable => it.kind === 'table' && it.span.start <= offset && offset <= it.span.end,
      );
    } else return undefined;
  }
  return table;
}

function keyCompletions(c: Completer, context: KeyContext): CompletionItem[] {
  const fields = tableFields(context.tablePath, c.state.nucleusVersion);
  const present = new Set(context.presentKeys);
  for (const key of tableAt(c.state.analysis.toml.root, context.tablePath, c.offset)?.entries.keys() ?? []) {
    present.add(key);
  }
  // Typing the key itself must not hide it (the word under the cursor is not "present" yet).
  const typing = c.state.text.slice(context.replace.start, context.replace.end);
  const range = spanToRange(c.state.lines, context.replace);
  const isTopLevel = tableKind(context.tablePath) === 'topology';
  const items: CompletionItem[] = [];
  fields.forEach((field, index) => {
    if (present.has(field.key) && field.key !== typing) return;
    // At the top level the three maps are written as [headers]: offered below as header snippets.
    if (isTopLevel && field.kind.endsWith('-map')) return;
    if (field.kind === 'hooks') return;
    const template = valueTemplate(field, c.snippets);
    items.push({
      label: field.key,
      kind: CompletionItemKind.Property,
      detail: field.required ? `${field.type} (required)` : `${field.type} = ${field.default ?? 'none'}`,
      documentation: { kind: MarkupKind.Markdown, value: fieldDocumentation(field) },
      sortText: `${field.required ? '0' : '1'}${String(index).padStart(3, '0')}`,
      textEdit: { range, newText: `${field.key} = ${template}` },
      insertTextFormat: c.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    });
  });
  if (context.atLineStart) items.push(...headerSnippets(c, range, context.tablePath));
  return items;
}

function definedNames(c: Completer, kind: SymbolKind): string[] {
  const index = c.state.derive(symbolIndexOf);
  return [...index.definitions.values()].filter((d) => d.kind === kind).map((d) => d.name);
}

/** Header snippets offered at the start of a line: new service / volume / network, a dependency of this service. */
function headerSnippets(c: Completer, range: Range, tablePath: readonly string[]): CompletionItem[] {
  const format = c.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText;
  const snippet = (label: string, snippetText: string, plain: string, detail: string): CompletionItem => ({
    label,
    kind: CompletionItemKind.Module,
    detail,
    sortText: `2${label}`,
    filterText: label,
    textEdit: { range, newText: c.snippets ? snippetText : plain },
    insertTextFormat: format,
  });
  const items = [
    snippet(
      '[services.…]',
      '[services.${1:name}]\nrootfs = "${2:/nix/store/}"\ncommand = ["$3"]\nmemory = "${4:256M}"\n',
      '[services.name]\nrootfs = ""\ncommand = []\nmemory = "256M"\n',
      'New service with its required keys',
    ),
    snippet(
      '[volumes.…]',
      '[volumes.${1:name}]\nvolume_type = "${2|ephemeral,persistent|}"\n',
      '[volumes.name]\nvolume_type = "ephemeral"\n',
      'New volume',
    ),
    snippet('[networks.…]', '[networks.${1:name}]\n', '[networks.name]\n', 'New network'),
  ];
  const service =
    tableKind(tablePath) === 'service' || tableKind(tablePath) === 'depends_on' ? tablePath[1] : undefined;
  if (service !== undefined && canAddDependencyTable(c, service)) {
    const header = `[[services.${tomlKey(service)}.depends_on]]`;
    items.push(
      snippet(
        header,
        `${escapeSnippet(header)}\nservice = "$1"\ncondition = "\${2|started,healthy|}"\n`,
        `${header}\nservice = ""\n`,
        `Another service ${service} waits for`,
      ),
    );
  }
  return items;
}

/** `[[services.x.depends_on]]` cannot extend an inline `depends_on = [...]` (TOML forbids it). */
function canAddDependencyTable(c: Completer, service: string): boolean {
  const existing = tableAt(c.state.analysis.toml.root, ['services', service], c.offset)?.entries.get(
    'depends_on',
  );
  return existing === undefined || (existing.value.kind === 'array' && existing.value.ofTables);
}

function headerCompletions(c: Completer, context: HeaderContext): CompletionItem[] {
  const range = spanToRange(c.state.lines, context.replace);
  // Auto-closing may already have written some of the closing brackets: add only the missing ones.
  const written = /^\]{0,2}/.exec(c.state.text.slice(context.replace.end))![0].length;
  const closing = ']'.repeat(Math.max(0, (context.isArray ? 2 : 1) - written));
  const items: CompletionItem[] = [];
  const add = (label: string, detail: string, snippetText?: string): void => {
    const asSnippet = c.snippets && snippetText !== undefined;
    items.push({
      label,
      kind: CompletionItemKind.Module,
      detail,
      filterText: label,
      textEdit: { range, newText: `${asSnippet ? snippetText : label}${closing}` },
      insertTextFormat: asSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    });
  };
  const services = definedNames(c, 'service');
  if (context.isArray) {
    for (const service of services.filter((name) => canAddDependencyTable(c, name))) {
      add(`services.${tomlKey(service)}.depends_on`, `A service ${service} waits for`);
    }
    return items;
  }
  add('services.', 'New service', 'services.${1:name}');
  add('volumes.', 'New volume', 'volumes.${1:name}');
  add('networks.', 'New network', 'networks.${1:name}');
  const root = c.state.analysis.toml.root;
  for (const service of services) {
    const table = tableAt(root, ['services', service], c.offset);
    if (table?.entries.has('environment') !== true) {
      add(`services.${tomlKey(service)}.environment`, `Environment variables of ${service}`);
    }
  }
  return items;
}

function valueItem(
  label: string,
  range: Range,
  quoted: boolean,
  detail: string,
  kind: CompletionItemKind,
  insert = label,
): CompletionItem {
  return {
    label,
    kind,
    detail,
    textEdit: { range, newText: quoted ? insert : JSON.stringify(insert) },
    filterText: quoted ? label : JSON.stringify(label),
    insertTextFormat: InsertTextFormat.PlainText,
  };
}

function valueCompletions(c: Completer, context: ValueContext): CompletionItem[] {
  const [key] = context.key;
  if (key === undefined || context.key.length !== 1) return [];
  const kind = tableKind(context.tablePath);
  const text = c.state.text;
  const string = context.string;
  // Inside a string, a value replaces the string's whole content; outside, the bare word (quoted on insert).
  const contentRange = (end?: number): Range =>
    spanToRange(
      c.state.lines,
      string ? { start: string.contentStart, end: end ?? string.contentEnd } : context.replace,
    );
  const quoted = string !== null;

  if (kind === 'depends_on' && key === 'service') {
    const self = context.tablePath[1];
    const index = c.state.derive(symbolIndexOf);
    const already = new Set(
      index.references.filter((r) => r.kind === 'service' && r.inService === self).map((r) => r.name),
    );
    return definedNames(c, 'service')
      .filter((name) => name !== self)
      .map((name) => ({
        ...valueItem(
          name,
          contentRange(),
          quoted,
          already.has(name) ? 'service (already a dependency)' : 'service',
          CompletionItemKind.Reference,
        ),
        sortText: `${already.has(name) ? '1' : '0'}${name}`,
      }));
  }
  if (kind === 'service' && context.inArray && (key === 'volumes' || key === 'networks')) {
    if (key === 'volumes') {
      // Only the VOLUME part of VOLUME:DEST is a name.
      const colon = string ? text.slice(string.contentStart, string.contentEnd).indexOf(':') : -1;
      if (string && colon >= 0 && c.offset > string.contentStart + colon) return [];
      const end = string && colon >= 0 ? string.contentStart + colon : undefined;
      return definedNames(c, 'volume').map((name) =>
        valueItem(
          name,
          contentRange(end),
          quoted,
          'volume',
          CompletionItemKind.Reference,
          end === undefined ? `${name}:` : name,
        ),
      );
    }
    const service = context.tablePath[1];
    const index = c.state.derive(symbolIndexOf);
    const listed = new Set(
      index.references.filter((r) => r.kind === 'network' && r.inService === service).map((r) => r.name),
    );
    return definedNames(c, 'network')
      .filter(
        (name) =>
          !listed.has(name) || text.slice(string?.contentStart ?? 0, string?.contentEnd ?? 0) === name,
      )
      .map((name) => valueItem(name, contentRange(), quoted, 'network', CompletionItemKind.Reference));
  }
  const field = tableFields(context.tablePath, c.state.nucleusVersion).find((f) => f.key === key);
  if (field === undefined || context.inArray) return [];
  const values = field.variants ?? SUGGESTED_VALUES[field.key];
  if (values !== undefined) {
    return values.map((value) => ({
      ...valueItem(
        value,
        contentRange(),
        quoted,
        field.default === `"${value}"` ? 'default' : field.type,
        CompletionItemKind.EnumMember,
      ),
    }));
  }
  if (field.kind === 'bool' && !quoted) {
    return ['true', 'false'].map((value) => ({
      label: value,
      kind: CompletionItemKind.Value,
      textEdit: { range: contentRange(), newText: value },
    }));
  }
  return [];
}

export function completions(state: DocumentState, offset: number, snippets: boolean): CompletionItem[] {
  const c: Completer = { state, offset, snippets };
  const context = cursorContext(state.analysis.toml, offset);
  switch (context.kind) {
    case 'header':
      return headerCompletions(c, context);
    case 'key':
      return keyCompletions(c, context);
    case 'value':
      return valueCompletions(c, context);
    case 'none':
      return [];
  }
}

export function register(ctx: ServerContext): void {
  const empty: CompletionList = { isIncomplete: false, items: [] };
  ctx.connection.onCompletion(
    ctx.documentRequest('completion', empty, (state, params: CompletionParams): CompletionList => {
      const snippets =
        ctx.clientCapabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
      const items = completions(state, positionToOffset(state.lines, params.position), snippets);
      return { isIncomplete: false, items };
    }),
  );
}
