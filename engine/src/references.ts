// Where each service, volume and network is defined and referenced in a topology's TOML document: the data
// behind definition, references, rename, highlights, did-you-mean, the lenses' lines and the view's Reveal in File.
import type { Span, TomlDocument, TomlHeader, TomlNode, TomlString, TomlTable } from './toml/ast.js';

export type SymbolKind = 'service' | 'volume' | 'network';

/** The top-level table that defines each kind of symbol. */
const SYMBOL_TABLES: Record<SymbolKind, string> = {
  service: 'services',
  volume: 'volumes',
  network: 'networks',
};

export interface SymbolDefinition {
  kind: SymbolKind;
  name: string;
  /** Every place the name is written as a key: its own header or key, and every sub-header (`[services.web.environment]`). */
  keySpans: Span[];
  /** The defining entry (header + body, or `key = value`), for outlines. */
  span: Span;
  /**
   * What names the definition as a whole: its `[services.web]` header when its table has one, else its key
   * (inline, dotted or implicit tables). What Reveal in File selects.
   */
  headerSpan: Span;
}

export interface SymbolReference {
  kind: SymbolKind;
  name: string;
  /** The name inside the string that references it (only the `VOL` of a `VOL:DEST` mount). */
  span: Span;
  /** The whole string literal, quotes included. */
  literal: TomlString;
  /** The service whose table holds the reference. */
  inService: string;
  /**
   * True when the name's characters appear verbatim between the quotes (no escapes), so an edit can replace
   * just `span`; otherwise an edit must rewrite the whole literal.
   */
  verbatim: boolean;
}

export interface SymbolAt {
  kind: SymbolKind;
  name: string;
  span: Span;
  role: 'definition' | 'reference';
}

export interface SymbolIndex {
  /** Keyed by `${kind}:${name}`. */
  definitions: Map<string, SymbolDefinition>;
  references: SymbolReference[];
}

/** The index of an analysed document, for DocumentState.derive (computed once per version). */
export const symbolIndexOf = (state: { analysis: { toml: TomlDocument } }): SymbolIndex =>
  buildSymbolIndex(state.analysis.toml);

export const symbolKey = (kind: SymbolKind, name: string): string => `${kind}:${name}`;

function asTable(node: TomlNode | undefined): TomlTable | undefined {
  return node?.kind === 'table' ? node : undefined;
}

function tableAt(root: TomlTable, key: string): TomlTable | undefined {
  return asTable(root.entries.get(key)?.value);
}

/** The span of `part` (a prefix of the literal's value) inside the literal, when written without escapes. */
function spanInLiteral(text: string, literal: TomlString, length: number): { span: Span; verbatim: boolean } {
  const quoteLength = literal.style.startsWith('multiline') ? 3 : 1;
  const contentStart = literal.span.start + quoteLength;
  const raw = text.slice(contentStart, literal.span.end - quoteLength);
  const verbatim = raw === literal.value;
  return {
    span: verbatim ? { start: contentStart, end: contentStart + length } : literal.span,
    verbatim,
  };
}

function stringsOf(node: TomlNode | undefined): TomlString[] {
  if (node?.kind !== 'array') return [];
  return node.items.filter((item): item is TomlString => item.kind === 'string');
}

function addReference(
  index: SymbolIndex,
  text: string,
  kind: SymbolKind,
  name: string,
  literal: TomlString,
  inService: string,
): void {
  const { span, verbatim } = spanInLiteral(text, literal, name.length);
  index.references.push({ kind, name, span, literal, inService, verbatim });
}

/** Builds the index in one pass over the document's tables and headers. */
export function buildSymbolIndex(doc: TomlDocument): SymbolIndex {
  const index: SymbolIndex = { definitions: new Map(), references: [] };
  for (const kind of ['network', 'volume', 'service'] as const) {
    const table = tableAt(doc.root, SYMBOL_TABLES[kind]);
    if (table === undefined) continue;
    for (const [name, entry] of table.entries) {
      index.definitions.set(symbolKey(kind, name), {
        kind,
        name,
        keySpans: [entry.keySpan],
        span: entry.span,
        headerSpan: asTable(entry.value)?.header ?? entry.keySpan,
      });
    }
  }
  // Sub-headers repeat the name (`[services.web.environment]`, `[[services.web.depends_on]]`).
  for (const header of doc.headers) addHeaderKeySpan(index, header);

  const services = tableAt(doc.root, 'services');
  if (services === undefined) return index;
  for (const [service, entry] of services.entries) {
    const table = asTable(entry.value);
    if (table === undefined) continue;
    const dependsOn = table.entries.get('depends_on')?.value;
    if (dependsOn?.kind === 'array') {
      for (const item of dependsOn.items) {
        const target = asTable(item)?.entries.get('service')?.value;
        if (target?.kind === 'string')
          addReference(index, doc.text, 'service', target.value, target, service);
      }
    }
    for (const literal of stringsOf(table.entries.get('volumes')?.value)) {
      const colon = literal.value.indexOf(':');
      const volume = colon < 0 ? literal.value : literal.value.slice(0, colon);
      // `/host/path:/dest` is a host path, not a volume name (Nucleus rejects it with its own message).
      if (volume !== '' && !volume.startsWith('/'))
        addReference(index, doc.text, 'volume', volume, literal, service);
    }
    for (const literal of stringsOf(table.entries.get('networks')?.value)) {
      addReference(index, doc.text, 'network', literal.value, literal, service);
    }
  }
  return index;
}

function addHeaderKeySpan(index: SymbolIndex, header: TomlHeader): void {
  if (header.path.length < 3) return; // `[services.web]` itself is the definition's own key span
  const kind = (Object.keys(SYMBOL_TABLES) as SymbolKind[]).find((k) => SYMBOL_TABLES[k] === header.path[0]);
  const name = header.path[1];
  const span = header.keySpans[1];
  if (kind === undefined || name === undefined || span === undefined) return;
  const definition = index.definitions.get(symbolKey(kind, name));
  if (definition !== undefined && !definition.keySpans.some((s) => s.start === span.start)) {
    definition.keySpans.push(span);
  }
}

const contains = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The service, volume or network name at `offset`, as a definition key or as a reference. */
export function symbolAt(index: SymbolIndex, offset: number): SymbolAt | undefined {
  for (const definition of index.definitions.values()) {
    const span = definition.keySpans.find((s) => contains(s, offset));
    if (span !== undefined) return { kind: definition.kind, name: definition.name, span, role: 'definition' };
  }
  const reference = index.references.find((r) => contains(r.span, offset));
  if (reference !== undefined) {
    return { kind: reference.kind, name: reference.name, span: reference.span, role: 'reference' };
  }
  return undefined;
}

/** Every reference to one symbol, in document order. */
export function referencesTo(index: SymbolIndex, kind: SymbolKind, name: string): SymbolReference[] {
  return index.references.filter((r) => r.kind === kind && r.name === name);
}
