// The TOML document model: every table header, key and value with its source span.
// Produced by parseToml (toml/parse.ts); read by the topology decoder, the rules and the language server.

/** A half-open range [start, end) of UTF-16 code unit offsets into the source text. */
export interface Span {
  start: number;
  end: number;
}

export type TomlNode =
  TomlString | TomlInteger | TomlFloat | TomlBoolean | TomlDateTime | TomlArray | TomlTable;

interface NodeBase {
  /** The value's text: `"x"`, `512`, `[1, 2]`, `{ a = 1 }`; for tables see {@link TomlTable.span}. */
  span: Span;
}

export interface TomlString extends NodeBase {
  kind: 'string';
  value: string;
  /** Which of the four TOML string forms was written. */
  style: 'basic' | 'literal' | 'multiline-basic' | 'multiline-literal';
}

/** Integers keep full precision: TOML allows i64, the Rust `toml` crate also accepts u64 literals. */
export interface TomlInteger extends NodeBase {
  kind: 'integer';
  value: bigint;
}

export interface TomlFloat extends NodeBase {
  kind: 'float';
  /** May be NaN, ±Infinity or -0. */
  value: number;
}

export interface TomlBoolean extends NodeBase {
  kind: 'boolean';
  value: boolean;
}

export interface TomlDateTime extends NodeBase {
  kind: 'datetime';
  subtype: 'offset-datetime' | 'local-datetime' | 'local-date' | 'local-time';
  /** The literal as written. */
  value: string;
}

export interface TomlArray extends NodeBase {
  kind: 'array';
  items: TomlNode[];
  /** True for an array of tables built from `[[header]]` sections (each item then has origin 'array-header'). */
  ofTables: boolean;
}

export interface TomlTable extends NodeBase {
  kind: 'table';
  /** Entries in document order (insertion order). Keys are the decoded key strings. */
  entries: Map<string, TomlEntry>;
  /**
   * How the table came to exist:
   * - 'root': the document;
   * - 'header': a `[a.b]` header; `header` holds its span;
   * - 'array-header': one element of a `[[a.b]]` array of tables; `header` holds its span;
   * - 'implicit': created as the parent of a header (`a` for `[a.b]`) and never given a header of its own;
   * - 'dotted': created by a dotted key (`a` in `a.b = 1`);
   * - 'inline': an inline table `{ … }`.
   */
  origin: 'root' | 'header' | 'array-header' | 'implicit' | 'dotted' | 'inline';
  /** For 'header'/'array-header': the span of the whole `[a.b]` / `[[a.b]]` text, brackets included. */
  header?: Span;
  // `span`: root → the whole text; header/array-header → from `[` to the end of the section's last line;
  // inline → `{` … `}`; implicit/dotted → the key segment that first created it.
}

export interface TomlEntry {
  key: string;
  /** Span of the key segment that defined this entry (for a header table: its last segment in the header). */
  keySpan: Span;
  value: TomlNode;
  /**
   * For a `key = value` line: from the first key segment to the end of the value (what a "remove this key"
   * edit deletes, without the line break). For a header table: its header plus body, as TomlTable.span.
   */
  span: Span;
}

/** One `[a.b]` or `[[a.b]]` line, kept even when the header itself is broken (editors need it while typing). */
export interface TomlHeader {
  /** Decoded key segments; for a broken header, the segments that could be read. */
  path: string[];
  /** Span of each key segment in `path`. */
  keySpans: Span[];
  /** The header text, brackets included. */
  span: Span;
  isArray: boolean;
  /** Offset where this section's body ends: the start of the next header line, or the end of the text. */
  bodyEnd: number;
}

export interface TomlSyntaxError {
  /** The toml crate's wording where known, e.g. "unclosed table, expected `]`", "duplicate key". */
  message: string;
  span: Span;
  /**
   * Which step of toml 1.1.2 reports it (set by parseToml): 1 = syntax, 2 = building the document
   * (decoding keys/values, duplicate keys, redefinitions), 3 = converting a value for serde (float
   * overflow), which the crate does while deserializing, interleaved with serde's own type errors.
   */
  stage?: 1 | 2 | 3;
}

export interface TomlComment {
  /** From `#` to the end of the line, line break excluded. */
  span: Span;
}

export interface TomlDocument {
  text: string;
  root: TomlTable;
  /** Every syntax or structural error (duplicate keys, redefinitions), in document order. Empty when valid. */
  errors: TomlSyntaxError[];
  headers: TomlHeader[];
  comments: TomlComment[];
  /**
   * The error Nucleus (toml 1.1.2, which stops at its first error) reports, when `errors` is not empty.
   * It is not always `errors[0]`: the crate finds every syntax error before any duplicate key, and its
   * recovery inside an unclosed array differs from ours.
   */
  nucleusError?: TomlSyntaxError;
}
